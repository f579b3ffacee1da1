"""A reply posted as a thread ("1/2", "2/2") in a file is judged as a whole (threads.py): real
files, the real reader and Linter, positions read back from the file text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from replylint import Config, Linter
from replylint.models import Finding
from replylint.run.files import lint_paths
from replylint.run.finish import lint_text
from replylint.sources import reader_for
from tests.positions import read_back

# part 1 reports a fix and never checks back; part 2 does ("Let us know if …")
# no-acknowledgement asks for strong evidence of a felt problem (a charge taken twice in error)
FIX = (
    "@BrightBank @55102 That's a rotten start to the week: your card was charged twice in error, "
    "so I've reversed the duplicate £42.10 payment this morning. 1/2"
)
CHECK_BACK = (
    "@BrightBank @55102 It can take 3 working days to show on your statement. Let us know if "
    "it's not there by Thursday. 2/2 ^RK"
)
# neither checks back; part 1's scripted apology counts as an acknowledgement, part 2 has a
# vague timeline ("soon") and a step of its own
SCRIPTED = (
    "@BrightBank @55102 We apologise for any inconvenience. I've reversed the duplicate £42.10 "
    "payment this morning. 1/2"
)
SOON = (
    "@BrightBank @55102 Your card was charged twice in error. The double charge will be refunded "
    "to your account soon, please keep an eye on your statement. 2/2 ^RK"
)
OTHER = "@BrightBank @77310 Thanks for the kind words about Maya, we'll pass them on! ^RK"


def unmarked(text: str) -> str:
    return text.replace(" 1/2", "").replace(" 2/2", "")


def write_csv(path: Path, replies: list[str]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "reply"])
    for n, reply in enumerate(replies, 1):
        writer.writerow([f"T{n}", reply])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def write_json(path: Path, replies: list[str]) -> Path:
    """A helpdesk export: a JSON list of records (replylint reads no JSON Lines format)."""
    records = [{"id": f"T{n}", "text": r} for n, r in enumerate(replies, 1)]
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def file_findings(linter: Linter, path: Path) -> list[Finding]:
    run = lint_paths(linter, [str(path)])
    (report,) = run.files
    assert report.error is None, report.error
    return report.findings


def by_draft(findings: list[Finding]) -> list[tuple[str | None, str]]:
    return sorted((f.draft, f.rule) for f in findings)


@pytest.mark.parametrize("write", [write_csv, write_json], ids=["csv", "json"])
def test_a_check_back_in_part_2_satisfies_part_1(
    tmp_path: Path, linter: Linter, write: object
) -> None:
    assert callable(write)
    alone = [r.findings for r in linter.check_many([unmarked(FIX), unmarked(CHECK_BACK)])]
    assert "no-check-back" in {f.rule for f in alone[0]}  # part 1 on its own lacks it
    path = write(
        tmp_path / f"replies.{'csv' if write is write_csv else 'json'}", [FIX, CHECK_BACK, OTHER]
    )
    found = file_findings(linter, path)
    rules = {f.rule for f in found}
    assert "no-check-back" not in rules
    # what no part makes is still asked for (no acknowledgement anywhere), once
    assert [f.rule for f in found].count("no-acknowledgement") == 1
    # the profiles of both parts have the thread's check-back
    report = lint_paths(linter, [str(path)]).files[0]
    assert [d.profile.checks_back for d in report.drafts] == [True, True, False]


@pytest.mark.parametrize("write", [write_csv, write_json], ids=["csv", "json"])
def test_the_same_parts_as_unrelated_drafts_are_judged_alone(
    tmp_path: Path, linter: Linter, write: object
) -> None:
    assert callable(write)
    replies = [unmarked(FIX), unmarked(CHECK_BACK), OTHER]
    path = write(tmp_path / f"replies.{'csv' if write is write_csv else 'json'}", replies)
    found = file_findings(linter, path)
    expected = sorted(
        (title, f.rule)
        for title, r in zip(["T1", "T2", "T3"], linter.check_many(replies), strict=True)
        for f in r.findings
    )
    assert sorted((f.draft, f.rule) for f in found) == expected
    assert ("T1", "no-check-back") in expected


def test_parts_out_of_order_or_apart_are_not_one_thread(tmp_path: Path, linter: Linter) -> None:
    # 1/2 with another reply between it and 2/2: 1/2 is an incomplete thread (its check-back
    # may be in the part the file does not give next), 2/2 another
    apart = file_findings(linter, write_csv(tmp_path / "apart.csv", [SCRIPTED, OTHER, SOON]))
    assert ("T3", "no-check-back") in by_draft(apart)  # 2/2 is the end: it must check back
    assert ("T1", "no-check-back") not in by_draft(apart)
    # together, in order: one no-check-back, on part 2 (the rule anchors at the last step)
    together = file_findings(linter, write_csv(tmp_path / "together.csv", [SCRIPTED, SOON]))
    assert [f.draft for f in together if f.rule == "no-check-back"] == ["T2"]
    # part 1's scripted apology counts as the thread's acknowledgement (as in one draft)
    assert "no-acknowledgement" not in {f.rule for f in together}
    assert "no-acknowledgement" in {f.rule for f in linter.check(unmarked(SOON)).findings}


def test_an_incomplete_thread_is_not_asked_for_a_move_of_its_missing_part(
    tmp_path: Path, linter: Linter
) -> None:
    email = Linter(Config(channel="email"))  # missing-greeting applies (it is off on social)
    # 1/2 without 2/2: no no-check-back (a check-back closes the reply, in the missing part)
    # and no no-acknowledgement (an apology may close it too)
    only_first = write_csv(tmp_path / "first.csv", [FIX])
    whole = {f.rule for f in email.check(unmarked(FIX)).findings}
    assert {"no-check-back", "no-acknowledgement"} <= whole
    first = {f.rule for f in file_findings(email, only_first)}
    assert not first & {"no-check-back", "no-acknowledgement"}
    assert "missing-greeting" in first  # its own opening move
    # 2/2 without 1/2: no missing-greeting or no-acknowledgement (those open the reply, in
    # the missing part); its own no-check-back stays
    only_last = write_csv(tmp_path / "last.csv", [SOON])
    alone = {f.rule for f in email.check(unmarked(SOON)).findings}
    assert {"missing-greeting", "no-acknowledgement", "no-check-back"} <= alone
    last = {f.rule for f in file_findings(email, only_last)}
    assert "missing-greeting" not in last and "no-acknowledgement" not in last
    assert {"no-check-back", "vague-timeline"} <= last


def test_the_greeting_is_asked_of_part_1_only(tmp_path: Path) -> None:
    email = Linter(Config(channel="email"))
    greeted = FIX.replace("That's a rotten", "Hi Priya, that's a rotten")
    path = write_csv(tmp_path / "greeted.csv", [greeted, CHECK_BACK])
    assert "missing-greeting" in {f.rule for f in email.check(unmarked(CHECK_BACK)).findings}
    assert "missing-greeting" not in {f.rule for f in file_findings(email, path)}
    # a thread whose part 1 does not greet: reported there, once
    path = write_csv(tmp_path / "bare.csv", [FIX, CHECK_BACK])
    assert [
        (f.draft, f.rule) for f in file_findings(email, path) if f.rule == "missing-greeting"
    ] == [("T1", "missing-greeting")]


def test_findings_of_part_2_point_into_the_file(tmp_path: Path, linter: Linter) -> None:
    path = write_csv(tmp_path / "thread.csv", [SCRIPTED, SOON])
    text = path.read_text(encoding="utf-8")
    found = file_findings(linter, path)
    rules = by_draft(found)
    assert ("T1", "scripted-apology") in rules
    assert ("T2", "vague-timeline") in rules
    for f in found:
        assert read_back(text, f) == f.excerpt, f
        assert f.line == (2 if f.draft == "T1" else 3)
    (timeline,) = [f for f in found if f.rule == "vague-timeline"]
    assert read_back(text, timeline) == "soon"
    for s in timeline.suggestions:  # its suggestion replaces the word in part 2
        assert read_back(text, s) == "soon"


def test_the_finish_step_of_fix_and_the_editor_judges_threads(
    tmp_path: Path, linter: Linter
) -> None:
    path = write_csv(tmp_path / "thread.csv", [FIX, CHECK_BACK])
    text = path.read_text(encoding="utf-8")
    drafts = reader_for(str(path))(str(path), text, None)
    found = [f for _, f in lint_text(linter, str(path), text, drafts)]
    assert by_draft(found) == by_draft(file_findings(linter, path))
    assert "no-check-back" not in {f.rule for f in found}


def test_a_later_part_alone_is_not_asked_for_the_alternative(linter: Linter) -> None:
    # the alternative may come before the no, in the missing part 1 (blind review 19m)
    text = "@sh_k ...at the office, the returns charge is taken from the refund. I am unable to "
    text += "refund the returns charge. Shaun 2/2"
    assert "no-alternative" in {f.rule for f in linter.check(unmarked(text)).findings}
    assert "no-alternative" not in {f.rule for f in linter.check(text).findings}


def test_part_1_is_asked_to_acknowledge_only_where_the_customer_is_given(
    tmp_path: Path, linter: Linter
) -> None:
    # 1/2 without 2/2: with only the reply to go on, an apology may be in the missing part (no
    # no-acknowledgement); with the customer's angry message given, part 1 opens the reply and
    # is asked for it (blind reviews 19l and 19m)
    angry = "@BrightBank you charged me TWICE and nobody answers, sort it out!!!"
    part = "@55102 Card payments are reviewed within 3 working days. Please DM us the amount. 1/2"
    assert "no-acknowledgement" not in {f.rule for f in linter.check(part).findings}
    assert "no-acknowledgement" in {f.rule for f in linter.check(part, angry).findings}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "reply", "customer"])
    writer.writerow(["T1", part, angry])
    writer.writerow(["T2", OTHER, ""])
    path = tmp_path / "with_customer.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert ("T1", "no-acknowledgement") in by_draft(file_findings(linter, path))
    alone = write_csv(tmp_path / "alone.csv", [part, OTHER])
    assert ("T1", "no-acknowledgement") not in by_draft(file_findings(linter, alone))
