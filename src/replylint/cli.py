"""The command line: ``replylint check``, ``replylint rules``.

Importing this module does not import spaCy; only ``check`` loads a pipeline.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn, TextIO

import click

from .__about__ import __version__
from .models import Category, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

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


def _warn_skipped(the_plan: Plan) -> None:
    """One line on standard error for each special file (a FIFO, a device) found in a folder."""
    for path, why in the_plan.skipped:
        click.echo(f"replylint: warning: {path}: {why}", err=True)


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
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="Write the report (or the --diff) to FILE instead of standard output, atomically; "
    "the text format is never coloured there. Errors still go to standard error.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when there are findings (errors still exit 2).",
)
@click.option(
    "--stdin-filename",
    default=None,
    metavar="NAME",
    help="With - as the path: lint standard input as if it were the file NAME (its format, "
    "its configuration file, exclude and per-file-ignores, and NAME in the output).",
)
@click.option(
    "--max-draft-chars",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Report a draft longer than N characters as an error instead of linting it (0: no "
    "limit).  [default: the configuration's max-draft-chars, else 2,000,000]",
)
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
    output_file: str | None,
    exit_zero: bool,
    stdin_filename: str | None,
    max_draft_chars: int | None,
) -> None:
    """Lint reply drafts: files, directories, or - for standard input.

    Exit status: 0 no finding at or above --fail-on (or --exit-zero), 1 findings at or above it,
    2 usage, model or file errors.
    """
    from .config import ConfigError, ConfigResolver, Overrides
    from .project import plan
    from .rulebook import RuleBookError

    if statistics and fmt not in ("text", "json"):
        _fail(f"--statistics prints a table or JSON; it cannot be used with --format {fmt}")
    if stdin_filename is not None:
        if "-" not in paths:
            _fail("--stdin-filename names standard input: give - as a path too")
        if not stdin_filename.strip() or stdin_filename == "-":
            _fail("--stdin-filename needs a file name (such as replies/refund.md)")
    overrides = Overrides(
        select=tuple(_ids(select)) if select else None,
        extend_select=tuple(_ids(extend_select)),
        ignore=tuple(_ids(ignore)),
        model=model,
        fail_on=Severity(fail_on) if fail_on else None,
        max_draft_chars=max_draft_chars,
    )
    try:
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        the_plan: Plan = plan(list(paths), resolver, stdin_name=stdin_filename)
        _check_option_ids(the_plan, overrides)
    except (ConfigError, RuleBookError) as exc:
        _fail(str(exc))
    _warn_skipped(the_plan)

    customer_text: str | None = None
    if customer is not None:
        from .sources import SourceError, discover, read_file
        from .sources.base import decode

        targets = [p for p, _ in discover(list(paths))]
        if len(targets) != 1:
            _fail(f"--customer applies to a single draft, but {len(targets)} files were given")
        try:
            customer_text = decode(read_file(customer))
        except SourceError as exc:
            _fail(f"{customer}: {exc}")

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

    target = None
    if output_file is not None:
        try:
            target = AtomicOutput(output_file)
        except OSError as exc:
            _fail(f"{output_file}: cannot write: {exc.strerror or exc}")
    with target if target is not None else contextlib.nullcontext():
        out: TextIO = target.stream if target is not None else sys.stdout
        if diff:
            code = _print_diff(the_plan, linter_for, customer_text, options, unsafe=unsafe, out=out)
        else:
            code = _check_run(
                the_plan,
                linter_for,
                customer_text,
                options,
                out,
                fmt=fmt,
                statistics=statistics,
                quiet=quiet,
                color=color,
                to_file=target is not None,
            )
        if target is not None:
            try:
                target.commit()
            except OSError as exc:
                _fail(f"{output_file}: cannot write: {exc.strerror or exc}")
    if code == EXIT_FINDINGS and exit_zero:
        code = EXIT_CLEAN
    sys.exit(code)


def _check_run(
    the_plan: Plan,
    linter_for: Callable[[_Config], _Linter],
    customer_text: str | None,
    options: ReadOptions,
    out: TextIO,
    *,
    fmt: str,
    statistics: bool,
    quiet: bool,
    color: str,
    to_file: bool,
) -> int:
    """``check`` proper: lint the plan, stream each file's report to ``out``; the exit status."""
    from .config import ConfigError
    from .nlp import ModelError
    from .project import lint_plan
    from .rulebook import RuleBookError

    use_color = _use_color(color) if fmt == "text" and not to_file else False
    try:
        session = lint_plan(
            the_plan, linter_for=linter_for, customer=customer_text, options=options
        )
        writer = _writer(
            fmt, out, statistics=statistics, quiet=quiet, color=use_color, rules=session.rules
        )
        from .output.junit import JunitWriter

        if isinstance(writer, JunitWriter):  # findings below a file's fail-on are no failures
            writer.fail_on = _fail_on_for(the_plan)
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
        return EXIT_ERROR
    return EXIT_FINDINGS if session.fails else EXIT_CLEAN


