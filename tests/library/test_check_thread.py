"""``Linter.check_thread``: the parts of one reply posted as a thread, judged as a whole."""

from __future__ import annotations

import pytest

from replylint import Linter
from tests.run.test_threads import CHECK_BACK, FIX, SCRIPTED, SOON, unmarked


def rules(reports: list) -> list[list[str]]:  # type: ignore[type-arg]
    return [sorted(f.rule for f in r.findings) for r in reports]


def test_a_move_of_one_part_satisfies_the_others(linter: Linter) -> None:
    apart = linter.check_many([unmarked(FIX), unmarked(CHECK_BACK)])
    assert "no-check-back" in rules(apart)[0]
    thread = linter.check_thread([FIX, CHECK_BACK])
    assert "no-check-back" not in rules(thread)[0]
    assert "no-acknowledgement" in rules(thread)[0]  # no part acknowledges
    # each report is its own part's: its text, and findings at offsets into it
    assert [r.text for r in thread] == [FIX, CHECK_BACK]
    for r in thread:
        for f in r.findings:
            assert r.text[f.start : f.end] == f.excerpt
    # the profile is the thread's: both parts check back, in the channel of each
    assert [r.profile.checks_back for r in thread if r.profile] == [True, True]
    assert [r.channel for r in thread] == ["social", "social"]


def test_one_finding_of_a_document_rule_per_thread_where_its_rule_anchors(
    linter: Linter,
) -> None:
    apart = rules(linter.check_many([unmarked(SCRIPTED), unmarked(SOON)]))
    assert "no-check-back" in apart[0] and "no-check-back" in apart[1]
    assert "no-acknowledgement" in apart[1]
    thread = linter.check_thread([SCRIPTED, SOON])
    # no-check-back anchors at the last step: on part 2 only; the scripted apology of part 1
    # is the thread's acknowledgement; sentence-level findings stay where they are
    assert rules(thread) == [["scripted-apology"], ["no-check-back", "vague-timeline"]]
    (soon,) = [f for f in thread[1].findings if f.rule == "vague-timeline"]
    assert SOON[soon.start : soon.end] == "soon"


def test_the_greeting_is_asked_of_the_first_part_only() -> None:
    email = Linter(channel="email")
    greeted = FIX.replace("That's a rotten", "Hi Priya, that's a rotten")
    assert (
        "missing-greeting" in rules(email.check_many([unmarked(greeted), unmarked(CHECK_BACK)]))[1]
    )
    assert ["missing-greeting" in r for r in rules(email.check_thread([greeted, CHECK_BACK]))] == [
        False,
        False,
    ]
    # customers' messages and the channel are taken as check_many takes them
    thread = email.check_thread([(FIX, "@BrightBank charged twice AGAIN"), CHECK_BACK])
    assert thread[0].customer == "@BrightBank charged twice AGAIN"
    assert "missing-greeting" in rules(thread)[0]
    assert [r.channel for r in email.check_thread([FIX], channel="social")] == ["social"]


def test_a_single_part_is_one_draft(linter: Linter) -> None:
    assert rules(linter.check_thread([FIX])) == rules([linter.check(unmarked(FIX))])
    assert linter.check_thread([]) == []


def test_bad_input_names_check_thread(linter: Linter) -> None:
    with pytest.raises(TypeError, match=r"Linter\.check_thread\(\): item 1"):
        linter.check_thread([FIX, 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"Linter\.check_thread\(\): channel"):
        linter.check_thread([FIX], channel="fax")


def test_a_marked_draft_given_alone_is_an_incomplete_thread(linter: Linter) -> None:
    """check / check_many: "2/2" alone was posted after a part we do not have, so the opening
    moves (acknowledgement, greeting) are not asked of it; "1/2" alone, the closing ones."""
    customer = "@BrightBank my card was charged twice and nobody has answered my emails"
    second = "@BrightBank @55102 Please DM us the last 4 digits so we can reverse it today. 2/2"
    bare = unmarked(second)
    assert "no-acknowledgement" in [f.rule for f in linter.check(bare, customer).findings]
    assert "no-acknowledgement" not in [f.rule for f in linter.check(second, customer).findings]
    assert "no-check-back" in [f.rule for f in linter.check(unmarked(FIX)).findings]
    (alone,) = linter.check_many([FIX])
    assert "no-check-back" not in [f.rule for f in alone.findings]
    # sentence-level findings of a part stay: a scripted apology is still one
    scripted = "@BrightBank @55102 We apologise for any inconvenience caused. 2/2"
    assert "scripted-apology" in [f.rule for f in linter.check(scripted, customer).findings]
