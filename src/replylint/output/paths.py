"""File paths as CI systems want them: relative to the current directory (the checkout)."""

from __future__ import annotations

from pathlib import Path


def relative_posix(path: str) -> str:
    """``path`` relative to the current directory with ``/`` separators when it is below it,
    else as given (with ``/`` separators)."""
    p = Path(path)
    if path.startswith("<"):  # <stdin>
        return path
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # (RuntimeError: a symbolic link loop)
        return p.as_posix()
