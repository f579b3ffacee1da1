"""Suggestions on the shapes of Twitter customer-care replies and formal macros that a
development set of real replies showed (IBM customer-care tweets, 2020; judged by a reviewer who
did not write the code; none of their text is here): no "by <day/time>" for a time that is not
the writer's to give, an acknowledgement before a thanks that runs into the answer, a customer's
clause kept whole across a hyphen, no apology for a hedged "possible issue", nothing to say sorry
for in stock praise, and no "<the issue>" slot when the reply asks what the issue is. Each case
runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from tests.suggestions import applied as _applied
from tests.suggestions import findings as _findings

# -- vague-timeline: no slot for a time that is not the writer's to give ------------------------


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        # after a step the customer still has to take
        (
            "@kev_m Hi Kev, please share a few details here so that we can reach out asap: "
            "https://example.com/new",
            None,
        ),
        (
            "@ana_p If that doesn't work, contact us here https://example.com/help/new and we'll "
            "assist as soon as possible. ^SA",
            None,
        ),
        # another team acts
        (
            "Dear Customer,\n\nYou can expect our claims team to reach out to you by email as soon "
            "as possible.\n\nKind regards,\nSupport Team",
            "macro",
        ),
    ],
)
def test_no_day_or_time_slot_for_a_time_that_is_not_the_writers(
    text: str, channel: str | None
) -> None:
    found = _findings(text, "vague-timeline", channel=channel)
    assert found, "the finding this case is about does not fire"
    assert all(not f.suggestions for f in found), [f.suggestions for f in found]


def test_the_writers_own_vague_promise_still_gets_the_slot() -> None:
    (found,) = _findings("Thanks, Ravi. We'll be in touch soon.", "vague-timeline")
    assert found.suggestions[0].replacement == "by <day/time>"


# -- placement: a thanks that runs on into the answer is no greeting ---------------------------


def test_the_acknowledgement_goes_after_the_thanks_that_opens_the_body() -> None:
    customer = "@TubeCo the captions on my videos have been broken for a week, so annoying"
    cases = [
        # a thanks that runs on into the answer after a dash: after the thanks, not the answer
        (
            "@jk_walrus Thanks for sending this our way – we recommend reporting it through the "
            "feedback tool. Here's how: https://example.com/feedback",
            "@jk_walrus Thanks for sending this our way – I'm sorry",
        ),
        # a thanks sentence, and word that the message was seen
        (
            "@jc_85 Hello Jim. Thanks for reaching out to us. Please check your caption settings "
            "here: https://example.com/captions",
            "@jc_85 Hello Jim. Thanks for reaching out to us. I'm sorry",
        ),
        (
            "@lew_g Hello, I saw your message. You can turn the captions back on here: "
            "https://example.com/captions -Angie",
            "@lew_g Hello, I saw your message. I'm sorry",
        ),
    ]
    for text, start in cases:
        (found,) = _findings(text, "no-acknowledgement", customer)
        after = _applied(text, found)
        assert after is not None and after.startswith(start), after


def test_a_macro_acknowledgement_goes_after_thank_you_for_contacting_us() -> None:
    text = (
        "Hello!\n\nThank you for contacting us.\n\nWe kindly ask you to send us screenshots of "
        "each step you took before you saw the error message.\n\nThank you in advance."
    )
    (found,) = _findings(text, "no-acknowledgement", "The app shows an error and I'm stuck")
    after = _applied(text, found)
    assert after is not None
    assert after.startswith("Hello!\n\nThank you for contacting us.\n\nI'm sorry"), after


# -- the reply's own issue: not a hedged or generic one -----------------------------------------


def test_no_apology_for_a_possible_issue() -> None:
    text = (
        "Thank you for your reply.\n\nYour transfer is taking longer than we expected. Our partner "
        "bank will resolve the possible issue with your transfer, and we will email you with the "
        "result."
    )
    (found,) = _findings(text, "no-acknowledgement", channel="macro")
    assert found.suggestions, "the finding this case is about has no suggestion"
    assert "possible issue" not in found.suggestions[0].replacement


# -- scripted-apology: stock praise has nothing to say sorry for --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dear Customer,\n\nWe truly value your feedback and thank you for sharing it with us."
        "\n\nKind regards,\nSupport Team",
        "Dear Customer,\n\nWe are always striving to provide the best service possible.\n\n"
        "Kind regards,\nSupport Team",
    ],
)
def test_stock_praise_gets_no_apology(text: str) -> None:
    found = _findings(text, "scripted-apology", channel="macro")
    assert found, "the finding this case is about does not fire"
    assert all(not f.suggestions for f in found), [f.suggestions for f in found]


def test_a_stock_apology_still_gets_a_specific_one() -> None:
    text = "Hi Mo,\n\nYour parcel was delayed at the depot. We apologize for the inconvenience.\n"
    (found,) = _findings(text, "scripted-apology", "My parcel is a week late")
    assert found.suggestions and "sorry" in found.suggestions[0].replacement.lower()


# -- no "<the issue>" slot when the reply asks what the issue is --------------------------------


def test_no_issue_slot_when_the_reply_asks_to_be_told_the_trouble() -> None:
    text = "@grim_r Please let us know what you are having trouble with and we'll gladly help. *TB"
    found = _findings(text, "no-acknowledgement", "@GameCo I need help now, this is ridiculous")
    assert found, "the finding this case is about does not fire"
    assert all(not f.suggestions for f in found), [f.suggestions for f in found]


def test_no_apology_slot_for_a_contribution_turned_down() -> None:
    text = (
        "Thanks for suggesting this change! Unfortunately, we are not accepting new integrations "
        "at the moment, so I'm closing this for now."
    )
    (found,) = _findings(text, "no-acknowledgement")
    assert not found.suggestions, found.suggestions
    # a bug report confirmed is trouble: the slot is still offered there, after the thanks
    bug = "Thanks for the report. I can reproduce the crash on launch, so this is a real bug."
    (found,) = _findings(bug, "no-acknowledgement")
    after = _applied(bug, found)
    assert after is not None and after.startswith("Thanks for the report. I'm sorry"), after
