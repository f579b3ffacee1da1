"""What a sentence-replacing suggestion must keep or must not do, read off the sentence it
replaces: the customer's name said to them (", Tracey."), which the new sentence keeps; and the
sentences no template may take the place of: a question, an apology with the answer in it, a
denial ("that's not something we do"), or one the next sentence points back to ("They …")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.context import DocContext

# ", Tracey." / ", Sierra!" closing the sentence (a capitalised word opening a sentence before
# a comma is as often a verb or an adverb: "Relax, …", "Honestly, …")
_TAIL_NAME = re.compile(r",\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s*[.!]*\s*$")
_NOT_NAMES = frozenset(
    {"hi", "hello", "hey", "sorry", "yes", "no", "unfortunately", "thanks", "ok", "okay", "sure",
     "well", "so", "also", "however", "again", "today", "now", "please", "dear", "apologies",
     "regards", "best", "cheers", "sincerely", "warmly", "yours", "team", "support"}
)  # fmt: skip
_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.I)
_DENIAL = re.compile(
    r"\b(?:not something (?:we|i) (?:do|offer|allow)|(?:we|i) (?:don't|do not|never) "
    r"(?:do that|sell|share|pass on|give out))\b",
    re.I,
)
_TEAM = re.compile(r"\b(?:team|department|colleagues|specialists)\b", re.I)
_POINTS_BACK = re.compile(r"^\W*(?:they|them|their|theirs|those)\b", re.I)


# a sign-off glued to the sentence's own full stop ("… this has caused you.-RM", "…today!^CB")
_GLUED_SIGN_OFF = re.compile(r"[.!?]+(?=[-–—~^*/]\s?[A-Za-z][A-Za-z.]{0,20}\s*$)")


def own_end(text: str, start: int, end: int) -> int:
    """The end of the sentence ``text[start:end]`` at its own punctuation: a sign-off glued to
    it ("….-RM") is no part of the sentence a replacement may cover."""
    glued = _GLUED_SIGN_OFF.search(text, start, end)
    return glued.end() if glued is not None else end


def name_said(sentence: str) -> str | None:
    """The customer's name the sentence says to them at its end, if it does (", Tracey.")."""
    m = _TAIL_NAME.search(sentence.strip())
    if m and m.group(1).split()[0].lower() not in _NOT_NAMES:
        return m.group(1)
    return None


def with_name(text: str, name: str | None) -> str:
    """``text`` (a sentence) with ``name`` said at its end: "…, Tracey."."""
    if not name or name in text:
        return text
    body = text.rstrip()
    end = len(body.rstrip(".!"))
    return body[:end] + ", " + name + (body[end:] or ".")


def irreplaceable(ctx: DocContext, sent: int, new: str) -> str:
    """Why no template may take the place of sentence ``sent`` ("" when one may; see the
    module)."""
    text = ctx.sent_texts[sent].strip()
    if text.endswith("?"):
        return "would replace a question"
    if _DENIAL.search(text):
        return "would replace a denial (the reply's answer)"
    if _APOLOGY.search(text) and not _APOLOGY.search(new):
        return "would replace the draft's apology"
    following = sent + 1
    if (
        following < len(ctx.sent_texts)
        and _POINTS_BACK.match(ctx.sent_texts[following])
        and not _TEAM.search(text)  # a team of ours: "they" still points at a team
    ):
        return "the next sentence points back to what it would replace ('They …')"
    return ""


# words that carry nothing a template would lose: a sentence's frame around the flagged phrase
_FRAME = frozenset(
    {"it's", "it", "its", "is", "was", "this", "that", "that's", "seems", "looks", "like", "a",
     "an", "the", "so", "but", "and", "or", "however", "unfortunately", "sorry", "please", "note",
     "i", "i'm", "we", "we're", "you", "just", "really", "about", "all", "to", "of", "be", "well",
     "ok", "okay", "oh", "hi", "hey", "yes", "no", "again", "also", "still", "here", "there",
     "then", "now", "afraid", "i'm afraid", "honestly", "actually", "sadly", "for", "on", "in",
     "with", "me", "us", "my", "our", "your", "do", "will", "can", "would", "have", "has", "had",
     "not", "as", "if", "at", "by", "up", "out", "they", "them", "their", "thanks", "thank",
     "team", "department", "colleagues", "colleague", "you'll", "we'll", "i'll", "you'd",
     "need", "needs"}
)  # fmt: skip
_WORDS = re.compile(r"[\w'’/.-]*\w")
# a fact in the flagged phrase itself: a number, a code or path ("node/npm"), a name mid-sentence
_FACT = re.compile(r"\d|\w/\w|(?<=\s)(?!I\b|I['’])[A-Z]\w*")


# a number, an e-mail address or a link outside the phrase (a leading @handle is the tweet's)
_OUTSIDE_FACT = re.compile(r"\d|\w@\w|://|www\.")


def carries_more(sentence: str, flagged: str, slots: int = 1) -> bool:
    """Whether ``sentence`` says more than its ``flagged`` phrase (a template replacing the
    whole sentence would lose it): more words outside the phrase that are not its frame ("This
    seems like a …", "Unfortunately, …", a @handle) than the template has ``slots`` to take
    back (at least one), a number, an address or a link outside it, or a fact inside the
    phrase (a number, a name, a code). A rule the customer must learn, a diagnosis, a third party to
    contact or a reason is kept only by a suggestion that keeps the sentence."""
    name = name_said(sentence)  # the customer's name said to them: the template keeps it
    if name is not None:
        sentence = sentence.replace(name, " ")
    at = sentence.find(flagged)
    outside = sentence if at < 0 else sentence[:at] + " " + sentence[at + len(flagged) :]
    words = [w.lower().replace("’", "'") for w in _WORDS.findall(outside) if not w.startswith("@")]
    content = [w for w in words if w not in _FRAME]
    if len(content) > max(1, slots):  # what the template's slots can take back, at most
        return True
    return _FACT.search(flagged) is not None or _OUTSIDE_FACT.search(outside) is not None
