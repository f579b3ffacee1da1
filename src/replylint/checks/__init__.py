"""The few checks that token patterns cannot express (DESIGN.md §3, kind ``check``).

Each check takes the draft's :class:`~replylint.engine.DocContext` and its rule, and returns
hits; the engine applies the rule's ``unless`` windows and its rewrite like any other match.
Word lists live in the rule's ``params`` (data), not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..models import Rule

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..engine import DocContext, Hit

Check = Callable[["DocContext", Rule], list["Hit"]]

SECOND_PERSON = {"you", "your", "yours", "yourself", "yourselves", "u", "ya"}
_GREETING_WORDS = {"hi", "hello", "hey", "dear", "hiya"}


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if not (t.is_space or t.is_punct)]


def terse_refusal(ctx: DocContext, rule: Rule) -> list[Hit]:
    """A sentence whose whole content is a curt negative of at most a few words."""
    params = rule.params
    starts = set(params["negative_starts"])
    openers = [tuple(p.split()) for p in params["not_refusals"]]
    strip = set(params["strip_words"])
    max_words = int(params.get("max_words", 4))
    hits: list[Hit] = []
    for index, sent in enumerate(ctx.sents):
        if starts.isdisjoint(ctx.sent_lowers(index)):
            continue  # no negative word at all (what the content must start with)
        tokens = [t for t in sent if not t.is_space]
        if not tokens or tokens[-1].text == "?" or len(tokens) > 3 * max_words + 6:
            continue
        i, j = 0, len(tokens)
        # a leading greeting and/or name ("Hi Sam," / "Sam,"), then leading "sorry,"
        if tokens[0].lower_ in _GREETING_WORDS:
            k = next((n for n, t in enumerate(tokens[:5]) if t.text in {",", "!", "-"}), None)
            if k is None:
                continue
            i = k + 1
        elif (
            len(tokens) > 2
            and tokens[1].text == ","
            and tokens[0].lower_ not in starts
            and tokens[0].is_title
        ):  # "Sam, nope." (a name) or "Well, no." (an opener): either way the rest is the reply
            i = 2
        while i < j and (tokens[i].lower_ in strip or tokens[i].is_punct):
            i += 1
        while j > i and (tokens[j - 1].lower_ in strip or tokens[j - 1].is_punct):
            j -= 1
        content = tokens[i:j]
        words = _words(content)
        if not words or words[0].lower_ not in starts:
            continue
        if len(" ".join(t.text_with_ws for t in content).split()) > max_words:
            continue
        lowered = tuple(t.lower_ for t in words)
        if any(lowered[: len(o)] == o for o in openers):
            continue
        if words[0].lower_ in {"no", "nope", "nah"} and len(content) > 1 and content[1].text == ",":
            rest = _words(content[2:])
            if rest and rest[0].lower_ not in starts:
                continue  # "No, you won't be charged": a no that goes on to answer
        end = tokens[-1].idx + len(tokens[-1].text)
        hits.append(ctx.hit(content[0].idx, end))
    return hits


def _is_past(verb: Token) -> bool:
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ == "VBN":
        return True
    return any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in verb.children)


def self_story(ctx: DocContext, rule: Rule) -> list[Hit]:
    """A sentence about the writer's own life: first-person subject, past tense, nothing about
    the customer, and a time-in-the-past marker or "my" on something outside work."""
    params = rule.params
    work_nouns = set(params["work_nouns"])
    work_verbs = set(params["work_verbs"])
    past_markers = [tuple(m.split()) for m in params["past_markers"]]
    hits: list[Hit] = []
    candidates: dict[int, bool] = {}  # sentence: whether it has a past marker
    for index in range(len(ctx.sents)):
        lowered = ctx.sent_lowers(index)
        if not SECOND_PERSON.isdisjoint(lowered) or {"i", "my"}.isdisjoint(lowered):
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
    ctx.need(candidates)  # all at once (one at a time took a batch round each)
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


def _has_personal_subject(sent: Span, work_nouns: set[str], work_verbs: set[str]) -> bool:
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


def missing_greeting(ctx: DocContext, rule: Rule) -> list[Hit]:
    """The first non-blank line is not a greeting (RULES.md, "Greeting")."""
    from ..structure import first_line

    if ctx.greeting is not None:
        return []
    line = first_line(ctx.text)
    if line is None:
        return []
    sent_end = ctx.sentence_span(ctx.sent_index(line[0]), line[0])[1]
    return [ctx.hit(line[0], min(line[1], sent_end))]


def we_focus(ctx: DocContext, rule: Rule) -> list[Hit]:
    """First-person words number at least ``min_first`` and more than ``ratio`` times the
    second-person words; points at the sentence with the most first-person words."""
    first = set(rule.params["first_person"])
    second = set(rule.params["second_person"])
    lowers = ctx.lowers
    counts = [sum(1 for w in lowers[s.start : s.end] if w in first) for s in ctx.sents]
    n_first = sum(counts)
    n_second = sum(1 for w in lowers if w in second)
    if n_first < int(rule.params["min_first"]) or n_first <= float(rule.params["ratio"]) * n_second:
        return []
    index = max(range(len(counts)), key=lambda k: counts[k])
    return [ctx.hit(*ctx.sentence_span(index))]


CHECKS: dict[str, Check] = {
    "terse-refusal": terse_refusal,
    "self-story": self_story,
    "missing-greeting": missing_greeting,
    "we-focus": we_focus,
}
