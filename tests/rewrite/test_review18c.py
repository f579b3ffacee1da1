"""Blind review 18c's classes, in our own words: the check-back promises nothing the reply says
cannot be done (and is offered only where there is a fix or steps to check); new text stays
before a tweet's closing initials or name in every format; a bare-policy replacement covers
the whole phrase naming the policy; an opening sentence goes after a greeting that ends with
the customer's name (and after a "1:" thread marker); the alternative slot is not offered
where the draft already offers a way. Each case runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from tests.suggestions import applied as _applied
from tests.suggestions import findings as _findings
from tests.suggestions import linter
from tests.suggestions import offered as _offered

LINTER = linter()

FULL = "Does that work for you? If not, just reply here."
NEUTRAL = "If you have any other questions, just reply here."


# -- check-back: after a limit, a refusal or "not ours", the neutral invitation -----------------

LIMITS = [
    (
        "@jo_pr This isn't something we can change from our side. You may need to update the "
        "address in your profile and try again. ^TR",
        None,
    ),
    (
        "Hi {{first_name}},\n\nOnly the account holder can close the account, to keep it safe. "
        "Please sign in and choose Close account under Settings.\n\nBest,\n{{agent_name}}",
        "macro",
    ),
    (
        "Thanks for the idea! We'll pass your feedback on to the product team. Meanwhile, try "
        "exporting the list as CSV and sorting it there.",
        None,
    ),
    (
        "Please post replies in the comments only. You should edit your original question to add "
        "the new details.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "channel"), LIMITS)
def test_no_promise_to_take_care_of_what_the_reply_limits(text: str, channel: str | None) -> None:
    for after in _offered(text, "no-check-back", channel=channel):
        assert "take care of it" not in after, after


def test_a_plain_fix_keeps_the_full_check_back() -> None:
    text = "@ollie_d Try restarting the app and signing in again, that clears the sync error. ^VP"
    assert _offered(text, "no-check-back") == [f"{text[:-4]} {FULL} ^VP"]


def test_steps_with_a_supporting_link_on_social_still_check_back() -> None:
    text = "@kay_w Please restart your router and try again: https://t.co/Ab12Cd ^LN"
    assert [a for a in _offered(text, "no-check-back") if FULL in a]


# -- check-back: nothing where there is no fix to check ----------------------------------------

NOTHING_TO_CHECK = [
    # an explanation and an apology
    (
        "The payment screen says transfers can take up to 3 business days, depending on the "
        "receiving bank.\n\nWe completely understand your frustration and we're very sorry "
        "for the wait.",
        "macro",
    ),
    # a brand's marketing tweet
    (
        "@88120 Nothing says Friday like warm cinnamon rolls and a coffee. #FriYay https://t.co/Zz9",
        None,
    ),
    # a redirect to a DM on social
    (
        "@jay_k I've replied to your DM, please take a look when you can. Thanks for bearing "
        "with us! ^PL",
        None,
    ),
    # a link redirect on social, the initials before the link
    ("@m_ore Please use the link to send us your booking reference. *DW https://t.co/Xy7Qp", None),
    # a routing notice
    (
        "This request belongs with the billing team. Don't paste card numbers in this thread; "
        "the billing route is listed below.",
        "macro",
    ),
]


@pytest.mark.parametrize(("text", "channel"), NOTHING_TO_CHECK)
def test_no_check_back_without_a_fix(text: str, channel: str | None) -> None:
    assert _offered(text, "no-check-back", channel=channel) == []


# -- closing initials and names: new text goes before them --------------------------------------

SIGNATURES = ["^bc", "-J", "– JR", "/KB", "~Sam", "*SultanGardezy", "Phil.", "^MC https://t.co/Qw3"]


@pytest.mark.parametrize("sign", SIGNATURES)
def test_check_back_goes_before_the_initials(sign: str) -> None:
    text = f"@rhea_m Please clear the app's cache and sign in again. {sign}"
    offered = _offered(text, "no-check-back")
    assert offered, "the check-back should be offered"
    for after in offered:
        assert after.endswith(f"again. {FULL} {sign}"), after


def test_whole_draft_keeps_the_initials_last() -> None:
    text = "@rhea_m Please clear the app's cache and sign in again. Phil."
    assert LINTER.check(text).rewritten().endswith(" Phil.")


# -- bare policy: the whole phrase naming the policy, or nothing --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "@77410 Sorry for the trouble. However, due to our privacy policy terms and conditions, we "
        "can only discuss the booking with the lead passenger.",
        "Hi {{first_name}},\n\nDue to our company policy regarding refunds, we can't refund "
        "opened items.\n\nBest,\n{{agent_name}}",
    ],
)
def test_policy_replacement_leaves_no_tail_of_the_phrase(text: str) -> None:
    for after in _offered(text, "bare-policy", channel="macro" if "{{" in text else None):
        assert "conditions," not in after and "regarding refunds" not in after, after
        assert "policy" not in after, after


# -- an opening sentence after a greeting that ends with the name -------------------------------

CUSTOMER = "@Shop my order arrived broken and nobody answers my emails"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "@55 Hello, Priya. Let's get this sorted. Which order number is it?",
            "@55 Hello, Priya. ",
        ),
        (
            "@55 @61 Hey there, Jorge! Please send us a DM with the order number. -J",
            "@55 @61 Hey there, Jorge! ",
        ),
        (
            "@55 Hi Muyiwa. We'll look into the order and follow up today. Thanks! ^bc",
            "@55 Hi Muyiwa. ",
        ),
        ("@55 1: Those items are out of stock right now, but there's info below.", "@55 1: "),
    ],
)
def test_acknowledgement_goes_after_the_greeting_and_name(text: str, kept: str) -> None:
    for f in _findings(text, "no-acknowledgement", CUSTOMER):
        after = _applied(text, f)
        if after is not None:
            assert after.startswith(kept + "I'm sorry"), after
    whole = LINTER.check(text, CUSTOMER).rewritten()
    assert whole.startswith(kept), whole


# -- the alternative slot: not where the draft already offers a way ------------------------------


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        (
            "We're unable to complete transfer {{transfer_id}} because of the partner bank's "
            "limits.\nWe kindly ask you to try a card from another bank instead.",
            "macro",
        ),
        (
            "We can't give advice on personal matters. Please refer to our community guidelines.",
            None,
        ),
        (
            "Unfortunately we can't ship to PO boxes. You can pick the parcel up from a locker: "
            "https://example.com/lockers",
            None,
        ),
    ],
)
def test_no_alternative_slot_where_the_draft_offers_a_way(text: str, channel: str | None) -> None:
    assert _offered(text, "no-alternative", channel=channel) == []


def test_the_alternative_slot_stays_for_a_bare_refusal() -> None:
    text = "Unfortunately we can't refund opened items."
    assert _offered(text, "no-alternative") == [f"{text} What I can do instead is <alternative>."]


# -- bare policy: no reason the writer never gave -------------------------------------------------


def test_an_ownership_check_leads_with_safety_not_fairness() -> None:
    text = (
        "Based on our internal rules we need to confirm that the card you paid with belongs to "
        "you.\nPlease reply with a selfie holding your passport."
    )
    for after in _offered(text, "bare-policy", channel="macro"):
        assert "fair" not in after and after.startswith("For your safety, we need"), after


def test_a_policy_adjunct_without_a_comma_is_dropped() -> None:
    text = "@77 Per our rules we don't ship to PO boxes. ^KL"
    for after in _offered(text, "bare-policy"):
        assert after == "@77 We don't ship to PO boxes. ^KL", after


# -- vague timeline: no time slot in a standing aim -----------------------------------------------


def test_no_time_slot_in_a_standing_aim() -> None:
    text = (
        "@4410 Landing early is a nice surprise! We always try to get you home as soon as possible."
    )
    assert _offered(text, "vague-timeline") == []


def test_the_time_slot_stays_for_a_commitment() -> None:
    text = "@4410 I've logged the fault (ref 22-81) and we'll call you back soon. ^RD"
    assert _offered(text, "vague-timeline") == [
        "@4410 I've logged the fault (ref 22-81) and we'll call you back by <day/time>. ^RD"
    ]
