"""The paraphrase builder: ask the agent to say the customer's issue back in their own words.

Only the slot: a paraphrase built from the customer's own clause, perspective flipped ("Just to
make sure I understand: you were charged twice. Is that right?"), was sendable once in seven on
blind review 18o (fragments, words fused across line breaks, the customer's joke or self-blame
said back), as apologies built from a clause were 16 times in 45 (18j-18n). The agent, who has
read the message, fills the slot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from .acknowledge import opening_place
from .edit import edit, opening_edit

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


PARAPHRASE_SLOT = "<the customer's issue, in your words>"
SENTENCE = f"Just to make sure I understand: {PARAPHRASE_SLOT}. Is that right?"


def paraphrase(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    # after an acknowledgement that opens the body, otherwise at the start of the body
    first = ctx.sent_index(ctx.body_start)
    if any(h.sent == first for h in ctx.signal("acknowledgement")):
        sent = ctx.sents[first]
        at = sent.start_char + len(sent.text.rstrip())
        return [edit(at, at, " " + SENTENCE, desc, app)]
    # where the acknowledgement would go: after the greeting's name and a thanks or welcome
    # that opens the body (never "Hi Ana, Just to make sure …")
    place = opening_place(ctx)
    if place is None:
        return []  # a later part of a thread
    at, drop = place
    return [opening_edit(ctx, at, SENTENCE + " ", desc, app, drop)]
