"""The output folder: the manifest (``_replylint.json``), the part files, each written to a
temporary name and renamed, and which parts an earlier run finished."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import write_with
from .archive import first_line
from .options import ScanError, ScanResult

MANIFEST = "_replylint.json"
_PART = re.compile(r"part-(\d{12})-(\d{12})\.parquet")
_RUN_KEYS = (  # what must match for a scan to be resumed
    "input",
    "input_bytes",
    "text_field",
    "customer_field",
    "id_field",
    "keep",
    "part_rows",
    "max_chars",
    "channel",
    "config_hash",
    "replylint_version",
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_json(path: Path, data: dict[str, Any]) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")

    write_with(path, write)


def write_part(path: Path, table: pa.Table, start: int, end: int) -> None:
    meta = dict(table.schema.metadata or {})
    meta[b"replylint.rows"] = f"{start}-{end}".encode()
    table = table.replace_schema_metadata(meta)
    write_with(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


class Output:
    def __init__(self, out: str, manifest: dict[str, Any]) -> None:
        self.root = Path(out)
        self.replies = self.root / "replies"
        self.findings = self.root / "findings"
        self.manifest = manifest
        try:
            self._prepare()
        except OSError as exc:
            raise ScanError(f"{out}: cannot write: {exc.strerror or exc}") from None

    def _prepare(self) -> None:
        path = self.root / MANIFEST
        if path.exists():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ScanError(f"{path}: unreadable ({first_line(exc)})") from None
            changed = [k for k in _RUN_KEYS if old.get(k) != self.manifest.get(k)]
            if changed:
                raise ScanError(
                    f"{self.root}: holds a scan with other {', '.join(changed)}; "
                    "give another --out folder, or delete this one"
                )
            self.manifest["started"] = old.get("started", self.manifest["started"])
        elif self.root.exists() and any(self.root.iterdir()):
            raise ScanError(f"{self.root}: not empty and not a replylint scan folder ({MANIFEST})")
        self.root.mkdir(parents=True, exist_ok=True)
        for folder in (self.replies, self.findings):
            folder.mkdir(exist_ok=True)
            for stale in folder.glob(".part-*.tmp"):  # a part a killed run was writing
                stale.unlink()
        self.manifest["finished"] = None
        write_json(path, self.manifest)

    def done(self) -> dict[int, int]:
        """Complete parts: start row -> end row (both files present)."""
        found: dict[int, int] = {}
        for p in self.replies.glob("part-*.parquet"):
            m = _PART.fullmatch(p.name)
            if m and (self.findings / p.name).exists():
                found[int(m[1])] = int(m[2])
        return found

    def write(self, start: int, end: int, replies: pa.Table, findings: pa.Table) -> None:
        name = f"part-{start:012d}-{end:012d}.parquet"
        try:
            write_part(self.findings / name, findings, start, end)
            write_part(self.replies / name, replies, start, end)  # last: the part is done
        except OSError as exc:
            raise ScanError(f"{self.root}: cannot write: {exc.strerror or exc}") from None

    def finish(self, result: ScanResult) -> None:
        self.manifest.update(
            finished=now(), rows=result.rows, parts=result.parts + result.kept_parts
        )
        write_json(self.root / MANIFEST, self.manifest)
