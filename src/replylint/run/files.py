"""Paths in, file reports out, one at a time: reading and linting for the CLI and hooks.

:func:`lint_files` streams: it reads files as the linter asks for drafts, and hands each file's
report on (finished: see :mod:`.finish`) as soon as its last draft is linted, in the order the
files were found. Memory holds the batches in flight, not the run. A CSV/TSV file
big enough to stream (sources/stream.py) is read and reported in chunks of whole rows.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..engine.limits import too_large
from ..models import DraftProfile, FileReport, Finding, Report
from ..offsets import LineIndex
from ..sources import (
    STDIN,
    Draft,
    Loaded,
    ReadOptions,
    SourceError,
    discover,
    load_bytes,
    read_file,
    read_stream,
)
from ..sources.base import decode
from ..sources.stream import Chunk, load_chunks, streams
from ..suppress import Style
from ..threads import Marker, judge_drafts, thread_marker
from .finish import FileText, finish
from .plan import STDIN_NAME

if TYPE_CHECKING:
    from ..api import Linter

LOOKUP_FILES = 64  # files read ahead and looked up in the cache at once
LOOKUP_BYTES = 1 << 20  # … or fewer, when they hold this many bytes
HELD_FILES = 256  # finished files waiting behind drafts in flight before those are hurried


@dataclass
class FileResult:
    """One file's report (or one chunk's, for a file read in chunks: consecutive results with
    the same path), and its text for excerpt lines (None when it could not be read)."""

    report: FileReport
    lines: LineIndex | None


@dataclass
class _Unit:
    """A file (or chunk) being linted: its drafts come back in order."""

    result: FileResult
    comments: tuple[Style, ...] = ()
    remaining: int = 0  # drafts not yet linted
    found: list[Finding] = field(default_factory=list)
    profiles: list[DraftProfile] = field(default_factory=list)  # of the drafts linted so far
    # the thread marker ("1/2") of each draft that has one, by index, and those drafts'
    # findings, held apart to be judged with their thread's other parts (threads.py)
    markers: dict[int, Marker] = field(default_factory=dict)
    parts: dict[int, list[Finding]] = field(default_factory=dict)
    # … and those of them given with the customer's message
    with_customer: set[int] = field(default_factory=set)
    key: str | None = None  # file cache entry to write once done
    done: bool = False  # findings final (from the cache, or an error)


@dataclass
class Run:
    """A finished run, collected (the library's and the tests' view of :func:`lint_files`)."""

    files: list[FileReport] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def report(self) -> Report:
        return Report.build(self.files)


def _read_bytes(path: str) -> bytes:
    if path == STDIN:
        return read_stream(sys.stdin.buffer)
    return read_file(path)


def _oversized(draft: Draft, limit: int) -> str | None:
    """Why ``draft`` is not linted under ``max-draft-chars`` (``limit``), or None: the error
    names the line and column where the draft starts."""
    problem = too_large(draft, limit)
    if problem is None:
        return None
    start = draft.offsets.span_to_original(0, len(draft.text))[0]
    line, column = draft.lines.position(start)
    return f"line {line}, column {column}: {problem}"


def _internal(exc: BaseException) -> str:
    """The one-line error for a reader that failed in a way it should have explained."""
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return (
        f"internal error while reading this file ({type(exc).__name__}"
        f"{': ' + detail[:200] if detail else ''}); please report it"
    )


def lint_files(
    linter: Linter,
    paths: Iterable[str],
    *,
    customer: str | None = None,
    options: ReadOptions | None = None,
    stdin_name: str | None = None,
    discovered: bool = False,
) -> Iterator[FileResult]:
    """Lint every draft under ``paths``; yield each file's result in order as it completes.
    Unreadable files become per-file errors. Standard input (``-``) is read as a text file
    shown as ``<stdin>``, or as the file ``stdin_name`` (its format, its name in the report).
    ``paths`` is read lazily; ``discovered``: they are a plan's files (found once, by
    :func:`~.plan.plan_run`, each named once), so they are neither looked for again nor
    remembered to skip a repeat.

    Each file's findings are finished (:mod:`.finish`: configuration, suppression comments)
    once all of its drafts are linted; a comment that suppresses nothing becomes an
    ``unused-suppression`` finding.
    With a cache, a file whose bytes, path, configuration and rules are unchanged is answered
    whole from it, without being read into drafts.
    """
    pending: deque[_Unit] = deque()
    # the unit of each draft handed to the linter, in order, and the draft's index in its file
    owners: deque[tuple[_Unit, int]] = deque()
    cache = linter.cache
    read = options or ReadOptions()

    def add(unit: _Unit, drafts: list[Draft], shown: str, first: int = 0) -> Iterator[Draft]:
        """A file's (or chunk's) drafts to lint; ``first``: the index of its first draft in
        the file (a chunk's drafts follow the earlier chunks')."""
        drafts = [
            Draft(
                d.text,
                d.offsets,
                d.lines,
                shown,
                d.title,
                customer if customer is not None else d.customer,
                d.meta,
            )
            for d in drafts
        ]
        limit = linter.config.max_draft_chars
        problems = [p for p in (_oversized(d, limit) for d in drafts) if p is not None]
        indexed = list(enumerate(drafts, first))
        if problems:  # errors of the file; its other drafts are linted
            indexed = [(i, d) for i, d in indexed if too_large(d, limit) is None]
            unit.remaining = len(indexed)
            unit.result.report.draft_count = len(indexed)
            unit.key = None  # (the file is not answered from the cache: its error would be lost)
        pending.append(unit)
        for problem in problems:  # after the unit, as a further chunk of the same file
            pending.append(failed(shown, problem))
        for index, draft in indexed:
            marker = thread_marker(draft.text)
            if marker is not None:
                unit.markers[index] = marker
                if draft.customer is not None:
                    unit.with_customer.add(index)
            owners.append((unit, index))
            yield draft

    def failed(shown: str, error: str) -> _Unit:
        return _Unit(FileResult(FileReport(path=shown, error=error), None), done=True)

    # with a cache, files are read a few at a time and looked up in one query (one per file
    # cost three times what reading the file did); their units still go in the order found
    window: list[tuple[str, str, bytes, str]] = []  # (path, shown, bytes, file key)
    held = 0  # the window's bytes

    def read_into(path: str, shown: str, data: bytes, key: str | None) -> Iterator[Draft]:
        try:
            name = (stdin_name or STDIN_NAME + ".txt") if path == STDIN else path
            loaded = load_bytes(name, data, options)
        except SourceError as exc:
            pending.append(failed(shown, str(exc)))
            return
        except (RecursionError, ValueError, TypeError, LookupError, AssertionError) as exc:
            pending.append(failed(shown, _internal(exc)))  # a bug, but never the run's end
            return
        unit = _chunk_unit(shown, loaded)
        unit.key = key
        yield from add(unit, loaded.drafts, shown)

    def looked_up() -> Iterator[Draft]:
        """The files in the window: answered whole from the cache, or read into drafts."""
        nonlocal held
        if not window:
            return
        assert cache is not None
        hits = cache.get_files([key for *_, key in window])
        batch = window[:]
        window.clear()
        held = 0
        for (path, shown, data, key), hit in zip(batch, hits, strict=True):
            if hit is None:
                yield from read_into(path, shown, data, key)
                continue
            count, findings, profiles = hit
            try:
                lines = LineIndex(decode(data))
            except SourceError as exc:
                pending.append(failed(shown, str(exc)))
                continue
            report = FileReport(path=shown, findings=findings, drafts=profiles, draft_count=count)
            pending.append(_Unit(FileResult(report, lines), done=True))

    # Files are discovered lazily, and drafts go to the linter in streams: a file answered
    # whole by the cache (or an error) is done at once but is reported only in order, after
    # the drafts before it come back, and the linter hands those back only once a batch fills
    # up. A warm run hands it no drafts at all, so one stream held every file's findings to
    # the end (7-12 KB a file). A stream therefore ends once HELD_FILES finished files wait
    # (the batch in flight is linted as it is), they are reported, and the next one starts.
    files: Iterator[tuple[str, str | None]]
    files = ((p, None) for p in paths) if discovered else discover(paths)
    # one folder's walk never finds a file twice: only several paths can name one twice
    single = isinstance(paths, list | tuple) and len(paths) == 1
    seen: set[str] | None = None if discovered or single else set()
    more = True

    def upto_held() -> Iterator[tuple[str, str | None]]:
        nonlocal more
        while len(pending) - len(owners) < HELD_FILES:  # units not in flight are finished
            item = next(files, None)
            if item is None:
                more = False
                return
            yield item

    def drafts() -> Iterator[Draft]:
        nonlocal held
        for path, error in upto_held():
            shown = (stdin_name or STDIN_NAME) if path == STDIN else path
            if seen is not None:
                if shown in seen:
                    continue
                seen.add(shown)
            if error:
                yield from looked_up()
                pending.append(failed(shown, error))
                continue
            if path != STDIN and streams(path):
                yield from looked_up()
                try:
                    first = 0
                    for chunk in load_chunks(path, options):
                        yield from add(_chunk_unit(shown, chunk), chunk.drafts, shown, first)
                        first += len(chunk.drafts)
                except SourceError as exc:
                    pending.append(failed(shown, str(exc)))
                except (RecursionError, ValueError, TypeError, LookupError, AssertionError) as e:
                    pending.append(failed(shown, _internal(e)))
                continue
            try:
                data = _read_bytes(path)
            except SourceError as exc:
                yield from looked_up()
                pending.append(failed(shown, str(exc)))
                continue
            if cache is None:
                yield from read_into(path, shown, data, None)
                continue
            parts = [shown, repr(read), "\0" if customer is None else "\1" + customer]
            window.append((path, shown, data, cache.file_key([*parts, linter.config_key, data])))
            held += len(data)
            if len(window) >= LOOKUP_FILES or held >= LOOKUP_BYTES:
                yield from looked_up()
        yield from looked_up()

    def finished() -> Iterator[FileResult]:
        while pending and (pending[0].done or pending[0].remaining == 0):
            yield _finish(linter, pending.popleft())

    try:
        while more:
            for draft, findings, profile in linter.engine_results(drafts()):
                unit, index = owners.popleft()
                if index in unit.markers:
                    unit.parts[index] = findings
                else:
                    unit.found.extend(findings)
                unit.profiles.append(DraftProfile(index=index, title=draft.title, profile=profile))
                unit.remaining -= 1
                if unit.remaining == 0:
                    yield from finished()
            yield from finished()
    finally:
        if cache is not None:
            cache.flush()  # the file entries of the last files
    assert not pending, "every file's drafts came back"


def _chunk_unit(shown: str, loaded: Loaded) -> _Unit:
    if isinstance(loaded, Chunk):
        lines = loaded.lines  # the file's line numbers, drafts or not
    else:
        lines = loaded.drafts[0].lines if loaded.drafts else LineIndex(loaded.text)
    report = FileReport(path=shown, draft_count=len(loaded.drafts))
    return _Unit(FileResult(report, lines), loaded.comments, remaining=len(loaded.drafts))


def _finish(linter: Linter, unit: _Unit) -> FileResult:
    """A unit's findings finished (:mod:`.finish`)."""
    if unit.done:
        return unit.result
    report, index = unit.result.report, unit.result.lines
    assert index is not None
    if unit.markers:  # a thread is judged as a whole (threads.py)
        profiles = {d.index: d.profile for d in unit.profiles}
        found, judged = judge_drafts(unit.markers, unit.parts, profiles, unit.with_customer)
        unit.found.extend(f for i in sorted(unit.parts) for f in found[i])
        unit.profiles = [d.model_copy(update={"profile": judged[d.index]}) for d in unit.profiles]
    report.findings = finish(
        linter, report.path, unit.found, FileText(index.text, index, unit.comments)
    )
    report.drafts = unit.profiles
    if unit.key is not None and linter.cache is not None:
        linter.cache.put_file(unit.key, report.draft_count, report.findings, report.drafts)
    return unit.result


def lint_paths(
    linter: Linter,
    paths: list[str],
    *,
    customer: str | None = None,
    options: ReadOptions | None = None,
) -> Run:
    """:func:`lint_files`, collected: every file's report and text."""
    run = Run()
    for result in lint_files(linter, paths, customer=customer, options=options):
        if run.files and run.files[-1].path == result.report.path:  # a further chunk
            last = run.files[-1]
            last.findings.extend(result.report.findings)
            last.drafts.extend(result.report.drafts)
            last.draft_count += result.report.draft_count
            last.error = last.error or result.report.error  # a read that failed midway
            if result.lines is not None:
                run.sources[last.path] = run.sources.get(last.path, "") + result.lines.text
            continue
        run.files.append(result.report)
        if result.lines is not None:
            run.sources[result.report.path] = result.lines.text
    return run
