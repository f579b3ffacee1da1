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


# -- a fixed template over a factual sentence ----------------------------------------------------

FACTUAL_SENTENCES = [
    # a diagnosis (the customer's own setup) in the flagged phrase itself
    ("blame-others", "Hi,\n\nThis looks like a problem with your node/npm install and not with Acme CLI.\n\nThanks", "macro"),
    # the reason a report is closed
    (
        "blame-customer",
        "Hello {{user}},\n\nI'm closing this issue. However, you didn't give enough detail for us to "
        "reproduce the crash.\n\n{{agent}}",
        "macro",
    ),
    # who the customer must contact: a fact, not a hand-off of ours
    (
        "passing-the-buck",
        "@dee_m If Skyline Air flew the last leg, you'd need to contact them about your delayed "
        "bag. ^RT",
        None,
    ),
    # a refusal: a hand-off would be one the writer never made
    ("passing-the-buck", "@ola_f There's nothing I can do from here, sorry. ^KB", None),
]


@pytest.mark.parametrize(("rule", "text", "channel"), FACTUAL_SENTENCES)
def test_a_template_never_replaces_a_sentence_that_says_more(
    rule: str, text: str, channel: str | None
) -> None:
    report = LINTER.check(text, None, channel=channel)
    found = [f for f in report.findings if f.rule == rule]
    for f in found:  # where the finding fires, it offers no template over the sentence
        assert f.suggestions == [], (f.excerpt, f.suggestions[0].replacement)


def test_a_template_still_replaces_a_sentence_that_is_all_the_flagged_phrase() -> None:
    text = "@kai_p I've passed this on to the relevant team. Your case number is 55102. ^JS"
    after = _applied(text, _finding(text, "passing-the-buck"))
    assert after is not None and after.startswith("@kai_p I've asked <name>")
    assert after.endswith("Your case number is 55102. ^JS")


def test_no_template_commits_the_writer_to_a_fix() -> None:
    text = "@ivy_r That's the warehouse's fault, not ours. A new pair ships Monday. -LC"
    after = _applied(text, _finding(text, "blame-others"))
    assert after is not None and "I'll fix" not in after and "A new pair ships Monday." in after


@pytest.mark.parametrize(
    ("text", "channel", "kept"),
    [
        (
            "Hi {{first_name}},\n\nPlease note that under our Terms of Service, a member can "
            "only hold one Zappa account.\n\nKind regards,\n{{agent}}",
            "macro",
            "a member can only hold one Zappa account.",
        ),
        (
            "@rob_t Please note that as per our policy, each customer may only hold one loyalty "
            "card. ^SK",
            None,
            "each customer may only hold one loyalty card.",
        ),
    ],
)
def test_a_benefit_lead_keeps_the_limitation_after_a_please_note_frame(
    text: str, channel: str | None, kept: str
) -> None:
    after = _applied(text, _finding(text, "bare-policy", channel=channel))
    assert after is not None and kept in after and "please note." not in after.lower()
