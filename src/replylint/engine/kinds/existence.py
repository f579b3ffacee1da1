"""Kind ``existence``: the rule fires where its ``match`` spec matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...models import Rule
    from ..context import DocContext
    from ..hits import Hit


def hits(ctx: DocContext, rule: Rule) -> list[Hit]:
    """Where the rule's ``match`` spec matches (any rule may have one)."""
    if rule.match is None:
        return []
    return ctx.spec_hits(ctx.compiled.key(f"rule:{rule.id}", "match"))
