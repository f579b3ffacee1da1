"""Rewrites built from the parse (DESIGN.md §4).

A rule's ``rewrite`` names a builder here or gives a template. Builders use the Doc: the
customer's own sentence with the perspective flipped, the writer's limitation kept after a
benefit-led policy clause, the issue's noun phrase. Where content cannot be known they leave a
visible ``<slot>``, which makes the suggestion display-only.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

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
    """The rule's suggestions for ``hit``. A rewrite that fails never loses the finding: it is
    reported without a suggestion (set REPLYLINT_DEBUG=1 to raise instead)."""
    from .engine import NeedParse

    try:
        return _suggest(ctx, rule, hit)
    except NeedParse:
        raise  # the engine parses the sentence and asks again
    except Exception:
        if os.environ.get("REPLYLINT_DEBUG"):
            raise
        return []


def _suggest(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    spec = rule.rewrite
    if spec is None:
        return []
    if spec.template is not None:
        start, end = hit.start, hit.end
        text = spec.template
        if spec.mode == "replace-sentence":
            start, end = ctx.sentence_span(hit.sent)
        elif spec.mode == "append":
            start = end = ctx.sentence_span(hit.sent)[1]
            text = " " + text
        return [_edit(start, end, text, spec.description, spec.applicability)]
    assert spec.builder is not None
    return BUILDERS[spec.builder](ctx, rule, hit)


# --------------------------------------------------------------------------------------------
# The perspective flip: the customer's words as the writer would say them back
# --------------------------------------------------------------------------------------------

_FIRST = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
}
_SECOND_OBJECT = {
    "your": "our",
    "yours": "ours",
    "yourself": "ourselves",
    "yourselves": "ourselves",
}
_VERB_AFTER_I = {"am": "are", "'m": "'re", "was": "were", "wasn't": "weren't"}
_DISCOURSE = {
    "so",
    "well",
    "honestly",
    "also",
    "basically",
    "um",
    "ok",
    "okay",
    "and",
    "but",
    "hi",
    "hello",
    "hey",
    "look",
    "listen",
    "seriously",
    "again",
    "now",
    "sorry",
    "unfortunately",
    "sadly",
    "oh",
    "ugh",
}
_FEELINGS = {
    "annoyed",
    "frustrated",
    "angry",
    "upset",
    "disappointed",
    "furious",
    "livid",
    "fed",
    "unhappy",
    "sad",
    "stressed",
    "worried",
    "mad",
    "ridiculous",
    "unacceptable",
}


def _flip_token(t: Token, text: str) -> str:
    """``t`` said back by the writer (``text`` is the token as the customer wrote it)."""
    low = t.lower_
    if low in _FIRST:
        return _FIRST[low]
    if low == "you":
        return "we" if t.dep_ in {"nsubj", "nsubjpass", "expl"} else "us"
    if low in _SECOND_OBJECT:
        return _SECOND_OBJECT[low]
    if low in _VERB_AFTER_I:
        subject = next((c for c in t.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.lower_ == "i":
            return _VERB_AFTER_I[low]
        if t.i > 0 and t.doc[t.i - 1].lower_ == "i":
            return _VERB_AFTER_I[low]
    return text


def _join(tokens: list[Token], word: Callable[[Token], str]) -> str:
    """The tokens' text as the user wrote it (``word`` gives a token's original text)."""
    out = "".join(word(t) + t.whitespace_ for t in tokens).strip()
    return " ".join(out.split())


def _sentence_case(text: str, first: Token | None) -> str:
    """Lower-case the first letter, unless it starts a name or is "I"."""
    if first is not None and (first.pos_ == "PROPN" or first.lower_ == "i"):
        return text
    if re.match(r"I\b", text):
        return text
    return text[:1].lower() + text[1:]


def flip_perspective(tokens: list[Token], word: Callable[[Token], str]) -> str:
    """ "I was charged twice for my plan" -> "you were charged twice for your plan"."""
    return _join(tokens, lambda t: _flip_token(t, word(t)))


def _main_clause(sent: Span) -> list[Token]:
    """The sentence without opening discourse words, closing punctuation, or a coordinated
    clause that only voices feelings ("… and I'm really annoyed")."""
    root = sent.root
    dropped: set[int] = set()
    for child in root.children:
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX", "ADJ"}:
            subtree = list(child.subtree)
            if any(t.lower_ in _FEELINGS for t in subtree):
                dropped.update(t.i for t in subtree)
                dropped.update(c.i for c in root.children if c.dep_ == "cc" and c.i < child.i)
    tokens = [t for t in sent if not t.is_space and t.i not in dropped]
    while tokens:
        if tokens[0].lower_ in _DISCOURSE or tokens[0].is_punct:
            tokens = tokens[1:]
        elif len(tokens) > 2 and tokens[0].pos_ == "PROPN" and tokens[1].text == ",":
            tokens = tokens[2:]  # a name addressing the customer: "Dana, …"
        else:
            break
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc" or _symbol(tokens[-1])):
        tokens = tokens[:-1]  # closing punctuation, a dangling "and", an emoji
    return tokens


def _symbol(token: Token) -> bool:
    """An emoji or other symbol (no letters or digits)."""
    return not any(c.isalnum() for c in token.text) and not token.is_space


def customer_complaint(ctx: DocContext) -> str | None:
    """The customer's main complaint, flipped into the writer's voice, or None (worked out
    once per draft: every finding of a long draft asked again, reading the whole message)."""
    memo = ctx.rewrites
    if "complaint" not in memo:
        memo["complaint"] = _customer_complaint(ctx)
    found: str | None = memo["complaint"]
    return found


def _customer_complaint(ctx: DocContext) -> str | None:
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
        negated = any(t.lower_ in {"not", "n't", "never", "no", "nobody", "nothing"} for t in sent)
        score = (
            (3 if n in problem_sents else 0) + (2 if first_person else 0) + (1 if negated else 0)
        )
        if score >= 3 and (best is None or score > best[0]):
            best = (score, n)
    if best is None:
        return None
    tokens = _main_clause(cctx.parsed(best[1])[:])
    if len(tokens) < 2 or len(tokens) > 40:
        return None
    return _sentence_case(flip_perspective(tokens, cctx.word), tokens[0])


# --------------------------------------------------------------------------------------------
# The issue, from the reply itself
# --------------------------------------------------------------------------------------------

_PROBLEM_NOUNS = {
    "issue",
    "problem",
    "error",
    "mistake",
    "delay",
    "complaint",
    "charge",
    "outage",
    "bug",
    "trouble",
    "damage",
    "mix-up",
    "mixup",
    "glitch",
    "fault",
}


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
    chunk = chunks.get(token.i)
    if chunk is None:
        return None
    tokens = list(chunk)
    if tokens[0].lower_ in {"no", "any"}:
        return None
    nxt = doc[chunk.end] if chunk.end < len(doc) else None
    if nxt is not None and nxt.lower_ in {"with", "on", "in", "to", "for"}:
        tail = list(nxt.subtree)
        if len(tail) <= 5:
            tokens += tail
    if tokens[0].pos_ == "DET" and tokens[0].lower_ not in {"the", "your", "our"}:
        tokens = tokens[1:]
    if not tokens:
        return None
    text = _sentence_case(_join(tokens, ctx.word), tokens[0])
    if tokens[0].lower_ not in {"the", "your", "our", "my"}:
        text = "the " + text
    return "about " + text


def reply_issue(
    ctx: DocContext, skip_sentence: int | None = None
) -> tuple[str, int] | tuple[None, None]:
    """What went wrong, in the reply's own words ("about the delay with your order", or a
    clause such as "your parcel was delayed at the depot"), and the sentence it came from:
    from the first "problem" hit that gives one, outside sentence ``skip_sentence``."""
    issues = ctx.rewrites.get("issues")
    if issues is None:
        issues = ctx.rewrites["issues"] = _Issues(ctx)
    assert isinstance(issues, _Issues)
    return issues.first(skip_sentence)


class _Issues:
    """:func:`reply_issue` for one draft, each "problem" hit looked at once at most.

    Every finding of a long draft asked for the issue, and each asking read every problem hit
    again (quadratic in the draft's length). Here a hit's answer is remembered, and hits known
    to give none are passed over at once (a next-pointer per hit, compressed as it is followed);
    hits are still tried in text order, and only as far as an answer needs, as before."""

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
        to be parsed together: asked one at a time, a draft whose hits give no issue took a
        batch round per hit. The number asked for doubles each time, so at most twice the
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
    sent = ctx.parsed(hit.sent)[:]
    span = ctx.parsed_span(hit.start, hit.end)
    if span is None:
        return None
    for token in span:
        if token.pos_ == "NOUN" and token.lemma_.lower() in _PROBLEM_NOUNS:
            phrase = _noun_phrase(ctx, token)
            if phrase:
                return phrase, hit.sent
    predicate = any(t.dep_ in {"ROOT", "acomp", "xcomp", "neg", "aux"} for t in span)
    subj = next((c for c in sent.root.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
    subject = subj is not None
    if subj is not None and subj.lower_ in {"i", "we"}:
        # "we can't refund it" is the issue; "I've refunded it" is the fix
        subject = any(t.dep_ == "neg" or t.lower_ in {"unable", "afraid"} for t in sent)
    tokens = _main_clause(sent)
    if predicate and subject and 3 <= len(tokens) <= 20 and tokens[0].lower_ != "please":
        return _sentence_case(_join(tokens, ctx.word), tokens[0]), hit.sent
    return None


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


def acknowledge(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Open with "I'm sorry <the issue> — I can see why that's frustrating."; when the issue is
    the body's own first sentence (a refusal, a delay), that sentence becomes the apology."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    at = ctx.body_start
    complaint = customer_complaint(ctx)
    if complaint:
        return [_edit(at, at, f"I'm sorry {complaint} — {FRUSTRATING} ", desc, app)]
    issue, index = reply_issue(ctx)
    if issue is None or index is None:
        return [_edit(at, at, f"I'm sorry about {ISSUE_SLOT} — {FRUSTRATING} ", desc, app)]
    if index == ctx.sent_index(at) and not issue.startswith("about "):
        start, end = ctx.sentence_span(index, at)
        return [_edit(start, end, f"I'm sorry {issue} — {FRUSTRATING}", desc, app)]
    return [_edit(at, at, f"I'm sorry {issue} — {FRUSTRATING} ", desc, app)]


def paraphrase(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    assert rule.rewrite is not None
    complaint = customer_complaint(ctx) or PARAPHRASE_SLOT
    sentence = f"Just to make sure I understand: {complaint}. Is that right?"
    # after an acknowledgement that opens the body, otherwise at the start of the body
    first = ctx.sent_index(ctx.body_start)
    if any(h.sent == first for h in ctx.signal("acknowledgement")):
        sent = ctx.sents[first]
        at = sent.start_char + len(sent.text.rstrip())
        return [_edit(at, at, " " + sentence, rule.rewrite.description, rule.rewrite.applicability)]
    at = ctx.body_start
    return [_edit(at, at, sentence + " ", rule.rewrite.description, rule.rewrite.applicability)]


def drop_sentence(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Delete the writer's own story, or replace it with a line about the customer."""
    assert rule.rewrite is not None
    start, end = ctx.sentence_span(hit.sent)
    # delete through the following spaces (but keep line structure)
    stop = end
    while stop < len(ctx.text) and ctx.text[stop] in " \t":
        stop += 1
    replacement = str(rule.params.get("replacement", ""))
    edits = [_edit(start, stop, "", rule.rewrite.description, rule.rewrite.applicability)]
    if replacement:
        edits.append(
            _edit(
                start,
                end,
                replacement,
                "Replace it with a line about the customer",
                rule.rewrite.applicability,
            )
        )
    return edits


# a greeting or name opening the sentence is kept; "unfortunately", "sorry" give way to the benefit
_KEEP_PREFIX = re.compile(
    r"^(?:(?i:hi|hey|hello|dear|sorry|thanks)\b[^,.!?]{0,30},\s*"
    r"|(?!(?i:unfortunately|sadly|sorry|so|well|also|however|but|ok|okay|yes|no)\b)[A-Z][a-z]+,\s*)"
)
_OPENERS = re.compile(r"^(?:(?:unfortunately|sadly|sorry|so|i'm afraid)\b[\s,]*)+", re.IGNORECASE)
_CONNECTORS = r"(?:,|;|:|—|–|-|\bbecause\b|\bas\b|\bsince\b|\band\b|\bbut\b|\bso\b|\bthat\b)"
_TAIL = re.compile(rf"(?:\s*{_CONNECTORS})+\s*$", re.IGNORECASE)
_LEAD = re.compile(rf"^(?:\s*{_CONNECTORS})+\s*", re.IGNORECASE)


def _benefit(ctx: DocContext, rule: Rule) -> str:
    """The benefit to lead with, from the draft's words (once per draft and rule: lowering
    the whole draft for each finding was quadratic in its length)."""
    key = ("benefit", rule.id)
    if key not in ctx.rewrites:
        ctx.rewrites[key] = _find_benefit(ctx.text.lower(), rule)
    return str(ctx.rewrites[key])


def _find_benefit(text: str, rule: Rule) -> str:
    for lead, words in rule.params["benefits"].items():
        if _starting_a_word(tuple(words)).search(text):
            return str(lead)
    return str(rule.params["default_benefit"])


class _Refusals:
    """The draft's "refusal" hits outside the rule's own (policy) hits, indexed: the starts
    and ends of those in text order (they are merged hits: they never overlap) and their
    sentences. Built once per draft and rule (a scan per finding was quadratic)."""

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


def policy_benefit(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Replace a bare policy clause with a benefit-led one, keeping the writer's limitation:
    "I can't extend your trial, it's company policy." -> "To keep things fair for every
    customer, I can't extend your trial." """
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    lead = _benefit(ctx, rule)
    s_start, s_end = ctx.sentence_span(hit.sent)
    sentence = ctx.source(s_start, s_end)
    keep = _KEEP_PREFIX.match(sentence)
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

    left, left_refuses = part(start, hit.start)
    right, right_refuses = part(hit.end, end)
    left = _OPENERS.sub("", _TAIL.sub("", left).strip())
    right = _LEAD.sub("", right).strip()
    matched = ctx.text[hit.start : hit.end].lower()
    if right and any(matched.endswith(v) for v in rule.params["prohibiting_verbs"]):
        right, right_refuses = "we can't offer " + right, True
    elif right.startswith("not to "):
        right, right_refuses = "we don't " + right[len("not to ") :], True

    def case(text: str) -> str:
        at = ctx.text.find(text[:12], s_start, s_end) if text else -1
        span = ctx.parsed_span(at, at + 1) if at >= 0 else None
        return _sentence_case(text, span[0] if span is not None and len(span) else None)

    lead_text = _sentence_case(lead, None) if keep else lead

    def clause(text: str, a: int, b: int) -> bool:
        """Whether ``text`` (found in [a, b)) is a clause of its own, with a verb."""
        span = ctx.parsed_span(a, b) if b > a else None
        return bool(text) and span is not None and any(t.pos_ in {"VERB", "AUX"} for t in span)

    has_left = clause(left, start, hit.start)
    right = right if clause(right, hit.end, end) or right.startswith("we ") else ""
    if right and ((right_refuses and not left_refuses) or not has_left):
        before = ctx.source(start, hit.start).rstrip(" ,;:")
        if has_left:  # "I understand, but <policy> and I can't …"
            joint = " " if re.search(r"\b(?:but|and|so)$", before, re.IGNORECASE) else ", "
            lead_text = f"{before}{joint}{_sentence_case(lead, None)}"
        return [_edit(start, s_end, f"{lead_text}, {case(right)}{final}", desc, app)]
    if has_left:
        return [_edit(start, s_end, f"{lead_text}, {case(left)}{final}", desc, app)]
    # a policy sentence on its own: fold the refusal just before it into the new one
    if hit.sent > 0 and not keep:
        prev = ctx.sents[hit.sent - 1]
        prev_text = ctx.source(prev.start_char, prev.end_char).rstrip()
        verb = any(t.pos_ in {"VERB", "AUX"} for t in ctx.parsed(hit.sent - 1))
        if hit.sent - 1 in refusals.sents and prev_text and verb:
            limitation = _OPENERS.sub("", prev_text.rstrip(".!"))
            at = prev.start_char + prev_text.find(limitation[:3])
            span = ctx.parsed_span(at, at + 1)
            first = span[0] if span is not None and len(span) else None
            text = f"{lead}, {_sentence_case(limitation, first)}."
            return [_edit(prev.start_char, s_end, text, desc, app)]
    return [_edit(start, s_end, f"{lead_text}, <what you can't do>{final}", desc, app)]


_CONDITIONAL_APOLOGY = re.compile(
    r"(?:sorry|apologi[sz]e|apologies)\s+if\s+(?:you\s+(?:feel|felt|think|thought)\s+(?:that\s+)?)?"
    r"(.+?)[.!]*$",
    re.IGNORECASE,
)


def specific_apology(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Replace a stock or non-apology with one that names what happened."""
    assert rule.rewrite is not None
    start, end = ctx.sentence_span(hit.sent)
    # "sorry if you feel that the service was slow" -> "I'm sorry the service was slow."
    own = _CONDITIONAL_APOLOGY.search(ctx.source(hit.start, end))
    issue: str | None = None
    if own:
        clause = re.sub(r"\bcaused any\b", "caused", own.group(1).strip())
        if re.search(
            r"\b(?:was|were|is|are|has|have|had|did|caused|came|seemed|took|made|"
            r"got|went|didn't|wasn't|weren't|\w+ed)\b",
            clause,
        ):
            issue = clause
    issue = issue or customer_complaint(ctx) or reply_issue(ctx, skip_sentence=hit.sent)[0]
    text = f"I'm sorry {issue}." if issue else "I'm sorry that <what happened>."
    return [_edit(start, end, text, rule.rewrite.description, rule.rewrite.applicability)]


@cache
def _deletable(pattern: str) -> Any:
    from .rulebook import budgeted

    return budgeted(pattern)


def _whole(pattern: str, text: str) -> bool:
    """Whether ``pattern`` (a rule's ``deletable`` param, from a user's rule too) matches all
    of ``text``; under the regex budget (over it, the suggestion is dropped: see suggest)."""
    from .rulebook import REGEX_BUDGET

    return _deletable(pattern).fullmatch(text, timeout=REGEX_BUDGET) is not None


def soften(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """Delete a condescending adverb or aside ("Obviously, ", "as I already said, "); give other
    phrases a slot for a patient restatement."""
    assert rule.rewrite is not None
    desc, app = rule.rewrite.description, rule.rewrite.applicability
    matched = ctx.text[hit.start : hit.end].lower()
    if any(_whole(p, matched) for p in rule.params["deletable"]):
        # the edit's span is in the parsed text: it never reaches into a placeholder or across
        # a removed template tag (a placeholder's parsed word and its draft text differ in length)
        end = hit.end
        while end < len(ctx.text) and ctx.text[end] in ", " and _as_typed(ctx, hit.start, end + 1):
            end += 1
        start = hit.start
        sent_start = ctx.sentence_span(hit.sent)[0]
        at_start = not ctx.text[sent_start : hit.start].strip()
        if not at_start:  # keep one space between the neighbours
            while (
                start > sent_start and ctx.text[start - 1] == " " and _as_typed(ctx, start - 1, end)
            ):
                start -= 1
            return [_edit(start, end, " " if end < len(ctx.text) else "", desc, app)]
        word = re.match(r"\w+", ctx.text[end:])  # the word that now starts the sentence
        if word and _as_typed(ctx, start, end + word.end()):
            capital = capitalised(ctx.source(end, end + word.end()))
            if capital is not None:
                return [_edit(start, end + 1, capital, desc, Applicability.SAFE)]
        return [_edit(start, end, "", desc, Applicability.SAFE)]
    start, end = ctx.sentence_span(hit.sent)
    return [_edit(start, end, "<the same point, said plainly and patiently>", desc, app)]


def _as_typed(ctx: DocContext, start: int, end: int) -> bool:
    """Whether [start, end) of the parsed text is the draft's own text character for character:
    no placeholder in it and no template tag removed inside it."""
    if any(ps < end and start < pe for ps, pe in ctx.masked.placeholders):
        return False
    a, b = ctx.masked.offsets.span_to_original(start, end)
    return b - a == end - start


def capitalised(word: str) -> str | None:
    """The first character of ``word`` title-cased, where that is a change of one code point
    to one ("you" -> "Y", "élan" -> "É"), else None: a word that is not lower-case at its start,
    a mixed-case word ("iPhone", "eBay", "iOS": an upper-case letter after the first), or a
    first letter whose capital is not one character ("ß" -> "Ss") are left as they are."""
    first = word[:1]
    if not first.islower() or any(c.isupper() for c in word[1:]):
        return None
    title = first.title()
    return title if len(title) == 1 and title != first else None


def greeting(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """ "Hi <name>," — or the helpdesk's own name placeholder when the draft uses one."""
    assert rule.rewrite is not None
    name = ctx.masked.customer_name_placeholder() or "<name>"
    at = hit.start
    return [_edit(at, at, f"Hi {name},\n\n", rule.rewrite.description, rule.rewrite.applicability)]


BUILDERS: dict[str, Builder] = {
    "specific-apology": specific_apology,
    "soften": soften,
    "greeting": greeting,
    "acknowledge": acknowledge,
    "paraphrase": paraphrase,
    "drop-sentence": drop_sentence,
    "policy-benefit": policy_benefit,
}
