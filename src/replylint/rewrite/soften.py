"""The soften builder: delete a condescending adverb or aside, or leave a slot for a patient
restatement."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from ..models import Applicability, Rule
from ..params import Soften, params_of
from ..rulebook import REGEX_BUDGET, budgeted
from .edit import edit
from .placement import capitalised

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


_ASIDE_TAIL = re.compile(
    r"\s+(?:to\s+(?:you|u|him|her|them)\s+)?"
    r"(?:in|on|at|over|during|by|via|before|earlier|yesterday|last|previously|already)\b"
    r"[^,.;:!?\n]{0,40}(?=[,:])"
)
# what goes on from a deleted aside it was not cut from ("As I said | to you before [2] …"):
# the deletion would leave "To you before [2], …" (blind review 18s; fixed after it, not blind)
_GOES_ON = re.compile(r"\s*(?:to|in|on|at|with|for|about|from|before|by|over|during|via)\b")


@cache
def _deletable(pattern: str) -> Any:
    return budgeted(pattern)


def _whole(pattern: str, text: str) -> bool:
    """Whether ``pattern`` (a rule's ``deletable`` param, from a user's rule too) matches all
    of ``text``; under the regex budget (over it, the suggestion is dropped: see suggest)."""
    return _deletable(pattern).fullmatch(text, timeout=REGEX_BUDGET) is not None


def soften(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Delete a condescending adverb or aside ("Obviously, ", "as I already said, "); give other
    phrases a slot for a patient restatement."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    matched = ctx.text[hit.start : hit.end].lower()
    if any(_whole(p, matched) for p in params_of(rule, Soften).deletable):
        # the edit's span is in the parsed text: it never reaches into a placeholder or across
        # a removed template tag (a placeholder's parsed word and its draft text differ in length)
        end = hit.end
        # the rest of an aside up to its comma ("As I already explained in my last email, "):
        # deleting only its head would leave "In my last email, you …"
        aside = _ASIDE_TAIL.match(ctx.text, end)
        if aside and _as_typed(ctx, hit.start, aside.end()):
            end = aside.end()
        elif _GOES_ON.match(ctx.text, end):
            return []
        while end < len(ctx.text) and ctx.text[end] in ",: " and _as_typed(ctx, hit.start, end + 1):
            end += 1
        start = hit.start
        sent_start, sent_end = ctx.sentence_span(hit.sent)
        at_start = not ctx.text[sent_start : hit.start].strip()
        tail = ctx.text[hit.end : sent_end]
        if _TAG_END.fullmatch(
            tail
        ):  # a tag that closes the sentence ("…, and surely we don't want that!")
            return _tag_deleted(ctx, hit, sent_start, sent_end, at_start, desc, app)
        if not at_start:  # keep one space between the neighbours
            while (
                start > sent_start and ctx.text[start - 1] == " " and _as_typed(ctx, start - 1, end)
            ):
                start -= 1
            return [edit(start, end, " " if end < len(ctx.text) else "", desc, app)]
        word = re.match(r"\w+", ctx.text[end:])  # the word that now starts the sentence
        if word and _as_typed(ctx, start, end + word.end()):
            capital = capitalised(ctx.source(end, end + word.end()))
            if capital is not None:
                return [edit(start, end + 1, capital, desc, Applicability.SAFE)]
        return [edit(start, end, "", desc, Applicability.SAFE)]
    # "just simply reply": delete the put-down words before the verb, keep the verb
    prefix = _deletable_prefix(rule, matched)
    if prefix and _as_typed(ctx, hit.start, hit.start + prefix):
        start = hit.start
        sent_start = ctx.sentence_span(hit.sent)[0]
        if ctx.text[sent_start : hit.start].strip():  # mid-sentence: "…, just simply reply"
            return [edit(start, start + prefix, "", desc, app)]
        capital = capitalised(matched[prefix:].split(" ")[0])  # "Just simply reply" -> "Reply"
        if capital is not None and _as_typed(ctx, start, start + prefix + 1):
            return [edit(start, start + prefix + 1, capital, desc, app)]
    # "you can simply click": the put-down word inside the phrase goes, the rest stays
    inner = _deletable_inner(rule, matched)
    if inner is not None and _as_typed(ctx, hit.start + inner[0], hit.start + inner[1]):
        return [edit(hit.start + inner[0], hit.start + inner[1], "", desc, app)]
    # no put-down word to delete: a slot asking to restate the sentence is not one an agent can
    # fill, and it would drop the sentence's facts (blind review 18b), so none is offered
    return []


_TAG_END = re.compile(r"\s*[.!?…]*\s*")
_TAG_HEAD = re.compile(
    r"(?:\s*[,;—–-]\s*(?:(?:and|but|so)\s+)?|\s+(?:and|but|so)\s+)$", re.IGNORECASE
)


def _tag_deleted(
    ctx: DocContext,
    hit: Hit,
    sent_start: int,
    sent_end: int,
    at_start: bool,
    desc: str,
    app: Applicability,
) -> list[Edit]:
    """Delete a sarcastic tag that closes its sentence with the comma and conjunction that join
    it ("…suspension of your account, and surely we don't want that!" -> "…of your account.");
    a sentence that is all tag ("We wouldn't want that, would we?") goes whole."""
    if at_start:
        end = sent_end
        while end < len(ctx.text) and ctx.text[end] in " \t":
            end += 1
        if not _as_typed(ctx, sent_start, end):
            return []
        return [edit(sent_start, end, "", desc, app)]
    head = _TAG_HEAD.search(ctx.text, sent_start, hit.start)
    if head is None:
        return []
    start = head.start()
    end = sent_end
    while end > hit.end and ctx.text[end - 1].isspace():
        end -= 1
    if not _as_typed(ctx, start, end):
        return []
    return [edit(start, end, ".", desc, app)]


def _deletable_inner(rule: Rule, matched: str) -> tuple[int, int] | None:
    """The span of a deletable word (an adverb: no wildcard) inside ``matched``, after a space,
    with the space before it ("you can simply click" -> " simply"); None when none is."""
    for p in params_of(rule, Soften).deletable:
        if ".*" in p or not re.fullmatch(r"[a-z]+", p):
            continue
        m = re.search(rf"\s{p}\b(?=\s)", matched)
        if m is not None:
            return m.start(), m.end()
    return None


def _deletable_prefix(rule: Rule, matched: str) -> int:
    """The length of a deletable phrase (an adverb: no wildcard) that opens ``matched``, with
    the space after it, where a word is left after it ("just simply reply" -> "just simply ");
    0 when none does."""
    best = 0
    spaces = [k for k, c in enumerate(matched) if c == " " and matched[k + 1 : k + 2].isalnum()]
    for p in params_of(rule, Soften).deletable:
        if ".*" in p:
            continue
        for k in spaces:
            if _whole(p, matched[:k]):
                best = max(best, k + 1)
    return best


def _as_typed(ctx: DocContext, start: int, end: int) -> bool:
    """Whether [start, end) of the parsed text is the draft's own text character for character:
    no placeholder in it and no template tag removed inside it."""
    if any(ps < end and start < pe for ps, pe in ctx.masked.placeholders):
        return False
    a, b = ctx.masked.offsets.span_to_original(start, end)
    return b - a == end - start
