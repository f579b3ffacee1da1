"""Helpdesk archives, on one machine: the pandas/Arrow core (replylint.frame), the empathy
profile, bad rows as data, and ``replylint scan`` (streaming, resumable, killed for real)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import drafts  # noqa: E402

N = int(os.environ.get("REPLYLINT_ARCHIVE_N", "300"))  # 2,000 by hand (see README)
SCHEMA_DOC = Path("/work/notes/ARCHIVE_SCHEMA.md")


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
    if SCHEMA_DOC.exists():  # every column the shared schema names is here
        doc = SCHEMA_DOC.read_text(encoding="utf-8")
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
        assert Profile.model_validate({**row, "apology_kind": p.apology_kind}) == p
        assert (row["apology_kind"] if not pd.isna(row["apology_kind"]) else None) == (
            p.apology_kind
        )
    # every move is made by some reply and missed by another: the columns carry information
    for move in MOVES:
        assert replies[move].any() and not replies[move].all(), move


def test_check_with_profiles_refuses_a_linter_that_lints_elsewhere(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="jobs=1 and no cache_dir"):
        check_with_profiles(Linter(cache_dir=tmp_path, lazy=True), ["Nope."])


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
