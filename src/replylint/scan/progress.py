"""The scan's progress line on a terminal: replies done, rows a second and the time left."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
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
