"""Exact offset maps between derived text and the text the user wrote, and line/column lookup.

Every stage that changes text (a reader stripping markup or decoding escapes, the masker
replacing placeholders) records what it did in an :class:`OffsetMap`, so a finding found in the
derived text points at the very characters of the original file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class OffsetMap:
    """Maps offsets in a derived text to offsets in its original.

    Segments are ``(src_start, dst_start, src_len, dst_len)`` in derived-text order. A segment
    with equal lengths maps character by character; one with different lengths (a decoded
    escape, a masked placeholder) is atomic: positions inside it widen to the whole segment.
    Derived text not covered by a segment maps linearly from the end of the previous one.
    """

    segments: list[tuple[int, int, int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def identity(cls, length: int, base: int = 0) -> OffsetMap:
        m = cls()
        m.add(0, base, length, length)
        return m

    def add(self, src_start: int, dst_start: int, src_len: int, dst_len: int) -> None:
        if self.segments:
            last = self.segments[-1]
            if src_start < last[0] + last[2]:
                raise ValueError("offset segments must be added in order")
            # merge adjacent linear runs to keep the map small
            if (
                last[2] == last[3]
                and src_len == dst_len
                and last[0] + last[2] == src_start
                and last[1] + last[3] == dst_start
            ):
                self.segments[-1] = (last[0], last[1], last[2] + src_len, last[3] + dst_len)
                return
        self.segments.append((src_start, dst_start, src_len, dst_len))
        self._starts.append(src_start)

    def to_original(self, pos: int, *, end: bool = False) -> int:
        """The original offset of derived position ``pos`` (``end`` for an exclusive end)."""
        if not self.segments:
            return pos
        if end and pos > 0:
            # an exclusive end is where the character before it ends: never widen into a
            # following segment (an empty one, such as a removed template tag, included)
            i = bisect.bisect_right(self._starts, pos - 1) - 1
        else:
            i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            src, dst, _, _ = self.segments[0]
            return dst - (src - pos)
        src, dst, slen, dlen = self.segments[i]
        offset = pos - src
        if offset >= slen:  # past the segment: linear from its end
            return dst + dlen + (offset - slen)
        if slen == dlen:
            return dst + offset
        if offset == 0:
            return dst
        return dst + dlen if end else dst

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        if start == end:
            pos = self.to_original(start)
            return pos, pos
        return self.to_original(start), self.to_original(end, end=True)


LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what ends a line, everywhere in replylint


class LineIndex:
    """1-based line and column (in code points) of offsets in a text; \\r\\n, \\r, \\n end lines.

    ``first_line`` is the line number of the text's first line: a chunk of a larger file (read
    in pieces, see sources/stream.py) that starts at a line start reports the file's lines.
    """

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.first_line = first_line

    @cached_property
    def starts(self) -> list[int]:
        """The offset where each line starts (found when first asked: a file answered from
        the cache and written as JSON never is)."""
        return [0, *(m.end() for m in LINE_BREAK.finditer(self.text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + self.first_line, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - self.first_line] + column - 1

    def line_text(self, line: int) -> str | None:
        """The text of file line ``line`` without its line break, or None outside the text."""
        i = line - self.first_line
        if not 0 <= i < len(self.starts):
            return None
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[i] : end].rstrip("\r\n")
