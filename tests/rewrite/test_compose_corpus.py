"""The composer on every draft of the rewrite corpus (tests/rewrites/, issue 18): whatever the
builders suggest, the composed reply keeps its leading @handles first and unchanged, its
sign-off, initials and quoted text last and unchanged, has at most one apology more than none
(never a second), repeats no sentence and no blank, keeps a social reply within 280
characters, and carries no warning the draft did not have when it is linted again."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from replylint import Linter
from replylint.models import DraftReport
from replylint.rewrite.compose import new_warnings
from replylint.rewrite.placement import layout

FOLDER = Path(__file__).resolve().parents[1] / "rewrites"
CASES = [
    pytest.param(case, id=case["id"])
    for path in sorted(FOLDER.glob("*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]
APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e[sd]?|apologies)\b", re.IGNORECASE)
SENTENCE = re.compile(r"[^.!?\n]+[.!?]+(?=\s|$)")
SLOT = re.compile(r"<[a-z][^<>]*>")
_LINTERS: dict[str, Linter] = {}


def _linter(channel: str) -> Linter:
    if channel not in _LINTERS:
        _LINTERS[channel] = Linter(channel=channel)
    return _LINTERS[channel]


def _sentences(text: str) -> Counter[str]:
    return Counter(" ".join(m.group().lower().split()) for m in SENTENCE.finditer(text))


def composed(case: dict[str, Any]) -> tuple[DraftReport, str]:
    report = _linter(case["channel"]).check(case["text"], case.get("customer"))
    return report, report.rewritten()


@pytest.mark.parametrize("case", CASES)
def test_the_composed_reply_keeps_its_shape(case: dict[str, Any]) -> None:
    text = case["text"]
    _, new = composed(case)
    lay = layout(text)
    # handles (and a thread marker after them) first, as written
    assert new.startswith(text[: lay.head])
    # the closing structure, sign-off block and trailing quoted text last, as written
    tail = text[lay.closing :].rstrip()
    assert new.rstrip().endswith(tail), (tail, new)
    # no second apology where the draft had at most one
    assert len(APOLOGY.findall(new)) <= max(1, len(APOLOGY.findall(text))), new
    # no sentence and no blank twice (unless the draft had it twice)
    before, after = _sentences(text), _sentences(new)
    assert not [s for s, n in after.items() if n > 1 and n > before[s]], new
    slots = Counter(SLOT.findall(new))
    assert not [s for s, n in slots.items() if n > 1], new
    # no double space or space before a full stop made by the composer
    for seam in ("  ", " .", ". .", ".."):
        assert new.count(seam) <= text.count(seam), (seam, new)
    if case["channel"] == "social":
        assert len(new) <= max(280, len(text))


@pytest.mark.parametrize("case", CASES)
def test_the_composed_reply_brings_no_new_warning(case: dict[str, Any]) -> None:
    report, new = composed(case)
    again = _linter(case["channel"]).check(new, case.get("customer"))
    assert not new_warnings(report.findings, again.findings), (
        new,
        [(f.rule, f.excerpt) for f in new_warnings(report.findings, again.findings)],
    )
