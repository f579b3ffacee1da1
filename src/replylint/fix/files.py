"""Fixing one file (or one chunk of a big CSV/TSV) in memory: lint, plan, apply, read back.

A file is linted, its findings finished (:mod:`replylint.run.finish`), its edits planned
(:mod:`.plan`), applied and read back (:mod:`.apply`), at most :data:`MAX_PASSES` times, like
ruff's fix loop: only the drafts an edit changed are linted again. Nothing is written here
(:mod:`.write` does that).
"""

from __future__ import annotations

import codecs
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.place import place
from ..models import Finding, Profile
from ..offsets import LineIndex
from ..placeholders import DEFAULT_PATTERN, compile_patterns
from ..rewrite.compose import Change, culprit, new_warnings
from ..run.finish import finish_file, lint_by_index
from ..sources import STDIN, ReadOptions, SourceError, read_file, reader_for
from ..sources.base import Draft, decode, encoding_of
from .apply import Read, apply_checked
from .plan import PlannedEdit, Skipped, plan_edits

if TYPE_CHECKING:
    from ..api import Linter

MAX_PASSES = 3


@dataclass
class FileFix:
    """One file: what was read, the fixed text, and what is left."""

    path: str
    original: str = ""  # the decoded text as read
    text: str = ""  # the decoded text with the fixes applied
    raw: bytes = b""
    mtime_ns: int = 0
    bom: bool = False
    fixed: int = 0
    first: list[Finding] = field(default_factory=list)  # the findings before fixing
    remaining: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    hidden: int = 0  # findings with a fix that needs --unsafe
    drafts: int = 0
    error: str | None = None
    # a file read in chunks (sources/stream.py) comes as one FileFix per chunk (``chunk`` its
    # index, ``first_line`` the file line where ``original`` starts; ``lines`` index ``text``
    # from the line where it now starts), then one with ``end`` set: ``error`` None when the
    # file was written (or nothing had to change), else why not (nothing was written)
    chunk: int | None = None
    first_line: int = 1
    lines: LineIndex | None = None
    end: bool = False

    @property
    def changed(self) -> bool:
        return self.error is None and self.text != self.original

    def data(self) -> bytes:
        """The bytes to write: the fixed text in the file's encoding, with its BOM if it had one."""
        return encoding_of(self.raw).encode(self.text)

    def diff(self) -> str:
        """A unified diff (``a/`` and ``b/`` paths) of the decoded text (with its BOM, if any),
        as ``git apply`` takes it."""
        if not self.changed:
            return ""
        name = Path(self.path).as_posix()
        bom = "\ufeff" if self.bom else ""  # in the diff too, so that it applies to the bytes
        before = (bom + self.original).splitlines(keepends=True)
        after = (bom + self.text).splitlines(keepends=True)
        out: list[str] = []
        for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"):
            out.append(line)
            if not line.endswith(("\n", "\r")):
                out.append("\n\\ No newline at end of file\n")
        return "".join(out)


def fix_file(
    linter: Linter,
    path: str,
    options: ReadOptions | None = None,
    *,
    unsafe: bool = False,
    customer: str | None = None,
    max_passes: int = MAX_PASSES,
) -> FileFix:
    """Read, lint and fix one file in memory (nothing is written: see :func:`.write.write`)."""
    out = FileFix(path)
    if path == STDIN:
        out.error = "standard input cannot be fixed in place"
        return out
    try:
        st = os.stat(path)
        raw = read_file(path)  # (never waits on a FIFO, never reads a device)
        text = decode(raw)
    except OSError as exc:
        out.error = exc.strerror or str(exc)
        return out
    except SourceError as exc:
        out.error = str(exc)
        return out
    out.raw, out.mtime_ns, out.bom = raw, st.st_mtime_ns, raw.startswith(codecs.BOM_UTF8)
    out.original = out.text = text
    reader = reader_for(path)

    def read(t: str) -> list[Draft]:
        return reader(path, t, options)

    try:
        drafts = read(text)
    except SourceError as exc:
        out.error = str(exc)
        return out
    out.drafts = len(drafts)
    fix_drafts(out, linter, drafts, read, unsafe=unsafe, customer=customer, max_passes=max_passes)
    return out


