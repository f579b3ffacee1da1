"""Fixing a CSV/TSV export big enough to stream (sources/stream.py), chunk by chunk.

Each chunk's drafts are linted and fixed (the passes, the read-back through the chunk's own
reader), the chunk appended to the temporary file and handed on to be reported, and the file
replaced after the last one: memory holds a chunk, and the result is that of the whole-file
fix (suppression comments apply within a chunk, as in ``check``).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..models import Finding
from ..offsets import LineIndex
from ..sources import ReadOptions, SourceError
from ..sources import stream as chunked
from .files import FileFix, fix_drafts
from .write import NotWrittenError, Sink, replacing

if TYPE_CHECKING:
    from ..api import Linter


def fix_streamed(
    linter: Linter,
    path: str,
    options: ReadOptions | None,
    report: Callable[[FileFix], None],
    *,
    in_place: bool,
    unsafe: bool,
    customer: str | None,
    max_passes: int,
) -> tuple[bool, bool]:
    """:func:`~.run.fix_run` for a file read in chunks: each chunk is linted, fixed (at most
    ``max_passes`` times, suppression comments applying within it, as ``check`` reads it),
    read back, appended to the temporary file and reported; the file is replaced at the end,
    if anything changed and it still holds the bytes that were read."""
    end = FileFix(path, end=True)
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            bom = fh.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    except OSError as exc:
        end.error = exc.strerror or str(exc)
        report(end)
        return False, False
    fails = fails_after = changed = False
    digest = hashlib.sha256()
    size = 0
    shift = 0  # lines the fixes so far added (a replacement may hold a line break)
    try:
        with contextlib.ExitStack() as stack:
            sink: Sink | None = None
            no_sink: str | None = None
            if in_place:
                try:
                    sink = stack.enter_context(replacing(path))
                except OSError as exc:  # (an error only if something had to change)
                    no_sink = exc.strerror or str(exc)
            head = codecs.BOM_UTF8 if bom else b""
            digest.update(head)
            size += len(head)
            if sink is not None:
                sink.write(head)
            try:
                chunks = chunked.load_chunks(path, options, chunk_bytes=chunked.CHUNK_BYTES)
                for n, chunk in enumerate(chunks):
                    assert chunk.reread is not None
                    piece = FileFix(path, chunk=n, first_line=chunk.lines.first_line)
                    piece.original = piece.text = chunk.text
                    piece.bom, piece.drafts = bom and n == 0, len(chunk.drafts)
                    fix_drafts(
                        piece,
                        linter,
                        chunk.drafts,
                        chunk.reread,
                        unsafe=unsafe,
                        customer=customer,
                        max_passes=max_passes,
                        lines=chunk.lines,
                    )
                    data = chunk.text.encode("utf-8")
                    digest.update(data)
                    size += len(data)
                    moved = piece.text != piece.original
                    if moved:
                        changed = True
                        data = piece.text.encode("utf-8")
                    if sink is not None:
                        sink.write(data)
                    del data
                    fails = fails or linter.fails(piece.first)
                    fails_after = fails_after or linter.fails(piece.remaining)
                    piece.lines = chunk.lines
                    if moved or shift:
                        piece.lines = LineIndex(piece.text, chunk.lines.first_line + shift)
                    if shift:  # (those left are where they are now; those before as read)
                        piece.remaining = [_moved(f, shift) for f in piece.remaining]
                    if moved:
                        shift += _breaks(piece.text) - _breaks(piece.original)
                    del chunk
                    report(piece)
                    del piece
            except SourceError as exc:
                end.error = str(exc)  # (the sink is not committed: nothing is written)
            if end.error is None and changed and in_place:
                if sink is None:
                    end.error = no_sink
                else:
                    sink.commit(st.st_mtime_ns, size, digest.digest())
    except NotWrittenError as exc:
        end.error = str(exc)
    except OSError as exc:
        end.error = exc.strerror or str(exc)
    report(end)
    return fails, fails_after


def _breaks(text: str) -> int:
    """The line breaks in ``text`` (as :class:`~.offsets.LineIndex` counts lines)."""
    return len(LineIndex(text).starts) - 1


def _moved(f: Finding, lines: int) -> Finding:
    """``f`` ``lines`` lines further down (a fix before its chunk added them)."""
    suggestions = [
        s.model_copy(update={"line": s.line + lines, "end_line": s.end_line + lines})
        for s in f.suggestions
    ]
    return f.model_copy(
        update={"line": f.line + lines, "end_line": f.end_line + lines, "suggestions": suggestions}
    )
