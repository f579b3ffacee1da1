"""Kind ``check``: the rule fires where its named Python check (``checks/``) says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import checks

if TYPE_CHECKING:
    from ...models import Rule
    from ..context import DocContext
    from ..hits import Hit


def hits(ctx: DocContext, rule: Rule) -> list[Hit]:
    """What the rule's check finds (an absence rule's ``check`` is not run)."""
    if not rule.check or rule.kind == "absence":
        return []
    return checks.CHECKS[rule.check](ctx, rule)
