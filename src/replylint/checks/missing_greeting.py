"""missing-greeting: the reply's first line is not a greeting (the lexicon's, structure.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from ..structure import first_line

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Hit


def missing_greeting(ctx: DocContext, rule: Rule) -> list[Hit]:
    """The first non-blank line is not a greeting; points at it, up to its first sentence's
    end."""
    if ctx.greeting is not None:
        return []
    line = first_line(ctx.text)
    if line is None:
        return []
    sent_end = ctx.sentence_span(ctx.sent_index(line[0]), line[0])[1]
    return [ctx.hit(line[0], min(line[1], sent_end))]
