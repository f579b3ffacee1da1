"""After blind reviews 19v and 18p on mailing-list e-mails sent with their quotes, and saved
replies (fixed after them, so not blind; the cases are in our own words): a calm question of no
trouble is owed no acknowledgement, but a question with trouble, a plea or a flat no still is;
Supercite quotes ("MAV> …") and a German attribution are quoted mail; an interleaved reply gets
no opening sentence between a question and its answer; a check-back goes before a postscript,
footnotes and the signature; "Our policy prevents us from …" gets no verbless rewrite. Each
case runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.quoting import quoted_spans

REPLY = (
    "Hi Ana,\n\nYes: set bridge_mode=2 in the config and both meshes will see each other. "
    "There is no limit on the number of nodes, the universe will not collapse ;-)\n\nGeorg"
)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _rules(linter: Linter, text: str, customer: str | None) -> set[str]:
    return {f.rule for f in linter.check(text, customer, channel="email").findings}


QUESTION = "Is it possible to bridge two meshes instead of one? It is supposed to support that."


def test_a_calm_question_is_owed_no_acknowledgement(linter: Linter) -> None:
    assert "no-acknowledgement" not in _rules(linter, REPLY, QUESTION)
    assert "no-acknowledgement" not in _rules(linter, REPLY, "How can I use superior letters?")


@pytest.mark.parametrize(
    "customer",
    [
        QUESTION.replace("that.", "that, but it crashes."),
        QUESTION + " I spent hours on this and it still doesn't work.",
        "Connected the bridge yesterday and it wiped my config. Is there any way back?",
        "Why is the bridge broken again? This is so frustrating.",
        "The bridge crashes every time I start it, what am I doing wrong?",
    ],
)
def test_a_question_with_trouble_or_a_plea_is_still_owed_it(linter: Linter, customer: str) -> None:
    assert "no-acknowledgement" in _rules(linter, REPLY, customer)


def test_a_flat_no_to_a_need_is_still_owed_it(linter: Linter) -> None:
    found = _rules(linter, "Unfortunately, no.", "Could you add a dark mode to the editor?")
    assert "no-acknowledgement" in found or "terse-refusal" in found


def test_supercite_quotes_and_a_german_attribution_are_quoted_mail() -> None:
    text = (
        "Hi,\n\nAm Dienstag, 15. Mai 2007 13:12 schrieb Peter Meier:\n> Geht das?\n\n"
        "MAV> I'd been using it for two years\nMAV> and now I'm too busy to update.\n\n"
        "x>5 is the condition you want.\n"
    )
    quoted = [text[a:b] for a, b in quoted_spans(text)]
    assert quoted == [
        "Am Dienstag, 15. Mai 2007 13:12 schrieb Peter Meier:",
        "> Geht das?",
        "MAV> I'd been using it for two years",
        "MAV> and now I'm too busy to update.",
    ]


def test_no_opening_sentence_between_a_quoted_question_and_its_answer(linter: Linter) -> None:
    text = (
        "* Dana Reyes <dana at example.org> [2026-05-04]:\n> Does the driver support "
        "interrupts?\n\nNo, only polling for now.\n"
    )
    customer = "Does the driver support interrupts? It hangs when I enable them."
    for f in linter.check(text, customer, channel="email").findings:
        if f.rule == "no-acknowledgement":
            assert not f.suggestions, f.suggestions


def test_a_check_back_goes_before_a_postscript_footnotes_and_the_signature(
    linter: Linter,
) -> None:
    text = (
        "Hi Breno,\n\nRestart the daemon with --reset and connect to port 8333 [1].\n\n\nGeorg\n\n"
        "[1] https://example.org/docs/ports\n\nP.S: my hosting provider has issues today ;)\n"
        "-- \n|| https://example.org ++ gpg: 0x962FD2DE ||\n"
    )
    report = linter.check(text, "The daemon stops answering after an hour.", channel="email")
    out = report.rewritten()
    at = out.find("Does that work for you?")
    assert 0 < at < out.index("Georg"), out


def test_a_policy_that_prevents_us_from_gets_no_verbless_rewrite(linter: Linter) -> None:
    text = (
        "Hi,\n\nOur policy prevents us from accessing a customer's servers without written "
        "approval. Please ask the owner to send it to us.\n\nBest,\nSam"
    )
    for f in linter.check(text).findings:
        if f.rule == "bare-policy":
            assert not any(s.replacement.startswith("To keep") for s in f.suggestions)


def test_an_opening_sentence_still_goes_before_a_full_answer_to_a_quote(linter: Linter) -> None:
    """Above a full answer to the quoted message it reads well (blind review 18p: S003, S004)."""
    text = (
        "On Mon, 12 Mar 2026, Felix wrote:\n> I get build errors with the new driver.\n> Can "
        "you help me please?\n\nCan you be a bit more specific about the errors? During which "
        "step do they occur?\n\nKlaas\n"
    )
    customer = "I get build errors with the new driver. Can you help me please?"
    found = [
        f
        for f in linter.check(text, customer, channel="email").findings
        if f.rule == "no-acknowledgement"
    ]
    assert found and found[0].suggestions, found
