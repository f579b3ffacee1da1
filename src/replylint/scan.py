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

import contextlib
import csv
import json
import os
import re
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from .__about__ import __version__
from .config import Config
from .frame import DEFAULT_MAX_CHARS, SCHEMA_VERSION, config_hash, config_json, lint_table

MANIFEST = "_replylint.json"
PART_ROWS = 10_000  # input rows per part file (the unit of resuming)
TASK_ROWS = 256  # rows per task sent to a worker
READ_ROWS = 4_096  # rows per record batch read from the archive
_PART = re.compile(r"part-(\d{12})-(\d{12})\.parquet")
_RUN_KEYS = (  # what must match for a scan to be resumed
    "input",
    "input_bytes",
    "text_field",
    "customer_field",
    "id_field",
    "keep",
    "part_rows",
    "max_chars",
    "channel",
    "config_hash",
    "replylint_version",
)


class ScanError(Exception):
    """A one-line message naming the file (the command line shows it and exits with 2)."""


@dataclass
class ScanOptions:
    archive: str
    out: str
    text: str
    id: str
    customer: str | None = None
    keep: tuple[str, ...] = ()
    config: Config = field(default_factory=Config)
    jobs: int = 1
    part_rows: int = PART_ROWS
    max_chars: int = DEFAULT_MAX_CHARS
    channel: str = "auto"


@dataclass
class ScanResult:
    rows: int = 0  # replies in the output
    linted: int = 0  # … linted by this run (the rest were kept from an earlier one)
    findings: int = 0  # findings written by this run
    errors: int = 0  # bad rows written by this run
    parts: int = 0
    kept_parts: int = 0
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------
# Reading the archive
# --------------------------------------------------------------------------------------------


class _Archive:
    """The archive's columns we need, as record batches with their first row's number."""

    def __init__(self, path: str, options: ScanOptions) -> None:
        self.path = path
        self.options = options
        self.wanted = list(
            dict.fromkeys(
                [
                    options.text,
                    *([options.customer] if options.customer else []),
                    options.id,
                    *options.keep,
                ]
            )
        )
        self.total: int | None = None
        suffix = Path(path).suffix.lower()
        if not os.path.exists(path):
            raise ScanError(f"{path}: no such file or folder")
        if os.path.isdir(path):
            self.files = sorted(str(p) for p in Path(path).rglob("*.parquet"))
            if not self.files:
                raise ScanError(f"{path}: no .parquet files in this folder")
            self.kind = "parquet"
        elif suffix in (".parquet", ".pq"):
            self.files = [path]
            self.kind = "parquet"
        elif suffix in (".csv", ".tsv"):
            self.files = [path]
            self.kind = "csv"
        else:
            raise ScanError(f"{path}: not a Parquet or CSV archive (.parquet, .pq, .csv, .tsv)")
        if self.kind == "parquet":
            self._open_parquet()
        else:
            self._open_csv()

    def _missing(self, names: list[str], where: str) -> None:
        for name in self.wanted:
            if name not in names:
                shown = ", ".join(names) or "none"
                raise ScanError(f"{where}: no column {name!r} (columns: {shown})")

    def _open_parquet(self) -> None:
        total = 0
        self.parquet: list[pq.ParquetFile] = []
        for name in self.files:
            try:
                # pre_buffer (the default) reads ahead and keeps whole column chunks: memory
                # grew with the file (benchmarks/README.md)
                f = pq.ParquetFile(name, pre_buffer=False, buffer_size=1 << 20)
            except (OSError, pa.ArrowException) as exc:
                raise ScanError(f"{name}: not a readable Parquet file: {_first(exc)}") from None
            self._missing(f.schema_arrow.names, name)
            self.parquet.append(f)
            total += f.metadata.num_rows
        self.total = total

    def _open_csv(self) -> None:
        delimiter = "\t" if self.path.lower().endswith(".tsv") else ","
        self.delimiter = delimiter
        try:
            with open(self.path, "rb") as fh:
                head = fh.readline()
        except OSError as exc:
            raise ScanError(f"{self.path}: {exc.strerror or exc}") from None
        try:
            names = next(csv.reader([head.decode("utf-8-sig")], delimiter=delimiter), [])
        except UnicodeDecodeError:
            raise ScanError(f"{self.path}: line 1: the header is not valid UTF-8") from None
        self._missing(names, self.path)
        self.names = names

    def batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        if self.kind == "parquet":
            yield from self._parquet_batches()
        else:
            yield from self._csv_batches()

    def _parquet_batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        start = 0
        for name, f in zip(self.files, self.parquet, strict=True):
            try:
                for batch in f.iter_batches(batch_size=READ_ROWS, columns=self.wanted):
                    yield start, batch
                    start += batch.num_rows
            except (OSError, pa.ArrowException) as exc:
                raise ScanError(f"{name}: cannot read row {start + 1:,}: {_first(exc)}") from None

    def _csv_batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        import pyarrow.csv as pacsv

        o = self.options
        texts = {o.text, *([o.customer] if o.customer else [])}
        # text as bytes (a cell that is not UTF-8 is that row's error); keys as strings
        types = {n: (pa.binary() if n in texts else pa.string()) for n in self.wanted}
        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(block_size=1 << 22),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    include_columns=self.wanted,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (OSError, pa.ArrowException) as exc:
            raise ScanError(f"{self.path}: {_first(exc)}") from None
        start = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except (OSError, pa.ArrowException) as exc:
                raise ScanError(
                    f"{self.path}: after row {start:,}: {_first(exc)} (rows before it are kept)"
                ) from None
            for k in range(0, batch.num_rows, READ_ROWS):
                piece = batch.slice(k, READ_ROWS)
                yield start, piece
                start += piece.num_rows


