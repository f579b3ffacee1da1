"""The result cache: a draft's findings kept on disk, keyed by everything that decides them.

A key is the hash of the draft's text and customer message plus a *salt*: replylint's version
and source code, spaCy's version, the pipeline's name and version, the rule files' contents,
the selected rules and the placeholder patterns. Change any of them and every draft is linted
again, so the cache is never wrong after an upgrade or an edit. Entries are draft-relative
(offsets into the draft), so the same reply anywhere in any file reuses them.

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

from .models import Finding, Suggestion

DEFAULT_DIR = ".replylint_cache"
FORMAT = "1"


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
    return [
        {
            "finding": f.model_dump(mode="json"),
            "span": [f.start, f.end],
            "suggestions": [[s.start, s.end] for s in f.suggestions],
        }
        for f in findings
    ]


def _load(data: list[dict[str, Any]]) -> list[Finding]:
    out = []
    for item in data:
        body = dict(item["finding"])
        start, end = item["span"]
        body["suggestions"] = [
            Suggestion(**s, start=a, end=b)
            for s, (a, b) in zip(body["suggestions"], item["suggestions"], strict=True)
        ]
        out.append(Finding(**body, start=start, end=end))
    return out


class Cache:
    """Draft-relative findings on disk under ``folder``, for one salt."""

    def __init__(self, folder: str | Path, salt: str) -> None:
        self.folder = Path(folder)
        self.salt = salt
        self._ready = False

    def key(self, text: str, customer: str | None) -> str:
        return digest([FORMAT, self.salt, text, "\0" if customer is None else "\1" + customer])

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Finding] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return _load(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, or unreadable: lint again

    def put(self, key: str, findings: list[Finding]) -> None:
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(_dump(findings), fh, ensure_ascii=False)
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
