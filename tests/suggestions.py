"""Helpers of the tests that look at one rule's suggestions on a draft (tests/rewrite): the
findings of a rule, and the draft with a finding's first suggestion applied. One linter for
them all (the real spaCy pipeline, loaded once per process)."""

from __future__ import annotations

import re
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


def said_back(text: str, customer: str) -> str | None:
    """The customer's words as the paraphrase says them back ("you were charged twice"), on
    the e-mail channel (where no-paraphrase is on), or None when it offers the slot. The
    customer's clause is only ever said back there: an apology is never built from it (blind
    reviews 18j–18n)."""
    (f,) = findings(text, "no-paraphrase", customer, channel="email")
    assert f.suggestions, "no-paraphrase offers nothing"
    made = f.suggestions[0].replacement  # (may end on the next word's letter, recapitalised)
    said = re.match(r"\s*just to make sure I understand: (.+?)\. Is that right\? ", made, re.I)
    assert said is not None, made
    return None if said.group(1).startswith("<") else said.group(1)


def rule_ids(text: str, customer: str | None = None, channel: str | None = "email") -> set[str]:
    """The ids of the rules that fire on ``text`` (an e-mail unless ``channel`` says)."""
    return {f.rule for f in linter().check(text, customer, channel=channel).findings}


def all_applied(
    text: str, rule: str, customer: str | None = None, channel: str | None = "email"
) -> list[str]:
    """``text`` with each suggestion of each finding of ``rule`` applied, one at a time."""
    return [
        text[: s.start] + s.replacement + text[s.end :]
        for f in findings(text, rule, customer, channel)
        for s in f.suggestions
    ]