def _first(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


# --------------------------------------------------------------------------------------------
# The output folder
# --------------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_atomic(path: Path, write: Callable[[str], None]) -> None:
    """``write(temporary path)`` then rename to ``path``: it exists complete or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_json(path: Path, data: dict[str, Any]) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")

    _write_atomic(path, write)


def _write_part(path: Path, table: pa.Table, start: int, end: int) -> None:
    meta = dict(table.schema.metadata or {})
    meta[b"replylint.rows"] = f"{start}-{end}".encode()
    table = table.replace_schema_metadata(meta)
    _write_atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


class _Output:
    def __init__(self, out: str, manifest: dict[str, Any]) -> None:
        self.root = Path(out)
        self.replies = self.root / "replies"
        self.findings = self.root / "findings"
        self.manifest = manifest
        try:
            self._prepare()
        except OSError as exc:
            raise ScanError(f"{out}: cannot write: {exc.strerror or exc}") from None

    def _prepare(self) -> None:
        path = self.root / MANIFEST
        if path.exists():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ScanError(f"{path}: unreadable ({_first(exc)})") from None
            changed = [k for k in _RUN_KEYS if old.get(k) != self.manifest.get(k)]
            if changed:
                raise ScanError(
                    f"{self.root}: holds a scan with other {', '.join(changed)}; "
                    "give another --out folder, or delete this one"
                )
            self.manifest["started"] = old.get("started", self.manifest["started"])
        elif self.root.exists() and any(self.root.iterdir()):
            raise ScanError(f"{self.root}: not empty and not a replylint scan folder ({MANIFEST})")
        self.root.mkdir(parents=True, exist_ok=True)
        for folder in (self.replies, self.findings):
            folder.mkdir(exist_ok=True)
            for stale in folder.glob(".part-*.tmp"):  # a part a killed run was writing
                stale.unlink()
        self.manifest["finished"] = None
        _write_json(path, self.manifest)

    def done(self) -> dict[int, int]:
        """Complete parts: start row -> end row (both files present)."""
        found: dict[int, int] = {}
        for p in self.replies.glob("part-*.parquet"):
            m = _PART.fullmatch(p.name)
            if m and (self.findings / p.name).exists():
                found[int(m[1])] = int(m[2])
        return found

    def write(self, start: int, end: int, replies: pa.Table, findings: pa.Table) -> None:
        name = f"part-{start:012d}-{end:012d}.parquet"
        try:
            _write_part(self.findings / name, findings, start, end)
            _write_part(self.replies / name, replies, start, end)  # last: the part is done
        except OSError as exc:
            raise ScanError(f"{self.root}: cannot write: {exc.strerror or exc}") from None

    def finish(self, result: ScanResult) -> None:
        self.manifest.update(
            finished=_now(), rows=result.rows, parts=result.parts + result.kept_parts
        )
        _write_json(self.root / MANIFEST, self.manifest)


# --------------------------------------------------------------------------------------------
# Workers
# --------------------------------------------------------------------------------------------

_options: dict[str, Any] = {}


def _to_ipc(table: pa.Table | pa.RecordBatch) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write(table)
    return bytes(sink.getvalue().to_pybytes())


def _from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


def _start_worker(options: dict[str, Any], shared: str | None, limit: int) -> None:
    from .frame import linter_for

    _options.update(options)
    linter = linter_for(options["config"])  # once per process
    if shared is not None:
        from .analysis import SharedParses

        linter._get_engine().compiled.shared = SharedParses(shared, limit)


def _ready(_: int) -> bool:
    return bool(_options)


def _lint_piece(data: bytes) -> tuple[bytes, bytes]:
    replies, findings = lint_table(_from_ipc(data), **_options)
    return _to_ipc(replies), _to_ipc(findings)


class _Inline:
    """jobs=1: the pieces are linted here, when their result is asked for."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def result(self) -> tuple[bytes, bytes]:
        return _lint_piece(self.data)


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------


class _Progress:
    def __init__(self, stream: TextIO | None, total: int | None, kept: int) -> None:
        self.stream = stream
        self.total = total
        self.done = kept
        self.started = time.monotonic()
        self.linted = 0
        self.shown = 0.0

    def add(self, rows: int) -> None:
        self.linted += rows
        self.done += rows
        now = time.monotonic()
        if self.stream is not None and now - self.shown >= 0.5:
            self.shown = now
            self._show(now)

    def _show(self, now: float) -> None:
        assert self.stream is not None
        rate = self.linted / max(now - self.started, 1e-9)
        line = f"scan: {self.done:,}"
        if self.total is not None:
            line += f"/{self.total:,} replies ({100 * self.done / max(self.total, 1):.0f}%)"
        else:
            line += " replies"
        line += f"  {rate:,.0f}/s"
        if self.total is not None and rate > 0:
            left = int((self.total - self.done) / rate)
            line += f"  ETA {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}"
        self.stream.write("\r" + line.ljust(72))
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.shown:
            self._show(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------------------------
# The scan
# --------------------------------------------------------------------------------------------


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
    archive = _Archive(options.archive, options)
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
        "started": _now(),
    }
    output = _Output(options.out, manifest)
    done = output.done()
    result = ScanResult(kept_parts=len(done))
    kept_rows = sum(end - start for start, end in done.items())
    result.rows = kept_rows
    bar = _Progress(progress, archive.total, kept_rows)
    work: dict[str, Any] = {
        "text": options.text,
        "customer": options.customer,
        "id": options.id,
        "keep": options.keep,
        "channel": options.channel,
        "config": cfg,
        "max_chars": options.max_chars,
    }
    pool, cleanup = _pool(work, options.jobs)
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


def _pool(work: dict[str, Any], jobs: int) -> tuple[ProcessPoolExecutor | None, Callable[[], None]]:
    """``jobs`` worker processes, each with its Linter (forked from a process that has loaded
    the pipeline, when it is single-threaded: they share it and start at once)."""
    if jobs <= 1:
        _options.update(work)
        return None, lambda: None
    import multiprocessing
    import shutil

    from .analysis import SHARED_LIMIT, shareable
    from .frame import linter_for

    linter = linter_for(work["config"])
    nlp = linter._get_engine().nlp
    shared = tempfile.mkdtemp(prefix="replylint-parses-") if shareable(nlp) else None
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(work, shared, SHARED_LIMIT // jobs),
    )
    list(pool.map(_ready, range(jobs)))  # every worker started (forked) before reading begins

    def cleanup() -> None:
        if shared is not None:
            shutil.rmtree(shared, ignore_errors=True)

    return pool, cleanup


def _pieces(
    archive: _Archive, part_rows: int, done: dict[int, int]
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
    archive: _Archive,
    options: ScanOptions,
    output: _Output,
    done: dict[int, int],
    pool: ProcessPoolExecutor | None,
    work: dict[str, Any],
    result: ScanResult,
    bar: _Progress,
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
            part.replies.append(_from_ipc(replies_b))
            part.findings.append(_from_ipc(findings_b))
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
        data = _to_ipc(piece)
        handle: Future[tuple[bytes, bytes]] | _Inline = (
            pool.submit(_lint_piece, data) if pool is not None else _Inline(data)
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


def _empty(archive: _Archive) -> pa.Table:
    if archive.kind == "parquet":
        return archive.parquet[0].schema_arrow.empty_table().select(archive.wanted)
    o = archive.options
    texts = {o.text, *([o.customer] if o.customer else [])}
    return pa.schema(
        [pa.field(n, pa.binary() if n in texts else pa.string()) for n in archive.wanted]
    ).empty_table()


__all__ = ["ScanError", "ScanOptions", "ScanResult", "scan"]
