"""The check-back builder: after the reply's last sentence, invite the customer to say whether
the fix worked; after a refusal, an invitation that promises nothing ("I'll take care of it"
would promise what the reply has just refused)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Rule
from ..params import CheckBack, params_of
from .edit import edit
from .placement import closing_point

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


# the writer refusing, where the refusal signal may not see it ("… but can't pay for the class")
_REFUSES = re.compile(
    r"\b(?:we|i|we're|i'm|we are|i am)\s+(?:(?:really|just|afraid|sadly)\s+)?"
    r"(?:can't|cannot|can not|unable|not able|won't be able|aren't able)\b"
    r"|(?:\bbut|[,;])\s+(?:we\s+)?(?:can't|cannot|are unable to)\b",
    re.IGNORECASE,
)


def check_back(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    texts = params_of(rule, CheckBack)
    refuses = bool(ctx.signal("refusal")) or _REFUSES.search(ctx.text) is not None
    text = texts.after_refusal if refuses else texts.text
    at = ctx.sentence_span(hit.sent)[1]
    # at the end of the reply's body (before the sign-off, the initials, quoted text): never
    # after step 1 of a list or before the link line that ends the body
    closing = closing_point(ctx.text)
    if closing > at and not _SIGNATURE.fullmatch(ctx.text, at, closing):
        at = closing  # (not past a tweet's "-KB" the masked text keeps)
    line = ctx.text[ctx.text.rfind("\n", 0, at) + 1 : at]
    if _LINK_LINE.fullmatch(line):  # a link on its own line: the question on a line after it
        lead = "\n"
    elif (
        at > 0
        and ctx.text[at - 1].isalnum()
        and not _LINK_END.search(line)
        and not any(ps < at <= pe for ps, pe in ctx.masked.placeholders)
    ):  # "Check the deleted folder" + ". Does …" (not after a link or a placeholder)
        lead = ". "
    else:
        lead = " "
    return [edit(at, at, lead + text, rule.rewrite.description, rule.rewrite.applicability)]


_SIGNATURE = re.compile(r"\s*[-–—~^*]\s?[A-Za-z][\w.]{0,15}(?:\s[A-Z][\w.]{0,15})?\s*")
_LINK_END = re.compile(r"(?:://|www\.|/)\S*$")
_LINK_LINE = re.compile(r"\s*(?:[-*•]\s*)?(?:<?https?://|www\.)\S+\s*")
