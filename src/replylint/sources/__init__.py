"""Readers: files (and stdin) in, drafts with exact offset maps out (ARCHITECTURE.md).

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
from typing import BinaryIO

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
    ".json": ("json", "read_json", ("html",)),
    ".yaml": ("yaml", "read_yaml", ("hash",)),
    ".yml": ("yaml", "read_yaml", ("hash",)),
    ".csv": ("csv", "read_csv", ("html",)),
    ".tsv": ("csv", "read_csv", ("html",)),
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
    "Skipped",
    "SourceError",
    "comment_styles",
    "discover",
    "load_bytes",
    "load_path",
    "read_bytes",
    "read_file",
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


_MISSING = {errno.ENOENT, errno.ENOTDIR}  # others say what they are
MAX_WHOLE_BYTES = 64 << 20  # files read whole (all but big CSV/TSV) are at most this big


class Skipped(str):
    """Why a file found in a walked folder is not linted (a FIFO, a socket, a device): not an
    error, but said on standard error. ``discover`` yields it in place of an error."""


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file or a directory is, or None for those two."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def _not_found(path: str, exc: OSError) -> str:
    """Why ``path`` (whose stat failed with ``exc``) cannot be read, in a few words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (too many levels of symbolic links), not a file"
    if exc.errno in _MISSING:
        if os.path.islink(path):
            return f"broken symbolic link (its target {os.readlink(path)!r} does not exist)"
        return "no such file or directory"
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]  # "permission denied"
    return str(exc)


def _walk(top: str) -> Iterator[tuple[str, str | None]]:
    """The files below the folder ``top`` a reader knows, in a stable order (a folder's files,
    then each of its folders, by name), skipping hidden and tool folders; symbolic links to
    folders are not followed. A special file is :class:`Skipped`; a broken or looping symbolic
    link, or a folder that cannot be listed, is an error."""
    stack = [top]
    while stack:
        root = stack.pop()
        base = str(Path(root))  # shown as pathlib shows it ("./a" is "a")
        try:
            with os.scandir(root) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield base, _not_found(root, exc)
            continue
        dirs: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            shown = name if base == "." else os.path.join(base, name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS:
                        dirs.append(entry.path)
                    continue
                if _suffix(name) not in FORMATS:
                    continue
                if entry.is_file(follow_symlinks=False):
                    yield shown, None
                    continue
                mode = entry.stat().st_mode  # a symbolic link's target, or a special file
            except OSError as exc:
                yield shown, _not_found(entry.path, exc)
                continue
            if stat.S_ISDIR(mode):
                continue  # a link to a folder: not followed (as os.walk)
            kind = special_kind(mode)
            yield shown, None if kind is None else Skipped(f"skipped: {kind}, not a regular file")
        stack.extend(reversed(dirs))


def discover(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Yield ``(path, error)`` for every file to lint, in a stable order.

    A named file is always linted (as plain text when its extension is unknown); a directory
    yields the files below it that a reader knows, skipping hidden and tool folders. A named
    file that is not a regular file (a FIFO, a device) is an error; one found in a folder is
    yielded with a :class:`Skipped` reason instead of an error.
    """
    for raw in paths:
        if raw == STDIN:
            yield raw, None
            continue
        try:  # one stat, no Path: a hook or a warm run names thousands of files
            mode = os.stat(raw).st_mode
        except (OSError, ValueError) as exc:
            yield raw, _not_found(raw, exc) if isinstance(exc, OSError) else str(exc)
            continue
        if stat.S_ISDIR(mode):
            found = False
            for path, error in _walk(raw):
                found = found or not isinstance(error, Skipped)
                yield path, error
            if not found:
                known = ", ".join(sorted(FORMATS))
                yield raw, f"no drafts found in this directory (looked for {known} files)"
            continue
        kind = special_kind(mode)
        yield raw, None if kind is None else f"{kind}, not a regular file: not read"


def read_file(path: str) -> bytes:
    """The bytes of the regular file ``path``, read whole; a SourceError (one line) for a file
    that cannot be read, is not a regular file (checked on the open file: a FIFO is never
    waited on), or is over :data:`MAX_WHOLE_BYTES`."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except OSError as exc:
        raise SourceError(_not_found(path, exc)) from None
    with open(fd, "rb") as f:
        try:
            st = os.fstat(fd)
            kind = special_kind(st.st_mode)
            if stat.S_ISDIR(st.st_mode):
                raise SourceError("is a directory")
            if kind is not None:
                raise SourceError(f"{kind}, not a regular file: not read")
            if st.st_size > MAX_WHOLE_BYTES:
                raise SourceError(too_big(st.st_size))
            return f.read(MAX_WHOLE_BYTES + 1)
        except OSError as exc:
            raise SourceError(exc.strerror or str(exc)) from None


def read_stream(f: BinaryIO) -> bytes:
    """All of ``f`` (standard input), up to :data:`MAX_WHOLE_BYTES`: more is a SourceError."""
    data = f.read(MAX_WHOLE_BYTES + 1)
    if len(data) > MAX_WHOLE_BYTES:
        raise SourceError(too_big(len(data), more=True))
    return data


def too_big(size: int, *, more: bool = False) -> str:
    mib = size / (1 << 20)
    return (
        f"{'more than ' if more else ''}{mib:,.0f} MiB, more than the {MAX_WHOLE_BYTES >> 20} MiB "
        "replylint reads whole (only CSV/TSV files are read in chunks): split the file"
    )


def load_bytes(name: str, data: bytes, options: ReadOptions | None = None) -> Loaded:
    """Read ``data``, the contents of the file called ``name``."""
    text = decode(data)
    return Loaded(text, reader_for(name)(name, text, options), comment_styles(name))


def load_path(name: str, options: ReadOptions | None = None) -> Loaded:
    return load_bytes(name, read_file(name), options)


def read_bytes(name: str, data: bytes, options: ReadOptions | None = None) -> list[Draft]:
    """Read drafts from ``data``, the contents of the file called ``name``."""
    return load_bytes(name, data, options).drafts


def read_path(name: str, options: ReadOptions | None = None) -> list[Draft]:
    return load_path(name, options).drafts
