"""The acknowledge builder: open the reply with an apology that names the issue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from .edit import edit
from .issue import reply_issue
from .perspective import customer_complaint

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


ISSUE_SLOT = "<the issue>"
FRUSTRATING = "I can see why that's frustrating."


def acknowledge(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Open with "I'm sorry <the issue> — I can see why that's frustrating."; when the issue is
    the body's own first sentence (a refusal, a delay), that sentence becomes the apology."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    at = ctx.body_start
    complaint = customer_complaint(ctx)
    if complaint:
        return [edit(at, at, f"I'm sorry {complaint} — {FRUSTRATING} ", desc, app)]
    issue, index = reply_issue(ctx)
    if issue is None or index is None:
        return [edit(at, at, f"I'm sorry about {ISSUE_SLOT} — {FRUSTRATING} ", desc, app)]
    if index == ctx.sent_index(at) and not issue.startswith("about "):
        start, end = ctx.sentence_span(index, at)
        return [edit(start, end, f"I'm sorry {issue} — {FRUSTRATING}", desc, app)]
    return [edit(at, at, f"I'm sorry {issue} — {FRUSTRATING} ", desc, app)]
