"""After blind reviews 19w and 18q (fixed after them, so not blind; our own words): a bracketed
name-and-date attribution and "X wrote:" above a blank line and a quote are quoted mail; the
writer pointing at their own line above is neither blame nor condescension; "I cannot recall
seeing …" is no refusal; the functions a user has to call are no hand-off; a Markdown line
break is prose, a shell continuation is not; a deletion never empties the reply; a stock
noun phrase of the project's ("the highest priority open issues") is no apology. Each case
runs the real linter (spaCy)."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.quoting import quoted_spans


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _rules(linter: Linter, text: str, customer: str | None = None) -> set[str]:
    return {f.rule for f in linter.check(text, customer, channel="email").findings}


def test_more_attribution_shapes_are_quoted_mail() -> None:
    text = (
        "Hi,\n\n[Ana Rossi, 2026-09-18]\n> great!!\n\nRyan Holt wrote:\n\n> Can I help?\n\nSure!\n"
    )
    assert [text[a:b] for a, b in quoted_spans(text)] == [
        "[Ana Rossi, 2026-09-18]",
        "> great!!",
        "Ryan Holt wrote:",
        "> Can I help?",
    ]


def test_the_writers_own_line_above_is_no_put_down(linter: Linter) -> None:
    text = (
        "As stated above, I'm not a Fedora user, so some of this may be wrong. Install the driver."
    )
    assert not {"condescending", "blame-customer"} & _rules(linter, text)
    assert "condescending" in _rules(linter, "As stated in my last email, install the driver.")


def test_not_recalling_is_no_refusal(linter: Linter) -> None:
    text = "I cannot recall seeing anyone use WPA with it. Could we have more details first?"
    assert "no-alternative" not in _rules(linter, text)


def test_functions_to_call_are_no_hand_off(linter: Linter) -> None:
    assert "passing-the-buck" not in _rules(linter, "These are the functions you have to call.")
    assert "passing-the-buck" in _rules(linter, "You will have to call the manufacturer.")


def test_a_markdown_line_break_is_prose_and_a_shell_continuation_is_not(linter: Linter) -> None:
    prose = "Thanks for the report!\\\nCould you please comment with steps to reproduce it?\\\n"
    assert "not-prose" not in _rules(linter, prose)
    shell = "./configure --prefix=/usr \\\n  --enable-foo \\\n  --with-bar\nmake install\n"
    assert "not-prose" in _rules(linter, shell)


def test_a_deletion_never_empties_the_reply(linter: Linter) -> None:
    text = "Hi,\n\nno, obviously.\n\n-- \nSam\n"
    for f in linter.check(text, "Can you fix my laptop?", channel="email").findings:
        for s in f.suggestions:
            rest = text[: s.start] + s.replacement + text[s.end :]
            assert any(c.isalpha() for c in rest.replace("Hi,", "").split("-- ")[0]), rest


def test_a_project_list_is_no_apology(linter: Linter) -> None:
    text = "Hi,\n\nWe fix the highest priority open issues first. Your report is on the list.\n\nAl"
    customer = "The export crashes when the file has no title."
    for f in linter.check(text, customer, channel="email").findings:
        for s in f.suggestions:
            assert "highest priority" not in s.replacement, s.replacement
