"""Helpdesk archives, on one machine: the pandas/Arrow core (replylint.frame), the empathy
profile, bad rows as data, and ``replylint scan`` (streaming, resumable, killed for real)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from replylint import Config, Linter
from replylint.frame import (
    CATEGORIES,
    FINDING_COLUMNS,
    FINDINGS_SCHEMA,
    REPLIES_SCHEMA,
    REPLY_COLUMNS,
    config_hash,
    lint_batches,
    lint_frame,
    lint_table,
    linter_for,
)
from replylint.profile import MOVES, Profile, check_with_profiles, profile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import drafts  # noqa: E402

N = int(os.environ.get("REPLYLINT_ARCHIVE_N", "2000"))  # the issue: 2,000 replies, in CI
README = Path(__file__).resolve().parents[2] / "README.md"


def _corpus(n: int = N) -> pd.DataFrame:
    texts = list(drafts(n))
    return pd.DataFrame(
        {
            "ticket_id": [f"T{i:06d}" for i in range(n)],
            "team": [("billing", "shipping", "tech")[i % 3] for i in range(n)],
            "agent": [f"agent{i % 7}" for i in range(n)],
            "body": texts,
        }
    )


def finding_set(rows: pd.DataFrame | list[dict[str, Any]], id: str = "ticket_id") -> set[Any]:
    """Findings as a set keyed by reply id (what every engine must agree on)."""
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else rows
    return {
        (r[id], r["rule"], r["line"], r["column"], r["end_line"], r["end_column"], r["excerpt"])
        for r in records
    }


def reference(df: pd.DataFrame) -> set[Any]:
    """The same texts through ``Linter.check``, one at a time."""
    linter = Linter()
    out = set()
    for tid, text in zip(df["ticket_id"], df["body"], strict=True):
        for f in linter.check(text).findings:
            out.add((tid, f.rule, f.line, f.column, f.end_line, f.end_column, f.excerpt))
    return out


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return _corpus()


@pytest.fixture(scope="module")
def expected(corpus: pd.DataFrame) -> set[Any]:
    return reference(corpus)


# --------------------------------------------------------------------------------------------
# The core
# --------------------------------------------------------------------------------------------


@pytest.mark.slow  # Linter.check on 2,000 replies
def test_lint_frame_matches_linter_check(corpus: pd.DataFrame, expected: set[Any]) -> None:
    replies, findings = lint_frame(corpus, text="body", id="ticket_id", keep=["team", "agent"])
    assert len(replies) == len(corpus)
    assert replies["ticket_id"].tolist() == corpus["ticket_id"].tolist()
    assert finding_set(findings) == expected
    assert len(expected) > N  # the corpus has findings to compare
    # the nested list holds the same findings as the findings table
    nested = [
        {"ticket_id": tid, **f}
        for tid, fs in zip(replies["ticket_id"], replies["findings"], strict=True)
        for f in fs
    ]
    assert finding_set(nested) == expected
    assert replies["error"].isna().all()
    counts = replies["n_info"] + replies["n_warning"] + replies["n_error"]
    assert counts.sum() == len(findings)
    assert sum(replies[f"n_{c}"].sum() for c in CATEGORIES) == len(findings)


def test_the_schema_is_the_documented_one(corpus: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(corpus.head(5), preserve_index=False)
    replies, findings = lint_table(table, text="body", id="ticket_id", keep=["team"])
    keys = [pa.field("ticket_id", pa.large_string()), pa.field("team", pa.large_string())]
    assert replies.schema.equals(REPLIES_SCHEMA(keys))
    assert findings.schema.equals(FINDINGS_SCHEMA(keys))
    assert replies.schema.metadata == {b"replylint.schema_version": b"1"}
    assert replies.column_names[:2] == ["ticket_id", "team"]
    assert tuple(replies.column_names[2:]) == REPLY_COLUMNS
    assert tuple(findings.column_names[2:]) == FINDING_COLUMNS
    assert set(replies.column("schema_version").to_pylist()) == {"1"}
    assert set(replies.column("config_hash").to_pylist()) == {config_hash(None)}
    assert set(replies.column("channel").to_pylist()) == {"auto"}
    assert set(replies.column("language").to_pylist()) == {"en"}
    for name in ("n_info", "n_warning", "n_tone"):
        assert replies.schema.field(name).type == pa.int32()
    for name in MOVES:
        assert replies.schema.field(name).type == pa.bool_()
    # the README's "Helpdesk archives" section names every column
    text = README.read_text(encoding="utf-8")
    doc = text[text.index("## Helpdesk archives") :]
    doc = doc[: doc.index("\n## ", 1)]
    for name in [*REPLY_COLUMNS, *FINDING_COLUMNS]:
        if not name.startswith("n_") or name in ("n_info", "n_warning", "n_error"):
            assert f"`{name}`" in doc, name


def test_key_columns_keep_their_types_and_names_are_checked() -> None:
    df = pd.DataFrame(
        {
            "id": pd.Series([7, 8], dtype="int32"),
            "at": pd.to_datetime(["2025-01-02", "2025-03-04"]),
            "text": ["Nope.", "Hi Sam,\n\nThanks, done!\n\nBest,\nAva"],
        }
    )
    replies, findings = lint_frame(df, text="text", id="id", keep=["at"])
    assert str(replies["id"].dtype) == "int32[pyarrow]"
    assert replies["at"].tolist() == df["at"].tolist()
    assert set(findings["id"]) == {7}
    with pytest.raises(ValueError, match=r"no column 'body' \(columns: id, at, text\)"):
        lint_frame(df, text="body")
    clash = df.rename(columns={"at": "error"})
    with pytest.raises(ValueError, match="'error' has the name of an output column"):
        lint_frame(clash, text="text", keep=["error"])


def test_lint_batches_streams_frames_and_tables(corpus: pd.DataFrame) -> None:
    frames = [corpus.iloc[i : i + 40] for i in range(0, 120, 40)]
    out = list(lint_batches(iter(frames), text="body", id="ticket_id"))
    assert [len(r) for r, _ in out] == [40, 40, 40]
    _whole_r, whole_f = lint_frame(corpus.iloc[:120], text="body", id="ticket_id")
    assert finding_set(pd.concat([f for _, f in out])) == finding_set(whole_f)
    batches = pa.Table.from_pandas(corpus.iloc[:60], preserve_index=False).to_batches(25)
    arrow = list(lint_batches(batches, text="body", id="ticket_id"))
    assert all(isinstance(r, pa.Table) for r, _ in arrow)
    assert sum(r.num_rows for r, _ in arrow) == 60


def test_one_linter_per_process_and_configuration() -> None:
    assert linter_for(None) is linter_for(Config())
    narrow = Config(select=("terse-refusal",))
    assert linter_for(narrow) is linter_for(narrow.model_dump_json())
    assert linter_for(narrow) is not linter_for(None)
    assert config_hash(narrow) != config_hash(None)
    replies, findings = lint_frame(
        pd.DataFrame({"t": ["Nope."]}), text="t", config=narrow.model_dump_json()
    )
    assert findings["rule"].tolist() == ["terse-refusal"]
    assert replies["config_hash"].tolist() == [config_hash(narrow)]


def test_customer_messages_are_context(corpus: pd.DataFrame) -> None:
    df = pd.DataFrame(
        {
            "text": ["Thanks for getting in touch. I have sent a replacement today."] * 2,
            "customer": ["My order arrived broken and I'm furious.", None],
        }
    )
    replies, _findings = lint_frame(df, text="text", customer="customer")
    linter = Linter()
    customers = ["My order arrived broken and I'm furious.", None]
    for i, (text, customer) in enumerate(zip(df["text"], customers, strict=True)):
        want = [f.rule for f in linter.check(text, customer).findings]
        assert sorted(f["rule"] for f in replies["findings"][i]) == sorted(want)
    assert replies["n_warning"][0] > replies["n_warning"][1]  # the complaint made a difference


# --------------------------------------------------------------------------------------------
# The profile
# --------------------------------------------------------------------------------------------

PROFILES = [
    (
        "Hi Dana,\n\nI'm so sorry your parcel arrived damaged; I know how frustrating that is. "
        "Just to confirm, the lid was cracked? This happened because the box was crushed in "
        "transit. I've sent a replacement, which will arrive by Friday. Does that work for "
        "you?\n\nBest,\nSam",
        dict(
            acknowledges_feelings=True,
            apologizes=True,
            apology_kind="owning",
            paraphrases_issue=True,
            explains=True,
            offers_next_step=True,  # "I've sent a replacement"
            gives_timeline=True,
            checks_back=True,
            takes_ownership=True,
            greets=True,
            signs_off=True,
        ),
    ),
    (
        "We apologise for any inconvenience. It's our policy. You will have to contact the "
        "courier.",
        dict(
            acknowledges_feelings=False,
            apologizes=True,
            apology_kind="scripted",
            paraphrases_issue=False,
            explains=False,
            offers_next_step=False,
            gives_timeline=False,
            checks_back=False,
            takes_ownership=False,
            greets=False,
            signs_off=False,
        ),
    ),
    (
        "Sorry if you feel that way. I'll send a new code, but we can't refund it. Instead, "
        "you could use the credit.\n\nThanks again",
        dict(
            acknowledges_feelings=False,
            apologizes=True,
            apology_kind="non-apology",
            offers_next_step=True,
            takes_ownership=True,
            signs_off=True,
        ),
    ),
]


@pytest.mark.parametrize("text,moves", PROFILES)
def test_profile_moves(text: str, moves: dict[str, Any]) -> None:
    got = profile(text)
    assert {k: getattr(got, k) for k in moves} == moves


def test_profile_columns_match_profile_of_each_draft(corpus: pd.DataFrame) -> None:
    sample = corpus.head(60)
    replies, _ = lint_frame(sample, text="body", id="ticket_id")
    pairs = check_with_profiles(Linter(), list(sample["body"]))
    for i, (_, p) in enumerate(pairs):
        row = {k: replies[k][i] for k in (*MOVES, "apology_kind")}
        moves = p.model_copy(update={"channel": None, "language": None})  # not columns here
        assert Profile.model_validate({**row, "apology_kind": p.apology_kind}) == moves
        assert (row["apology_kind"] if not pd.isna(row["apology_kind"]) else None) == (
            p.apology_kind
        )
    # every move is made by some reply and missed by another: the columns carry information
    for move in MOVES:
        assert replies[move].any() and not replies[move].all(), move


def test_check_with_profiles_works_with_a_cache(tmp_path: Path) -> None:
    """The profile travels with the findings (it used to need jobs=1 and no cache)."""
    texts = ["Nope.", "Hi Sam,\n\nI'm so sorry about the wait; I've sent it today.\n\nBest,\nAva"]
    plain = [p for _, p in check_with_profiles(Linter(), texts)]
    cached = Linter(cache_dir=tmp_path, lazy=True)
    assert [p for _, p in check_with_profiles(cached, texts)] == plain  # cold
    assert [p for _, p in check_with_profiles(cached, texts)] == plain  # warm: from the cache
    assert plain[1].apology_kind == "owning" and plain[0].apology_kind is None


# --------------------------------------------------------------------------------------------
# Bad rows are data
# --------------------------------------------------------------------------------------------

GOOD = "Hi Sam,\n\nI've refunded the charge today.\n\nBest,\nAva"
FIVE_MB = "Refund please. " * (5 * 1024 * 1024 // 15)


def test_bad_rows_in_pandas_get_an_error_and_the_run_goes_on() -> None:
    df = pd.DataFrame(
        {
            "id": list(range(9)),
            "text": [
                GOOD,
                None,
                float("nan"),
                42,
                "",
                "   \n ",
                FIVE_MB,
                b"caf\xe9 au lait",  # Latin-1 bytes, not UTF-8
                "broken \udc80 surrogate",
            ],
        }
    )
    replies, findings = lint_frame(df, text="text", id="id")
    errors = replies["error"].tolist()
    assert pd.isna(errors[0])
    assert errors[1:] == [
        "text is null",
        "text is null",
        "text is int, not a string",
        "text is empty",
        "text is empty",
        f"text has {len(FIVE_MB):,} characters, over the limit of 100,000",
        "text is not valid UTF-8 (at byte 3)",
        "text is not valid Unicode (a lone surrogate at character 7)",
    ]
    bad = replies.iloc[1:]
    assert bad[list(MOVES)].isna().all().all() and bad["language"].isna().all()
    assert (bad["n_warning"] == 0).all() and bad["findings"].map(len).eq(0).all()
    assert replies["language"][0] == "en" and replies["greets"][0]
    assert set(findings["id"]) <= {0}


def test_bad_rows_in_arrow_tables() -> None:
    table = pa.table(
        {
            "id": pa.array([1, 2, 3, 4]),
            "text": pa.array([GOOD.encode(), b"\xff\xfe", None, b"ok then"], pa.binary()),
            "customer": pa.array(["fine", "x", "y", b"\xc3\x28".decode("latin-1")]),
        }
    )
    replies, _ = lint_table(table, text="text", customer="customer", id="id")
    assert replies.column("error").to_pylist() == [
        None,
        "text is not valid UTF-8 (at byte 0)",
        "text is null",
        None,
    ]
    numbers = pa.table({"id": [1, 2], "text": pa.array([5, None], pa.int64())})
    replies, _ = lint_table(numbers, text="text", id="id")
    assert replies.column("error").to_pylist() == ["text is int64, not a string", "text is null"]
    long_customer = pd.DataFrame({"text": [GOOD], "c": [FIVE_MB]})
    replies_pd, _ = lint_frame(long_customer, text="text", customer="c")
    assert replies_pd["error"][0].startswith("customer message has 5,")


# --------------------------------------------------------------------------------------------
# replylint scan
# --------------------------------------------------------------------------------------------

SCAN = [sys.executable, "-c", "from replylint.cli import main; main()", "scan"]


def _parquet(df: pd.DataFrame, path: Path, row_group_size: int = 64) -> Path:
    pq.write_table(
        pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=row_group_size
    )
    return path


def _scan(archive: Path, out: Path, *extra: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    args = [*SCAN, str(archive), "--text-field", "body", "--id-field", "ticket_id"]
    return subprocess.run(
        [*args, "--keep", "team,agent", "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=600,
        **kw,
    )


def _read(out: Path, which: str) -> pd.DataFrame:
    return ds.dataset(out / which, format="parquet").to_table().to_pandas()


@pytest.mark.slow  # scan processes
def test_scan_parquet_in_two_processes_matches_linter_check(
    corpus: pd.DataFrame, expected: set[Any], tmp_path: Path
) -> None:
    archive = _parquet(corpus, tmp_path / "archive.parquet")
    assert pq.ParquetFile(archive).num_row_groups > 3
    out = tmp_path / "out"
    done = _scan(archive, out, "--jobs", "2", "--part-rows", "100")
    assert done.returncode == 0, done.stderr
    assert f"{len(corpus):,} replies in {out}" in done.stdout
    assert done.stderr == ""  # no progress: standard error is not a terminal
    replies, findings = _read(out, "replies"), _read(out, "findings")
    assert sorted(replies["ticket_id"]) == sorted(corpus["ticket_id"])
    assert finding_set(findings) == expected
    assert set(replies["team"]) == {"billing", "shipping", "tech"}
    names = sorted(p.name for p in (out / "replies").iterdir())
    assert names[0] == "part-000000000000-000000000100.parquet"
    assert names == sorted(p.name for p in (out / "findings").iterdir())
    meta = pq.ParquetFile(out / "replies" / names[1]).schema_arrow.metadata
    assert meta[b"replylint.rows"] == b"100-200" and meta[b"replylint.schema_version"] == b"1"
    manifest = json.loads((out / "_replylint.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == "1" and manifest["rows"] == len(corpus)
    assert manifest["finished"] and manifest["started"] and manifest["keep"] == ["team", "agent"]
    assert manifest["text_field"] == "body" and manifest["config_hash"] == config_hash(None)


@pytest.mark.slow  # scan processes, killed
def test_scan_killed_twice_resumes_with_every_reply_exactly_once(
    corpus: pd.DataFrame, expected: set[Any], tmp_path: Path
) -> None:
    archive = _parquet(corpus, tmp_path / "archive.parquet", row_group_size=50)
    out = tmp_path / "out"
    argv = [*SCAN, str(archive), "--text-field", "body", "--id-field", "ticket_id"]
    argv += ["--keep", "team,agent", "--out", str(out), "--part-rows", "20", "--jobs", "2"]
    parts = out / "replies"
    for wanted in (2, 6):  # killed once a few parts are written, then again later
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                if parts.is_dir() and len(list(parts.glob("part-*.parquet"))) >= wanted:
                    break
                assert proc.poll() is None, "the scan finished before it could be killed"
                time.sleep(0.05)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # the scan and its workers, at once
            proc.wait()
        manifest = json.loads((out / "_replylint.json").read_text(encoding="utf-8"))
        assert manifest["finished"] is None
    kept = len(list(parts.glob("part-*.parquet")))
    assert 2 <= kept < len(corpus) // 20
    # what a kill between a part's two files, or during a write, leaves behind
    (parts / ".part-000000099980-000000100000.parquet.abc.tmp").write_bytes(b"half")
    first = sorted(parts.glob("part-*.parquet"))[-1]
    first.unlink()  # its findings file stays: the part is redone
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"({kept - 1} parts kept from an earlier run)" in done.stdout
    assert not list(parts.glob(".*.tmp"))
    replies, findings = _read(out, "replies"), _read(out, "findings")
    assert replies["ticket_id"].tolist() == sorted(corpus["ticket_id"])  # each once, in order
    assert finding_set(findings) == expected
    again = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and f"({len(corpus) // 20} parts kept" in again.stdout
    assert "0 linted" in again.stdout


@pytest.mark.slow  # a scan process
def test_scan_csv_with_bad_rows(tmp_path: Path) -> None:
    head = b"ticket_id,team,agent,body\r\n"
    rows = [
        b'1,billing,ann,"Hi Sam,\n\nI\'ve refunded it today.\n\nBest,\nAva"\r\n',
        b"2,billing,ann,\r\n",
        b'3,tech,bob,"caf\xe9 is not UTF-8"\r\n',
        b'4,tech,bob,"' + b"Refund please. " * 400_000 + b'"\r\n',
        b'5,tech,bob,"""Quoted"" and fine, no?"\r\n',
    ]
    archive = tmp_path / "replies.csv"
    archive.write_bytes(head + b"".join(rows))
    out = tmp_path / "out"
    done = _scan(archive, out)
    assert done.returncode == 0, done.stderr
    assert "5 replies" in done.stdout and "3 bad rows" in done.stdout
    replies = _read(out, "replies").set_index("ticket_id")
    assert replies.loc["1", "error"] is None or pd.isna(replies.loc["1", "error"])
    assert replies.loc["2", "error"] == "text is empty"
    assert replies.loc["3", "error"] == "text is not valid UTF-8 (at byte 3)"
    assert replies.loc["4", "error"] == "text has 6,000,000 characters, over the limit of 100,000"
    assert replies.loc["5", "language"] == "en"
    assert str(replies.loc["1", "findings"]) is not None and replies.loc["1", "greets"]


