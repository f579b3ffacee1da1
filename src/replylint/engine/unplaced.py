"""A draft's raw findings (masked-text offsets, edits) as the engine's draft-relative
:class:`~replylint.models.Finding` objects, before ``place.py`` gives them their positions in
the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Finding, Suggestion

if TYPE_CHECKING:
    from ..models import Rule, Severity
    from ..placeholders import Masked
    from .hits import RawFinding


def rule_finding(
    rule: Rule,
    start: int,
    end: int,
    suggestions: list[Suggestion] | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of ``rule`` over draft offsets ``[start, end)``, not placed yet (``place.py``
    gives it its line, column and excerpt), at ``severity`` when given (a weak finding of an
    absence rule with ``strong`` evidence), else the rule's."""
    return Finding(
        rule=rule.id,
        severity=severity or rule.severity,
        category=rule.category,
        message=rule.message,
        excerpt="",
        suggestions=suggestions or [],
        start=start,
        end=end,
        line=0,
        column=0,
        end_line=0,
        end_column=0,
    )


def unplaced(masked: Masked, raw: list[RawFinding]) -> list[Finding]:
    """Raw findings as draft-relative findings: offsets into the draft's text (mapped back
    from the masked text), one per rule and span, in text order; placed by ``place.py``."""
    out: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for r in raw:
        start, end = masked.offsets.span_to_original(r.start, r.end)
        if (r.rule.id, start, end) in seen:
            continue
        seen.add((r.rule.id, start, end))
        suggestions = []
        for e in r.edits:
            s_start, s_end = masked.edit_to_original(e.start, e.end)
            replacement = e.replacement
            if s_start == s_end:
                replacement = spaced(masked.original, s_start, replacement)
            suggestions.append(
                Suggestion(
                    replacement=replacement,
                    description=e.description,
                    applicability=e.applicability,
                    start=s_start,
                    end=s_end,
                    line=0,
                    column=0,
                    end_line=0,
                    end_column=0,
                )
            )
        out.append(rule_finding(r.rule, start, end, suggestions, r.severity))
    out.sort(key=lambda f: (f.start, -f.severity.rank, f.rule))  # Finding.sort_key in a draft
    return out


_CLOSES = tuple(".,;:!?)]}…'\"’”")


def spaced(text: str, at: int, new: str) -> str:
    """An insertion of ``new`` at ``at`` of ``text`` as it must be typed there, applied on its
    own (a JSON or SARIF consumer, an editor's quick fix apply it as is): a space between it
    and a word or sentence end before it, none left dangling before a space or the end, and
    one before a word after it. ("…advisement." + "I'm sorry …. " became "advisement.I'm
    sorry …. " at the end of a tweet.) The composer gives the same text when it applies
    several at once."""
    before = text[at - 1] if at > 0 else ""
    after = text[at] if at < len(text) else ""
    if before and not before.isspace() and not new.startswith((" ", "\n", *_CLOSES)):
        new = " " + new
    if new.endswith(" ") and (not after or after.isspace()):
        new = new.rstrip(" ")
    elif after and not after.isspace() and not new.endswith((" ", "\n")) and after not in _CLOSES:
        new = new + " "
    return new
