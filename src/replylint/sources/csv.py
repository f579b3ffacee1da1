"""``.csv``/``.tsv`` collections of replies. A CSV file has a header row; the text column is
``--text-field`` (else ``text``, ``body``, ``reply`` …) and an optional customer column
(``--customer-field``) becomes each draft's context. Records are parsed with their spans
(RFC 4180), so every field maps back into the file; :mod:`.stream` reads big files in chunks
with the same functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..offsets import LineIndex
from . import encode
from .base import Draft, PositionedError, ReadOptions, SourceError
from .helpdesk import CUSTOMER_FIELDS, TITLE_FIELDS, Item, to_drafts
from .mapping import Builder, Mapped, break_end, lines

Field = tuple[int, int, bool]  # content start, stop, quoted


def csv_rows(text: str, delimiter: str) -> list[list[Field]]:
    """Rows of fields with their spans (RFC 4180: quoted fields, "" escapes, line breaks
    inside quotes); empty lines are skipped."""
    rows: list[list[Field]] = []
    n = len(text)
    i = 0
    while i < n:
        row, i = csv_record(text, i, delimiter)
        if not csv_blank(row):
            rows.append(row)
    return rows


def csv_record(text: str, i: int, delimiter: str) -> tuple[list[Field], int]:
    """The fields of the record that starts at ``i`` (``i < len(text)``), and where the next
    record starts: past this one's line break (\\r\\n, \\r or \\n), else at the end of the text.
    An unclosed quote raises a PositionedError at the quote."""
    ends = delimiter + "\r\n"
    n = len(text)
    row: list[Field] = []
    while True:
        if i < n and text[i] == '"':
            j = i + 1
            while True:
                q = text.find('"', j)
                if q < 0:
                    raise PositionedError(i, "a quoted field is never closed")
                if text.startswith('""', q):
                    j = q + 2
                    continue
                break
            row.append((i + 1, q, True))
            i = q + 1
            while i < n and text[i] not in ends:  # stray text after the closing quote
                i += 1
        else:
            j = i
            while j < n and text[j] not in ends:
                j += 1
            row.append((i, j, False))
            i = j
        if i < n and text[i] == delimiter:
            i += 1
            continue
        break
    if i < n:
        i = break_end(text, i)
    return row, i


def csv_blank(row: list[Field]) -> bool:
    """Whether a record is an empty line (which :func:`csv_rows` skips)."""
    return len(row) == 1 and row[0][0] == row[0][1] and not row[0][2]


def csv_field(src: Mapped, f: Field) -> Mapped:
    start, stop, quoted = f
    if not quoted:
        return src.sub(start, stop)
    text = src.text
    b = Builder(src)
    i = start
    while i < stop:
        q = text.find('""', i, stop)
        if q < 0:
            b.keep(i, stop)
            break
        b.keep(i, q)
        b.put('"', q, q + 2)
        i = q + 2
    return b.build(end=stop)


def delimiter_of(text: str, name: str) -> str:
    if name.lower().endswith(".tsv"):
        return "\t"
    first = next(lines(text), (0, 0, 0))
    header = re.sub(r'"[^"]*"', "", text[first[0] : first[1]])
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column_named(names: list[str], wanted: tuple[str, ...]) -> int | None:
    lowered = [n.strip().lower() for n in names]
    for w in wanted:
        if w.lower() in lowered:
            return lowered.index(w.lower())
    return None


def read_csv(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    options = options or ReadOptions()
    index = LineIndex(text)
    src = Mapped.identity(text)
    delimiter = delimiter_of(text, name)
    plain = encode.csv_plain(delimiter)
    try:
        rows = csv_rows(text, delimiter)
    except PositionedError as exc:
        raise SourceError.at(index, exc.offset, f"invalid CSV: {exc.message}") from None
    if not rows:
        raise SourceError("empty CSV, expected a header row")
    columns = csv_columns(src, rows[0], options)
    return to_drafts(name, csv_items(src, rows[1:], columns, plain), index, yaml_comments=False)


@dataclass(frozen=True)
class CsvColumns:
    """Which columns of a CSV file hold the reply text, the title and the customer's words."""

    text: int
    title: int | None
    customer: int | None


def csv_columns(src: Mapped, header: list[Field], options: ReadOptions) -> CsvColumns:
    """The columns named by the ``header`` row, or a SourceError naming the columns found."""
    names = [csv_field(src, f).text.strip() for f in header]
    shown = ", ".join(names)
    wanted = (
        (options.text_field,)
        if options.text_field
        else ("text", "body", "reply", "content", "message", "response", "template")
    )
    text_col = _column_named(names, wanted)
    if text_col is None:
        expected = (
            f"a column named {options.text_field!r}"
            if options.text_field
            else "a text column (text, body, reply, …; choose it with --text-field)"
        )
        raise SourceError(f"no text column: expected {expected}; found columns: {shown}")
    title_col = _column_named(names, TITLE_FIELDS)
    customer_col = _column_named(
        names, (options.customer_field,) if options.customer_field else CUSTOMER_FIELDS
    )
    if options.customer_field and customer_col is None:
        raise SourceError(
            f"no customer column: expected a column named {options.customer_field!r}; "
            f"found columns: {shown}"
        )
    return CsvColumns(text_col, title_col, customer_col)


def csv_items(
    src: Mapped,
    rows: list[list[Field]],
    columns: CsvColumns,
    plain: encode.Encoder,
    first: int = 1,
) -> list[Item]:
    """The replies of the data ``rows`` (numbered from ``first`` in default titles)."""
    text_col, title_col, customer_col = columns.text, columns.title, columns.customer
    found: list[Item] = []
    for n, row in enumerate(rows, first):
        if text_col >= len(row):
            continue
        title = (
            csv_field(src, row[title_col]).text.strip()
            if title_col is not None and (title_col < len(row))
            else ""
        )
        customer = (
            csv_field(src, row[customer_col]).text.strip()
            if customer_col is not None and customer_col < len(row)
            else ""
        )
        cell = row[text_col]
        found.append(
            Item(
                title or f"row {n}",
                csv_field(src, cell),
                customer or None,
                encode.csv_quoted if cell[2] else plain,
            )
        )
    return found
