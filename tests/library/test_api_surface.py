"""The library for helpdesk macros: ``examples/helpdesk_macro.py`` runs as documented, a
``DraftReport`` serialises to JSON with the CLI's finding schema, and the public API type-checks
under ``mypy --strict``."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from replylint import DraftReport, Severity
from replylint.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "helpdesk_macro.py"
GOOD = """Hi Grace,

Thanks for your order! It shipped this morning, and the tracking link is on its way to your inbox.

Best,
Omar
"""


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("helpdesk_macro", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["helpdesk_macro"] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow  # a fresh interpreter loading spaCy
def test_example_script_blocks_the_sample_and_shows_the_rewrite() -> None:
    result = _script()
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.startswith("Blocked: ")
    assert "bare-policy (warning)" in out
    assert "Suggested rewrite" in out
    rewrite = out.split("Suggested rewrite (fill in any <slots>):\n", 1)[1]
    # the acknowledgement is a slot the agent fills, never built from the customer's words
    assert "I'm sorry about <the issue>." in rewrite and "charged twice" not in rewrite
    assert "it's our policy" not in rewrite


@pytest.mark.slow  # fresh interpreters loading spaCy
def test_example_script_json_and_a_good_reply(tmp_path: Path) -> None:
    result = _script("--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["allowed"] is False and "bare-policy" in data["blocking"]
    assert data["report"]["version"] == "1.1"
    good = tmp_path / "reply.txt"
    good.write_text(GOOD, encoding="utf-8")
    result = _script("--draft", str(good))
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK to send")


def test_hook_decisions(linter: Any) -> None:
    example = _example()
    hook = example.MacroSendHook(linter)
    blocked = hook(example.SAMPLE_DRAFT, example.SAMPLE_CUSTOMER)
    assert not blocked.allowed
    assert all(f.severity.rank >= Severity.WARNING.rank for f in blocked.blocking)
    assert blocked.rewrite == blocked.report.rewritten()
    assert blocked.rewrite != example.SAMPLE_DRAFT
    # info findings never block
    lenient = example.MacroSendHook(linter, block_at=Severity.ERROR)
    assert lenient(example.SAMPLE_DRAFT, example.SAMPLE_CUSTOMER).allowed
    many = hook.review_many([(example.SAMPLE_DRAFT, example.SAMPLE_CUSTOMER), (GOOD, None)])
    assert [d.allowed for d in many] == [False, True]
    assert [f.rule for f in many[0].report.findings] == [f.rule for f in blocked.report.findings]


def test_draft_report_json_matches_the_cli(linter: Any, tmp_path: Path) -> None:
    text = "Hi Sam 🙂,\n\nNope. It's our policy.\n"
    report = linter.check(text)
    data = json.loads(json.dumps(report.to_json()))  # plain JSON types only
    assert data["version"] == "1.1" and data["draft"] is None
    assert data["rewritten"] == report.rewritten()
    draft = tmp_path / "reply.txt"
    draft.write_text(text, encoding="utf-8")
    args = ["check", "--isolated", "--format", "json", str(draft)]
    cli = json.loads(CliRunner().invoke(main, args).stdout)
    (file,) = cli["files"]
    assert data["findings"] == file["findings"]  # the same findings, the same schema
    # the pydantic dump has the same findings, with the draft's text and context around them
    dumped = json.loads(report.model_dump_json())
    assert dumped["findings"] == data["findings"]
    assert dumped["text"] == text and dumped["customer"] is None
    assert isinstance(report, DraftReport)


@pytest.mark.slow  # mypy
def test_public_api_is_mypy_strict_clean() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------------------------
# The API's edges: rule ids as a string or a list, wrong types, dir(), help(), doctests
# --------------------------------------------------------------------------------------------


def test_rule_ids_are_a_string_or_a_list() -> None:
    import replylint

    assert replylint.Linter(select="bare-policy").rule_ids == ["bare-policy"]
    assert replylint.Linter(select="bare-policy, terse-refusal").rule_ids == [
        "bare-policy",
        "terse-refusal",
    ]
    assert replylint.Linter(select=("terse-refusal",)).rule_ids == ["terse-refusal"]
    both = replylint.Linter(select=["bare-policy"], extend_select="terse-refusal")
    assert both.rule_ids == ["bare-policy", "terse-refusal"]
    every = replylint.Linter().rule_ids
    assert replylint.Linter(ignore="we-focus,missing-greeting").rule_ids == [
        r for r in every if r not in {"we-focus", "missing-greeting"}
    ]
    report = replylint.Linter(select="terse-refusal").check("Nope.")
    assert [f.rule for f in report.findings] == ["terse-refusal"]


def test_an_unknown_rule_id_suggests_the_closest() -> None:
    import replylint
    from replylint.rulebook import RuleBookError

    with pytest.raises(RuleBookError, match=r"'bare-polcy' .*did you mean 'bare-policy'\?"):
        replylint.Linter(select="bare-polcy")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.Linter(select=3), "Linter(): select must be a string"),
        (lambda r: r.Linter(ignore=[None]), "Linter(): ignore must hold strings (rule ids), got"),
        (lambda r: r.Linter(extend_select=b"x"), "Linter(): extend_select must be a string"),
        (lambda r: r.Linter({"select": ["ALL"]}), "Linter(): config must be a replylint.Config"),
        (lambda r: r.Linter(model=1), "Linter(): model must be str or None, got int"),
        (lambda r: r.Linter().check(None), "Linter.check(): text must be str, got NoneType"),
        (lambda r: r.Linter().check("Hi", 5), "Linter.check(): customer must be str or None"),
        (lambda r: r.check(b"Nope."), "replylint.check(): text must be str, got bytes"),
        (lambda r: r.Linter().check_many("Nope."), "Linter.check_many(): texts must be a list"),
        (
            lambda r: r.Linter().check_many(["Nope.", 3]),
            "Linter.check_many(): item 1 must be str or a (text, customer) pair, got int",
        ),
        (
            lambda r: r.Linter().check_many([("Nope.", 3)]),
            "Linter.check_many(): item 0: customer must be str or None, got int",
        ),
    ],
)
def test_wrong_types_are_type_errors_naming_the_parameter(call: Any, message: str) -> None:
    import replylint

    with pytest.raises(TypeError) as caught:
        call(replylint)
    assert str(caught.value).startswith(message), str(caught.value)


def test_dir_and_all_are_the_public_api() -> None:
    import replylint

    assert "Linter" in dir(replylint) and "check" in dir(replylint)
    assert "Any" not in dir(replylint) and "TYPE_CHECKING" not in dir(replylint)
    assert dir(replylint) == sorted(replylint.__all__)
    for name in replylint.__all__:
        assert getattr(replylint, name) is not None
    namespace: dict[str, Any] = {}
    exec("from replylint import *", namespace)
    assert {"Linter", "check", "Config", "Finding"} <= set(namespace)


def test_help_documents_the_linter_and_check() -> None:
    import pydoc

    import replylint

    text = pydoc.render_doc(replylint, renderer=pydoc.plaintext)
    assert "class Linter(builtins.object)" in text
    assert "check_many(self, texts" in text
    assert (
        "check(text: 'str', customer: 'str | None' = None, *, channel: 'str | None' = None)" in text
    )


@pytest.mark.parametrize(
    "module", ["replylint", "replylint.api", "replylint.models", "replylint.config"]
)
def test_public_docstrings_doctests_pass(module: str) -> None:
    """The examples in the public docstrings run (``>>>`` lines with their real output)."""
    import doctest
    import importlib

    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0
    if module in {"replylint", "replylint.api"}:
        assert result.attempted >= 5  # they have examples, and the examples ran
