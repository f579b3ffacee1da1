"""The rule book: the shipped rules load and cite their seeds; broken rule files give errors that
name the file and the field; phrase groups expand."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from replylint.rulebook import (
    RuleBook,
    RuleBookError,
    expand_phrase,
    load_rulebook,
    rules_dir,
    seeds_dir,
)

ROOT = Path(__file__).resolve().parents[2]

VALID: dict[str, Any] = {
    "id": "my-rule",
    "name": "My rule",
    "category": "tone",
    "severity": "warning",
    "summary": "A test rule.",
    "why": "Because.",
    "source": [{"file": "000_030c412d85761ed6.txt", "heading": "Express empathy"}],
    "message": "A message",
    "kind": "existence",
    "match": {"phrases": ["(per|as per) (our|) policy"]},
    "examples": {"fail": ["Per our policy, no."], "pass": ["Our policy gives you 60 days."]},
}


def _write_rule(folder: Path, data: dict[str, Any], name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or data.get('id', 'my-rule')}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _variant(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is _DROP:
            del data[key]
        else:
            data[key] = value
    return data


_DROP = object()


def _load_error(folder: Path) -> str:
    with pytest.raises(RuleBookError) as info:
        load_rulebook(extra_dirs=(folder,))
    message = str(info.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------------------------
# the shipped rule book
# --------------------------------------------------------------------------------------------


def test_shipped_rulebook_loads() -> None:
    book = load_rulebook()
    assert isinstance(book, RuleBook)
    assert len(book.rules) >= 5
    assert {
        "terse-refusal",
        "bare-policy",
        "no-acknowledgement",
        "no-paraphrase",
        "self-focus",
    } <= set(book.rules)
    for rule_id, rule in book.rules.items():
        assert rule.id == rule_id
        assert book.files[rule_id].name == f"{rule_id}.yaml"
        assert book.files[rule_id].parent == rules_dir()
    assert {"problem", "refusal", "acknowledgement"} <= set(book.signals)


def test_shipped_rulebook_is_the_repository_one() -> None:
    assert rules_dir().resolve() == (ROOT / "rules").resolve() or (
        sorted(p.name for p in rules_dir().glob("*.yaml"))
        == sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    )


def _sources() -> list[Any]:
    return [
        pytest.param(rule.id, src.file, src.heading, id=f"{rule.id}-{i}")
        for rule in load_rulebook().rules.values()
        for i, src in enumerate(rule.source)
    ]


@pytest.mark.parametrize(("rule_id", "file", "heading"), _sources())
def test_every_source_exists_and_has_its_heading(rule_id: str, file: str, heading: str) -> None:
    path = ROOT / "seeds" / file
    assert path.is_file(), f"{rule_id}: seed {file} missing from seeds/"
    assert (seeds_dir() / file).is_file()
    # compared with white space normalised: the seeds use no-break spaces in places
    text = " ".join(path.read_text(encoding="utf-8").split())
    wanted = " ".join(heading.split())
    assert wanted and wanted in text, f"{rule_id}: heading {heading!r} not found in {file}"


def test_loading_is_cached() -> None:
    assert load_rulebook() is load_rulebook()


# --------------------------------------------------------------------------------------------
# extra rule folders
# --------------------------------------------------------------------------------------------


def test_valid_extra_rule_loads(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, VALID)
    book = load_rulebook(extra_dirs=(tmp_path,))
    assert "my-rule" in book.rules
    assert book.files["my-rule"] == path.resolve()
    assert "terse-refusal" in book.rules  # the shipped rules are still there


def test_valid_extra_rule_compiles_and_runs(tmp_path: Path) -> None:
    from replylint.engine.batch import Engine
    from replylint.nlp import load_pipeline
    from replylint.sources.base import Draft

    _write_rule(tmp_path, VALID)
    book = load_rulebook(extra_dirs=(tmp_path,))
    engine = Engine(load_pipeline(), book, ["my-rule"])
    [(_, findings)] = list(engine.lint([Draft.from_text("Sorry, as per policy, no.")]))
    assert [(f.rule, f.excerpt) for f in findings] == [("my-rule", "as per policy")]


def test_missing_severity(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(severity=_DROP))
    message = _load_error(tmp_path)
    assert str(path) in message
    assert "severity" in message
    assert "required" in message.lower()


def test_bad_severity_value(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(severity="critical"))
    message = _load_error(tmp_path)
    assert str(path) in message
    assert "severity" in message
    assert "warning" in message  # says what is allowed


def test_bad_category(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(category="rudeness"))
    message = _load_error(tmp_path)
    assert str(path) in message and "category" in message


def test_unknown_field(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(severty="warning"))
    message = _load_error(tmp_path)
    assert str(path) in message and "severty" in message


def test_nested_field_is_named(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(examples={"fail": [], "pass": ["Fine."]}))
    message = _load_error(tmp_path)
    assert str(path) in message and "examples.fail" in message


def test_invalid_regex(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(match={"regex": ["(unclosed"]}))
    message = _load_error(tmp_path)
    assert str(path) in message and "match.regex" in message and "(unclosed" in message


def test_existence_rule_without_match(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(match=_DROP))
    message = _load_error(tmp_path)
    assert str(path) in message and "'match'" in message


def test_id_not_matching_file_name(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, VALID, name="other-name")
    message = _load_error(tmp_path)
    assert str(path) in message
    assert "id" in message and "my-rule" in message and "file name" in message


def test_bad_id_syntax(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(id="My_Rule"), name="My_Rule")
    message = _load_error(tmp_path)
    assert str(path) in message and "id" in message


def test_duplicate_of_a_shipped_rule(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(id="bare-policy"))
    message = _load_error(tmp_path)
    assert str(path) in message and "bare-policy" in message and "already defined" in message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: my-rule\nname: My rule\nsummary: a: b\n", 3),
        ("id: my-rule\n  name: My rule\nwhy: c\n", 2),
        ("id: my-rule\nname: My rule\nseverity: warning\ncategory: [tone\nwhy: c\n", 5),
    ],
)
def test_broken_yaml_names_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "my-rule.yaml"
    path.write_text(text, encoding="utf-8")
    message = _load_error(tmp_path)
    assert message.startswith(f"{path.resolve()}:{line}: invalid YAML")


def test_not_utf8_rule_file(tmp_path: Path) -> None:
    path = tmp_path / "my-rule.yaml"
    path.write_bytes(b"id: my-rule\nname: caf\xe9\n")
    message = _load_error(tmp_path)
    assert str(path.resolve()) in message


def test_unknown_signal(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(match={"signals": ["no-such-signal"]}))
    message = _load_error(tmp_path)
    assert str(path) in message and "unknown signal 'no-such-signal'" in message


def test_unknown_rule_reference(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(match={"rules": ["no-such-rule"]}))
    message = _load_error(tmp_path)
    assert str(path) in message and "no-such-rule" in message


def test_unknown_signal_in_unless(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(unless=[{"window": "sentence", "signals": ["nah"]}]))
    message = _load_error(tmp_path)
    assert str(path) in message and "'nah'" in message


def test_bad_window(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(unless=[{"window": "paragraph", "phrases": ["x"]}]))
    message = _load_error(tmp_path)
    assert str(path) in message and "unless.0.window" in message


def test_missing_extra_folder(tmp_path: Path) -> None:
    message = _load_error(tmp_path / "nowhere")
    assert "nowhere" in message


def test_extra_signals_file(tmp_path: Path) -> None:
    (tmp_path / "_signals.yaml").write_text(
        "wobbly:\n  description: x\n  match:\n    phrases: [wobbly]\n", encoding="utf-8"
    )
    _write_rule(tmp_path, _variant(match={"signals": ["wobbly"]}))
    book = load_rulebook(extra_dirs=(tmp_path,))
    assert "wobbly" in book.signals and "problem" in book.signals


def test_bad_extra_signals_file(tmp_path: Path) -> None:
    path = tmp_path / "_signals.yaml"
    path.write_text("wobbly:\n  description: x\n", encoding="utf-8")
    message = _load_error(tmp_path)
    assert str(path) in message and "match" in message


# --------------------------------------------------------------------------------------------
# token patterns are checked when a Linter compiles the rules
# --------------------------------------------------------------------------------------------


def test_shipped_rules_compile() -> None:
    from replylint.engine.compiled import Compiled
    from replylint.nlp import load_pipeline

    compiled = Compiled(load_pipeline(), load_rulebook())
    assert compiled.specs


@pytest.mark.parametrize(
    "pattern",
    [
        [[{"NOT_AN_ATTRIBUTE": "x"}]],
        [[{"LOWER": {"IN": "not-a-list"}}]],
        [[{"LOWER": "policy", "OP": "%"}]],
    ],
    ids=["attr", "in", "op"],
)
def test_invalid_token_pattern(tmp_path: Path, pattern: Any) -> None:
    from replylint.engine.compiled import Compiled
    from replylint.nlp import load_pipeline

    path = _write_rule(tmp_path, _variant(match={"patterns": pattern}))
    book = load_rulebook(extra_dirs=(tmp_path,))  # valid as data …
    with pytest.raises(RuleBookError) as info:
        Compiled(load_pipeline(), book)  # … but spaCy rejects the pattern
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert "match.patterns" in message


def test_empty_token_pattern(tmp_path: Path) -> None:
    path = _write_rule(tmp_path, _variant(match={"patterns": [[]]}))
    message = _load_error(tmp_path)
    assert str(path) in message and "empty token pattern" in message


# --------------------------------------------------------------------------------------------
# phrase expansion
# --------------------------------------------------------------------------------------------


def test_expand_phrase_policy() -> None:
    out = expand_phrase("(it's|that's) (our|) policy")
    assert len(out) == 4
    assert set(out) == {"it's our policy", "it's policy", "that's our policy", "that's policy"}


def test_expand_phrase_without_groups() -> None:
    assert expand_phrase("rules are rules") == ["rules are rules"]


def test_expand_phrase_joins_contractions() -> None:
    assert set(expand_phrase("i ('ve|) had")) == {"i've had", "i had"}
    assert set(expand_phrase("(do|does)(n't|) work")) == {
        "do work",
        "don't work",
        "does work",
        "doesn't work",
    }


def test_expand_phrase_drops_empty_results() -> None:
    assert expand_phrase("(a|)") == ["a"]
