"""Blind review 18b's classes, in our own words: a condescending put-down that is a word or a
tag is deleted and everything else kept, and where it is neither no suggestion is offered (a
slot asking to restate the sentence is not fillable); a fixed template replaces a sentence only
when the sentence is (nearly) all the flagged phrase. Each case runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.models import Finding

LINTER = Linter()


def _finding(text: str, rule: str, customer: str | None = None, channel: str | None = None) -> Finding:
    report = LINTER.check(text, customer, channel=channel)
    found = [f for f in report.findings if f.rule == rule]
    assert found, f"{rule} should fire: {[f.rule for f in report.findings]}"
    return found[0]


def _applied(text: str, f: Finding) -> str | None:
    if not f.suggestions:
        return None
    s = f.suggestions[0]
    return text[: s.start] + s.replacement + text[s.end :]


# -- condescending: delete the put-down, or offer nothing ----------------------------------------

PUT_DOWNS = [
    (
        "@kim_o Deleting the thread would get your account suspended, and surely we don't want "
        "that! ^LM",
        None,
        "@kim_o Deleting the thread would get your account suspended. ^LM",
    ),
    (
        "Posting it twice breaks the rules. We wouldn't want that, would we? Thanks, Ana",
        None,
        "Posting it twice breaks the rules. Thanks, Ana",
    ),
    (
        "If you use a GUI client, you can simply `Add remote...` and paste the URL from above.",
        None,
        "If you use a GUI client, you can `Add remote...` and paste the URL from above.",
    ),
    (
        "Hi {{first_name}},\n\nAs stated in our terms: Vouchers are non-transferable.\n\nBest,\nTeam",
        "macro",
        "Hi {{first_name}},\n\nVouchers are non-transferable.\n\nBest,\nTeam",
    ),
    (
        "As outlined in our terms, we do not allow resale of tickets and we cancel orders that "
        "break this rule.",
        None,
        "We do not allow resale of tickets and we cancel orders that break this rule.",
    ),
]


@pytest.mark.parametrize(("text", "channel", "after"), PUT_DOWNS)
def test_a_put_down_word_or_tag_is_deleted_and_the_facts_kept(
    text: str, channel: str | None, after: str
) -> None:
    assert _applied(text, _finding(text, "condescending", channel=channel)) == after


@pytest.mark.parametrize(
    "text",
    [
        "Please calm down so I can help you.",
        "@jo_reads For the last time, the sale ended on Sunday and prices are back to normal. -PK",
    ],
)
def test_no_restate_it_slot_is_offered_where_nothing_can_be_deleted(text: str) -> None:
    f = _finding(text, "condescending")
    assert f.suggestions == []
