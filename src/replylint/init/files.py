"""Writing a file init sets up: read whole, added to in its own line endings, written
atomically (a temporary file in the same folder, then a rename, keeping the mode)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class InitError(Exception):
    """A file cannot be set up; the message is one line naming it."""


def newline_of(data: bytes) -> str:
    """The file's line ending (its first one; ``\\n`` when it has none)."""
    i = data.find(b"\n")
    return "\r\n" if i > 0 and data[i - 1 : i] == b"\r" else "\n"


def read_file(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
        return data, data.decode("utf-8-sig")
    except OSError as exc:
        raise InitError(f"{path.name}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InitError(f"{path.name}: cannot read it: not UTF-8") from None


def appended(data: bytes, addition: str) -> bytes:
    """``data`` unchanged, then ``addition`` after a blank line, in the file's line endings."""
    newline = newline_of(data)
    text = addition.replace("\n", newline)
    if not data:
        return text.encode("utf-8")
    if not data.endswith(b"\n"):
        text = newline + text
    if not data.endswith(newline.encode() * 2) and data.strip():
        text = newline + text
    return data + text.encode("utf-8")


@dataclass
class Action:
    """What init did with one file (or why not)."""

    path: str
    done: str  # "wrote", "appended to", "replaced in", "kept", "failed"
    detail: str

    def __str__(self) -> str:
        return f"{self.done} {self.path}: {self.detail}"
