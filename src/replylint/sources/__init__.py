"""Readers: files (and stdin) in, drafts with exact offset maps out (DESIGN.md §1).

Readers know formats; nothing else does. Each reader turns one file's decoded text into drafts
whose offset map points back into that text, and knows the format's comment syntax for
suppression comments.
"""

from __future__ import annotations

import errno
import importlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..suppress import Style
from .base import Draft, ReadOptions, SourceError, decode

Reader = Callable[[str, str, ReadOptions | None], list[Draft]]

# a suffix: the module of its reader (imported on first use: a run over text files, or one the
# cache answers, never imports the HTML, e-mail, YAML or CSV readers), the reader, and the
# comment syntax of suppression comments in such files
FORMATS: dict[str, tuple[str, str, tuple[Style, ...]]] = {
    ".txt": ("text", "read_text", ("hash",)),
    ".text": ("text", "read_text", ("hash",)),
    ".md": ("markdown", "read_markdown", ("html",)),
    ".markdown": ("markdown", "read_markdown", ("html",)),
    ".html": ("html", "read_html", ("html",)),
    ".htm": ("html", "read_html", ("html",)),
    ".eml": ("email", "read_email", ("hash", "html")),
    ".json": ("collections", "read_json", ("html",)),
    ".yaml": ("collections", "read_yaml", ("hash",)),
    ".yml": ("collections", "read_yaml", ("hash",)),
    ".csv": ("collections", "read_csv", ("html",)),
    ".tsv": ("collections", "read_csv", ("html",)),
}
_PLAIN = FORMATS[".txt"]  # a file with an unknown suffix is read as text
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox"}
STDIN = "-"

__all__ = [
    "FORMATS",
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
    module, function, _ = FORMATS.get(_suffix(name), _PLAIN)
    reader: Reader = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return reader


def is_csv(name: str) -> bool:
    """Whether the file ``name`` is read as CSV or TSV."""
    return FORMATS.get(_suffix(name), _PLAIN)[1] == "read_csv"


def _suffix(name: str) -> str:
    """``Path(name).suffix``, lower-cased, without building a Path."""
    base = os.path.basename(name)
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


def comment_styles(name: str) -> tuple[Style, ...]:
    """The comment syntax in which the file ``name`` carries suppression comments."""
    return FORMATS.get(_suffix(name), _PLAIN)[2]


_MISSING = {errno.ENOENT, errno.ENOTDIR, errno.ELOOP}  # others say what they are


def discover(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
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
                    if _suffix(name) in FORMATS and not name.startswith("."):
                        found = True
                        yield (name if base == "." else os.path.join(base, name)), None
            if not found:
                known = ", ".join(sorted(FORMATS))
                yield raw, f"no drafts found in this directory (looked for {known} files)"
        elif kind is not None:
            yield raw, None
        else:
            yield raw, problem


def load_bytes(name: str, data: bytes, options: ReadOptions | None = None) -> Loaded:
    """Read ``data``, the contents of the file called ``name``."""
    text = decode(data)
    return Loaded(text, reader_for(name)(name, text, options), comment_styles(name))


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
