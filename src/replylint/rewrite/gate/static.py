"""The gate's static checks (:func:`static_reason`): cheap, on every candidate, on its text
and the draft's own (no re-lint): what the new text carries that the replaced text did not
(@handles, links, hashtags, emoji, e-mail headers, profanity, shouting, questions, the
customer's first person, interjections, imperatives), what it drops (links, handles,
placeholders, numbers), what is glued after "I'm sorry", doubled words, repeated sentences, a
second apology or acknowledgement, a refusal inside an apology, the span it replaces and a
social reply's length budget. The word lists are the lexicon's (``gate``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ...lexicon import load_lexicon
from ...models import SLOT_RE
from ...structure import social_structure

if TYPE_CHECKING:
    from ...engine.context import DocContext
    from ...engine.hits import Edit, Hit
    from ...models import Rule

SOCIAL_CHARS = 280
# the builders that put the customer's or the draft's words into new text
CONTENT_BUILDERS = frozenset({"acknowledge", "paraphrase", "specific-apology", "policy-benefit"})

PROFANITY = load_lexicon().gate.profanity
INTERJECTIONS = load_lexicon().gate.interjections
# what may follow "I'm sorry" / "Sorry": a subject or determiner opening a clause, a
# preposition of an issue noun phrase, "that", "to hear|see|learn"
_AFTER_SORRY = load_lexicon().gate.after_sorry
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
    r"\b(?:is that right|does that work for you|does that answer your question|is that correct|"
    r"would you like[^?]*)\?",
    re.I,
)
# the customer's first person, left where the writer speaks of the customer
_FIRST_PERSON = re.compile(r"\b(?:my|me|mine|myself|I've|I'd|I was|I am|I have|I had)\b")
_FRAME_FIRST = re.compile(
    r"\b(?:I'm sorry|I am sorry|I can see|I can imagine|I understand|I know|I'll|I will|"
    r"here's how I'll|make sure I understand|what I can do|I've asked|I can do)\b",
    re.I,
)


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


# the signals that say what kind of text a draft is (an issue tracker's comment, a message to
# a courier), and so excuse findings anywhere in it: an edit must not remove them
SHAPE_SIGNALS = frozenset({"tracker-comment", "staff-facing"})
_DOCUMENT_UNLESS: dict[int, list[str]] = {}  # a compiled rule book's document-wide unless keys


def _removes_an_excuse(ctx: DocContext, e: Edit) -> bool:
    """Whether ``e`` replaces text where an ``unless`` read over the whole draft matches (and
    the replacement does not keep that text)."""
    from ...engine.hits import NeedParse  # (the engine imports the gate)
    from ...models import Unless

    keys: list[str] | None = _DOCUMENT_UNLESS.get(id(ctx.compiled))
    if keys is None:
        keys = _DOCUMENT_UNLESS[id(ctx.compiled)] = [
            k
            for k, spec in ctx.compiled.specs.items()
            if isinstance(spec, Unless)
            and spec.window == "document"
            and set(spec.signals) & SHAPE_SIGNALS
        ]
    for key in keys:
        try:
            hits = ctx.spec_hits(key)
        except NeedParse:  # (one on the parse: not judged here, the re-lint judges it)
            continue
        for h in hits:
            if (
                h.start < e.end
                and e.start < h.end
                and ctx.text[h.start : h.end] not in (e.replacement)
            ):
                return True
    return False


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
    # a slot in a template a bot posts ("Hello @{{ issue.user.login }}!", "${{ github.… }}",
    # "This is an automatic reply"): no one fills it in (blind review 18t)
    if SLOT_RE.search(new) and _BOT.search(ctx.masked.original):
        return "a slot in a template a bot posts"
    # the span: a replacement never covers more than its finding's sentence
    if e.end > e.start:
        s_start, s_end = ctx.sentence_span(hit.sent)
        while s_end < len(text) and text[s_end] in " \t":
            s_end += 1
        while s_start > 0 and text[s_start - 1] in " \t":
            s_start -= 1
        if e.start < s_start or e.end > s_end:
            return "replaces more than its finding's sentence"
    # a deletion never leaves the reply without a word of its own ("no, my crystal ball is
    # broken." was the whole reply above its signature: blind review 18q)
    if e.end > e.start and not new.strip() and not _WORD.search(text[: e.start] + text[e.end :]):
        return "leaves the reply empty"
    for ps, pe in ctx.masked.placeholders:
        if e.start < pe and ps < e.end:
            a, b = ctx.masked.offsets.span_to_original(ps, pe)
            token = ctx.masked.original[a:b]
            if ps < e.start or pe > e.end or (new.strip() and token not in new):
                return f"drops or cuts a placeholder ({token})"
    # an edit for another rule never takes away the draft's acknowledgement (a we-focus slot
    # over "I know it's frustrating, and …"); the acknowledgement rules replace one by design,
    # and a refusal's rewrite replaces its softener ("Nope, sorry.")
    if (
        rule.category.value not in ("acknowledge", "refusal")
        and _ACKNOWLEDGE.search(old)
        and not _ACKNOWLEDGE.search(new)
    ):
        return "removes the draft's acknowledgement"
    # nor what excuses a finding across the whole draft (an issue tracker's or a dispatch
    # message's markers: signals tracker-comment, staff-facing): without it, a finding appears
    if old.strip() and _removes_an_excuse(ctx, e):
        return "removes what excuses another finding in the draft"
    # a template never takes the place of a question, a denial, an apology or a sentence the
    # next one points back to (rewrite/sentence_guard.py)
    if (
        origin == "template"
        and rule.rewrite is not None
        and rule.rewrite.mode == "replace-sentence"
    ):
        from ..sentence_guard import irreplaceable

        why = irreplaceable(ctx, hit.sent, new)
        if why:
            return why
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
    if _splits(text, e.start, e.end, new, ctx.body_start):
        return "splits a sentence the line wraps"
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


_BOT = re.compile(
    r"\$\{\{|\{\{\s*(?:issue|github|pull_request|pr|comment|repository|event|sender)\.|"
    r"\{(?:issue|pr)-author\}|\bthis\s+is\s+an?\s+automat(?:ic|ed)\s+(?:reply|response|message|comment)\b|"
    r"\bi\s+am\s+a\s+bot\b|\bbeep\s+boop\b",
    re.IGNORECASE,
)


def _splits(text: str, start: int, end: int, new: str, body: int) -> bool:
    """Whether a whole sentence ``new`` goes inside a sentence the writer wrapped at a line
    ("I can't quite" / "parse your question": the segmenter may end a short line there; blind
    review 18s): the text before it runs on without a stop, the text after goes on in lower
    case; or the next sentence goes on from the one before ("And there is no plan …"; 18t).
    (Not after the greeting: "Hi Jack" / "thanks for …" opens the body.)"""
    if start < body or not new.rstrip().endswith((".", "!", "?")):
        return False
    if _GOES_ON.match(text, end):
        return True  # "No, we don't. | And there is no plan …": the next one goes on from it
    before = text[:start].rstrip(" \t")
    return bool(before) and before[-1].isalnum() and _LOWER_ON.match(text, end) is not None


_GOES_ON = re.compile(r"[ \t]*\n?[ \t]*(?:And|Or|Nor|But|Which)\b")
_LOWER_ON = re.compile(r"[ \t]*\n?[ \t]*(?!https?://|www\.)[a-z]")


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
    a, b = ctx.masked.edit_to_original(e.start, e.end)
    spacing = 1 if e.start == e.end and e.replacement.strip() == e.replacement else 0
    after = len(original) - (b - a) + len(e.replacement) + spacing
    if after > SOCIAL_CHARS and after > len(original):
        return f"makes the social reply over {SOCIAL_CHARS} characters ({after})"
    return ""
