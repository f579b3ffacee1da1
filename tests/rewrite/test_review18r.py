"""After blind review 18r (fixed after it, so not blind; our own words in the registers of the
mailing lists it used): an attribution with a date and a time that the archive garbled, and a
French "a ecrit:", are quoted mail (no greeting or apology glued to them); an apology names
the issue from the reply only when it is the customer's ("the delay with your order"), never
the reply's own jargon ("the MT-unsafe problems"); a command is not capitalised after an
inserted sentence; "greets," closes a reply; a sentence the segmenter cut at a line break is
not half deleted. Real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.quoting import quoted_spans


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _applied(linter: Linter, rule: str, text: str, customer: str | None = None) -> list[str]:
    report = linter.check(text, customer, channel="email")
    found = [f for f in report.findings if f.rule == rule]
    return [text[: s.start] + s.replacement + text[s.end :] for f in found for s in f.suggestions]


@pytest.mark.parametrize(
    "attribution",
    [
        "? ???, 19/08/2007 ? 21:12 +0200, Sa?a Bodiro?a ?????:",
        "Martin McCormick, le lun. 14 déc. 2020 12:25:08 -0600, a ecrit:",
    ],
)
def test_more_attribution_shapes(attribution: str) -> None:
    text = f"Hello,\n\n{attribution}\n> It crashes.\n\nWhich version is it?\n"
    assert [text[a:b] for a, b in quoted_spans(text)] == [attribution, "> It crashes."]


def test_a_date_line_is_no_attribution_without_a_quote_below() -> None:
    assert quoted_spans("Meeting on 19/08/2007 at 21:12:\nbring the logs.\n") == ()


def test_a_garbled_attribution_opens_an_interleaved_reply(linter: Linter) -> None:
    text = (
        "? ???, 19/08/2007 ? 21:12 +0200, Sa?a ?????:\n> The applet fails to load.\n\n"
        "Hi Sasa, thanks for the report. Which version of the applet is it?\n"
    )
    found = linter.check(text, "The applet fails to load.", channel="email").findings
    assert "missing-greeting" not in {f.rule for f in found}


def test_the_apology_names_only_the_customers_issue(linter: Linter) -> None:
    customer = "The build fails with hundreds of errors scrolling past and I can't see the first."
    errors = "hundreds of superfluous syntax errors.\n"
    jargon = (
        "The warning you get is harmless.\n\nPress Ctrl+C right after the first ones appear. "
        "The compiler tries to work around unknown types, and in most cases this just "
        "generates "
    )
    assert _applied(linter, "no-acknowledgement", jargon + errors, customer) == [
        "I'm sorry about <the issue>. " + jargon + errors
    ]
    # the bare noun still names it
    named = jargon.replace("Press Ctrl+C", "As for the errors: press Ctrl+C")
    applied = _applied(linter, "no-acknowledgement", named + errors, customer)
    assert applied == ["I'm sorry about the errors. " + named + errors]


def test_a_command_keeps_its_case(linter: Linter) -> None:
    customer = "The firmware upload fails with error 12 on my board and I can't use it. Help!"
    text = "b2xx_fx3_utils --reset-device will clear it; then load the image again.\n"
    applied = _applied(linter, "no-acknowledgement", text, customer)
    assert applied == ["I'm sorry about <the issue>. " + text]


def test_greets_closes_a_reply(linter: Linter) -> None:
    text = "Hi Bernhard,\n\nPlease update to 4.2.0 and restart the panel.\n\ngreets,\nBenedikt"
    applied = _applied(
        linter, "no-check-back", text, "The panel crashes every time I open the goodies."
    )
    assert applied
    assert all(a.endswith("greets,\nBenedikt") for a in applied)


def test_a_sentence_cut_at_a_line_break_is_not_half_deleted(linter: Linter) -> None:
    text = (
        "Hi Ana,\n\nMy thought was always that there are two ways I would use my setup in\n\n"
        "a container. Please try the second.\n\nIan\n"
    )
    report = linter.check(text, "How do I run it in a container?", channel="email")
    for f in report.findings:
        for s in f.suggestions:
            after = text[: s.start] + s.replacement + text[s.end :]
            assert "\n\na container." not in after or "setup in" in after


# -- after blind review 18s (fixed after it, not blind) ----------------------------------------


def test_a_put_down_aside_is_deleted_whole_or_not_at_all(linter: Linter) -> None:
    whole = "Hi Paul,\n\nAs I said to you before [2], I still suggest the backport.\n\nGao\n"
    assert _applied(linter, "condescending", whole) == [
        "Hi Paul,\n\nI still suggest the backport.\n\nGao\n"
    ]
    # an aside the deletion could not cut cleanly: no suggestion, never "With some doubt, …"
    assert _applied(linter, "condescending", whole.replace("to you before [2]", "with doubt")) == []
