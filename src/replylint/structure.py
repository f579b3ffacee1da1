"""The shape of a reply: where its greeting is and where its body starts.

Works on the masked text (placeholders already read as names), with plain string tests. The
greeting's words are the lexicon's (rules/_lexicon.yaml, ``greeting``): the one definition
missing-greeting, terse-refusal, policy-benefit and the profile use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lexicon import alternation, load_lexicon

_NAME_LINE = re.compile(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2}\s*,\s*$")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# the customer's name (or "there") after a salutation's comma, ending its own sentence
_NAME_AFTER_COMMA = re.compile(
    r"[ \t]*([A-Z][\w'’-]{1,20}(?: [A-Z][\w'’-]{1,20})?|there|all|everyone|folks)[.!](?=\s|$)"
)
# a name right after the salutation, then (no comma) a capitalised word that opens a sentence
_NAME_THEN_SENTENCE = re.compile(
    r"[ \t]+([A-Za-z][\w'’-]{1,20})[ \t]+(?=(?:Are|Is|Do|Does|Did|Have|Has|Can|Could|Would|"
    r"Will|We|We're|We've|I|I'm|I've|Thanks|Thank|Sorry|Please|Our|Your|It|It's|You|Let|"
    r"Just|That|This|Unfortunately|Apologies)\b)"
)
# emphasis marks around a greeting line (Markdown, Jira): "*Thank you for your report!*"
_EMPHASIS = re.compile(r"[*_~]{1,3}(?=\w)")
# "Evening Jasper.", "Morning Sam!": a greeting without its "good", before a name
_TIME_OF_DAY = re.compile(
    r"(?:[Mm]orning|[Aa]fternoon|[Ee]vening)(?=[ \t]+[A-Z][a-z]+[,.!](?:\s|$))"
)
_NOT_A_NAME = frozenset({"sorry", "thanks", "welcome", "yes", "no", "sure", "great", "okay", "ok"})
# emoji, pictographs (joiners, variation selectors) and ":wave:" codes before a greeting; a
# mention greets too, after them or alone, with its thanks ("👋 @octocat, thanks for …!",
# "@{issue-author}, …"; blind reviews 18s, 18t)
_EMOJI = re.compile(r"(?:[\u2600-\u27bf\U0001f000-\U0001faff\u200d\ufe0f\s]|:[a-z0-9_+-]{2,30}:)+")
_IMAGE_LINE = re.compile(r"<img\b[^<>]*>|!\[[^\]\n]*\]\([^)\n]*\)", re.IGNORECASE)
_MENTION = re.compile(r"@[\w{}.-]+(?:[ \t]*[,!:]|(?<=\})(?=[ \t]))[ \t]*")


@cache
def salutation() -> re.Pattern[str]:
    """A salutation ("hi", "good morning" …) where a match starts, as a whole word."""
    return re.compile(alternation(load_lexicon().greeting.salutations) + r"\b", re.IGNORECASE)


@cache
def _thanks() -> re.Pattern[str]:
    return re.compile(alternation(load_lexicon().greeting.thanks) + r"\b", re.IGNORECASE)


def first_line(text: str) -> tuple[int, int] | None:
    """Span of the first non-blank line, without its surrounding white space (not a line that
    only shows an image: "<img src=… />", "![wave](…)"; blind review 19z)."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not _IMAGE_LINE.fullmatch(stripped):
            start = pos + line.index(stripped[0])
            return start, start + len(stripped)
        pos += len(line)
    return None


