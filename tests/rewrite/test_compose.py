"""The composer (rewrite/compose.py) on real-style drafts, with suggestions made by hand where
the point is where and how they are put together (no spaCy needed)."""

from __future__ import annotations

from replylint.models import Applicability, Category, Finding, Severity, Suggestion
from replylint.rewrite.compose import compose
from replylint.rewrite.placement import closing_point, layout, opening_point

ACK = "I'm sorry your parcel was late."
CHECK = "Does that work for you? If not, just reply here."


def _f(rule: str, start: int, end: int, text: str, app: str = "unsafe") -> Finding:
    s = Suggestion(
        replacement=text, line=1, column=1, end_line=1, end_column=1, description="d",
        applicability=Applicability(app), start=start, end=end,
    )  # fmt: skip
    return Finding(
        rule=rule, severity=Severity.WARNING, category=Category.ACKNOWLEDGE, message="m",
        line=1, column=1, end_line=1, end_column=1, excerpt="", suggestions=[s],
        start=start, end=end,
    )  # fmt: skip


def test_a_tweet_keeps_its_handles_first_and_its_initials_last() -> None:
    text = "@tamsin_k @ShopHelp I've refunded the £23.40 today. ^CB"
    made = compose(
        text,
        [
            _f("no-acknowledgement", 0, 0, ACK + " "),  # put before the handles
            _f("no-check-back", len(text), len(text), " " + CHECK),  # put after ^CB
        ],
    ).text
    assert made == (f"@tamsin_k @ShopHelp {ACK} I've refunded the £23.40 today. {CHECK} ^CB")


def test_a_tweet_stays_within_its_budget() -> None:
    text = "@marc_dl " + "We have refunded it. " * 12 + "^CB"
    assert len(text) < 280
    made = compose(text, [_f("no-check-back", len(text), len(text), CHECK)], budget=280)
    assert made.text == text and made.skipped
    assert "over its 280 characters" in made.skipped[0].reason


def test_an_email_gets_the_acknowledgement_after_the_greeting_and_the_check_back_before_best() -> (
    None
):
    text = "Hi Ana,\n\nThank you for your email.\n\nYour refund went out today.\n\nBest,\nLeo\n"
    lay = layout(text)
    assert text[lay.opening - 1] == "." and text[: lay.opening].endswith("your email.")
    assert text[closing_point(text) :] == "\n\nBest,\nLeo\n"
    made = compose(
        text,
        [_f("no-acknowledgement", 0, 0, ACK), _f("no-check-back", 0, 0, CHECK)],
    ).text
    assert made == (
        f"Hi Ana,\n\nThank you for your email. {ACK}\n\nYour refund went out today. {CHECK}"
        "\n\nBest,\nLeo\n"
    )


def test_quoted_customer_text_is_never_edited_nor_written_into() -> None:
    text = (
        "Hi Dana,\n\nI've reversed the payment.\n\nBest,\nLeon\n\n"
        "> On 3 May, Dana wrote:\n> I was charged twice.\n"
    )
    quote = text.index("> I was")
    made = compose(
        text,
        [
            _f("self-focus", quote + 2, len(text) - 1, ""),  # deleting the customer's words
            _f("no-check-back", len(text) - 1, len(text) - 1, CHECK),
        ],
    )
    assert made.text == text.replace("payment.", f"payment. {CHECK}")
    assert any("quoted text" in x.reason for x in made.skipped or [])


def test_a_quote_that_opens_the_body_comes_before_the_acknowledgement() -> None:
    text = "Hi Jade,\n\n> My order arrived cracked.\n\nI've refunded it.\n\nKind regards,\nTomasz"
    assert text[opening_point(text) :].startswith("I've refunded it.")


def test_one_apology_one_acknowledgement_and_no_repeated_blank() -> None:
    text = "Hi Jo,\n\nSorry for any inconvenience! I'm sorry your order hasn't arrived. Nope.\n"
    stock = text.index("Sorry for")
    nope = text.index("Nope.")
    made = compose(
        text,
        [
            _f("scripted-apology", stock, stock + len("Sorry for any inconvenience!"), ACK),
            _f("terse-refusal", nope, nope + 5, "We can't do <what>; instead: <alternative>."),
            _f("no-alternative", len(text) - 1, len(text) - 1, "I can <alternative>."),
            _f("no-paraphrase", 0, 0, "Just to make sure I understand: it is late. Is that right?"),
        ],
    )
    # the stock apology goes (the reply already apologises), the blank is not repeated, and the
    # paraphrase is not a second acknowledgement added to the apology
    assert made.text == (
        "Hi Jo,\n\nJust to make sure I understand: it is late. Is that right? I'm sorry your "
        "order hasn't arrived. We can't do <what>; instead: <alternative>.\n"
    )
    assert made.text.count("<alternative>") == 1


def test_deletions_leave_one_space_and_a_capital() -> None:
    text = "Hi Sam,\n\nObviously you need to restart it. Then it works.\n"
    at = text.index("Obviously")
    made = compose(text, [_f("condescending", at, at + len("Obviously "), "", "safe")]).text
    assert made == "Hi Sam,\n\nYou need to restart it. Then it works.\n"
    mid = text.index(" Then")
    made = compose(text, [_f("minimizing", mid + 1, mid + len(" Then it works."), "")]).text
    assert made == "Hi Sam,\n\nObviously you need to restart it.\n"


def test_overlapping_edits_wait_for_the_next_pass() -> None:
    text = "It's our policy. Nope."
    made = compose(text, [_f("bare-policy", 0, 16, "A."), _f("x", 5, 20, "B")])
    assert made.text == "A. Nope."
    assert made.skipped and made.skipped[0].waits


def test_a_sentence_inserted_before_a_lower_case_clause_starts_it_with_a_capital() -> None:
    # the acknowledgement goes after "Good afternoon," (a greeting that runs into the reply's
    # first clause): what follows it starts a sentence now
    text = "@ana_p Good afternoon, can you try clearing your cache? ^JP"
    at = text.index("can you")
    made = compose(text, [_f("no-acknowledgement", at, at, ACK)]).text
    assert made == f"@ana_p Good afternoon, {ACK} Can you try clearing your cache? ^JP"
    # "iPhone" and a placeholder keep their case
    text = "@ana_p Hi there, iPhone users can update from Settings. ^JP"
    at = text.index("iPhone")
    made = compose(text, [_f("no-acknowledgement", at, at, ACK)]).text
    assert made == f"@ana_p Hi there, {ACK} iPhone users can update from Settings. ^JP"
