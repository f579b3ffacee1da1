"""The empathy profile in the outputs: ``files[].drafts[]`` in the JSON (schema 1.1) and the
moves in ``--statistics``, the same with ``--jobs 2`` and with the cache, cold or warm."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from replylint.cli import main
from replylint.models import DraftProfile, FileReport, Profile, Report
from replylint.output.json import dump_draft, format_json
from replylint.output.statistics import format_statistics, move_statistics

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
WARM = (
    "Hi Dana,\n\nI'm so sorry your parcel is late — that must be frustrating. I've sent a new "
    "one today; let me know if it hasn't arrived by Friday.\n\nBest,\nSam\n"
)


def _profile(**moves: object) -> Profile:
    base: dict[str, object] = {
        "acknowledges_feelings": False,
        "apologizes": False,
        "apology_kind": None,
        "paraphrases_issue": False,
        "explains": False,
        "offers_next_step": False,
        "gives_timeline": False,
        "checks_back": False,
        "takes_ownership": False,
        "greets": False,
        "signs_off": False,
    }
    return Profile.model_validate(base | moves)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "warm.txt").write_text(WARM, encoding="utf-8")
    (tmp_path / "replies" / "cold.txt").write_text("Nope. It's our policy.\n", encoding="utf-8")
    for name in ("zendesk-macros.json", "canned-responses.yaml", "SAVED_REPLIES.md"):
        shutil.copy(FORMATS / name, tmp_path / "replies" / name)
    return tmp_path


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_json_has_each_drafts_profile(project: Path) -> None:
    data = json.loads(_run("--no-cache", "--format", "json", "replies"))
    assert data["version"] == "1.1"
    by_path = {f["path"]: f for f in data["files"]}
    assert sum(len(f["drafts"]) for f in data["files"]) == data["summary"]["drafts"]
    for file in data["files"]:
        assert [d["index"] for d in file["drafts"]] == list(range(len(file["drafts"])))
        assert list(file) == ["path", "error", "findings", "drafts"]  # added last
    (warm,) = by_path["replies/warm.txt"]["drafts"]
    assert warm["title"] is None
    assert warm["profile"]["acknowledges_feelings"] and warm["profile"]["apology_kind"] == "owning"
    (cold,) = by_path["replies/cold.txt"]["drafts"]
    assert not cold["profile"]["acknowledges_feelings"] and not cold["profile"]["greets"]
    # a macro library: one entry per macro, with its name
    macros = by_path["replies/zendesk-macros.json"]["drafts"]
    assert len(macros) > 1 and all(d["title"] for d in macros)
    # the findings of a draft name the same title
    titles = {f["draft"] for f in by_path["replies/zendesk-macros.json"]["findings"]}
    assert titles <= {d["title"] for d in macros}


def test_json_is_the_same_with_jobs_and_the_cache(project: Path) -> None:
    one = _run("--no-cache", "--jobs", "1", "--format", "json", "replies")
    assert _run("--no-cache", "--jobs", "2", "--format", "json", "replies") == one
    assert _run("--format", "json", "replies") == one  # cold cache
    assert _run("--format", "json", "replies") == one  # warm: files answered whole
    (project / "replies" / "cold.txt").write_text("Nope.\n", encoding="utf-8")
    edited = _run("--format", "json", "replies")  # one file linted again, the others cached
    assert edited == _run("--no-cache", "--format", "json", "replies") != one


def test_the_writer_formats_drafts_as_json_dumps_would() -> None:
    drafts = [
        DraftProfile(index=0, title='Refund – déjà vu 🙂 "quoted"', profile=_profile()),
        DraftProfile(
            index=7,
            title=None,
            profile=_profile(greets=True, apology_kind="non-apology", channel="social"),
        ),
    ]
    report = Report.build([FileReport(path="m.json", drafts=drafts, draft_count=2)])
    assert format_json(report) == (
        json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    )
    assert json.loads(dump_draft(drafts[1])) == drafts[1].model_dump(mode="json")


def test_statistics_moves_text_and_json(project: Path) -> None:
    text = _run("--no-cache", "--statistics", "replies")
    # the replies are e-mails and a macro library: one group of lines per channel
    moves = [line for line in text.splitlines() if " drafts " in line and " % of " in line]
    data = json.loads(_run("--no-cache", "--statistics", "--format", "json", "replies"))
    rows = [r for r in data if "move" in r]
    assert sorted({r["channel"] for r in rows}) == ["email", "macro"]
    assert len(moves) == len(rows) == 2 * 13
    for line, row in zip(moves, rows, strict=True):
        total = row["drafts"]
        assert row["percent"] == round(100 * row["count"] / total, 1)
        assert line == f"{round(row['percent']):>3} % {row['summary']} ({row['count']} of {total})"
    email = [r for r in rows if r["channel"] == "email"]
    assert all(r["drafts"] == 2 for r in email)  # warm.txt and cold.txt
    ack = next(r for r in email if r["move"] == "acknowledges_feelings")
    assert ack["summary"] == "of email drafts acknowledge feelings" and ack["count"] == 1
    for group in (email, [r for r in rows if r["channel"] == "macro"]):
        kinds = [r["count"] for r in group if r["move"].startswith("apology_kind:")]
        assert sum(kinds) == next(r["count"] for r in group if r["move"] == "apologizes")


def test_statistics_per_channel_when_channels_differ() -> None:
    def draft(i: int, channel: str | None, ack: bool) -> DraftProfile:
        return DraftProfile(index=i, profile=_profile(acknowledges_feelings=ack, channel=channel))

    report = Report.build(
        [
            FileReport(
                path="a.csv",
                drafts=[draft(0, "social", True), draft(1, "social", False)],
                draft_count=2,
            ),
            FileReport(path="b.eml", drafts=[draft(0, "email", True)], draft_count=1),
        ]
    )
    rows = move_statistics(report)
    ack = [r for r in rows if r["move"] == "acknowledges_feelings"]
    assert [(r["channel"], r["count"], r["drafts"], r["percent"]) for r in ack] == [
        ("email", 1, 1, 100.0),
        ("social", 1, 2, 50.0),
    ]
    text = format_statistics(report)
    assert text.startswith("100 % of email drafts acknowledge feelings (1 of 1)\n")
    assert " 50 % of social drafts acknowledge feelings (1 of 2)\n" in text
    # one channel (or none determined yet): one group, no channel named
    same = Report.build([FileReport(path="c.txt", drafts=[draft(0, None, True)], draft_count=1)])
    assert format_statistics(same).startswith("100 % of drafts acknowledge feelings (1 of 1)\n")
