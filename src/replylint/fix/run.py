"""``replylint fix`` and ``check --diff`` over a run's plan: each file in the order found, fixed
(and written, in place) and handed on as soon as it is done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..models import FileReport
from ..run.plan import Plan, read_options
from ..run.session import Linters
from ..sources import ReadOptions
from ..sources.stream import streams
from . import files
from .files import MAX_PASSES, FileFix
from .stream import fix_streamed
from .write import NotWrittenError, write

if TYPE_CHECKING:
    from ..api import Linter
    from ..config import Config


def fix_run(
    the_plan: Plan,
    report: Callable[[FileFix], None],
    *,
    in_place: bool,
    unsafe: bool = False,
    options: ReadOptions | None = None,
    customer: str | None = None,
    linter_for: Callable[[Config], Linter] | None = None,
    max_passes: int = MAX_PASSES,
) -> tuple[bool, bool]:
    """Fix every file of ``the_plan`` in its order, and hand each to ``report`` as soon as it
    is done (``in_place``: written first; one that could not be written comes with the error,
    its text, fixed count and findings as read). A CSV/TSV file big enough to stream
    (:func:`~replylint.sources.stream.streams`) is read, fixed, reported and written to the
    temporary file chunk by chunk (see :attr:`~.files.FileFix.chunk`), and replaces the file
    at its end: memory holds a chunk, never the file. Returns whether the findings before
    fixing reach a file's fail-on, and whether those left do."""
    linters = Linters(the_plan, linter_for)  # every pipeline loaded before the first file
    fails = fails_after = False
    for shown, where in the_plan.shown():
        if isinstance(where, FileReport):
            report(FileFix(where.path, error=where.error))
            continue
        path, linter, how = the_plan.path_of(shown), linters[where], read_options(where, options)
        if streams(path):
            before, after = fix_streamed(
                linter,
                path,
                how,
                report,
                in_place=in_place,
                unsafe=unsafe,
                customer=customer,
                max_passes=max_passes,
            )
            fails, fails_after = fails or before, fails_after or after
            continue
        done = files.fix_file(
            linter, path, how, unsafe=unsafe, customer=customer, max_passes=max_passes
        )
        if in_place and done.changed:
            try:
                write(done)
            except (NotWrittenError, OSError) as exc:
                done.error = str(exc) if isinstance(exc, NotWrittenError) else exc.strerror
                done.text, done.fixed, done.remaining = done.original, 0, done.first
        fails = fails or linter.fails(done.first)
        fails_after = fails_after or linter.fails(done.remaining)
        report(done)
    return fails, fails_after
