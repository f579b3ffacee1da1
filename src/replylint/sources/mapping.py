"""Derived text that knows where each of its characters came from in the file.

Readers build a draft in steps (a JSON string is decoded, then its HTML is stripped; a Markdown
file loses its code blocks, then a quoted line). Each step reads a :class:`Mapped` text and
writes a new one with a :class:`Builder`, so positions compose back to the decoded file text
without any step knowing about the others.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..offsets import LINE_BREAK, OffsetMap

# (start in the text, length in the text, file start, file end). A segment whose two lengths
# are equal maps character by character; any other segment is atomic (a decoded escape, an
# entity, an inserted sentence break with an empty file span).
Segment = tuple[int, int, int, int]


@dataclass(frozen=True)
class Mapped:
    """A text and, segment by segment, the span of the file text each part stands for."""

    text: str
    segments: tuple[Segment, ...]
    end: int  # the file offset that the end of the text maps to
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._starts:
            object.__setattr__(self, "_starts", tuple(s[0] for s in self.segments))

    @classmethod
    def identity(cls, text: str, base: int = 0) -> Mapped:
        """``text`` standing for itself, found at ``base`` in the file."""
        segments = ((0, len(text), base, base + len(text)),) if text else ()
        return cls(text, segments, base + len(text))

    def __len__(self) -> int:
        return len(self.text)

    def _segment(self, i: int) -> Segment:
        k = bisect.bisect_right(self._starts, i) - 1
        return self.segments[max(k, 0)]

    def file_pos(self, i: int) -> int:
        """The file offset where the character at ``i`` starts (``end`` at the end)."""
        if i >= len(self.text) or not self.segments:
            return self.end
        start, length, fs, fe = self._segment(i)
        return fs + (i - start) if length == fe - fs else fs

    def file_end(self, j: int) -> int:
        """The file offset where the character before ``j`` ends (an exclusive end)."""
        if j <= 0 or not self.segments:
            return self.file_pos(0)
        start, length, fs, fe = self._segment(j - 1)
        return fs + (j - start) if length == fe - fs else fe

    def file_span(self, i: int, j: int) -> tuple[int, int]:
        if i >= j:
            pos = self.file_pos(i)
            return pos, pos
        return self.file_pos(i), self.file_end(j)

    def pieces(self, i: int, j: int) -> Iterator[tuple[int, int, int]]:
        """``(length, file_start, file_end)`` runs covering ``text[i:j]``; a part of an atomic
        segment widens to the whole segment."""
        if i >= j:
            return
        k = max(bisect.bisect_right(self._starts, i) - 1, 0)
        while k < len(self.segments):
            start, length, fs, fe = self.segments[k]
            if start >= j:
                break
            a, b = max(i, start), min(j, start + length)
            if b > a:
                if length == fe - fs:
                    yield b - a, fs + (a - start), fs + (b - start)
                else:
                    yield b - a, fs, fe
            k += 1

    def offset_map(self) -> OffsetMap:
        offsets = OffsetMap()
        for start, length, fs, fe in self.segments:
            offsets.add(start, fs, length, fe - fs)
        return offsets

    def sub(self, i: int, j: int) -> Mapped:
        """``text[i:j]`` with its map."""
        b = Builder(self)
        b.keep(i, j)
        return b.build(end=self.file_end(j) if j > i else self.file_pos(i))


class Builder:
    """Writes a new text from a :class:`Mapped` source: kept slices, replacements, insertions."""

    def __init__(self, source: Mapped) -> None:
        self.source = source
        self._parts: list[str] = []
        self._segments: list[Segment] = []
        self._length = 0
        self._tail = ""

    def __len__(self) -> int:
        return self._length

    def _append(self, text: str, fs: int, fe: int) -> None:
        if not text:
            return
        length = len(text)
        if self._segments:
            start, n, lfs, lfe = self._segments[-1]
            if n == lfe - lfs and length == fe - fs and lfe == fs:
                self._segments[-1] = (start, n + length, lfs, fe)
                self._parts.append(text)
                self._length += length
                self._tail = (self._tail + text)[-4:]
                return
        self._segments.append((self._length, length, fs, fe))
        self._parts.append(text)
        self._length += length
        self._tail = (self._tail + text)[-4:]

    def keep(self, i: int, j: int) -> None:
        """Copy ``source.text[i:j]``, each character keeping its place in the file."""
        text = self.source.text
        pos = i
        for length, fs, fe in self.source.pieces(i, j):
            self._append(text[pos : pos + length], fs, fe)
            pos += length

    def put(self, text: str, i: int, j: int) -> None:
        """``text`` stands for ``source.text[i:j]`` as a whole (an escape, an entity, code)."""
        fs, fe = self.source.file_span(i, j)
        self._append(text, fs, fe)

    def insert(self, text: str, i: int) -> None:
        """``text`` that is not in the file at all (a sentence break where a block ends)."""
        pos = self.source.file_pos(i)
        self._append(text, pos, pos)

    def ends_with(self, suffix: str) -> bool:
        return self._tail.endswith(suffix)

    def build(self, end: int | None = None) -> Mapped:
        return Mapped(
            "".join(self._parts),
            tuple(self._segments),
            self.source.end if end is None else end,
        )


def lines(text: str, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, int, int]]:
    """``(start, content_end, end)`` of each line of ``text[start:stop]``: the content runs to
    ``content_end``, its line break (\\n, \\r\\n or \\r) to ``end``."""
    stop = len(text) if stop is None else stop
    i = start
    while i < stop:
        m = LINE_BREAK.search(text, i, stop)  # (a \r at ``stop`` with its \n after: just \r)
        if m is None:
            yield i, stop, stop
            return
        yield i, m.start(), m.end()
        i = m.end()


def break_end(text: str, i: int) -> int:
    """Where the line break at ``i`` (\\r\\n, \\r or \\n) ends."""
    return i + 2 if text.startswith("\r\n", i) else i + 1