def greeting_span(text: str) -> tuple[int, int] | None:
    """The greeting that opens the reply, if any (a whole greeting line, or its opening words)."""
    line = first_line(text)
    if line is None:
        return None
    start, end = line
    emoji = _EMOJI.match(text, start, end)  # "😀 Hi Zoë,": the greeting after the emoji
    if emoji and salutation().match(text, emoji.end(), end):
        start = emoji.end()
    elif mention := _MENTION.match(text, emoji.end() if emoji else start, end):
        said = _thanks().match(text, mention.end(), end) and _SENTENCE_END.search(
            text, mention.end(), end
        )
        return start, said.end() if said else mention.end()
    # "*Thank you for your report!*": the greeting inside its emphasis marks (read with the
    # marks blanked, offsets kept; the greeting then takes the closing mark too)
    mark = _EMPHASIS.match(text, start, end)
    if (
        mark is not None
        and text[start:end].endswith(mark.group(0))
        and end - start > 2 * len(mark.group(0))
    ):
        n = len(mark.group(0))
        blanked = text[:start] + " " * n + text[start + n : end - n] + " " * n + text[end:]
        found = greeting_span(blanked)
        if found is not None:
            return start, end if found[1] >= end - n else found[1]
    content = text[start:end]
    if _NAME_LINE.match(content):
        return start, end
    opening = salutation().match(content) or _TIME_OF_DAY.match(content)
    if opening:
        # "Hi Sam!" or "Hello Ana," is a line of its own; "Hi Sam. We'll look. Thanks!" (a
        # tweet's one line, its initials masked) is a greeting and a body
        one = _SENTENCE_END.search(content[:-1]) is None
        # (a short line: "Hi Sadé, when the transaction was cancelled it … refunded," is a
        # tweet cut before its "1/2", not a greeting line)
        short = len(content.split()) <= 6
        if (one and short and content.endswith((",", "!", ":"))) or len(content.split()) <= 4:
            return start, end
        # "Hello cody Are you still …?": a name with no comma after it, then a capitalised
        # sentence opener; the greeting ends at the name (blind review 18j, not blind)
        bare = _NAME_THEN_SENTENCE.match(content, opening.end())
        if bare is not None and bare.group(1).lower() not in _NOT_A_NAME:
            return start, start + bare.end(1)
        cut = re.search(r"[,!:.?]|\s[—–-]\s", content[:48])
        if cut:
            # "Hello, Ana. Well, …": the name after the comma is the greeting's
            name = _NAME_AFTER_COMMA.match(content, cut.end()) if cut.group() == "," else None
            if name is not None and name.group(1).lower() not in _NOT_A_NAME:
                return start, start + name.end()
            return start, start + cut.end()
        return start, start + opening.end()
    thanks = _thanks().match(content)
    if thanks:
        rest = content[thanks.end() :]
        if re.match(r"\s*[,!—–-]\s*\S", rest):  # "Thanks, I have refunded it.": just "Thanks,"
            return start, start + thanks.end() + len(rest) - len(rest.lstrip(" ,!—–-"))
        m = _SENTENCE_END.search(content)
        stop = m.end() if m else len(content)
        if re.search(r"\s[—–-]\s", content[:stop]):
            return None  # "Thanks for this – we recommend …": it runs into the answer
        return start, start + stop
    return None


def body_start(text: str, greeting: tuple[int, int] | None) -> int:
    """Offset of the first character of the reply's body (after the greeting)."""
    pos = greeting[1] if greeting else 0
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