@pytest.mark.slow  # scan processes
def test_scan_errors_are_one_line_naming_the_file(tmp_path: Path) -> None:
    df = pd.DataFrame({"ticket_id": ["a"], "team": ["x"], "agent": ["y"], "body": ["Nope."]})
    archive = _parquet(df, tmp_path / "a.parquet")
    cases: list[tuple[list[str], str]] = [
        (
            [
                *SCAN,
                str(tmp_path / "missing.parquet"),
                "--text-field",
                "body",
                "--id-field",
                "id",
                "--out",
                str(tmp_path / "o1"),
            ],
            "missing.parquet: no such file or folder",
        ),
        (
            [
                *SCAN,
                str(archive),
                "--text-field",
                "text",
                "--id-field",
                "ticket_id",
                "--out",
                str(tmp_path / "o2"),
            ],
            "a.parquet: no column 'text' (columns: ticket_id",
        ),
        (
            [
                *SCAN,
                str(tmp_path / "notes.txt"),
                "--text-field",
                "body",
                "--id-field",
                "ticket_id",
                "--out",
                str(tmp_path / "o3"),
            ],
            "notes.txt: not a Parquet or CSV archive",
        ),
    ]
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    cases.append(
        (
            [
                *SCAN,
                str(tmp_path / "bad.parquet"),
                "--text-field",
                "body",
                "--id-field",
                "ticket_id",
                "--out",
                str(tmp_path / "o4"),
            ],
            "bad.parquet: not a readable Parquet file",
        )
    )
    for argv, message in cases:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, (argv, done.stderr)
        assert done.stderr.startswith("replylint: error: ") and message in done.stderr
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    out = tmp_path / "out"
    assert _scan(archive, out).returncode == 0
    other = _scan(archive, out, "--select", "terse-refusal")
    assert other.returncode == 2
    assert f"{out}: holds a scan with other config_hash" in other.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("x", encoding="utf-8")
    assert "not empty and not a replylint scan folder" in _scan(archive, tmp_path / "full").stderr


