"""Rewrites built from the parse (DESIGN.md §4).

A rule's ``rewrite`` names a builder here or gives a template. Builders use the Doc: the
customer's own sentence with the perspective flipped, the writer's limitation kept after a
benefit-led policy clause, the issue's noun phrase. Where content cannot be known they leave a
visible ``<slot>``, which makes the suggestion display-only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .models import SLOT_RE, Applicability, Rule

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .engine import DocContext, Edit, Hit

Builder = Callable[["DocContext", Rule, "Hit"], list["Edit"]]

ISSUE_SLOT = "<the issue>"
PARAPHRASE_SLOT = "<the customer's issue, in your words>"
FRUSTRATING = "I can see why that's frustrating."


def _edit(start: int, end: int, text: str, description: str, app: Applicability) -> Edit:
    from .engine import Edit

    if SLOT_RE.search(text):
        app = Applicability.DISPLAY_ONLY
    return Edit(start, end, text, description, app)


def suggest(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    spec = rule.rewrite
    if spec is None:
        return []
    if spec.template is not None:
        return [_edit(hit.start, hit.end, spec.template, spec.description, spec.applicability)]
    assert spec.builder is not None
    return BUILDERS[spec.builder](ctx, rule, hit)


# --------------------------------------------------------------------------------------------
# The perspective flip: the customer's words as the writer would say them back
# --------------------------------------------------------------------------------------------

_FIRST = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
}
_SECOND_OBJECT = {"your": "our", "yours": "ours", "yourself": "ourselves", "yourselves": "ourselves"}
_VERB_AFTER_I = {"am": "are", "'m": "'re", "was": "were", "wasn't": "weren't"}
_DISCOURSE = {"so", "well", "honestly", "also", "basically", "um", "ok", "okay", "and", "but",
              "hi", "hello", "hey", "look", "listen", "seriously", "again", "now"}


def _flip_token(t: Token) -> str:
    low = t.lower_
    if low in _FIRST:
        return _FIRST[low]
    if low == "you":
        return "we" if t.dep_ in {"nsubj", "nsubjpass", "expl"} else "us"
    if low in _SECOND_OBJECT:
        return _SECOND_OBJECT[low]
    if low in _VERB_AFTER_I:
        subject = next((c for c in t.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if t.dep_ in {"ROOT", "cop", "aux", "auxpass"} and subject is not None and \
                subject.lower_ == "i":
            return _VERB_AFTER_I[low]
        if t.i > 0 and t.doc[t.i - 1].lower_ == "i":
            return _VERB_AFTER_I[low]
    return t.text


def flip_perspective(tokens: list[Token]) -> str:
    """"I was charged twice for my plan" -> "you were charged twice for your plan"."""
    out: list[str] = []
    for t in tokens:
        word = _flip_token(t)
        if word != t.text and t.text[:1].isupper() and t.lower_ != "i" and t.i != tokens[0].i:
            word = word[:1].upper() + word[1:]
        out.append(word + t.whitespace_)
    text = "".join(out).strip()
    return " ".join(text.split())


def _trim(sent: Span) -> list[Token]:
    """The main clause of a sentence: no second coordinated clause, no discourse opener."""
    root = sent.root
    dropped: set[int] = set()
    for child in root.children:
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}:
            dropped.update(t.i for t in child.subtree)
            dropped.update(c.i for c in root.children if c.dep_ == "cc" and c.i < child.i)
    tokens = [t for t in sent if not t.is_space and t.i not in dropped]
    while tokens and (tokens[0].lower_ in _DISCOURSE or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def customer_complaint(ctx: DocContext) -> str | None:
    """The customer's main complaint, flipped into the writer's voice, or None."""
    cctx = ctx.customer_context()
    if cctx is None:
        return None
    problem_sents = {h.sent for name in ("complaint", "problem") for h in cctx.signal(name)}
    best: tuple[int, int] | None = None
    for n, sent in enumerate(cctx.sents):
        text = sent.text.strip()
        if text.endswith("?") or len(text.split()) < 3:
            continue
        first_person = any(t.lower_ in {"i", "my", "me", "we", "our", "us"} for t in sent)
        negated = any(t.dep_ == "neg" for t in sent)
        score = (3 if n in problem_sents else 0) + (2 if first_person else 0) + (1 if negated else 0)
        if score >= 3 and (best is None or score > best[0]):
            best = (score, n)
    if best is None:
        return None
    tokens = _trim(cctx.sents[best[1]])
    if len(tokens) < 2:
        return None
    text = flip_perspective(tokens)
    first = tokens[0]
    if first.pos_ != "PROPN" and first.lower_ != "i":
        text = text[:1].lower() + text[1:]
    return text


# --------------------------------------------------------------------------------------------
# The issue's noun phrase, from the reply itself
# --------------------------------------------------------------------------------------------

_PROBLEM_NOUNS = {"issue", "problem", "error", "mistake", "delay", "complaint", "charge",
                  "outage", "bug", "trouble", "damage", "mix-up", "mixup"}
_WEAK_DETERMINERS = {"a", "an", "any", "this", "that", "some", "these", "those"}


def issue_phrase(ctx: DocContext) -> str | None:
    """"the delay with your order" for "Sorry, there's a delay with your order"."""
    for hit in ctx.signal("problem"):
        span = ctx.doc.char_span(hit.start, hit.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            if token.lemma_.lower() not in _PROBLEM_NOUNS or token.pos_ != "NOUN":
                continue
            chunk = next((c for c in ctx.doc.noun_chunks if c.start <= token.i < c.end), None)
            if chunk is None:
                continue
            words = [t for t in chunk]
            if words[0].lower_ in {"no", "any"}:
                continue
            end = chunk.end
            # keep a short prepositional tail: "the delay with your order"
            nxt = ctx.doc[end] if end < len(ctx.doc) else None
            if nxt is not None and nxt.lower_ in {"with", "on", "in", "to"}:
                tail = [t for t in nxt.subtree]
                if len(tail) <= 5:
                    end = max(t.i for t in tail) + 1
            phrase_tokens = list(ctx.doc[chunk.start:end])
            if phrase_tokens[0].lower_ in _WEAK_DETERMINERS or phrase_tokens[0].pos_ != "DET" \
                    and phrase_tokens[0].lower_ not in {"our", "your", "my", "the"}:
                if phrase_tokens[0].lower_ in _WEAK_DETERMINERS:
                    phrase_tokens = phrase_tokens[1:]
                return "the " + flip_perspective(phrase_tokens) if phrase_tokens else None
            return flip_perspective(phrase_tokens)
    return None


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


def _insertion_point(ctx: DocContext) -> int:
    return ctx.body_start


def acknowledge(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    complaint = customer_complaint(ctx)
    if complaint:
        text = f"I'm sorry {complaint} — {FRUSTRATING} "
    else:
        text = f"I'm sorry about {issue_phrase(ctx) or ISSUE_SLOT} — {FRUSTRATING} "
    at = _insertion_point(ctx)
    return [_edit(at, at, text, rule.rewrite.description, rule.rewrite.applicability)]


def paraphrase(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    complaint = customer_complaint(ctx) or PARAPHRASE_SLOT
    sentence = f"Just to make sure I understand: {complaint}. Is that right?"
    # after an acknowledgement that opens the body, otherwise at the start of the body
    first = ctx.sent_index(ctx.body_start)
    if any(h.sent == first for h in ctx.signal("acknowledgement")):
        sent = ctx.sents[first]
        at = sent.start_char + len(sent.text.rstrip())
        return [_edit(at, at, " " + sentence, rule.rewrite.description,
                      rule.rewrite.applicability)]
    at = _insertion_point(ctx)
    return [_edit(at, at, sentence + " ", rule.rewrite.description, rule.rewrite.applicability)]


def _sentence_of(ctx: DocContext, hit: Hit) -> tuple[int, int]:
    sent = ctx.sents[hit.sent]
    return sent.start_char, sent.start_char + len(sent.text.rstrip())


def drop_sentence(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Delete the writer's own story, or replace it with a line about the customer."""
    assert rule.rewrite is not None
    start, end = _sentence_of(ctx, hit)
    # delete through the following spaces (but keep line structure)
    stop = end
    while stop < len(ctx.text) and ctx.text[stop] in " \t":
        stop += 1
    replacement = str(rule.params.get("replacement", ""))
    edits = [_edit(start, stop, "", rule.rewrite.description, rule.rewrite.applicability)]
    if replacement:
        edits.append(_edit(start, end, replacement, f"Replace with: {replacement}",
                           rule.rewrite.applicability))
    return edits


