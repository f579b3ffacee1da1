"""After blind review 18f (fixed after it, so not blind; none of its text is here): a bug
tracker's saved replies ("*Thank you for your report!*" in emphasis marks is their greeting; an
acknowledgement goes after it and after "We appreciate you taking the time …"; the issue is not
built from a kind of request, a general statement or a report to write); a tweet's "1." marker
and all-caps initials stay where they are; a sentence appended after one with no full stop gets
one; a stock apology keeps the name said after it and says what it was about ("… with the seat
assignment"). Each case runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from tests.suggestions import findings as _findings
from tests.suggestions import offered_where_it_fires

TRACKER = "*Thank you for your report!*\nHowever, this issue is *Invalid*.\n\n"


def test_an_emphasised_thanks_line_is_the_greeting() -> None:
    text = TRACKER + "Unfortunately we cannot restore worlds lost to a crash. Please keep backups."
    made = offered_where_it_fires(text, "no-acknowledgement", channel="macro")
    assert made and made[0].startswith("*Thank you for your report!*\nI'm sorry"), made
    assert not _findings(text, "missing-greeting", channel="macro")


@pytest.mark.parametrize(
    "body",
    [
        # a kind of request, not trouble
        "This is a technical support issue; we cannot help with it on this tracker.",
        # troubles in general
        "Issues such as these are often due to a temporary service outage, so we cannot act.",
        # the subject of a report the customer is asked to write
        "Unfortunately we cannot accept reports in French. You are welcome to create a new "
        "ticket about your issue in English.",
    ],
)
def test_no_acknowledgement_built_from_a_kind_a_generality_or_a_report_to_write(body: str) -> None:
    text = TRACKER + body
    for made in offered_where_it_fires(text, "no-acknowledgement", channel="macro"):
        assert "I'm sorry about <the issue>." in made, made


def test_the_acknowledgement_goes_after_we_appreciate_you() -> None:
    text = (
        "*Thank you for your report!*\nWe appreciate you taking the time to report a bug. "
        "Unfortunately we can only accept bug reports in English."
    )
    made = offered_where_it_fires(text, "no-acknowledgement", channel="macro")
    assert made and "to report a bug. I'm sorry" in made[0], made


def test_a_tweets_numbered_part_keeps_its_number_first() -> None:
    text = "@kai_r 1. Rest assured, we're on top of this! We're looking into stats not updating."
    made = offered_where_it_fires(text, "no-acknowledgement", "@MusicCo your stats are broken")
    assert made and made[0].startswith("@kai_r 1. I'm sorry"), made


def test_a_check_back_goes_before_all_caps_initials() -> None:
    text = "@bo_k Please remove the SIM card, put it back in and restart the phone. ET."
    made = offered_where_it_fires(text, "no-check-back", "@TelCo no signal since this morning")
    assert made and made[0].endswith(" ET."), made
    assert "ET. Does" not in made[0], made


def test_a_sentence_appended_after_one_with_no_full_stop_gets_one() -> None:
    text = "@tr_k We cannot comment on another operator's industrial action ^JH"
    made = offered_where_it_fires(text, "no-alternative")
    assert made and "industrial action. What I can do instead" in made[0], made


def test_a_stock_apology_keeps_the_name_said_after_it() -> None:
    text = "@vi_k We're sorry for any inconvenience Victoria, we'd be sad to see you go."
    made = offered_where_it_fires(text, "scripted-apology")
    assert made and "Victoria" in made[0], made


def test_a_stock_apology_says_what_it_was_about() -> None:
    text = "@hp_l My sincere apologies for the inconvenience with the seat assignment. *HPL"
    made = offered_where_it_fires(text, "scripted-apology")
    assert made == ["@hp_l I'm sorry about the trouble with the seat assignment. *HPL"], made


# -- after blind review 18g (fixed after it, not blind) -----------------------------------------


def test_an_issue_named_just_before_is_that() -> None:
    text = (
        "@ts_k Thanks for letting me know about the signal issues. Can you DM me so I can look "
        "into what's going on? -TS"
    )
    made = offered_where_it_fires(text, "no-acknowledgement", "@TelCo no signal again!!!")
    assert made and "signal issues. I'm sorry about that. Can you" in made[0], made


def test_a_tweet_cut_before_its_marker_is_no_greeting_line() -> None:
    text = (
        "@sa_d Hi Sade, when the payment was cancelled it will have been blocked by the bank, "
        "and therefore will be refunded automatically, 1/2"
    )
    made = offered_where_it_fires(text, "no-acknowledgement", "@BankCo where is my money??")
    assert made and made[0].startswith("@sa_d Hi Sade, I'm sorry"), made


def test_the_alternative_goes_after_the_reason_for_the_no() -> None:
    text = (
        "@ka_t Hi Kate, if you are not able to verify the account we are not allowed to access it "
        "for you. We have to follow privacy laws. ^FEM"
    )
    made = offered_where_it_fires(text, "no-alternative")
    assert made and "privacy laws. What I can do instead is <alternative>." in made[0], made


def test_a_later_time_becomes_after_a_time_not_by_one() -> None:
    text = (
        "@jo_t Sorry, Jo! There can be a delay. Try checking your recordings at a later time. ^TV"
    )
    made = offered_where_it_fires(text, "vague-timeline")
    assert made and "recordings after <day/time>." in made[0], made
