"""restates-issue: the reply says the customer's issue back in its own words;
quotes-customer: the whole reply, when it quotes the customer's mail.

A paraphrase need not be announced ("just to confirm", "it sounds like"): "I'm sorry your order
hasn't arrived in time for the party" restates the issue. A sentence that acknowledges the
customer (signal ``acknowledgement``: an owning apology counts, a scripted one or a non-apology
does not) restates it when

- the customer's message is given: it shares at least ``shared`` content words with it,
  compared on lemmas ("the jacket doesn't fit" and "the jacket doesn't fit at all");
- it is not: it holds a clause of its own, a verb whose subject is the customer or something of
  theirs ("your order hasn't arrived", "the jacket doesn't fit", "you were charged twice"), with
  at least ``own`` content words ("I'm sorry about that", "I know how frustrating this is" and
  "plans change" hold none).

The acknowledgement's own words ("sorry", "understand", "frustrating" …) never count; the word
lists and limits are the lexicon's (``restatement`` in rules/_lexicon.yaml). Used as a
requirement (``checks: [restates-issue]``): its hits are the sentences that restate the issue.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..lexicon import load_lexicon
from ..quoting import quotes_mail

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from ..engine.context import DocContext
    from ..engine.hits import Hit

_CONTENT = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"}
_SUBJECTS = {"nsubj", "nsubjpass", "expl"}
# a customer's subject (:func:`_customers`) is "you", or holds "your" or starts with "the"
_SUBJECT_WORDS = frozenset({"you", "your", "the"})


def _content(token: Token, skip: frozenset[str]) -> str | None:
    """``token``'s lemma when it is a content word (not the acknowledgement's own), else None."""
    if token.pos_ not in _CONTENT or token.is_stop or token.is_punct or len(token.text) < 2:
        return None
    lemma = token.lemma_.lower()
    if lemma in skip or token.lower_ in skip:
        return None
    return lemma


def _lemmas(tokens: Iterable[Token], skip: frozenset[str]) -> set[str]:
    return {lemma for t in tokens if (lemma := _content(t, skip)) is not None}


def _customers(subject: Token) -> bool:
    """Whether ``subject`` is the customer or something of theirs: "you", "your order", "the
    jacket", "your mum's present" (not "it", "plans", "a move abroad", "my last email")."""
    if subject.lower_ == "you":
        return True
    if subject.pos_ not in {"NOUN", "PROPN"}:
        return False
    words = [t.lower_ for t in subject.subtree if t.i < subject.i]
    return "your" in words or (bool(words) and words[0] == "the")


def _own_clause(doc: Doc, skip: frozenset[str], own: int, trouble: bool = False) -> bool:
    """Whether the sentence holds a verb whose subject is the customer or something of theirs,
    and the clause it heads has at least ``own`` content words (with ``trouble``, one of them
    names it: "you're having problems signing in to the website")."""
    for token in doc:
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
        if not any(_customers(c) for c in subjects):
            continue
        clause = _lemmas(token.subtree, skip)
        if len(clause) >= own and (not trouble or not clause.isdisjoint(_TROUBLE)):
            return True
    return False


# words that name the trouble in a clause of the customer's: said in the reply's own words
# ("problems signing in" for "can't log in"), the clause restates it even with no word shared
# (blind review 19q; fixed after it, not blind)
_TROUBLE = frozenset({"problem", "issue", "trouble", "difficulty", "error"})


def _may_restate(
    ctx: DocContext, index: int, skip: frozenset[str], least: int, subject: frozenset[str] | None
) -> bool:
    """Whether sentence ``index`` can restate, judged on its words before any parse: it needs
    ``least`` words that may be content words (all that :func:`_content` asks but the part of
    speech and the lemma) and, for a clause of its own, a word that the customer's subject
    starts with or is (:func:`_customers`: "you", "your", "the"). What fails here would fail
    after the parse too."""
    if subject is not None and subject.isdisjoint(ctx.sent_lowers(index)):
        return False
    words = 0
    for t in ctx.sents[index]:
        if words >= least:
            break
        if not (t.is_stop or t.is_punct or len(t.text) < 2 or t.lower_ in skip):
            words += 1
    return words >= least


def restates_issue(ctx: DocContext) -> list[Hit]:
    """The sentences that acknowledge or apologise and restate the customer's issue."""
    scripted = (
        ctx.rule_hits(ctx.compiled.book.rules["scripted-apology"])
        if ("scripted-apology" in ctx.compiled.book.rules)
        else []
    )
    sentences = sorted(
        {
            h.sent
            for h in ctx.signal("acknowledgement")
            if not any(o.start < h.end and h.start < o.end for o in scripted)
        }
    )
    if not sentences:
        return []
    rules = load_lexicon().restatement
    skip = rules.not_content
    cctx = ctx.customer_context()
    against = cctx is not None and bool(cctx.sents)  # compared with the customer's words
    least = rules.shared if against else rules.own
    subject = None if against else _SUBJECT_WORDS
    # only the sentences whose words allow a restatement are parsed (most do not)
    sentences = [i for i in sentences if _may_restate(ctx, i, skip, least, subject)]
    if not sentences:
        return []
    customer: set[str] | None = None
    if cctx is not None and against:
        cctx.need(range(len(cctx.sents)))
        customer = set()
        for i in range(len(cctx.sents)):
            customer |= _lemmas(cctx.parsed(i), skip)
    ctx.need(sentences)
    found: list[Hit] = []
    for i in sentences:
        doc = ctx.parsed(i)
        if customer is not None:
            restated = len(_lemmas(doc, skip) & customer) >= rules.shared or _own_clause(
                doc, skip, rules.own, trouble=True
            )
        else:
            restated = _own_clause(doc, skip, rules.own)
        if restated:
            found.append(ctx.hit(*ctx.sentence_span(i)))
    return found


def quotes_customer(ctx: DocContext) -> list[Hit]:
    """The whole reply, when it quotes the customer's mail ("> …" lines, or the attribution
    of an interleaved reply: "* Bob <bob at x.org>:"): the customer's own words are in the
    reply, answered line by line, and need no saying back (blind review 19u judged
    no-paraphrase on such replies fired by the format; fixed after it, not blind)."""
    return [ctx.hit(0, len(ctx.text))] if quotes_mail(ctx.masked.original) else []
