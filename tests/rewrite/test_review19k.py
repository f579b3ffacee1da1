"""After blind reviews 19k and 18e (fixed after them, so not blind; none of their text is here;
the later cases: no acknowledgement from a customer's clause whose subject lost its verb, a
policy adjunct dropped after "Hi there – " leaves the clause in lower case):
a stock apology in a reply that already apologises is left out rather than made a second
apology; an opening sentence goes after "Saw your mention." or a welcome that opens the body, and
after "Hello, Ana." as a whole greeting; a paraphrase after "Hi Ana, " goes on in lower case and
is placed where the acknowledgement is; "I regret the delay", "We know how important your … is"
and "not the kind of experience we want you to have" are acknowledgements. Each case runs the
real linter (spaCy)."""

from __future__ import annotations

import pytest

from tests.suggestions import findings as _findings
from tests.suggestions import offered_where_it_fires

LAPTOP = "My laptop screen went black after the update and I lost a day of work."
PARCEL = "@ShipCo my package never arrived and nobody answers the phone"


def test_a_stock_apology_goes_where_the_reply_already_apologises() -> None:
    text = (
        "@jo_k Sorry to hear about the trouble with your order, Jo! Please DM us your order "
        "number. We apologize for the inconvenience. ^AB"
    )
    made = offered_where_it_fires(text, "scripted-apology", PARCEL)
    assert made == [
        "@jo_k Sorry to hear about the trouble with your order, Jo! Please DM us your order "
        "number. ^AB"
    ]


def test_a_stock_apology_with_more_in_it_gets_no_second_apology() -> None:
    text = (
        "@jo_k Sorry to hear about the trouble with your order, Jo! Please DM us your order "
        "number. We apologize for the inconvenience this has caused today. ^AB"
    )
    for made in offered_where_it_fires(text, "scripted-apology", PARCEL):
        assert made.lower().count("sorry") + made.lower().count("apolog") == 1, made


def test_a_stock_apology_alone_still_gets_a_specific_one() -> None:
    text = "@jo_k Please DM us your order number. We apologize for the inconvenience. ^AB"
    made = offered_where_it_fires(text, "scripted-apology", PARCEL)
    assert made and "inconvenience" not in made[0] and "sorry" in made[0].lower(), made


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        (
            "@jo_k Saw your mention. Please DM us your order number and we'll look into it. ^AB",
            "@jo_k Saw your mention. I'm sorry",
        ),
        (
            "Hi Ana, welcome to our support on Twitter. Please send us your serial number by DM "
            "and we'll check the warranty.",
            "Hi Ana, welcome to our support on Twitter. I'm sorry",
        ),
    ],
)
def test_the_acknowledgement_goes_after_a_seen_or_welcome_opening(text: str, opening: str) -> None:
    customer = PARCEL if text.startswith("@") else LAPTOP
    made = offered_where_it_fires(text, "no-acknowledgement", customer)
    assert made and made[0].startswith(opening), made


def test_a_paraphrase_goes_where_the_acknowledgement_goes() -> None:
    text = (
        "Hi Ana, welcome to our support on Twitter. Please send us your serial number by DM "
        "and we'll check the warranty."
    )
    made = offered_where_it_fires(text, "no-paraphrase", LAPTOP)
    assert made and made[0].startswith(
        "Hi Ana, welcome to our support on Twitter. Just to make sure I understand: "
    ), made


def test_a_paraphrase_after_the_greetings_comma_goes_on_in_lower_case() -> None:
    text = "Hi Ana, please send us your serial number by DM and we'll check the warranty."
    made = offered_where_it_fires(text, "no-paraphrase", LAPTOP)
    assert made and made[0].startswith("Hi Ana, just to make sure I understand: "), made
    assert "? Please send us" in made[0], made


def test_the_name_after_the_greetings_comma_is_the_greetings() -> None:
    text = "Hello, Ana. Well, please send us your serial number by DM and we'll check the warranty."
    [finding] = _findings(text, "no-acknowledgement", LAPTOP)
    assert finding.excerpt.startswith("Well, please"), finding.excerpt
    made = offered_where_it_fires(text, "no-acknowledgement", LAPTOP)
    assert made and made[0].startswith("Hello, Ana. I'm sorry "), made
    assert "Well" not in made[0] and "Please send us" in made[0], made


