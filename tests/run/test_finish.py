"""The run's one finish step and its single discovery, with the real Linter on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replylint import Config, Linter, Severity
from replylint.config import ConfigResolver
from replylint.run import files as run_files
from replylint.run.finish import DRAFTLESS, lint_text
from replylint.run.plan import plan_run
from replylint.run.session import lint_plan
from replylint.sources import reader_for

POLICY = "Hi Sam,\n\nSorry, it's our policy.\n\nBest,\nAna\n"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(
        Config(
            per_file_ignores={"quiet/*.txt": ("bare-policy",)},
            severity={"unused-suppression": Severity.WARNING},
        )
    )


def test_a_comment_about_a_rule_ignored_for_the_file_is_unused(linter: Linter) -> None:
    text = "# replylint: disable=bare-policy\n" + POLICY
    path = "quiet/a.txt"
    drafts = reader_for(path)(path, text, None)
    found = lint_text(linter, path, text, drafts)
    rules = [(owner, f.rule, f.severity) for owner, f in found]
    # configured before suppression: bare-policy is dropped for the file, so the comment
    # suppressed nothing; the comment's finding gets the configured severity
    assert (DRAFTLESS, "unused-suppression", Severity.WARNING) in rules
    assert "bare-policy" not in {rule for _, rule, _ in rules}
    # elsewhere the comment is used, and bare-policy suppressed
    found = lint_text(linter, "a.txt", text, reader_for("a.txt")("a.txt", text, None))
    assert {f.rule for _, f in found} & {"bare-policy", "unused-suppression"} == set()


def test_the_library_and_a_file_finish_a_draft_alike(linter: Linter) -> None:
    (report,) = linter.check_many([POLICY])
    drafts = reader_for("a.txt")("a.txt", POLICY, None)
    from_file = [f for _, f in lint_text(linter, "a.txt", POLICY, drafts)]
    assert [f.model_dump() for f in report.findings] == [f.model_dump() for f in from_file]
    assert any(f.rule == "bare-policy" for f in from_file)


def test_a_run_discovers_its_files_once(
    tmp_path: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "d").mkdir()
    for name in ("a.txt", "b.md"):
        (tmp_path / "d" / name).write_text(POLICY, encoding="utf-8")
    the_plan = plan_run([str(tmp_path / "d")], ConfigResolver(isolated=True))
    assert the_plan.found == 2

    def walked_again(paths: object) -> None:
        raise AssertionError("the run looked for its files again")

    monkeypatch.setattr(run_files, "discover", walked_again)
    session = lint_plan(the_plan, linter_for=lambda config: linter)
    results = [r.report for r in session]
    assert [Path(r.path).name for r in results] == ["a.txt", "b.md"]
    assert all(any(f.rule == "bare-policy" for f in r.findings) for r in results)


def test_unused_suppression_is_selected_like_any_rule(tmp_path: Path) -> None:
    """unused-suppression is a rule of the book (ruff's RUF100): on by default, off when
    --select leaves it out or --ignore names it, and its severity configurable."""
    from click.testing import CliRunner

    from replylint.cli import main

    draft = tmp_path / "reply.txt"
    draft.write_text("# replylint: disable-next-line=bare-policy\nThanks, Sam!\n", "utf-8")

    def rules(*options: str) -> list[tuple[str, str]]:
        result = CliRunner().invoke(
            main,
            ["check", "--no-cache", "--format", "json", *(options or ["--isolated"]), str(draft)],
        )
        assert result.exit_code in (0, 1), result.output
        found = json.loads(result.output)["files"][0]["findings"]
        return [(f["rule"], f["severity"]) for f in found]

    assert ("unused-suppression", "info") in rules()
    assert rules("--isolated", "--select", "bare-policy") == []
    selected = rules("--isolated", "--select", "bare-policy,unused-suppression")
    assert selected == [("unused-suppression", "info")]
    assert rules("--isolated", "--ignore", "unused-suppression") == []
    config = tmp_path / "replylint.toml"
    config.write_text('[severity]\n"unused-suppression" = "warning"\n', "utf-8")
    assert ("unused-suppression", "warning") in rules("--config", str(config))
