"""What rule authors see of the suggestion gate on the command line: ``replylint check
--explain-suggestions`` and ``replylint eval --rewrites`` (in-process through CliRunner, the real
rule book and pipeline)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from replylint.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_explain_suggestions_lists_each_candidate_and_why_it_was_refused(tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    draft.write_text(
        "Hi Ben,\n\nUnfortunately, as per our terms of service, we cannot deliver to PO boxes. "
        "Obviously we cannot control the post.\n\nBest,\nOksana\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--explain-suggestions", str(draft)], catch_exceptions=False
    )
    assert result.exit_code == 1, result.output
    out = result.output
    assert "Suggestions, as the gate judged them:" in out
    # the acknowledgement built from the refusal is refused, and says why; its template stays
    assert re.search(r"no-acknowledgement \(acknowledge\)", out)
    assert "refused: " in out or "I'm sorry about <the issue>." in out
    assert "fallback" in out or "[display-only] -> offered" in out
    # a deletion that passed is offered, graded safe
    assert re.search(r"condescending \(soften\).*\n\s+builder\s+'W' \[safe\] -> offered", out)


def test_explain_suggestions_names_a_refusal(tmp_path: Path) -> None:
    draft = tmp_path / "tweet.txt"
    draft.write_text(
        "@rick_h Sorry about the wait! You're overreacting though. ^JP\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--explain-suggestions", str(draft)], catch_exceptions=False
    )
    assert "minimizing (template)" in result.output
    assert "refused: adds a second apology or acknowledgement" in result.output
    # a template over a sentence that says more (a version, a day) is not even tried
    draft.write_text(
        "@rick_h You're overreacting, it's a known bug and the fix ships in v4.2 on Monday. ^JP\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--explain-suggestions", str(draft)], catch_exceptions=False
    )
    assert "v4.2" in result.output and "minimizing (template)" not in result.output


def test_eval_rewrites_prints_the_table_the_baseline_and_the_figure_now() -> None:
    result = CliRunner().invoke(
        main, ["eval", "--rewrites", str(ROOT / "tests" / "rewrites")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("252 drafts in ")
    for builder in ("acknowledge", "paraphrase", "policy-benefit", "soften", "template"):
        assert re.search(rf"^{builder}\s+\d+", out, re.M), builder
    assert "baseline (before the gate): 114 of 346 expected suggestions matched" in out
    now = re.search(r"now: (\d+) of 375 expected suggestions matched", out)
    # 114 before the gate (of the first 346); review18.yaml added 13 cases, review18b.yaml 8,
    # review18c.yaml 8, macro.yaml's rw-macro-041 1; review18b-002's blame-customer
    # expectation dropped (blind review 19o: a citation of the terms is no blame)
    assert now is not None and int(now.group(1)) >= 160
    assert "refusals by reason:" in out


def test_eval_rewrites_names_a_bad_corpus_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("- id: x\n  text: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--rewrites", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "Traceback" not in result.output
