"""Applying suggestions to files: ``replylint fix`` and ``replylint check --diff``.

For each file: read its bytes (remembering the BOM, the line ending, the mode and the mtime),
lint its drafts, and turn the chosen suggestion of each finding into an edit of the decoded
file text: the draft span is mapped through the draft's offset map to the exact file span,
and the replacement is written for its context by the draft's encoder (JSON string escapes,
YAML block indentation, CSV quote doubling, HTML entities …). An edit that would cut through
an escape or remove markup between the words, or that its context cannot hold, is skipped and
reported. The edited text is read back with the same reader: every draft must come back as the
expected text (the edited ones with their edits applied, the others unchanged), otherwise the
edits are retried one by one and the offending ones skipped. So a fix never changes a byte
outside the reply text, nor corrupts the file.

Overlapping edits: the first wins, the rest wait for the next pass; a file is linted and fixed
at most :data:`MAX_PASSES` times, like ruff's fix loop. Writes are atomic (a temporary file in
the same folder, then ``os.replace``), keep the file's mode, and never overwrite a file that
changed on disk since it was read.

A CSV/TSV export big enough to stream (sources/stream.py) is fixed the way ``check`` reads it,
chunk by chunk (:func:`fix_run`): each chunk's drafts are linted and fixed (the passes, the
read-back through the chunk's own reader), the chunk appended to the temporary file and handed
on to be reported, and the file replaced after the last one: memory holds a chunk, and the
result is that of the whole-file fix (suppression comments apply within a chunk, as in
``check``). :class:`DiffStream` makes ``check --diff``'s diff from the chunks as they come.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import dataclasses
import difflib
import hashlib
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .models import Applicability, FileReport, Finding, Report, Suggestion
from .offsets import LineIndex
from .placeholders import DEFAULT_PATTERN, compile_patterns, mask
from .sources import STDIN, ReadOptions, SourceError, comment_styles, read_file, reader_for
from .sources.base import Draft, decode, encoding_of

if TYPE_CHECKING:
    from .api import Linter
    from .config import Config
    from .project import Plan

MAX_PASSES = 3


class NotWrittenError(Exception):
    """A fixed file was not written (the message says why, for a one-line error)."""


class FileChangedError(NotWrittenError):
    """The file changed on disk after it was read: it is not overwritten."""


class ReadOnlyError(NotWrittenError):
    """The file is read-only for its owner: it is not rewritten."""


@dataclass(frozen=True)
class Skipped:
    """A suggestion that was not applied, and why."""

    path: str
    line: int
    column: int
    rule: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.rule}: not fixed: {self.reason}"


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


@dataclass
class FixOutcome:
    files: list[FileFix]
    fails: bool  # findings before fixing reach fail-on (what `check` would exit with)
    fails_after: bool  # findings left reach fail-on

    @property
    def fixed(self) -> int:
        return sum(f.fixed for f in self.files)

    @property
    def fixed_files(self) -> int:
        return sum(1 for f in self.files if f.changed and f.fixed)

    @property
    def left(self) -> int:
        return sum(len(f.remaining) for f in self.files)

    def report(self, *, before: bool = False) -> Report:
        return Report.build(
            [
                FileReport(
                    path=f.path,
                    error=f.error,
                    findings=f.first if before else f.remaining,
                    drafts=f.drafts,
                )
                for f in self.files
            ]
        )

    def summary(self) -> str:
        m = self.fixed_files
        n = self.fixed
        return (
            f"Fixed {n} finding{'s' if n != 1 else ''} in {m} file{'s' if m != 1 else ''} "
            f"({self.left} left)"
        )


# --------------------------------------------------------------------------------------------
# suggestions -> file edits
# --------------------------------------------------------------------------------------------


def eligible(s: Suggestion, *, unsafe: bool) -> bool:
    """Whether ``s`` may be applied: never display-only ones nor any with a ``<slot>``."""
    if s.applicability is Applicability.DISPLAY_ONLY or s.has_slots:
        return False
    return unsafe or s.applicability is Applicability.SAFE


def choose(finding: Finding, *, unsafe: bool) -> Suggestion | None:
    """The first suggestion of ``finding`` that may be applied."""
    return next((s for s in finding.suggestions if eligible(s, unsafe=unsafe)), None)


def newline_of(text: str) -> str:
    """The file's line ending: the first one in it (``\\n`` when there is none)."""
    for i, c in enumerate(text):
        if c == "\n":
            return "\n"
        if c == "\r":
            return "\r\n" if text.startswith("\n", i + 1) else "\r"
    return "\n"


