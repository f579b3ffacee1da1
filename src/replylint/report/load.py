"""Reading a scan's output: ``DIR/replies`` and ``DIR/findings`` (the schema of
:mod:`replylint.frame`) with only the columns the report needs (never the nested ``findings``
list), checked to be a scan's output of the schema this replylint writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from ..frame import FINDING_COLUMNS, REPLY_COLUMNS, SCHEMA_VERSION

COUNT_COLUMNS = ["n_info", "n_warning", "n_error"]
REQUIRED_REPLY_COLUMNS = ["error", *COUNT_COLUMNS]
REQUIRED_FINDING_COLUMNS = ["rule", "severity", "excerpt"]
FINDING_READ = ["rule", "severity", "category", "excerpt", "message", "suggestion", "applicability"]


class ReportError(Exception):
    """A scan directory or option the report cannot use; the message is one line."""


@dataclass
class Scan:
    """The two tables of a scan's output and its metadata, as read from DIR."""

    replies: pa.Table
    findings: pa.Table
    meta: dict[str, Any]
    path: str


def is_key(name: str) -> bool:
    """Whether ``name`` is one of the caller's key columns (not a column the scan adds)."""
    return name not in REPLY_COLUMNS and not (name.startswith("n_") and name not in COUNT_COLUMNS)


def load_scan(directory: str | Path) -> Scan:
    """Read a ``replylint scan --out DIR``; a :class:`ReportError` if DIR is not one."""
    root = Path(directory)
    if not root.is_dir():
        raise ReportError(f"{root}: not a directory (give the DIR written by replylint scan --out)")
    meta_path = root / "_replylint.json"
    missing = [
        str(p.relative_to(root))
        for p in (meta_path, root / "replies", root / "findings")
        if not p.exists()
    ]
    if missing:
        raise ReportError(
            f"{root}: not a replylint scan output (no {', '.join(missing)}; "
            "run replylint scan ... --out DIR first)"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{meta_path}: unreadable metadata ({exc})") from None
    if not isinstance(meta, dict):
        raise ReportError(f"{meta_path}: metadata is not a JSON object")
    version = str(meta.get("schema_version"))
    if version != SCHEMA_VERSION:
        raise ReportError(
            f"{meta_path}: schema_version {version!r}; this replylint reads schema "
            f"{SCHEMA_VERSION!r}"
        )
    replies = _read(root / "replies", reply=True)
    findings = _read(root / "findings", reply=False)
    return Scan(replies=replies, findings=findings, meta=meta, path=str(root))


def _read(folder: Path, *, reply: bool) -> pa.Table:
    try:
        dataset = ds.dataset(folder, format="parquet", partitioning="hive")
        names = dataset.schema.names
        required = REQUIRED_REPLY_COLUMNS if reply else REQUIRED_FINDING_COLUMNS
        if absent := [c for c in required if c not in names]:
            raise ReportError(
                f"{folder}: not a replylint scan dataset (no column {', '.join(absent)})"
            )
        if reply:
            # everything but the nested findings: the findings dataset has them flat
            columns = [c for c in names if c != "findings"]
        else:
            columns = [c for c in names if c in FINDING_READ or is_key(c)]
            columns = [c for c in columns if c not in FINDING_COLUMNS or c in FINDING_READ]
        return dataset.to_table(columns=columns)
    except ReportError:
        raise
    except (OSError, pa.ArrowException) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"{folder}: unreadable Parquet ({first})") from None
