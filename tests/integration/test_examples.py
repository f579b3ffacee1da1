"""The shipped examples behave as the README says: bad drafts are flagged, good ones are clean."""

from __future__ import annotations

from pathlib import Path

import pytest

DRAFTS = Path(__file__).resolve().parents[2] / "examples" / "drafts"
BAD = sorted(DRAFTS.glob("bad-*.txt"))
GOOD = sorted(DRAFTS.glob("good-*.txt"))


def test_there_are_enough_examples() -> None:
    assert len(BAD) + len(GOOD) >= 10
    assert len(BAD) >= 5 and len(GOOD) >= 5


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_draft_is_flagged(linter, path: Path) -> None:
    report = linter.check(path.read_text(encoding="utf-8"))
    assert any(f.severity.value == "warning" for f in report.findings), path.name


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_draft_is_clean(linter, path: Path) -> None:
    report = linter.check(path.read_text(encoding="utf-8"))
    assert report.findings == [], [(f.rule, f.excerpt) for f in report.findings]
