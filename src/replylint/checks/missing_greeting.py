"""missing-greeting: the reply's first line is not a greeting (the lexicon's, structure.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..engine.moves import signs_off
from ..models import Rule
from ..quoting import quoted_spans
from ..structure import first_line

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Hit


# A short list item: "• Austria", "- EUR", "3. Passport" (a name, not a step).
_SHORT_ITEM = re.compile(r"^[ \t]*(?:[•·▪◦*-]|\d{1,2}[.)])[ \t]+\S.{0,29}$")
REFERENCE_LIST_ITEMS = 6


def reference_list(text: str) -> bool:
    """Whether ``text`` is mostly a reference list (six or more short items, at least half of
    its non-blank lines): a knowledge snippet an agent drops into a conversation ("You can pay
    in these currencies: • EUR • GBP …"), a paragraph of a reply rather than a reply, so it has
    no greeting of its own. Steps ("1. Open Settings and tap Billing …") are longer than an
    item of reference."""
    lines = [line for line in text.splitlines() if line.strip()]
    items = sum(1 for line in lines if _SHORT_ITEM.match(line))
    return items >= REFERENCE_LIST_ITEMS and 2 * items >= len(lines)


# A canned social post: one tweet long, and in the platform's language.
SOCIAL_POST_CHARS = 280
# a line signed with an emoji: pictographs (💜 🎉 🙂), dingbats and symbols (❤ ✨ ☀) at a
# line's end ("Thanks for your patience 💜"; not "😀 Your order shipped.", which only opens
# with one)
_EMOJI = re.compile(
    "\\S[^\\n]*?[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b55]"
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b55\ufe0f\u200d\\s!.]*$",
    re.MULTILINE,
)
# a move to private messages, or the public it is said in: "DM us your order number", "we're
# not able to review account details publicly", "check your inbox for our message"
_PRIVATE = re.compile(
    r"\b(?:dms?|direct\s+messages?|private\s+messages?|privately|publicly|in\s+private)\b",
    re.IGNORECASE,
)
# a hashtag, not an order number ("#SpringSale", not "#A1234")
_HASHTAG = re.compile(r"(?<![\w&#])#[A-Za-z]{3,}(?:_?[A-Za-z]+)*\b")
# A chat turn's opening: an offer that goes on from what was said before ("If it helps, I can
# explain this in …", "I'm here to help, and …", "Happy to walk you through it").
_CHAT_OPENER = re.compile(
    r"\A\s*(?:if\s+(?:it|that|this)\s+helps"
    r"|if\s+you(?:['’]d|\s+would)?\s+(?:like|prefer|want)\b[^.!?\n]{0,40}?,\s*(?:i|we)\b"
    r"|i['’]m\s+(?:still\s+|always\s+|right\s+)?here\s+(?:to\s+help|for\s+you|if\s+you)"
    r"|(?:happy|glad)\s+to\s+(?:help|explain|walk\s+you)\b)",
    re.IGNORECASE,
)
# A chat turn that says where it is written: "describe the issue here in the chat"
_IN_CHAT = re.compile(r"\b(?:here\s+)?in\s+(?:the|this|our)\s+(?:live\s+)?chat\b", re.IGNORECASE)
# A saved line an agent drops into a conversation already under way: it answers or goes on from
# what was said before ("Let me check with the team on that", "Great question! …", "Once
# you're ready, I can …", "I'll connect you with …"), so it has no greeting of its own.
_CONTINUATION = re.compile(
    r"\A\s*(?:let\s+me\s+(?:check|find\s+out|look\s+into|ask|see|confirm|double[-\s]check)\b"
    r"|(?:great|good|excellent|fair)\s+question\b"
    r"|(?:once|when(?:ever)?)\s+you(?:['’]re|\s+are)\s+ready\b"
    r"|i['’]ll\s+(?:connect|put|loop|pass|transfer|introduce)\s+you\b)",
    re.IGNORECASE,
)
SNIPPET_CHARS = 400
# a follow-up question asked on its own: "What's your timeline for the first order?"
_ONE_QUESTION = re.compile(r"\A[^.!?\n]{3,120}\?\s*\Z")


def social_post(text: str) -> bool:
    """Whether ``text`` is a canned social post kept as a saved reply (a public status update,
    a thank-you, a "DM us" redirect): one tweet long (280 characters), with no closing line, and
    in the platform's language: a line signed with an emoji, a hashtag, or a move to or from
    private messages.
    A social post opens with the customer's @handle, added when it is posted (RULES.md:
    missing-greeting is off for social); a "Hi <name>," would be wrong there. A short e-mail
    reply has none of those (or signs off)."""
    body = text.strip()
    if len(body) > SOCIAL_POST_CHARS or signs_off(body):
        return False
    return bool(_EMOJI.search(body) or _PRIVATE.search(body) or _HASHTAG.search(body))


def chat_turn(text: str) -> bool:
    """Whether ``text`` is a turn of a live conversation kept as a saved reply: it opens with an
    offer that goes on from what was said before ("If it helps, I can …", "I'm here to help,
    and …") and has no closing line. The chat widget greeted once; a greeting on each turn reads
    as scripted (RULES.md: missing-greeting is off for chat)."""
    return bool(_CHAT_OPENER.match(text) or _IN_CHAT.search(text)) and not signs_off(text)


def conversation_snippet(text: str) -> bool:
    """Whether ``text`` is a saved line used mid-conversation rather than a whole reply: short
    (400 characters), no closing line, and either one question on its own ("What's your
    timeline for the first order?") or an opening that goes on from what was said before ("Let
    me check with the team on that and get back to you.", "Great question! …", "Once you're
    ready, I can send …", "I'll connect you with …"). The conversation was greeted before."""
    body = text.strip()
    if len(body) > SNIPPET_CHARS or signs_off(body):
        return False
    return bool(_CONTINUATION.match(body) or _ONE_QUESTION.match(body))


def interleaved(original: str) -> bool:
    """Whether the draft ``original`` opens with quoted mail ("* Bob <bob at x.org>:", "On …
    wrote:", "> …"): an interleaved reply, answering the customer's lines in turn below each,
    which greets no one (blind review 19u judged missing-greeting on 11 such replies fired by
    the format; fixed after it, not blind)."""
    spans = quoted_spans(original)
    return bool(spans) and not original[: spans[0][0]].strip()


def missing_greeting(ctx: DocContext, rule: Rule) -> list[Hit]:
    """The first non-blank line is not a greeting; points at it, up to its first sentence's
    end. Not on a reference list (:func:`reference_list`), a canned social post
    (:func:`social_post`), a chat turn (:func:`chat_turn`), a line dropped into a
    conversation under way (:func:`conversation_snippet`): saved replies that are not a whole
    reply; nor on an interleaved e-mail reply (:func:`interleaved`);
    the rule's ``unless`` excuses the other shapes that are not a whole reply (issue-tracker
    comments, definitions)."""
    if ctx.greeting is not None:
        return []
    text = ctx.text
    if reference_list(text) or social_post(text) or chat_turn(text):
        return []
    if conversation_snippet(text) or interleaved(ctx.masked.original):
        return []
    line = first_line(ctx.text)
    if line is None:
        return []
    sent_end = ctx.sentence_span(ctx.sent_index(line[0]), line[0])[1]
    return [ctx.hit(line[0], min(line[1], sent_end))]
