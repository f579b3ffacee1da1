"""After blind review 18u (fixed after it, so not blind; our own words in the registers of the
lists and repository bot comments it used): "Hope this is useful to you," closes a reply (the
check-back goes before it, not after the name); a check-back after a link ending a line goes on
a line of its own; a bot's notice that the issue will be closed automatically asks no
check-back, and its "will be closed shortly" promises no time. Real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from tests.suggestions import all_applied as _applied


def test_hope_this_is_useful_closes_the_reply(linter: Linter) -> None:
    customer = "The netns is not created when osmo-ggsn starts. It fails every time."
    reply = (
        "Hi,\n\nPlease create the netns first with ip netns add, then restart the daemon.\n\n"
        "Hope this is useful to you,\nPau\n"
    )
    applied = _applied(reply, "no-check-back", customer)
    assert applied and all(a.endswith("\n\nHope this is useful to you,\nPau\n") for a in applied)


def test_a_check_back_after_a_link_ending_a_line_goes_on_its_own_line(linter: Linter) -> None:
    customer = "The export fails with a permissions error. Annoying!"
    reply = (
        "Hi Jo,\n\nSorry about that. Please restart the export after clearing the cache, details "
        "in https://example.org/export\n"
    )
    applied = _applied(reply, "no-check-back", customer)
    assert applied and all("https://example.org/export\nDoes that work" in a for a in applied)


def test_an_automatic_closure_asks_no_check_back(linter: Linter) -> None:
    macro = (
        "Offline mode uses other ids and might not work. Try enabling the online mode in "
        "server.properties.\n\nThis issue will be automatically closed."
    )
    assert "no-check-back" not in {f.rule for f in linter.check(macro, channel="macro").findings}
    open_ = macro.replace("\n\nThis issue will be automatically closed.", "")
    assert "no-check-back" in {f.rule for f in linter.check(open_, channel="macro").findings}


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("This issue has been marked as old news and will be closed shortly.", False),
        ("We will look at this issue shortly.", True),
    ],
)
def test_a_bots_closing_time_promises_nothing(linter: Linter, text: str, fires: bool) -> None:
    found = {f.rule for f in linter.check(text, channel="macro").findings}
    assert ("vague-timeline" in found) is fires