def _culprits(
    applied: list[PlannedEdit],
    before: dict[int, list[Finding]],
    after: dict[int, list[Finding]],
    changed: set[int],
) -> list[tuple[PlannedEdit, str]]:
    """For each changed draft whose findings ``after`` the edits carry a warning they did not
    ``before``, the edit that brought it (:func:`~replylint.rewrite.compose.culprit`) and the
    rule of that warning."""
    out: list[tuple[PlannedEdit, str]] = []
    for i in sorted(changed):
        extra = new_warnings(before.get(i, []), after.get(i, []))
        if not extra:
            continue
        mine = [e for e in applied if e.draft == i]
        changes = [
            Change(e.draft_start, e.draft_end, e.replacement, e.finding, e.finding.suggestions[0])
            for e in mine
        ]
        out.append((mine[culprit(changes, extra[0])], extra[0].rule))
    return out


def fix_drafts(
    out: FileFix,
    linter: Linter,
    drafts: list[Draft],
    read: Read,
    *,
    unsafe: bool,
    customer: str | None,
    max_passes: int,
    lines: LineIndex | None = None,
) -> list[Draft]:
    """Lint and fix the drafts of ``out.text`` (read from it by ``read``), at most
    ``max_passes`` times: ``out`` gets the fixed text, the findings before and after, the
    skipped suggestions and the counts. The drafts of the fixed text are returned."""
    path, text = out.path, out.text
    extra = linter.config.placeholders
    pattern = compile_patterns(extra) if extra else DEFAULT_PATTERN
    profiles: dict[int, Profile] = {}  # (a thread's parts are judged together: threads.py)
    found = lint_by_index(linter, path, drafts, customer, profiles=profiles)
    findings = finish_file(linter, path, text, drafts, found, lines, profiles)
    out.first = [f for _, f in findings]
    skipped: list[Skipped] = []
    banned: set[tuple[int, str, str]] = set()  # (draft, rule, replacement) that add a warning
    dropped: list[Skipped] = []

    def budget_of(i: int) -> int | None:
        return linter.budget(linter.channel_of(drafts[i]))

    for n in range(max_passes + 1):
        fixable = [
            (i, f)
            for i, f in findings
            if i >= 0 and not any((i, f.rule, s.replacement) in banned for s in f.suggestions)
        ]
        edits, skipped, out.hidden = plan_edits(
            path, text, drafts, fixable, unsafe=unsafe, placeholders=pattern, budget_of=budget_of
        )
        if n == max_passes:
            skipped += [
                Skipped(path, e.finding.line, e.finding.column, e.finding.rule, "fix loop limit")
                for e in edits
            ]
            break
        new, applied, rejected = apply_checked(path, text, drafts, edits, read)
        skipped += rejected
        if not applied or new == text:
            break
        new_drafts = read(new)
        # only the drafts an edit changed are linted again; the others keep their findings,
        # moved to where the edits before them put them (linting is nearly all of a fix)
        changed = {e.draft for e in applied}
        trial = dict(profiles)  # kept only if the pass is (a thread's parts: threads.py)
        relinted = lint_by_index(linter, path, new_drafts, customer, changed, trial)
        # a draft whose fixed text carries a new warning loses the edit that brought it, and
        # the pass is made again without it (the composer's rule: rewrite/compose.py)
        bad = _culprits(applied, found, relinted, changed)
        if bad:
            for e, rule in bad:
                banned.add((e.draft, e.finding.rule, e.replacement))
                s = e.finding
                dropped.append(Skipped(path, s.line, s.column, s.rule, f"it would add {rule}"))
            continue
        out.fixed += len(applied)
        text, drafts, profiles = new, new_drafts, trial
        found = {
            i: relinted[i] if i in changed else place(found.get(i, []), drafts[i])
            for i in range(len(drafts))
        }
        findings = finish_file(linter, path, text, drafts, found, lines, profiles)
    skipped += dropped
    out.text = text
    out.remaining = [f for _, f in findings]
    out.skipped = skipped
    return drafts
