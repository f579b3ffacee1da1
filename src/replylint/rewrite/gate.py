"""The gate every suggestion passes before it is offered (issue 18, DESIGN.md §4).

A rule's builder (or template) proposes candidate edits; the engine hands each draft's
candidates here, after its rules ran, and keeps only those the gate lets through:

1. **Static checks** (:func:`static_reason`, cheap, on every candidate): the new text carries
   no @handle, URL, hashtag, emoji, e-mail header or profanity the replaced text did not have,
   no question or leftover first person of the customer's, nothing glued after "I'm sorry"
   that does not fit (an adverb, a discourse word, a verb without a subject, an infinitive, a
   participle), no doubled word, no sentence the draft already has, no second apology or
   acknowledgement, no refusal inside an apology; a replacement covers no more than its
   finding's sentence and drops no link, handle, placeholder or number of it; a social reply
   (one that opens with @handles) stays within 280 characters.
2. **The dynamic check** (:func:`verify`, on what passed): the edit applied to the draft's
   text and the draft re-linted where the edit can change anything: the sentences the edit and
   the finding touch, before and after the edit (every existence and check rule is judged by
   sentence), and, for the document-level (absence) rules, their triggers and requirements in
   those sentences together with the rest of the draft's. Its finding must be gone and no
   finding of warning or above may appear. A rule whose finding the touched sentences alone do
   not reproduce (a document-level check such as we-focus) is judged on the whole edited
   draft. Results are remembered by text, so a sentence seen before is not linted again.

A refused candidate falls back to the builder's display-only template (a visible ``<slot>``,
:data:`FALLBACKS`) when that passes, else the finding has no suggestion. The reasons are kept
(``replylint check --explain-suggestions``, ``replylint eval --rewrites``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from ..models import SLOT_RE, Applicability, Severity
from ..params import CHECK_KINDS
from ..structure import social_structure
from .edit import edit

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit
    from ..models import Rule

SOCIAL_CHARS = 280
# the builders that put the customer's or the draft's words into new text
CONTENT_BUILDERS = frozenset({"acknowledge", "paraphrase", "specific-apology", "policy-benefit"})

# -- word lists the static checks use --------------------------------------------------------
PROFANITY = frozenset(
    [
        "fuck",
        "fucking",
        "fucked",
        "fck",
        "wtf",
        "shit",
        "shitty",
        "crap",
        "crappy",
        "damn",
        "damned",
        "bloody",
        "bullshit",
        "ass",
        "asshole",
        "arse",
        "bastard",
        "bitch",
        "piss",
        "pissed",
        "garbage",
        "trash",
        "scam",
        "scammers",
        "scammed",
        "idiots",
        "idiot",
        "stupid",
        "useless",
        "pathetic",
        "joke",
        "clowns",
        "morons",
        "moron",
        "dumb",
        "sucks",
        "lmao",
        "lol",
        "omg",
        "ffs",
        "smh",
    ]
)
INTERJECTIONS = frozenset(
    [
        "nope",
        "nah",
        "yeah",
        "yep",
        "yup",
        "ugh",
        "argh",
        "oh",
        "ah",
        "ahh",
        "hmm",
        "um",
        "uh",
        "wow",
        "ok",
        "okay",
        "hey",
        "hi",
        "hello",
        "bro",
        "dude",
        "mate",
        "lol",
        "omg",
        "pls",
        "plz",
        "please",
        "well",
        "so",
        "yes",
        "no",
        "rip",
        "oops",
    ]
)
# what may follow "I'm sorry" / "Sorry": a subject or determiner opening a clause, a
# preposition of an issue noun phrase, "that", "to hear|see|learn"
_AFTER_SORRY = frozenset(
    [
        "nobody",
        "somebody",
        "everyone",
        "everybody",
        "no",
        "about",
        "for",
        "that",
        "you",
        "your",
        "we",
        "our",
        "the",
        "this",
        "it",
        "its",
        "it's",
        "they",
        "their",
        "there",
        "he",
        "she",
        "his",
        "her",
        "i",
        "i'm",
        "i've",
        "my",
        "a",
        "an",
        "all",
        "any",
        "these",
        "those",
        "everything",
        "nothing",
        "none",
        "one",
        "someone",
        "something",
        "some",
        "you're",
        "you've",
        "you'd",
        "we're",
        "we've",
        "they're",
        "they've",
        "it's",
        "there's",
        "that's",
    ]
)
_SORRY = re.compile(r"\b(?:i'm|i am|we're|we are)?\s*(?:so |really |very )?sorry\b[ ,]*", re.I)
_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies|regret)\b", re.I)
_ACKNOWLEDGE = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|(?<!sure )i understand\b(?!:)|"
    r"i can (?:see|understand|imagine)|"
    r"that must be|i know how|frustrating)\b",
    re.I,
)
REFUSAL = re.compile(
    r"\b(?:can't|cannot|can not|unable|won't be able|aren't able|are not able|not able|"
    r"not possible|n't possible|not allowed|don't (?:offer|ship|deliver|allow|refund|accept|do)|"
    r"doesn't allow|no way to|nothing (?:i|we) can do)\b",
    re.I,
)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|co|ly|me)(?:/\S*)?\b", re.I)
_HASHTAG = re.compile(r"(?<![\w&])#[A-Za-z]\w*")
_HEADER = re.compile(
    r"(?im)^\s*(?:from|to|subject|sent|cc|date):\s|\bon .{3,60} wrote:|-----original message"
)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\[[^\]\n]{1,40}\]|%[A-Z_]+%|<[^<>\n]{1,60}>")
_NUMBER = re.compile(r"[£$€]?(?<![\w@])[A-Za-z]*\d(?:[\d,.:/-]*\d)?[A-Za-z%]*")
_WORD = re.compile(r"[A-Za-z']+")
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.I)
_DOUBLED_OK = frozenset({"that", "had", "is", "very", "so", "no", "bye", "ha", "really"})
# questions the frames themselves ask (paraphrase, check-back)
_FRAME_QUESTIONS = re.compile(
    r"\b(?:is that right|does that work for you|is that correct|would you like[^?]*)\?", re.I
)
# the customer's first person, left where the writer speaks of the customer
_FIRST_PERSON = re.compile(r"\b(?:my|me|mine|myself|I've|I'd|I was|I am|I have|I had)\b")
_FRAME_FIRST = re.compile(
    r"\b(?:I'm sorry|I am sorry|I can see|I can imagine|I understand|I know|I'll|I will|"
    r"here's how I'll|make sure I understand|what I can do|I've asked|I can do)\b",
    re.I,
)


@dataclass
class Candidate:
    """One candidate suggestion of a finding and what the gate said of it (``reason`` "" when
    it passed; ``origin`` says where it came from: ``builder``, ``template`` or
    ``fallback``)."""

    edit: Edit
    origin: str
    reason: str = ""
    checked: bool = False


@dataclass
class Judged:
    """A finding's candidates, in the order they were judged, and the ones it offers."""

    rule: Rule
    hit: Hit
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def offered(self) -> list[Edit]:
        return [c.edit for c in self.candidates if not c.reason]