# -- social structure: handles, thread markers and sign-off initials -------------------------
# A public reply opens with the @handles it answers ("@AmazonHelp @12345 "), may carry a thread
# marker ("1/2", "(2/2)") and usually ends with the agent's initials or name ("^CB", "*TMT",
# "-Becky"). They address and sign the reply; they are not its text: the masker drops them
# (placeholders.py), so no rule fires on them, no parse reads them as words, the greeting after
# the handles opens the reply, and no rewrite moves or copies them.
_HANDLES = re.compile(r"\A\s*(?:@[A-Za-z0-9_][\w.]{0,49}(?<!\.)(?=[\s,:;]|\Z)[\s,:;]*)+")
_MARKER = r"\(?(?:[1-9]|1[0-9])/(?:[1-9]|1[0-9])\)?"
_LEAD_MARKER = re.compile(rf"{_MARKER}(?=\s)\s*")
# at the end: initials or a name after ^ or * ("^CB", "^Madison", "*TMT", "* JR"), a thread
# marker, and (only after handles, or alone on the last line) a dash and a name ("-Becky",
# "- Kirsty", "~Anwar K.")
_CARET = re.compile(
    # after a space, or glued to a thread marker ("… 2/2^ML", "… (2/3)^GU"); lower case
    # ("^bc") and a long name written as one word ("*JeromyBingham") too
    # (a caret glued to the last sentence's full stop too: "Dealing shortly.^NR")
    r"(?:(?:(?<=\s)|(?<=\d/\d)|(?<=\d/\d\d)|(?<=\d/\d\))|(?<=\d/\d\d\)))[\^*]|(?<=[.!?])\^)"
    r" ?[A-Za-z][A-Za-z]{0,24}\.?[ \t]*\Z"
)
# (glued to a sentence's end too: "… once it's cancelled.1/2 ^SY"; blind review 18i)
_TAIL_MARKER = re.compile(rf"(?:(?<=\s)|(?<=[.!?])){_MARKER}[ \t]*\Z")
# (after handles only) initials after a slash: "… or both? /KB"
_SLASH_INITIALS = re.compile(r"(?<=\s)/ ?[A-Z]{1,3}[ \t]*\Z")
# (after handles only) a dash and a name or initials: "-Becky", "~Anwar K.", "-KB", "– JR", "-J"
_DASH_NAME = re.compile(r"(?<=\s)[-–—~] ?(?:[A-Z][a-z]{1,15}(?: [A-Z]\.?)?|[A-Z]{1,3}\.?)[ \t]*\Z")
_LINE_MARKER = re.compile(rf"(?<=\n)[ \t]*{_MARKER}[ \t]*\Z")
_DASH_LINE = re.compile(r"(?<=\n)[ \t]*[-–—~] ?[A-Z][a-z]{1,15}(?: [A-Z]\.?)?[ \t]*\Z")


_URL_END = re.compile(r"(?<=\s)(?:https?://|www\.)\S+[ \t]*\Z")


_TAIL = 160  # closing structure is looked for in this many characters before the end
_TAIL_CHARS = re.compile(r"[\^*/~\-–—]")  # (a slash: "1/2" and "/KB")


@dataclass(frozen=True)
class Shape:
    """A reply's structure: whether it opens with @handles, and the spans of its opening
    handles (with a thread marker after them) and of its closing marker and initials, in text
    order. A link after the initials ("^CB https://…") stays text."""

    handles: bool
    spans: tuple[tuple[int, int], ...]

    @property
    def body_start(self) -> int:
        return self.spans[0][1] if self.spans and self.spans[0][0] == 0 else 0


_NONE = Shape(False, ())


def social_structure(text: str) -> Shape:
    """The :class:`Shape` of ``text`` (no spans when it has no such structure)."""
    if "@" not in text[:64] and not _TAIL_CHARS.search(text, max(0, len(text) - _TAIL)):
        return _NONE  # (most drafts: no handle, and no character closing structure starts with)
    start, handles = 0, False
    lead = _HANDLES.match(text)
    if lead and lead.end() < len(text) and not text[lead.end() :].isspace():
        start, handles = lead.end(), True
        marker = _LEAD_MARKER.match(text, start)
        if marker and marker.end() < len(text):
            start = marker.end()
    tail: list[tuple[int, int]] = []
    end = len(text.rstrip())
    while end > start:  # peel closing structure from the end ("… ^CB 1/2", "… ^CB <link>")
        m = _structure_end(text, start, end, handles)
        if m is None and handles and (url := _search(_URL_END, text, start, end)) is not None:
            m = _structure_end(
                text, start, len(text[start : url.start()].rstrip()) + start, handles
            )
        if m is None or not text[start : m.start()].strip():
            break
        cut = start + len(text[start : m.start()].rstrip())
        tail.append((cut, m.end()))
        end = cut
    spans = [(0, start)] if start else []
    return Shape(handles, tuple(spans + sorted(tail)))


def _search(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    return pattern.search(text, max(start, end - _TAIL), end)


def _structure_end(text: str, start: int, end: int, handles: bool) -> re.Match[str] | None:
    """The closing structure that ends ``text[:end]``, if any."""
    found = (
        (_TAIL_MARKER, _CARET, _DASH_NAME, _SLASH_INITIALS)
        if handles
        else (_CARET, _LINE_MARKER, _DASH_LINE)
    )
    for pattern in found:
        m = _search(pattern, text, start, end)
        if m is not None:
            return m
    return None
