"""The acknowledge builder: open the reply with an apology that names the issue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from ..structure import social_structure
from .edit import opening_edit
from .gate import REFUSAL as _REFUSAL
from .issue import follows, reply_issue
from .perspective import customer_complaint
from .placement import after_greeting_name, after_thread_marker

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


ISSUE_SLOT = "<the issue>"


def acknowledge(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Open the body with "I'm sorry <the issue>.": the customer's own complaint with the
    perspective flipped ("I'm sorry you were charged twice."), else the issue's noun phrase
    from the reply ("I'm sorry about the delay with your order."), else the reply's own
    clause where it is no refusal ("I'm sorry your parcel was delayed at the depot."), else a
    slot. The acknowledgement is inserted: the draft's own sentences stay as they are."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    at = ctx.body_start
    # after the name that ends the greeting ("Hello, Chris."), and a tweet's "1:" marker
    at = after_greeting_name(ctx.text, at)
    if at == 0 and social_structure(ctx.masked.original).handles:
        at = after_thread_marker(ctx.text, at)
    while at < len(ctx.text) and ctx.text[at] in " \t":
        at += 1
    complaint = customer_complaint(ctx)
    if complaint:
        return [opening_edit(ctx, at, f"I'm sorry {complaint}. ", desc, app)]
    issue, sent = reply_issue(ctx)
    if (
        issue is not None
        and sent is not None
        and (issue.startswith("about ") or not _REFUSAL.search(issue))
        and not follows(ctx, at, sent)
    ):
        return [opening_edit(ctx, at, f"I'm sorry {issue}. ", desc, app)]
    return [opening_edit(ctx, at, f"I'm sorry about {ISSUE_SLOT}. ", desc, app)]
