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
    if _runs_on(ctx.text, end):
        return []  # the sentence goes on past a line break ("… use autofs in / a container."):
        # half of it deleted leaves a fragment (blind review 18r; fixed after it, not blind)
    if ctx.text[:end].rstrip().endswith(":"):
        return []  # it introduces what follows ("I added the package to my images via:" and
        # the lines to paste): deleted, the block is orphaned (blind review 18t)
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


def _runs_on(text: str, end: int) -> bool:
    """Whether the sentence ending at ``end`` stops without its punctuation and the text goes
    on in lower case after the line break: the segmenter cut it in two."""
    said = text[:end].rstrip()
    rest = text[end:].lstrip()
    return bool(said) and said[-1] not in ".!?:;)\"'’”" and rest[:1].islower()
