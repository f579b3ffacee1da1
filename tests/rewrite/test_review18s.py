"""After blind review 18s (fixed after it, so not blind; our own words in the registers of the
lists and macros it used): no date slot where the time is not the writer's to give, news passed
on ("I was informed that the page should be updated soon"; the finding stays); an answer to a
calm question asks whether it answers; no sentence goes inside one the line wraps; an emoji and
a mention greet ("👋 @octocat, thanks for …!"). Real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _slots(linter: Linter, text: str, channel: str = "email") -> list[str] | None:
    """The vague-timeline finding's suggestions applied, or None without the finding."""
    found = [f for f in linter.check(text, channel=channel).findings if f.rule == "vague-timeline"]
    if not found:
        return None
    return [text[: s.start] + s.replacement + text[s.end :] for f in found for s in f.suggestions]


@pytest.mark.parametrize(
    "passed_on",
    [
        "I forwarded your request. I was informed that the page should be updated soon.",
        "I asked the web team and they said the page will be updated soon.",
    ],
)
def test_no_date_slot_where_the_time_is_not_the_writers(linter: Linter, passed_on: str) -> None:
    assert _slots(linter, f"Hi Jason,\n\n{passed_on}\n\nPawel\n") == []


def test_the_writers_own_promise_keeps_its_slot(linter: Linter) -> None:
    text = "Hi Jason,\n\nI forwarded your request and I will update the page soon.\n\nPawel\n"
    assert _slots(linter, text) == [text.replace("soon", "by <day/time>")]


def test_an_answer_to_a_calm_question_asks_whether_it_answers(linter: Linter) -> None:
    customer = "Would tasks started before enforcing mode fail once it is switched on at runtime?"
    reply = (
        "Hi,\n\nNo, they would not fail if the policy allows them. Restart in permissive mode and "
        "then switch to enforcing mode to see it.\n\nPaul\n"
    )
    report = linter.check(reply, customer, channel="email")
    texts = [
        s.replacement for f in report.findings if f.rule == "no-check-back" for s in f.suggestions
    ]
    assert texts == [" Does that answer your question? If not, just reply here."]
    trouble = "Tasks started before enforcing mode fail once it is switched on. Why?"
    report = linter.check(reply, trouble, channel="email")
    texts = [
        s.replacement for f in report.findings if f.rule == "no-check-back" for s in f.suggestions
    ]
    assert texts == [" Does that work for you? If not, just reply here."]


def test_no_sentence_goes_inside_a_wrapped_one(linter: Linter) -> None:
    customer = "Can you refund the order? It arrived broken."
    wrapped = "Sorry, I missed this. We can't quite\nrefund the order, though.\n"
    report = linter.check(wrapped, customer, channel="email")
    applied = [
        wrapped[: s.start] + s.replacement + wrapped[s.end :]
        for f in report.findings
        for s in f.suggestions
    ]
    assert applied  # (the greeting, at least)
    assert all("quite\nrefund" in a for a in applied), applied


@pytest.mark.parametrize("wave", [":wave:", "👋"])
def test_an_emoji_and_a_mention_greet(linter: Linter, wave: str) -> None:
    macro = (
        f"{wave} @{{issue-author}}, thanks for reporting an issue! The crash is a known problem "
        "and we are unable to fix it."
    )
    report = linter.check(macro, channel="macro")
    inserted = [
        (s.start, s.replacement)
        for f in report.findings
        if f.rule == "no-acknowledgement"
        for s in f.suggestions
    ]
    opener = macro.index(" The crash")
    assert inserted and all(at >= opener for at, _ in inserted), inserted
    assert "missing-greeting" not in {f.rule for f in report.findings}
