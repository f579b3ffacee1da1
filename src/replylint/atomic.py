"""Writing a file atomically: a temporary file beside it, synced, then renamed over it, so the
file is either whole or as it was. An existing file keeps its mode; a new one gets the mode the
umask allows. (``fix`` has its own, which also guards against signals and concurrent edits.)"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_with(path: Path, write: Callable[[str], None]) -> None:
    """``write(a temporary path)`` beside ``path``, then rename it to ``path``."""
    mode = _mode(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""

    def write(tmp: str) -> None:
        Path(tmp).write_bytes(data)

    write_with(path, write)
