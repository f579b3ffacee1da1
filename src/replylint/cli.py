"""The command line: ``replylint check``, ``replylint rules``.

Importing this module does not import spaCy; only ``check`` loads a pipeline.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from .__about__ import __version__
from .models import Category, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import TextIO

    from .api import Linter as _Linter
    from .config import Config as _Config
    from .config import Overrides
    from .models import Rule
    from .output.base import FileWriter
    from .project import Plan
    from .sources import ReadOptions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CHECK_FORMATS = ["text", "json", "sarif", "github", "junit"]  # output.FORMATTERS (not imported)
PROGRESS_MIN_FILES = 32  # a progress bar on a terminal's stderr from this many files
# from this many files, or bytes of them, --jobs defaults to the CPU count
AUTO_JOBS_FILES, AUTO_JOBS_BYTES = 64, 1 << 20


def _fail(message: str) -> NoReturn:
    click.echo(f"replylint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _ids(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _use_color(choice: str) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="replylint")
def main() -> None:
    """An empathy linter for customer-service reply drafts.

    Flags replies that read cold (a bare "it's our policy", a terse "Nope.", no word for how the
    customer feels, a story about the writer's own week) with the exact span, why it matters and
    a rewrite.
    """


def _run_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options check and fix share: configuration, rule selection, model, readers, colour."""
    for option in reversed(_RUN_OPTIONS):
        command = option(command)
    return command


_RUN_OPTIONS = [
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        default=None,
        metavar="FILE",
        help="Use this configuration file (a .replylint.toml, or a pyproject.toml with "
        "[tool.replylint]) for every path instead of the closest one to each file.",
    ),
    click.option(
        "--isolated", is_flag=True, help="Ignore every configuration file (use the defaults)."
    ),
    click.option(
        "--extend-select",
        multiple=True,
        metavar="IDS",
        help="Comma-separated rule ids to run in addition to the selected ones.",
    ),
    click.option(
        "--select",
        multiple=True,
        metavar="IDS",
        help="Comma-separated rule ids to run, instead of the configuration's select, "
        "extend-select and ignore (default: all).",
    ),
    click.option(
        "--ignore", multiple=True, metavar="IDS", help="Comma-separated rule ids to skip."
    ),
    click.option(
        "--model",
        default=None,
        metavar="NAME",
        help="spaCy pipeline to use (package name or path).",
    ),
    click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the text output (never when NO_COLOR is set).",
    ),
    click.option(
        "--layout",
        type=click.Choice(["auto", "saved-replies"]),
        default="auto",
        show_default=True,
        help="Markdown layout: saved-replies reads one titled reply per '## Title' section "
        "(auto: only for files named SAVED_REPLIES.md).",
    ),
    click.option(
        "--text-field",
        default=None,
        metavar="NAME",
        help="JSON/YAML/CSV: the field (column) holding each reply's text.",
    ),
    click.option(
        "--customer-field",
        default=None,
        metavar="NAME",
        help="JSON/YAML/CSV: the field (column) holding the customer's message each reply answers.",
    ),
]


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@_run_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(CHECK_FORMATS),
    default="text",
    show_default=True,
    help="Output format: text, json (versioned), sarif (2.1.0), github (Actions annotations), "
    "junit (XML).",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule produced (count, rule, severity, summary) instead "
    "of the findings.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Text format: print only the summary, and nothing when there is no finding (errors are "
    "still shown).",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default=None,
    help="Exit 1 when a finding is at or above this severity.  [default: the configuration's "
    "fail-on, else warning]",
)
@click.option(
    "--customer",
    type=click.Path(dir_okay=False),
    default=None,
    help="A file holding the customer's message the (single) draft replies to.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes, each with the pipeline loaded (forked from this one).  [default: "
    f"1 for fewer than {AUTO_JOBS_FILES} files, else the CPU count]",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to keep results for re-runs.  [default: .replylint_cache]",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--diff",
    is_flag=True,
    help="Print a unified diff of each file with the fixes `replylint fix` would apply, "
    "instead of the findings.",
)
@click.option("--unsafe", is_flag=True, help="With --diff: include the unsafe fixes.")
def check(
    paths: tuple[str, ...],
    fmt: str,
    config_file: str | None,
    isolated: bool,
    extend_select: tuple[str, ...],
    statistics: bool,
    quiet: bool,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    customer: str | None,
    model: str | None,
    color: str,
    layout: str,
    text_field: str | None,
    customer_field: str | None,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
    diff: bool,
    unsafe: bool,
) -> None:
    """Lint reply drafts: files, directories, or - for standard input.

    Exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage, model or
    file errors.
    """
    from .config import ConfigError, ConfigResolver, Overrides
    from .project import plan
    from .rulebook import RuleBookError

    if statistics and fmt not in ("text", "json"):
        _fail(f"--statistics prints a table or JSON; it cannot be used with --format {fmt}")
    overrides = Overrides(
        select=tuple(_ids(select)) if select else None,
        extend_select=tuple(_ids(extend_select)),
        ignore=tuple(_ids(ignore)),
        model=model,
        fail_on=Severity(fail_on) if fail_on else None,
    )
    try:
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        the_plan: Plan = plan(list(paths), resolver)
        _check_option_ids(the_plan, overrides)
    except (ConfigError, RuleBookError) as exc:
        _fail(str(exc))

    customer_text: str | None = None
    if customer is not None:
        from .sources import SourceError, discover
        from .sources.base import decode

        targets = [p for p, _ in discover(list(paths))]
        if len(targets) != 1:
            _fail(f"--customer applies to a single draft, but {len(targets)} files were given")
        try:
            with open(customer, "rb") as fh:
                customer_text = decode(fh.read())
        except OSError as exc:
            _fail(f"{customer}: {exc.strerror or exc}")
        except SourceError as exc:
            _fail(f"{customer}: {exc}")

    from .nlp import ModelError
    from .project import lint_plan
    from .sources import ReadOptions

    options = ReadOptions(
        layout="saved-replies" if layout == "saved-replies" else "auto",
        text_field=text_field,
        customer_field=customer_field,
    )
    from .api import Linter, own_process

    own_process()  # the command line owns this process: see own_process
    from .cache import DEFAULT_DIR
    from .config import Config

    workers = jobs if jobs is not None else auto_jobs(the_plan)
    cache_at = None if no_cache else (cache_dir or DEFAULT_DIR)

    def linter_for(config: Config) -> Linter:
        return Linter(config, cache_dir=cache_at, jobs=workers, lazy=True)

    if diff:
        _print_diff(the_plan, linter_for, customer_text, options, unsafe=unsafe)
    use_color = _use_color(color) if fmt == "text" else False
    try:
        session = lint_plan(
            the_plan, linter_for=linter_for, customer=customer_text, options=options
        )
        out = sys.stdout
        writer = _writer(
            fmt, out, statistics=statistics, quiet=quiet, color=use_color, rules=session.rules
        )
        bar = None
        # a bar on the terminal while the findings go elsewhere (on the terminal, they show)
        if the_plan.files >= PROGRESS_MIN_FILES and sys.stderr.isatty() and not out.isatty():
            bar = click.progressbar(length=the_plan.files, label="Linting", file=sys.stderr)
        try:
            last = None
            for result in session:
                if result.report.error:
                    report = result.report
                    click.echo(f"replylint: error: {report.path}: {report.error}", err=True)
                writer.file(result.report, result.lines)
                if bar is not None and result.report.path != last:
                    bar.update(1)
                last = result.report.path
        finally:
            session.close()
            if bar is not None:
                bar.render_finish()
        writer.close()
    except (ModelError, RuleBookError, ConfigError) as exc:  # a rule that does not compile too
        _fail(str(exc))
    if session.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if session.fails else EXIT_CLEAN)


