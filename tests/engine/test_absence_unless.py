"""An absence rule's ``unless``: a window that excuses the one finding the rule would make
(no-check-back is quiet when the reply asks for information or redirects elsewhere)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from replylint import Linter
from replylint.config import Config
from tests.rules.test_rulebook import VALID


def _linter(folder: Path, unless: list[dict[str, Any]]) -> Linter:
    data = copy.deepcopy(VALID)
    del data["match"]
    data.update(
        kind="absence",
        anchor="last-trigger",
        trigger={"phrases": ["(i've|we've) refunded"]},
        require={"phrases": ["let me know"]},
        unless=unless,
        examples={"fail": ["I've refunded it."], "pass": ["I've refunded it. Let me know."]},
    )
    (folder / "my-rule.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return Linter(Config(rules_dir=(str(folder),), select=("my-rule",)))


def _fires(linter: Linter, text: str) -> bool:
    return any(f.rule == "my-rule" for f in linter.check(text).findings)


def test_a_document_window_excuses_the_finding_from_anywhere(tmp_path: Path) -> None:
    linter = _linter(tmp_path, [{"window": "document", "phrases": ["order number"]}])
    assert _fires(linter, "Sorry. I've refunded the fee. It shows in three days.")
    assert not _fires(linter, "Send us your order number. I've refunded the fee.")


def test_a_sentence_window_excuses_only_around_the_anchor(tmp_path: Path) -> None:
    linter = _linter(tmp_path, [{"window": "sentence", "phrases": ["order number"]}])
    assert not _fires(linter, "I've refunded the fee on order number 12.")
    assert _fires(linter, "Order number 12 was late. Thanks. I've refunded the fee.")
