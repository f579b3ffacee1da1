"""After blind review 18j (fixed after it, so not blind; none of its text is here): no apology
built from the customer's good news, verdict or pointer back; "So we can …" keeps its "So"; a
stock apology's own subject stays with the clause after it, and what caused the inconvenience
is named; a privacy request asks no check-back. Each case runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter


def _made(linter: Linter, text: str, rule: str, customer: str | None = None) -> list[str]:
    found = [f for f in linter.check(text, customer).findings if f.rule == rule]
    assert found, f"{rule} does not fire"
    return [s.replacement for f in found for s in f.suggestions]


@pytest.mark.parametrize(
    "customer",
    [
        "Bad news is the delivery date got pushed back a day. Good news is that they didn't ship "
        "it to Colorado, so we're one up there.",
        "@TelCo your customer support is shocking!! Sort it out",
        "@TelCo no service at home ever. Still no resolution! So, I'm fed up to say the least",
    ],
)
def test_no_apology_from_good_news_a_verdict_or_an_idiom(linter: Linter, customer: str) -> None:
    text = "@jo_b If you need any assistance please send us your tracking number in a DM. ^SK"
    for made in _made(linter, text, "no-acknowledgement", customer):
        low = made.lower()
        assert not any(w in low for w in ("good news", "shocking", "the least")), made


def test_a_purpose_so_is_kept(linter: Linter) -> None:
    text = (
        "@ap_s Thanks for reaching out to us today. So we can look closer into this with you, "
        "reach out to us in DM. https://example.com/dm"
    )
    customer = "@PhoneCo new battery and now it's draining, lagging, random app crashes. thoughts?"
    found = [f for f in linter.check(text, customer).findings if f.rule == "no-acknowledgement"]
    assert found and found[0].suggestions
    s = found[0].suggestions[0]
    after = text[: s.start] + s.replacement + text[s.end :]
    assert "So we can look closer" in after, after


def test_a_stock_apology_keeps_its_subject_and_its_cause(linter: Linter) -> None:
    made = _made(
        linter,
        "@jj_k We do apologize for the inconvenience and hope to have it restored soon as we can.",
        "scripted-apology",
    )
    assert made and made[0].endswith("We hope to have it restored soon as we can."), made
    made = _made(
        linter,
        "@jr_w Hopefully you will depart very soon. We're sorry for any inconvenience the delay "
        "has caused. ^JR",
        "scripted-apology",
    )
    assert made == ["I'm sorry about the delay."], made


def test_a_privacy_request_asks_no_check_back(linter: Linter) -> None:
    text = "@cs_p Please remove that from public. I have the information though. -CS"
    assert "no-check-back" not in {f.rule for f in linter.check(text).findings}


def test_the_acknowledgement_goes_after_a_short_answer(linter: Linter) -> None:
    customer = "@RailCo Is the 18:41 train delayed? Bet it is. We just want to get home"
    text = "@ni_k Hi Nick, it is indeed. Is this not shown on the information screens? ^MB"
    found = [f for f in linter.check(text, customer).findings if f.rule == "no-acknowledgement"]
    assert found and found[0].suggestions
    s = found[0].suggestions[0]
    after = text[: s.start] + s.replacement + text[s.end :]
    assert after.startswith("@ni_k Hi Nick, it is indeed. I'm sorry"), after


def test_no_apology_from_a_clause_with_a_verbless_conjunct(linter: Linter) -> None:
    customer = (
        "@ShipCo the worst. Package shipped 11 days ago and still no idea where it is with no "
        "answers."
    )
    text = "@km_s We can help you look into this. Please DM the tracking number. ^KM"
    for made in _made(linter, text, "no-acknowledgement", customer):
        assert "no idea" not in made, made


@pytest.mark.parametrize(
    "text",
    [
        "@cd_y Hello cody Are you still having this issue? if you do please send us a DM so we "
        "can assist you ^JR",
        "@cd_y Hi Sam Is the game still stuck? if so please send us a DM so we can assist ^JR",
    ],
)
def test_a_greeting_without_its_comma_ends_at_the_name(linter: Linter, text: str) -> None:
    """ "Hello cody Are you …?" is a greeting and a question: the apology goes before the
    question, not between it and the "if you do" that answers it (blind review 18j, S97)."""
    from replylint.structure import greeting_span

    span = greeting_span(text[6:])
    assert span is not None and text[6:][span[0] : span[1]].split()[-1] in ("cody", "Sam")
    customer = "@GameCo third time this week it won't let me join my friends lobby. ridiculous"
    found = [f for f in linter.check(text, customer).findings if f.rule == "no-acknowledgement"]
    assert found and found[0].suggestions
    s = found[0].suggestions[0]
    after = text[: s.start] + s.replacement + text[s.end :]
    head = after.split("I'm sorry")[0]
    assert "?" not in head and "if " in after.split("?")[1][:4], after


def test_a_stock_apology_keeps_when_it_happened(linter: Linter) -> None:
    """ "sorry for the inconvenience caused to you this morning": the slot keeps "this
    morning" (blind review 18j, S43: the time was thrown away)."""
    made = _made(
        linter,
        "@jo_k I understand that, I am sorry for the inconvenience caused to you this morning",
        "scripted-apology",
    )
    assert made and made[0].endswith("this morning."), made
