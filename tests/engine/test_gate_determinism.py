"""A draft's findings and suggestions do not depend on what else the process linted. The gate
re-lints the edited windows of many drafts together, in one context told apart by "---"
(engine/relint.py); a rule's ``unless`` with window "document" once read that whole context,
so one draft's window could excuse another's (a condescending suggestion was refused linted
alone and offered after 1,706 other drafts). "document" is the window's own part now."""

from __future__ import annotations

import pytest

from replylint import Linter
from replylint.engine.relint import Summaries


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return Linter()._get_engine()


def test_one_windows_document_unless_does_not_excuse_anothers(engine) -> None:  # type: ignore[no-untyped-def]
    tracker = "Thanks for the bug report! I have added it to the backlog."  # tracker-comment
    damaged = "Unfortunately your parcel arrived damaged."
    alone = engine._context(engine._mask(damaged), None)
    wanted = [(tracker, (0, len(tracker)), None), (damaged, (0, len(damaged)), None)]
    together = Summaries(engine)._context([0, 1], wanted)
    assert together.parts is not None and together.parts[-1] == 1
    felt = [together.text[h.start : h.end] for h in together.signal("felt-problem")]
    assert felt == [alone.text[h.start : h.end] for h in alone.signal("felt-problem")]
    assert felt == ["Unfortunately", "damaged"]
    # and the tracker's own window is still excused by its own tracker comment
    first = {h.sent for h in together.signal("felt-problem")}
    assert all(together.parts[s] == 1 for s in first)
