"""What every writer shares: one file across consecutive calls, spools, and the formatters.

A writer gets each file's report as soon as that file is done (:meth:`FileWriter.file`) and
writes what it can at once; :meth:`FileWriter.close` writes the rest. A huge file may come in
several consecutive calls with the same path (chunks): they are one file. What a format must
write before something it only knows at the end (JUnit's totals, SARIF's rule list) goes to a
:class:`Spool`, memory up to a limit, then a temporary file, so memory stays flat.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Mapping
from typing import IO, Any, TextIO

from ..models import FileReport, Report, Rule
from ..offsets import LineIndex

SPOOL_LIMIT = 1 << 20  # characters a spool keeps in memory before it moves to a file


class Spool:
    """Text written now and copied out later: in memory up to ``limit`` characters, then in a
    temporary file (UTF-8; lone surrogates survive the round trip)."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = SPOOL_LIMIT if limit is None else limit
        self._parts: list[str] = []
        self._size = 0
        self._file: IO[str] | None = None

    def __bool__(self) -> bool:
        return self._size > 0

    @property
    def on_disk(self) -> bool:
        return self._file is not None

    def write(self, text: str) -> None:
        self._size += len(text)
        if self._file is not None:
            self._file.write(text)
            return
        self._parts.append(text)
        if self._size > self.limit:
            self._file = tempfile.TemporaryFile(  # noqa: SIM115 (closed by close())
                "w+", encoding="utf-8", errors="surrogatepass", newline=""
            )
            self._file.write("".join(self._parts))
            self._parts = []

    def copy_to(self, out: TextIO) -> None:
        if self._file is None:
            out.write("".join(self._parts))
            return
        self._file.flush()
        self._file.seek(0)
        shutil.copyfileobj(self._file, out)
        self._file.seek(0, io.SEEK_END)

    def clear(self) -> None:
        """Empty it (and drop its file) for reuse."""
        self.close()
        self._parts = []
        self._size = 0

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class FileWriter:
    """A writer's skeleton: :meth:`file` groups consecutive calls with the same path into one
    file (``begin_file`` once, ``add`` per call, ``end_file`` once); :meth:`close` ends the last
    file, calls ``finish`` and flushes. ``self.files`` counts files."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
    ) -> None:
        self.out = out
        self.color = color
        self.rules = rules
        self.files = 0
        self.path: str | None = None  # the file being written
        self._closed = False

    def file(self, report: FileReport, lines: LineIndex | None = None) -> None:
        """One file's report (or one chunk of it), in output order, as soon as it is done."""
        if self._closed:
            raise ValueError("the writer is closed")
        if report.path != self.path:
            if self.path is not None:
                self.end_file()
            self.path = report.path
            self.files += 1
            self.begin_file(report.path)
        self.add(report, lines)

    def close(self) -> None:
        """Write whatever comes last and flush. Closing twice does nothing."""
        if self._closed:
            return
        self._closed = True
        if self.path is not None:
            self.end_file()
            self.path = None
        self.finish()
        self.out.flush()

    def begin_file(self, path: str) -> None:
        """A new file starts (its first call follows)."""

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        """One call's report: a whole file or a chunk of the current one."""

    def end_file(self) -> None:
        """The current file is complete."""

    def finish(self) -> None:
        """After the last file."""


def render(
    writer: type[FileWriter],
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
    with_lines: bool = False,
    **options: Any,
) -> str:
    """A whole report through ``writer``, as a string (the ``format_*`` functions).
    ``with_lines``: give each file a :class:`LineIndex` of its text from ``sources``."""
    out = io.StringIO()
    w = writer(out, color=color, rules=rules, **options)
    for file in report.files:
        text = (sources or {}).get(file.path) if with_lines else None
        w.file(file, LineIndex(text) if text is not None else None)
    w.close()
    return out.getvalue()
