"""Social replies: handles, thread markers and sign-off initials are structure (never linted,
never parsed as words, never moved); a greeting after the handles, or after an emoji, is a
greeting; "Dear Customer," is deliberately excused (a greeting by RULES.md's definition)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.placeholders import mask
from replylint.structure import social_structure

# real-style public replies written for these tests (no third-party text)
GREETED = [
    "@12345 Hi Kate, sorry to hear the app keeps freezing! Which version are you on? ^CB",
    "@AirLiner @55501 Hello Tom, your seat is confirmed for tomorrow's 9:40 flight. -Becky",
    "@maria_lx Hey Maria! The voucher is in your inbox now. *TMT",
    "@88412 Good morning Sam, the engineer is booked for Friday 8-12. 1/2",
]


@pytest.mark.parametrize("text", GREETED)
def test_a_greeting_after_the_handles_is_a_greeting_on_every_channel(
    linter: Linter, text: str
) -> None:
    report = linter.check(text, channel="email")
    assert "missing-greeting" not in {f.rule for f in report.findings}


def test_a_greeting_after_an_emoji_is_a_greeting(linter: Linter) -> None:
    for text in ("😀 Hi Zoë, your order is on its way.", "👋🏽 Hello Ravi, all sorted now."):
        assert "missing-greeting" not in {f.rule for f in linter.check(text).findings}
    assert "missing-greeting" in {f.rule for f in linter.check("😀 Your order shipped.").findings}


@pytest.mark.parametrize(
    "text",
    ["Dear Customer,\n\nYour order has shipped.", "Dear Sir/Madam,\n\nYour order has shipped.",
     "Dear Guest,\n\nYour room is ready from 2 pm."],
)  # fmt: skip
def test_dear_customer_is_excused(linter: Linter, text: str) -> None:
    assert "missing-greeting" not in {f.rule for f in linter.check(text).findings}


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("@12345 Hi Kate, all fixed now! ^CB", "Hi Kate, all fixed now!"),
        ("@a_b @c 1/2 We're on it. -Becky", "We're on it."),
        ("@a Please DM us. *TMT (2/2)", "Please DM us."),
        ("@a Sorry! See here. ^CB https://t.co/x1", "Sorry! See here. https://t.co/x1"),
        ("Thanks for waiting.\n-Jo", "Thanks for waiting."),
        ("We're on it, thanks.\n(2/2)", "We're on it, thanks."),
        ("@a Please DM us your order number. 2/2^ML", "Please DM us your order number."),
        ("@a we consider it to be personal (2/3)^GU", "we consider it to be personal"),
        # HTML entities as tweet exports escape them are read as their characters
        ("@a Kelly &amp; Jo are on it &gt;&gt; ^CB", "Kelly & Jo are on it >>"),
        ("@a Is it on WiFi, or both? /KB", "Is it on WiFi, or both?"),
    ],
)
def test_structure_is_masked_out_of_the_parser_text(text: str, kept: str) -> None:
    assert mask(text).text == kept


@pytest.mark.parametrize(
    "text",
    [
        "Half the fee is 1/2 of the total",  # a fraction inside prose stays text
        "Email help@example.com - Becky can help",
        "Call us on 0800 - Monday to Friday",
        "Ping @support with the number.",
        "The answer is 3*2^X",  # a formula, not initials after a thread marker
        "Save it in /Applications",  # a path, not initials (and no handles)
    ],
)
def test_prose_is_not_structure(text: str) -> None:
    assert social_structure(text).spans == ()
    assert mask(text).text == text


def test_structure_never_fires_nor_counts(linter: Linter) -> None:
    """Initials, markers and handles are never a finding's excerpt, and never words: "^CB" is
    not a terse reply, "-Becky" not a curt negative."""
    for text in ("@12345 Thanks! ^CB", "@9 Noted 😊 -Becky", "@12345 DM us please. 2/2"):
        for f in linter.check(text, channel="social").findings:
            assert not {"^CB", "Becky", "2/2", "@12345", "@9"} & set(f.excerpt.split()), f


@pytest.mark.parametrize("sign_off", [" -Mike", " ^CB", " /KB", " 2/2"])
def test_a_closing_suggestion_goes_before_the_sign_off(linter: Linter, sign_off: str) -> None:
    """An insertion after the reply's last word is placed before the initials or marker the
    masker dropped, in the suggestion itself (not only in the composed rewrite)."""
    text = "@117034 Please restart the router and wait two minutes." + sign_off
    findings = linter.check(text, channel="email").findings
    (found,) = [f for f in findings if f.rule == "no-check-back"]
    (s,) = found.suggestions
    assert s.start == s.end == text.index(sign_off)
