"""After blind review 18k on live-chat turns (fixed after it, so not blind; none of its text is
here): no introduction, dangling clause, run-on or cry for help of the customer's is said back;
since 18o neither the apology nor the paraphrase is built from the customer's words at all. No
present-tense apology for what the reply says is resolved, a stock apology keeps "and for the
late reply", no apology for what the reply says is not there. Each case runs the real linter
(spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from tests.suggestions import said_back

SLOT = "I'm sorry about <the issue>. "


def _acknowledgement(linter: Linter, customer: str, text: str) -> str:
    found = [
        f
        for f in linter.check(text, customer, channel="chat").findings
        if f.rule == "no-acknowledgement"
    ]
    assert found and found[0].suggestions, "no-acknowledgement offers nothing"
    return found[0].suggestions[0].replacement


ASKS = "Can you send me the logs from the app?"
PLEASE = "Please send me the logs from the app."


@pytest.mark.parametrize(
    ("customer", "reply"),
    [
        # an introduction, a dangling "and before", a run-on, a cry for help (blind review 18k)
        ("My name is Dana Reyes and I'd like to submit a fraud report.", ASKS),
        ("I lost my credit card and before I could block it, someone spent $200 online.", ASKS),
        ("hi i lost my credit card and someone's been using it and just spent 200 online", ASKS),
        ("I'm lost, help!", ASKS),
        # a hedge, an aside, a pointer with nothing to point at (blind review 18m)
        ("The website has been down for I believe over a week now.", ASKS),
        ("For example, the LED settings are completely unusable since the update.", ASKS),
        ("That is not working at all since yesterday's update.", ASKS),
        # nothing went wrong in the clause; a clause opening on a preposition (blind 18n)
        ("My friends love the app, but the sync doesn't work since the update.", PLEASE),
        ("For unknown reason the app does not connect to the adapter reliably.", PLEASE),
    ],
)
def test_the_customers_words_are_never_said_back(linter: Linter, customer: str, reply: str) -> None:
    """The apology and the paraphrase are slots the agent fills: built from the customer's
    clause, however it was cleaned, they were sendable less than half the time (18j-18o)."""
    assert _acknowledgement(linter, customer, reply) == SLOT
    assert said_back(reply, customer) is None


def test_no_present_tense_apology_for_what_the_reply_says_is_resolved(linter: Linter) -> None:
    """ "I'm sorry the site is down." before "… they seem to be resolved now" (blind 18m)."""
    text = "Our provider had issues yesterday, but they seem to be resolved now."
    found = [
        f
        for f in linter.check(
            text, "the site is down since this morning", channel="thread"
        ).findings
        if f.rule == "no-acknowledgement"
    ]
    for f in found:
        for s in f.suggestions:
            assert "is down" not in s.replacement, s.replacement


def test_a_stock_apology_keeps_the_apology_for_a_late_reply(linter: Linter) -> None:
    """ "sorry for the inconveniences and for the late reply." (blind review 18m: the slot
    dropped the apology for the late reply)."""
    text = (
        "Hey @sam, sorry for the inconveniences and for the late reply. Could you send your email?"
    )
    found = [
        f for f in linter.check(text, channel="thread").findings if f.rule == "scripted-apology"
    ]
    assert found and found[0].suggestions
    assert found[0].suggestions[0].replacement.endswith(", and for the late reply."), found


def test_no_apology_for_what_the_reply_says_is_not_there(linter: Linter) -> None:
    """ "I don't see errors in the log" gives no "I'm sorry about the errors in the log." """
    text = "I think the outage caused it to drop. I don't see errors in the log, can you retry?"
    customer = "The bot dropped out of the voice channel again and won't reconnect."
    made = _acknowledgement(linter, customer, text)
    assert "errors in the log" not in made, made
