"""After blind review 18k on live-chat turns (fixed after it, so not blind; none of its text is
here): the customer's words said back take the clause that holds the trouble (not "my name is
…"), one clause of a run-on ("… and someone's been using it and …"), never a dangling "and
before …" or a cry for help glued on. They are said back in the paraphrase only: the apology is
the slot, never built from a clause (blind reviews 18j-18n). Each case runs the real linter
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


@pytest.mark.parametrize(
    ("customer", "wanted", "unwanted"),
    [
        # the introduction is no trouble: the slot, not "I'm sorry your name is …"
        (
            "My name is Dana Reyes and I'd like to submit a fraud report.",
            None,
            "your name",
        ),
        # a clause left dangling after "and" is cut off with it
        (
            "I lost my credit card and before I could block it, someone spent $200 online.",
            "you lost your credit card",
            "before",
        ),
        # a run-on: its first clause
        (
            "hi i lost my credit card and someone's been using it and just spent 200 online",
            "you lost your credit card",
            "someone",
        ),
        # a cry for help is not part of the trouble
        ("I'm lost, help!", "you're lost", "help"),
    ],
)
def test_the_clause_said_back_is_the_one_that_holds_the_trouble(
    linter: Linter, customer: str, wanted: str | None, unwanted: str
) -> None:
    text = "Can I get your full name and account number?"
    made = said_back(text, customer)
    assert made == wanted, made
    assert _acknowledgement(linter, customer, text) == SLOT


ASKS = "Can you send me the logs from the app?"
PLEASE = "Please send me the logs from the app."


@pytest.mark.parametrize(
    ("customer", "reply", "unwanted"),
    [
        # a hedge, an aside, a pointer with nothing to point at (blind review 18m)
        ("The website has been down for I believe over a week now.", ASKS, "believe"),
        (
            "For example, the LED settings are completely unusable since the update.",
            ASKS,
            "example",
        ),
        ("That is not working at all since yesterday's update.", ASKS, "that is"),
        # nothing went wrong in the clause: the trouble is elsewhere (blind review 18n)
        ("My friends love the app, but the sync doesn't work since the update.", PLEASE, "love"),
        # a clause opening on a preposition (blind review 18n)
        (
            "For unknown reason the app does not connect to the adapter reliably.",
            PLEASE,
            "for unknown",
        ),
    ],
)
def test_no_apology_from_a_clause_without_clean_trouble(
    linter: Linter, customer: str, reply: str, unwanted: str
) -> None:
    """The customer's hedge, aside, pointer, or a clause without the trouble, is not said back."""
    made = said_back(reply, customer) or ""
    assert unwanted not in made.lower(), made
    assert _acknowledgement(linter, customer, reply) == SLOT


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
