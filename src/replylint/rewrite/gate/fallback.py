"""The gate's fallbacks and grades: the display-only template (a visible ``<slot>``) a
refused candidate of a builder falls back to (:data:`FALLBACKS`), and each candidate's honest
applicability (:func:`honest`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...models import SLOT_RE, Applicability
from ..edit import edit, opening_edit
from ..sentence_guard import name_said, own_end, with_name

if TYPE_CHECKING:
    from ...engine.context import DocContext
    from ...engine.hits import Edit, Hit
    from ...models import Rule


def _insert_at_opening(text: str) -> Callable[[DocContext, Rule, Hit], Edit | None]:
    def make(ctx: DocContext, rule: Rule, hit: Hit) -> Edit | None:
        from ..acknowledge import opening_place  # (at call time, as below)

        place = opening_place(ctx)
        if place is None:
            return None  # a later part of a thread
        at, drop = place
        desc = rule.rewrite.description if rule.rewrite is not None else ""
        return opening_edit(ctx, at, text, desc, Applicability.DISPLAY_ONLY, drop)

    return make


def _replace_sentence(text: str) -> Callable[[DocContext, Rule, Hit], Edit]:
    def make(ctx: DocContext, rule: Rule, hit: Hit) -> Edit:
        start, end = ctx.sentence_span(hit.sent)
        end = own_end(ctx.text, start, end)  # not a sign-off glued to it ("….-RM")
        return _fallback_edit(rule, start, end, with_name(text, name_said(ctx.text[start:end])))

    return make


def _fallback_edit(rule: Rule, start: int, end: int, text: str) -> Edit:
    desc = rule.rewrite.description if rule.rewrite is not None else ""
    return edit(start, end, text, desc, Applicability.DISPLAY_ONLY)


def _acknowledge_slot(ctx: DocContext, rule: Rule, hit: Hit) -> Edit | None:
    from ..acknowledge import slot  # (at call time: acknowledge imports gate.static)

    return slot(ctx, rule, hit)


FALLBACKS: dict[str, Callable[[DocContext, Rule, Hit], Edit | None]] = {
    # placed as the builder places it (after "Hi, there.", not in a thread's 2/2), or none
    # where the agent has no issue to fill in
    "acknowledge": _acknowledge_slot,
    "paraphrase": _insert_at_opening(
        "Just to make sure I understand: <the customer's issue, in your words>. Is that right? "
    ),
    "specific-apology": _replace_sentence("I'm sorry that <what happened>."),
    "policy-benefit": _replace_sentence(
        "<what you can't do, with the reason it helps the customer>."
    ),
    # soften has none: a slot asking to restate a sentence is not one an agent can fill
}


def fallback(ctx: DocContext, rule: Rule, hit: Hit) -> Edit | None:
    """The display-only template a refused candidate of ``rule`` falls back to, if it has
    one."""
    spec = rule.rewrite
    if spec is None or spec.builder is None:
        return None
    make = FALLBACKS.get(spec.builder)
    return make(ctx, rule, hit) if make is not None else None


def honest(e: Edit, origin: str) -> Edit:
    """The edit with an honest grade: slots are display-only; anything built from content is
    unsafe; ``safe`` only for a builder's deletion of a word (a grade the dynamic check then
    confirmed)."""
    if "<" in e.replacement and SLOT_RE.search(e.replacement):
        app = Applicability.DISPLAY_ONLY
    elif e.applicability is Applicability.SAFE and (len(e.replacement) > 1 or origin != "builder"):
        app = Applicability.UNSAFE  # safe: a deletion (and a capital letter), nothing new said
    else:
        app = e.applicability
    if app is e.applicability:
        return e
    return edit(e.start, e.end, e.replacement, e.description, app)
