"""``replylint fix`` on a file holding a thread ("1/2", "2/2"): each suggestion lands in the part
its finding is in, and the parts are judged as a whole before and after each pass."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from replylint.cli import main
from tests.run.test_threads import FIX, write_csv

# part 2 checks back for the thread, and talks down to the customer ("Obviously")
CONDESCENDING = (
    "@BrightBank @55102 Obviously it can take 3 working days to show on your statement. Let us "
    "know if it's not there by Thursday. 2/2 ^RK"
)
RULES = "condescending,no-check-back"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_fix_edits_the_part_its_finding_is_in(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "thread.csv", [FIX, CONDESCENDING])
    before = path.read_text(encoding="utf-8")
    code, out = run("fix", "--unsafe", "--isolated", "--select", RULES, str(path))
    assert code == 0, out
    after = path.read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert new_lines[:2] == old_lines[:2]  # the header and part 1: not a byte changed
    assert new_lines[2] == old_lines[2].replace("Obviously it", "It")
    # the thread's check-back (part 2) satisfies part 1 before the fix and after it: nothing
    # left, where part 1 alone would keep an unfixable no-check-back
    assert "(0 left)" in out
    code, out = run(
        "check", "--no-cache", "--isolated", "--select", RULES, "--format", "json", str(path)
    )
    assert code == 0, out
    assert json.loads(out)["files"][0]["findings"] == []


def test_unrelated_drafts_are_fixed_as_before(tmp_path: Path) -> None:
    """The same replies without markers: part 1 lacks a check-back of its own, and gets one
    appended (the thread above did not), the other is fixed as above."""
    unmarked = [FIX.replace(" 1/2", ""), CONDESCENDING.replace(" 2/2", "")]
    path = write_csv(tmp_path / "apart.csv", unmarked)
    code, out = run("fix", "--unsafe", "--isolated", "--select", RULES, str(path))
    assert code == 0, out
    first, second = path.read_text(encoding="utf-8").splitlines()[1:]
    assert first.endswith('this morning. Does that work for you? If not, just reply here."')
    assert "Obviously" not in second and "Does that work" not in second
