"""The shape of a reply: where its greeting is and where its body starts.

Works on the masked text (placeholders already read as names), with plain string tests. The
greeting's words are the lexicon's (rules/_lexicon.yaml, ``greeting``): the one definition
missing-greeting, terse-refusal, policy-benefit and the profile use.
"""

from __future__ import annotations

import re
from functools import cache

from .lexicon import alternation, load_lexicon

_NAME_LINE = re.compile(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2}\s*,\s*$")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@cache
def salutation() -> re.Pattern[str]:
    """A salutation ("hi", "good morning" …) where a match starts, as a whole word."""
    return re.compile(alternation(load_lexicon().greeting.salutations) + r"\b", re.IGNORECASE)


@cache
def _thanks() -> re.Pattern[str]:
    return re.compile(alternation(load_lexicon().greeting.thanks) + r"\b", re.IGNORECASE)


def first_line(text: str) -> tuple[int, int] | None:
    """Span of the first non-blank line, without its surrounding white space."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
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
    content = text[start:end]
    if _NAME_LINE.match(content):
        return start, end
    opening = salutation().match(content)
    if opening:
        if content.endswith((",", "!", ":")) or len(content.split()) <= 4:
            return start, end
        cut = re.search(r"[,!:.?]|\s[—–-]\s", content[:48])
        if cut:
            return start, start + cut.end()
        return start, start + opening.end()
    thanks = _thanks().match(content)
    if thanks:
        rest = content[thanks.end() :]
        if re.match(r"\s*[,!—–-]\s*\S", rest):  # "Thanks, I have refunded it.": just "Thanks,"
            return start, start + thanks.end() + len(rest) - len(rest.lstrip(" ,!—–-"))
        m = _SENTENCE_END.search(content)
        return start, start + (m.end() if m else len(content))
    return None


def body_start(text: str, greeting: tuple[int, int] | None) -> int:
    """Offset of the first character of the reply's body (after the greeting)."""
    pos = greeting[1] if greeting else 0
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
