"""Placing findings in the file: the one place where a finding gets its position.

The engine's findings are draft-relative (``start``/``end`` into the draft's text; line and
column 0, no excerpt), wherever they come from: this process, a worker process, the cache.
:func:`place` gives them their line, column, end, excerpt, draft title and the positions of
their suggestions in the file the draft was read from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Finding, Suggestion

if TYPE_CHECKING:
    from ..sources.base import Draft


def place(findings: list[Finding], draft: Draft) -> list[Finding]:
    """``findings`` (offsets into ``draft``'s text) placed in ``draft``'s file, sorted.

    A finding already placed there is returned as it is, not copied: re-placing the findings
    of an unchanged draft after an edit elsewhere in its file (the fixer) moves only those
    the edit moved."""
    out = [_placed(f, draft) for f in findings]
    out.sort(key=Finding.sort_key)
    return out


def _placed(f: Finding, draft: Draft) -> Finding:
    position = draft.locate(f.start, f.end)
    fs, fe = draft.offsets.span_to_original(f.start, f.end)
    excerpt = draft.lines.text[fs:fe]
    suggestions = [_placed_suggestion(s, draft) for s in f.suggestions]
    if (
        (f.line, f.column, f.end_line, f.end_column) == position
        and f.excerpt == excerpt
        and f.draft == draft.title
        and all(a is b for a, b in zip(suggestions, f.suggestions, strict=True))
    ):
        return f
    line, column, end_line, end_column = position
    return f.model_copy(
        update={
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "excerpt": excerpt,
            "draft": draft.title,
            "suggestions": suggestions,
        }
    )


def _placed_suggestion(s: Suggestion, draft: Draft) -> Suggestion:
    position = draft.locate(s.start, s.end)
    if (s.line, s.column, s.end_line, s.end_column) == position:
        return s
    line, column, end_line, end_column = position
    return s.model_copy(
        update={"line": line, "column": column, "end_line": end_line, "end_column": end_column}
    )
