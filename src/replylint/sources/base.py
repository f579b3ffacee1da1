"""The Draft every reader produces, and decoding shared by all readers."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..offsets import LineIndex, OffsetMap

if TYPE_CHECKING:
    from .encode import Encoder
    from .mapping import Mapped

Layout = Literal["auto", "saved-replies"]


class SourceError(Exception):
    """A file cannot be linted; the message is one line, naming the line where there is one."""

    @classmethod
    def at(cls, lines: LineIndex, offset: int, message: str) -> SourceError:
        """An error about the character at ``offset`` of the file text."""
        line, column = lines.position(max(0, min(offset, len(lines.text))))
        return cls(f"line {line}, column {column}: {message}")


class PositionedError(Exception):
    """Raised inside a reader about a file offset; the reader turns it into a SourceError."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class ReadOptions:
    """How to read files, from the command line: ``--layout``, ``--text-field``,
    ``--customer-field``."""

    layout: Layout = "auto"
    text_field: str | None = None
    customer_field: str | None = None


@dataclass(frozen=True)
class Draft:
    """One reply to lint: its text, where each character came from, and its context."""

    text: str
    offsets: OffsetMap  # draft text -> file text
    lines: LineIndex  # of the file text
    path: str | None = None
    title: str | None = None
    customer: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    # how replacement text is written into the file where this draft is (see encode.py);
    # None: the draft cannot be fixed in place
    encode: Encoder | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        customer: str | None = None,
        title: str | None = None,
        path: str | None = None,
    ) -> Draft:
        """A draft that is the whole of ``text`` (a plain-text file, a string from the API),
        as written: a lone surrogate in a caller's string stays in the draft and its excerpts
        (the parser sees U+FFFD in its place: see :func:`~replylint.placeholders.mask`)."""
        return cls(
            text,
            OffsetMap.identity(len(text)),
            LineIndex(text),
            path,
            title,
            customer,
        )

    @classmethod
    def from_mapped(
        cls,
        mapped: Mapped,
        lines: LineIndex,
        *,
        path: str | None = None,
        title: str | None = None,
        customer: str | None = None,
        encode: Encoder | None = None,
    ) -> Draft:
        """A draft whose text was derived from the file ``lines`` indexes."""
        return cls(
            _whole(mapped.text),
            mapped.offset_map(),
            lines,
            path,
            title,
            None if customer is None else _whole(customer),
            encode=encode,
        )

    def locate(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) in the file of the draft span [start, end)."""
        fs, fe = self.offsets.span_to_original(start, end)
        line, col = self.lines.position(fs)
        end_line, end_col = self.lines.position(fe)
        return line, col, end_line, end_col


@dataclass(frozen=True)
class Encoding:
    """How a file's text is stored: a codec and the byte-order mark it starts with (if any).
    UTF-8 (with or without a BOM), UTF-16 and UTF-32 (with a BOM, or UTF-16 recognised by its
    NUL bytes) are read; the fixer writes a file back in its own encoding."""

    codec: str  # a Python codec without BOM handling: "utf-8", "utf-16-le" …
    bom: bytes = b""

    @property
    def name(self) -> str:
        return self.codec.upper().replace("-LE", " LE").replace("-BE", " BE")

    def encode(self, text: str) -> bytes:
        """``text`` as the file's bytes (its BOM first)."""
        return self.bom + text.encode(self.codec)


UTF8 = Encoding("utf-8")
_BOMS = (  # UTF-32 LE first: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
SNIFF_BYTES = 8192  # what is looked at to tell the encoding (and a binary file)


def sniff(head: bytes) -> Encoding | None:
    """The encoding of a file that starts with ``head`` (its first :data:`SNIFF_BYTES` bytes or
    all of it), or None for a binary file (NUL bytes that are not UTF-16's or UTF-32's)."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return Encoding(codec, bom)
    if b"\x00" not in head:
        return UTF8
    # UTF-16 without a BOM: text that is mostly ASCII has a NUL in every other byte (the high
    # byte of each code unit), and few in the others (a low byte: U+0100, U+DE00 …)
    if len(head) >= 4 and len(head) % 2 == 0:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd * 4 >= len(head) and even * 8 <= odd:  # half the high bytes or more are NUL
            return Encoding("utf-16-le")
        if even * 4 >= len(head) and odd * 8 <= even:
            return Encoding("utf-16-be")
    return None


def encoding_of(data: bytes) -> Encoding:
    """The encoding :func:`decode` reads ``data`` with (UTF-8 when it would not read it)."""
    return sniff(data[:SNIFF_BYTES]) or UTF8


def decode(data: bytes) -> str:
    """Decode a file's bytes (UTF-8, or UTF-16/32 as :func:`sniff` tells; a BOM is dropped), or
    explain in one line why not."""
    return decode_as(data, sniff(data[:SNIFF_BYTES]))


def decode_as(data: bytes, encoding: Encoding | None) -> str:
    """:func:`decode` with the encoding already sniffed (None: a binary file)."""
    if encoding is None:
        raise SourceError("binary file (contains NUL bytes), not a text draft")
    body = memoryview(data)[len(encoding.bom) :]
    try:
        text = str(body, encoding.codec)
    except UnicodeDecodeError as exc:
        raise bad_bytes(encoding, bytes(body[: exc.start]), body[exc.start]) from None
    if not text.strip():
        raise SourceError("empty file, nothing to lint")
    return text


def bad_bytes(encoding: Encoding, before: bytes, byte: int) -> SourceError:
    """The error for bytes that are not valid in ``encoding``, after the (valid) ``before``
    (the file's bytes after its BOM): the line and column of the first bad character."""
    text = before.decode(encoding.codec, errors="replace")
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1) + 1
    return SourceError(
        f"line {line}, column {column}: not valid {encoding.name} (byte 0x{byte:02x}); "
        "save the file as UTF-8"
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole(text: str) -> str:
    """``text`` with each lone surrogate (a JSON or YAML escape such as ``\\ud800``, which is
    half a character: text cut inside an emoji) replaced by U+FFFD, one character for one."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text
