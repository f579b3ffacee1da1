"""The result cache: findings and empathy profiles kept on disk, keyed by everything that
decides them.

Two kinds of entry share one store. A *file* entry holds a whole file's final findings
(placed in the file, suppressions and configuration applied) and its drafts' profiles under
the hash of its bytes, path, configuration and read options: an unchanged file is answered
without being read into drafts. A *draft* entry holds one draft's findings relative to the
draft, and its profile, under the hash of its text and customer message: the same reply
anywhere, in any file, reuses it (an edited macro file re-lints only the replies that
changed). Both keys include a *salt*: replylint's
version and source code, spaCy's version, the pipeline's name and version, the rule files'
contents, the selected rules and the placeholder patterns. Change any of them and everything
is linted again, so the cache is never wrong after an upgrade or an edit.

Every entry carries a checksum of its payload (:data:`CHECK_BYTES` bytes of BLAKE2b, in front
of the JSON), verified on read: an entry damaged on disk, or by anything that writes the
database behind replylint's back, is a miss even where it would still parse as valid findings
(a flipped digit in a line number would), so it is linted again and replaced.

The store is one SQLite database in the folder (``entries.sqlite3``, write-ahead logged).
(A file per entry cost more than the linting it saved on a first run: creating, renaming and
opening thousands of small files.)
New entries are kept in memory and written in one transaction every :data:`FLUSH_EVERY`
entries and when a run ends (:meth:`Cache.flush`). SQLite's locking makes concurrent runs
safe (pre-commit runs hooks in parallel): a writer waits for another's transaction, readers
never see half of one. A database that is locked too long only costs speed (its entries
are not written); one that is damaged is replaced by a new one on the next write.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from .models import DraftProfile, Finding, Profile

DEFAULT_DIR = ".replylint_cache"
DB_NAME = "entries.sqlite3"
FORMAT = "4"  # 3: entries carry a checksum; 4: and the profiles
CHECK_BYTES = 16  # of the BLAKE2b digest of an entry's payload, stored in front of it
FLUSH_EVERY = 512  # new entries written per transaction
LOCK_TIMEOUT = 10.0  # seconds a write waits for another run's transaction
BUSY_PAUSE = 60.0  # seconds the database is left alone after such a wait


def digest(parts: Iterable[str | bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        # surrogatepass: a lone surrogate (a str from the library may hold one) is still a key
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
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

        class DraftEntry(BaseModel):
            findings: list[Finding]
            profile: Profile

        class FileEntry(BaseModel):
            drafts: int
            findings: list[Finding]
            profiles: list[DraftProfile]

        _ADAPTERS["draft"] = TypeAdapter(DraftEntry)
        _ADAPTERS["file"] = TypeAdapter(FileEntry)
    return _ADAPTERS[kind]


_QUERY_KEYS = 500  # keys looked up per query (SQLite allows 999 parameters, or more)


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=CHECK_BYTES).digest()


def _seal(payload: bytes) -> bytes:
    """What is stored: the payload's checksum, then the payload."""
    return _checksum(payload) + payload


def _entry(kind: str, data: bytes | None) -> Any:
    """A stored entry verified and validated (None: missing, or damaged and so linted again,
    and replaced)."""
    if data is None or len(data) <= CHECK_BYTES:
        return None
    payload = data[CHECK_BYTES:]
    if not payload.startswith(b"{"):
        return None
    if data[:CHECK_BYTES] != _checksum(payload):
        return None
    try:
        return _adapter(kind).validate_json(payload)
    except ValueError:
        return None


