"""After blind review 19u on mailing-list e-mails and saved replies (fixed after it, so not
blind; none of its text is here, the cases are in our own words): a calm technical report
answered by a peer is owed no acknowledgement, no paraphrase, and its "No." is an answer; a
report that says how it hurts, or a reply that brushes it off, still is; an apology in front of
any no counts as the acknowledgement; a hard-wrapped first line goes on as one sentence; an
interleaved reply quotes the customer (no paraphrase asked) and greets no one; the writer's
own memory or a test asked for is no dead end. Each case runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter

REPORT = (
    "Hello, after the upgrade to kernel 5.10.3 the splash_ctl tool exits with error code 22 "
    "when I run it from /etc/init.d/splash."
)
ANSWER = (
    "Hi Tomas,\n\nError 22 means the framebuffer was not set up yet. Run the tool after the fb "
    "module loads, or add it to the initramfs.\n\nRegards,\nMiguel"
)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _rules(linter: Linter, text: str, customer: str | None, channel: str = "email") -> set[str]:
    return {f.rule for f in linter.check(text, customer, channel=channel).findings}


def test_a_calm_technical_report_is_owed_no_acknowledgement_nor_paraphrase(
    linter: Linter,
) -> None:
    found = _rules(linter, ANSWER, REPORT)
    assert not {"no-acknowledgement", "no-paraphrase"} & found, found


@pytest.mark.parametrize(
    "felt",
    [
        "I have spent hours on this. ",
        "Our biggest customer's system is down because of it. ",
        "Please help! ",
        "It fails again :-( ",
        "This is so frustrating. ",
    ],
)
def test_a_report_that_says_how_it_hurts_is_owed_the_acknowledgement(
    linter: Linter, felt: str
) -> None:
    assert "no-acknowledgement" in _rules(linter, ANSWER, felt + REPORT)


def test_a_reply_that_brushes_the_report_off_is_still_flagged(linter: Linter) -> None:
    brush = "Hi Tomas,\n\nWorks for me. Not a bug, read the manual.\n\nMiguel"
    assert "no-acknowledgement" in _rules(linter, brush, REPORT)


def test_a_consumers_calm_complaint_is_no_technical_report(linter: Linter) -> None:
    """Without technical details the excuse does not hold: a consumer's trouble."""
    reply = "Hi Ana,\n\nYour parcel is with the courier and will arrive on Friday.\n\nBest,\nLeo"
    assert "no-acknowledgement" in _rules(linter, reply, "My parcel hasn't arrived yet.")


def test_no_to_a_calm_technical_question_is_an_answer(linter: Linter) -> None:
    question = "Does the uvc_driver module 2.1.4 read the exposure from /etc/uvc.conf at boot?"
    reply = "No. It reads its parameters from the kernel command line only."
    assert "terse-refusal" not in _rules(linter, reply, question)
    assert "terse-refusal" in _rules(linter, "No.", "Can you refund my order?")


@pytest.mark.parametrize(
    "text",
    [
        "I'm very sorry, but the index is not included in this release.",
        "I'm sorry but we don't understand the problem you are reporting. Could you describe it?",
    ],
)
def test_an_apology_in_front_of_any_no_acknowledges(linter: Linter, text: str) -> None:
    customer = "The index file is missing from the download and the reader shows nothing."
    assert "no-acknowledgement" not in _rules(linter, text, customer)


def test_a_hard_wrapped_first_line_goes_on_as_one_sentence(linter: Linter) -> None:
    text = (
        "The error is reported by the TLS library (i.e. the handshake() function)\n"
        "and not OpenSSL.\n"
    )
    report = linter.check(text, "My mail client shows a handshake error.", channel="email")
    assert not {"terse-refusal", "no-alternative"} & {f.rule for f in report.findings}


def test_an_interleaved_reply_quotes_the_customer_and_greets_no_one(linter: Linter) -> None:
    text = (
        "* Dana Reyes <dana at example.org> [2026-05-04 10:12]:\n"
        "> My export stops halfway and says the disk is full, though it isn't.\n\n"
        "The export writes to the temporary folder first, so the system disk fills up. Point "
        "the temporary folder to the big drive in Settings and it will go through. Let me "
        "know if it works.\n"
    )
    found = _rules(linter, text, None)
    assert not {"missing-greeting", "no-paraphrase"} & found, found
    # the same answer, not interleaved: the greeting is asked of it
    assert "missing-greeting" in _rules(linter, text.split("\n", 2)[2], None)


def test_a_quoted_customer_needs_no_paraphrase(linter: Linter) -> None:
    reply = "Hi Priya,\n\nI've refunded the duplicate payment.\n\nSam"
    customer = "I was charged twice for my plan."
    assert "no-paraphrase" in _rules(linter, reply, customer)
    quoted = reply.replace("Hi Priya,\n\n", f"Hi Priya,\n\nPriya wrote:\n> {customer}\n\n")
    assert "no-paraphrase" not in _rules(linter, quoted, None)


@pytest.mark.parametrize(
    "text",
    [
        "I can't actually remember where the auto-detection stops. Maybe we should do a "
        "debugging session together?",
        "Since I can't verify the fix myself, can you please test the package first?",
        "Both at once is not possible at the moment, but I will keep it on my list.",
    ],
)
def test_the_writers_memory_or_a_next_step_is_no_dead_end(linter: Linter, text: str) -> None:
    assert "no-alternative" not in _rules(linter, text, None)