_OPENERS = re.compile(r"^\s*(?:(?:unfortunately|sadly|sorry|hi|hey|hello|so|but|and|i'm afraid)\b[\s,]*)+", re.I)
_POLICY_LEAD = re.compile(
    r"^\s*(?:,|that|but|so|and|:|;|—|–|-)*\s*", re.IGNORECASE
)
_POLICY_TAIL = re.compile(
    r"\s*(?:,|;|:|—|–|-|\bbecause\b|\bas\b|\bsince\b|\band\b|\bbut\b|\bso\b)*\s*$", re.IGNORECASE
)


def _benefit(ctx: DocContext, rule: Rule) -> str:
    text = ctx.text.lower()
    for lead, words in rule.params["benefits"].items():
        if any(re.search(rf"\b{re.escape(w)}", text) for w in words):
            return str(lead)
    return str(rule.params["default_benefit"])


def _sentence_case(text: str, first: Token | None) -> str:
    if first is not None and (first.pos_ == "PROPN" or first.lower_ == "i"):
        return text
    return text[:1].lower() + text[1:]


def policy_benefit(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Replace a bare policy clause with a benefit-led one, keeping the writer's limitation."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    lead = _benefit(ctx, rule)
    s_start, s_end = _sentence_of(ctx, hit)
    sentence = ctx.text[s_start:s_end]
    final = sentence[-1] if sentence[-1:] in ".!" else "."
    body = sentence.rstrip(".!")
    left = body[: hit.start - s_start]
    right = body[hit.end - s_start :]
    left = _POLICY_TAIL.sub("", left)
    right = _POLICY_LEAD.sub("", right)
    matched = ctx.text[hit.start : hit.end].lower()
    for verb in rule.params["prohibiting_verbs"]:
        if matched.endswith(verb) and right:
            right = "we can't offer " + right
            break
    if re.match(r"not to\b", right):
        right = "we don't " + right[len("not to") :].strip()
    left = _OPENERS.sub("", re.sub(r"^\W+", "", left))
    right = right if re.search(r"[A-Za-z]", right) else ""
    limitation = (left if re.search(r"[A-Za-z]", left) else "").strip() or right.strip()
    if limitation:
        doc_span = ctx.doc.char_span(s_start + sentence.find(limitation[:1]), s_end,
                                     alignment_mode="expand")
        first = doc_span[0] if doc_span is not None and len(doc_span) else None
        text = f"{lead}, {_sentence_case(limitation, first)}{final}"
        return [_edit(s_start, s_end, text, desc, app)]
    # a policy sentence on its own: fold the refusal just before it into the new one
    if hit.sent > 0:
        prev = ctx.sents[hit.sent - 1]
        prev_text = prev.text.rstrip()
        if any(h.sent == hit.sent - 1 for h in ctx.signal("refusal")) and prev_text:
            limitation = prev_text.rstrip(".!")
            limitation = re.sub(r"^(?:unfortunately|sadly),?\s*", "", limitation, flags=re.I)
            first = next((t for t in prev if not t.is_space), None)
            if limitation.lower() != prev_text.rstrip(".!").lower():
                first = None
            text = f"{lead}, {_sentence_case(limitation, first)}."
            return [_edit(prev.start_char, s_end, text, desc, app)]
    return [_edit(s_start, s_end, f"{lead}, <what you can't do>.", desc, app)]


BUILDERS: dict[str, Builder] = {
    "acknowledge": acknowledge,
    "paraphrase": paraphrase,
    "drop-sentence": drop_sentence,
    "policy-benefit": policy_benefit,
}