# -- static checks ----------------------------------------------------------------------------


def _social(ctx: DocContext) -> bool:
    return (
        bool(ctx.masked.original.lstrip().startswith("@"))
        and social_structure(ctx.masked.original).handles
    )


def _added(old: str, new: str, pattern: re.Pattern[str]) -> list[str]:
    """What ``pattern`` finds in ``new`` and not in ``old``."""
    had = {m.group(0).lower() for m in pattern.finditer(old)}
    return [m.group(0) for m in pattern.finditer(new) if m.group(0).lower() not in had]


def _dropped(old: str, new: str, pattern: re.Pattern[str]) -> list[str]:
    return [m.group(0) for m in pattern.finditer(old) if m.group(0) not in new]


_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")


def _emoji(text: str) -> bool:
    return _EMOJI.search(text) is not None


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [_words(p) for p in parts if len(_WORD.findall(p)) >= 4]


def _draft_acknowledgements(ctx: DocContext) -> list[tuple[int, int]]:
    """Where the draft apologises or acknowledges (once per draft)."""
    found: list[tuple[int, int]] | None = ctx.rewrites.get("gate:acknowledgements")
    if found is None:
        found = [m.span() for m in _ACKNOWLEDGE.finditer(ctx.text)]
        ctx.rewrites["gate:acknowledgements"] = found
    return found


