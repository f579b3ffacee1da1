"""After blind review 18s (fixed after it, so not blind; our own words in the registers of the
lists and macros it used): no date slot where the time is not the writer's to give, news passed
on ("I was informed that the page should be updated soon"; the finding stays); an answer to a
calm question asks whether it answers; no sentence goes inside one the line wraps; an emoji and
a mention greet ("👋 @octocat, thanks for …!"). Real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from tests.suggestions import all_applied as _applied


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
        f"{wave} @octocat, thanks for reporting an issue! The crash is a known problem "
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


@pytest.mark.parametrize(
    "command", ["Example:\n$ sudo clean-disk -S 20", "See also\n\n    udevadm info /dev/sda"]
)
def test_a_check_back_after_a_command_is_a_paragraph_of_its_own(
    linter: Linter, command: str
) -> None:
    customer = "The disk is full although the files use far less. Deleting checkpoints failed."
    reply = (
        "Hi Felix,\n\nDeleting checkpoints frees nothing. Please run the clean command.\n\n"
        f"{command}\n"
    )
    applied = _applied(reply, "no-check-back", customer)
    last = command.splitlines()[-1]
    assert applied and all(f"{last}\n\nDoes that work" in a for a in applied), applied


def test_a_commands_name_keeps_its_case_after_an_opening_sentence(linter: Linter) -> None:
    customer = "Deleting checkpoints with rmcp did not free any space. Frustrating!"
    reply = "rmcp only deletes checkpoints. Please run the clean command.\n"
    openers = _applied(reply, "no-acknowledgement", customer)
    assert openers and all(" rmcp only deletes" in a for a in openers), openers
    plain = "our team is on it. Please run the clean command.\n"
    openers = _applied(plain, "no-acknowledgement", customer)
    assert openers and all(" Our team is on it." in a for a in openers), openers


@pytest.mark.parametrize(
    "bot",
    [
        "Hello @{{ issue.user.login }}! We can reproduce the crash and will fix it soon.",
        "Thanks ${{ github.event.issue.user.login }}! The crash is known; a fix ships soon.",
    ],
)
def test_no_slot_in_a_template_a_bot_posts(linter: Linter, bot: str) -> None:
    report = linter.check(bot, channel="macro")
    assert report.findings  # (vague-timeline, at least)
    slots = [s for f in report.findings for s in f.suggestions if "<" in s.replacement]
    assert slots == []
    agent = bot.replace("@{{ issue.user.login }}", "{{ticket.requester.first_name}}").replace(
        "${{ github.event.issue.user.login }}", "{{ticket.requester.first_name}}"
    )
    report = linter.check(agent, channel="macro")
    assert [s for f in report.findings for s in f.suggestions if "<" in s.replacement]


def test_no_sentence_between_a_no_and_the_and_that_goes_on(linter: Linter) -> None:
    customer = "Do you support the serial console on this board? I asked on IRC, no answer."
    reply = "Hi,\n\nNo, we don't support that. And there is no plan to add it.\n\nNeil\n"
    report = linter.check(reply, customer, channel="email")
    applied = [
        reply[: s.start] + s.replacement + reply[s.end :]
        for f in report.findings
        for s in f.suggestions
    ]
    assert all("support that. And there" in a for a in applied), applied


def test_a_mention_opening_a_macro_greets() -> None:
    from replylint.structure import greeting_span

    text = "@octocat, thanks for the report! The crash is known."
    span = greeting_span(text)
    assert span is not None and text[span[0] : span[1]] == "@octocat, thanks for the report!"
    assert greeting_span("The crash is known, @octocat.") is None


def test_an_opening_sentence_goes_after_a_bold_label(linter: Linter) -> None:
    macro = (
        "**Outdated Version**: Since you are using an outdated version, please update to the "
        "latest version as it may resolve your issue. If it persists, open a new issue. Thanks!"
    )
    report = linter.check(macro, channel="macro")
    starts = [
        s.start for f in report.findings if f.rule == "no-acknowledgement" for s in f.suggestions
    ]
    assert starts and all(at >= macro.index("Since") for at in starts), starts


def test_a_sentence_that_introduces_a_block_is_not_deleted(linter: Linter) -> None:
    customer = "The image build fails: the package is missing. Annoying!"
    story = (
        "Hi,\n\nI had a terrible week with my own builds, my laptop died. I ended up adding the "
        'package to my images via:\n\n    IMAGE_INSTALL += "pkg"\n\nAlex\n'
    )
    report = linter.check(story, customer, channel="email")
    for f in report.findings:
        for s in f.suggestions:
            applied = story[: s.start] + s.replacement + story[s.end :]
            assert "my images via:" in applied, (f.rule, applied)


def test_steps_that_only_look_ask_what_they_find(linter: Linter) -> None:
    customer = "The wifi association keeps dropping every few minutes. Annoying!"
    look = "Hi,\n\nSorry about the drops. Please check the assoc status in the log.\n\nKalle\n"
    fix = "Hi,\n\nSorry about the drops. Please update the firmware to 10.4.\n\nKalle\n"
    texts = {}
    for name, reply in (("look", look), ("fix", fix)):
        report = linter.check(reply, customer, channel="email")
        texts[name] = [
            s.replacement.strip()
            for f in report.findings
            if f.rule == "no-check-back"
            for s in f.suggestions
        ]
    assert texts == {
        "look": ["Let me know what you find."],
        "fix": ["Does that work for you? If not, just reply here."],
    }