@pytest.mark.parametrize(
    "opening",
    [
        "I regret the delay.",
        "We know how important your laptop is to you.",
        "This is not the kind of experience that we want you to have.",
    ],
)
def test_these_are_acknowledgements(opening: str) -> None:
    text = f"@ana_k {opening} Please send us your serial number by DM and we'll check it. ^AB"
    assert not _findings(text, "no-acknowledgement", LAPTOP)
    # the same reply without them is flagged (the case proves the phrase, not the reply)
    bare = "@ana_k Please send us your serial number by DM and we'll check it. ^AB"
    assert _findings(bare, "no-acknowledgement", LAPTOP)


def test_a_check_back_goes_before_a_sign_off_on_the_last_line() -> None:
    text = "Hi Sam, I have refunded the duplicate charge to your card today. Best, Nadia"
    made = offered_where_it_fires(text, "no-check-back", "I was charged twice for my order!")
    assert made and made[0].endswith(" Best, Nadia"), made
    assert "Nadia." not in made[0], made


def test_a_misspelt_stock_apology_is_one() -> None:
    text = "Hi Sam, we apologize for the inconvenaince. Your refund is on its way."
    [finding] = _findings(text, "scripted-apology", "My refund never came through.")
    assert finding.excerpt == "apologize for the inconvenaince"


def test_no_acknowledgement_from_a_clause_whose_subject_lost_its_verb() -> None:
    # "The only option I have it to reschedule, but …": cut at the comma, "option" has no verb
    customer = (
        "@AirCo why can’t I cancel my trip to Spain in July? The only choice I have it to "
        "rebook, but the trip was for a wedding which is now cancelled"
    )
    text = (
        "@vic_d If you're not sure how to, please see the following link for more details. "
        "https://example.com/cancel Sam"
    )
    made = offered_where_it_fires(text, "no-acknowledgement", customer)
    assert made and all("choice you have" not in m for m in made), made


def test_a_policy_adjunct_dropped_after_a_dash_leaves_the_clause_in_lower_case() -> None:
    text = (
        "@tv_k Hi there – per our terms and conditions, you are only allowed to have one "
        "rewards account. This guide explains the next steps: https://example.com/rewards"
    )
    made = offered_where_it_fires(text, "bare-policy")
    assert made and made[0].startswith("@tv_k Hi there – you are only allowed"), made


def test_a_stock_apology_that_names_the_issue_keeps_it() -> None:
    text = (
        "@tam_r We apologize for the inconvenience in respect to the signal outage, we are aware "
        "of it and engineers are on site. Please bear with us. DA"
    )
    made = offered_where_it_fires(text, "scripted-apology")
    assert made and made[0].startswith("@tam_r I'm sorry about the signal outage. "), made


def test_the_stock_thanks_for_patience_keeps_the_thanks() -> None:
    text = (
        "Hello,\n\nPlease open the app and send us a screenshot of the Profile tab as a reply to "
        "this email.\n\nThank you for your patience and understanding.\n\nBest,\nNadia"
    )
    made = offered_where_it_fires(text, "scripted-apology")
    assert made and "Thank you for your patience and understanding while we <" in made[0], made
    assert "sorry" not in made[0].lower(), made


def test_a_time_of_day_and_a_name_is_a_greeting() -> None:
    text = (
        "@jas_p Evening Jas. As your train was over an hour late you can claim here: "
        "https://example.com/claim Rach"
    )
    made = offered_where_it_fires(text, "no-acknowledgement", "@RailCo an hour late again tonight")
    assert made and made[0].startswith("@jas_p Evening Jas. I'm sorry"), made
    assert not _findings(text, "missing-greeting", "@RailCo an hour late again tonight")


def test_the_acknowledgement_goes_after_warmth_returned() -> None:
    text = (
        "@bo_t We love you too! 😄 Please give this a shot: https://example.com/fix and let us "
        "know if there's still any issue. ~Al"
    )
    customer = (
        "@ShopCo I love you all, so please don't take this wrong, but the tool that writes the "
        "listing summary is badly broken."
    )
    made = offered_where_it_fires(text, "no-acknowledgement", customer)
    assert made and made[0].startswith("@bo_t We love you too! 😄 I'm sorry"), made


def test_a_later_part_of_a_thread_is_rewritten_as_check_judges_it() -> None:
    # (the composer's re-lint asked a "2/2" part for an acknowledgement check() does not ask
    # of it, blamed the one edit, and then had no edit left to blame: an IndexError)
    from tests.suggestions import linter

    text = "@ana_k here: https://example.com/a and I'll contact you soon. 2/2 ^AH"
    report = linter().check(text, "@ShopCo my kindle was never delivered and you refuse a refund")
    assert [f.rule for f in report.findings] == ["vague-timeline"]
    assert report.rewritten() == text.replace("soon", "by <day/time>")
