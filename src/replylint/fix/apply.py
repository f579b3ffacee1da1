"""Applying planned edits to a file's text, kept only if the text reads back as the fixed reply.

The edited text is read back with the same reader: every draft must come back as the expected
text (the edited ones with their edits applied, the others unchanged), otherwise the edits are
retried one by one and the offending ones skipped. So a fix never changes a byte outside the
reply text, nor corrupts the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..rewrite.compose import apply_changes
from ..sources import SourceError
from ..sources.base import Draft
from .plan import PlannedEdit, Skipped, choose


def apply(text: str, edits: Iterable[PlannedEdit]) -> str:
    """``text`` with ``edits`` (in file order, not overlapping) applied."""
    return apply_changes(text, edits)


def _expected(drafts: list[Draft], edits: list[PlannedEdit]) -> list[str]:
    """The draft texts once ``edits`` are applied."""
    by_draft: dict[int, list[PlannedEdit]] = {}
    for e in edits:
        by_draft.setdefault(e.draft, []).append(e)
    out: list[str] = []
    for i, d in enumerate(drafts):
        text = d.text
        parts: list[str] = []
        cursor = 0
        for e in by_draft.get(i, []):
            parts.append(text[cursor : e.draft_start])
            parts.append(e.replacement)
            cursor = e.draft_end
        parts.append(text[cursor:])
        out.append("".join(parts))
    return out


Read = Callable[[str], list[Draft]]


def _reads_back(read: Read, text: str, expected: list[str]) -> bool:
    try:
        drafts = read(text)
    except (SourceError, ValueError, IndexError, KeyError):
        return False
    # line breaks are compared as such: a "\n" in a replacement is written as the file's
    return [_one_newline(d.text) for d in drafts] == [_one_newline(t) for t in expected]


def _one_newline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def apply_checked(
    path: str, text: str, drafts: list[Draft], edits: list[PlannedEdit], read: Read
) -> tuple[str, list[PlannedEdit], list[Skipped]]:
    """Apply ``edits``, keeping only those whose result reads back as expected."""
    if not edits:
        return text, [], []
    new = apply(text, edits)
    if _reads_back(read, new, _expected(drafts, edits)):
        return new, edits, []
    kept: list[PlannedEdit] = []
    skipped: list[Skipped] = []
    for e in edits:
        trial = [*kept, e]
        if _reads_back(read, apply(text, trial), _expected(drafts, trial)):
            kept.append(e)
        else:
            s = choose(e.finding, unsafe=True)
            line, column = (s.line, s.column) if s is not None else (e.finding.line, 0)
            skipped.append(
                Skipped(
                    path,
                    line,
                    column,
                    e.finding.rule,
                    "the file would not read back as the fixed reply (the field cannot hold it)",
                )
            )
    return apply(text, kept), kept, skipped
