"""After blind review 19z (fixed after it, so not blind; our own words in the registers of the
developer lists and repository macros it used): a size the tool printed as "???G" is no
distress, nor "error frames" trouble, nor "not broken in the future" a problem; "You did
nothing wrong" and "bad from a user perspective" acknowledge; "obviously" about our own flaw
puts no one down; "no plans … in the near future" promises no time; "relax" in a commit's title
minimizes nothing; the roadmap offered is an alternative and "We can't reproduce your issue"
refuses nothing; "Please, send patch." is no fix to check back on; a bot's automatic notice is
owed no acknowledgement; an attribution wrapped after the name is quoted mail, and an image tag
before the greeting is not the first line. Every case has its counterpart that still fires.
Each runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.quoting import quoted_spans
from tests.suggestions import rule_ids as _rules

_REPLY = "Hi Max,\n\nUse the Linux filesystem data type for those partitions.\n\nKarel\n"


def test_a_printed_size_is_no_distress(linter: Linter) -> None:
    report = "The array does not assemble after reboot and mdadm 4.2 gives an error on /dev/md0."
    listing = "My layout:\nnvme0n1p3 259:3  0  ???G  0 part\nnvme0n1p4 259:4  0  ???G  0 part\n"
    assert "no-acknowledgement" not in _rules(_REPLY, listing + report)
    assert "no-acknowledgement" in _rules(_REPLY, report + " Why?? Nothing works!")


def test_error_frames_are_a_term_not_trouble(linter: Linter) -> None:
    reply = "Hi Wolf,\n\nSet the controller to listen-only mode with ip link.\n\nMarc\n"
    frames = "How can I set the CAN controller to silent mode, not sending any ACK or error frames?"
    assert "no-acknowledgement" not in _rules(reply, frames)
    trouble = "The CAN controller throws an error when I set silent mode. How can I fix it?"
    assert "no-acknowledgement" in _rules(reply, trouble)


def test_not_broken_in_the_future_is_no_problem(linter: Linter) -> None:
    macro = "Please add test data so we can ensure your change is not broken in the future."
    assert "no-acknowledgement" not in _rules(macro, channel="macro")
    broken = "Your change is broken. Please add test data."
    assert "no-acknowledgement" in _rules(broken, channel="macro")


@pytest.mark.parametrize(
    "said",
    [
        "You did nothing wrong. The statistics differ per driver, a known issue.",
        "The statistics differ per driver, which is bad from a user perspective.",
    ],
)
def test_you_did_nothing_wrong_acknowledges(linter: Linter, said: str) -> None:
    customer = "I can't see the statistics after compiling the kernel; I spent hours on it. Help!"
    assert "no-acknowledgement" not in _rules(f"Hi,\n\n{said}\n\nJesper\n", customer)
    cold = "Hi,\n\nThe statistics differ per driver.\n\nJesper\n"
    assert "no-acknowledgement" in _rules(cold, customer)


def test_obviously_about_our_own_flaw_puts_no_one_down(linter: Linter) -> None:
    ours = "Hi,\n\nThe behaviour varies per driver, which obviously is bad for users.\n\nJo\n"
    assert "condescending" not in _rules(ours)
    yours = "Hi,\n\nYou obviously need to read the driver notes first.\n\nJo\n"
    assert "condescending" in _rules(yours)


@pytest.mark.parametrize(
    "outlook",
    [
        "There are no plans to implement it in the near future.",
        "It is difficult to support it in the near future.",
    ],
)
def test_no_plans_in_the_near_future_promises_no_time(linter: Linter, outlook: str) -> None:
    assert "vague-timeline" not in _rules(f"Hi,\n\n{outlook}\n\nRyu\n")
    promise = "Hi,\n\nWe plan to implement it in the near future.\n\nRyu\n"
    assert "vague-timeline" in _rules(promise)


def test_relax_in_a_commit_title_minimizes_nothing(linter: Linter) -> None:
    commit = "Hi,\n\nThis comes from:\n9df085f3c9a2 ovl: relax requirement for a uuid\n\nAmir\n"
    assert "minimizing" not in _rules(commit)
    assert "minimizing" in _rules("Hi,\n\nRelax, it happens to everyone.\n\nAmir\n")


def test_the_roadmap_and_not_reproducing_offer_a_way(linter: Linter) -> None:
    roadmap = "Hi,\n\nI cannot give an estimate, but the roadmap is available online.\n\nJ\n"
    assert "no-alternative" not in _rules(roadmap)
    bare = "Hi,\n\nI cannot give an estimate.\n\nJ\n"
    assert "no-alternative" in _rules(bare)
    repro = "We can't reproduce your issue. Please give more information."
    assert "no-alternative" not in _rules(repro, channel="macro")


def test_a_request_for_a_patch_is_no_fix(linter: Linter) -> None:
    customer = "The build fails without pkg-config; I fixed it by installing it. Worth a note?"
    patch = "Hi,\n\nGood point. Please, send patch.\n\nKarel\n"
    assert "no-check-back" not in _rules(patch, customer)
    fix = "Hi,\n\nGood point. Please install pkg-config 0.29 and rerun autogen.sh.\n\nKarel\n"
    assert "no-check-back" in _rules(fix, customer)


@pytest.mark.parametrize(
    "notice",
    [
        "This is an automatic reply. Sadly your issue has no logs attached; please add them.",
        "*This issue has been automatically closed.* Sadly the problem belongs to another repo.",
    ],
)
def test_a_bots_automatic_notice_is_owed_no_acknowledgement(linter: Linter, notice: str) -> None:
    assert "no-acknowledgement" not in _rules(notice, channel="macro")
    agent = "Sadly your issue has no logs attached; please add them."
    assert "no-acknowledgement" in _rules(agent, channel="macro")


def test_an_attribution_wrapped_after_the_name_is_quoted_mail(linter: Linter) -> None:
    text = (
        "Sebastiao Amaro\n<sebastiao@example.org> writes:\n\n> The cache fails to attach.\n\n"
        "Yeah, that is the udev rule. :)\n"
    )
    spans = [text[a:b] for a, b in quoted_spans(text)]
    assert spans[:2] == ["Sebastiao Amaro", "<sebastiao@example.org> writes:"]


def test_an_image_before_the_greeting_is_not_the_first_line(linter: Linter) -> None:
    img = '<img src="https://example.org/wave.gif" height=200 />\n'
    gif = img + "Thank you for raising an issue. We will look at it.\nBest, the stewards"
    assert "missing-greeting" not in _rules(gif, channel="macro")
    bare = img + "We will look at it.\nBest, the stewards"
    assert "missing-greeting" in _rules(bare, channel="macro")


def test_a_rhetorical_cant_you_just_talks_down(linter: Linter) -> None:
    customer = "The kernel crashes and I can't decode the stack trace. Help!"
    rhetorical = "Why would you have to decode anything? Can't you just attach the dmesg log here?"
    assert "condescending" in _rules(f"Hi,\n\n{rhetorical}\n\nNeil\n", customer)
    plain = "Please attach the dmesg log here; it holds the decoded stack trace."
    assert "condescending" not in _rules(f"Hi,\n\n{plain}\n\nNeil\n", customer)


def test_a_fault_put_on_another_and_not_us_blames_others(linter: Linter) -> None:
    macro = "The issue you encounter is caused by Gatekit and not Botlist. Ask there for support."
    assert "blame-others" in _rules(macro, channel="macro")
    owned = "The issue you encounter is caused by Botlist; a fix ships in 2.1."
    assert "blame-others" not in _rules(owned, channel="macro")


def test_will_not_be_worked_on_refuses(linter: Linter) -> None:
    declined = "This will not be worked on but we appreciate your contribution."
    assert "no-alternative" in _rules(declined, channel="macro")
    offered = declined + " You are welcome to maintain it as a plugin instead."
    assert "no-alternative" not in _rules(offered, channel="macro")
