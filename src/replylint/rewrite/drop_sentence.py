"""The drop-sentence builder: delete the writer's own story, or put a line about the customer
in its place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from ..params import DropSentence, params_of
from .edit import edit

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


def drop_sentence(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Delete the writer's own story, or replace it with a line about the customer."""
    assert rule.rewrite is not None
    start, end = ctx.sentence_span(hit.sent)
    # delete through the following spaces (but keep line structure)
    stop = end
    while stop < len(ctx.text) and ctx.text[stop] in " \t":
        stop += 1
    replacement = params_of(rule, DropSentence).replacement
    edits = [edit(start, stop, "", rule.rewrite.description, rule.rewrite.applicability)]
    if replacement:
        edits.append(
            edit(
                start,
                end,
                replacement,
                "Replace it with a line about the customer",
                rule.rewrite.applicability,
            )
        )
    return edits
