"""The library's channel: ``Linter(channel=...)``, ``check(..., channel=...)``,
``report.channel``."""

from __future__ import annotations

import pytest

import replylint
from replylint import Linter

TWEET = "@12345 I've refunded the delivery fee for your order. ^CB"
CUSTOMER = "@Shop my parcel never arrived and you charged me delivery"


def test_report_says_the_channel_chosen(linter: Linter) -> None:
    assert linter.check(TWEET, CUSTOMER).channel == "social"
    assert linter.check("I've refunded the delivery fee.", CUSTOMER).channel == "email"
    assert linter.check("I've refunded it.", CUSTOMER, channel="chat").channel == "chat"
    assert linter.check(TWEET, CUSTOMER).to_json()["channel"] == "social"


def test_linter_channel_is_the_default_and_check_overrides_it() -> None:
    chat = Linter(select="missing-greeting,no-paraphrase", channel="chat")
    assert chat.config.channel == "chat"
    assert chat.check(TWEET, CUSTOMER).channel == "chat"
    assert chat.check(TWEET, CUSTOMER).findings == []  # both off (short chat turn)
    email = chat.check(TWEET, CUSTOMER, channel="email")
    assert {f.rule for f in email.findings} == {"missing-greeting", "no-paraphrase"}


def test_module_check_takes_a_channel() -> None:
    assert replylint.check(TWEET, CUSTOMER, channel="macro").channel == "macro"
    comment = "I've refunded the delivery fee for your order and the parcel ships again today."
    linter = Linter(select="missing-greeting,no-paraphrase")
    assert {f.rule for f in linter.check(comment, CUSTOMER).findings} == {
        "missing-greeting",
        "no-paraphrase",
    }
    thread = linter.check(comment, CUSTOMER, channel="thread")
    assert thread.channel == "thread" and thread.findings == []


def test_a_bad_channel_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="channel must be one of auto, email, chat"):
        Linter(channel="fax", lazy=True)
    with pytest.raises(TypeError, match="channel must be str"):
        Linter(channel=3, lazy=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="check_many\\(\\): channel"):
        Linter(lazy=True).check("Hi", channel="sms")
