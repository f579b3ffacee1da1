"""Fewer garbage collections while drafts are linted (:func:`relaxed`).

Linting a batch makes hundreds of thousands of short-lived objects (tokens, spans, hits,
summaries); with CPython's default threshold (a young collection every 700 net allocations,
an older one every tenth of those) the collector walks the long-lived rule book and pipeline
again and again. ``benchmarks/versus.py``: about 8 % of a cold run's CPU. While a batch is
linted the young generation's threshold is raised; it is put back afterwards, also when
linting fails, and nested or concurrent batches (threads) restore it once, when the last ends.
Nothing is disabled: cycles are still collected, only in larger steps.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 50_000  # net allocations between young collections while linting (CPython: 700)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def relaxed() -> Iterator[None]:
    """Raise the young generation's threshold to :data:`YOUNG` for the block (where it is
    lower and not 0: a host that turned collection off or set its own higher value keeps it)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            threshold = gc.get_threshold()
            if 0 < threshold[0] < YOUNG:
                _saved = threshold
                gc.set_threshold(YOUNG, threshold[1], threshold[2])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