def test_scan_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    import io

    from replylint.scan import ScanOptions, scan

    df = pd.DataFrame({"ticket_id": ["a", "b"], "body": ["Nope.", "Fine, thanks!"]})
    archive = _parquet(df, tmp_path / "a.parquet")
    shown = io.StringIO()
    result = scan(ScanOptions(str(archive), str(tmp_path / "o"), "body", "ticket_id"), shown)
    assert result.rows == 2 and result.parts == 1
    line = shown.getvalue()
    assert line.startswith("\rscan: ") and "/2 replies" in line and "/s  ETA 0:00:0" in line


def test_scan_an_empty_archive_writes_the_schema(tmp_path: Path) -> None:
    df = pd.DataFrame({"ticket_id": pd.Series([], dtype="int64"), "body": pd.Series([], dtype=str)})
    archive = _parquet(df, tmp_path / "empty.parquet")
    out = tmp_path / "out"
    done = subprocess.run(
        [*SCAN, str(archive), "--text-field", "body", "--id-field", "ticket_id", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    table = ds.dataset(out / "replies").to_table()
    assert table.num_rows == 0 and table.schema.field("ticket_id").type == pa.int64()
    assert "n_warning" in table.column_names


@pytest.mark.slow  # scan processes
def test_report_on_an_archive_scans_it_first_and_resumes_from_the_scan(tmp_path: Path) -> None:
    """`replylint report ARCHIVE` scans into ARCHIVE.scan (kept: a second report lints
    nothing) and reports it; without --text-field it says what an archive needs."""
    archive = _parquet(_corpus(60), tmp_path / "replies.parquet")
    report = [*SCAN[:-1], "report", str(archive)]
    html = tmp_path / "qa.html"
    args = ["--text-field", "body", "--id-field", "ticket_id", "--by", "team", "-o", str(html)]
    first = subprocess.run([*report, *args], capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "60 replies in" in first.stderr and "60 linted" in first.stderr
    page = html.read_text(encoding="utf-8")
    assert "billing" in page and "<svg" in page  # the --by column was kept and broken down
    replies = _read(tmp_path / "replies.parquet.scan", "replies")
    assert sorted(replies["ticket_id"]) == [f"T{i:06d}" for i in range(60)]
    again = subprocess.run([*report, *args], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "0 linted" in again.stderr, again.stderr
    bare = subprocess.run(report, capture_output=True, text=True, timeout=60)
    assert bare.returncode == 2 and "Traceback" not in bare.stderr
    assert bare.stderr.strip() == (
        f"replylint: error: {archive}: an archive needs --text-field and --id-field (or give "
        f"the DIR written by `replylint scan {archive} --out DIR`)"
    )
