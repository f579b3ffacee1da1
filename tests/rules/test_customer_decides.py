"""The customer's message decides whether a reply's soft no is a problem the customer feels
(no-acknowledgement; an ``unless`` spec's ``customer_signals`` read the customer's message)."""

from __future__ import annotations

import pytest

from replylint import Linter

SOFT_NO = (
    "@51200 Right now it isn't possible to export every invoice at once, but you can pick "
    "a date range under Billing > Export. ^RM"
)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(select="no-acknowledgement", channel="social")


def _fires(linter: Linter, text: str, customer: str | None) -> bool:
    return any(f.rule == "no-acknowledgement" for f in linter.check(text, customer).findings)


def test_a_soft_no_to_a_how_to_question_is_no_problem(linter: Linter) -> None:
    assert not _fires(linter, SOFT_NO, "@Ledgerly how do I export all my invoices in one go?")


def test_the_same_soft_no_without_the_customer_is_no_evidence_of_a_problem(
    linter: Linter,
) -> None:
    # a no answered in the same breath with what the customer can do is a calm product answer
    # (blind review 19o judged an acknowledgement asked of it wrong; signal bare-refusal)
    assert not _fires(linter, SOFT_NO, None)
    # the same no with nothing after it still is
    bare = "@51200 Right now it isn't possible to export every invoice at once. ^RM"
    assert _fires(linter, bare, None)


def test_the_same_soft_no_to_an_angry_customer_is_a_problem(linter: Linter) -> None:
    angry = "@Ledgerly third time asking!!! how do I export my invoices, nobody replies"
    assert _fires(linter, SOFT_NO, angry)


def test_a_curt_no_to_a_calm_customer_is_still_a_problem(linter: Linter) -> None:
    assert _fires(linter, "@51200 Nope. ^RM", "@Ledgerly can I export all invoices at once?")


def test_praise_is_no_complaint(linter: Linter) -> None:
    customer = "@Ledgerly your support team were amazing today, thank you so much!"
    assert not _fires(
        linter, "@51200 Thanks! Sadly we can't send cake, but we'll tell them. ^RM", customer
    )
