"""What the engine, the checks and the rewrites say to each other: hits, edits, raw findings.

A leaf module: it imports nothing of the engine, so ``checks/`` and ``rewrite`` can use these
types at run time without importing the engine's machinery.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import Applicability, Rule, Severity


@dataclass
class Hit:
    """A match in the masked text: character span, sentence index and optional payload."""

    start: int
    end: int
    sent: int
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Edit:
    """A proposed change of the masked text (an insertion has start == end)."""

    start: int
    end: int
    replacement: str
    description: str
    applicability: Applicability


@dataclass
class RawFinding:
    """A rule's finding in the masked text, with its suggestions (before it is mapped back to
    the draft and placed in the file)."""

    rule: Rule
    start: int
    end: int
    edits: list[Edit]
    severity: Severity | None = None  # lower than the rule's (its ``weak_severity``), or None


class NeedParse(Exception):
    """Raised while the engine collects a batch's parse requests: ask again once they are
    parsed (see ``engine/parse.py``)."""


def merge(hits: list[Hit]) -> list[Hit]:
    """Merge overlapping hits into one span ("It's only a" + "only a small"); text order."""
    merged: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if merged and h.start < merged[-1].end:
            last = merged[-1]
            if h.end > last.end:
                merged[-1] = Hit(last.start, h.end, last.sent, last.data)
            continue
        merged.append(h)
    return merged


class Windows:
    """Hits (merged: in text order, not overlapping) indexed to answer "is one of them in this
    window of a hit?" (an ``unless`` window) in logarithmic time."""

    def __init__(self, hits: list[Hit], parts: list[int] | None = None) -> None:
        self.any = bool(hits)
        self.ends = [h.end for h in hits]  # ascending, since merged hits do not overlap
        self.starts = [h.start for h in hits]
        self.sents = {h.sent for h in hits}
        # the part of the text each sentence is in, where one context holds several texts
        # (the gate's re-lint windows, told apart by "---"): "document" is the hit's part
        self.parts = parts
        self.in_parts = {parts[h.sent] for h in hits} if parts is not None else set()

    def near(self, window: str, hit: Hit) -> bool:
        if window == "overlap":  # one ending after the hit starts, starting before it ends
            i = bisect.bisect_right(self.ends, hit.start)
            return i < len(self.ends) and self.starts[i] < hit.end
        if window == "sentence":
            return hit.sent in self.sents
        if window == "sentence+next":
            return hit.sent in self.sents or hit.sent + 1 in self.sents
        if window == "sentence+previous":
            return hit.sent - 1 in self.sents or hit.sent in self.sents
        if self.parts is not None:  # document: the hit's own part of the text
            return self.parts[hit.sent] in self.in_parts
        return self.any  # document
