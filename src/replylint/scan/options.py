"""What a scan is asked to do and what it did, and the error that stops it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Config
from ..frame import DEFAULT_MAX_CHARS

PART_ROWS = 10_000  # input rows per part file (the unit of resuming)


class ScanError(Exception):
    """A one-line message naming the file (the command line shows it and exits with 2)."""


@dataclass
class ScanOptions:
    archive: str
    out: str
    text: str
    id: str
    customer: str | None = None
    keep: tuple[str, ...] = ()
    config: Config = field(default_factory=Config)
    jobs: int = 1
    part_rows: int = PART_ROWS
    max_chars: int = DEFAULT_MAX_CHARS
    channel: str = "auto"


@dataclass
class ScanResult:
    rows: int = 0  # replies in the output
    linted: int = 0  # … linted by this run (the rest were kept from an earlier one)
    findings: int = 0  # findings written by this run
    errors: int = 0  # bad rows written by this run
    parts: int = 0
    kept_parts: int = 0
    seconds: float = 0.0