def _words(text: str) -> str:
    """``text``'s words, lower-case, one space apart (what a repeated sentence is compared on)."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def _after_sorry(new: str) -> str | None:
    """What is glued after "I'm sorry" that does not fit, if anything."""
    for m in _SORRY.finditer(new):
        rest = new[m.end() :]
        if not rest or rest[0] in ".!—–-:;":
            continue  # "I'm sorry." "Sorry — …"
        first = _WORD.match(rest)
        if first is None:
            return rest.split()[0] if rest.split() else None
        word = first.group(0).lower()
        if word == "to":
            nxt = str((_WORD.findall(rest[2:]) or [""])[0]).lower()
            if nxt not in {"hear", "see", "learn", "say", "read"}:
                return "to " + nxt
            continue
        if word in _AFTER_SORRY:
            continue
        if rest[:1].isupper() and word not in INTERJECTIONS and not word.endswith("ly"):
            continue  # a name ("Sorry Dana, …" is handled by the vocative check)
        return word
    return None


def static_reason(ctx: DocContext, rule: Rule, hit: Hit, e: Edit, origin: str) -> str:
    """Why the candidate ``e`` of ``rule``'s finding ``hit`` must not be offered ("" when the
    static checks pass)."""
    text = ctx.text
    old = text[e.start : e.end]
    new = e.replacement
    content = (
        origin == "builder"
        and rule.rewrite is not None
        and (rule.rewrite.builder in CONTENT_BUILDERS)
    )
    # the span: a replacement never covers more than its finding's sentence
    if e.end > e.start:
        s_start, s_end = ctx.sentence_span(hit.sent)
        while s_end < len(text) and text[s_end] in " \t":
            s_end += 1
        while s_start > 0 and text[s_start - 1] in " \t":
            s_start -= 1
        if e.start < s_start or e.end > s_end:
            return "replaces more than its finding's sentence"
    for ps, pe in ctx.masked.placeholders:
        if e.start < pe and ps < e.end:
            a, b = ctx.masked.offsets.span_to_original(ps, pe)
            token = ctx.masked.original[a:b]
            if ps < e.start or pe > e.end or (new.strip() and token not in new):
                return f"drops or cuts a placeholder ({token})"
    reason = _text_reason(old, new, content)
    if reason or not new.strip():
        return reason or _budget(ctx, e)
    # doubled words and repeated sentences, in the edited sentence
    around = text[max(0, e.start - 40) : e.start] + new + text[e.end : e.end + 40]
    doubled = [
        m.group(1) for m in _DOUBLED.finditer(around) if m.group(1).lower() not in _DOUBLED_OK
    ]
    had = {m.group(1).lower() for m in _DOUBLED.finditer(text[max(0, e.start - 40) : e.end + 40])}
    doubled = [d for d in doubled if d.lower() not in had]
    if doubled:
        return f"doubles a word ({doubled[0]})"
    keys = _sentences(new)
    if keys:
        whole = ctx.rewrites.get("gate:words")
        if whole is None:
            whole = ctx.rewrites["gate:words"] = _words(text)
        replaced = _words(old)
        if any(whole.count(k) > replaced.count(k) for k in keys):
            return "repeats a sentence of the draft"
    # one apology or acknowledgement per draft
    if (
        _ACKNOWLEDGE.search(new)
        and not _ACKNOWLEDGE.search(old)
        and any(b <= e.start or a >= e.end for a, b in _draft_acknowledgements(ctx))
    ):
        return "adds a second apology or acknowledgement"
    return _budget(ctx, e)


@lru_cache(maxsize=32768)
def _text_reason(old: str, new: str, content: bool) -> str:
    """The static checks that read only the replaced text and the new one (remembered: a
    template's text is judged once per sentence it replaces)."""
    # facts kept: links, handles, placeholders (and numbers, unless the sentence goes)
    for what, pattern in (("a link", _URL), ("an @handle", _HANDLE)):
        lost = _dropped(old, new, pattern)
        if lost:
            return f"drops {what} ({lost[0]})"
    if new.strip():
        lost = _dropped(old, new, _NUMBER)
        if lost:
            return f"drops a number ({lost[0]})"
    if not new.strip():
        return ""
    for what, pattern in (
        ("an @handle", _HANDLE),
        ("a link", _URL),
        ("a hashtag", _HASHTAG),
        ("an e-mail header", _HEADER),
    ):
        found = _added(old, new, pattern)
        if found:
            return f"carries {what} ({found[0]})"
    if _emoji(new) and not _emoji(old):
        return "carries an emoji"
    added_words = {w.lower() for w in _WORD.findall(new)} - {w.lower() for w in _WORD.findall(old)}
    rude = sorted(added_words & PROFANITY)
    if rude:
        return f"carries profanity or an insult ({rude[0]})"
    bare = _PLACEHOLDER.sub("", new)
    if re.search(r"\b[A-Z]{4,}\b", bare) and not re.search(r"\b[A-Z]{4,}\b", old):
        shout = re.search(r"\b[A-Z]{4,}\b", bare)
        assert shout is not None
        if not SLOT_RE.search(new) or shout.group(0) not in SLOT_RE.sub("", new):
            return f"carries shouting ({shout.group(0)})"
    questions = new.count("?") - len(_FRAME_QUESTIONS.findall(new))
    if questions > old.count("?"):
        return "carries a question"
    glued = _after_sorry(new)
    if glued is not None and glued not in _after_sorry_in(old):
        return f"glues '{glued}' after 'I'm sorry'"
    if content:
        spoken = _FRAME_FIRST.sub("", new)
        if _FIRST_PERSON.search(spoken) and not _FIRST_PERSON.search(_FRAME_FIRST.sub("", old)):
            return "leaves the customer's first person ('my', 'I')"
        low = {w.lower() for w in _WORD.findall(new)}
        if low & INTERJECTIONS - {"please", "so", "well", "no", "ok", "okay"} - {
            w.lower() for w in _WORD.findall(old)
        }:
            return "carries an interjection"
        if re.search(r"\bplease\b", new, re.I) and not re.search(r"\bplease\b", old, re.I):
            return "carries an imperative"
    refusal = REFUSAL.search(new)
    if refusal and _SORRY.search(new[: refusal.start()]) and not _APOLOGY.search(old):
        return "repeats a refusal inside an apology"
    return ""


def _after_sorry_in(old: str) -> set[str]:
    glued = _after_sorry(old)
    return {glued} if glued else set()


def _budget(ctx: DocContext, e: Edit) -> str:
    """The channel's length budget: a social reply (one opening with @handles) within 280
    characters once the edit is made."""
    if not _social(ctx):
        return ""
    original = ctx.masked.original
    a, b = ctx.masked.offsets.span_to_original(e.start, e.end)
    spacing = 1 if e.start == e.end and e.replacement.strip() == e.replacement else 0
    after = len(original) - (b - a) + len(e.replacement) + spacing
    if after > SOCIAL_CHARS and after > len(original):
        return f"makes the social reply over {SOCIAL_CHARS} characters ({after})"
    return ""


# -- fallbacks --------------------------------------------------------------------------------


def _insert_at_body(text: str) -> Callable[[DocContext, Rule, Hit], Edit]:
    def make(ctx: DocContext, rule: Rule, hit: Hit) -> Edit:
        at = ctx.body_start
        return _fallback_edit(rule, at, at, text)

    return make


def _replace_sentence(text: str) -> Callable[[DocContext, Rule, Hit], Edit]:
    def make(ctx: DocContext, rule: Rule, hit: Hit) -> Edit:
        start, end = ctx.sentence_span(hit.sent)
        return _fallback_edit(rule, start, end, text)

    return make


def _fallback_edit(rule: Rule, start: int, end: int, text: str) -> Edit:
    desc = rule.rewrite.description if rule.rewrite is not None else ""
    return edit(start, end, text, desc, Applicability.DISPLAY_ONLY)


FALLBACKS: dict[str, Callable[[DocContext, Rule, Hit], Edit]] = {
    "acknowledge": _insert_at_body("I'm sorry about <the issue>. "),
    "paraphrase": _insert_at_body(
        "Just to make sure I understand: <the customer's issue, in your words>. Is that right? "
    ),
    "specific-apology": _replace_sentence("I'm sorry that <what happened>."),
    "policy-benefit": _replace_sentence(
        "<what you can't do, with the reason it helps the customer>."
    ),
    "soften": _replace_sentence("<the same point, said plainly and patiently>."),
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


# -- the dynamic check ------------------------------------------------------------------------


class Probe(Protocol):
    def matches(self, owner: str) -> bool:
        """Whether the text matches an ``unless`` of ``owner`` that reads a neighbour."""

    def has(self, owner: str) -> bool:
        """Whether ``owner`` (a rule or signal with such an ``unless``) has hits in the text."""


@dataclass
class Summary:
    """What a piece of text gives the rules: per existence/check rule its number of hits, per
    absence rule whether its trigger and its requirement are present."""

    counts: dict[str, int]
    triggered: dict[str, bool]
    required: dict[str, bool]
    # what the text's sentences match of the rules' and signals' ``unless`` windows that read
    # a neighbouring sentence (asked only where a neighbour makes it matter)
    probe: Probe | None = None
    sentences: int = 0  # the sentences of the text (its focus)


class Lazy(dict[str, bool]):
    """An absence rule's trigger or requirement in a text (its sentences ``sents`` of the
    context the text was linted in), looked up when asked: proving a signal absent may need
    the parse, so it is asked only where the verdict needs it."""

    def __init__(self, ctx: DocContext, part: str, sents: frozenset[int]) -> None:
        super().__init__()
        self.ctx, self.part, self.sents = ctx, part, sents

    def _in(self, key: str) -> bool:
        ctx = self.ctx
        # a phrase of the spec itself is enough (no check or signal of it need run)
        for a, b in ctx.matches.lexical(key):
            if ctx.sent_index(a) in self.sents and not ctx.masked.in_placeholder(a, b):
                return True
        if _customer_present(ctx, key):
            return True
        return any(h.sent in self.sents for h in ctx.spec_hits(key))

    def __missing__(self, rule_id: str) -> bool:
        key = self.ctx.compiled.key
        owner = f"rule:{rule_id}"
        found = self._in(key(owner, self.part))
        rule = self.ctx.compiled.book.rules[rule_id]
        if not found and self.part == "trigger" and rule.trigger_all:
            found = all(
                self._in(key(owner, f"trigger_all{i}")) for i in range(len(rule.trigger_all))
            )
        self[rule_id] = found
        return found


class InContext(Summary):
    """The window as the draft's own lint saw it (its rules' hits inside the window; an absence
    rule's requirement there, looked up when asked)."""

    def __init__(self, ctx: DocContext, rules: Iterable[Rule], span: tuple[int, int]) -> None:
        a, b = span
        index: dict[str, list[int]] | None = ctx.rewrites.get("gate:starts")
        if index is None:
            index = ctx.rewrites["gate:starts"] = {}
        counts = {}
        for r in rules:
            if r.kind not in ("existence", "check"):
                continue
            starts = index.get(r.id)
            if starts is None:  # the rule's hits are merged: in text order, not overlapping
                starts = index[r.id] = [h.start for h in ctx.rule_hits(r)]
            if not starts:
                counts[r.id] = 0
                continue
            hits = ctx.rule_hits(r)
            lo = bisect.bisect_left(starts, a)
            hi = bisect.bisect_left(starts, b)
            counts[r.id] = sum(1 for h in hits[lo:hi] if h.end <= b)
        super().__init__(counts, {}, {})  # (its absence rules are read from the draft)


# lint(texts): each (original text of a window, customer ctx) summarised
Linter = Callable[[list[tuple[str, "DocContext | None"]]], list[Summary]]


def window(ctx: DocContext, rule: Rule, hit: Hit, e: Edit) -> tuple[int, int]:
    """The core of the edit's window: the span of the masked text whose sentences the edit and
    the finding touch. A sentence inserted on its own for a document-level (absence) rule
    touches none: its core is empty. A document-level check's is the whole draft."""
    if rule.kind == "check" and rule.check is not None:
        kind = CHECK_KINDS.get(rule.check)
        if kind is not None and kind.document:
            return 0, len(ctx.text)
    if e.start == e.end and rule.kind == "absence":
        index = ctx.sent_index(e.start)
        a, b = ctx.sentence_span(index)
        if not ctx.text[a : e.start].strip() or e.start >= b:
            return e.start, e.start
    lo, hi = min(e.start, hit.start), max(e.end, hit.end)
    first = ctx.sent_index(lo)
    last = ctx.sent_index(max(lo, hi - 1)) if hi > lo else first
    a = ctx.sentence_span(first)[0]
    b = ctx.sentence_span(last)[1]
    return min(a, lo), max(b, hi)


def widened(ctx: DocContext, core: tuple[int, int], by: int = 1) -> tuple[int, int]:
    """``core`` with ``by`` sentences before it and after it: the window whose hits the check
    compares (by 1: what an ``unless`` window of a rule in the core reads, "sentence+next"),
    or the text linted for it (by 2: what the rules of those neighbours read in turn)."""
    a, b = core
    if not ctx.sents:
        return a, b
    first = ctx.sent_index(a)
    last = ctx.sent_index(max(a, b - 1)) if b > a else first
    start = ctx.sents[max(0, first - by)].start_char
    end = ctx.sents[min(len(ctx.sents) - 1, last + by)].end_char
    return min(start, a), max(end, b)


def texts_of(
    ctx: DocContext, text_span: tuple[int, int], focus: tuple[int, int], e: Edit
) -> tuple[str, str, tuple[int, int]]:
    """The original text of ``text_span`` before and after the edit, and where ``focus`` (the
    window whose hits are compared) is in the text after."""
    mapped = ctx.masked.offsets.span_to_original
    a, b = mapped(*text_span)
    fa, fb = mapped(*focus)
    ea, eb = mapped(e.start, e.end)
    original = ctx.masked.original
    before = original[a:b]
    new = e.replacement
    if ea == eb and new.strip() == new:  # an insertion: the composer spaces it
        if ea > a and not original[ea - 1].isspace():
            new = " " + new
        if ea < b and not original[ea].isspace():
            new = new + " "
    after = original[a:ea] + new + original[eb:b]
    delta = len(new) - (eb - ea)
    return before, after, (min(fa, ea) - a, max(fb, eb) - a + delta)


def core_texts(ctx: DocContext, core: tuple[int, int], e: Edit) -> tuple[str, str]:
    """The original text of the core (the sentences the edit touches) before and after the
    edit (an insertion on its own: nothing, and the new sentence)."""
    mapped = ctx.masked.offsets.span_to_original
    ca, cb = mapped(*core)
    ea, eb = mapped(e.start, e.end)
    original = ctx.masked.original
    if ca == cb:
        return "", e.replacement.strip()
    new = e.replacement
    if ea == eb and new.strip() == new:
        if ea > ca and not original[ea - 1].isspace():
            new = " " + new
        if ea < cb and not original[ea].isspace():
            new = new + " "
    return original[ca:cb], original[ca:ea] + new + original[eb:cb]


@dataclass
class Pending:
    """A candidate waiting for its dynamic check: its window (``span``, masked text) with its
    core (the edited sentences) and the window's texts before and after the edit."""

    judged: Judged
    candidate: Candidate
    ctx: DocContext
    span: tuple[int, int]  # the window whose hits are compared (the focus)
    core: tuple[int, int]  # the sentences the edit and the finding touch
    before: str
    after: str
    after_focus: tuple[int, int]  # the focus in ``after``


def absence_outside(ctx: DocContext, rule: Rule, span: tuple[int, int]) -> tuple[bool, bool]:
    """:func:`_absence_outside`, remembered per draft, rule and window."""
    memo: dict[tuple[str, int, int], tuple[bool, bool]] | None = ctx.rewrites.get("gate:outside")
    if memo is None:
        memo = ctx.rewrites["gate:outside"] = {}
    key = (rule.id, *span)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _absence_outside(ctx, rule, span)
    return found


def _absence_outside(ctx: DocContext, rule: Rule, span: tuple[int, int]) -> tuple[bool, bool]:
    """Whether ``rule``'s trigger and requirement are present in the draft outside the
    window ``span`` (the customer's signals count: the edit cannot change them). A word of
    the spec outside the window answers without the parse."""
    key = ctx.compiled.key
    owner = f"rule:{rule.id}"
    a, b = span

    def outside(k: str) -> bool:
        spec = ctx.compiled.specs[k]
        if not (spec.signals or spec.rules or spec.checks) and any(
            (e <= a or s >= b) and not ctx.masked.in_placeholder(s, e)
            for s, e in ctx.matches.lexical(k)
        ):
            return True
        if _customer_present(ctx, k):
            return True
        return any(h.end <= a or h.start >= b for h in ctx.spec_hits(k))

    required = outside(key(owner, "require"))
    if required:
        return True, True  # (the trigger does not matter then)
    triggered = outside(key(owner, "trigger"))
    if not triggered and rule.trigger_all:
        triggered = all(
            outside(key(owner, f"trigger_all{i}")) for i in range(len(rule.trigger_all))
        )
    return triggered, required


def _customer_present(ctx: DocContext, key: str) -> bool:
    names = ctx.compiled.specs[key].customer_signals
    cctx = ctx.customer_context() if names else None
    return cctx is not None and any(cctx.signal(n) for n in names)


def judge_dynamic(
    p: Pending,
    before: Summary,
    after: Summary,
    rules: Iterable[Rule],
    fired: set[str],
) -> str:
    """The dynamic verdict of a candidate from the summaries of its window before and after
    the edit (and, for a document-level rule where they cannot decide, the draft outside the
    window: asked only then)."""
    own = p.judged.rule
    empty = p.core[0] == p.core[1]
    for rule in rules:
        mine = rule.id == own.id
        if rule.kind == "absence":
            if not mine and (rule.id in fired or rule.severity.rank < _WARNING):
                continue  # not new, or not judged
            if mine:
                # it fired: its requirement was nowhere, its trigger somewhere (still there when
                # nothing was removed); gone if the new text brings the requirement
                if after.required[rule.id]:
                    continue
                trig = empty or after.triggered[rule.id]
                if not trig:
                    trig = absence_outside(p.ctx, rule, p.span)[0]
                if trig:
                    return "re-lint: its finding is still there"
                continue
            # it did not fire: it fires now only if its requirement is nowhere (not outside
            # the window, not in the new text) and its trigger somewhere
            trig_out, req_out = absence_outside(p.ctx, rule, p.span)
            if req_out or after.required[rule.id]:
                continue
            if trig_out or after.triggered[rule.id]:
                return f"re-lint: adds a {rule.id} finding"
            continue
        b, a = before.counts.get(rule.id, 0), after.counts.get(rule.id, 0)
        if mine and a >= b:
            return "re-lint: its finding is still there"
        if not mine and a > b and rule.severity.rank >= _WARNING:
            return f"re-lint: adds a {rule.id} finding"
    return ""


_WARNING = Severity.WARNING.rank
