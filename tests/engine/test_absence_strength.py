"""An absence rule's ``strong`` evidence: its finding keeps the rule's severity only where that
evidence is present (in the draft, or for ``customer_signals`` in the customer's message);
elsewhere it carries ``weak_severity``, or is not made (``off``). The rule file says so and the
rule book checks it on load."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from replylint import Linter
from replylint.config import Config
from replylint.models import Finding, Severity
from tests.rules.test_rulebook import VALID, _load_error


def _rule(weak: str | None = None, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    del data["match"]
    data.update(
        kind="absence",
        trigger={"phrases": ["(delayed|issue)"]},
        require={"phrases": ["sorry"]},
        strong={"phrases": ["delayed"], "customer_signals": ["complaint"]},
        examples={"fail": ["Your parcel was delayed."], "pass": ["Sorry, it was delayed."]},
    )
    if weak is not None:
        data["weak_severity"] = weak
    data.update(changes)
    return data


def _linter(folder: Path, data: dict[str, Any]) -> Linter:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "my-rule.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return Linter(Config(rules_dir=(str(folder),), select=("my-rule",)))


def _mine(linter: Linter, text: str, customer: str | None = None) -> list[Finding]:
    return [f for f in linter.check(text, customer).findings if f.rule == "my-rule"]


def test_strong_evidence_keeps_the_rules_severity_and_weak_is_info(tmp_path: Path) -> None:
    linter = _linter(tmp_path, _rule())
    strong = _mine(linter, "Your parcel was delayed at the depot.")
    assert [f.severity for f in strong] == [Severity.WARNING]
    weak = _mine(linter, "Send us a photo of the issue.")
    assert [f.severity for f in weak] == [Severity.INFO]  # weak_severity defaults to info
    assert weak[0].excerpt == "Send us a photo of the issue."  # the same finding, placed
    assert _mine(linter, "Sorry, send us a photo of the issue.") == []  # requirement met


def test_a_complaint_in_the_customers_message_is_strong_evidence(tmp_path: Path) -> None:
    linter = _linter(tmp_path, _rule())
    complaint = "my parcel arrived broken and nobody has answered my emails"
    found = _mine(linter, "Send us a photo of the issue.", complaint)
    assert [f.severity for f in found] == [Severity.WARNING]
    calm = _mine(linter, "Send us a photo of the issue.", "Which photo do you need?")
    assert [f.severity for f in calm] == [Severity.INFO]


def test_weak_severity_off_drops_the_weak_finding(tmp_path: Path) -> None:
    linter = _linter(tmp_path, _rule(weak="off"))
    assert _mine(linter, "Send us a photo of the issue.") == []
    assert [f.severity for f in _mine(linter, "It was delayed.")] == [Severity.WARNING]


def test_a_projects_severity_setting_still_wins(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    _linter(folder, _rule())
    config = Config(rules_dir=(str(folder),), select=("my-rule",), severity={"my-rule": "error"})
    found = [f for f in Linter(config).check("Send us a photo of the issue.").findings]
    assert [(f.rule, f.severity) for f in found] == [("my-rule", Severity.ERROR)]


def test_strong_is_only_for_absence_rules(tmp_path: Path) -> None:
    data = copy.deepcopy(VALID)
    data["strong"] = {"phrases": ["policy"]}
    (tmp_path / "my-rule.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    message = _load_error(tmp_path)
    assert "my-rule.yaml" in message and "only an 'absence' rule takes 'strong'" in message


def test_weak_severity_must_be_below_the_rules_own(tmp_path: Path) -> None:
    (tmp_path / "my-rule.yaml").write_text(
        yaml.safe_dump(_rule(weak="warning"), sort_keys=False), "utf-8"
    )
    message = _load_error(tmp_path)
    assert "my-rule.yaml" in message and "'weak_severity' must be below" in message


def test_an_unknown_signal_in_strong_names_the_file(tmp_path: Path) -> None:
    data = _rule(strong={"signals": ["no-such-signal"]})
    (tmp_path / "my-rule.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    message = _load_error(tmp_path)
    assert "my-rule.yaml" in message and "no-such-signal" in message


def _two_rules(folder: Path, strong: bool) -> Linter:
    """my-rule (absence, on "issue" without "sorry") and a rule whose rewrite brings "issue"."""
    folder.mkdir(parents=True, exist_ok=True)
    absent = _rule(weak="off", trigger={"phrases": ["issue"]})
    if not strong:
        del absent["strong"], absent["weak_severity"]
    (folder / "my-rule.yaml").write_text(yaml.safe_dump(absent, sort_keys=False), "utf-8")
    other = copy.deepcopy(VALID)
    other.update(
        id="curt-rule",
        match={"phrases": ["no can do"]},
        rewrite={
            "template": "we hit an issue there",
            "mode": "replace",
            "description": "Say it plainly",
            "applicability": "unsafe",
        },
        examples={"fail": ["Hi Tom, no can do, thanks."], "pass": ["Hi Tom, thanks."]},
    )
    (folder / "curt-rule.yaml").write_text(yaml.safe_dump(other, sort_keys=False), "utf-8")
    return Linter(Config(rules_dir=(str(folder),), select=("my-rule", "curt-rule")))


def test_the_gate_counts_a_weak_finding_as_no_new_warning(tmp_path: Path) -> None:
    """A suggestion that brings the trigger of a rule with ``strong`` evidence, and not the
    evidence, adds no warning (the finding would be weak): the gate offers it. Without
    ``strong`` the same edit adds a warning and is refused."""
    text = "Hi Tom, no can do, thanks."
    with_strong = _two_rules(tmp_path / "a", strong=True).check(text).findings
    curt = [f for f in with_strong if f.rule == "curt-rule"]
    assert [s.replacement for s in curt[0].suggestions] == ["we hit an issue there"]
    without = _two_rules(tmp_path / "b", strong=False).check(text).findings
    assert [f.suggestions for f in without if f.rule == "curt-rule"] == [[]]
