"""The customer's words as the writer would say them back ("I was charged twice" -> "you were
charged twice"), and a sentence's main clause. The words (pronouns, discourse words, feelings)
are the lexicon's (rules/_lexicon.yaml, ``perspective``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..lexicon import load_lexicon
from .clause import clean_clause, introduces, symbol, verbless_conjunct

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..engine.context import DocContext


def _flip_token(t: Token, text: str) -> str:
    """``t`` said back by the writer (``text`` is the token as the customer wrote it)."""
    low = t.lower_
    flip = load_lexicon().perspective
    if low in flip.first_person:
        return flip.first_person[low]
    if low == "you":
        return "we" if t.dep_ in {"nsubj", "nsubjpass", "expl"} else "us"
    if low in flip.second_person_object:
        return flip.second_person_object[low]
    if low in flip.verb_after_i:
        subject = next((c for c in t.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.lower_ == "i":
            return flip.verb_after_i[low]
        if t.i > 0 and t.doc[t.i - 1].lower_ == "i":
            return flip.verb_after_i[low]
    return text


def join(tokens: list[Token], word: Callable[[Token], str]) -> str:
    """The tokens' text as the user wrote it (``word`` gives a token's original text)."""
    out = "".join(word(t) + t.whitespace_ for t in tokens).strip()
    return " ".join(out.split())


def sentence_case(text: str, first: Token | None) -> str:
    """Lower-case the first letter, unless it starts a name or is "I"."""
    if first is not None and (first.pos_ == "PROPN" or first.lower_ == "i"):
        return text
    if re.match(r"I\b", text):
        return text
    return text[:1].lower() + text[1:]


def flip_perspective(tokens: list[Token], word: Callable[[Token], str]) -> str:
    """ "I was charged twice for my plan" -> "you were charged twice for your plan"."""
    return join(tokens, lambda t: _flip_token(t, word(t)))


def main_clause(sent: Span) -> list[Token]:
    """The sentence without opening discourse words, closing punctuation, or a coordinated
    clause that only voices feelings ("… and I'm really annoyed")."""
    lexicon = load_lexicon().perspective
    root = sent.root
    dropped: set[int] = set()
    for child in root.children:
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX", "ADJ"}:
            subtree = list(child.subtree)
            if any(t.lower_ in lexicon.feelings for t in subtree):
                dropped.update(t.i for t in subtree)
                dropped.update(c.i for c in root.children if c.dep_ == "cc" and c.i < child.i)
    tokens = [t for t in sent if not t.is_space and t.i not in dropped]
    while tokens:
        if tokens[0].lower_ in lexicon.discourse or tokens[0].is_punct:
            tokens = tokens[1:]
        elif len(tokens) > 2 and tokens[0].pos_ == "PROPN" and tokens[1].text == ",":
            tokens = tokens[2:]  # a name addressing the customer: "Dana, …"
        else:
            break
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc" or symbol(tokens[-1])):
        tokens = tokens[:-1]  # closing punctuation, a dangling "and", an emoji
    return tokens


def customer_complaint(ctx: DocContext) -> str | None:
    """The customer's main complaint, flipped into the writer's voice, or None (worked out
    once per draft, not once per finding that asks)."""
    memo = ctx.rewrites
    if "complaint" not in memo:
        memo["complaint"] = _customer_complaint(ctx)
    found: str | None = memo["complaint"]
    return found


def _customer_complaint(ctx: DocContext) -> str | None:
    """The best-scoring sentence of the customer's that gives a clean clause (see
    :func:`clean_clause`), flipped; None when none does."""
    cctx = ctx.customer_context()
    if cctx is None:
        return None
    problem_sents = {h.sent for name in ("complaint", "problem") for h in cctx.signal(name)}
    ranked: list[tuple[int, int]] = []
    for n, sent in enumerate(cctx.sents):
        text = sent.text.strip()
        if text.endswith("?") or len(text.split()) < 3:
            continue
        first_person = any(t.lower_ in {"i", "my", "me", "we", "our", "us"} for t in sent)
        negated = any(t.lower_ in {"not", "n't", "never", "no", "nobody", "nothing"} for t in sent)
        score = (
            (3 if n in problem_sents else 0) + (2 if first_person else 0) + (1 if negated else 0)
        )
        if score >= 3:
            ranked.append((-score, n))
    for _, n in sorted(ranked):
        tokens = clean_clause(main_clause(cctx.parsed(n)[:]))
        if tokens is not None and verbless_conjunct(tokens):
            continue  # "… shipped 11 days ago and still no idea where it is" (blind review 18j)
        if tokens is not None and introduces(tokens):
            continue  # "My name is Dana and I'd like to report fraud" (blind review 18k)
        if tokens is not None and not _holds_trouble(cctx, n, tokens):
            continue  # "your friends love it": the trouble is elsewhere in it (blind review 18n)
        if tokens is not None:
            text = sentence_case(flip_perspective(tokens, cctx.word), tokens[0])
            if _ADMITS.search(text):  # "it's disturbing we're selling fakes": their charge
                continue
            return with_article(tokens, text)
    return None


def _holds_trouble(cctx: DocContext, n: int, tokens: list[Token]) -> bool:
    """Whether the clause ``tokens`` of the customer's sentence ``n`` holds (part of) what the
    customer complains of: a ``complaint``, ``problem`` or ``trouble`` hit inside its
    characters, or a negation (what did not happen)."""
    if any(t.dep_ == "neg" or t.lower_ in {"never", "no", "without"} for t in tokens):
        return True  # "have not prompted me with dial-in instructions": what did not happen
    base = cctx.sents[n].start_char
    start = base + tokens[0].idx
    end = base + tokens[-1].idx + len(tokens[-1].text)
    return any(
        h.start < end and start < h.end
        for name in ("complaint", "problem", "trouble")
        for h in cctx.signal(name)
    )


# the company as the doer once the customer's words are flipped ("you're selling counterfeits"
# -> "we're selling counterfeits"): an apology built on it admits the charge in public
_ADMITS = re.compile(
    r"\b(?:we|we['’](?:re|ve|d|ll))\b|\bour\b(?:\s+\w+){0,3}\s+"
    r"(?:errors?|mistakes?|faults?|failures?|negligence|incompetence|screw-?ups?|mess)\b",
    re.IGNORECASE,
)


def with_article(tokens: list[Token], text: str) -> str:
    """``text`` (the clause of ``tokens``) with "the" before a subject noun that opens it bare,
    as a tweet writes it ("game crashes every time …" -> "the game crashes every time …")."""
    first = tokens[0]
    subject = next((t for t in tokens if t.dep_ in {"nsubj", "nsubjpass"}), None)
    if (
        subject is not None
        and first.pos_ in {"NOUN", "ADJ"}
        and first.left_edge.i == subject.left_edge.i
        and subject.pos_ == "NOUN"
        and subject.tag_ == "NN"
        and not any(c.dep_ in {"det", "poss"} for c in subject.children)
    ):
        return "the " + text[:1].lower() + text[1:]
    return text
