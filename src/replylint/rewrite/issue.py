"""The issue, from the reply itself: what went wrong, as the reply names it ("about the delay
with your order"). Only a noun phrase: an apology built from a whole clause of the reply or of
the customer's message ("I'm sorry your parcel was delayed at the depot.") passed blind review
less than half the time (16 of 45 over rounds 18j, 18k, 18m and 18n), the slot "I'm sorry about
<the issue>." nine times in ten, so a clause is never offered (and acknowledge.py says only the
customer's own or a bare noun)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lexicon import load_lexicon
from .words import join, sentence_case

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..engine.context import DocContext
    from ..engine.hits import Hit


# words that make a problem noun a maybe or a kind, not the customer's own trouble: "resolve
# the possible issue with your transaction", "test for various compatibility issues"
_HEDGES = frozenset(
    {
        "possible",
        "potential",
        "various",
        "any",
        "some",
        "other",
        "certain",
        "common",
        "known",
        # a list of the project's, not the customer's: "the highest priority open issues", "the
        # remaining (protocol based) issues" (blind reviews 18o, 18q)
        "open",
        "remaining",
        "outstanding",
        "pending",
        "highest",
        "biggest",
        "main",
        "major",
    }
)


def _noun_phrase(ctx: DocContext, token: Token) -> str | None:
    """ "the delay with your order" around the problem noun ``token``."""
    doc = token.doc
    key = ("chunks", id(doc))
    chunks = ctx.rewrites.get(key)
    if chunks is None:  # the sentence's noun chunks by token, found once (not once a hit)
        chunks = {t: c for c in doc.noun_chunks for t in range(c.start, c.end)}
        ctx.rewrites[key] = chunks, doc  # the doc kept alive with its id
    else:
        chunks = chunks[0]
    if token.lower_ in _BLAME:
        return None  # "the supplier's fault": whose fault it is, not what went wrong
    chunk = chunks.get(token.i)
    if chunk is None or chunk.root.i != token.i:
        return None  # "the delay notice": the problem noun only describes what the phrase names
    tokens = list(chunk)
    if tokens[0].lower_ in {"no", "any", "most", "some", "many", "all", "several", "few"}:
        return None  # (not "the most login issues": blind review 18m)
    if any(t.lower_ in _HEDGES or t.tag_ == "JJS" for t in tokens):
        return None  # "the possible issue", "various compatibility issues": none they have
    sent = doc[token.i].sent
    if token.dep_ == "attr" and token.head.lemma_ == "be":
        return None  # "This is a technical support issue": a kind of request, not trouble
    if any(t.lower_ in _GENERAL for t in sent):
        return None  # "Issues such as these are often due to a temporary outage": in general
    if any(c.dep_ == "neg" for a in token.ancestors for c in a.children):
        return None  # "I don't see errors in the log": what the reply says is not there (18n)
    if any(a.lemma_ in _REPORTING for a in token.ancestors):
        return None  # "create a new ticket about your issue in English": a report to write
    root = sent.root
    if root.tag_ == "VB" and not any(
        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in root.children
    ):
        return None  # the object of an imperative ("Enjoy the autumn issue!") is no trouble
    nxt = doc[chunk.end] if chunk.end < len(doc) else None
    if nxt is not None and nxt.lower_ in {"with", "on", "in", "to", "for"}:
        tail = list(nxt.subtree)
        # (not a placeholder's date or name: said twice once the sentence is kept; not a
        # stranded "on" with no object: "the issue you're having the issue on", blind 18i)
        if 2 <= len(tail) <= 5 and not any(c in join(tail, ctx.word) for c in "{}[]%<>"):
            if token.lower_ in _GENERIC and any(t.lower_ in _VENUES for t in tail):
                return None  # "this issue on this bug tracker": a ticket where it is filed
            tokens += tail
    if len(tokens) <= 2 and token.lower_ in _GENERIC:
        return None  # "the issue", "your complaint": as empty as "the inconvenience"
    if tokens[0].pos_ == "DET" and tokens[0].lower_ not in {"the", "your", "our"}:
        tokens = tokens[1:]
    if not tokens:
        return None
    text = sentence_case(join(tokens, ctx.word), tokens[0])
    if tokens[0].lower_ not in {"the", "your", "our", "my"}:
        text = "the " + text
    return "about " + text


# words of a sentence about such troubles in general, or maybe (blind review 18f: a bug
# tracker's saved replies): "often", "such as", "usually", "may", "if"
_GENERAL = frozenset(
    {"often", "usually", "typically", "generally", "sometimes", "such", "may", "might", "if"}
)
# verbs of writing a report: the issue they take is the subject of a report to write
_REPORTING = frozenset({"create", "file", "submit", "write", "post", "report", "describe", "open"})
# issue nouns that say whose fault it is rather than what went wrong
_BLAME = {"fault", "faults", "blame"}
# where a report is filed, not what went wrong (blind review 18h; fixed after it, not blind)
_VENUES = frozenset({"tracker", "ticket", "forum", "site", "thread", "board", "page", "github"})
# issue nouns that name nothing by themselves
_GENERIC = {"issue", "issues", "problem", "problems", "trouble", "inconvenience", "mistake"}


def follows(ctx: DocContext, at: int, sent: int) -> bool:
    """Whether sentence ``sent`` comes right after offset ``at`` (only spaces between): an
    apology built from it and put at ``at`` would say the same words twice in a row ("I'm sorry
    about your login issues. I'd be glad to help with your login issues.")."""
    start = ctx.sentence_span(sent)[0]
    return start >= at and not ctx.text[at:start].strip()


def reply_issue(
    ctx: DocContext, skip_sentence: int | None = None
) -> tuple[str, int] | tuple[None, None]:
    """What went wrong, as the reply names it ("about the delay with your order"), and the
    sentence it came from:
    from the first "problem" hit that gives one, outside sentence ``skip_sentence``."""
    issues = ctx.rewrites.get("issues")
    if issues is None:
        issues = ctx.rewrites["issues"] = _Issues(ctx)
    assert isinstance(issues, _Issues)
    return issues.first(skip_sentence)


class _Issues:
    """:func:`reply_issue` for one draft, each "problem" hit looked at once at most.

    Every finding of a draft may ask for the issue, so the work must not grow with the
    findings times the hits: a hit's answer is remembered, and hits known to give none are
    passed over at once (a next-pointer per hit, compressed as it is followed); hits are tried
    in text order, and only as far as an answer needs."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.hits = ctx.signal("problem")
        self.found: dict[int, tuple[str, int]] = {}  # a hit's answer
        # the next hit (>= k) not known to give nothing; len(hits) past the last
        self.next = list(range(len(self.hits) + 1))
        self.ahead = 8  # sentences asked to be parsed at once, doubled each time
        self.asked = 0  # the hits before this one had their sentences asked for

    def _live(self, k: int) -> int:
        root = k
        while self.next[root] != root:
            root = self.next[root]
        while self.next[k] != root:  # compress the path followed
            self.next[k], k = root, self.next[k]
        return root

    def first(self, skip: int | None) -> tuple[str, int] | tuple[None, None]:
        k = self._live(0)
        while k < len(self.hits):
            hit = self.hits[k]
            if hit.sent == skip:
                k = self._live(k + 1)
                continue
            if k not in self.found:
                if not _askable(self.ctx, hit):
                    answer = None
                else:
                    self._prefetch(k)
                    answer = _issue_at(self.ctx, hit)
                if answer is None:
                    self.next[k] = k + 1
                    k = self._live(k + 1)
                    continue
                self.found[k] = answer
            return self.found[k]
        return None, None

    def _prefetch(self, k: int) -> None:
        """Ask for the sentences of hit ``k`` and of the next few that may be tried after it
        to be parsed together (one at a time, a draft whose hits give no issue would take a
        batch round per hit). The number asked for doubles each time, so at most twice the
        sentences needed are parsed, in a logarithmic number of rounds; hits asked for once
        are not asked for again (every finding of a round asks)."""
        if self.hits[k].sent in self.ctx._parsed:
            return
        if k < self.asked:  # asked for already: wait for that round
            self.ctx.need([self.hits[k].sent])
            return
        wanted: list[int] = []
        j = k
        while j < len(self.hits) and len(wanted) < self.ahead:
            if j not in self.found and _askable(self.ctx, self.hits[j]):
                wanted.append(self.hits[j].sent)
            j = self._live(j + 1)
        self.asked = j
        self.ahead *= 2
        self.ctx.need(wanted)


def _askable(ctx: DocContext, hit: Hit) -> bool:
    """Whether the sentence of problem hit ``hit`` can name the issue: not a question, not a
    policy sentence (its own rule rewrites it)."""
    words = set(ctx.sent_lowers(hit.sent))
    return not (
        ctx.sent_texts[hit.sent].strip().endswith("?")
        or words & {"policy", "policies", "rule", "rules"}
    )


def _issue_at(ctx: DocContext, hit: Hit) -> tuple[str, int] | None:
    """The issue that problem hit ``hit`` names, if it names one (see :func:`reply_issue`);
    its sentence passed :func:`_askable`."""
    span = ctx.parsed_span(hit.start, hit.end)
    if span is None:
        return None
    for token in span:
        if token.pos_ == "NOUN" and token.lemma_.lower() in load_lexicon().problem_nouns:
            phrase = _noun_phrase(ctx, token)
            if phrase:
                return phrase, hit.sent
    return None
