"""The result cache and worker processes: same findings, less work, never stale."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from replylint import Linter
from replylint import cache as cache_module
from replylint.cache import Cache
from replylint.cli import main
from replylint.evaluate import load_corpus
from replylint.rulebook import load_rulebook

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = load_corpus(CORPUS, load_rulebook())[:80]
ITEMS = [(c.text, c.customer) for c in CASES]


def _dump(reports):  # type: ignore[no-untyped-def]
    """Each report's findings (with their offsets) and profile: what the cache must give back."""
    out = []
    for r in reports:
        assert r.profile is not None
        findings = [f.model_dump() | {"start": f.start, "end": f.end} for f in r.findings]
        out.append({"findings": findings, "profile": r.profile.model_dump()})
    return out


def _entries(folder: Path) -> dict[str, bytes]:
    """Every entry in a cache folder's database, read by SQLite itself."""
    with sqlite3.connect(folder / cache_module.DB_NAME) as db:
        return {k: bytes(v) for k, v in db.execute("SELECT key, value FROM entries")}


def _payload(value: bytes) -> bytes:
    """A stored entry's JSON, its checksum verified."""
    check, payload = value[: cache_module.CHECK_BYTES], value[cache_module.CHECK_BYTES :]
    assert hashlib.blake2b(payload, digest_size=cache_module.CHECK_BYTES).digest() == check
    return payload


