"""``--channel`` on check, the chosen channels in the JSON output, and ``eval`` per channel."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_check_command import run

TWEET = "@12345 Your refund went through today, sorry for the wait. ^CB\n"
MAIL = "Your refund went through today.\n"


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    result = run("check", "--isolated", "--no-cache", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    data: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return data


def test_json_says_each_files_channels(tmp_path: Path) -> None:
    (tmp_path / "a_tweet.txt").write_text(TWEET, encoding="utf-8")
    (tmp_path / "b_mail.txt").write_text(MAIL, encoding="utf-8")
    data = _json(str(tmp_path))
    channels = {
        Path(f["path"]).name: [d["profile"]["channel"] for d in f["drafts"]] for f in data["files"]
    }
    assert channels == {"a_tweet.txt": ["social"], "b_mail.txt": ["email"]}
    rules = {Path(f["path"]).name: {g["rule"] for g in f["findings"]} for f in data["files"]}
    assert "missing-greeting" not in rules["a_tweet.txt"]
    assert "missing-greeting" in rules["b_mail.txt"]


def test_channel_option_wins(tmp_path: Path) -> None:
    (tmp_path / "tweet.txt").write_text(TWEET, encoding="utf-8")
    data = _json("--channel", "email", str(tmp_path))
    (file,) = data["files"]
    assert [d["profile"]["channel"] for d in file["drafts"]] == ["email"]
    assert "missing-greeting" in {f["rule"] for f in file["findings"]}
    bad = run("check", "--isolated", "--channel", "fax", str(tmp_path))
    assert bad.exit_code == 2 and "'fax' is not one of" in bad.output


def test_channel_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".replylint.toml").write_text('channel = "chat"\n', encoding="utf-8")
    (tmp_path / "reply.txt").write_text(MAIL, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", str(tmp_path / "reply.txt"))
    drafts = json.loads(result.stdout)["files"][0]["drafts"]
    assert [d["profile"]["channel"] for d in drafts] == ["chat"]


def test_channels_survive_the_cache(tmp_path: Path) -> None:
    (tmp_path / "tweet.txt").write_text(TWEET, encoding="utf-8")
    cache = str(tmp_path / ".cache")
    args = ("check", "--isolated", "--cache-dir", cache, "--format", "json", str(tmp_path))
    first, second = run(*args), run(*args)
    assert first.stdout == second.stdout
    drafts = json.loads(second.stdout)["files"][0]["drafts"]
    assert [d["profile"]["channel"] for d in drafts] == ["social"]


def test_eval_prints_each_channel(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "cases.yaml").write_text(
        "- id: c1\n  channel: sms\n  text: 'Your parcel is out for delivery.'\n"
        "  fire: []\n  quiet: [missing-greeting]\n"
        "- id: c2\n  channel: ticket\n  text: 'Your parcel is out for delivery.'\n"
        "  fire: [missing-greeting]\n  quiet: []\n"
        "- id: c3\n  text: '@5 Your parcel is out for delivery. ^CB'\n"
        "  fire: []\n  quiet: [missing-greeting]\n",
        encoding="utf-8",
    )
    result = run("eval", str(corpus))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "channel chat: 1 cases" in out and "channel email: 1 cases" in out
    assert "channel social: 1 cases" in out  # no channel given: auto, and the handle decides
    overall = next(line for line in out.splitlines() if line.startswith("missing-greeting"))
    assert overall.split()[1:4] == ["1", "0", "0"]  # tp fp fn: each case for its channel


def test_eval_rejects_an_unknown_channel(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").write_text(
        "- id: c1\n  channel: fax\n  text: 'Hi.'\n", encoding="utf-8"
    )
    result = run("eval", str(tmp_path))
    assert result.exit_code == 2 and "c1: unknown channel 'fax'" in result.output


def test_the_thread_channel_is_chosen_by_option_or_configuration(tmp_path: Path) -> None:
    """A comment on an issue tracker or forum: the report sits right above it, and comments do
    not greet (blind review 19r): no missing-greeting, no no-paraphrase; never guessed."""
    comment = tmp_path / "comment.md"
    comment.write_text(
        "Sorry about the broken download. The mirror was out of date: I've synced it and the "
        "2.4.1 installer works again.\n",
        encoding="utf-8",
    )
    guessed = _json("--select", "missing-greeting", str(comment))
    assert [d["profile"]["channel"] for d in guessed["files"][0]["drafts"]] == ["email"]
    assert {f["rule"] for f in guessed["files"][0]["findings"]} == {"missing-greeting"}
    chosen = _json("--select", "missing-greeting", "--channel", "thread", str(comment))
    assert [d["profile"]["channel"] for d in chosen["files"][0]["drafts"]] == ["thread"]
    assert chosen["files"][0]["findings"] == []
    (tmp_path / ".replylint.toml").write_text('channel = "thread"\n', encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", str(comment))
    drafts = json.loads(result.stdout)["files"][0]["drafts"]
    assert [d["profile"]["channel"] for d in drafts] == ["thread"]
