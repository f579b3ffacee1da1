"""The result cache: findings kept on disk, keyed by everything that decides them.

Two kinds of entry share one folder. A *file* entry holds a whole file's final findings
(placed in the file, suppressions and configuration applied) under the hash of its bytes,
path, configuration and read options: an unchanged file is answered without being read into
drafts. A *draft* entry holds one draft's findings relative to the draft, under the hash of
its text and customer message: the same reply anywhere, in any file, reuses it (an edited
macro file re-lints only the replies that changed). Both keys include a *salt*: replylint's
version and source code, spaCy's version, the pipeline's name and version, the rule files'
contents, the selected rules and the placeholder patterns. Change any of them and everything
is linted again, so the cache is never wrong after an upgrade or an edit; a damaged entry
fails validation and is linted again.

Each entry is its own file, written to a temporary name and renamed into place: concurrent
runs (pre-commit runs hooks in parallel) never see half an entry, and at worst both write the
same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .models import Finding

DEFAULT_DIR = ".replylint_cache"
FORMAT = "2"


def digest(parts: Iterable[str | bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def code_digest() -> str:
    """The hash of replylint's own source files (a development checkout changes without a
    version bump)."""
    here = Path(__file__).resolve().parent
    files = sorted(p for p in here.rglob("*.py"))
    return digest(b for p in files for b in (str(p.relative_to(here)).encode(), p.read_bytes()))


def folder_digest(folders: Iterable[Path]) -> str:
    """The hash of every YAML file in the rule folders."""
    parts: list[bytes] = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            parts += [path.name.encode(), path.read_bytes()]
    return digest(parts)


def _dump(findings: list[Finding]) -> list[dict[str, Any]]:
    out = []
    for f in findings:
        body = f.model_dump(mode="json")
        body["start"], body["end"] = f.start, f.end
        for dumped, s in zip(body["suggestions"], f.suggestions, strict=True):
            dumped["start"], dumped["end"] = s.start, s.end
        out.append(body)
    return out


_ADAPTERS: dict[str, Any] = {}


def _adapter(kind: str) -> Any:
    """Validators of the two kinds of entry, built on first use (pydantic parses the JSON
    bytes and validates in one pass)."""
    if kind not in _ADAPTERS:
        from pydantic import BaseModel, TypeAdapter

        class FileEntry(BaseModel):
            drafts: int
            findings: list[Finding]

        _ADAPTERS["draft"] = TypeAdapter(list[Finding])
        _ADAPTERS["file"] = TypeAdapter(FileEntry)
    return _ADAPTERS[kind]


class Cache:
    """Draft-relative findings on disk under ``folder``, for one salt."""

    def __init__(self, folder: str | Path, salt: str) -> None:
        self.folder = Path(folder)
        self._root = str(self.folder)  # entries' paths are joined as strings (no Path each)
        self.salt = salt
        self._ready = False

    def key(self, text: str, customer: str | None) -> str:
        return digest([FORMAT, self.salt, text, "\0" if customer is None else "\1" + customer])

    def _path(self, key: str) -> str:
        return os.path.join(self._root, key[:2], key + ".json")

    def file_key(self, parts: Iterable[str | bytes]) -> str:
        """The key of a whole file's findings: its bytes and everything else that decides
        them (path, configuration, read options), given by the caller."""
        return digest([FORMAT, "file", self.salt, *parts])

    def get(self, key: str) -> list[Finding] | None:
        """A draft's findings, relative to the draft."""
        data = self._read(key)
        if data is None or not data.startswith(b"["):
            return None
        try:
            found: list[Finding] = _adapter("draft").validate_json(data)
        except ValueError:
            return None  # damaged: lint again
        return found

    def put(self, key: str, findings: list[Finding]) -> None:
        self._write(key, _dump(findings))

    def get_file(self, key: str) -> tuple[int, list[Finding]] | None:
        """A file's number of drafts and final findings (placed in the file, suppressions
        and configuration applied)."""
        data = self._read(key)
        if data is None or not data.startswith(b"{"):
            return None
        try:
            entry = _adapter("file").validate_json(data)
        except ValueError:
            return None
        return entry.drafts, entry.findings

    def put_file(self, key: str, drafts: int, findings: list[Finding]) -> None:
        self._write(key, {"drafts": drafts, "findings": _dump(findings)})

    def _read(self, key: str) -> bytes | None:
        try:
            with open(self._path(key), "rb") as f:
                return f.read()
        except OSError:
            return None  # missing: lint

    def _write(self, key: str, data: Any) -> None:
        path = self._path(key)
        try:
            self._prepare()
            folder = os.path.dirname(path)
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full disk only costs speed

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in (
            (".gitignore", "# created by replylint\n*\n"),
            (
                "CACHEDIR.TAG",
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# replylint's cache: safe to delete.\n",
            ),
        ):
            marker = self.folder / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        self._ready = True
