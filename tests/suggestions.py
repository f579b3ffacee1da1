"""Helpers of the tests that look at one rule's suggestions on a draft (tests/rewrite): the
findings of a rule, and the draft with a finding's first suggestion applied. One linter for
them all (the real spaCy pipeline, loaded once per process)."""

from __future__ import annotations

from functools import cache

from replylint import Linter
from replylint.models import Finding


@cache
def linter() -> Linter:
    return Linter()


def findings(
    text: str, rule: str, customer: str | None = None, channel: str | None = None
) -> list[Finding]:
    """The findings of ``rule`` on ``text``."""
    report = linter().check(text, customer, channel=channel)
    return [f for f in report.findings if f.rule == rule]


def applied(text: str, f: Finding) -> str | None:
    """``text`` with the first suggestion of ``f`` applied, or None when it has none."""
    if not f.suggestions:
        return None
    s = f.suggestions[0]
    return text[: s.start] + s.replacement + text[s.end :]


def offered(
    text: str, rule: str, customer: str | None = None, channel: str | None = None
) -> list[str]:
    """The drafts with the rule's first suggestion applied (one per finding that has one)."""
    return [a for f in findings(text, rule, customer, channel) if (a := applied(text, f))]


def offered_where_it_fires(
    text: str, rule: str, customer: str | None = None, channel: str | None = None
) -> list[str]:
    """:func:`offered`, once the rule is checked to fire on ``text`` at all (a case about a
    finding's suggestion proves nothing where the finding is gone)."""
    assert findings(text, rule, customer, channel), "the finding this case is about does not fire"
    return offered(text, rule, customer, channel)