class AtomicOutput:
    """``--output-file``: the report goes to a temporary file beside ``path`` (UTF-8, ``\n``
    line ends), renamed over it by :meth:`commit`; leaving the ``with`` block without a commit
    (an error, an exit) removes the temporary file and leaves ``path`` as it was. An existing
    file keeps its mode; a new one gets the mode the umask allows."""

    def __init__(self, path: str) -> None:
        import tempfile

        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        fd, self.temp = tempfile.mkstemp(
            dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp"
        )
        self.stream: TextIO = open(  # noqa: SIM115 (closed by commit or __exit__)
            fd, "w", encoding="utf-8", errors="surrogateescape", newline=""
        )
        self.done = False

    def __enter__(self) -> AtomicOutput:
        return self

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.temp, mode)
        os.replace(self.temp, self.path)
        self.done = True

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.stream.close()
            with contextlib.suppress(OSError):
                os.unlink(self.temp)


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


def _fail_on_for(the_plan: Plan) -> Callable[[str], Severity]:
    """Each linted file's ``fail-on`` (its configuration's, or --fail-on), by shown path."""
    from .runner import STDIN_NAME
    from .sources import STDIN

    by_path = {
        STDIN_NAME if p == STDIN else p: g.config.fail_on for g in the_plan.groups for p in g.paths
    }
    return lambda path: by_path.get(path, Severity.WARNING)


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
    except RuleBookError as exc:
        _fail(str(exc))
    if rule_id not in book.rules:
        _fail(
            f"unknown rule {rule_id!r}{book.did_you_mean(rule_id)} (`replylint rules` lists them)"
        )
    click.echo(render(book.rules[rule_id]))


