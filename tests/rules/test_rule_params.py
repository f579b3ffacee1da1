"""A rule's check, builder, params and the signals they read are validated when the rule book
loads: a user's rule file (a ``rules-dir``) with a misspelled or mistyped parameter, an unknown
check or builder, or a signal the rule book lacks is a one-line error naming the file and the
key (exit 2 from the CLI), never a KeyError while linting nor a silent skip. The rule book finds
checks and builders by name in a registry of descriptions (``replylint.params``) and imports no
code of theirs; the word lists live in ``rules/_lexicon.yaml``."""

from __future__ import annotations

import copy
import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from replylint.cli import main
from replylint.params import BUILDER_KINDS, CHECK_KINDS, PolicyBenefit, TerseRefusal, params_of
from replylint.rulebook import RuleBookError, check_rulebook, expand_phrase, load_rulebook

RULE: dict[str, Any] = {
    "id": "house-refusal",
    "name": "House refusal",
    "category": "refusal",
    "severity": "warning",
    "summary": "A curt no.",
    "why": "Because.",
    "source": [{"file": "house.md", "heading": "No"}],
    "message": "Say more than no",
    "kind": "check",
    "check": "terse-refusal",
    "params": {
        "max_words": 3,
        "negative_starts": ["no", "nope"],
        "not_refusals": ["no problem"],
        "strip_words": ["sorry"],
    },
    "examples": {"fail": ["Nope."], "pass": ["No problem!"]},
}


