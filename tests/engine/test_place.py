"""Placing findings in the file (engine/place.py): the one place a finding gets its line,
column, excerpt and draft title, for findings from this process, a worker or the cache."""

from __future__ import annotations

from replylint.api import Linter
from replylint.engine.place import place
from replylint.offsets import LineIndex, OffsetMap
from replylint.sources.base import Draft

TEXT = "Hi Sam,\n\nSorry, it's our policy. Nope.\n"
CUSTOMER = "I was charged twice and nobody answers!"


def _in_file(prefix: str, text: str = TEXT, title: str | None = None) -> Draft:
    """``text`` as a draft found after ``prefix`` in a file."""
    return Draft(
        text,
        OffsetMap.identity(len(text), base=len(prefix)),
        LineIndex(prefix + text + "\ntrailer\n"),
        title=title,
    )


def test_engine_findings_are_draft_relative_and_placed_once(linter: Linter) -> None:
    [(raw, _profile)] = linter._engine.analyse([(TEXT, CUSTOMER)])
    assert raw and all(f.line == 0 and f.excerpt == "" for f in raw)  # not placed yet
    assert all(s.line == 0 for f in raw for s in f.suggestions)
    draft = _in_file("header line\nsecond: ", title="reply 7")
    placed = place(raw, draft)
    file_text = draft.lines.text
    for f in placed:
        fs = len("header line\nsecond: ") + f.start
        assert f.excerpt == file_text[fs : fs + f.end - f.start] == TEXT[f.start : f.end]
        assert f.draft == "reply 7"
        assert (f.line, f.column) == LineIndex(file_text).position(fs)
        for s in f.suggestions:
            assert (s.line, s.column) == LineIndex(file_text).position(
                len("header line\nsecond: ") + s.start
            )
    assert placed == sorted(placed, key=lambda f: f.sort_key())
    # Engine.lint places the same findings, by the same function
    alone = Draft.from_text(TEXT, customer=CUSTOMER)
    [(_, linted)] = list(linter._engine.lint([alone]))
    assert linted == place(raw, alone)


def test_placed_findings_are_returned_as_they_are() -> None:
    """What the fixer needs: a finding already where it belongs is not copied, and one an
    edit before it moved gets its new line, its suggestions too."""
    linter = Linter(select=("bare-policy", "terse-refusal"))
    first = _in_file("x\n")
    found = [f for _, fs in linter.lint_drafts([first]) for f in fs]
    assert found and any(f.suggestions for f in found)
    again = place(found, first)
    assert all(a is b for a, b in zip(again, found, strict=True))
    moved = _in_file("an edit\nof three\nlines\n")
    placed = place(found, moved)
    assert [f.line for f in placed] == [f.line + 2 for f in found]
    assert [s.line for f in placed for s in f.suggestions] == [
        s.line + 2 for f in found for s in f.suggestions
    ]
    assert [f.model_dump(exclude={"line", "end_line", "suggestions"}) for f in placed] == [
        f.model_dump(exclude={"line", "end_line", "suggestions"}) for f in found
    ]


def test_an_empty_customer_message_in_a_batch_changes_no_other_draft(linter: Linter) -> None:
    """An empty customer message is no customer message; the drafts after it in the batch
    keep their own customers (they were shifted by one)."""
    pair = ("Hi Sam,\n\nSorry for the trouble. It's our policy.", CUSTOMER)
    together = linter.check_many([("Nope.", ""), pair, ("Nope.", None), pair])
    alone = linter.check_many([pair])[0].findings
    assert any(f.suggestions for f in alone)
    assert together[1].findings == alone == together[3].findings
    assert together[0].findings == together[2].findings
