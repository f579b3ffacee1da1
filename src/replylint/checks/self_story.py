"""self-story: a sentence about the writer's own life rather than the customer's situation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lexicon import load_lexicon
from ..models import Rule
from ..params import SelfStory, params_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..engine.context import DocContext
    from ..engine.hits import Hit


def self_story(ctx: DocContext, rule: Rule) -> list[Hit]:
    """A sentence about the writer's own life: first-person subject, past tense, nothing about
    the customer, and a time-in-the-past marker or "my" on something outside work."""
    params = params_of(rule, SelfStory)
    work_nouns = params.work_nouns
    work_verbs = params.work_verbs
    past_markers = params.markers
    second_person = load_lexicon().second_person
    hits: list[Hit] = []
    candidates: dict[int, bool] = {}  # sentence: whether it has a past marker
    for index in range(len(ctx.sents)):
        lowered = ctx.sent_lowers(index)
        if not second_person.isdisjoint(lowered) or {"i", "my"}.isdisjoint(lowered):
            continue
        present = set(lowered)
        past_marker = any(
            tuple(lowered[k : k + len(m)]) == m
            for m in past_markers
            if m[0] in present
            for k in range(len(lowered))
        )
        if past_marker or "my" in lowered:
            candidates[index] = past_marker
    ctx.need(candidates)  # all at once: each sentence asked alone would take a batch round
    for index, past_marker in candidates.items():
        sent = ctx.sents[index]
        parsed = ctx.parsed(index)
        personal_my = any(
            t.lower_ == "my"
            and t.head.pos_ in {"NOUN", "PROPN"}
            and t.head.lemma_.lower() not in work_nouns
            for t in parsed
        )
        if not (personal_my or past_marker):
            continue
        if _has_personal_subject(parsed[:], work_nouns, work_verbs):
            start = sent.start_char
            end = start + len(sent.text.rstrip())
            hits.append(ctx.hit(start, end))
    return hits


def _is_past(verb: Token) -> bool:
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ == "VBN":
        return True
    return any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in verb.children)


def _has_personal_subject(
    sent: Span, work_nouns: frozenset[str], work_verbs: frozenset[str]
) -> bool:
    for t in sent:
        if t.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        mine = t.lower_ == "i" or (
            any(c.dep_ == "poss" and c.lower_ == "my" for c in t.children)
            and t.lemma_.lower() not in work_nouns
        )
        if not mine:
            continue
        verb = t.head
        if verb.lemma_.lower() in work_verbs:
            continue
        if _is_past(verb):
            return True
    return False
