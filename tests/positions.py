"""Reading a finding's position back from the file, independently of replylint: the tests'
own definition of 1-based lines and code-point columns (lines end at \\r\\n, \\r or \\n)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

EOL = re.compile(r"\r\n|\r|\n")


def decoded(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def offset(text: str, line: int, column: int) -> int:
    """1-based (line, column) in code points to an offset into ``text``."""
    starts = [0] + [m.end() for m in EOL.finditer(text)]
    assert 1 <= line <= len(starts), (line, len(starts))
    start = starts[line - 1]
    line_end = EOL.search(text, start)
    length = (line_end.start() if line_end else len(text)) - start
    assert 1 <= column <= length + 1, (line, column, length)
    return start + column - 1


def read_back(text: str, pos: Any) -> str:
    """The text between a finding's (or suggestion's) start and end positions."""
    p = pos if isinstance(pos, dict) else pos.model_dump()
    start = offset(text, p["line"], p["column"])
    end = offset(text, p["end_line"], p["end_column"])
    assert start <= end, p
    return text[start:end]