def file_span(draft: Draft, start: int, end: int) -> tuple[int, int] | str:
    """The decoded-file span the draft span [start, end) stands for, or why it has none that
    can be replaced: a boundary inside an escape, an entity or a code span, or markup between
    the words (which replacing the span would remove)."""
    segments = draft.offsets.segments
    starts = [s[0] for s in segments]
    for pos in {start, end}:
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0:
            s0, d0, sl, dl = segments[k]
            if s0 < pos < s0 + sl and sl != dl and dl > 0:
                return "it cuts through an escape, an entity or a code span"
    if end > start:
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        prev_end: int | None = None
        text = draft.lines.text
        for s0, d0, sl, dl in segments[first:]:
            if s0 >= end:
                break
            if s0 + sl <= start:
                continue
            if prev_end is not None and (d0 < prev_end or text[prev_end:d0].strip()):
                return "it spans markup or quoted text that the fix would remove"
            prev_end = d0 + dl
    return draft.offsets.span_to_original(start, end)


@dataclass(frozen=True)
class Edit:
    start: int  # file span (decoded text)
    end: int
    text: str  # encoded for the file
    draft: int  # index of the draft
    draft_start: int
    draft_end: int
    replacement: str  # as the draft reads it
    finding: Finding


def placeholder_spans(
    text: str, pattern: re.Pattern[str] = DEFAULT_PATTERN
) -> list[tuple[int, int]]:
    """The spans of ``text`` (a draft) that are placeholders or template tags, as the masker
    finds them (with the same ``pattern``): text no fix may change."""
    masked = mask(text, pattern)
    spans = [masked.offsets.span_to_original(s, e) for s, e in masked.placeholders]
    # a template tag ({% if … %}) is masked as nothing: a segment of no parsed text
    spans += [(d, d + dl) for s, d, sl, dl in masked.offsets.segments if sl == 0 and dl > 0]
    return sorted(spans)


def touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the edit of [start, end) (an insertion if start == end) would change or split
    one of ``spans``: it overlaps one, or inserts strictly inside one."""
    if start == end:
        return any(s < start < e for s, e in spans)
    return any(s < end and start < e for s, e in spans)


def _keeps_placeholders(
    text: str, spans: list[tuple[int, int]], s: Suggestion, pattern: re.Pattern[str]
) -> bool:
    """Whether every placeholder of ``text`` is still found, as written, once ``s`` is applied
    (the replacement cannot join one with its neighbour into another)."""
    new = text[: s.start] + s.replacement + text[s.end :]
    after = Counter(new[a:b] for a, b in placeholder_spans(new, pattern))
    return not Counter(text[a:b] for a, b in spans) - after


def plan(
    path: str,
    text: str,
    drafts: list[Draft],
    findings: list[tuple[int, Finding]],
    *,
    unsafe: bool,
    placeholders: re.Pattern[str] = DEFAULT_PATTERN,
) -> tuple[list[Edit], list[Skipped], int]:
    """The edits of ``findings`` (each with the index of its draft) in file order, with
    overlapping ones left out; the suggestions skipped and why; how many need ``--unsafe``.
    An edit that would change a placeholder of its draft (found with ``placeholders``, the
    linter's pattern) is never planned, whatever built it."""
    newline = newline_of(text)
    candidates: list[Edit] = []
    skipped: list[Skipped] = []
    hidden = 0
    protected: dict[int, list[tuple[int, int]]] = {}

    def skip(f: Finding, s: Suggestion, reason: str) -> None:
        skipped.append(Skipped(path, s.line, s.column, f.rule, reason))

    for index, f in findings:
        s = choose(f, unsafe=unsafe)
        if s is None:
            if not unsafe and choose(f, unsafe=True) is not None:
                hidden += 1
            continue
        draft = drafts[index]
        if index not in protected:
            protected[index] = placeholder_spans(draft.text, placeholders)
        if touches(protected[index], s.start, s.end) or not _keeps_placeholders(
            draft.text, protected[index], s, placeholders
        ):
            skip(f, s, "it would change a placeholder")
            continue
        if draft.encode is None:
            skip(f, s, "this kind of file cannot be fixed in place")
            continue
        span = file_span(draft, s.start, s.end)
        if isinstance(span, str):
            skip(f, s, span)
            continue
        encoded = draft.encode(s.replacement, newline)
        if encoded is None:
            skip(f, s, "the replacement cannot be written safely in this field")
            continue
        candidates.append(Edit(*span, encoded, index, s.start, s.end, s.replacement, f))
    candidates.sort(key=lambda e: (e.start, e.end))
    edits: list[Edit] = []
    cursor = 0
    for e in candidates:
        if e.start < cursor:
            s = choose(e.finding, unsafe=unsafe)
            assert s is not None
            skip(e.finding, s, "it overlaps another fix")
            continue
        edits.append(e)
        cursor = e.end
    return edits, skipped, hidden


def apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` (in file order, not overlapping) applied."""
    out: list[str] = []
    cursor = 0
    for e in edits:
        out.append(text[cursor : e.start])
        out.append(e.text)
        cursor = e.end
    out.append(text[cursor:])
    return "".join(out)


def _expected(drafts: list[Draft], edits: list[Edit]) -> list[str]:
    """The draft texts once ``edits`` are applied."""
    by_draft: dict[int, list[Edit]] = {}
    for e in edits:
        by_draft.setdefault(e.draft, []).append(e)
    out: list[str] = []
    for i, d in enumerate(drafts):
        text = d.text
        parts: list[str] = []
        cursor = 0
        for e in by_draft.get(i, []):
            parts.append(text[cursor : e.draft_start])
            parts.append(e.replacement)
            cursor = e.draft_end
        parts.append(text[cursor:])
        out.append("".join(parts))
    return out


Read = Callable[[str], list[Draft]]


def _reads_back(read: Read, text: str, expected: list[str]) -> bool:
    try:
        drafts = read(text)
    except (SourceError, ValueError, IndexError, KeyError):
        return False
    # line breaks are compared as such: a "\n" in a replacement is written as the file's
    return [_one_newline(d.text) for d in drafts] == [_one_newline(t) for t in expected]


def _one_newline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def apply_checked(
    path: str, text: str, drafts: list[Draft], edits: list[Edit], read: Read
) -> tuple[str, list[Edit], list[Skipped]]:
    """Apply ``edits``, keeping only those whose result reads back as expected."""
    if not edits:
        return text, [], []
    new = apply(text, edits)
    if _reads_back(read, new, _expected(drafts, edits)):
        return new, edits, []
    kept: list[Edit] = []
    skipped: list[Skipped] = []
    for e in edits:
        trial = [*kept, e]
        if _reads_back(read, apply(text, trial), _expected(drafts, trial)):
            kept.append(e)
        else:
            s = choose(e.finding, unsafe=True)
            line, column = (s.line, s.column) if s is not None else (e.finding.line, 0)
            skipped.append(
                Skipped(
                    path,
                    line,
                    column,
                    e.finding.rule,
                    "the file would not read back as the fixed reply (the field cannot hold it)",
                )
            )
    return apply(text, kept), kept, skipped


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------


def lint_drafts(
    linter: Linter,
    path: str,
    drafts: list[Draft],
    customer: str | None = None,
    only: Iterable[int] | None = None,
) -> dict[int, list[Finding]]:
    """The findings of the drafts (all, or those at the indices ``only``) by index, before
    suppression comments."""
    indices = list(range(len(drafts))) if only is None else sorted(set(only))
    shown = [
        dataclasses.replace(
            drafts[i], path=path, customer=customer if customer is not None else drafts[i].customer
        )
        for i in indices
    ]
    position = {id(d): i for d, i in zip(shown, indices, strict=True)}
    out: dict[int, list[Finding]] = {i: [] for i in indices}
    for n, (draft, findings) in enumerate(linter.lint_drafts(shown)):
        out[position.get(id(draft), indices[n])] = list(findings)
    return out


_POSITION = ("line", "column", "end_line", "end_column")


def relocated(f: Finding, draft: Draft) -> Finding:
    """``f`` (of a draft whose text did not change) at its place in the file ``draft`` was
    read from again (an edit before it may have moved it)."""
    position = dict(zip(_POSITION, draft.locate(f.start, f.end), strict=True))
    if all(getattr(f, k) == v for k, v in position.items()) and all(
        (s.line, s.column, s.end_line, s.end_column) == draft.locate(s.start, s.end)
        for s in f.suggestions
    ):
        return f
    suggestions = [
        s.model_copy(update=dict(zip(_POSITION, draft.locate(s.start, s.end), strict=True)))
        for s in f.suggestions
    ]
    return f.model_copy(update={**position, "suggestions": suggestions})


def suppressed(
    linter: Linter,
    path: str,
    text: str,
    drafts: list[Draft],
    raw: dict[int, list[Finding]],
    lines: LineIndex | None = None,
) -> list[tuple[int, Finding]]:
    """The findings of ``raw`` with suppression comments applied (as the runner does), each
    with the index of its draft (-1 for findings about the file's comments). ``lines`` index
    ``text`` (a chunk's start at its file line) when it has no draft to take them from."""
    from .suppress import apply_suppressions

    owner: dict[int, int] = {}
    found: list[Finding] = []
    for index in sorted(raw):
        for f in raw[index]:
            owner[id(f)] = index
            found.append(f)
    index_ = drafts[0].lines if drafts else lines or LineIndex(text)
    kept = linter.adjust(
        apply_suppressions(
            found,
            text,
            comment_styles(path),
            lines=index_,
            known=set(linter.rulebook.rules),
            selected=linter.rule_ids,
        ),
        path,
    )
    return [(owner.get(id(f), -1), f) for f in kept]


def lint_text(
    linter: Linter,
    path: str,
    text: str,
    drafts: list[Draft],
    customer: str | None = None,
) -> list[tuple[int, Finding]]:
    """The findings of a file's drafts (suppression comments applied, as the runner does),
    each with the index of its draft (-1 for findings about the file's comments)."""
    return suppressed(linter, path, text, drafts, lint_drafts(linter, path, drafts, customer))


def fix_file(
    linter: Linter,
    path: str,
    options: ReadOptions | None = None,
    *,
    unsafe: bool = False,
    customer: str | None = None,
    max_passes: int = MAX_PASSES,
) -> FileFix:
    """Read, lint and fix one file in memory (nothing is written: see :func:`write`)."""
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
    _fix_drafts(out, linter, drafts, read, unsafe=unsafe, customer=customer, max_passes=max_passes)
    return out


def _fix_drafts(
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
    found = lint_drafts(linter, path, drafts, customer)
    findings = suppressed(linter, path, text, drafts, found, lines)
    out.first = [f for _, f in findings]
    skipped: list[Skipped] = []
    for n in range(max_passes + 1):
        fixable = [(i, f) for i, f in findings if i >= 0]
        edits, skipped, out.hidden = plan(
            path, text, drafts, fixable, unsafe=unsafe, placeholders=pattern
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
        out.fixed += len(applied)
        text = new
        drafts = read(text)
        # only the drafts an edit changed are linted again; the others keep their findings,
        # moved to where the edits before them put them (linting is nearly all of a fix)
        changed = {e.draft for e in applied}
        relinted = lint_drafts(linter, path, drafts, customer, changed)
        found = {
            i: relinted[i] if i in changed else [relocated(f, drafts[i]) for f in found.get(i, [])]
            for i in range(len(drafts))
        }
        findings = suppressed(linter, path, text, drafts, found, lines)
    out.text = text
    out.remaining = [f for _, f in findings]
    out.skipped = skipped
    return drafts


def write(fixed: FileFix) -> None:
    """Write ``fixed`` over its file (a symlink's target is written), keeping its owner, group
    and mode, and its hard links. Raises :class:`ReadOnlyError` when the file's owner has no
    write permission (whoever runs this: root may write anything, the user said otherwise),
    :class:`FileChangedError` when the file changed since it was read.

    The new content is written to a temporary file in the same folder first (fsynced, given
    the file's owner, group and mode). Then, for a file with one link whose owner and group
    the temporary file could take, it replaces the file atomically (``os.replace``). A file
    with other hard links (a rename would leave them pointing at the old text) or one whose
    owner this process cannot give away is written through its own inode from that complete
    copy, and the copy removed. SIGTERM, SIGHUP and SIGINT remove the temporary file and then
    take their course; during the replace or the copy through they wait for it to finish, so
    the file is never left half-written by them."""
    target = Path(os.path.realpath(fixed.path))
    if not os.stat(target).st_mode & stat.S_IWUSR:
        raise ReadOnlyError("read-only (its owner has no write permission); not rewritten")
    with _replacing(fixed.path) as sink:
        sink.write(fixed.data())
        sink.commit(fixed.mtime_ns, len(fixed.raw), hashlib.sha256(fixed.raw).digest())


class _Sink:
    """The temporary file :func:`_replacing` gives: written in order, then :meth:`commit`-ted
    (or not: then it is removed and the file left as it is)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.read_as: tuple[int, int, bytes] | None = None  # mtime, size, sha256 as read

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self, mtime_ns: int, size: int, digest: bytes) -> None:
        """Replace the file with what was written, if it still has the ``size`` bytes with the
        sha256 ``digest`` and the mtime it had when it was read."""
        self.read_as = (mtime_ns, size, digest)


@contextlib.contextmanager
def _replacing(path: str) -> Iterator[_Sink]:
    """A temporary file next to ``path``'s target (a symlink's), which replaces the file on
    leaving if :meth:`_Sink.commit` was called (see :func:`write`); removed otherwise, on an
    exception, and on SIGTERM, SIGHUP or SIGINT, which the whole block is guarded against (so
    a big file can be written as it is fixed)."""
    target = Path(os.path.realpath(path))
    with _SignalGuard() as guard:
        tmp: str | None = None
        try:
            with guard.deferred():  # (a signal between its creation and `tmp` would lose it)
                fd, tmp = tempfile.mkstemp(
                    dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
                )
            with os.fdopen(fd, "wb") as fh:
                guard.check()
                sink = _Sink(fh)
                yield sink
                if sink.read_as is None:
                    return  # (the finally removes it)
                st = os.stat(target)
                if not st.st_mode & stat.S_IWUSR:
                    raise ReadOnlyError(
                        "read-only (its owner has no write permission); not rewritten"
                    )
                fh.flush()
                same_owner = _give_owner(fh.fileno(), st)
                os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))  # after chown (it clears set-id)
                os.fsync(fh.fileno())
            if not _unchanged(target, *sink.read_as):
                raise FileChangedError("changed on disk since it was read; not overwritten")
            with guard.deferred():
                if st.st_nlink > 1 or not same_owner:
                    _write_through(tmp, target)
                    os.unlink(tmp)
                else:
                    os.replace(tmp, target)
                tmp = None
        finally:
            if tmp is not None:
                guard.defer = True  # (a second signal waits for the removal)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


def _give_owner(fd: int, st: os.stat_result) -> bool:
    """Give the open file ``fd`` the owner and group of ``st``; whether it could."""
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except PermissionError:
        return False
    return True


def _unchanged(target: Path, mtime_ns: int, size: int, digest: bytes) -> bool:
    """Whether ``target`` still holds the bytes the fix was made from: their ``size`` and
    sha256 ``digest``, and the mtime they were read with."""
    now = os.stat(target)
    if now.st_mtime_ns != mtime_ns or now.st_size != size:
        return False
    with open(target, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").digest() == digest


def _write_through(source: str, target: Path) -> None:
    """Copy the file ``source`` over ``target``'s own content (its inode, hence its links)."""
    with open(source, "rb") as src, open(target, "r+b") as dst:
        shutil.copyfileobj(src, dst, COPY_BLOCK)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())


COPY_BLOCK = 1 << 20
_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class _Interrupted(BaseException):
    """A signal arrived while a temporary file existed (raised by the guard's handler)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _SignalGuard:
    """While a temporary file may exist: SIGTERM, SIGHUP and SIGINT raise :class:`_Interrupted`
    (so ``finally`` removes the file), or wait while :meth:`deferred` runs; on leaving, the
    handlers are restored and a signal that came is sent again, to take its course (the
    process ends as it would have, with the status of that signal). Handlers can only be set
    in the main thread: elsewhere the guard does nothing."""

    def __init__(self) -> None:
        self.active = threading.current_thread() is threading.main_thread()
        self.defer = False
        self.pending: int | None = None
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: object) -> None:
        if self.defer:
            self.pending = signum
            return
        raise _Interrupted(signum)

    def __enter__(self) -> _SignalGuard:
        if self.active:
            for sig in _SIGNALS:
                self.previous[sig] = signal.signal(sig, self._handle)
        return self

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        self.defer = True
        try:
            yield
        finally:
            self.defer = False

    def check(self) -> None:
        """Raise :class:`_Interrupted` for a signal that waited."""
        if self.pending is not None:
            raise _Interrupted(self.pending)

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if not self.active:
            return
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        signum = exc.signum if isinstance(exc, _Interrupted) else self.pending
        if signum is not None:
            os.kill(os.getpid(), signum)  # its own handler now: the default ends the process
            if isinstance(exc, _Interrupted):  # still alive: ignored, or handled and returned
                raise NotWrittenError("interrupted; not overwritten") from None


def fix_plan(
    the_plan: Plan,
    *,
    unsafe: bool = False,
    options: ReadOptions | None = None,
    customer: str | None = None,
    linter_for: Callable[[Config], Linter] | None = None,
    max_passes: int = MAX_PASSES,
) -> FixOutcome:
    """Fix (in memory) every file of ``the_plan``, each with its configuration's Linter."""
    from .api import Linter
    from .project import _key, _linter

    make = linter_for or Linter
    linters: dict[str, Linter] = {}
    files: list[FileFix] = [FileFix(e.path, error=e.error) for e in the_plan.errors]
    fails = fails_after = False
    for group in the_plan.groups:
        key = _key(group.config)
        if key not in linters:
            linters[key] = _linter(make, group.config, the_plan.cli_model)
        linter = linters[key]
        read = options or ReadOptions()
        if read.text_field is None and group.config.text_field is not None:
            read = dataclasses.replace(read, text_field=group.config.text_field)
        for path in group.paths:
            done = fix_file(
                linter, path, read, unsafe=unsafe, customer=customer, max_passes=max_passes
            )
            fails = fails or linter.fails(done.first)
            fails_after = fails_after or linter.fails(done.remaining)
            files.append(done)
    order = the_plan.order
    files.sort(key=lambda f: order.get(f.path, len(order)))
    return FixOutcome(files, fails, fails_after)


# --------------------------------------------------------------------------------------------
# a run: every file in order, big CSV/TSV exports chunk by chunk
# --------------------------------------------------------------------------------------------


def fix_run(
    the_plan: Plan,
    report: Callable[[FileFix], None],
    *,
    in_place: bool,
    unsafe: bool = False,
    options: ReadOptions | None = None,
    customer: str | None = None,
    linter_for: Callable[[Config], Linter] | None = None,
    max_passes: int = MAX_PASSES,
) -> tuple[bool, bool]:
    """Fix every file of ``the_plan`` in its order, and hand each to ``report`` as soon as it
    is done (``in_place``: written first; one that could not be written comes with the error,
    its text, fixed count and findings as read). A CSV/TSV file big enough to stream
    (:func:`~.sources.stream.streams`) is read, fixed, reported and written to the temporary
    file chunk by chunk (see :attr:`FileFix.chunk`), and replaces the file at its end: memory
    holds a chunk, never the file. Returns whether the findings before fixing reach a file's
    fail-on, and whether those left do."""
    from .api import Linter
    from .project import _key, _linter
    from .sources.stream import streams

    make = linter_for or Linter
    linters: dict[str, Linter] = {}
    order = the_plan.order
    jobs: list[tuple[int, str, Linter | None, ReadOptions | None, str | None]] = [
        (order.get(e.path, len(order)), e.path, None, None, e.error) for e in the_plan.errors
    ]
    for group in the_plan.groups:
        key = _key(group.config)
        if key not in linters:
            linters[key] = _linter(make, group.config, the_plan.cli_model)
        read = options or ReadOptions()
        if read.text_field is None and group.config.text_field is not None:
            read = dataclasses.replace(read, text_field=group.config.text_field)
        jobs += [(order.get(p, len(order)), p, linters[key], read, None) for p in group.paths]
    jobs.sort(key=lambda job: job[0])
    fails = fails_after = False
    for _, path, linter, how, error in jobs:
        if linter is None:
            report(FileFix(path, error=error))
            continue
        if streams(path):
            before, after = _fix_streamed(
                linter,
                path,
                how,
                report,
                in_place=in_place,
                unsafe=unsafe,
                customer=customer,
                max_passes=max_passes,
            )
            fails, fails_after = fails or before, fails_after or after
            continue
        done = fix_file(linter, path, how, unsafe=unsafe, customer=customer, max_passes=max_passes)
        if in_place and done.changed:
            try:
                write(done)
            except (NotWrittenError, OSError) as exc:
                done.error = str(exc) if isinstance(exc, NotWrittenError) else exc.strerror
                done.text, done.fixed, done.remaining = done.original, 0, done.first
        fails = fails or linter.fails(done.first)
        fails_after = fails_after or linter.fails(done.remaining)
        report(done)
    return fails, fails_after


def _fix_streamed(
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
    """:func:`fix_run` for a file read in chunks: each chunk is linted, fixed (at most
    ``max_passes`` times, suppression comments applying within it, as ``check`` reads it),
    read back, appended to the temporary file and reported; the file is replaced at the end,
    if anything changed and it still holds the bytes that were read."""
    from .sources import stream

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
            sink: _Sink | None = None
            no_sink: str | None = None
            if in_place:
                try:
                    sink = stack.enter_context(_replacing(path))
                except OSError as exc:  # (an error only if something had to change)
                    no_sink = exc.strerror or str(exc)
            head = codecs.BOM_UTF8 if bom else b""
            digest.update(head)
            size += len(head)
            if sink is not None:
                sink.write(head)
            try:
                chunks = stream.load_chunks(path, options, chunk_bytes=stream.CHUNK_BYTES)
                for n, chunk in enumerate(chunks):
                    assert chunk.reread is not None
                    piece = FileFix(path, chunk=n, first_line=chunk.lines.first_line)
                    piece.original = piece.text = chunk.text
                    piece.bom, piece.drafts = bom and n == 0, len(chunk.drafts)
                    _fix_drafts(
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
