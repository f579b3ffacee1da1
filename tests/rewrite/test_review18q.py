"""After blind review 18q (fixed after it, so not blind; our own words): a check-back is never
appended to a pasted terminal session or code that ends the body, and a vague time inside a
hedge ("I might get some time soon") gets no "by <day/time>" slot, since no date can honestly
go there. Each has its counterpart that still gets the suggestion. Real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _suggestions(linter: Linter, rule: str, text: str, customer: str | None = None) -> list[str]:
    report = linter.check(text, customer, channel="email")
    found = [f for f in report.findings if f.rule == rule]
    assert found, f"{rule} did not fire on {text!r}"
    return [s.replacement for f in found for s in f.suggestions]


_CUSTOMER = "Is it possible to set up a REPL for the interpreter? It keeps failing for me."


def test_no_check_back_inside_a_pasted_session(linter: Linter) -> None:
    text = (
        "Hi Andreas,\n\nYes. Run the jar with no script and type your code:\n\n"
        "[raffi at box ~/sleep]$ java -jar sleep.jar\n"
        "> interact\n"
        "$x = 45 * 10;\n"
        'println("Value is: $x");\n'
        "Value is: 450\n\n-- Raphael\n"
    )
    assert _suggestions(linter, "no-check-back", text, _CUSTOMER) == []


def test_a_check_back_after_prose_still_offered(linter: Linter) -> None:
    text = (
        "Hi Andreas,\n\nYes. Run the jar with no script, then type interact and your code. "
        "Type done on a line by itself to leave.\n\n-- Raphael\n"
    )
    offered = _suggestions(linter, "no-check-back", text, _CUSTOMER)
    assert offered and "Does that work for you?" in offered[0]


def test_no_date_slot_in_a_hedge(linter: Linter) -> None:
    hedge = "Hi Oleg,\n\nNot now. I might get some time soon, so add a bug about it.\n\nMike\n"
    assert _suggestions(linter, "vague-timeline", hedge) == []
    promise = "Hi Oleg,\n\nNot right now. I'll get to it soon, so add a bug about it.\n\nMike\n"
    assert _suggestions(linter, "vague-timeline", promise) == ["by <day/time>"]
