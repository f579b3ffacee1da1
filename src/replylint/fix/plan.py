"""Planning a file's edits: each finding's chosen suggestion as an edit of the decoded file text.

The draft span is mapped through the draft's offset map to the exact file span, and the
replacement is written for its context by the draft's encoder (JSON string escapes, YAML block
indentation, CSV quote doubling, HTML entities …). An edit that would cut through an escape or
remove markup between the words, that would change a placeholder, or that its context cannot
hold, is skipped and reported. Each draft's edits are composed (rewrite/compose.py):
overlapping edits wait for the next pass.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..models import Applicability, Finding, Suggestion
from ..placeholders import DEFAULT_PATTERN, mask
from ..rewrite.compose import arrange
from ..sources.base import Draft


@dataclass(frozen=True)
class Skipped:
    """A suggestion that was not applied, and why."""

    path: str
    line: int
    column: int
    rule: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.rule}: not fixed: {self.reason}"


def eligible(s: Suggestion, *, unsafe: bool) -> bool:
    """Whether ``s`` may be applied: never display-only ones nor any with a ``<slot>``."""
    if s.applicability is Applicability.DISPLAY_ONLY or s.has_slots:
        return False
    return unsafe or s.applicability is Applicability.SAFE


def choose(finding: Finding, *, unsafe: bool) -> Suggestion | None:
    """The first suggestion of ``finding`` that may be applied."""
    return next((s for s in finding.suggestions if eligible(s, unsafe=unsafe)), None)


def newline_of(text: str) -> str:
    """The file's line ending: the first one in it (``\\n`` when there is none)."""
    for i, c in enumerate(text):
        if c == "\n":
            return "\n"
        if c == "\r":
            return "\r\n" if text.startswith("\n", i + 1) else "\r"
    return "\n"


def file_span(draft: Draft, start: int, end: int) -> tuple[int, int] | str:
    """The decoded-file span the draft span [start, end) stands for, or why it has none that
    can be replaced: a boundary inside an escape, an entity or a code span, or markup between
    the words (which replacing the span would remove)."""
    segments = draft.offsets.segments
    starts = [s[0] for s in segments]
    for pos in {start, end}:
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0:
            s0, d0, sl, dl = segments[k]
            if s0 < pos < s0 + sl and sl != dl and dl > 0:
                return "it cuts through an escape, an entity or a code span"
    if end > start:
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        prev_end: int | None = None
        text = draft.lines.text
        for s0, d0, sl, dl in segments[first:]:
            if s0 >= end:
                break
            if s0 + sl <= start:
                continue
            if prev_end is not None and (d0 < prev_end or text[prev_end:d0].strip()):
                return "it spans markup or quoted text that the fix would remove"
            prev_end = d0 + dl
    return draft.offsets.span_to_original(start, end)


@dataclass(frozen=True)
class PlannedEdit:
    """One planned edit of a file's decoded text (the engine's ``Edit`` is of a draft's text)."""

    start: int  # file span (decoded text)
    end: int
    text: str  # encoded for the file
    draft: int  # index of the draft
    draft_start: int
    draft_end: int
    replacement: str  # as the draft reads it
    finding: Finding


def placeholder_spans(
    text: str, pattern: re.Pattern[str] = DEFAULT_PATTERN
) -> list[tuple[int, int]]:
    """The spans of ``text`` (a draft) that are placeholders or template tags, as the masker
    finds them (with the same ``pattern``): text no fix may change."""
    masked = mask(text, pattern)
    spans = [masked.offsets.span_to_original(s, e) for s, e in masked.placeholders]
    # a template tag ({% if … %}) is masked as nothing: a segment of no parsed text
    spans += [(d, d + dl) for s, d, sl, dl in masked.offsets.segments if sl == 0 and dl > 0]
    return sorted(spans)


def touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the edit of [start, end) (an insertion if start == end) would change or split
    one of ``spans``: it overlaps one, or inserts strictly inside one."""
    if start == end:
        return any(s < start < e for s, e in spans)
    return any(s < end and start < e for s, e in spans)


def _keeps_placeholders(
    text: str, spans: list[tuple[int, int]], s: Suggestion, pattern: re.Pattern[str]
) -> bool:
    """Whether every placeholder of ``text`` is still found, as written, once ``s`` is applied
    (the replacement cannot join one with its neighbour into another)."""
    new = text[: s.start] + s.replacement + text[s.end :]
    after = Counter(new[a:b] for a, b in placeholder_spans(new, pattern))
    return not Counter(text[a:b] for a, b in spans) - after


def plan_edits(
    path: str,
    text: str,
    drafts: list[Draft],
    findings: list[tuple[int, Finding]],
    *,
    unsafe: bool,
    placeholders: re.Pattern[str] = DEFAULT_PATTERN,
    budget_of: Callable[[int], int | None] | None = None,
) -> tuple[list[PlannedEdit], list[Skipped], int]:
    """The edits of ``findings`` (each with the index of its draft) in file order, with
    overlapping ones left out; the suggestions skipped and why; how many need ``--unsafe``.
    An edit that would change a placeholder of its draft (found with ``placeholders``, the
    linter's pattern) is never planned, whatever built it. Each draft's edits are arranged by
    the composer (:func:`replylint.rewrite.compose.arrange`: placed by the draft's shape,
    ordered, one acknowledgement and apology, nothing repeated, within ``budget_of(draft)``
    characters, the seams fixed)."""
    newline = newline_of(text)
    edits: list[PlannedEdit] = []
    skipped: list[Skipped] = []
    hidden = 0
    protected: dict[int, list[tuple[int, int]]] = {}

    def skip(f: Finding, s: Suggestion, reason: str) -> None:
        skipped.append(Skipped(path, s.line, s.column, f.rule, reason))

    by_draft: dict[int, list[Finding]] = {}
    for index, f in findings:
        if choose(f, unsafe=unsafe) is None:
            if not unsafe and choose(f, unsafe=True) is not None:
                hidden += 1
            continue
        by_draft.setdefault(index, []).append(f)
    for index, chosen in by_draft.items():
        draft = drafts[index]
        # the composer places, orders and filters the draft's edits (rewrite/compose.py):
        # overlapping ones wait for the next pass
        changes, left = arrange(
            draft.text,
            chosen,
            choose=lambda f: choose(f, unsafe=unsafe),
            budget=budget_of(index) if budget_of is not None else None,
        )
        for x in left:
            skip(x.finding, x.suggestion, x.reason)
        if index not in protected:
            protected[index] = placeholder_spans(draft.text, placeholders)
        for c in changes:
            f, s = c.finding, c.suggestion
            placed = s.model_copy(update={"start": c.start, "end": c.end, "replacement": c.text})
            if touches(protected[index], c.start, c.end) or not _keeps_placeholders(
                draft.text, protected[index], placed, placeholders
            ):
                skip(f, s, "it would change a placeholder")
                continue
            if draft.encode is None:
                skip(f, s, "this kind of file cannot be fixed in place")
                continue
            span = file_span(draft, c.start, c.end)
            if isinstance(span, str):
                skip(f, s, span)
                continue
            encoded = draft.encode(c.text, newline)
            if encoded is None:
                skip(f, s, "the replacement cannot be written safely in this field")
                continue
            edits.append(PlannedEdit(*span, encoded, index, c.start, c.end, c.text, f))
    edits.sort(key=lambda e: (e.start, e.end))
    return edits, skipped, hidden
