"""Kind ``absence``: the rule fires once when its trigger is present and what it requires is
not (in the draft, or for ``customer_signals``, in the customer's message), and no ``unless``
window of the rule excuses the sentence it would point at (``window: document``: anywhere).
A rule with ``strong`` evidence keeps its severity only where that evidence is present; its
finding elsewhere carries ``weak_severity`` (the hit's ``severity`` data), or is not made
(``weak_severity: off``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...models import Rule
    from ..context import DocContext
    from ..hits import Hit


def hits(ctx: DocContext, rule: Rule) -> list[Hit]:
    """One hit, on the sentence the rule's ``anchor`` names, or none."""
    if not ctx.sents:
        return []  # an empty draft: no sentence to point at (nor anything missing from it)
    owner = f"rule:{rule.id}"
    short = rule.min_words is not None and ctx.words < rule.min_words
    if short and not (rule.or_customer and ctx.customer is not None):
        return []
    key = ctx.compiled.key
    if ctx.cheap_hit(key(owner, "require")):
        return []  # what the rule asks for is there: no need to look for its trigger
    triggers = list(ctx.spec_hits(key(owner, "trigger")))
    triggered = ctx.present(key(owner, "trigger"))
    all_of = [key(owner, f"trigger_all{i}") for i in range(len(rule.trigger_all))]
    if all_of and all(ctx.present(k) for k in all_of):
        triggered = True
        triggers.extend(ctx.spec_hits(all_of[-1]))
    if not triggered or ctx.present(key(owner, "require")):
        return []
    if triggers and rule.anchor != "body-start":
        chosen = (
            min(triggers, key=lambda h: h.start)
            if rule.anchor == "first-trigger"
            else max(triggers, key=lambda h: h.start)
        )
        found = [ctx.hit(*ctx.sentence_span(chosen.sent))]
    else:
        span = ctx.body_first_sentence() or ctx.sentence_span(0)
        found = [ctx.hit(*span)] if span[1] > span[0] else []
    found = [h for h in found if not ctx.excused(h, owner, rule.unless)]
    if found and rule.strong is not None and not ctx.present(key(owner, "strong")):
        weak = rule.weak_severity
        if weak == "off":
            return []
        found = [ctx.hit(h.start, h.end, **h.data, severity=weak) for h in found]
    return found
