"""The greeting builder: open with "Hi <name>," (or the helpdesk's own name placeholder)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from .edit import edit

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


def greeting(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """ "Hi <name>," — or the helpdesk's own name placeholder when the draft uses one."""
    assert rule.rewrite is not None
    name = ctx.masked.customer_name_placeholder() or "<name>"
    at = hit.start
    return [edit(at, at, f"Hi {name},\n\n", rule.rewrite.description, rule.rewrite.applicability)]
