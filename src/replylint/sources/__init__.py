"""Readers: files (and stdin) in, drafts with exact offset maps out (DESIGN.md §1).

Readers know formats; nothing else does. Each reader turns one file's decoded text into drafts
whose offset map points back into that text, and knows the format's comment syntax for
suppression comments.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..suppress import Style
from .base import Draft, ReadOptions, SourceError, decode
from .collections import read_csv, read_json, read_yaml
from .email import read_email
from .html import read_html
from .markdown import read_markdown
from .text import read_text

Reader = Callable[[str, str, ReadOptions | None], list[Draft]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".eml": read_email,
    ".json": read_json,
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".csv": read_csv,
    ".tsv": read_csv,
}
# the comment syntax of suppression comments, per format
COMMENTS: dict[Reader, tuple[Style, ...]] = {
    read_text: ("hash",),
    read_markdown: ("html",),
    read_html: ("html",),
    read_email: ("hash", "html"),
    read_json: ("html",),
    read_yaml: ("hash",),
    read_csv: ("html",),
}
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox"}
STDIN = "-"

__all__ = [
    "READERS",
    "STDIN",
    "Draft",
    "Loaded",
    "ReadOptions",
    "SourceError",
    "comment_styles",
    "discover",
    "load_bytes",
    "load_path",
    "read_bytes",
    "read_path",
]


@dataclass(frozen=True)
class Loaded:
    """One file read: its decoded text, its drafts and its suppression comment syntax."""

    text: str
    drafts: list[Draft]
    comments: tuple[Style, ...]


def reader_for(name: str) -> Reader:
    return READERS.get(_suffix(name), read_text)


def _suffix(name: str) -> str:
    """``Path(name).suffix``, lower-cased, without building a Path."""
    base = os.path.basename(name)
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


def comment_styles(name: str) -> tuple[Style, ...]:
    """The comment syntax in which the file ``name`` carries suppression comments."""
    return COMMENTS.get(reader_for(name), ("hash",))


_MISSING = {errno.ENOENT, errno.ENOTDIR, errno.ELOOP}  # others say what they are


def discover(paths: list[str]) -> Iterator[tuple[str, str | None]]:
    """Yield ``(path, error)`` for every file to lint, in a stable order.

    A named file is always linted (as plain text when its extension is unknown); a directory
    yields the files below it that a reader knows, skipping hidden and tool folders.
    """
    for raw in paths:
        if raw == STDIN:
            yield raw, None
            continue
        problem = "no such file or directory"
        try:  # one stat, no Path: a hook or a warm run names thousands of files
            kind: int | None = os.stat(raw).st_mode
        except (OSError, ValueError) as exc:
            kind = None
            if isinstance(exc, OSError) and exc.errno not in _MISSING and exc.strerror:
                problem = exc.strerror[0].lower() + exc.strerror[1:]  # "permission denied"
        if kind is not None and stat.S_ISDIR(kind):
            found = False
            for root, dirs, files in os.walk(raw):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                base = str(Path(root))  # shown as pathlib shows it ("./a" is "a")
                for name in sorted(files):
                    if _suffix(name) in READERS and not name.startswith("."):
                        found = True
                        yield (name if base == "." else os.path.join(base, name)), None
            if not found:
                known = ", ".join(sorted(READERS))
                yield raw, f"no drafts found in this directory (looked for {known} files)"
        elif kind is not None:
            yield raw, None
        else:
            yield raw, problem


def load_bytes(name: str, data: bytes, options: ReadOptions | None = None) -> Loaded:
    """Read ``data``, the contents of the file called ``name``."""
    text = decode(data)
    reader = reader_for(name)
    return Loaded(text, reader(name, text, options), COMMENTS.get(reader, ("hash",)))


def load_path(name: str, options: ReadOptions | None = None) -> Loaded:
    try:
        data = Path(name).read_bytes()
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None
    return load_bytes(name, data, options)


def read_bytes(name: str, data: bytes, options: ReadOptions | None = None) -> list[Draft]:
    """Read drafts from ``data``, the contents of the file called ``name``."""
    return load_bytes(name, data, options).drafts


def read_path(name: str, options: ReadOptions | None = None) -> list[Draft]:
    return load_path(name, options).drafts