def _rule(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(RULE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _params(**changes: Any) -> dict[str, Any]:
    params = copy.deepcopy(RULE["params"])
    for key, value in changes.items():
        if value is None:
            del params[key]
        else:
            params[key] = value
    return params


def _write(folder: Path, data: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _load_error(folder: Path) -> str:
    with pytest.raises(RuleBookError) as info:
        load_rulebook(extra_dirs=(folder,))
    message = str(info.value)
    assert "\n" not in message
    return message


def _cli_error(tmp_path: Path, folder: Path) -> str:
    """The one line ``replylint check`` prints (exit 2) with ``folder`` as the rules-dir."""
    (tmp_path / ".replylint.toml").write_text(f'rules-dir = "{folder.name}"\n', encoding="utf-8")
    draft = tmp_path / "reply.txt"
    draft.write_text("Nope.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    return line


BAD_RULES = [
    pytest.param(
        _rule(params=_params(wrods=["no"])),
        "params.wrods: unknown parameter of check 'terse-refusal'",
        id="misspelled-param",
    ),
    pytest.param(
        _rule(params=_params(max_words="four")),
        "params.max_words: Input should be a valid integer",
        id="wrong-type",
    ),
    pytest.param(
        _rule(params=_params(negative_starts=None)),
        "params.negative_starts: Field required",
        id="missing-param",
    ),
    pytest.param(
        _rule(check="terse-refusals"),
        "check: unknown check 'terse-refusals' (known: ",
        id="unknown-check",
    ),
    pytest.param(
        _rule(
            kind="existence",
            check=None,
            params=None,
            match={"phrases": ["nope"]},
            rewrite={"builder": "soft", "description": "d"},
        ),
        "rewrite.builder: unknown builder 'soft' (known: ",
        id="unknown-builder",
    ),
    pytest.param(
        _rule(
            kind="existence",
            check=None,
            params={"deletable": ["nope"], "replacment": "x"},
            match={"phrases": ["nope"]},
            rewrite={"builder": "soften", "description": "d"},
        ),
        "params.replacment: unknown parameter of builder 'soften'",
        id="param-of-another-builder",
    ),
    pytest.param(
        _rule(
            kind="existence",
            check=None,
            params={"deletable": "nope"},
            match={"phrases": ["nope"]},
            rewrite={"builder": "soften", "description": "d"},
        ),
        "params.deletable: Input should be a valid list",
        id="builder-param-wrong-type",
    ),
    pytest.param(
        _rule(kind="existence", check=None, params={"max_words": 3}, match={"phrases": ["no"]}),
        "params.max_words: unknown parameter (the rule has no check or builder that takes one)",
        id="param-without-check",
    ),
    pytest.param(
        _rule(kind="existence", check=None, params=None, match={"signals": ["refusals"]}),
        "unknown signal 'refusals'",
        id="unknown-signal-in-match",
    ),
    pytest.param(
        _rule(kind="suppression", check=None, params=None),
        "kind: 'suppression' is built in (the rule unused-suppression); a rule file cannot use it",
        id="built-in-kind",
    ),
    pytest.param(
        _rule(source=None),
        "a rule needs 'source': the seed article and heading it enforces",
        id="no-source",
    ),
]


@pytest.mark.parametrize(("data", "error"), BAD_RULES)
def test_bad_rule_is_one_line_naming_file_and_key(tmp_path: Path, data: Any, error: str) -> None:
    path = _write(tmp_path / "house", data)
    message = _load_error(tmp_path / "house")
    assert message.startswith(f"{path.resolve()}: "), message
    assert error in message


@pytest.mark.parametrize(("data", "error"), BAD_RULES)
def test_bad_rule_exits_2_from_the_cli(tmp_path: Path, data: Any, error: str) -> None:
    path = _write(tmp_path / "house", data)
    line = _cli_error(tmp_path, tmp_path / "house")
    assert line.startswith(f"replylint: error: {tmp_path / '.replylint.toml'}: rules-dir: {path}")
    assert error in line


def test_a_rule_with_a_check_and_a_builder_takes_the_params_of_both(tmp_path: Path) -> None:
    """self-focus's shape: a check's word lists and the builder's replacement in one params."""
    data = _rule(
        params=_params(replacement="I'm sorry you're dealing with this."),
        rewrite={"builder": "drop-sentence", "description": "d"},
    )
    _write(tmp_path, data)
    rule = load_rulebook(extra_dirs=(tmp_path,)).rules["house-refusal"]
    assert params_of(rule, TerseRefusal).max_words == 3
    assert params_of(rule, TerseRefusal).negative_starts == frozenset({"no", "nope"})
    data["params"]["replacemnt"] = "x"
    path = _write(tmp_path / "again", data)
    message = _load_error(tmp_path / "again")
    assert message == (
        f"{path.resolve()}: params.replacemnt: unknown parameter of check 'terse-refusal' and "
        "builder 'drop-sentence'"
    )


def test_a_signal_a_builder_reads_must_be_in_the_rule_book(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Builders declare the signals they read (bare-policy's policy-benefit reads "refusal");
    one the rule book lacks is refused at load, not a KeyError while linting."""
    book = load_rulebook()
    kind = BUILDER_KINDS["policy-benefit"]
    assert kind.signals == ("refusal",)
    check_rulebook(book)
    monkeypatch.setitem(
        BUILDER_KINDS, "policy-benefit", dataclasses.replace(kind, signals=("refusal", "refusals"))
    )
    with pytest.raises(RuleBookError) as info:
        check_rulebook(book)
    assert str(info.value) == (
        f"{book.files['bare-policy']}: rewrite.builder: builder 'policy-benefit' reads signal "
        "'refusals', which the rule book does not define"
    )


def test_a_signal_a_check_reads_must_be_in_the_rule_book(monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_rulebook()
    kind = dataclasses.replace(CHECK_KINDS["we-focus"], signals=("ownership", "owner"))
    monkeypatch.setitem(CHECK_KINDS, "we-focus", kind)
    with pytest.raises(RuleBookError) as info:
        check_rulebook(book)
    assert str(info.value) == (
        f"{book.files['we-focus']}: check: check 'we-focus' reads signal 'owner', which the "
        "rule book does not define"
    )


def test_shipped_rules_params_are_typed() -> None:
    book = load_rulebook()
    policy = params_of(book.rules["bare-policy"], PolicyBenefit)
    assert policy.default_benefit == "To keep things fair for every customer"
    assert "For your safety" in policy.benefits
    terse = params_of(book.rules["terse-refusal"], TerseRefusal)
    assert terse.max_words == 4 and ("no", "problem") in terse.openers
    assert params_of(book.rules["terse-refusal"], TerseRefusal) is terse  # validated once


def test_registries_describe_exactly_the_code() -> None:
    from replylint.checks import CHECKS
    from replylint.rewrite import BUILDERS

    assert set(CHECKS) == set(CHECK_KINDS)
    assert set(BUILDERS) == set(BUILDER_KINDS)


def test_the_rule_book_imports_no_check_or_builder_code() -> None:
    code = (
        "import sys\n"
        "from replylint.rulebook import load_rulebook\n"
        "load_rulebook()\n"
        "bad = [m for m in sys.modules if m.startswith(('replylint.checks', 'replylint.rewrite',"
        " 'replylint.engine', 'spacy'))]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------
# the lexicon: one definition of a greeting, used by structure, the checks and the builders
# --------------------------------------------------------------------------------------------


def test_lexicon_loads_and_is_shipped() -> None:
    from replylint.lexicon import load_lexicon
    from replylint.rulebook import rules_dir

    assert (rules_dir() / "_lexicon.yaml").is_file()
    lexicon = load_lexicon()
    assert {"hi", "hello", "dear"} <= set(lexicon.greeting.salutations)
    assert "good morning" in expand_phrase(lexicon.greeting.salutations[-1])
    assert {"issue", "delay", "outage"} <= lexicon.problem_nouns


@pytest.mark.parametrize("word", ["Hi", "Hello", "Hey", "Hiya", "Dear", "Howdy", "Greetings"])
def test_every_salutation_opens_a_reply_and_is_skipped_before_a_refusal(word: str) -> None:
    from replylint import Linter
    from replylint.structure import greeting_span

    assert greeting_span(f"{word} Sam,\n\nNope.") == (0, len(word) + 5)
    linter = Linter(select=["terse-refusal", "missing-greeting"])
    found = [(f.rule, f.excerpt) for f in linter.check(f"{word} Sam, nope.").findings]
    assert found == [("terse-refusal", "nope.")]
