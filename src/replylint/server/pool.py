"""The worker processes that lint for ``replylint serve``.

A Linter serialises its drafts on one lock, so a server that lints in its own process makes
every client wait behind the slowest draft (a long draft holds it for seconds: see
benchmarks/README.md), and a thread stuck in a draft cannot be stopped. Here each worker is a
process with its own Linter (worker.py), built there from the server's Linter factory (a Linter
cannot be pickled; its factory can: ``Linter`` or ``functools.partial(Linter, config)``, as
``--jobs`` sends a Config).

- **Two lanes.** Drafts up to ``heavy_chars`` characters go to the *light* workers; longer ones
  (the ones that can take seconds) to the *heavy* workers, which run at a lower CPU priority
  (``nice``): a client sending long drafts delays the others by less than a CPU's share.
- **A bounded queue.** A job waits for a free worker of its lane until the request's deadline;
  with ``queue`` jobs already waiting in that lane it is turned away at once (``busy``).
- **A time budget.** A worker still busy at the request's deadline is killed (SIGKILL) and a
  new one started; its unanswered drafts get a ``timeout`` error, the rest are kept: a worker
  sends its results back in chunks as it goes.
- **Per-draft errors.** A draft the linter fails on gets ``lint_failed`` (the worker logs the
  traceback to its stderr) while the drafts around it are answered: a chunk that fails is
  linted again draft by draft.

Workers are started with ``forkserver`` on POSIX (forked from a clean process that imported
spaCy once, so a replacement loads only the pipeline), ``spawn`` elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal

from .worker import Item, Outcome, RuleSet, serve_worker

log = logging.getLogger("replylint.server")

Lane = Literal["light", "heavy"]
LANES: tuple[Lane, ...] = ("light", "heavy")

LOAD_TIMEOUT = 300.0  # seconds a worker may take to build its Linter
HEAVY_NICE = 10  # the heavy workers' niceness


class PoolError(Exception):
    """The workers cannot lint (their Linter failed to build)."""


@dataclass(eq=False)
class _Worker:
    lane: Lane
    proc: Any  # multiprocessing.Process (BaseProcess)
    conn: Connection


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if os.name == "posix" and "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # imported once in the fork server: a worker forked from it loads only the pipeline
        ctx.set_forkserver_preload(["replylint.server.pool", "replylint.api", "spacy"])
        return ctx
    return multiprocessing.get_context("spawn")


class Pool:
    """Worker processes in two lanes; see the module's docstring.

    :meth:`start` and :meth:`run` are called in the server's event loop; starting, calling and
    stopping a worker (blocking work) happen in the pool's own threads.
    """

    def __init__(
        self,
        factory: Any,
        *,
        workers: int,
        heavy_workers: int,
        queue: int,
        timeout: float,
    ) -> None:
        self.factory = factory
        self.sizes: dict[Lane, int] = {"light": max(1, workers), "heavy": max(1, heavy_workers)}
        self.queue = max(1, queue)
        self.timeout = timeout
        self.error: str | None = None
        self.pipeline: tuple[str, str] | None = None  # (name, version), from the first worker
        self.replaced = 0  # workers killed (past the budget) or found dead, and replaced
        self._ready: set[Lane] = set()
        self._idle: dict[Lane, asyncio.Queue[_Worker]] = {}
        self._waiting: dict[Lane, int] = dict.fromkeys(LANES, 0)
        self._procs: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._threads = ThreadPoolExecutor(
            max_workers=2 * sum(self.sizes.values()) + 1, thread_name_prefix="replylint-pool"
        )

    @property
    def ready(self) -> bool:
        """Every lane has had a worker ready (and no worker failed to build its Linter)."""
        return self.error is None and self._ready == set(LANES)

    def start(self) -> None:
        """Start the workers (in the background: they load the pipeline)."""
        self._loop = asyncio.get_running_loop()
        self._idle = {lane: asyncio.Queue() for lane in LANES}
        for lane in LANES:
            for _ in range(self.sizes[lane]):
                self._threads.submit(self._spawn, lane)

    # -- workers: started, stopped -------------------------------------------------------------

    def _spawn(self, lane: Lane) -> None:
        """Start a worker and hand it to its lane once its Linter is built (in a thread)."""
        try:
            self._spawn_worker(lane)
        except Exception:  # never lose a lane silently
            log.exception("replylint: cannot start a %s worker", lane)
            self.error = self.error or "a worker process failed to start (see the server's log)"

    def _spawn_worker(self, lane: Lane) -> None:
        if self._closed or self.error is not None:
            return
        ctx = _context()
        parent, child = ctx.Pipe()
        nice = HEAVY_NICE if lane == "heavy" else 0
        proc = ctx.Process(
            target=serve_worker,
            args=(child, self.factory, nice),
            name=f"replylint-{lane}",
            daemon=True,
        )
        try:
            with self._lock:  # started under the lock: close() never joins one half started
                if self._closed:
                    return
                proc.start()
                self._procs.add(proc)
        except Exception as exc:  # an unpicklable factory, no more processes…
            log.error("replylint: cannot start a worker process: %s", exc)
            self.error = f"cannot start a worker process: {exc}"
            return
        finally:
            child.close()
        message: Any = None
        try:
            if parent.poll(LOAD_TIMEOUT):
                message = parent.recv()
        except (EOFError, OSError):
            pass
        if not (isinstance(message, tuple) and message[0] == "ready"):
            self._stop(proc, parent)
            if self._closed:
                return
            if isinstance(message, tuple) and message[0] == "error":
                self.error = str(message[1])
            else:
                self.error = "a worker process exited while loading the pipeline"
            log.error("replylint: a %s worker cannot lint: %s", lane, self.error)
            return
        self.pipeline = self.pipeline or message[1]
        worker = _Worker(lane, proc, parent)
        with self._lock:
            if self._closed:
                self._stop(proc, parent)
                return
        self._ready.add(lane)
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._idle[lane].put_nowait, worker)

    def _stop(self, proc: Any, conn: Connection, *, kill: bool = True) -> None:
        if kill and proc.is_alive():
            proc.kill()
        proc.join(5)
        conn.close()
        with self._lock:
            self._procs.discard(proc)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (in the pool's threads) and start another in its lane."""
        self.replaced += 1
        self._stop(worker.proc, worker.conn)
        self._spawn(worker.lane)

    def close(self) -> None:
        """Stop every worker (the pipes close: idle workers exit; busy ones are killed)."""
        with self._lock:
            self._closed = True
            procs = list(self._procs)
        for queue in self._idle.values():
            while not queue.empty():
                worker = queue.get_nowait()
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
                worker.conn.close()
        deadline = time.monotonic() + 2
        for proc in procs:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        self._threads.shutdown(wait=False, cancel_futures=True)

    # -- jobs ----------------------------------------------------------------------------------

    def _call(
        self, worker: _Worker, rules: RuleSet, items: list[Item], budget: float
    ) -> tuple[dict[int, Outcome], str]:
        """Send a job and collect what comes back within ``budget`` seconds (in a thread):
        ``(outcomes by index, "ok" | "timeout" | "died")``."""
        got: dict[int, Outcome] = {}
        end = time.monotonic() + budget
        try:
            worker.conn.send((rules, items))
            while True:
                left = end - time.monotonic()
                if left <= 0 or not worker.conn.poll(left):
                    return got, "timeout"
                kind, data = worker.conn.recv()
                if kind == "done":
                    return got, "ok"
                got.update(data)
        except (EOFError, OSError, ValueError):
            return got, "died"

    async def run(
        self, lane: Lane, rules: RuleSet, items: Sequence[Item], deadline: float
    ) -> dict[int, Outcome]:
        """Lint ``items`` on a worker of ``lane`` before ``deadline`` (the event loop's clock);
        every item gets an outcome."""
        if self.error is not None:
            raise PoolError(self.error)
        loop = asyncio.get_running_loop()
        if self._waiting[lane] >= self.queue:
            return self._all(
                items,
                f"the server is busy: {self._waiting[lane]} jobs are waiting for a worker "
                "already; retry later",
                "busy",
            )
        self._waiting[lane] += 1
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle[lane].get()
        except TimeoutError:
            return self._all(
                items,
                f"the server is busy: no worker was free within the request's time budget "
                f"({self.timeout:g} s); retry later",
                "busy",
            )
        finally:
            self._waiting[lane] -= 1
        budget = max(0.0, deadline - loop.time())
        got, fate = await loop.run_in_executor(
            self._threads, self._call, worker, rules, list(items), budget
        )
        if fate == "ok":
            self._idle[lane].put_nowait(worker)
        else:
            if fate == "timeout":
                log.warning(
                    "replylint: a %s worker took longer than the time budget (%g s): "
                    "killed, and a new one started",
                    lane,
                    self.timeout,
                )
            else:
                log.error("replylint: a %s worker exited while linting; a new one starts", lane)
            self._threads.submit(self._replace, worker)
        missing = [item for item in items if item[0] not in got]
        if fate == "timeout":
            got |= self._all(
                missing,
                f"not linted within the server's time budget of {self.timeout:g} s "
                "(replylint serve --timeout); split or shorten the draft",
                "timeout",
            )
        else:
            got |= self._all(
                missing, "the worker linting this draft exited (the server's log says why)"
            )
        return got

    @staticmethod
    def _all(items: Sequence[Item], message: str, kind: str = "lint_failed") -> dict[int, Outcome]:
        return {item[0]: {"error": message, "type": kind} for item in items}
