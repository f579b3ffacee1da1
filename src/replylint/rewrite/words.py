"""The draft's own words, joined as written (the issue's noun phrase, the benefit a policy
sentence leads with)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


def join(tokens: list[Token], word: Callable[[Token], str]) -> str:
    """The tokens' text as the user wrote it (``word`` gives a token's original text), one
    space wherever the draft had any: a line break between two words, a token of its own that
    is not in ``tokens``, still parts them (not "customscript": blind review 18o)."""
    parts: list[str] = []
    for a, b in zip(tokens, [*tokens[1:], None], strict=True):
        parts.append(word(a))
        if b is not None and (a.whitespace_ or b.idx > a.idx + len(a.text)):
            parts.append(" ")
    return " ".join("".join(parts).split())


def sentence_case(text: str, first: Token | None) -> str:
    """Lower-case the first letter, unless it starts a name or is "I"."""
    if first is not None and (first.pos_ == "PROPN" or first.lower_ == "i"):
        return text
    if re.match(r"I\b", text):
        return text
    return text[:1].lower() + text[1:]
