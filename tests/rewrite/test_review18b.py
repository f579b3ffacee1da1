"""Blind review 18b's classes, in our own words: a condescending put-down that is a word or a
tag is deleted and everything else kept, and where it is neither no suggestion is offered (a
slot asking to restate the sentence is not fillable); a fixed template replaces a sentence only
when the sentence is (nearly) all the flagged phrase. Each case runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.models import Finding

LINTER = Linter()


def _finding(
    text: str, rule: str, customer: str | None = None, channel: str | None = None
) -> Finding:
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
        "Hi {{first_name}},\n\nAs stated in our terms: Vouchers are non-transferable.\n\n"
        "Best,\nTeam",
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
    (
        "blame-others",
        "Hi,\n\nThis looks like a problem with your node/npm install and not with Acme CLI."
        "\n\nThanks",
        "macro",
    ),
    # the reason a report is closed
    (
        "blame-customer",
        "Hello {{user}},\n\nI'm closing this issue. However, you didn't give enough detail "
        "for us to "
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


# -- splices -------------------------------------------------------------------------------------


def test_a_time_replaces_very_soon_not_only_soon() -> None:
    text = "@ana_v Our team is on it and we should have it working again very soon. *TM"
    after = _applied(text, _finding(text, "vague-timeline"))
    assert (
        after == "@ana_v Our team is on it and we should have it working again by <day/time>. *TM"
    )


def test_no_time_slot_over_a_verb_the_customer_is_advised_to_do() -> None:
    text = (
        "@bo_k The peak fee keeps the service reliable. You can try again later when it's quieter."
    )
    found = [f for f in LINTER.check(text, None).findings if f.rule == "vague-timeline"]
    assert all(not f.suggestions for f in found)


def test_a_check_back_after_an_unpunctuated_last_sentence_gets_a_full_stop() -> None:
    text = "@jen_w Can you restore it? Check the deleted folder"
    found = [f for f in LINTER.check(text, None).findings if f.rule == "no-check-back"]
    for f in found:
        after = _applied(text, f)
        assert after is not None and "Check the deleted folder. Does that work" in after


def test_no_im_sorry_glued_before_an_apology_sentence() -> None:
    text = (
        "Hi {{contact.name}},\n\nI sincerely apologise that your parcel #{{order.id}} is late.\n\n"
        "Tracking: {{order.tracking_url}}\n\nAgain, I apologise for the inconvenience.\n\nBest,\n"
        "{{agent.name}}"
    )
    f = _finding(text, "scripted-apology", channel="macro")
    after = _applied(text, f)
    assert after is None or ("I'm sorry I " not in after and "sorry I sincerely" not in after)


# -- the apology built from an argument ----------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "wrong"),
    [
        (
            "@Fly right, but I paid for those seats. I shouldn't have to pay again to move them.",
            "have to pay",
        ),
        ("@Fly fine, it was not a full plane, so don't use that as an excuse!", "not a full plane"),
    ],
)
def test_an_apology_is_never_built_from_the_customers_argument(customer: str, wrong: str) -> None:
    text = "@kit_m We're sorry for your frustration. ^JD"
    report = LINTER.check(text, customer)
    for f in report.findings:
        for s in f.suggestions[:1]:
            assert wrong not in s.replacement, (f.rule, s.replacement)


# -- the check-back at the end of the body -------------------------------------------------------


def test_a_check_back_goes_after_the_last_step_not_the_first() -> None:
    text = (
        "To turn on the passcode, open the app and go to Security.\nYou'll find Security under "
        'the profile icon.\n\nIn Security, tap "Set passcode".\nEnter a 4-digit code and tap '
        "Save."
    )
    found = [
        f for f in LINTER.check(text, None, channel="macro").findings if f.rule == "no-check-back"
    ]
    for f in found:
        assert f.suggestions and f.suggestions[0].start == len(text)


def test_a_check_back_goes_after_a_trailing_link_line() -> None:
    text = "@lu_p I've reset your order. Click the link to track it.\nhttps://example.com/t/55 ^RO"
    found = [f for f in LINTER.check(text, None).findings if f.rule == "no-check-back"]
    for f in found:
        after = _applied(text, f)
        assert after is not None and after.index("example.com/t/55") < after.index("Does that")


# -- a replacement no wider than the stock phrase's clause ---------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "kept"),
    [
        (
            "Dear [Name],\n\nYour order #[number] is running a little late.\n\n"
            "We apologize for any "
            "inconvenience and are tracking your parcel closely.\n\nBest regards,\n[Your name]",
            "scripted-apology",
            "are tracking your parcel closely.",
        ),
        (
            "@pia_d Hi, I'm sorry to hear you feel this way and I'm glad to help! Can you DM us "
            "the address? ~RB",
            "non-apology",
            "I'm glad to help!",
        ),
    ],
)
def test_a_stock_apology_is_replaced_without_the_clause_after_it(
    text: str, rule: str, kept: str
) -> None:
    report = LINTER.check(text, None, channel="macro" if text.startswith("Dear") else None)
    for f in report.findings:
        if f.rule == rule and f.suggestions:
            after = _applied(text, f)
            assert after is not None and kept in after
