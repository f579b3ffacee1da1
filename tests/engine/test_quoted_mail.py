"""Mail the agent did not write is never linted (blind review 19u, fixed after it, not blind):
quoted lines, their attribution in every mailer's shape, an elision mark, a signature below
"-- " and an original message below a separator. In the library as in a file: the rules never
anchor a finding in them, the quoted words are the customer's message when none is given, and
the rewrite keeps them as written. Each case runs the real linter (spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from replylint import Linter
from replylint.cli import main
from replylint.quoting import quoted_spans

SIGNATURE = "-- \nNever argue with idiots.\n"
BODY = "Try reinstalling the driver from the website and\nrestart the machine.\n"

ATTRIBUTIONS = [
    "On Mon, 4 Sep 2006, Bob Smith wrote:",
    "* Bob Smith <bob at example.org> [2006-09-04 10:00]:",
    "2009/8/21 Bob Smith <bob@example.org>:",
    "On Mon, 04 Sep 2006 the mental interface of Bob Smith told:",
    "Bob Smith <bob@example.org> wrote:",
]


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _outside(text: str, spans: tuple[tuple[int, int], ...], linter: Linter) -> None:
    report = linter.check(text, channel="email")
    for f in report.findings:
        assert not any(a <= f.start < b for a, b in spans), (f.rule, f.excerpt)


@pytest.mark.parametrize("line", ATTRIBUTIONS)
def test_an_attribution_is_not_the_reply(line: str, linter: Linter) -> None:
    text = f"Hi Bob,\n\n{line}\n> My printer stopped working after the update.\n\n{BODY}"
    spans = quoted_spans(text)
    assert [text[a:b] for a, b in spans] == [line, "> My printer stopped working after the update."]
    _outside(text, spans, linter)
    report = linter.check(text)
    assert report.customer == "My printer stopped working after the update."


def test_another_mailers_attribution_without_a_quote_is_left_out_alone() -> None:
    """ "* Bob <addr>:" over the reply (its quote trimmed) is left out; the reply stays."""
    text = f"Hi,\n\n* Bob Smith <bob at example.org> [2006-09-04 10:00]:\n\n{BODY}"
    assert [text[a:b] for a, b in quoted_spans(text)] == [ATTRIBUTIONS[1]]


def test_a_bare_wrote_line_counts_only_above_a_quote() -> None:
    """ "As the manual writes:" introduces the writer's own text, not quoted mail."""
    assert quoted_spans("As the manual writes:\nRestart the machine first.\n") == ()
    assert quoted_spans("Bob Smith wrote:\n> It broke.\n") != ()


def test_a_signature_is_not_linted(linter: Linter) -> None:
    """ "Never argue with idiots." below "-- " was read as a terse no (blind review 19u)."""
    text = f"Hi Bob,\n\nWhich version of the driver do you run?\n\nCheers,\nAl\n{SIGNATURE}"
    spans = quoted_spans(text)
    assert [text[a:b] for a, b in spans] == ["-- ", "Never argue with idiots."]
    report = linter.check(text, "My printer stopped working.", channel="email")
    assert not {"terse-refusal", "no-alternative"} & {f.rule for f in report.findings}
    _outside(text, spans, linter)


def test_an_original_message_below_a_separator_is_not_linted(linter: Linter) -> None:
    text = (
        f"Hi,\n\n{BODY}\n-----Original-Nachricht-----\nFrom: Bob\nNope. I use the old driver. "
        "I reinstalled it twice and it's our policy.\n"
    )
    spans = quoted_spans(text)
    assert text[spans[0][0] :].startswith("-----Original-Nachricht-----")
    _outside(text, spans, linter)


def test_an_elision_mark_is_not_linted() -> None:
    text = "Hi,\n\n[snip]\n\nTry the new driver.\n\n[...]\n"
    assert [text[a:b] for a, b in quoted_spans(text)] == ["[snip]", "[...]"]


def test_the_rewrite_keeps_quoted_mail_and_goes_before_the_signature(linter: Linter) -> None:
    text = (
        "Hi Bob,\n\nOn Mon, 4 Sep 2006, Bob Smith wrote:\n> I have lost a whole day on this "
        f"and I am really annoyed.\n\n{BODY}\nCheers,\nAl\n{SIGNATURE}"
    )
    report = linter.check(text, channel="email")
    assert "no-check-back" in {f.rule for f in report.findings}
    out = report.rewritten()
    assert out.endswith(f"Cheers,\nAl\n{SIGNATURE}"), out
    assert "> I have lost a whole day on this and I am really annoyed.\n" in out
    assert out.index("Does that work for you?") < out.index("Cheers,")


def test_a_plain_text_file_signature_is_not_linted(tmp_path: Path) -> None:
    """Not only in an .eml file: in a .txt draft too."""
    draft = tmp_path / "reply.txt"
    draft.write_text(f"Hi Bob,\n\nWhich driver version do you run?\n\nAl\n{SIGNATURE}")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(draft)])
    assert "Never argue" not in result.output, result.output


def test_an_outlook_header_block_starts_the_quoted_history() -> None:
    text = (
        f"Hi,\n\n{BODY}\nFrom: Bob Smith\nSent: Monday, 4 May 2026 10:12\nTo: Support\n"
        "Subject: printer\n\nNope, it's our policy.\n"
    )
    spans = quoted_spans(text)
    assert text[spans[0][0] :].startswith("From: Bob Smith")
    assert text[spans[-1][0] : spans[-1][1]] == "Nope, it's our policy."