def auto_jobs(the_plan: Plan) -> int:
    """--jobs by default: one process for a few files (a hook's commit), the CPU count for a
    library or an archive. Worker processes start only for drafts the cache cannot answer."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cpus or cpus < 2:
        return 1
    if the_plan.files >= AUTO_JOBS_FILES:
        return cpus
    size = 0
    for path in (p for g in the_plan.groups for p in g.paths):
        try:
            size += os.stat(path).st_size
        except OSError:
            continue
    return cpus if size >= AUTO_JOBS_BYTES else 1


def _writer(
    fmt: str,
    out: TextIO,
    *,
    statistics: bool,
    quiet: bool,
    color: bool,
    rules: Mapping[str, Rule],
) -> FileWriter:
    """The writer check streams its results to."""
    from .output import WRITERS
    from .output.base import FileWriter
    from .output.statistics import StatisticsWriter
    from .output.text import TextWriter

    if statistics:
        return StatisticsWriter(out, rules=rules, as_json=fmt == "json")
    if quiet and fmt == "text":
        return TextWriter(out, color=color, rules=rules, quiet=True)
    writer = WRITERS[fmt](out, color=color, rules=rules)
    assert isinstance(writer, FileWriter)
    return writer


def _check_option_ids(the_plan: Plan, overrides: Overrides) -> None:
    """Rule ids given on the command line exist in the rule book of every configuration (which
    may add rules from its ``rules-dir``)."""
    from pathlib import Path

    from .config import UNUSED_SUPPRESSION, Config
    from .rulebook import load_rulebook

    configs = [g.config for g in the_plan.groups] or [Config()]
    for folders in dict.fromkeys(c.rules_dir for c in configs):
        book = load_rulebook(tuple(Path(d) for d in folders))
        book.resolve_ids(list(overrides.select or ()), "--select")
        book.resolve_ids(list(overrides.extend_select), "--extend-select")
        book.resolve_ids([i for i in overrides.ignore if i != UNUSED_SUPPRESSION], "--ignore")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def rules(fmt: str) -> None:
    """List every rule: id, category, severity, summary and source."""
    from .rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook()
    except RuleBookError as exc:
        _fail(str(exc))
    if fmt == "json":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "category": r.category.value,
                "severity": r.severity.value,
                "summary": r.summary,
                "source": [s.model_dump() for s in r.source],
            }
            for r in book.rules.values()
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    width = max(len(r) for r in book.rules)
    order = list(Category)
    for r in sorted(book.rules.values(), key=lambda r: (order.index(r.category), r.id)):
        src = "; ".join(f'{s.file[:3]} "{s.heading}"' for s in r.source)
        click.echo(f"{r.id:<{width}}  {r.category.value:<13} {r.severity.value:<7}  {r.summary}")
        click.echo(f"{'':<{width}}  source: {src}")


@main.command()
@click.argument("rule_id", metavar="RULE")
def explain(rule_id: str) -> None:
    """Explain a rule: what it flags, why, an example with its rewrite, how to disable it."""
    from .explain import explain as render
    from .rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook()
        (resolved,) = book.resolve_ids([rule_id], "explain")
    except RuleBookError as exc:
        _fail(str(exc))
    click.echo(render(book.rules[resolved]))


@main.command(name="eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--misses", is_flag=True, help="List the case ids of every false positive/negative.")
@click.option("--model", default=None, metavar="NAME", help="spaCy pipeline to use.")
def eval_command(corpus: str, misses: bool, model: str | None) -> None:
    """Measure the rules on a labelled corpus: per-rule precision, recall and F1."""
    from pathlib import Path

    from .api import Linter, own_process

    own_process()  # the command line owns this process: see own_process
    from .evaluate import EvalError, format_table, load_corpus, score
    from .nlp import ModelError
    from .rulebook import RuleBookError, load_rulebook

    try:
        cases = load_corpus(Path(corpus), load_rulebook())
        linter = Linter(model=model)
    except (EvalError, ModelError, RuleBookError) as exc:
        _fail(str(exc))
    reports = linter.check_many([(c.text, c.customer) for c in cases])
    fired = [{f.rule for f in r.findings} for r in reports]
    per_rule, total = score(cases, fired, linter.rulebook)
    click.echo(f"{len(cases)} cases in {corpus}")
    click.echo(format_table(per_rule, total, show_misses=misses))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port."
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Let browser apps on ORIGIN call the API (repeatable; default: none).",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=1_048_576,
    show_default=True,
    metavar="BYTES",
    help="Largest request body accepted (larger ones get 413).",
)
@click.option(
    "--model", default=None, metavar="NAME", help="spaCy pipeline to use (package name or path)."
)
def serve(
    host: str, port: int, cors_origins: tuple[str, ...], max_body: int, model: str | None
) -> None:
    """Serve the HTTP API (/v1, docs at /docs) and the playground page (/).

    Needs the server extra: pip install 'replylint[server]'.
    """
    import importlib.util
    import logging

    missing = [m for m in ("fastapi", "uvicorn") if importlib.util.find_spec(m) is None]
    if missing:
        _fail(f"`replylint serve` needs {' and '.join(missing)}: pip install 'replylint[server]'")
    from functools import partial

    import uvicorn

    from .api import Linter, own_process

    own_process()  # the command line owns this process: see own_process
    from .server import create_app

    server_log = logging.getLogger("replylint.server")  # uvicorn sets up only its own loggers
    if not server_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        server_log.addHandler(handler)
        server_log.setLevel(logging.INFO)
        server_log.propagate = False
    factory = partial(Linter, model=model) if model else Linter
    app = create_app(factory, cors_origins=_ids(cors_origins), max_body_bytes=max_body)
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"replylint: playground at http://{shown}:{port}/, API docs at /docs "
        "(the pipeline loads in the background: GET /v1/ready)",
        err=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="info")


def _print_diff(
    the_plan: Plan,
    linter_for: Callable[[_Config], _Linter],
    customer: str | None,
    options: ReadOptions,
    *,
    unsafe: bool,
) -> NoReturn:
    """``check --diff``: the diff of every file with its fixes applied; exit as ``check``."""
    from .config import ConfigError
    from .fix import fix_plan
    from .nlp import ModelError
    from .rulebook import RuleBookError

    try:
        outcome = fix_plan(
            the_plan, unsafe=unsafe, options=options, customer=customer, linter_for=linter_for
        )
    except (ModelError, RuleBookError, ConfigError) as exc:
        _fail(str(exc))
    for file in outcome.files:
        if file.error:
            click.echo(f"replylint: error: {file.path}: {file.error}", err=True)
        elif file.changed:
            click.echo(file.diff(), nl=False)
    if any(f.error for f in outcome.files):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.fails else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@_run_options
@click.option("--unsafe", is_flag=True, help="Also apply the unsafe fixes (never display-only).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary (and errors).")
def fix(
    paths: tuple[str, ...],
    unsafe: bool,
    config_file: str | None,
    isolated: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    model: str | None,
    layout: str,
    text_field: str | None,
    customer_field: str | None,
    quiet: bool,
    color: str,
) -> None:
    """Apply the safe fixes (--unsafe: the unsafe ones too) to files, in place.

    Only the reply text changes: every other byte of a file (JSON, YAML, CSV structure, markup,
    the encoding, BOM and line endings) stays as it was. A fix that cannot be written safely is
    skipped and reported; a file changed on disk meanwhile is not overwritten. What is left
    after fixing is reported like check does.

    Exit status: 0 nothing left at or above fail-on, 1 findings left, 2 errors.
    """
    from .api import own_process
    from .config import ConfigError, ConfigResolver, Overrides
    from .fix import FileChangedError, fix_plan, write
    from .nlp import ModelError
    from .output import FORMATTERS
    from .project import plan
    from .rulebook import RuleBookError
    from .sources import ReadOptions

    own_process()  # the command line owns this process: see own_process
    overrides = Overrides(
        select=tuple(_ids(select)) if select else None,
        extend_select=tuple(_ids(extend_select)),
        ignore=tuple(_ids(ignore)),
        model=model,
    )
    options = ReadOptions(
        layout="saved-replies" if layout == "saved-replies" else "auto",
        text_field=text_field,
        customer_field=customer_field,
    )
    try:
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        the_plan = plan(list(paths), resolver)
        _check_option_ids(the_plan, overrides)
        outcome = fix_plan(the_plan, unsafe=unsafe, options=options)
    except (ConfigError, RuleBookError, ModelError) as exc:
        _fail(str(exc))
    for file in outcome.files:
        if file.changed:
            try:
                write(file)
            except (FileChangedError, OSError) as exc:
                file.error = str(exc) if isinstance(exc, FileChangedError) else exc.strerror
                file.text, file.fixed, file.remaining = file.original, 0, file.first
        if file.error:
            click.echo(f"replylint: error: {file.path}: {file.error}", err=True)
    use_color = _use_color(color)
    if not quiet:
        for file in outcome.files:
            for skipped in file.skipped:
                click.echo(str(skipped))
        report = outcome.report()
        if report.summary.findings:
            sources = {f.path: f.text for f in outcome.files if not f.error}
            rendered = FORMATTERS["text"](report, color=use_color, sources=sources, rules={})
            click.echo(rendered, nl=False, color=use_color)
    hidden = sum(f.hidden for f in outcome.files)
    more = f"; {hidden} more fixable with --unsafe" if hidden else ""
    click.echo(outcome.summary()[:-1] + more + ")")
    if any(f.error for f in outcome.files):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.fails_after else EXIT_CLEAN)


if __name__ == "__main__":  # pragma: no cover
    main()
