"""The compiled rule book's data kept on disk between runs, like Python's ``__pycache__``: the
phrase trie (some 370,000 edges, most of the cost of compiling the rule book), the regexes
(pickled with their compiled code by the ``regex`` package, so loading them parses nothing)
and their needles. A cold ``replylint check`` spent about half a second building them.

An entry is keyed by everything it is built from: the specs' phrases and regexes (each under
its key, in order: a rule file's edit is a new key), the pipeline's tokenizer (its rules, name,
version and language), replylint's version and source code, and the versions of Python,
spaCy and ``regex``. Its payload is checked (BLAKE2b) before it is unpickled: a damaged or
truncated file is rebuilt and replaced, never used. Entries are written atomically (a
temporary file renamed over the entry); only the :data:`KEEP` most recent are kept.

This is not the findings cache (``cache.py``): it holds nothing about any draft, and
``--no-cache`` leaves it on. Where it lives: ``$REPLYLINT_RULEBOOK_CACHE`` (a folder, or
``off`` to neither read nor write it), else ``replylint`` in ``$XDG_CACHE_HOME`` or
``~/.cache``. Any error reading or writing it only costs the time to compile.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..__about__ import __version__
from ..cache import code_digest, digest
from ..matching import PhraseTrie
from ..models import MatchSpec

if TYPE_CHECKING:
    from spacy.language import Language

ENV = "REPLYLINT_RULEBOOK_CACHE"
FORMAT = "1"
MAGIC = b"replylint-rulebook " + FORMAT.encode() + b"\n"
CHECK_BYTES = 32  # of the BLAKE2b digest of the payload, stored after the magic line
KEEP = 4  # entries kept in the folder (each rule-book edit makes a new one)
PREFIX = "rulebook-"


def folder() -> Path | None:
    """Where entries are kept; None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "0", "off", "no", "false") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "replylint"


def key_of(nlp: Language, specs: Iterable[tuple[str, MatchSpec]]) -> str:
    """The entry's key: every input of the data it holds (see the module's docstring)."""
    import regex
    import spacy

    meta = nlp.meta
    tokenizer: Any = nlp.tokenizer
    parts: list[str | bytes] = [
        FORMAT,
        __version__,
        code_digest(),
        sys.version,
        str(getattr(spacy, "__version__", "?")),
        str(getattr(regex, "__version__", "?")),
        str(nlp.lang),
        str(meta.get("name")),
        str(meta.get("version")),
        hashlib.sha256(tokenizer.to_bytes(exclude=["vocab"])).hexdigest(),
    ]
    for key, spec in specs:
        parts += [key, str(len(spec.phrases)), *spec.phrases, str(len(spec.regex)), *spec.regex]
    return digest(parts)


def _path(key: str) -> Path | None:
    where = folder()
    return None if where is None else where / f"{PREFIX}{key[:40]}.pickle"


def load(key: str) -> dict[str, Any] | None:
    """The data stored under ``key``, or None (no entry, off, damaged, unreadable)."""
    path = _path(key)
    if path is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    check, payload = blob[head : head + CHECK_BYTES], blob[head + CHECK_BYTES :]
    if blob[:head] != MAGIC or hashlib.blake2b(payload).digest()[:CHECK_BYTES] != check:
        return None
    try:
        with _no_collection():  # a collection while loading only walks what it is building
            data = pickle.loads(payload)
    except Exception:  # a payload of another build that passed the check: rebuild
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: the last to be pruned
    return data


def store(key: str, data: dict[str, Any]) -> None:
    """Write ``data`` under ``key`` atomically, and drop all but the :data:`KEEP` newest
    entries. Errors are ignored (a read-only or full disk costs only the compile)."""
    path = _path(key)
    if path is None:
        return
    trie = data["trie"]
    if isinstance(trie, PhraseTrie):  # the trie's ends hold a few thousand distinct tuples
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        flat = PhraseTrie()
        flat.edges, flat._nodes = trie.edges, trie._nodes
        flat.ends = {node: shared.setdefault(keys, keys) for node, keys in trie.ends.items()}
        data = {**data, "trie": flat}  # pickled once each: loaded as a few thousand objects
    payload = pickle.dumps({**data, "key": key}, protocol=pickle.HIGHEST_PROTOCOL)
    check = hashlib.blake2b(payload).digest()[:CHECK_BYTES]
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{PREFIX}", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + check + payload)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _prune(where: Path) -> None:
    """Remove all but the :data:`KEEP` most recently written entries."""
    entries = []
    for p in where.glob(f"{PREFIX}*.pickle"):
        try:
            entries.append((p.stat().st_mtime_ns, p))
        except OSError:
            continue
    for _, p in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            p.unlink()
