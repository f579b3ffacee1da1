"""``replylint scan``: a helpdesk archive (Parquet or CSV) on one machine, no engine needed.

The archive is read as a stream (Parquet row groups in record batches, CSV in blocks: memory
holds a few batches, whatever the archive's size) and cut into *parts* of ``part_rows``
consecutive input rows. Each part is linted (by :func:`replylint.frame.lint_table`, in ``jobs``
worker processes) and written as two Parquet files, ``DIR/findings/part-<start>-<end>.parquet``
then ``DIR/replies/part-<start>-<end>.parquet`` (input rows ``[start, end)``), each written to a
temporary name and renamed: a part file that exists is complete. ``DIR/_replylint.json`` holds
the run's metadata (the README's "Helpdesk archives").

**Resuming**: started again with the same arguments after being killed at any point, a scan
removes unfinished temporary files, keeps every part whose two files exist, and lints only the
rows of the others; every reply is in the output exactly once. Started with other arguments on
the same ``DIR`` it stops with an error (it never mixes two runs).
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa

from ..__about__ import __version__
from ..frame import SCHEMA_VERSION, config_hash, config_json, lint_table, worker_options
from .archive import Archive
from .options import PART_ROWS, ScanError, ScanOptions, ScanResult
from .output import Output, now
from .progress import Progress
from .workers import Inline, from_ipc, lint_piece, start_pool, to_ipc

TASK_ROWS = 256  # rows per task sent to a worker


@dataclass
class _Part:
    start: int
    end: int = 0
    pending: deque[Any] = field(default_factory=deque)  # futures, in row order
    replies: list[pa.Table] = field(default_factory=list)
    findings: list[pa.Table] = field(default_factory=list)


def scan(options: ScanOptions, progress: TextIO | None = None) -> ScanResult:
    """Lint the archive into ``options.out`` (see the module doc); ``progress``: a terminal to
    show rows/s and the time left on."""
    began = time.monotonic()
    if options.part_rows < 1:
        raise ScanError("--part-rows must be at least 1")
    archive = Archive(options.archive, options)
    cfg = config_json(options.config)
    manifest: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "replylint_version": __version__,
        "config_hash": config_hash(cfg),
        "input": os.path.abspath(options.archive),
        "input_bytes": _size(options.archive),
        "format": archive.kind,
        "text_field": options.text,
        "customer_field": options.customer,
        "id_field": options.id,
        "keep": list(options.keep),
        "part_rows": options.part_rows,
        "max_chars": options.max_chars,
        "channel": options.channel,
        "started": now(),
    }
    output = Output(options.out, manifest)
    done = output.done()
    result = ScanResult(kept_parts=len(done))
    kept_rows = sum(end - start for start, end in done.items())
    result.rows = kept_rows
    bar = Progress(progress, archive.total, kept_rows)
    work = worker_options(
        text=options.text,
        customer=options.customer,
        id=options.id,
        keep=options.keep,
        channel=options.channel,
        config=options.config,
        max_chars=options.max_chars,
    )
    pool, cleanup = start_pool(work, options.jobs)
    try:
        _run(archive, options, output, done, pool, work, result, bar)
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        cleanup()
    output.finish(result)
    result.seconds = time.monotonic() - began
    return result


def _size(path: str) -> int:
    if os.path.isdir(path):
        return sum(p.stat().st_size for p in Path(path).rglob("*.parquet"))
    return os.path.getsize(path)


def _pieces(
    archive: Archive, part_rows: int, done: dict[int, int]
) -> Iterator[tuple[int, int, pa.RecordBatch]]:
    """``(part start, first row, rows)`` for every row not in a done part, in order, cut at
    part boundaries and into tasks of at most TASK_ROWS rows."""
    for start, batch in archive.batches():
        k = 0
        while k < batch.num_rows:
            row = start + k
            part = row - row % part_rows
            take = min(TASK_ROWS, part + part_rows - row, batch.num_rows - k)
            if part not in done:
                yield part, row, batch.slice(k, take)
            k += take


def _run(
    archive: Archive,
    options: ScanOptions,
    output: Output,
    done: dict[int, int],
    pool: ProcessPoolExecutor | None,
    work: dict[str, Any],
    result: ScanResult,
    bar: Progress,
) -> None:
    ahead = 4 * options.jobs if pool is not None else 0
    parts: deque[_Part] = deque()
    inflight = 0
    schema: pa.Schema | None = None

    def collect(one: bool) -> None:
        """Take finished pieces (the oldest first); write every part that is complete."""
        nonlocal inflight
        while parts and parts[0].pending:
            part = parts[0]
            fut = part.pending.popleft()
            rows, handle = fut
            replies_b, findings_b = handle.result()
            inflight -= 1
            part.replies.append(from_ipc(replies_b))
            part.findings.append(from_ipc(findings_b))
            bar.add(rows)
            if not part.pending and len(parts) > 1:  # a later part has begun: this one is whole
                _flush(parts.popleft())
            if one:
                return

    def _flush(part: _Part) -> None:
        replies = pa.concat_tables(part.replies)
        findings = pa.concat_tables(part.findings)
        output.write(part.start, part.end, replies, findings)
        result.parts += 1
        result.rows += replies.num_rows
        result.linted += replies.num_rows
        result.findings += findings.num_rows
        result.errors += replies.num_rows - replies.column("error").null_count

    for part_start, row, piece in _pieces(archive, options.part_rows, done):
        if schema is None:
            schema = piece.schema
        if not parts or parts[-1].start != part_start:
            if parts and not parts[-1].pending:
                _flush(parts.pop())
            parts.append(_Part(part_start))
        part = parts[-1]
        part.end = row + piece.num_rows
        data = to_ipc(piece)
        handle: Future[tuple[bytes, bytes]] | Inline = (
            pool.submit(lint_piece, data) if pool is not None else Inline(data)
        )
        part.pending.append((piece.num_rows, handle))
        inflight += 1
        while inflight > ahead:
            collect(one=True)
    while parts:
        collect(one=False)
        if parts:
            _flush(parts.popleft())
    if result.parts + result.kept_parts == 0:  # an empty archive: one empty part, for the schema
        empty = _empty(archive)
        replies, findings = lint_table(empty, **work)
        output.write(0, 0, replies, findings)
        result.parts = 1


def _empty(archive: Archive) -> pa.Table:
    if archive.kind == "parquet":
        return archive.parquet[0].schema_arrow.empty_table().select(archive.wanted)
    o = archive.options
    texts = {o.text, *([o.customer] if o.customer else [])}
    return pa.schema(
        [pa.field(n, pa.binary() if n in texts else pa.string()) for n in archive.wanted]
    ).empty_table()


__all__ = ["PART_ROWS", "ScanError", "ScanOptions", "ScanResult", "scan"]
