"""The worker processes of a scan (or, with one job, this process): each holds a Linter and
lints the pieces of the archive it is sent, as Arrow IPC streams."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pyarrow as pa

from ..frame import lint_table, linter_for

_options: dict[str, Any] = {}


def to_ipc(table: pa.Table | pa.RecordBatch) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write(table)
    return bytes(sink.getvalue().to_pybytes())


def from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


def _start_worker(options: dict[str, Any], shared: str | None, limit: int) -> None:
    _options.update(options)
    linter = linter_for(options["config"])  # once per process
    if shared is not None:
        from ..analysis import SharedParses

        linter._get_engine().compiled.shared = SharedParses(shared, limit)


def _ready(_: int) -> bool:
    return bool(_options)


def lint_piece(data: bytes) -> tuple[bytes, bytes]:
    replies, findings = lint_table(from_ipc(data), **_options)
    return to_ipc(replies), to_ipc(findings)


class Inline:
    """jobs=1: the pieces are linted here, when their result is asked for."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def result(self) -> tuple[bytes, bytes]:
        return lint_piece(self.data)


def start_pool(
    work: dict[str, Any], jobs: int
) -> tuple[ProcessPoolExecutor | None, Callable[[], None]]:
    """``jobs`` worker processes, each with its Linter (forked from a process that has loaded
    the pipeline, when it is single-threaded: they share it and start at once)."""
    if jobs <= 1:
        _options.update(work)
        return None, lambda: None
    from ..analysis import SHARED_LIMIT, shareable

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
