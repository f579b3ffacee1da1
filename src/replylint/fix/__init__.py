"""Applying suggestions to files: ``replylint fix`` and ``replylint check --diff``.

The fixer consumes a run's results and orchestrates nothing of its own: the plan of the run
(discovery, each file's configuration and Linter) is :mod:`replylint.run`'s, and so is the
step that finishes each file's findings (configuration, suppression comments). For each file
(:mod:`.files`): read its bytes (remembering the BOM, the line ending, the mode and the
mtime), lint its drafts, plan the edits of the chosen suggestions (:mod:`.plan`), apply them
and read the text back with the same reader (:mod:`.apply`), at most :data:`MAX_PASSES`
times, like ruff's fix loop; then write it atomically (:mod:`.write`). A CSV/TSV export big
enough to stream is fixed chunk by chunk (:mod:`.stream`), and ``check --diff`` makes its
diff as the chunks come (:mod:`.diff`). :mod:`.run` takes a run's files in order.

So a fix never changes a byte outside the reply text, nor corrupts the file; a write keeps
the file's mode and never overwrites a file that changed on disk since it was read.
"""

from __future__ import annotations

from .apply import apply, apply_checked
from .diff import DiffStream
from .files import MAX_PASSES, FileFix, fix_drafts, fix_file
from .plan import (
    PlannedEdit,
    Skipped,
    choose,
    eligible,
    file_span,
    newline_of,
    placeholder_spans,
    plan_edits,
    touches,
)
from .run import fix_run
from .write import FileChangedError, NotWrittenError, ReadOnlyError, write

__all__ = [
    "MAX_PASSES",
    "DiffStream",
    "FileChangedError",
    "FileFix",
    "NotWrittenError",
    "PlannedEdit",
    "ReadOnlyError",
    "Skipped",
    "apply",
    "apply_checked",
    "choose",
    "eligible",
    "file_span",
    "fix_drafts",
    "fix_file",
    "fix_run",
    "newline_of",
    "placeholder_spans",
    "plan_edits",
    "touches",
    "write",
]
