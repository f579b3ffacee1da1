"""Masking: the text the parser sees, with an exact map back to the draft.

Helpdesk placeholders (``{{ticket.requester.first_name}}``, ``{%customer.firstName%}``,
``[Customer Name]``, ``%NAME%`` …) are replaced with a neutral word of the right kind ("Alex"
where the placeholder names someone), so "Hi {{ticket.requester.first_name}}," still parses as a
greeting, and no rule fires on or rewrites a placeholder. Typographic quotes become ASCII ones
(same length), so "it’s" and "it's" match the same patterns and tag the same way.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .offsets import OffsetMap
from .quoting import quoted_spans
from .rulebook import REGEX_BUDGET, budgeted
from .structure import social_structure

NAME_WORD = "Alex"
VALUE_WORD = "ITEM"

# Order matters: the Help Scout form {%name,fallback=x%} before Liquid tags {% … %}.
BUILTIN_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\{%[A-Za-z_][\w.]*(?:,fallback=[^\n]*?)?%\}", "value"),  # Help Scout
    (r"\{%-?[^\n]*?-?%\}", "tag"),  # Liquid / Jinja tags
    (r"\{\{[^\n]*?\}\}", "value"),  # Zendesk, Freshdesk, Intercom, Front, Gorgias
    (r"<attribute\b[^>\n]*/>", "value"),  # Intercom rendered attributes
    (r"\[\[[^\n]*?\]\]", "value"),  # [[MISSING TOKEN]], agent fill-ins
    (r"\[[A-Z][A-Za-z0-9 _.-]{0,40}\](?!\()", "value"),  # [Customer Name], [AMOUNT]
    (r"<[A-Z][A-Z0-9 _-]*>", "value"),  # <PROJECT NAME>
    (r"%[A-Za-z_][\w.]*%", "value"),  # %NAME%, %customer.firstname%
    (r"\bX{3,}\b", "value"),  # XXX
)
_PERSON_NAME = re.compile(r"(?:first|last|full|given|family|nick)_?name|firstname", re.I)
_NAME_HINT = re.compile(r"name|first|requester|customer|recipient|user|agent|contact", re.I)
_NOT_NAME_HINT = re.compile(
    r"\b(id|number|url|link|date|amount|email|phone|company|project|product|store|shop|team|"
    r"brand|app|item|plan|file|event|order|ticket|account|site|business|organi[sz]ation)\b"
    r"|_id|\.id|(?:company|project|product|store|shop|team|brand|app|plan|org)_?name",
    re.I,
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "′": "'"})
# a lone surrogate (half an emoji from a broken export, or a library caller's str) cannot be
# encoded, and spaCy's tokenizer raises on it: the parser sees U+FFFD, one code point for one
_QUOTES.update(dict.fromkeys(range(0xD800, 0xE000), "\ufffd"))
_SURROGATE = re.compile("[\ud800-\udfff]")
_QUOTE_PAIRS = [(chr(a), b) for a, b in _QUOTES.items() if not 0xD800 <= a < 0xE000]


def straightened(text: str) -> str:
    """``text.translate(_QUOTES)``, cheaply: ``str.translate`` looks up every character of a
    text that is not all ASCII in the table (a draft with a curly quote cost 30 µs)."""
    if text.isascii():
        return text
    if _SURROGATE.search(text):
        return text.translate(_QUOTES)
    for curly, straight in _QUOTE_PAIRS:
        if curly in text:
            text = text.replace(curly, straight)
    return text


_CUSTOMER_NAME = re.compile(
    r"(?:requester|customer|recipient|contact|user|lead)[\w.]*?(?:first_?name|firstname|name)"
    r"|^\s*(?:\[?customer name\]?|first_?name|name)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Masked:
    """The parser's text, its map back to the draft, and where the placeholders are."""

    text: str
    offsets: OffsetMap
    placeholders: tuple[tuple[int, int], ...]  # spans in the masked text
    original: str = ""  # the draft text

    def in_placeholder(self, start: int, end: int) -> bool:
        # placeholders are in text order and never overlap: only the last one starting at or
        # before ``start`` can hold the span (a scan of them all was quadratic in a long draft)
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and end <= self.placeholders[i][1]

    @cached_property
    def _starts(self) -> list[int]:
        return [ps for ps, _ in self.placeholders]

    def edit_to_original(self, start: int, end: int) -> tuple[int, int]:
        """An edit's span in the draft's text. An insertion after the masked text's last word
        goes before what the masker dropped after it (a tweet's "-Mike", "^CB", "2/2"): a
        closing sentence is the reply's, not the sign-off's."""
        if start == end and start > 0 and not self.text[start:].strip():
            pos = self.offsets.to_original(start, end=True)
            return pos, pos
        return self.offsets.span_to_original(start, end)

    def customer_name_placeholder(self) -> str | None:
        """The first placeholder in the draft that stands for the customer's name, as written."""
        for start, end in self.placeholders:
            a, b = self.offsets.span_to_original(start, end)
            token = self.original[a:b]
            if _CUSTOMER_NAME.search(token.strip("{}%[]<> ")) and "current_user" not in token:
                return token
        return None


# the characters every built-in pattern starts with: the search skips other positions at once
# (instead of trying the nine patterns at every character)
BUILTIN_FIRST = "{<[%X"


