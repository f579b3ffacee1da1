"""Plain-text drafts: the whole file is one reply, less what the agent did not write.

Quoted lines (``> …``), an "On … wrote:" attribution and a forwarded/original message below a
separator are the customer's words: they are left out of the linted text (their line breaks
stay, so sentences around them still end) and become the draft's customer context.
``# replylint: …`` suppression comments are left out too.
"""

from __future__ import annotations

from ..offsets import LineIndex
from ..quoting import ATTRIBUTION_START, SEPARATOR, attribution, header_block, quote_depth
from ..suppress import is_directive_line
from . import encode
from .base import Draft, ReadOptions
from .mapping import Builder, Mapped, lines


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
            if not (depth or _attribution(text, rows, k) or SEPARATOR.match(line)):
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
            # an unquoted message below "On … wrote:" (another mailer's attribution with no
            # quote under it is only left out: what follows may be the reply)
            if (
                nxt is not None
                and not quote_depth(text[nxt[0] : nxt[1]])[0]
                and ATTRIBUTION_START.match(line)
            ):
                rest_is_customer(k)
                break
            continue
        if SEPARATOR.match(line) or _header_block(text, rows, k):
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
    """:func:`~replylint.quoting.attribution` at row ``k``."""
    following = text[rows[k + 1][0] : rows[k + 1][1]] if k + 1 < len(rows) else None
    return attribution(text[rows[k][0] : rows[k][1]], following)


def _header_block(text: str, rows: list[tuple[int, int, int]], k: int) -> bool:
    return header_block([text[s:ce] for s, ce, _ in rows[k : k + 4]], 0)


def read_text(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    body, customer = read_plain(Mapped.identity(text))
    return [
        Draft.from_mapped(body, LineIndex(text), path=name, customer=customer, encode=encode.raw)
    ]


def api_draft(text: str, customer: str | None) -> Draft:
    """The draft of a string given to the library or the server: the whole of ``text`` as
    written (the rules never read the mail quoted in it: :func:`~replylint.structure.
    quoted_spans`); without ``customer``, the customer's words quoted in it ("> …", below
    "On … wrote:") are the customer's message, as in a plain-text file."""
    if customer is None:
        customer = read_plain(Mapped.identity(text), directives=False)[1]
    return Draft.from_text(text, customer=customer)
