"""The check-back builder: after the reply's last sentence, invite the customer to say whether
the fix worked; after a refusal, an invitation that promises nothing ("I'll take care of it"
would promise what the reply has just refused)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Rule
from ..params import CheckBack, params_of
from .edit import edit
from .gate import REFUSAL

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


def check_back(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    texts = params_of(rule, CheckBack)
    refuses = bool(ctx.signal("refusal")) or REFUSAL.search(ctx.text) is not None
    text = texts.after_refusal if refuses else texts.text
    at = ctx.sentence_span(hit.sent)[1]
    return [edit(at, at, " " + text, rule.rewrite.description, rule.rewrite.applicability)]
