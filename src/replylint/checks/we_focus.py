"""we-focus: the reply talks about us far more than about the customer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from ..params import WeFocus, params_of

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Hit


def we_focus(ctx: DocContext, rule: Rule) -> list[Hit]:
    """First-person words number at least ``min_first`` and more than ``ratio`` times the
    second-person words; points at the sentence with the most first-person words."""
    params = params_of(rule, WeFocus)
    first, second = params.first_person, params.second_person
    lowers = ctx.lowers
    # (not the "I" of "I/O": blind review 19aa)
    mine = [
        w in first and not (w == "i" and lowers[k + 1 : k + 2] == ["/"])
        for k, w in enumerate(lowers)
    ]
    counts = [sum(mine[s.start : s.end]) for s in ctx.sents]
    n_first = sum(counts)
    n_second = sum(1 for w in lowers if w in second)
    if n_first < params.min_first or n_first <= params.ratio * n_second:
        return []
    index = max(range(len(counts)), key=lambda k: counts[k])
    return [ctx.hit(*ctx.sentence_span(index))]
