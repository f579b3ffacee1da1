"""Where new text goes in a reply, from the reply's shape (issue 18 item 5): the one decision
the builders (through :func:`opening_point`, :func:`closing_point`) and the composer
(:func:`layout`) share.

A reply is laid out as: leading @handles (and a thread marker), a greeting ("Hi Ana,"), the
body, a sign-off block ("Best,\\nLeo", "Kind regards, …") or closing initials ("^CB", "-Becky",
"1/2"), and quoted text ("> …" lines, "On 3 May, Dana wrote:"). An opening sentence (an
acknowledgement, a paraphrase) goes at the start of the body: after the handles, the greeting
and a thanks sentence that opens the body ("Thank you for your email."). A closing sentence (a
check-back) goes after the body's last sentence, before the sign-off, the initials and the
quoted text. The handles, the closing structure, the sign-off block and quoted lines are
``fixed``: no edit changes them and no insertion goes inside them.

Plain string tests on the text given (a draft's text, or the masked text a builder sees, in
which handles and initials are already left out): no parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lexicon import alternation, load_lexicon
from ..quoting import quoted_spans
from ..structure import greeting_span, social_structure

__all__ = [
    "Layout",
    "after_greeting_name",
    "after_label",
    "after_opening_thanks",
    "after_thread_marker",
    "capitalised",
    "closing_point",
    "layout",
    "opening_point",
    "sentence_capital",
]

# a tweet's closing name the social structure leaves as text (it finds "^CB", "*Name", "-KB",
# "/KB"): a bare name after the last sentence ("… for rail replacement. Phil."), maybe followed
# by a link; a one-word sentence to the linter, but no place for an insertion to follow
_TWEET_SIGNATURE = re.compile(
    r"(?<=[.!?] )(?:[A-Z][a-z]{1,12}|[A-Z]{2,3})\.?(?:[ \t]+(?:https?://|www\.)\S+)?[ \t]*\Z"
)
# a thread marker after the handles ("@ana 1: Thanks! …"): the opening sentence goes after it
_COLON_MARKER = re.compile(r"[ \t]*\(?[1-9]\d?\)?[:.][ \t]+(?=\S)")
# a bold label that heads a macro ("**Outdated Create Version**: …"): the body goes on after it
_LABEL = re.compile(r"(?:\*\*|__)[^*_\n]{1,60}(?:\*\*|__)[ \t]*:?[ \t]*(?:\n[ \t]*)*")
_GREETING_CUT = re.compile(r"[,!:.?](?=\s)|\s[—–-]\s")
# the customer's name that ends a greeting ("Hello, Chris." / "Hey there, Jorge!"), or the
# greeting's own "there" / "all" ("Hi, there."): an opening sentence goes after it, never
# between the two
_GREETING_NAME = re.compile(
    r"[ \t]*(?:[A-Z][\w'’-]{1,20}(?: [A-Z][\w'’-]{1,20})?"
    r"|(?:there|all|everyone|everybody|folks|again))[.!,](?=\s|\Z)"
)
# a thanks sentence that opens the body, or its clause up to a dash ("Thanks for tagging us –
# you can …"), word that the message was seen ("I saw your message.", "Saw your mention."), or a
# welcome ("Welcome to our support on Twitter."): the opening sentence
# goes after it (blind reviews of real replies: an apology before "Thank you for contacting
# us." reads backwards)
_THANKS = re.compile(
    r"(?:(?:thank you|thanks|many thanks)\b(?:(?!\s[-–—]\s)[^.!?\n]){0,80}?"
    r"(?:[.!]+(?=\s|$)|\s[-–—](?=\s))"
    r"|(?:(?:i|we)(?:['’]ve|\s+have)?\s+)?(?:saw|seen|got|received|read)\s+your\s+"
    r"(?:message|tweet|dm|email|e-mail|note|post|mention)\s*[.!]+(?=\s|$)"
    # a welcome ("welcome to the HP support on Twitter.") after the greeting
    r"|(?:you(?:['’]re|\s+are)\s+)?welcome\s+(?:to|back|aboard)\b[^.!?\n]{0,80}[.!]+(?=\s|$)"
    # thanks in other words: "We appreciate you taking the time to report a bug."
    r"|(?:we|i)\s+(?:really\s+|truly\s+)?appreciate\s+(?:you|your)\b[^.!?\n]{0,80}[.!]+(?=\s|$)"
    # the customer's warmth returned ("We love you too! 😄", "Same to you!")
    r"|(?:(?:we|i)\s+(?:love|like|adore|appreciate|miss)\s+you\s+(?:too|as\s+well|back)\b"
    r"[^.!?\n]{0,20}?|you\s+too|same\s+to\s+you)[.!]+"
    r"(?:[ \t]*[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]+)?(?=\s|$))",
    re.IGNORECASE,
)


@cache
def _sign_off() -> re.Pattern[str]:
    """A closing line ("Best,", "Kind regards", "Thanks again!"): the lexicon's sign-offs."""
    phrases = alternation(load_lexicon().sign_offs)
    return re.compile(rf"[ \t]*{phrases}\b[^\n]{{0,40}}$", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    """Where things are in one text (offsets into it)."""

    head: int  # the end of the leading handles (and thread marker): 0 when there are none
    body: int  # the first character of the body (after the handles and the greeting)
    opening: int  # where an opening sentence goes
    closing: int  # where a closing sentence goes (just after the body's last character)
    fixed: tuple[tuple[int, int], ...]  # spans no edit may change, in text order
    quoted: tuple[tuple[int, int], ...] = ()  # quoted lines (their ends included)

    def in_fixed(self, start: int, end: int) -> bool:
        """Whether the edit of [start, end) (an insertion when start == end) would change
        or go inside a fixed span (or at the end of a quoted line)."""
        if start == end:
            return any(s < start < e for s, e in self.fixed) or any(
                s < start <= e for s, e in self.quoted
            )
        return any(s < end and start < e for s, e in self.fixed)


def layout(text: str) -> Layout:
    """The :class:`Layout` of ``text``."""
    shape = social_structure(text)
    fixed: list[tuple[int, int]] = list(shape.spans)
    head = shape.body_start
    # quoted mail, its attribution, a signature below "-- " (quoting.quoted_spans: what the
    # rules never read is never edited, and the closing goes before it)
    quoted = list(quoted_spans(text))
    fixed += quoted
    # the end of the body: before closing initials, trailing quoted lines and blank lines
    end = len(text)
    tails = [s for s, _ in shape.spans if s > 0]
    if shape.handles and not tails:  # a tweet's initials ("… you were having. -KB")
        initials = _TWEET_SIGNATURE.search(text, head)
        if initials is not None:
            fixed.append((initials.start(), len(text)))
            tails = [initials.start()]
    if tails:
        end = min(tails)
    end = _before_quotes(text, end, quoted)
    # a postscript and the footnotes after a sign-off are no part of the answer: what closes
    # the answer goes before them ("Does that work for you?" after "P.S. my hosting provider is
    # having issues" or "[1] http://…": blind review 18p)
    while (tail := _TRAILER.search(text, head, end)) is not None and text[
        head : tail.start()
    ].strip():
        fixed.append((tail.start() + 1, end))
        end = len(text[: tail.start()].rstrip())
    sign = _sign_off_start(text, head, end)
    if sign is None:
        sign = _name_line(text, head, end)
    if sign is None:
        sign = _inline_sign_off(text, head, end)
    if sign is not None:
        fixed.append((sign, len(text[:end].rstrip())))
        end = sign
    closing = len(text[:end].rstrip())
    # the greeting, after the handles
    greeting = greeting_span(text[head:end])
    body = head
    marker = _COLON_MARKER.match(text, head, end) if shape.handles else None
    if marker is not None:
        body = marker.end()
        greeting = greeting_span(text[body:end])
        if greeting is not None:
            greeting = (greeting[0] + body - head, greeting[1] + body - head)
    if greeting is not None:
        seg = text[head + greeting[0] : head + greeting[1]]
        if "\n" not in seg and len(seg.split()) > 4:  # "Hi Fazal. We'd … TY!": its first words
            cut = _GREETING_CUT.search(seg[:48])
            if cut is not None:
                greeting = (greeting[0], greeting[0] + cut.end())
        body = after_greeting_name(text, head + greeting[1], end)
    while body < closing and text[body].isspace():
        body += 1
    body = after_label(text, body, closing)
    while body < closing and any(s <= body < e for s, e in quoted):  # a quote opening the body
        body = text.find("\n", body, closing) + 1 or closing
        while body < closing and text[body].isspace():
            body += 1
    opening = after_opening_thanks(text, body, closing)
    body = min(body, closing)
    opening = min(opening, closing)
    return Layout(head, body, opening, max(closing, body), tuple(sorted(fixed)), tuple(quoted))


# the last paragraph, when it is a postscript or footnotes ("P.S: …", "[1] http://…")
_TRAILER = re.compile(
    r"\n[ \t]*\n[ \t]*(?:P\.?[ \t]?S\.?[:.,]?[ \t]|PS[:.,]?[ \t]|\[\d{1,2}\][ \t]+\S)"
    r"(?:(?!\n[ \t]*\n)[\s\S])*\Z"
)


def _before_quotes(text: str, end: int, quoted: list[tuple[int, int]]) -> int:
    """``end`` moved back over the quoted lines and blank lines that end the text before it."""
    while True:
        stripped = len(text[:end].rstrip())
        line_start = text.rfind("\n", 0, stripped) + 1
        if stripped and any(s <= line_start and stripped <= e for s, e in quoted):
            end = line_start
            continue
        return stripped


def _sign_off_start(text: str, head: int, end: int) -> int | None:
    """Where the sign-off block starts ("Best,\\nLeo" among the last four lines before
    ``end``), if there is one and some body before it."""
    lines: list[tuple[int, int]] = []
    pos = end
    while pos > head and len(lines) < 4:
        start = text.rfind("\n", head, pos) + 1
        start = max(start, head)
        if text[start:pos].strip():
            lines.append((start, pos))
        pos = start - 1
    for start, stop in lines:  # the lowest closing line: "Thank you for …" above stays body
        # a line of its own after some body: a sign-off inside the body's first line is not
        own_line = start == head or text[start - 1] == "\n"
        if own_line and _sign_off().match(text, start, stop) and text[head:start].strip():
            return start
    return None


# (not a command indented as code, nor one with a path or a prompt: "    udevadm info /dev/sda";
# blind review 18t)
_NAME_LINE = re.compile(r"(?! {4}|\t)[ \t]*(?:[^\s.!?/=$|]+[ \t]+){0,3}[^\s.!?/=$|]+[ \t]*$")


def _inline_sign_off(text: str, head: int, end: int) -> int | None:
    """Where a sign-off at the end of the body's last line starts ("… is on its way. Best,
    Nadia"): a lexicon sign-off, a comma and a name of one or two words after a sentence end."""
    stop = len(text[:end].rstrip())
    line = text.rfind("\n", head, stop) + 1
    for m in _INLINE_SIGN_OFF.finditer(text, max(line, head), stop):
        if m.end() == stop and _sign_off().match(text, m.start(1), stop):
            return m.start(1)
    return None


_INLINE_SIGN_OFF = re.compile(
    r"(?<=[.!?])[ \t]+(\w[\w ]{0,20},[ \t]*[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?\.?)"
)


def _name_line(text: str, head: int, end: int) -> int | None:
    """Where a closing name line starts ("{{agent.name}}", "[Agent Name]", "The Support
    team"): the last paragraph of the text, one line of at most four words with no sentence
    end, after a blank line and some body."""
    stop = len(text[:end].rstrip())
    start = text.rfind("\n", head, stop) + 1
    if start <= head or not text[head:start].strip():
        return None
    if not text[: start - 1].rstrip(" \t\r").endswith("\n"):
        return None  # (not after a blank line)
    return start if _NAME_LINE.match(text, start, stop) else None


def after_greeting_name(text: str, at: int, end: int | None = None) -> int:
    """``at`` (just after a greeting, or at the body after it) moved past the customer's name
    that ends the greeting ("Hello, | Chris." -> "Hello, Chris. |"), where there is one."""
    comma = at
    while comma > 0 and text[comma - 1] in " \t":
        comma -= 1
    if text[comma - 1 : comma] != ",":
        return at
    stop = len(text) if end is None else end
    name = _GREETING_NAME.match(text, comma, stop)
    if name is None or _sign_off().match(name.group(0).strip()):
        return at
    after = name.end()
    while at > after or (after < stop and text[after] in " \t"):
        after += 1
    return after


def after_opening_thanks(text: str, at: int, end: int | None = None) -> int:
    """``at`` (the start of the body) moved past a thanks that opens it ("Thank you for
    contacting us.", "Thanks for tagging us –", "I saw your message."), where the body goes on
    after it (before ``end``); else ``at``."""
    stop = len(text) if end is None else end
    thanks = _THANKS.match(text, at, stop)
    if thanks is None or thanks.end() >= stop or not text[thanks.end() : stop].strip():
        return at
    return thanks.end()


def after_thread_marker(text: str, at: int) -> int:
    """``at`` moved past a "1:" thread marker that opens a social reply's body there."""
    marker = _COLON_MARKER.match(text, at)
    return marker.end() if marker is not None else at


def after_label(text: str, at: int, end: int | None = None) -> int:
    """``at`` moved past a bold label that heads a macro there ("**Outdated Version**: Since
    you …"): an opening sentence goes after it (blind review 18t)."""
    label = _LABEL.match(text, at, len(text) if end is None else end)
    return at if label is None else label.end()


def opening_point(text: str) -> int:
    """Where an opening sentence (an acknowledgement, a paraphrase) goes in ``text``."""
    return layout(text).opening


def closing_point(text: str) -> int:
    """Where a closing sentence (a check-back) goes in ``text``."""
    return layout(text).closing


def capitalised(word: str) -> str | None:
    """The first character of ``word`` title-cased, where that is a change of one code point
    to one ("you" -> "Y", "élan" -> "É"), else None: a word that is not lower-case at its start,
    a mixed-case word ("iPhone", "eBay", "iOS": an upper-case letter after the first), or a
    first letter whose capital is not one character ("ß" -> "Ss") are left as they are; so is
    a word of code, with a digit or an underscore ("b2xx_fx3_utils" would no longer run: blind
    review 18r)."""
    first = word[:1]
    if not first.islower() or any(c.isupper() or c.isdigit() or c == "_" for c in word[1:]):
        return None
    title = first.title()
    return title if len(title) == 1 and title != first else None


# sentence openers beyond spaCy's stop words ("Thanks", "Sorry", "Try again", "Unfortunately")
# fmt: off
_OPENERS = frozenset((
    "thanks", "thank", "sorry", "try", "let", "maybe", "yes", "yeah", "yep", "ok", "okay",
    "unfortunately", "sadly", "luckily", "hopefully", "sure", "great", "good", "glad", "happy",
    "hi", "hello", "hey", "apologies", "feel", "note", "check", "click", "go", "restart", "open",
    "update", "install", "reinstall", "reply", "send", "make", "use",
))
# fmt: on


def sentence_capital(text: str, at: int, word: str) -> str | None:
    """:func:`capitalised` for ``word`` at offset ``at`` of ``text``, which a new sentence now
    opens; None where the writer opened a sentence with it in lower case and it is no common
    English word (see :func:`_common`): a command's name ("rmcp only deletes checkpoints"; blind
    review 18t). After a comma ("Good afternoon, can you …") it takes its capital."""
    before = text[:at].rstrip()
    opens = not before or before[-1] in ".!?:" or "\n" in text[len(before) : at]
    if opens and not _common(word):
        return None
    return capitalised(word)


def _common(word: str) -> bool:
    """Whether ``word`` is a common English word that may open a sentence (spaCy's English stop
    words and :data:`_OPENERS`), not a command or a name the writer typed in lower case."""
    from spacy.lang.en.stop_words import STOP_WORDS  # (only a rewrite asks: spaCy is loaded)

    lower = word.lower()
    return lower in STOP_WORDS or lower in _OPENERS or lower.rstrip("'’s") in STOP_WORDS
