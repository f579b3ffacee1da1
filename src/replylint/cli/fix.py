"""``replylint fix`` (fixes written in place) and ``replylint check --diff`` (their diff)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

import click

from .app import main
from .common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    fail,
    plan_command_line,
    run_options,
    use_color,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..api import Linter as _Linter
    from ..config import Config as _Config
    from ..run.plan import Plan
    from ..sources import ReadOptions


def print_diff(
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
    from ..config import ConfigError
    from ..fix import DiffStream, FileFix, fix_run
    from ..nlp import ModelError
    from ..rulebook import RuleBookError

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
        fail(str(exc))
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
@run_options
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
    channel: str | None,
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
    from ..api import own_process
    from ..config import ConfigError
    from ..fix import FileFix, fix_run
    from ..models import FileReport
    from ..nlp import ModelError
    from ..offsets import LineIndex
    from ..output.text import TextWriter
    from ..rulebook import RuleBookError
    from ..sources import ReadOptions

    own_process()  # the command line owns this process: see own_process
    options = ReadOptions(
        layout="saved-replies" if layout == "saved-replies" else "auto",
        text_field=text_field,
        customer_field=customer_field,
    )
    colored = use_color(color)
    # each file is reported as soon as it is fixed (and written): what was skipped, then what
    # is left; a big CSV/TSV file chunk by chunk, so that memory never holds it whole
    writer = TextWriter(sys.stdout, color=colored, rules={}, quiet=quiet)
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
            path=file.path, error=file.error, findings=file.remaining, draft_count=file.drafts
        )
        lines = file.lines
        if lines is None and not file.error:
            lines = LineIndex(file.text)
        writer.file(found, lines)

    the_plan = plan_command_line(
        paths,
        config_file=config_file,
        isolated=isolated,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        model=model,
        channel=channel,
    )
    try:
        _, fails_after = fix_run(the_plan, show, in_place=True, unsafe=unsafe, options=options)
    except (ConfigError, RuleBookError, ModelError) as exc:
        fail(str(exc))
    if not quiet and writer.findings:
        writer.close()
    sys.stdout.flush()
    n, m, hidden = counts["fixed"], counts["files"], counts["hidden"]
    more = f"; {hidden} more fixable with --unsafe: review before sending" if hidden else ""
    click.echo(
        f"Fixed {n} finding{'s' if n != 1 else ''} in {m} file{'s' if m != 1 else ''} "
        f"({counts['left']} left{more})"
    )
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails_after else EXIT_CLEAN)