class Cache:
    """Draft-relative findings on disk under ``folder``, for one salt. Safe to share between
    threads; a forked process opens its own connection."""

    def __init__(self, folder: str | Path, salt: str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / DB_NAME
        self.salt = salt
        self._pending: dict[str, bytes] = {}  # entries not yet written
        self._lock = threading.Lock()
        self._db: Any = None  # the connection, opened on first use
        self._pid = 0  # the process that opened it (a connection must not cross a fork)
        self._table = False  # the entries table is known to exist
        self._damaged = False
        self._busy_until = 0.0  # after a lock timeout, the database is left alone a while

    def key(self, text: str, customer: str | None, skip: tuple[str, ...] = ()) -> str:
        """A draft's key: its text, its customer's message, and the rules its channel turns
        off (``skip``; none for most)."""
        parts = [FORMAT, self.salt, text, "\0" if customer is None else "\1" + customer]
        return digest([*parts, "\2", *skip] if skip else parts)

    def file_key(self, parts: Iterable[str | bytes]) -> str:
        """The key of a whole file's findings: its bytes and everything else that decides
        them (path, configuration, read options), given by the caller."""
        return digest([FORMAT, "file", self.salt, *parts])

    def get(self, key: str) -> tuple[list[Finding], Profile] | None:
        """A draft's findings, relative to the draft, and its profile."""
        return self.get_many([key])[0]

    def get_many(self, keys: list[str]) -> list[tuple[list[Finding], Profile] | None]:
        """The findings of each draft, relative to it, and its profile (None: not cached), in
        one query."""
        out: list[tuple[list[Finding], Profile] | None] = []
        for data in self._read_many(keys):
            entry = _entry("draft", data)
            out.append(None if entry is None else (entry.findings, entry.profile))
        return out

    def put(self, key: str, findings: list[Finding], profile: Profile) -> None:
        self._write(key, {"findings": _dump(findings), "profile": profile.model_dump()})

    def get_files(
        self, keys: list[str]
    ) -> list[tuple[int, list[Finding], list[DraftProfile]] | None]:
        """Each file's number of drafts, final findings (placed in the file, suppressions and
        configuration applied) and drafts' profiles (None: not cached), in one query."""
        out: list[tuple[int, list[Finding], list[DraftProfile]] | None] = []
        for data in self._read_many(keys):
            entry = _entry("file", data)
            found = None if entry is None else (entry.drafts, entry.findings, entry.profiles)
            out.append(found)
        return out

    def put_file(
        self, key: str, drafts: int, findings: list[Finding], profiles: list[DraftProfile]
    ) -> None:
        self._write(
            key,
            {
                "drafts": drafts,
                "findings": _dump(findings),
                "profiles": [p.model_dump() for p in profiles],
            },
        )

    def _read_many(self, keys: list[str]) -> list[bytes | None]:
        """The stored bytes of each key, in a query per batch of keys (a query per key cost
        more than reading the file it answers for)."""
        import sqlite3

        with self._lock:
            found = {k: v for k in keys if (v := self._pending.get(k)) is not None}
            wanted = [k for k in dict.fromkeys(keys) if k not in found]
            db = self._connect(create=False) if wanted else None
            if db is not None:
                try:
                    for at in range(0, len(wanted), _QUERY_KEYS):
                        some = wanted[at : at + _QUERY_KEYS]
                        marks = ",".join("?" * len(some))
                        query = f"SELECT key, value FROM entries WHERE key IN ({marks})"
                        found.update((k, bytes(v)) for k, v in db.execute(query, some))
                except sqlite3.OperationalError as exc:
                    self._busy(exc)  # locked too long, or no table yet: lint
                except sqlite3.DatabaseError:
                    self._damaged = True  # replaced on the next write
        return [found.get(k) for k in keys]

    def _write(self, key: str, data: Any) -> None:
        try:
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:
            return  # a lone surrogate in the findings: not kept (only costs speed)
        body = _seal(body)
        with self._lock:
            self._pending[key] = body
            if len(self._pending) < FLUSH_EVERY:
                return
        self.flush()

    def flush(self) -> None:
        """Write the entries kept in memory, in one transaction."""
        import sqlite3

        with self._lock:
            if not self._pending:
                return
            rows = list(self._pending.items())
            self._pending.clear()
            for attempt in range(2):
                try:
                    db = self._connect(create=True)
                    if db is None:
                        return
                    db.execute("BEGIN IMMEDIATE")  # one transaction: all of them or none
                    try:
                        db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
                        db.execute("COMMIT")
                    except BaseException:
                        with contextlib.suppress(sqlite3.Error):
                            db.execute("ROLLBACK")
                        raise
                    return
                except sqlite3.OperationalError as exc:
                    self._busy(exc)
                    return  # locked too long, read-only or full: only costs speed
                except sqlite3.DatabaseError:
                    if attempt:
                        return
                    self._damaged = True  # replace it and write again

    def _connect(self, *, create: bool) -> Any:
        """The open database (None: there is none and ``create`` is false, or it cannot be
        opened). ``create``: make it, its folder and its table if need be, replacing a
        damaged one."""
        import sqlite3

        if self._db is not None and self._pid != os.getpid():
            self._db, self._table = None, False  # inherited across a fork: never used here
        if time.monotonic() < self._busy_until:
            return None
        if self._damaged and create:
            self._replace()
        try:
            if self._db is None:
                if create:
                    self._prepare()
                elif not self.path.exists():
                    return None
                db = sqlite3.connect(
                    self.path, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False
                )
                self._db, self._pid = db, os.getpid()
            if create and not self._table:
                self._db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(  # rowid: KB-sized values stay out of the key index
                    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
                )
                self._table = True
        except sqlite3.OperationalError as exc:
            self._busy(exc)
            return None  # locked too long, or read-only
        except sqlite3.DatabaseError:
            self._damaged = True
            return None
        except OSError:
            return None
        return self._db

    def _busy(self, exc: Exception) -> None:
        """After waiting :data:`LOCK_TIMEOUT` for another run's lock, lint without the
        database for :data:`BUSY_PAUSE` seconds rather than wait at every draft."""
        if "locked" in str(exc) or "busy" in str(exc):
            self._busy_until = time.monotonic() + BUSY_PAUSE

    def _replace(self) -> None:
        """Remove a damaged database (and its write-ahead log) for a new one."""
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db, self._table = None, False
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")
        self._damaged = False

    def close(self) -> None:
        """Write what is pending and close the database."""
        self.flush()
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db, self._table = None, False

    def _prepare(self) -> None:
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
        if not self.path.exists():
            _remove_old_entries(self.folder)


_OLD_ENTRY = re.compile(r"(?:[0-9a-f]{64}|\.tmp-.*)\.json")


def _remove_old_entries(folder: Path) -> None:
    """Entries of the file-per-entry cache this store replaced (``ab/ab….json``): never read
    again, so removed when the database is first made."""
    for sub in folder.glob("[0-9a-f][0-9a-f]"):
        if not sub.is_dir():
            continue
        for entry in sub.iterdir():
            if _OLD_ENTRY.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    entry.unlink()
        with contextlib.suppress(OSError):
            sub.rmdir()  # only if nothing else is in it
