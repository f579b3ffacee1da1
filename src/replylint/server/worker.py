"""A worker process of ``replylint serve`` (started by pool.py): it builds its own Linter from the
server's Linter factory, then lints the jobs it is sent and answers each draft, sending results
back in chunks as it goes.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

RuleSet = tuple[tuple[str, ...], tuple[str, ...]] | None  # (select, ignore); None: the base
# (the draft's index in its request, text, customer, channel: None for the Linter's own)
Item = tuple[int, str, str | None, str | None]
Outcome = dict[str, Any]  # a DraftResult's JSON, or a DraftError's

CHUNK_CHARS = 4_000  # a worker sends results back every this many characters of drafts …
CHUNK_DRAFTS = 16  # … or this many drafts (a draft longer than CHUNK_CHARS goes alone)
WORKER_LINTERS = 32  # rule sets whose Linter a worker keeps


def size(item: Item) -> int:
    """The characters of a draft and its customer's message."""
    return len(item[1]) + len(item[2] or "")


def groups(items: Sequence[Item], max_chars: int, max_drafts: int) -> Iterator[list[Item]]:
    """``items`` in order, in runs of at most ``max_chars`` characters or ``max_drafts`` drafts
    (a longer draft goes alone)."""
    group: list[Item] = []
    chars = 0
    for item in items:
        length = size(item)
        if group and (chars + length > max_chars or len(group) >= max_drafts):
            yield group
            group, chars = [], 0
        group.append(item)
        chars += length
    if group:
        yield group


def _describe_load_error(exc: BaseException) -> str:
    from ..nlp import ModelError
    from ..rulebook import RuleBookError

    if isinstance(exc, ModelError | RuleBookError):
        return str(exc)
    return "the linting pipeline failed to load (see the server's log)"


def _lint(linter: Any, chunk: list[Item]) -> list[Outcome]:
    """Each draft's result; a chunk that fails is linted again draft by draft, so only the
    draft the linter fails on gets ``lint_failed``."""
    from .models import result_json

    try:
        out: dict[int, Outcome] = {}
        by_channel: dict[str | None, list[Item]] = {}
        for item in chunk:  # drafts of one channel in one batch, the results in request order
            by_channel.setdefault(item[3], []).append(item)
        for channel, items in by_channel.items():
            pairs = [(text, customer) for _, text, customer, _ in items]
            # (without a channel, called as a Linter subclass written before channels has it)
            reports = (
                linter.check_many(pairs, channel=channel) if channel else linter.check_many(pairs)
            )
            for item, report in zip(items, reports, strict=True):
                out[id(item)] = result_json(report)
        return [out[id(item)] for item in chunk]
    except Exception:
        if len(chunk) == 1:
            _log_failure(chunk[0])
            return [
                {
                    "error": "the linter failed on this draft (the server's log says why)",
                    "type": "lint_failed",
                }
            ]
    return [out for item in chunk for out in _lint(linter, [item])]


def _log_failure(item: Item) -> None:
    """The traceback of the exception being handled, on the worker's stderr."""
    print(
        f"replylint worker {os.getpid()}: the linter failed on a draft of "
        f"{len(item[1])} characters:\n{traceback.format_exc()}",
        file=sys.stderr,
        flush=True,
    )


def serve_worker(conn: Connection, factory: Any, nice: int) -> None:
    """A worker's life: build the Linter, say ``ready``, then answer jobs (``(rules, items)``)
    with ``("part", [(index, outcome), …])`` messages and a ``("done", None)``, until the pipe
    closes or ``None`` arrives."""
    import signal

    from ..api import own_process

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    own_process()
    try:
        base = factory()
        meta: dict[str, Any] = base.nlp.meta
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        conn.send(("error", _describe_load_error(exc)))
        return
    name = f"{meta.get('lang', '?')}_{meta.get('name', '?')}"
    conn.send(("ready", (name, str(meta.get("version", "?")))))
    linters: OrderedDict[RuleSet, Any] = OrderedDict({None: base})
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        rules, items = job
        linter = linters.get(rules)
        if linter is None:
            assert rules is not None
            try:
                linter = factory(select=list(rules[0]), ignore=list(rules[1]))
            except Exception:
                traceback.print_exc(file=sys.stderr)
                failed = {
                    "error": "the linter for these rules failed to build",
                    "type": "lint_failed",
                }
                conn.send(("part", [(item[0], failed) for item in items]))
                conn.send(("done", None))
                continue
            linters[rules] = linter
            while len(linters) > WORKER_LINTERS:
                linters.popitem(last=False)
        linters.move_to_end(rules)
        for chunk in groups(items, CHUNK_CHARS, CHUNK_DRAFTS):
            outcomes = _lint(linter, chunk)
            conn.send(("part", [(item[0], out) for item, out in zip(chunk, outcomes, strict=True)]))
        conn.send(("done", None))
