"""``replylint check``: lint files and stream each file's report to a writer."""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, TextIO

import click

from ..models import Severity
from .app import main
from .common import (
    AUTO_JOBS_FILES,
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    AtomicOutput,
    auto_jobs,
    fail,
    plan_command_line,
    run_options,
    use_color,
)
from .fix import print_diff

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from ..api import Linter as _Linter
    from ..config import Config as _Config
    from ..models import Rule
    from ..output.base import FileWriter
    from ..run.plan import Plan
    from ..sources import ReadOptions

CHECK_FORMATS = ["text", "json", "sarif", "github", "junit"]  # output.FORMATTERS (not imported)
PROGRESS_MIN_FILES = 32  # a progress bar on a terminal's stderr from this many files


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@run_options
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
@click.option(
    "--explain-suggestions",
    is_flag=True,
    help="After the report, list every finding's candidate suggestions and why the suggestion "
    "gate refused each one (for rule authors).",
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
    channel: str | None,
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
    explain_suggestions: bool,
) -> None:
    """Lint reply drafts: files, directories, or - for standard input.

    Exit status: 0 no finding at or above --fail-on (or --exit-zero), 1 findings at or above it,
    2 usage, model or file errors.
    """
    if statistics and fmt not in ("text", "json"):
        fail(f"--statistics prints a table or JSON; it cannot be used with --format {fmt}")
    if stdin_filename is not None:
        if "-" not in paths:
            fail("--stdin-filename names standard input: give - as a path too")
        if not stdin_filename.strip() or stdin_filename == "-":
            fail("--stdin-filename needs a file name (such as replies/refund.md)")
    the_plan = plan_command_line(
        paths,
        config_file=config_file,
        isolated=isolated,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        model=model,
        channel=channel,
        fail_on=fail_on,
        max_draft_chars=max_draft_chars,
        stdin_name=stdin_filename,
    )

    customer_text: str | None = None
    if customer is not None:
        from ..sources import SourceError, read_file
        from ..sources.base import decode

        if the_plan.found != 1:  # (what discovery found, before any exclude)
            fail(f"--customer applies to a single draft, but {the_plan.found} files were given")
        try:
            customer_text = decode(read_file(customer))
        except SourceError as exc:
            fail(f"{customer}: {exc}")

    from ..sources import ReadOptions

    options = ReadOptions(
        layout="saved-replies" if layout == "saved-replies" else "auto",
        text_field=text_field,
        customer_field=customer_field,
    )
    from ..api import Linter, own_process

    own_process()  # the command line owns this process: see own_process
    from ..cache import DEFAULT_DIR
    from ..config import Config

    workers = jobs if jobs is not None else auto_jobs(the_plan)
    cache_at = None if no_cache else (cache_dir or DEFAULT_DIR)

    def linter_for(config: Config) -> Linter:
        return Linter(config, cache_dir=cache_at, jobs=workers, lazy=True)

    target = None
    if output_file is not None:
        try:
            target = AtomicOutput(output_file)
        except OSError as exc:
            fail(f"{output_file}: cannot write: {exc.strerror or exc}")
    with target if target is not None else contextlib.nullcontext():
        out: TextIO = target.stream if target is not None else sys.stdout
        if diff:
            code = print_diff(the_plan, linter_for, customer_text, options, unsafe=unsafe, out=out)
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
            if explain_suggestions:
                _explain(the_plan, linter_for, customer_text, options, out)
        if target is not None:
            try:
                target.commit()
            except OSError as exc:
                fail(f"{output_file}: cannot write: {exc.strerror or exc}")
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
    from ..config import ConfigError
    from ..nlp import ModelError
    from ..rulebook import RuleBookError
    from ..run.session import lint_plan

    colored = use_color(color) if fmt == "text" and not to_file else False
    try:
        session = lint_plan(
            the_plan, linter_for=linter_for, customer=customer_text, options=options
        )
        writer = _writer(
            fmt, out, statistics=statistics, quiet=quiet, color=colored, rules=session.rules
        )
        from ..output.junit import JunitWriter

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
        fail(str(exc))
    if session.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if session.fails else EXIT_CLEAN


def _explain(
    the_plan: Plan,
    linter_for: Callable[[_Config], _Linter],
    customer_text: str | None,
    options: ReadOptions,
    out: TextIO,
) -> None:
    """Every finding's candidate suggestions and what the gate said of each, file by file."""
    from ..sources import SourceError, read_file, reader_for
    from ..sources.base import decode
    from ..suggestions import explain

    out.write("\nSuggestions, as the gate judged them:\n")
    for group in the_plan.groups:
        linter = linter_for(group.config)
        for path in group.paths:
            try:
                text = decode(read_file(path))
                drafts = reader_for(path)(path, text, options)
            except (SourceError, ValueError) as exc:
                out.write(f"{path}: cannot explain: {exc}\n")
                continue
            pairs = [(d.text, d.customer or customer_text) for d in drafts]
            for draft, found in zip(drafts, explain(linter, pairs), strict=True):
                where = f"{path}" + (f" [{draft.title}]" if draft.title else "")
                for f in found:
                    if not f.candidates:
                        continue
                    excerpt = draft.text[f.start : f.end].strip().replace("\n", " ")[:60]
                    out.write(f"{where}: {f.rule} ({f.builder}) at {excerpt!r}\n")
                    for c in f.candidates:
                        verdict = f"refused: {c.reason}" if c.reason else "offered"
                        out.write(
                            f"    {c.origin:8} {c.replacement.strip()!r} [{c.applicability}] "
                            f"-> {verdict}\n"
                        )


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
    from ..output import WRITERS
    from ..output.base import FileWriter
    from ..output.statistics import StatisticsWriter
    from ..output.text import TextWriter

    if statistics:
        return StatisticsWriter(out, rules=rules, as_json=fmt == "json")
    if quiet and fmt == "text":
        return TextWriter(out, color=color, rules=rules, quiet=True)
    writer = WRITERS[fmt](out, color=color, rules=rules)
    assert isinstance(writer, FileWriter)
    return writer


def _fail_on_for(the_plan: Plan) -> Callable[[str], Severity]:
    """Each linted file's ``fail-on`` (its configuration's, or --fail-on), by shown path."""
    from ..run.plan import STDIN_NAME
    from ..sources import STDIN

    by_path = {
        STDIN_NAME if p == STDIN else p: g.config.fail_on for g in the_plan.groups for p in g.paths
    }
    return lambda path: by_path.get(path, Severity.WARNING)
