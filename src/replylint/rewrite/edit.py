"""What every builder returns: an :class:`Edit` of the masked text, made display-only when its
text has a ``<slot>`` for the writer to fill."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..engine.hits import Edit, NeedParse
from ..models import SLOT_RE, Applicability
from .placement import sentence_capital

if TYPE_CHECKING:
    from ..engine.context import DocContext

_WORD = re.compile(r"\w+")

__all__ = ["Edit", "NeedParse", "edit", "opening_edit"]


def edit(start: int, end: int, text: str, description: str, app: Applicability) -> Edit:
    if SLOT_RE.search(text):
        app = Applicability.DISPLAY_ONLY
    return Edit(start, end, text, description, app)


def opening_edit(
    ctx: DocContext, at: int, text: str, description: str, app: Applicability, drop: int = 0
) -> Edit:
    """``text`` (a sentence and its space) inserted at ``at``, before the draft's own words
    (after dropping the ``drop`` characters there: a discourse opener such as "Well "); a
    lower-case word it then opens is given its capital ("… the issue. our team …" -> "… the
    issue. Our team …"), where the draft's text there is as typed (no placeholder)."""
    start, at = at, at + drop
    if ctx.text[:start].rstrip(" \t").endswith(","):
        # after "Hi Ana, ": the sentence goes on from the greeting ("Hi Ana, just to make
        # sure …"), its first word in lower case ("I'm" stays)
        text = _in_lower_case(text)
    word = _WORD.match(ctx.text, at)
    if word is not None and not any(ps <= at < pe for ps, pe in ctx.masked.placeholders):
        capital = sentence_capital(ctx.text, at, word.group(0))
        a, b = ctx.masked.offsets.span_to_original(at, at + 1)
        if capital is not None and b - a == 1:
            return edit(start, at + 1, text + capital, description, app)
    return edit(start, at, text, description, app)


def _in_lower_case(text: str) -> str:
    """``text`` with its first word in lower case, where that word is one of the builders'
    sentence openers ("Just" -> "just"); "I", "I'm" and names are left as they are."""
    word = _WORD.match(text)
    if word is None or word.group(0) not in _SENTENCE_OPENERS:
        return text
    return text[:1].lower() + text[1:]


# the first words of the opening sentences the builders write
_SENTENCE_OPENERS = frozenset({"Just", "Thanks", "Thank", "Sorry", "We", "So", "That"})
