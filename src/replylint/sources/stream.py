"""Big CSV/TSV files read in chunks of whole records, so memory stays flat however big the file.

:func:`load_chunks` reads the file in binary blocks, decodes them incrementally and yields one
:class:`Chunk` (a :class:`~replylint.sources.Loaded`) per run of whole records, about
``chunk_bytes`` of the file each. A chunk never splits a record (a quoted field may hold line
breaks) nor a ``\\r\\n``; its text starts at a line start of the file, its drafts' offsets map
into it and their ``lines`` index it from the file line where it starts, so ``draft.locate()``
gives the file's lines and columns. The chunks' texts, in order, are the decoded file text.

Records are cut and parsed by the CSV reader's own :func:`~.csv.csv_record`, the header by
:func:`~.csv.csv_columns` and the rows by :func:`~.csv.csv_items`: the drafts are exactly
those :func:`~.csv.read_csv` gives for the whole file, row numbers in
default titles included, and the errors are the same, at the same file line.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, BinaryIO

from ..offsets import LineIndex
from ..suppress import Style
from . import STDIN, Loaded, comment_styles, encode, is_csv
from .base import SNIFF_BYTES, Draft, Encoding, PositionedError, ReadOptions, SourceError, sniff
from .mapping import Mapped

if TYPE_CHECKING:
    from .csv import CsvColumns, Field

STREAM_MIN_BYTES = 1 << 20  # CSV/TSV files of a MiB or more are read in chunks
# of about 256 KiB: two are alive at a time (one linted, the next read); benchmarks/README.md
# has the peaks that chose the size
CHUNK_BYTES = 1 << 18

__all__ = ["STREAM_MIN_BYTES", "Chunk", "load_chunks", "streams"]


@dataclass(frozen=True)
class Chunk(Loaded):
    """Whole records of a streamed file. ``text`` starts at the file line ``lines.first_line``
    (``lines`` indexes ``text``, as every draft's ``lines`` does, and is there even when the
    chunk has no draft) and at ``offset`` of the decoded file text."""

    lines: LineIndex
    offset: int
    # the drafts of this chunk's text once edited (the fixer's read-back): same header, row
    # numbers and file lines; a SourceError if it no longer parses
    reread: Callable[[str], list[Draft]] | None = field(default=None, compare=False, repr=False)


def streams(name: str) -> bool:
    """Whether the file ``name`` is read with :func:`load_chunks`: a CSV or TSV file of at least
    :data:`STREAM_MIN_BYTES` (its size from ``os.stat``; the file is not read)."""
    if name == STDIN or not is_csv(name):
        return False
    try:
        st = os.stat(name)
    except (OSError, ValueError):
        return False  # load_path reports it
    return stat.S_ISREG(st.st_mode) and st.st_size >= STREAM_MIN_BYTES


def load_chunks(
    name: str, options: ReadOptions | None = None, *, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[Chunk]:
    """The CSV or TSV file ``name``, one :class:`Chunk` of whole records at a time.

    The header row is read from the first chunk (whose text includes it) and applies to all;
    rows are numbered across chunks. A problem raises a SourceError with the file's line and
    column when the chunk it is in is reached (the chunks before it were yielded).
    """
    from .csv import csv_blank, csv_columns, csv_record, delimiter_of  # (on first use: see FORMATS)

    options = options or ReadOptions()
    size = max(1, chunk_bytes)
    comments = comment_styles(name)
    try:
        f = open(name, "rb")  # noqa: SIM115 (closed by the with below, in the generator)
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None
    with f:
        encoding = sniff(_read(f, SNIFF_BYTES))
        if encoding is None:
            raise SourceError("binary file (contains NUL bytes), not a text draft")
        f.seek(len(encoding.bom))
        source = _Blocks(f, encoding)
        buf = ""  # decoded text from the start of the current chunk
        first_line = 1  # the file line where buf starts
        offset = 0  # and its offset in the decoded file text
        pos = 0  # buf[:pos] is whole records, parsed
        rows: list[list[Field]] = []  # the data rows in buf[:pos]
        numbered = 0  # data rows in the chunks before
        delimiter: str | None = None
        plain: encode.Encoder | None = None
        columns: CsvColumns | None = None
        content = False  # a character that is not white space was read
        want = size
        final = False
        while not final:
            piece, final = source.read(want)
            buf = buf + piece if buf else piece
            blank = not content and not piece.strip()
            del piece  # (a block's text is as big as the chunk: not kept twice)
            # what is not whole yet is at least doubled by the next read, so one huge record
            # (or header line) is not parsed over and over
            want = max(size, len(buf) - pos)
            if blank:
                if final:
                    raise SourceError("empty file, nothing to lint")
                continue
            content = True
            if delimiter is None:
                if not final and "\n" not in buf and "\r" not in buf:
                    continue  # the header line is not whole yet
                delimiter = delimiter_of(buf, name)
                plain = encode.csv_plain(delimiter)
            n = len(buf)
            while pos < n:
                try:
                    row, end = csv_record(buf, pos, delimiter)
                except PositionedError as exc:
                    if not final:
                        break  # its closing quote is further on
                    index = LineIndex(buf, first_line)
                    raise SourceError.at(index, exc.offset, f"invalid CSV: {exc.message}") from None
                if end == n and not final and buf[end - 1] != "\n":
                    break  # it may go on (a field, a "" escape, the \n of a \r\n)
                pos = end
                if csv_blank(row):
                    continue
                if columns is None:
                    columns = csv_columns(Mapped.identity(buf), row, options)
                else:
                    rows.append(row)
            want = max(size, n - pos)
            if final and columns is None:
                raise SourceError("empty CSV, expected a header row")
            if not (rows or (final and pos)):
                continue  # (a chunk has a data row, but the last one the rest of the file)
            assert columns is not None and plain is not None
            text = buf[:pos]
            buf = buf[pos:]  # (the whole of the old one is freed before the drafts are made)
            lines = LineIndex(text, first_line)
            chunk = _chunk(name, lines, offset, rows, numbered, columns, plain, comments)
            header = numbered == 0  # (the first chunk: every later one has data rows before)
            reread = partial(
                _reread, name, delimiter, offset, numbered, columns, plain, comments, first_line
            )
            chunk = dataclasses.replace(chunk, reread=partial(reread, header))
            numbered += len(rows)
            first_line += len(lines.starts) - 1
            offset += len(text)
            del lines
            rows, pos, text = [], 0, ""
            yield chunk
            del chunk  # (the caller may drop it while the next one is read)


def _chunk(
    name: str,
    lines: LineIndex,
    offset: int,
    rows: list[list[Field]],
    numbered: int,
    columns: CsvColumns,
    plain: encode.Encoder,
    comments: tuple[Style, ...],
) -> Chunk:
    """The chunk of whole records ``lines.text``, at ``offset`` of the file text; ``rows`` are
    its data rows, ``numbered`` the data rows before it."""
    from .csv import csv_items
    from .helpdesk import to_drafts

    found = csv_items(Mapped.identity(lines.text), rows, columns, plain, numbered + 1)
    drafts = to_drafts(name, found, lines, yaml_comments=False)
    return Chunk(lines.text, drafts, comments, lines, offset)


def _reread(
    name: str,
    delimiter: str,
    offset: int,
    numbered: int,
    columns: CsvColumns,
    plain: encode.Encoder,
    comments: tuple[Style, ...],
    first_line: int,
    header: bool,
    text: str,
) -> list[Draft]:
    """The drafts of a chunk's ``text`` (edited), read as :func:`load_chunks` read the chunk:
    its first record is the header when ``header`` (the first chunk)."""
    from .csv import csv_rows

    lines = LineIndex(text, first_line)
    try:
        rows = csv_rows(text, delimiter)
    except PositionedError as exc:
        raise SourceError.at(lines, exc.offset, f"invalid CSV: {exc.message}") from None
    rows = rows[1:] if header else rows
    return _chunk(name, lines, offset, rows, numbered, columns, plain, comments).drafts


def _read(f: BinaryIO, size: int) -> bytes:
    try:
        return f.read(size)
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None


class _Blocks:
    """A binary file's text, block by block, from after its BOM: decoded incrementally in its
    encoding (a character split across blocks is whole in the next), as :func:`.base.decode`."""

    def __init__(self, f: BinaryIO, encoding: Encoding) -> None:
        self.f = f
        self.encoding = encoding
        self.decoder = codecs.getincrementaldecoder(encoding.codec)()
        self.fed = 0  # bytes given to the decoder

    def read(self, size: int) -> tuple[str, bool]:
        """The text of the next ``size`` bytes, and whether the file has ended."""
        data = _read(self.f, size)
        final = not data
        pending = len(self.decoder.getstate()[0])  # the start of a character, from before
        try:
            text = self.decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            bad = self.fed - pending + exc.start  # the offset of the bad byte after the BOM
            raise _decode_error(self.f, self.encoding, bad) from None
        self.fed += len(data)
        return text, final


def _decode_error(f: BinaryIO, encoding: Encoding, bad: int) -> SourceError:
    """The error for the bytes not valid in ``encoding`` at ``bad`` (counted after the BOM): its
    line and column (in characters), found by reading the file again up to it."""
    block = 1 << 20
    start = len(encoding.bom)
    f.seek(start)
    decoder = codecs.getincrementaldecoder(encoding.codec)("replace")
    line, column, pos = 1, 1, 0
    while pos < bad:
        data = _read(f, min(block, bad - pos))
        if not data:
            break
        text = decoder.decode(data)
        k = text.rfind("\n")
        if k >= 0:
            line += text.count("\n")
            column = len(text) - k
        else:
            column += len(text)
        pos += len(data)
    f.seek(start + bad)
    byte = _read(f, 1)
    return SourceError(
        f"line {line}, column {column}: not valid {encoding.name} "
        f"(byte 0x{byte[0] if byte else 0:02x}); save the file as UTF-8"
    )
