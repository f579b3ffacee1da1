"""The policy-benefit builder: a bare policy clause becomes a benefit-led one that keeps the
writer's limitation."""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import TYPE_CHECKING

from ..lexicon import alternation, load_lexicon
from ..models import Rule
from ..params import PolicyBenefit, params_of
from .edit import edit
from .placement import capitalised
from .words import sentence_case

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit


@cache
def _keep_prefix() -> re.Pattern[str]:
    """A greeting (the lexicon's salutations, or "sorry"/"thanks") and the words up to its
    comma, or a name and its comma, opening the sentence: kept in front of the benefit."""
    greeting = alternation([*load_lexicon().greeting.salutations, "sorry", "thanks"])
    return re.compile(
        rf"^(?:(?i:{greeting})\b[^,.!?]{{0,30}},\s*"
        r"|(?!(?i:unfortunately|sadly|sorry|so|well|also|however|but|ok|okay|yes|no)\b)"
        r"[A-Z][a-z]+,\s*)"
    )


@cache
def _openers() -> re.Pattern[str]:
    """Softeners (the lexicon's: "unfortunately", "I'm afraid" …) that give way to the
    benefit."""
    softeners = alternation(load_lexicon().softeners)
    return re.compile(rf"^(?:{softeners}\b[\s,]*)+", re.IGNORECASE)


_CONNECTORS = r"(?:,|;|:|—|–|-|\bbecause\b|\bas\b|\bsince\b|\band\b|\bbut\b|\bso\b|\bthat\b)"
_TAIL = re.compile(rf"(?:\s*{_CONNECTORS})+\s*$", re.IGNORECASE)
_LEAD = re.compile(rf"^(?:\s*{_CONNECTORS})+\s*", re.IGNORECASE)


def _benefit(ctx: DocContext, rule: Rule) -> str:
    """The benefit to lead with, from the draft's words (worked out once per draft and rule,
    not once per finding)."""
    key = ("benefit", rule.id)
    if key not in ctx.rewrites:
        ctx.rewrites[key] = _find_benefit(ctx.text.lower(), rule)
    return str(ctx.rewrites[key])


def _find_benefit(text: str, rule: Rule) -> str:
    params = params_of(rule, PolicyBenefit)
    for lead, words in params.benefits.items():
        if _starting_a_word(tuple(words)).search(text):
            return lead
    return params.default_benefit


def _named_benefit(ctx: DocContext, rule: Rule) -> bool:
    """Whether the draft's own words name a benefit (else the lead would be the default one,
    a reason the writer never gave)."""
    return _benefit(ctx, rule) != params_of(rule, PolicyBenefit).default_benefit


_ADJUNCT_END = re.compile(r"\s*,\s*")
# a leading adjunct with no comma, the clause's subject right after it ("Based on our internal
# policies we must …")
_SUBJECT_NEXT = re.compile(r"[ \t]+(?=(?:we|i|you|they)\b)")
_POLICY_SENTENCE = re.compile(
    r"^(?:(?:it's|it is|that's|that is|this is)\s+(?:just\s+)?(?:our|company|the)?\s*"
    r"(?:company\s+)?(?:policy|rules?|procedure)|rules are rules|policy is policy)[.!]?$",
    re.IGNORECASE,
)


