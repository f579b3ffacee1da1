"""Plain-text drafts: the whole file is one reply, less what the agent did not write.

Quoted lines (``> …``), an "On … wrote:" attribution and a forwarded/original message below a
separator are the customer's words: they are left out of the linted text (their line breaks
stay, so sentences around them still end) and become the draft's customer context.
``# replylint: …`` suppression comments are left out too.
"""

from __future__ import annotations

import re

from ..offsets import LineIndex
from ..suppress import is_directive_line
from . import encode
from .base import Draft, ReadOptions
from .mapping import Builder, Mapped, lines

_ATTRIBUTION = re.compile(r"^\s*On\s.{0,300}\bwrote:\s*$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^\s*On\s.{0,200}$", re.IGNORECASE)
_ATTRIBUTION_END = re.compile(r"^.{0,200}\bwrote:\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}\s*$", re.IGNORECASE
)
_HEADER_FROM = re.compile(r"^\s*\**From:\**\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\s*\**(?:Sent|Date|To|Subject|Cc):\**\s", re.IGNORECASE)


def quote_depth(line: str) -> tuple[int, str]:
    """How deeply ``line`` is quoted with ``>`` marks, and its text without them."""
    depth = 0
    rest = line.lstrip()
    while rest.startswith(">"):
        depth += 1
        rest = rest[1:]
        rest = rest[1:] if rest.startswith(" ") else rest
        if rest.lstrip(" ").startswith(">"):
            rest = rest.lstrip(" ")
    return depth, rest


def read_plain(
    source: Mapped, *, directives: bool = True, email: bool = False
) -> tuple[Mapped, str | None]:
    """The agent's own text of ``source`` and the customer's words quoted in it (or None)."""
    text = source.text
    b = Builder(source)
    if not email and _all_own(text, directives) and len(source.segments) <= 1:
        b.keep(0, len(text))  # (what keeping each line gives, when no line is left out)
        return b.build(), None
    rows = list(lines(text))
    customer: list[str] = []

    def rest_is_customer(k: int) -> None:
        for s, ce, e in rows[k:]:
            depth, inner = quote_depth(text[s:ce])
            customer.append(inner if depth <= 1 else "")
            b.keep(ce, e)

    k = 0
    signature = False
    while k < len(rows):
        s, ce, e = rows[k]
        line = text[s:ce]
        depth, inner = quote_depth(line)
        if email and line in ("-- ", "--"):
            signature = True  # neither the reply nor the customer's: up to the quoted history
        if signature:
            if not (depth or _attribution(text, rows, k) or _SEPARATOR.match(line)):
                b.keep(ce, e)
                k += 1
                continue
            signature = False
        if depth:
            if depth == 1:
                customer.append(inner)
            b.keep(ce, e)  # the line break stays: the text around it still ends a sentence
            k += 1
            continue
        if directives and is_directive_line(line):
            b.keep(ce, e)
            k += 1
            continue
        span = _attribution(text, rows, k)
        if span:
            for _, ce2, e2 in rows[k : k + span]:
                b.keep(ce2, e2)
            k += span
            nxt = next((r for r in rows[k:] if text[r[0] : r[1]].strip()), None)
            if nxt is not None and not quote_depth(text[nxt[0] : nxt[1]])[0]:
                rest_is_customer(k)  # an unquoted message below "On … wrote:"
                break
            continue
        if _SEPARATOR.match(line) or (_HEADER_FROM.match(line) and _header_block(text, rows, k)):
            b.keep(ce, e)
            rest_is_customer(k + 1)
            break
        b.keep(s, e)
        k += 1
    found = "\n".join(customer).strip()
    return b.build(), found or None


def _all_own(text: str, directives: bool) -> bool:
    """Whether no line of ``text`` can be quoted, an attribution, a separator, a header or a
    suppression comment: each of those needs one of these marks (a quick test, most replies
    pass it and are kept whole)."""
    if ">" in text or "--" in text or (directives and "replylint:" in text):
        return False
    lower = text.lower()
    return "wrote:" not in lower and "from:" not in lower


def _attribution(text: str, rows: list[tuple[int, int, int]], k: int) -> int:
    """1 or 2 when an "On <date>, <name> wrote:" attribution starts at row ``k`` (it may wrap)."""
    line = text[rows[k][0] : rows[k][1]]
    if _ATTRIBUTION.match(line):
        return 1
    if k + 1 < len(rows) and _ATTRIBUTION_START.match(line):
        second = text[rows[k + 1][0] : rows[k + 1][1]]
        if _ATTRIBUTION_END.match(second) and not _ATTRIBUTION_START.match(second):
            return 2
    return 0


def _header_block(text: str, rows: list[tuple[int, int, int]], k: int) -> bool:
    """An Outlook-style "From: … / Sent: … / To: …" header of a quoted message at row ``k``."""
    following = [text[s:ce] for s, ce, _ in rows[k + 1 : k + 4]]
    return sum(1 for line in following if _HEADER_NEXT.match(line)) >= 2


def read_text(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    body, customer = read_plain(Mapped.identity(text))
    return [
        Draft.from_mapped(body, LineIndex(text), path=name, customer=customer, encode=encode.raw)
    ]
