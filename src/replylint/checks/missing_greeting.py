"""missing-greeting: the reply's first line is not a greeting (the lexicon's, structure.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Rule
from ..structure import first_line

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Hit


# A short list item: "• Austria", "- EUR", "3. Passport" (a name, not a step).
_SHORT_ITEM = re.compile(r"^[ \t]*(?:[•·▪◦*-]|\d{1,2}[.)])[ \t]+\S.{0,29}$")
REFERENCE_LIST_ITEMS = 6


def reference_list(text: str) -> bool:
    """Whether ``text`` is mostly a reference list (six or more short items, at least half of
    its non-blank lines): a knowledge snippet an agent drops into a conversation ("You can pay
    in these currencies: • EUR • GBP …"), a paragraph of a reply rather than a reply, so it has
    no greeting of its own. Steps ("1. Open Settings and tap Billing …") are longer than an
    item of reference."""
    lines = [line for line in text.splitlines() if line.strip()]
    items = sum(1 for line in lines if _SHORT_ITEM.match(line))
    return items >= REFERENCE_LIST_ITEMS and 2 * items >= len(lines)


def missing_greeting(ctx: DocContext, rule: Rule) -> list[Hit]:
    """The first non-blank line is not a greeting; points at it, up to its first sentence's
    end. Not on a reference list (:func:`reference_list`); the rule's ``unless`` excuses the
    other shapes that are not a whole reply (issue-tracker comments, definitions)."""
    if ctx.greeting is not None or reference_list(ctx.text):
        return []
    line = first_line(ctx.text)
    if line is None:
        return []
    sent_end = ctx.sentence_span(ctx.sent_index(line[0]), line[0])[1]
    return [ctx.hit(line[0], min(line[1], sent_end))]