@main.command()
@click.argument("kind", type=click.Choice(["rule", "signals", "config"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a rule file (rules/*.yaml), the signals file
    (rules/_signals.yaml) or the configuration (.replylint.toml, [tool.replylint])."""
    from .docs import schema_text

    click.echo(schema_text(kind), nl=False)


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
    "--max-draft-chars",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    metavar="N",
    help="Longest draft (or customer's message) linted; longer ones get 413.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Time budget of a request; a worker still linting it then is killed and replaced.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Time a client has to send a request's headers, and again its body.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes for drafts up to 2,000 characters.",
)
@click.option(
    "--heavy-workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (at a lower CPU priority) for longer drafts.",
)
@click.option(
    "--model", default=None, metavar="NAME", help="spaCy pipeline to use (package name or path)."
)
def serve(
    host: str,
    port: int,
    cors_origins: tuple[str, ...],
    max_body: int,
    max_draft_chars: int,
    timeout: float,
    read_timeout: float,
    workers: int,
    heavy_workers: int,
    model: str | None,
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

    from .api import Linter, own_process

    own_process()  # the command line owns this process: see own_process
    from .server import create_app
    from .server.http import run

    server_log = logging.getLogger("replylint.server")  # uvicorn sets up only its own loggers
    if not server_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        server_log.addHandler(handler)
        server_log.setLevel(logging.INFO)
        server_log.propagate = False
    factory = partial(Linter, model=model) if model else Linter
    app = create_app(
        factory,
        cors_origins=_ids(cors_origins),
        max_body_bytes=max_body,
        max_draft_chars=max_draft_chars,
        timeout=timeout,
        read_timeout=read_timeout,
        workers=workers,
        heavy_workers=heavy_workers,
    )
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"replylint: playground at http://{shown}:{port}/, API docs at /docs "
        "(the pipeline loads in the background: GET /v1/ready)",
        err=True,
    )
    run(app, host, port, read_timeout=read_timeout)


@main.command()
def lsp() -> None:
    """Run the language server on standard input and output (for editors).

    Needs the lsp extra: pip install 'replylint[lsp]'.
    """
    import importlib.util

    if importlib.util.find_spec("pygls") is None:
        _fail("`replylint lsp` needs pygls: pip install 'replylint[lsp]'")
    from .lsp import main as serve_lsp

    serve_lsp()


@main.command()
@click.argument("source", metavar="DIR|ARCHIVE", type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    metavar="FILE",
    help="The HTML file to write.",
)
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="COLS",
    help="Key columns to break the figures down by (comma-separated; e.g. team,agent,macro).",
)
@click.option(
    "--date-field",
    default=None,
    metavar="COL",
    help="The date column for weekly trends (e.g. created_at); without it, no trends.",
)
@click.option(
    "--examples",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Real examples shown per rule.",
)
@click.option("--title", default="Reply empathy report", show_default=True, help="Page title.")
@click.option(
    "--text-field", default=None, metavar="NAME", help="With an ARCHIVE: the column of replies."
)
@click.option(
    "--id-field", default=None, metavar="NAME", help="With an ARCHIVE: the column of reply ids."
)
@click.option(
    "--customer-field",
    default=None,
    metavar="NAME",
    help="With an ARCHIVE: the column of the customer's messages.",
)
@click.option(
    "--scan-dir",
    default=None,
    metavar="DIR",
    help="With an ARCHIVE: where its scan is written (and resumed).  [default: ARCHIVE.scan]",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, help="With an ARCHIVE.")
def report(
    source: str,
    output: str,
    by: tuple[str, ...],
    date_field: str | None,
    examples: int,
    title: str,
    text_field: str | None,
    id_field: str | None,
    customer_field: str | None,
    scan_dir: str | None,
    jobs: int,
) -> None:
    """Write a QA report of a scan's output (`replylint scan ... --out DIR`) as one HTML file.

    Given an ARCHIVE (a Parquet or CSV file of replies) instead, it is scanned first into
    --scan-dir (kept, so a second report, or a killed scan, starts from it), keeping the --by
    and --date-field columns. The page is self-contained: it opens offline and loads nothing.
    Needs the report extra: pip install 'replylint[report]'.
    """
    import importlib.util

    missing = [
        m for m in ("pandas", "pyarrow", "matplotlib") if importlib.util.find_spec(m) is None
    ]
    if missing:
        _fail(f"`replylint report` needs {', '.join(missing)}: pip install 'replylint[report]'")
    if os.path.isfile(source):
        if text_field is None or id_field is None:
            _fail(
                f"{source}: an archive needs --text-field and --id-field (or give the DIR "
                f"written by `replylint scan {source} --out DIR`)"
            )
        scanned = scan_dir or f"{source}.scan"
        _scan(
            source,
            scanned,
            text_field=text_field,
            customer_field=customer_field,
            id_field=id_field,
            keep=[c for c in [*_ids(by), date_field] if c],
            jobs=jobs,
            out=sys.stderr,
        )
        source = scanned
    from .report import ReportError, write_report

    try:
        result = write_report(
            source, output, by=_ids(by), date_field=date_field, examples=examples, title=title
        )
    except ReportError as exc:
        _fail(str(exc))
    s = result.summary
    click.echo(
        f"wrote {result.path} ({result.size / 1024:,.1f} KiB): {s.replies:,} replies, "
        f"{s.errored:,} not linted, {sum(s.findings_by_severity.values()):,} findings",
        err=True,
    )


@main.command()
@click.argument("archive", metavar="ARCHIVE")
@click.option("--text-field", required=True, metavar="NAME", help="The column of reply texts.")
@click.option(
    "--customer-field",
    default=None,
    metavar="NAME",
    help="The column of the customer's message each reply answers (context for the rules).",
)
@click.option(
    "--id-field", required=True, metavar="NAME", help="The column identifying each reply."
)
@click.option(
    "--keep",
    multiple=True,
    metavar="NAMES",
    help="Comma-separated columns to pass through to both outputs (team, agent, macro, date).",
)
@click.option(
    "--out", "out_dir", required=True, metavar="DIR", help="The folder to write the results to."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="Lint in N worker processes.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Use this configuration file (default: the closest one to ARCHIVE).",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, metavar="IDS", help="Comma-separated rule ids to run.")
@click.option("--ignore", multiple=True, metavar="IDS", help="Comma-separated rule ids to skip.")
@click.option(
    "--part-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Input rows per output part file (the unit a killed scan resumes from).",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    metavar="N",
    help="A longer reply is a bad row (its error column says so), not linted.",
)
def scan(
    archive: str,
    text_field: str,
    customer_field: str | None,
    id_field: str,
    keep: tuple[str, ...],
    out_dir: str,
    jobs: int,
    config_file: str | None,
    isolated: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    part_rows: int,
    max_chars: int,
) -> None:
    """Lint a helpdesk archive (Parquet file or folder, or CSV) into Parquet datasets.

    Writes DIR/replies (one row per reply: keys, counts, empathy profile, findings) and
    DIR/findings (one row per finding). Killed and started again with the same arguments, it
    resumes where it stopped. Exit status: 0 done (bad rows are in the output), 2 errors.
    """
    _scan(
        archive,
        out_dir,
        text_field=text_field,
        customer_field=customer_field,
        id_field=id_field,
        keep=_ids(keep),
        jobs=jobs,
        config_file=config_file,
        isolated=isolated,
        select=select,
        ignore=ignore,
        part_rows=part_rows,
        max_chars=max_chars,
    )


def _scan(
    archive: str,
    out_dir: str,
    *,
    text_field: str,
    customer_field: str | None,
    id_field: str,
    keep: list[str],
    jobs: int = 1,
    config_file: str | None = None,
    isolated: bool = False,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    part_rows: int | None = None,
    max_chars: int | None = None,
    out: TextIO | None = None,
) -> None:
    """``replylint scan``: lint ``archive`` into ``out_dir``; the summary line to ``out``."""
    import dataclasses

    from .config import ConfigError, ConfigResolver, Overrides
    from .nlp import ModelError
    from .rulebook import RuleBookError
    from .scan import ScanError, ScanOptions
    from .scan import scan as run_scan

    overrides = Overrides(
        select=tuple(_ids(select)) if select else None, ignore=tuple(_ids(ignore))
    )
    try:
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        config = resolver.for_path(archive)
        from .api import Linter, own_process

        own_process()  # the command line owns this process: see own_process
        Linter(config, lazy=True)  # unknown rule ids, a missing model: said now, in one line
        options = ScanOptions(
            archive=archive,
            out=out_dir,
            text=text_field,
            id=id_field,
            customer=customer_field,
            keep=tuple(keep),
            config=config,
            jobs=jobs,
        )
        if part_rows is not None:
            options = dataclasses.replace(options, part_rows=part_rows)
        if max_chars is not None:
            options = dataclasses.replace(options, max_chars=max_chars)
        result = run_scan(
            options,
            progress=sys.stderr if sys.stderr.isatty() else None,
        )
    except (ConfigError, ModelError, RuleBookError, ScanError, ValueError) as exc:
        _fail(str(exc))
    kept = f" ({result.kept_parts} parts kept from an earlier run)" if result.kept_parts else ""
    click.echo(
        f"{result.rows:,} replies in {out_dir}{kept}: {result.linted:,} linted in "
        f"{result.seconds:.1f} s, {result.findings:,} findings, {result.errors:,} bad rows",
        file=out,
    )


def _print_diff(
    the_plan: Plan,
    linter_for: Callable[[_Config], _Linter],
    customer: str | None,
    options: ReadOptions,
    *,
    unsafe: bool,
    out: TextIO,
) -> int:
    """``check --diff``: the diff of every file with its fixes applied, to ``out``; the exit
    status is ``check``'s. Standard error says why nothing (or not everything) is shown: fixes
    that need ``--unsafe``, fixes that cannot be written safely, findings without a fix."""
    from .config import ConfigError
    from .fix import DiffStream, FileFix, fix_run
    from .nlp import ModelError
    from .rulebook import RuleBookError

    errors = False
    hidden = 0  # findings whose fix needs --unsafe
    changed = False
    streamed: DiffStream | None = None  # the diff of a file read in chunks, as they come

    def show(file: FileFix) -> None:
        nonlocal errors, hidden, changed, streamed
        if file.error:
            errors = True
            click.echo(f"replylint: error: {file.path}: {file.error}", err=True)
        else:
            hidden += file.hidden
            changed = changed or file.changed
        for skipped in file.skipped:
            click.echo(f"replylint: {skipped}", err=True)
        if file.chunk is None and not file.end:
            if not file.error and file.changed:
                out.write(file.diff())
            return
        if streamed is None:
            streamed = DiffStream(file.path)
        if file.end:
            # (an error midway: the hunks before it are out, the file is listed as an error)
            out.write(streamed.close())
            streamed = None
            return
        bom = "\ufeff" if file.bom else ""
        out.write(streamed.feed(bom + file.original, bom + file.text))

    try:
        fails, _ = fix_run(
            the_plan,
            show,
            in_place=False,
            unsafe=unsafe,
            options=options,
            customer=customer,
            linter_for=linter_for,
        )
    except (ModelError, RuleBookError, ConfigError) as exc:
        _fail(str(exc))
    click.echo(_diff_hint(hidden, changed, fails, unsafe=unsafe), err=True, nl=False)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if fails else EXIT_CLEAN


def _diff_hint(hidden: int, changed: bool, fails: bool, *, unsafe: bool) -> str:
    """What ``check --diff`` did not show, as lines for standard error ("" when nothing):
    ``hidden`` fixes that need --unsafe, or findings (``fails``) with no fix at all."""
    lines: list[str] = []
    if hidden and not unsafe:
        them = "it" if hidden == 1 else "them"
        lines.append(
            f"replylint: {hidden} {'fix needs' if hidden == 1 else 'fixes need'} --unsafe "
            f"(an unsafe fix may change the meaning: review it): "
            f"`replylint check --diff --unsafe` shows {them}"
        )
    if fails and not hidden and not changed:
        lines.append(
            "replylint: no diff: no finding has a fix that can be applied automatically "
            "(`replylint check` shows their suggestions)"
        )
    return "".join(line + "\n" for line in lines)


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
    from .fix import FileFix, fix_run
    from .models import FileReport
    from .nlp import ModelError
    from .offsets import LineIndex
    from .output.text import TextWriter
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
    use_color = _use_color(color)
    # each file is reported as soon as it is fixed (and written): what was skipped, then what
    # is left; a big CSV/TSV file chunk by chunk, so that memory never holds it whole
    writer = TextWriter(sys.stdout, color=use_color, rules={}, quiet=quiet)
    counts = {"fixed": 0, "files": 0, "left": 0, "hidden": 0}
    errors = False
    streamed = {"fixed": 0, "left": 0, "first": 0}  # the chunks of the file read in chunks

    def show(file: FileFix) -> None:
        nonlocal errors
        if file.error:
            errors = True
            click.echo(f"replylint: error: {file.path}: {file.error}", err=True)
        if file.end:  # the end of a file read in chunks: written, or not (then as read)
            done = file.error is None
            counts["fixed"] += streamed["fixed"] if done else 0
            counts["files"] += 1 if done and streamed["fixed"] else 0
            counts["left"] += streamed["left"] if done else streamed["first"]
            if file.error:
                writer.file(FileReport(path=file.path, error=file.error))
            streamed.update(fixed=0, left=0, first=0)
            return
        if not quiet:
            for skipped in file.skipped:
                click.echo(str(skipped))
        counts["hidden"] += file.hidden
        if file.chunk is None:
            counts["fixed"] += file.fixed
            counts["files"] += 1 if file.changed and file.fixed else 0
            counts["left"] += len(file.remaining)
        else:
            streamed["fixed"] += file.fixed
            streamed["left"] += len(file.remaining)
            streamed["first"] += len(file.first)
        found = FileReport(
            path=file.path, error=file.error, findings=file.remaining, drafts=file.drafts
        )
        lines = file.lines
        if lines is None and not file.error:
            lines = LineIndex(file.text)
        writer.file(found, lines)

    try:
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        the_plan = plan(list(paths), resolver)
        _check_option_ids(the_plan, overrides)
        _warn_skipped(the_plan)
        _, fails_after = fix_run(the_plan, show, in_place=True, unsafe=unsafe, options=options)
    except (ConfigError, RuleBookError, ModelError) as exc:
        _fail(str(exc))
    if not quiet and writer.findings:
        writer.close()
    sys.stdout.flush()
    n, m, hidden = counts["fixed"], counts["files"], counts["hidden"]
    more = f"; {hidden} more fixable with --unsafe" if hidden else ""
    click.echo(
        f"Fixed {n} finding{'s' if n != 1 else ''} in {m} file{'s' if m != 1 else ''} "
        f"({counts['left']} left{more})"
    )
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails_after else EXIT_CLEAN)


@main.command()
@click.argument(
    "directory", default=".", type=click.Path(exists=True, file_okay=False), metavar="[DIR]"
)
@click.option("--force", is_flag=True, help="Overwrite replylint's configuration and hook entry.")
@click.option(
    "--repo",
    default=None,
    metavar="URL",
    help="The git repository the pre-commit hook is taken from.  [default: replylint's]",
)
@click.option(
    "--rev",
    default=None,
    metavar="REV",
    help="Pin the hook to this tag or commit.  [default: v<installed version>, or the commit "
    "of the git checkout replylint runs from]",
)
def init(directory: str, force: bool, repo: str | None, rev: str | None) -> None:
    """Set a repository of replies up: configuration and pre-commit hook.

    Writes a commented [tool.replylint] table at the end of pyproject.toml (if there is one;
    nothing else in it changes) or a .replylint.toml, with the draft formats and channels found
    and the files that are not replies excluded; and replylint's hooks in
    .pre-commit-config.yaml (created, or appended to). Nothing is overwritten without --force.
    """
    from pathlib import Path

    from .init import init as set_up

    root = Path(directory)
    found, actions, errors = set_up(root, force=force, repo=repo, rev=rev)
    for action in actions:
        click.echo(str(action))
    formats = ", ".join(f"{n} {s}" for s, n in sorted(found.formats.items())) or "none"
    click.echo(f"Draft files: {formats}.")
    kinds = {"email": found.email, "social": found.social, "macro": found.macro}
    channels = [name for name, files in kinds.items() if files]
    if channels:
        click.echo(f"Channels: {', '.join(channels)} (written as comments; picked per draft).")
    if found.not_replies:
        click.echo(f"Excluded as not replies: {', '.join(p for p, _ in found.not_replies)}.")
    for error in errors:
        click.echo(f"replylint: error: {error}", err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    if any(a.path == ".pre-commit-config.yaml" and a.done != "kept" for a in actions):
        git = "" if (root / ".git").exists() else "git init, then "
        click.echo(f"Next: {git}pip install pre-commit && pre-commit install")


if __name__ == "__main__":  # pragma: no cover
    main()
