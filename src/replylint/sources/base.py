"""The Draft every reader produces, and decoding shared by all readers."""

from __future__ import annotations

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
        """A draft that is the whole of ``text`` (a plain-text file, a string from the API)."""
        return cls(text, OffsetMap.identity(len(text)), LineIndex(text), path, title, customer)

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
        return cls(mapped.text, mapped.offset_map(), lines, path, title, customer, encode=encode)

    def locate(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) in the file of the draft span [start, end)."""
        fs, fe = self.offsets.span_to_original(start, end)
        line, col = self.lines.position(fs)
        end_line, end_col = self.lines.position(fe)
        return line, col, end_line, end_col


def decode(data: bytes) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is dropped), or explain in one line why not."""
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not a text draft")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # the BOM: positions in errors count from after it
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise SourceError(
            f"line {line}, column {column}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    if not text.strip():
        raise SourceError("empty file, nothing to lint")
    return text
