"""The specific-apology builder: a stock or conditional apology becomes one that names what
happened."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Rule
from .edit import edit
from .issue import follows, reply_issue
from .perspective import customer_complaint
from .sentence_guard import name_said, with_name

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


_CONDITIONAL_APOLOGY = re.compile(
    r"(?:sorry|apologi[sz]e|apologies)\s+if\s+(?:you\s+(?:feel|felt|think|thought)\s+(?:that\s+)?)?"
    r"(.+?)[.!]*$",
    re.IGNORECASE,
)


def specific_apology(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Replace a stock or non-apology with one that names what happened."""
    assert rule.rewrite is not None
    start, end = ctx.sentence_span(hit.sent)
    # "sorry if you feel that the service was slow" -> "I'm sorry the service was slow."
    own = _CONDITIONAL_APOLOGY.search(ctx.source(hit.start, end))
    issue: str | None = None
    if own:
        clause = re.sub(r"\bcaused any\b", "caused", own.group(1).strip())
        if re.search(
            r"\b(?:was|were|is|are|has|have|had|did|caused|came|seemed|took|made|"
            r"got|went|didn't|wasn't|weren't|\w+ed)\b",
            clause,
        ):
            issue = clause
    issue = issue or customer_complaint(ctx)
    if not issue:
        found, sent = reply_issue(ctx, skip_sentence=hit.sent)
        if found is not None and sent is not None and not follows(ctx, end, sent):
            issue = found  # (not the sentence right after: it would say the same again)
    text = f"I'm sorry {issue}." if issue else "I'm sorry that <what happened>."
    text = with_name(text, name_said(ctx.text[start:end]))
    return [edit(start, end, text, rule.rewrite.description, rule.rewrite.applicability)]
