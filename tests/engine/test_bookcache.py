"""The compiled rule book kept on disk (engine/bookcache.py): loaded exactly as built, built
again when a rule file changes or the entry is damaged, never read nor written when off."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from replylint import Linter
from replylint import rulebook as rulebook_module
from replylint.engine import bookcache
from replylint.engine import compiled as compiled_module
from replylint.engine.compiled import Compiled
from replylint.evaluate import load_corpus
from replylint.rulebook import load_rulebook
from tests.rules.test_rulebook import VALID

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "rulebooks"
    monkeypatch.setenv(bookcache.ENV, str(where))
    return where


def _entries(where: Path) -> list[Path]:
    return sorted(where.glob(f"{bookcache.PREFIX}*.pickle")) if where.exists() else []


def _state(c: Compiled) -> dict[str, Any]:
    """Everything the stored data decides, comparable across processes' objects."""
    return {
        "edges": c.phrases.edges,
        "ends": c.phrases.ends,
        "nodes": c.phrases._nodes,
        "regexes": {k: [(p.pattern, p.flags) for p in v] for k, v in c.regexes.items()},
        "needles": [
            (p.pattern, c.searches.needles[p], c.searches.where[p])
            for v in c.regexes.values()
            for p in v
        ],
        "specs": list(c.specs),
        "parse_keys": c.parse_keys,
    }


def _book(rules: Path, phrase: str) -> Any:
    data = copy.deepcopy(VALID)
    data["match"] = {"phrases": [phrase], "regex": [r"\bper (?:our )?polic(?:y|ies)\b"]}
    rules.mkdir(exist_ok=True)
    (rules / "my-rule.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    rulebook_module._load.cache_clear()  # read the edited file (a process reads it once)
    return load_rulebook((rules,))


def _finds(c: Compiled, text: str) -> set[str]:
    words = [t.lower for t in c.nlp.make_doc(text)]
    return {key for key, _, _ in c.phrases.find(words)}


def test_the_shipped_rule_book_loads_from_disk_as_built(
    linter: Linter, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nlp, book = linter.nlp, load_rulebook()
    built = Compiled(nlp, book)
    assert built._words  # tokenized and built here ...
    assert len(_entries(folder)) == 1  # ... and stored
    loaded = Compiled(nlp, book)
    assert not loaded._words  # from the disk: nothing tokenized
    assert _state(loaded) == _state(built)
    # every draft of the corpus gets the same findings and profile from either
    texts = [c.text for c in load_corpus(CORPUS, book)[:60]]
    reports = {}
    for setting in ("off", str(folder)):
        monkeypatch.setenv(bookcache.ENV, setting)
        monkeypatch.setattr(compiled_module, "_COMPILED", {})
        fresh = Linter()
        assert bool(fresh._engine.compiled._words) == (setting == "off")
        reports[setting] = [r.model_dump() for r in fresh.check_many(texts)]
    assert reports["off"] == reports[str(folder)]
    assert any(r["findings"] for r in reports["off"])


def test_an_edited_rule_file_is_compiled_again(
    linter: Linter, folder: Path, tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    first = Compiled(linter.nlp, _book(rules, "as per our policy"))
    assert "rule:my-rule/match" in _finds(first, "As per our policy, no.")
    again = Compiled(linter.nlp, _book(rules, "as per our policy"))
    assert not again._words and len(_entries(folder)) == 1  # unchanged: loaded
    edited = Compiled(linter.nlp, _book(rules, "under our rules"))
    assert edited._words  # built again, from the edited file
    assert "rule:my-rule/match" in _finds(edited, "Under our rules, no.")
    assert "rule:my-rule/match" not in _finds(edited, "As per our policy, no.")
    assert len(_entries(folder)) == 2
    where = {edited.searches.where[p] for p in edited.regexes["rule:my-rule/match"]}
    assert where == {f"{rules / 'my-rule.yaml'}: match.regex"}


def test_a_damaged_entry_is_built_again_and_replaced(linter: Linter, folder: Path) -> None:
    book = load_rulebook()
    built = Compiled(linter.nlp, book)
    (entry,) = _entries(folder)
    blob = bytearray(entry.read_bytes())
    blob[len(blob) // 2] ^= 0xFF  # one flipped byte in the payload
    entry.write_bytes(bytes(blob))
    rebuilt = Compiled(linter.nlp, book)
    assert rebuilt._words  # not loaded from the damaged entry
    assert _state(rebuilt) == _state(built)
    entry.write_bytes(entry.read_bytes()[:1000])  # truncated
    assert Compiled(linter.nlp, book)._words
    assert not Compiled(linter.nlp, book)._words  # replaced by a whole one


def test_off_neither_reads_nor_writes(
    linter: Linter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(bookcache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert bookcache.folder() is None
    assert Compiled(linter.nlp, load_rulebook())._words
    assert list(tmp_path.iterdir()) == []


def test_only_the_newest_entries_are_kept(linter: Linter, folder: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    for n in range(bookcache.KEEP + 2):
        Compiled(linter.nlp, _book(rules, f"as per policy number {n}"))
    assert len(_entries(folder)) == bookcache.KEEP
    assert not list(folder.glob("*.tmp"))  # no temporary file left behind