def compile_patterns(extra: Iterable[str] = (), *, guarded: bool = True) -> Any:
    """The built-in placeholder patterns, then ``extra`` (config ``placeholders``), as one
    regex with a group per pattern. ``guarded=False``: without the first-character guard (the
    tests check it changes no match). With ``extra`` (a repository's patterns), compiled by
    the ``regex`` package and searched under a time budget (see :func:`mask`)."""
    parts = [f"(?P<{kind}{i}>{pat})" for i, (pat, kind) in enumerate(BUILTIN_PATTERNS)]
    builtin = "|".join(parts)
    if guarded:
        builtin = f"(?=[{re.escape(BUILTIN_FIRST)}])(?:{builtin})"
    extras = [f"(?P<value{len(parts) + j}>{pat})" for j, pat in enumerate(extra)]
    if extras:
        try:
            return budgeted("|".join([builtin, *extras]))
        except Exception as exc:  # the regex package's error, as re's is reported
            raise re.error(str(exc)) from None
    return re.compile(builtin)


class PatternTimeout(Exception):
    """A configured placeholder pattern ran over its time budget on a draft."""


DEFAULT_PATTERN = compile_patterns()


def _replacement(kind: str, token: str) -> str:
    if kind.startswith("tag"):
        return ""
    inner = token.strip("{}%[]<> ")
    if _PERSON_NAME.search(inner):
        return NAME_WORD
    if _NAME_HINT.search(inner) and not _NOT_NAME_HINT.search(inner):
        return NAME_WORD
    return VALUE_WORD


# A run of punctuation, symbols or emoji longer than this keeps its first and last RUN_KEEP
# characters for the parser; the middle is dropped (mapped to nothing). spaCy's tokenizer
# peels such a run one prefix or suffix at a time, rescanning what is left each time
# (quadratic in the run's length), and no rule reads the middle of such a run.
RUN_KEEP = 50
_RUN = re.compile(rf"[^\w\s]{{{2 * RUN_KEEP + 1},}}")


def _matches(pattern: Any, text: str) -> list[Any]:
    if isinstance(pattern, re.Pattern):  # the built-in patterns alone
        return list(pattern.finditer(text))
    try:
        return list(pattern.finditer(text, timeout=REGEX_BUDGET))
    except TimeoutError:
        raise PatternTimeout(pattern.pattern) from None


def placeholder_spans(text: str, pattern: Any = DEFAULT_PATTERN) -> list[tuple[int, int]]:
    """Where ``pattern``'s placeholders (and template tags) are in ``text``, unmasked."""
    return [m.span() for m in _matches(pattern, text)]


# HTML entities as a tweet export escapes them ("Kelly &amp; are working", "&gt;&gt;"): the
# parser reads the character ("&amp;" read as "&", "amp", ";" made "; use …" an instruction)
_ENTITY = re.compile(r"&(?:amp|gt|lt|quot|apos|nbsp|#39);")
_ENTITY_CHARS = {"&amp;": "&", "&gt;": ">", "&lt;": "<", "&quot;": '"', "&apos;": "'",
                 "&nbsp;": " ", "&#39;": "'"}  # fmt: skip


def _entities(text: str, found: list[tuple[int, int, str]]) -> set[int]:
    """Add to ``found`` the HTML entities of ``text`` outside its other masked spans, read as
    their characters; their starts."""
    starts = set()
    for m in _ENTITY.finditer(text):
        a, b = m.span()
        if not any(a < e and s < b for s, e, _ in found):
            found.append((a, b, _ENTITY_CHARS[m.group()]))
            starts.add(a)
    return starts


def _merged(spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """``spans`` in text order, overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def mask(draft: str, pattern: Any = DEFAULT_PATTERN) -> Masked:
    """``draft`` masked for the parser. ``pattern``: from :func:`compile_patterns`; one with
    configured patterns raises :class:`PatternTimeout` when it runs over its time budget."""
    text = straightened(draft)
    offsets = OffsetMap()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    src = 0  # position in the masked text
    dst = 0  # position in the draft text

    def literal(start: int, end: int) -> None:
        """The draft's text [start, end) as it is, but for long runs (see RUN_KEEP)."""
        nonlocal src
        at = start
        for run in _RUN.finditer(text, start, end):
            keep_to, resume = run.start() + RUN_KEEP, run.end() - RUN_KEEP
            out.append(text[at:keep_to])
            offsets.add(src, at, keep_to - at, keep_to - at)
            src += keep_to - at
            offsets.add(src, keep_to, 0, resume - keep_to)  # dropped
            at = resume
        out.append(text[at:end])
        offsets.add(src, at, end - at, end - at)
        src += end - at

    # the reply's handles, thread markers and sign-off initials (structure.py) are dropped:
    # mapped to nothing, like a template tag
    # so are quoted mail, its attribution and a signature (quoting.quoted_spans)
    dropped = _merged(social_structure(text).spans + quoted_spans(text))
    found: list[tuple[int, int, str]] = [(a, b, "") for a, b in dropped]
    for m in _matches(pattern, text):
        a, b = m.span()
        if not any(a < de and ds < b for ds, de in dropped):
            found.append((a, b, _replacement(m.lastgroup or "value", m.group())))
    entities = _entities(text, found) if "&" in text else set()
    if dropped or entities:
        found.sort()
    for start, end, word in found:
        if start > dst:
            literal(dst, start)
        out.append(word)
        offsets.add(src, start, len(word), end - start)
        if word and start not in entities:
            spans.append((src, src + len(word)))
        src += len(word)
        dst = end
    if dst < len(text) or not out:
        literal(dst, len(text))
    return Masked("".join(out), offsets, tuple(spans), draft)
