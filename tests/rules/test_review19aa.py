"""After blind review 19aa (fixed after it, so not blind; our own words in the registers of the
developer lists and repository bot comments it used): "production systems like yours" is no
distress, "the same errors appeared again" is trouble again; a tracker's bookkeeping ("issues
are locked until …", "Your Issue has been marked as **Duplicate**", "no longer marked as
Invalid", "resubmit your issue", "the bug report template", "fill the form correctly", "use
our idea board") is no felt problem; "that's obviously a hurdle for most" sympathises; "Not
directly." with the ways after it is no curt no; "I/O" is no first person; "if it is just a
fork" minimizes nothing; "my expectation" is work, and a writer's own experience asked for is
no self-story. Every case has its counterpart that still fires. Each runs the real linter
(spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from tests.suggestions import rule_ids as _rules

_REPLY = (
    "Hi,\n\nThe emc1403 driver only reports three channels; use the emc1438 entry.\n\nGuenter\n"
)
_REPORT = (
    "I use an EMC1438 sensor with the emc1403 driver on kernel 6.6 and only 3 of 8 "
    "temperature channels are detected, the other five are missing; my device tree entry has "
    "reg = <0x4c>."
)


def test_production_systems_are_no_distress(linter: Linter) -> None:
    calm = _REPORT + " We want it for production systems."
    assert "no-acknowledgement" not in _rules(_REPLY, calm)
    upset = _REPORT + " Production is down since the update."
    assert "no-acknowledgement" in _rules(_REPLY, upset)
    # (a plea stays one: "Can you help me with this?" from someone stuck; blind reviews 19x,
    # 19y judged the acknowledgement owed)
    assert "no-acknowledgement" in _rules(_REPLY, _REPORT + " Can you help me with this?")


def test_the_same_errors_again_is_trouble_again(linter: Linter) -> None:
    again = _REPORT + " I rebooted, and at the next boot the same errors appeared again."
    assert "no-acknowledgement" in _rules(_REPLY, again)


@pytest.mark.parametrize(
    "macro",
    [
        "To reduce notifications, issues are locked until they are ready for dev.",
        "Your Issue has been marked as **Duplicate**: an issue for the same bug already exists.",
        "Your Issue is **no longer marked as Invalid**.",
        "There isn't enough detail in the issue for us to review it. Please resubmit your issue.",
        "It seems your description is not valid, or some items are missing. Please fill the "
        "form correctly.",
        "Please fill out the questionnaire in the bug report template.",
    ],
)
def test_a_trackers_bookkeeping_is_no_felt_problem(linter: Linter, macro: str) -> None:
    assert "no-acknowledgement" not in _rules(macro, channel="macro")


def test_a_felt_problem_in_a_macro_still_asks_for_an_acknowledgement(linter: Linter) -> None:
    broken = "Your issue is caused by a broken update. Please reinstall the app."
    assert "no-acknowledgement" in _rules(broken, channel="macro")


def test_a_locked_thread_and_an_idea_board_ask_no_check_back(linter: Linter) -> None:
    locked = "The thread has been temporarily locked. Please follow our community guidelines."
    assert "no-check-back" not in _rules(locked, channel="macro")
    board = ":wave: @octocat, please use our idea board to request new features."
    assert "no-check-back" not in _rules(board, channel="macro")


def test_obviously_a_hurdle_sympathises(linter: Linter) -> None:
    kind = "Hi,\n\nYou'd need to compile a kernel, and that's obviously a hurdle for most.\n\nJo\n"
    assert "condescending" not in _rules(kind)
    put_down = "Hi,\n\nYou obviously need to compile a kernel first.\n\nJo\n"
    assert "condescending" in _rules(put_down)


def test_not_directly_with_the_ways_after_it_is_no_curt_no(linter: Linter) -> None:
    customer = "Can I pass a different target value as a command-line option?"
    qualified = "Hi,\n\nNot directly. You can set it with tc, or edit the cake script.\n\nToke\n"
    assert "terse-refusal" not in _rules(qualified, customer)
    assert "terse-refusal" in _rules("Hi,\n\nNope.\n\nToke\n", customer)


def test_i_o_is_no_first_person(linter: Linter) -> None:
    reply = (
        "Hello Eyal,\n\nThe I/O is retried five times, so the user sees the I/O as an error only "
        "after six tries. The I/O scheduler drains the queue, and the I/O counter goes up by "
        "one. We reset the link; we retry the I/O.\n\nNiklas\n"
    )
    assert "we-focus" not in _rules(reply)
    ours = (
        "Hello Eyal,\n\nWe think our team and I can look. I will ask my lead, and we will tell "
        "our team what I find. We hope we can help.\n\nNiklas\n"
    )
    assert "we-focus" in _rules(ours)


@pytest.mark.parametrize(
    "said",
    [
        "Even if it is only a single command that times out, the whole queue is retried.",
        "If it is just a fork of the router firmware, ask the supplier for the source.",
    ],
)
def test_a_condition_minimizes_nothing(linter: Linter, said: str) -> None:
    assert "minimizing" not in _rules(f"Hi,\n\n{said}\n\nNiklas\n")
    assert "minimizing" in _rules("Hi,\n\nIt is only a small delay.\n\nNiklas\n")


def test_an_expectation_is_work_not_a_story(linter: Linter) -> None:
    reply = (
        "Hi,\n\nI have no idea why the counter stays put. My expectation would have been for "
        "the counter to go up by one.\n\nNiklas\n"
    )
    assert "self-focus" not in _rules(reply)
    story = "Hi,\n\nMy dog was sick last week, so I was off.\n\nNiklas\n"
    assert "self-focus" in _rules(story)


def test_experience_asked_for_is_no_self_story(linter: Linter) -> None:
    reply = "Hi,\n\nI had fun with this a couple of weeks ago on my own mesh at home.\n\nBen\n"
    asked = "Has anyone tried running IBSS with the ath10k-ct firmware? Any experience?"
    assert "self-focus" not in _rules(reply, asked)
    plain = "How do I run IBSS with the ath10k-ct firmware? It fails to join."
    assert "self-focus" in _rules(reply, plain)