def _drop_policy(ctx: DocContext, rule: Rule, hit: Hit) -> Edit | None:
    """The policy clause deleted where the writer's sentence stands without it: a leading
    adjunct ("Per our policy, we can only …" -> "We can only …"), a trailing one ("…, it's
    our policy."), or a sentence of its own ("It's company policy."). None otherwise."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    s_start, s_end = ctx.sentence_span(hit.sent)
    sentence = ctx.source(s_start, s_end)
    if _POLICY_SENTENCE.match(sentence.strip()):  # a sentence of its own: delete it
        start = s_start
        while start > 0 and ctx.text[start - 1] in " \t":
            start -= 1
        if start == 0 or ctx.text[start - 1] == "\n":
            start = s_start
            end = s_end
            while end < len(ctx.text) and ctx.text[end] in " \t":
                end += 1
            return edit(start, end, "", desc, app)
        return edit(start, s_end, "", desc, app)
    before = ctx.text[s_start : hit.start]
    opener = _openers().sub("", before)
    after = _ADJUNCT_END.match(ctx.text, hit.end) or _SUBJECT_NEXT.match(ctx.text, hit.end)
    if after and not opener.strip(" ,") and ctx.text[hit.start : hit.end][:1].isalpha():
        start = hit.start
        end = after.end()
        rest = re.match(r"\w+", ctx.text[end:s_end])
        if rest is None or not _clause(ctx, end, s_end):
            return None
        # it opened the sentence: capitalise (not after "Hi there – ", where it goes on)
        mid_line = re.search(r"[,–—-][ \t]*$", ctx.text[max(0, start - 3) : start])
        if (start == s_start or not before.strip()) and mid_line is None:
            capital = capitalised(rest.group(0))
            if capital is None and rest.group(0)[:1].islower():
                return None
            word_end = end + 1 if capital is not None else end
            return edit(start, word_end, capital or "", desc, app)
        return edit(start, end, "", desc, app)
    # "…, it's our policy." at the end of the sentence
    lead = re.search(r"[,;]\s*$", before)
    tail = ctx.text[hit.end : s_end]
    if lead and re.fullmatch(r"\s*[.!]?", tail) and _clause(ctx, s_start, s_start + lead.start()):
        return edit(s_start + lead.start(), hit.end, "", desc, app)
    return None


def _clause(ctx: DocContext, a: int, b: int) -> bool:
    span = ctx.parsed_span(a, b) if b > a else None
    return (
        span is not None
        and any(t.pos_ in {"VERB", "AUX"} for t in span)
        and any(t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in span)
    )


def _frame(ctx: DocContext, a: int, b: int) -> bool:
    """Whether [a, b) is a clause with no subject of its own ("Please note that", "Kindly be
    advised that"): it frames what follows and says nothing itself."""
    span = ctx.parsed_span(a, b) if b > a else None
    return span is not None and not any(
        t.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for t in span
    )


class _Refusals:
    """The draft's "refusal" hits outside the rule's own (policy) hits, indexed: the starts
    and ends of those in text order (they are merged hits: they never overlap) and their
    sentences. Built once per draft and rule, not scanned again for each finding."""

    def __init__(self, ctx: DocContext, rule: Rule) -> None:
        policy = ctx.rule_hits(rule)  # in text order, not overlapping
        p_ends = [p.end for p in policy]
        kept = []
        for h in ctx.signal("refusal"):
            # clear of every policy hit: none ends after h starts and starts before h ends
            i = bisect.bisect_right(p_ends, h.start)
            if i == len(policy) or policy[i].start >= h.end:
                kept.append(h)
        self.starts = [h.start for h in kept]
        self.ends = [h.end for h in kept]
        self.sents = {h.sent for h in kept}

    def within(self, a: int, b: int) -> bool:
        """Whether a refusal lies within [a, b]: the first starting at or after ``a`` ends
        first among those (they do not overlap)."""
        i = bisect.bisect_left(self.starts, a)
        return i < len(self.starts) and self.ends[i] <= b


@cache
def _starting_a_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """One search for "any of ``words`` where a word starts" (one alternation, not a search
    a word: the draft text is scanned once)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")")


_PHRASE_GOES_ON = re.compile(
    r"[ \t]+(?!(?:and|but|so|that|which|we|i|you|as|because|since|not|to|is|are|was|says|"
    r"states|means|does|doesn't|requires|prevents|prohibits|allows|permits)\b)\w",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"[ \t]+(?:regarding|concerning|on|for|about|of|around|covering)\b", re.I)
_PHRASE_TAIL = re.compile(r"[^,.;:!?—–\n]*")


def _policy_end(ctx: DocContext, at: int, end: int) -> int | None:
    """Where the phrase naming the policy ends: ``at`` (the match's end), or past the words
    that go on naming it ("due to our policy terms and conditions, …": up to the comma, a
    noun phrase with no verb). None where they go on but cannot be told apart from the clause
    after them (the replacement would leave the phrase's tail: "…, terms and conditions, …")."""
    if not _PHRASE_GOES_ON.match(ctx.text, at, end):
        return at
    tail = _PHRASE_TAIL.match(ctx.text, at, end)
    stop = tail.end() if tail is not None else at
    if stop >= end or ctx.text[stop] not in ",;:—–":
        return at  # (the clause runs on to the end of the sentence: "… policy says we can't")
    if _ABOUT.match(ctx.text, at, stop):  # "our policy regarding refunds, …"
        return stop
    span = ctx.parsed_span(at, stop)
    if span is None:
        return at
    return at if any(t.pos_ in {"VERB", "AUX"} for t in span) else stop


def policy_benefit(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Replace a bare policy clause with a benefit-led one, keeping the writer's limitation:
    "I can't extend your trial, it's company policy." -> "To keep things fair for every
    customer, I can't extend your trial." """
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    if not _named_benefit(ctx, rule):
        dropped = _drop_policy(ctx, rule, hit)
        if dropped is not None:
            return [dropped]
    lead = _benefit(ctx, rule)
    s_start, s_end = ctx.sentence_span(hit.sent)
    sentence = ctx.source(s_start, s_end)
    keep = _keep_prefix().match(sentence)
    if keep and s_start + keep.end() > hit.start:
        keep = None  # the policy clause is inside what looked like a greeting
    start = min(s_start + (keep.end() if keep else 0), hit.start)
    final = sentence[-1] if sentence[-1:] in ".!" else "."
    end = s_end - (1 if sentence[-1:] in ".!" else 0)
    key = ("refusals", rule.id)
    if key not in ctx.rewrites:
        ctx.rewrites[key] = _Refusals(ctx, rule)
    refusals: _Refusals = ctx.rewrites[key]

    def part(a: int, b: int) -> tuple[str, bool]:
        text = ctx.source(a, b)
        return text, refusals.within(a, b)

    policy_end = _policy_end(ctx, hit.end, end)
    if policy_end is None:
        return []  # the phrase naming the policy goes on past what would be replaced
    left, left_refuses = part(start, hit.start)
    right, right_refuses = part(policy_end, end)
    left = _openers().sub("", _TAIL.sub("", left).strip())
    right = _LEAD.sub("", right).strip()
    if re.match(r"(?:(?:us|me)\s+)?from\s+\w+ing\b", right, re.IGNORECASE):
        return []  # "Our policy prevents us from accessing …": no clause to keep (blind 18p)
    matched = ctx.text[hit.start : hit.end].lower()
    if right and any(matched.endswith(v) for v in params_of(rule, PolicyBenefit).prohibiting_verbs):
        right, right_refuses = "we can't offer " + right, True
    elif right.startswith("not to "):
        right, right_refuses = "we don't " + right[len("not to ") :], True
    elif right.startswith("to ") and re.search(r"\b(?:against|rules?|polic(?:y|ies))$", matched):
        # "it's against our rules to refund delivery charges" -> "we can't refund …"
        right, right_refuses = "we can't " + right[len("to ") :], True

    def case(text: str) -> str:
        at = ctx.text.find(text[:12], s_start, s_end) if text else -1
        span = ctx.parsed_span(at, at + 1) if at >= 0 else None
        return sentence_case(text, span[0] if span is not None and len(span) else None)

    lead_text = sentence_case(lead, None) if keep else lead

    def clause(text: str, a: int, b: int) -> bool:
        """Whether ``text`` (found in [a, b)) is a clause of its own, with a verb."""
        span = ctx.parsed_span(a, b) if b > a else None
        return bool(text) and span is not None and any(t.pos_ in {"VERB", "AUX"} for t in span)

    has_left = clause(left, start, hit.start)
    right = right if clause(right, policy_end, end) or right.startswith("we ") else ""
    if has_left and right and _frame(ctx, start, hit.start) and _clause(ctx, policy_end, end):
        # "Please note that under our terms, a user can only have one account": the left part
        # only frames the limitation (no subject of its own); the limitation is what is kept
        has_left, right_refuses = False, True
    if right and ((right_refuses and not left_refuses) or not has_left):
        before = ctx.source(start, hit.start).rstrip(" ,;:")
        if has_left:  # "I understand, but <policy> and I can't …"
            joint = " " if re.search(r"\b(?:but|and|so)$", before, re.IGNORECASE) else ", "
            lead_text = f"{before}{joint}{sentence_case(lead, None)}"
        return [edit(start, s_end, f"{lead_text}, {case(right).rstrip('.!')}{final}", desc, app)]
    if has_left:
        return [edit(start, s_end, f"{lead_text}, {case(left)}{final}", desc, app)]
    # a policy sentence on its own: fold the refusal just before it into the new one
    if hit.sent > 0 and not keep:
        prev = ctx.sents[hit.sent - 1]
        prev_text = ctx.source(prev.start_char, prev.end_char).rstrip()
        verb = any(t.pos_ in {"VERB", "AUX"} for t in ctx.parsed(hit.sent - 1))
        if hit.sent - 1 in refusals.sents and prev_text and verb:
            limitation = _openers().sub("", prev_text.rstrip(".!"))
            at = prev.start_char + prev_text.find(limitation[:3])
            span = ctx.parsed_span(at, at + 1)
            first = span[0] if span is not None and len(span) else None
            text = f"{lead}, {sentence_case(limitation, first)}."
            return [edit(prev.start_char, s_end, text, desc, app)]
    return [edit(start, s_end, f"{lead_text}, <what you can't do>{final}", desc, app)]