def test_cached_results_equal_fresh_ones_and_skip_the_engine(linter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fresh = _dump(linter.check_many(ITEMS))
    cached = Linter(cache_dir=tmp_path)
    assert _dump(cached.check_many(ITEMS)) == fresh  # cold: computed and stored
    stored = _entries(tmp_path)
    assert len(stored) == len(set(ITEMS))
    entries = [json.loads(_payload(v)) for v in stored.values()]
    assert all(set(e) == {"findings", "profile"} for e in entries)  # the profile is kept too

    def no_engine(items):  # type: ignore[no-untyped-def]
        raise AssertionError(f"the engine ran for {len(items)} drafts on a warm cache")

    cached._engine.analyse = no_engine  # type: ignore[method-assign]
    assert _dump(cached.check_many(ITEMS)) == fresh  # warm: all from disk
    assert (tmp_path / ".gitignore").is_file() and (tmp_path / "CACHEDIR.TAG").is_file()


def test_cache_key_covers_customer_and_rule_selection(tmp_path: Path) -> None:
    a = Linter(cache_dir=tmp_path)
    b = Linter(cache_dir=tmp_path, select=["terse-refusal"])
    assert a._cache is not None and b._cache is not None
    assert a._cache.salt != b._cache.salt
    key = a._cache.key("Nope.", None)
    assert key != a._cache.key("Nope.", "Can I return it?")
    assert key != b._cache.key("Nope.", None)
    assert [f.rule for f in b.check("Nope.").findings] == ["terse-refusal"]
    assert "missing-greeting" in {f.rule for f in a.check("Nope.").findings}


def test_a_damaged_entry_is_linted_again(tmp_path: Path) -> None:
    linter = Linter(cache_dir=tmp_path)
    first = _dump([linter.check("Nope.")])
    linter.close()
    with sqlite3.connect(tmp_path / cache_module.DB_NAME) as db:
        db.execute("UPDATE entries SET value = ?", (b"{not json",))
    again = Linter(cache_dir=tmp_path)
    assert _dump([again.check("Nope.")]) == first
    again.close()
    (value,) = _entries(tmp_path).values()
    assert json.loads(_payload(value))  # rewritten whole


@pytest.mark.parametrize("damage", [b"not a database at all" * 100, b""])
def test_a_damaged_database_is_replaced(tmp_path: Path, damage: bytes) -> None:
    linter = Linter(cache_dir=tmp_path)
    first = _dump(linter.check_many(ITEMS[:5]))
    linter.close()
    (tmp_path / cache_module.DB_NAME).write_bytes(damage)
    for name in (f"{cache_module.DB_NAME}-wal", f"{cache_module.DB_NAME}-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    again = Linter(cache_dir=tmp_path)
    assert _dump(again.check_many(ITEMS[:5])) == first  # linted again, not read
    again.close()
    assert len(_entries(tmp_path)) == len(set(ITEMS[:5]))  # and written to a new database


def test_a_locked_database_only_costs_speed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cache_module, "LOCK_TIMEOUT", 0.2)
    warm = Linter(cache_dir=tmp_path)
    fresh = _dump(warm.check_many(ITEMS[:5]))
    warm.close()
    other = sqlite3.connect(tmp_path / cache_module.DB_NAME, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")  # another run holding the database for a long write
    try:
        blocked = Linter(cache_dir=tmp_path)
        assert _dump(blocked.check_many(ITEMS[:8])) == _dump(Linter().check_many(ITEMS[:8]))
        blocked.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(_entries(tmp_path)) == len(set(ITEMS[:5]))  # its new entries were dropped
    assert _dump(Linter(cache_dir=tmp_path).check_many(ITEMS[:5])) == fresh


def _profile():  # type: ignore[no-untyped-def]
    from replylint.models import Profile

    moves = dict.fromkeys(Profile.model_fields, False)
    return Profile(**moves | {"apology_kind": None, "channel": None, "language": None})


def _finding(n: int):  # type: ignore[no-untyped-def]
    from replylint.models import Finding

    return Finding(
        rule="terse-refusal",
        severity="warning",
        category="refusal",
        message=f"message {n}",
        line=1,
        column=1,
        end_line=1,
        end_column=6,
        excerpt="Nope.",
        start=0,
        end=5,
    )


def _write_many(folder: str, worker: int) -> None:
    cache_module.FLUSH_EVERY = 16  # many small transactions, interleaved with the others'
    cache = Cache(folder, "salt")
    for n in range(300):
        cache.put(cache.key(f"draft {worker}-{n}", None), [_finding(n)], _profile())
    cache.close()


@pytest.mark.slow  # writer processes
def test_concurrent_writers_leave_whole_entries(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "salt")
    findings = [_finding(1), _finding(2)]
    key = cache.key("Nope.", None)
    threads = [
        threading.Thread(target=cache.put, args=(key, findings, _profile())) for _ in range(16)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cache.flush()
    got = Cache(tmp_path, "salt").get(key)
    assert got is not None and [f.message for f in got[0]] == ["message 1", "message 2"]
    assert got[1] == _profile()
    # processes writing at once (pre-commit's parallel hooks), in many small transactions
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_write_many, args=(str(tmp_path), w)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
        assert w.exitcode == 0
    reader = Cache(tmp_path, "salt")
    for w in range(4):
        for n in range(300):
            found = reader.get(reader.key(f"draft {w}-{n}", None))
            assert found is not None and found[0][0].message == f"message {n}"
    assert len(_entries(tmp_path)) == 1 + 4 * 300


def test_the_old_file_per_entry_cache_is_removed(tmp_path: Path) -> None:
    old = tmp_path / "ab"
    old.mkdir()
    (old / ("ab" + "0" * 62 + ".json")).write_text("[]", encoding="utf-8")
    (old / ".tmp-x1y2.json").write_text("[", encoding="utf-8")
    mine = tmp_path / "cd"
    mine.mkdir()
    (mine / "notes.txt").write_text("kept", encoding="utf-8")
    Linter(cache_dir=tmp_path).check_many(ITEMS[:2])
    assert not old.exists()
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "kept"
    assert (tmp_path / cache_module.DB_NAME).is_file()


@pytest.mark.slow  # worker processes
def test_worker_processes_give_the_same_findings_in_order(linter) -> None:  # type: ignore[no-untyped-def]
    parallel = Linter(jobs=2)
    parallel._engine.compiled.parses.memo.clear()  # forked workers start with no parses
    try:
        assert _dump(parallel.check_many(ITEMS * 2)) == _dump(linter.check_many(ITEMS * 2))
        (folder,) = parallel._shared.peek()[2]  # the sentences the workers parsed, shared
        assert os.listdir(folder)
    finally:
        parallel.close()
    assert not os.path.exists(folder)  # removed with the workers


@pytest.mark.parametrize("flag", ["--no-cache", None])
def test_cli_cache_flags(tmp_path: Path, flag: str | None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    draft = tmp_path / "reply.txt"
    draft.write_text("Nope.\n", encoding="utf-8")
    args = ["check", "--isolated", str(draft)]
    args += [flag] if flag else ["--cache-dir", str(tmp_path / "c")]
    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, args)
    assert first.exit_code == second.exit_code == 1
    assert first.output == second.output
    assert (tmp_path / "c").exists() is (flag is None)
    assert not (tmp_path / ".replylint_cache").exists()


def test_new_entries_are_written_in_one_transaction_per_flush(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "salt")
    cache.put(cache.key("first", None), [_finding(0)], _profile())
    cache.flush()  # opens the database
    statements: list[str] = []
    cache._db.set_trace_callback(statements.append)
    for n in range(100):
        cache.put(cache.key(f"draft {n}", None), [_finding(n)], _profile())
    assert cache.get(cache.key("draft 7", None)) is not None  # a pending entry is read back
    assert not any(s.startswith("INSERT") for s in statements)  # nothing written yet
    cache.flush()
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert len(inserts) == 100
    assert [s for s in statements if not s.startswith(("INSERT", "SELECT"))] == [
        "BEGIN IMMEDIATE",
        "COMMIT",
    ]
    cache.close()
    assert len(_entries(tmp_path)) == 101


def test_a_warm_run_reports_files_while_it_reads_them(tmp_path: Path) -> None:
    """A run the cache answers streams: files are reported before later ones are read (it
    held every file's findings to the end, 7-12 KB a file, before)."""
    from replylint.run.files import HELD_FILES, lint_files

    folder = tmp_path / "drafts"
    folder.mkdir()
    count = 3 * HELD_FILES
    for n in range(count):
        (folder / f"{n:05d}.txt").write_text(f"Nope. Ticket {n}.\n", encoding="utf-8")
    linter = Linter(cache_dir=tmp_path / "cache", lazy=True)
    cold = [r.report for r in lint_files(linter, [str(folder)])]
    assert len(cold) == count and not any(r.error for r in cold)
    last = folder / f"{count - 1:05d}.txt"
    warm = lint_files(linter, [str(folder)])
    first = next(warm)
    assert first.report.path == str(folder / "00000.txt") and first.report.findings
    last.unlink()  # not read yet: the run has not gone that far
    rest = [r.report for r in warm]
    assert [r.path for r in rest][-1] == str(last)
    assert (rest[-1].error or "").lower() == "no such file or directory"
    assert [r.findings for r in rest[:-1]] == [r.findings for r in cold[1:-1]]
    linter.close()


def _tamper(folder: Path, change) -> int:  # type: ignore[no-untyped-def]
    """Rewrite every stored payload with ``change`` (valid JSON in, valid JSON out), keeping
    its old checksum, as a damaged disk or another program would: how many were changed."""
    changed = 0
    with sqlite3.connect(folder / cache_module.DB_NAME) as db:
        for key, value in list(db.execute("SELECT key, value FROM entries")):
            check, payload = value[: cache_module.CHECK_BYTES], value[cache_module.CHECK_BYTES :]
            changed_entry = change(json.loads(payload))
            new = json.dumps(changed_entry, ensure_ascii=False, separators=(",", ":")).encode()
            if new != payload:
                db.execute("UPDATE entries SET value = ? WHERE key = ?", (check + new, key))
                changed += 1
    return changed


def _shift_lines(entry):  # type: ignore[no-untyped-def]
    """Every finding moved a line down, with another message: still valid findings (a draft
    entry's lines are placed again on reading, its message is not), but wrong."""
    findings = entry if isinstance(entry, list) else entry["findings"]
    for f in findings:
        f["line"] += 1
        f["end_line"] += 1
        f["message"] += " (tampered)"
    return entry


def test_an_entry_whose_checksum_fails_is_a_miss_and_replaced(linter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = ITEMS[:6]
    fresh = _dump(linter.check_many(items))
    cached = Linter(cache_dir=tmp_path)
    assert _dump(cached.check_many(items)) == fresh
    cached.close()
    before = _entries(tmp_path)
    assert _tamper(tmp_path, _shift_lines) == sum(1 for r in fresh if r["findings"])
    again = Linter(cache_dir=tmp_path)
    linted: list[int] = []
    analyse = again._engine.analyse

    def counting(batch):  # type: ignore[no-untyped-def]
        linted.append(len(batch))
        return analyse(batch)

    again._engine.analyse = counting  # type: ignore[method-assign]
    assert _dump(again.check_many(items)) == fresh  # not the shifted lines
    again.close()
    assert sum(linted) == sum(
        1 for r in fresh if r["findings"]
    )  # the damaged entries were linted again
    assert _entries(tmp_path) == before  # and replaced by sound ones
    # a bit flipped in the checksum itself, or an entry cut short, is a miss too
    with sqlite3.connect(tmp_path / cache_module.DB_NAME) as db:
        (key, value), (key2, _) = list(db.execute("SELECT key, value FROM entries"))[:2]
        flipped = bytes([value[0] ^ 1]) + value[1:]
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (flipped, key))
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (b"\0" * 5, key2))
    probe = Cache(tmp_path, again._cache.salt)  # type: ignore[union-attr]
    assert probe.get(key) is None and probe.get(key2) is None


def test_a_damaged_file_entry_is_linted_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text("Hi Dana,\n\nNope. It's company policy.\n", "utf-8")
    args = ["check", "--isolated", "--format", "json", "reply.txt", "--cache-dir", "c"]
    first = CliRunner().invoke(main, args)
    assert _tamper(tmp_path / "c", _shift_lines) == 2  # the draft's entry and the file's
    second = CliRunner().invoke(main, args)
    assert second.exit_code == first.exit_code == 1
    assert second.output == first.output


def test_a_lone_surrogate_is_a_key_and_never_breaks_a_write(tmp_path: Path) -> None:
    """A str from the library (or a file name that is not UTF-8) may hold lone surrogates."""
    cache = Cache(tmp_path, "salt")
    key = cache.key("Nope \ud800.", "\udcff")
    assert key != cache.key("Nope \ud801.", "\udcff")
    finding = _finding(1).model_copy(update={"excerpt": "Nope \ud800"})
    cache.put(
        key, [finding], _profile()
    )  # cannot be stored as UTF-8: not kept, linted again next time
    cache.put(cache.key("Nope.", None), [_finding(2)], _profile())
    cache.close()
    reader = Cache(tmp_path, "salt")
    assert reader.get(key) is None
    got = reader.get(reader.key("Nope.", None))
    assert got is not None and got[0][0].message == "message 2"
