"""``check --diff`` of a file read in chunks: the unified diff made as the chunks come."""

from __future__ import annotations

import difflib
from pathlib import Path

CONTEXT = 3  # lines of context around a diff's changes (difflib's and git's default)


class DiffStream:
    """The unified diff (as :meth:`FileFix.diff` writes it) of a file given chunk by chunk: the
    chunks' texts before and after fixing, in order, each starting at a line start. Each
    changed chunk is diffed by :mod:`difflib`; its changes are grouped into hunks with
    :data:`CONTEXT` lines around them across the chunks (as ``difflib.unified_diff`` groups
    them), so only the open hunk and a few lines of context are held."""

    def __init__(self, path: str) -> None:
        self.name = Path(path).as_posix()
        self.a = self.b = 0  # lines of each side passed
        self.hunk: list[str] | None = None  # the open hunk's lines
        self.start = (0, 0)  # where it starts (0-based, each side)
        self.size = [0, 0]  # and its lines on each side
        self.gap_head: list[str] = []  # the unchanged lines since the last change: the first
        self.gap_tail: list[str] = []  # 2 * CONTEXT, the last CONTEXT, and how many
        self.gap = 0
        self.removed: list[str] = []  # the change being read (changes with no line between
        self.added: list[str] = []  # them are one, across chunks too, as difflib has them)
        self.started = False

    def feed(self, before: str, after: str) -> str:
        """The diff text that is complete once this chunk is added."""
        a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
        out: list[str] = []
        if before == after:
            self._same(a)
            return ""
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
            if tag == "equal":
                self._same(a[i1:i2])
            else:
                self._change(a[i1:i2], b[j1:j2], out)
        return "".join(out)

    def close(self) -> str:
        out: list[str] = []
        self._flush()
        self._close_hunk(out)
        return "".join(out)

    def _same(self, lines: list[str]) -> None:
        if not lines:
            return
        self._flush()
        keep = 2 * CONTEXT - len(self.gap_head)
        if keep > 0:
            self.gap_head += lines[:keep]
        self.gap_tail = (self.gap_tail + lines[-CONTEXT:])[-CONTEXT:]
        self.gap += len(lines)
        self.a += len(lines)
        self.b += len(lines)

    def _change(self, removed: list[str], added: list[str], out: list[str]) -> None:
        if self.hunk is not None and self.gap > 2 * CONTEXT:
            self._close_hunk(out)
        if self.hunk is None:
            lead = self.gap_tail[-CONTEXT:] if self.gap else []
            self.hunk = [" " + line for line in lead]
            self.start = (self.a - len(lead), self.b - len(lead))
            self.size = [len(lead), len(lead)]
        elif self.gap:  # a short run of unchanged lines between two changes
            self.hunk += [" " + line for line in self.gap_head]
            self.size[0] += self.gap
            self.size[1] += self.gap
        self.removed += removed
        self.added += added
        self.a += len(removed)
        self.b += len(added)
        self.gap_head, self.gap_tail, self.gap = [], [], 0

    def _flush(self) -> None:
        """The change read goes into the open hunk."""
        if self.hunk is None or not (self.removed or self.added):
            return
        self.hunk += ["-" + line for line in self.removed]
        self.hunk += ["+" + line for line in self.added]
        self.size[0] += len(self.removed)
        self.size[1] += len(self.added)
        self.removed, self.added = [], []

    def _close_hunk(self, out: list[str]) -> None:
        if self.hunk is None:
            return
        after = self.gap_head[:CONTEXT]
        self.hunk += [" " + line for line in after]
        self.size[0] += len(after)
        self.size[1] += len(after)
        if not self.started:
            self.started = True
            out.append(f"--- a/{self.name}\n+++ b/{self.name}\n")
        (a, b), (m, n) = self.start, self.size
        out.append(f"@@ -{_range(a, m)} +{_range(b, n)} @@\n")
        for line in self.hunk:
            out.append(line)
            if not line.endswith(("\n", "\r")):
                out.append("\n\\ No newline at end of file\n")
        self.hunk = None


def _range(start: int, length: int) -> str:
    """A hunk's range as difflib writes it (1-based; an empty one names the line before)."""
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"
