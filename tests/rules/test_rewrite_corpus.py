"""The rewrite corpus (tests/rewrites/, issue 18) is well formed: every case loads, ids are
unique, rule ids exist, every span it names is in its draft, and a social reply's whole
rewritten text keeps to its 280 characters and its leading @handles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from replylint.rulebook import load_rulebook

FOLDER = Path(__file__).resolve().parents[1] / "rewrites"
CHANNELS = {"social", "email", "chat", "macro"}
CASE_KEYS = {"id", "channel", "customer", "text", "expect", "rewritten", "note"}
EXPECT_KEYS = {"rule", "suggestion", "span", "at", "accept", "note"}
HANDLES = re.compile(r"^((?:@\w+\s+)+)")
CASES = [
    pytest.param(case, id=case["id"])
    for path in sorted(FOLDER.glob("*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]


def test_the_corpus_is_big_enough_and_ids_are_unique() -> None:
    ids = [p.values[0]["id"] for p in CASES]
    assert len(ids) >= 200
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES)
def test_a_case_is_well_formed(case: dict[str, object]) -> None:
    rules = load_rulebook().rules
    assert set(case) <= CASE_KEYS and {"id", "channel", "text", "expect"} <= set(case)
    assert case["channel"] in CHANNELS
    text = case["text"]
    assert isinstance(text, str) and text.strip()
    expect = case["expect"]
    assert isinstance(expect, list)
    for entry in expect:
        assert set(entry) <= EXPECT_KEYS and "rule" in entry and "suggestion" in entry
        assert entry["rule"] in rules, entry["rule"]
        span = entry.get("span")
        if span:
            assert span in text, (entry["rule"], span)
        at = entry.get("at")
        if at and at not in ("start", "end"):
            assert at in text, (entry["rule"], at)
    rewritten = case.get("rewritten")
    if case["channel"] == "social" and isinstance(rewritten, str):
        assert len(rewritten.rstrip("\n")) <= 280
        handles = HANDLES.match(text)
        if handles:
            assert rewritten.startswith(handles.group(1))
