"""The result cache and worker processes: same findings, less work, never stale."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from replylint import Linter
from replylint.cache import Cache
from replylint.cli import main
from replylint.evaluate import load_corpus
from replylint.rulebook import load_rulebook

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = load_corpus(CORPUS, load_rulebook())[:80]
ITEMS = [(c.text, c.customer) for c in CASES]


def _dump(reports):  # type: ignore[no-untyped-def]
    return [
        [f.model_dump() | {"start": f.start, "end": f.end} for f in r.findings] for r in reports
    ]


def test_cached_results_equal_fresh_ones_and_skip_the_engine(linter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fresh = _dump(linter.check_many(ITEMS))
    cached = Linter(cache_dir=tmp_path)
    assert _dump(cached.check_many(ITEMS)) == fresh  # cold: computed and stored
    assert len(list(tmp_path.rglob("*.json"))) == len(set(ITEMS))

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
    for entry in tmp_path.rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert _dump([linter.check("Nope.")]) == first
    entry = next(tmp_path.rglob("*.json"))
    assert json.loads(entry.read_text(encoding="utf-8"))  # rewritten whole


def test_concurrent_writers_leave_whole_entries(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "salt")
    findings = Linter().check("Nope.").findings
    key = cache.key("Nope.", None)
    threads = [threading.Thread(target=cache.put, args=(key, findings)) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = cache.get(key)
    assert got is not None and [f.rule for f in got] == [f.rule for f in findings]
    assert not list(tmp_path.rglob(".tmp-*"))


def test_worker_processes_give_the_same_findings_in_order(linter) -> None:  # type: ignore[no-untyped-def]
    parallel = Linter(jobs=2)
    parallel._engine.compiled._parse_memo.clear()  # forked workers start with no parses
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
