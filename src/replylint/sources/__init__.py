"""Readers: files (and stdin) in, drafts with exact offset maps out (DESIGN.md §1).

Readers know formats; nothing else does. Each reader turns one file's text into drafts whose
offset map points back into that text.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .base import Draft, SourceError, decode
from .text import read_text

Reader = Callable[[str, str], list[Draft]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
}
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox"}
STDIN = "-"

__all__ = ["READERS", "STDIN", "Draft", "SourceError", "discover", "read_bytes", "read_path"]


def discover(paths: list[str]) -> Iterator[tuple[str, str | None]]:
    """Yield ``(path, error)`` for every file to lint, in a stable order.

    A named file is always linted (as plain text when its extension is unknown); a directory
    yields the files below it that a reader knows, skipping hidden and tool folders.
    """
    for raw in paths:
        if raw == STDIN:
            yield raw, None
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if Path(name).suffix.lower() in READERS and not name.startswith("."):
                        found = True
                        yield str(Path(root) / name), None
            if not found:
                known = ", ".join(sorted(READERS))
                yield raw, f"no drafts found in this directory (looked for {known} files)"
        elif path.exists():
            yield raw, None
        else:
            yield raw, "no such file or directory"


def read_bytes(name: str, data: bytes) -> list[Draft]:
    """Read drafts from ``data``, the contents of the file called ``name``."""
    text = decode(data)
    reader = READERS.get(Path(name).suffix.lower(), read_text)
    return reader(name, text)


def read_path(name: str) -> list[Draft]:
    try:
        data = Path(name).read_bytes()
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None
    return read_bytes(name, data)
