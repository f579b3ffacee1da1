"""`replylint explain` and `replylint rules`: complete, quoted from the seeds, and spaCy-free."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from replylint.cli import main
from replylint.explain import seed_quote, seed_text
from replylint.rulebook import load_rulebook

BOOK = load_rulebook()


@pytest.mark.parametrize("rule_id", sorted(BOOK.rules))
def test_explain_every_rule(rule_id: str) -> None:
    rule = BOOK.rules[rule_id]
    result = CliRunner().invoke(main, ["explain", rule_id])
    assert result.exit_code == 0, result.output
    out = result.output
    for heading in (
        "## What it flags",
        "## Why is this bad?",
        "## Example",
        "## Suggested rewrite",
        "## Passes",
        "## How to disable it",
    ):
        assert heading in out
    assert rule.examples.fail[0].text.strip().splitlines()[0] in out
    assert f"--ignore {rule_id}" in out
    if rule.kind == "suppression":  # built in: no seed, and its fix is to remove the comment
        assert "built into replylint" in out and "remove the comment" in out
        return
    if rule.kind == "gate":  # built in: no seed, and no rewrite (the draft is not linted)
        assert "built into replylint" in out and "the draft is not linted" in out
        return
    if rule.rewrite is None:  # no edit offered (we-focus): the message says what to change
        assert f"(none: {rule.message})" in out
    else:
        assert rule.examples.fail[0].rewrite is not None
    # the quote really comes from the seed file named by the rule
    quote = seed_quote(rule.source[0], f"{rule.summary} {rule.why}")
    assert quote, rule_id
    text = " ".join(seed_text(rule.source[0].file).split())
    assert " ".join(quote.rstrip("…").split()[:8]) in text


@pytest.mark.parametrize("rule_id", sorted(BOOK.rules))
def test_every_source_heading_occurs_in_its_seed(rule_id: str) -> None:
    for source in BOOK.rules[rule_id].source:
        assert source.heading in seed_text(source.file), (rule_id, source.heading)


def test_explain_unknown_rule_is_a_one_line_error() -> None:
    result = CliRunner().invoke(main, ["explain", "no-such-rule"])
    assert result.exit_code == 2
    assert "unknown rule 'no-such-rule'" in result.output
    assert "did you mean" not in result.output  # nothing close
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_explain_a_misspelt_rule_suggests_the_closest() -> None:
    result = CliRunner().invoke(main, ["explain", "bare-polcy"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "replylint: error: unknown rule 'bare-polcy'; did you mean 'bare-policy'?"
    )


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_a_misspelt_rule_id_in_an_option_suggests_the_closest(option: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "reply.txt"
    draft.write_text("Nope.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--isolated", option, "terse-refusl", str(draft)])
    assert result.exit_code == 2
    assert (
        f"unknown rule id 'terse-refusl' in {option}; did you mean 'terse-refusal'?"
        in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_rules_json_lists_the_catalogue() -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {r["id"] for r in data} == set(BOOK.rules)
    assert all(r["severity"] in {"info", "warning", "error"} for r in data)
    # every rule cites its seed, but the built-in unused-suppression and gates
    assert sorted(r["id"] for r in data if not r["source"]) == [
        "not-english",
        "not-prose",
        "unused-suppression",
    ]


def test_explain_and_rules_do_not_import_spacy() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from replylint.cli import main\n"
        "r = CliRunner()\n"
        "assert r.invoke(main, ['explain', 'bare-policy']).exit_code == 0\n"
        "assert r.invoke(main, ['rules']).exit_code == 0\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
