"""Open documents and LSP positions.

LSP positions are a 0-based line and a column counted in the *code units* the client and the
server agreed on in ``initialize`` (UTF-16 unless the client offers another): an emoji such as
😀 is one code point (one replylint column) but two UTF-16 units. Lines end at ``\\r\\n``,
``\\r`` or ``\\n``, as in LSP and in replylint's :class:`~replylint.offsets.LineIndex` (and not
at the other breaks ``str.splitlines`` knows, such as U+2028 or a form feed, which a customer's
pasted text can hold). Documents are kept here rather than in pygls's workspace, whose
incremental edits split lines with ``str.splitlines``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from ..offsets import LineIndex

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

Units = Callable[[str], int]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _utf8(text: str) -> int:
    return len(text.encode("utf-8"))


def units_for(encoding: str | None) -> Units:
    """How many code units a string takes in the position encoding ``encoding``."""
    if encoding == UTF8:
        return _utf8
    if encoding == UTF32:
        return len
    return _utf16


@dataclass
class Document:
    """An open document: its text, version, file path, and the position encoding in use."""

    uri: str
    path: str
    text: str
    version: int | None = None
    encoding: str = UTF16
    _lines: LineIndex | None = field(default=None, repr=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None or self._lines.text is not self.text:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def units(self) -> Units:
        return units_for(self.encoding)

    def position(self, offset: int) -> tuple[int, int]:
        """The LSP position (0-based line, column in code units) of a text offset."""
        return to_position(self.lines, offset, self.units)

    def offset(self, line: int, character: int) -> int:
        """The text offset of an LSP position (clamped into the text, as LSP asks)."""
        return to_offset(self.lines, line, character, self.units)

    def apply(self, start: tuple[int, int] | None, end: tuple[int, int] | None, new: str) -> None:
        """Apply one content change: the range ``start``-``end`` (LSP positions) replaced by
        ``new``, or the whole text when there is no range."""
        if start is None or end is None:
            self.text = new
            return
        a = self.offset(*start)
        b = self.offset(*end)
        a, b = min(a, b), max(a, b)
        self.text = self.text[:a] + new + self.text[b:]


def _line_end(lines: LineIndex, index: int) -> int:
    """The offset where line ``index`` (0-based) ends, before its line break."""
    starts = lines.starts
    text = lines.text
    if index + 1 >= len(starts):
        return len(text)
    end = starts[index + 1]
    if text.startswith("\r\n", end - 2) and end - 2 >= starts[index]:
        return end - 2
    return end - 1


def to_position(lines: LineIndex, offset: int, units: Units) -> tuple[int, int]:
    offset = max(0, min(offset, len(lines.text)))
    index = bisect.bisect_right(lines.starts, offset) - 1
    start = lines.starts[index]
    end = _line_end(lines, index)
    return index, units(lines.text[start : min(offset, end)])


def to_offset(lines: LineIndex, line: int, character: int, units: Units) -> int:
    starts = lines.starts
    if line < 0:
        return 0
    if line >= len(starts):
        return len(lines.text)
    start = starts[line]
    end = _line_end(lines, line)
    text = lines.text
    if character <= 0:
        return start
    guess = min(start + character, end)
    if units(text[start:guess]) == character:
        return guess  # no character of several units before it (the usual case)
    # the smallest k with units(text[start:k]) >= character: a column inside a character
    # (half of a surrogate pair) means the position after it
    lo, hi = start, end
    if units(text[start:end]) <= character:
        return end
    while lo < hi:
        mid = (lo + hi) // 2
        if units(text[start:mid]) >= character:
            hi = mid
        else:
            lo = mid + 1
    return lo
