"""The paraphrase builder: say the customer's issue back to them and ask if that is right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from .acknowledge import opening_place
from .edit import edit, opening_edit
from .perspective import customer_complaint

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


PARAPHRASE_SLOT = "<the customer's issue, in your words>"


def paraphrase(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    complaint = customer_complaint(ctx) or PARAPHRASE_SLOT
    sentence = f"Just to make sure I understand: {complaint}. Is that right?"
    # after an acknowledgement that opens the body, otherwise at the start of the body
    first = ctx.sent_index(ctx.body_start)
    if any(h.sent == first for h in ctx.signal("acknowledgement")):
        sent = ctx.sents[first]
        at = sent.start_char + len(sent.text.rstrip())
        return [edit(at, at, " " + sentence, rule.rewrite.description, rule.rewrite.applicability)]
    # where the acknowledgement would go: after the greeting's name and a thanks or welcome
    # that opens the body (never "Hi Ana, Just to make sure …")
    place = opening_place(ctx)
    if place is None:
        return []  # a later part of a thread
    at, drop = place
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    return [opening_edit(ctx, at, sentence + " ", desc, app, drop)]
