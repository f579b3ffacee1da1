"""``replylint fix`` and ``check --diff`` on CSV exports big enough to be read in chunks
(sources/stream.py): fixed, reported and written chunk by chunk, with exactly the result of the
whole-file fix, every byte outside the edits kept (BOM, CRLF, the other columns), and the same
safety as every fix (nothing written on an error, no temporary file left, read-only respected).

The big file is a real ~1.5 MB export through the real command; the error cases use a small
file with the streaming threshold and the chunk size lowered, so that it streams in many chunks.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from replylint import fix as fixing
from replylint.cli import main
from replylint.sources import stream

GIT = shutil.which("git")
BOM = codecs.BOM_UTF8

# reply bodies: "Obviously, " has a safe fix, the policy sentence findings without one, the
# others are clean; quotes, line breaks (written as the file's) and non-ASCII text inside
BODIES = [
    "Hi Dana,\n\nObviously, you can return the kettle within 30 days.\n\nThanks,\nAna",
    'Hello Sam,\n\nThanks for the "quick" note — your refund of €20 went out today.\n\nBest,\nMo',
    "Obviously, {{ticket.requester.first_name}} can return it within 30 days.",
    "Hi Léa,\n\nUnfortunately it's our policy that we can't refund opened items.\n\nBest,\nMo",
    "Hi Priya,\n\nI'm sorry the parcel was late. I've sent a new one; it arrives Friday.\n\nAna",
    "Hi Jo,\n\nObviously, the naïve setting is off. Obviously, you can switch it on.\n\nMo",
]
NOTE = "internal: escalated twice; customer prefers e-mail; see CRM — ticket merged. " * 5


def _export(rows: int, *, seed: int = 7, newline: str = "\r\n", bom: bool = True) -> bytes:
    """A helpdesk export: id, subject, body (a reply) and notes (not linted), as bytes."""
    pick = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(["id", "subject", "body", "notes"])
    for i in range(1, rows + 1):
        body = pick.choice(BODIES).replace("\n", newline)
        if i % 97 == 0:
            writer.writerow([])  # (a blank line between records)
        writer.writerow([i, f"Ticket {i}, re: order", body, f"{NOTE}{pick.random():.6f}"])
    return (BOM if bom else b"") + out.getvalue().encode("utf-8")


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


def chunks_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the chunks the fixer reads (one entry per streamed file)."""
    counts: list[int] = []
    real = stream.load_chunks

    def counting(*args: Any, **kwargs: Any) -> Iterator[stream.Chunk]:
        counts.append(0)
        for chunk in real(*args, **kwargs):
            counts[-1] += 1
            yield chunk

    monkeypatch.setattr(stream, "load_chunks", counting)
    return counts


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A ~1.5 MB export fixed streamed and whole (the threshold raised), and its streamed diff."""
    folder = tmp_path_factory.mktemp("big")
    original = _export(2900)
    assert 1.3e6 < len(original) < 1.8e6 and len(original) >= stream.STREAM_MIN_BYTES
    out: dict[str, Any] = {"original": original, "folder": folder}
    with pytest.MonkeyPatch.context() as mp:
        counts = chunks_read(mp)
        streamed = folder / "streamed.csv"
        streamed.write_bytes(original)
        os.chmod(streamed, 0o640)
        out["diff"] = run("check", "--no-cache", "--diff", "--text-field", "body", str(streamed))
        out["fix"] = run("fix", "--text-field", "body", str(streamed))
        out["chunks"] = list(counts)
    out["streamed"] = streamed.read_bytes()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(stream, "STREAM_MIN_BYTES", 1 << 40)  # the whole-file path
        counts = chunks_read(mp)
        whole = folder / "whole.csv"
        whole.write_bytes(original)
        out["whole_diff"] = run("check", "--no-cache", "--diff", "--text-field", "body", str(whole))
        out["whole_fix"] = run("fix", "--text-field", "body", str(whole))
        assert counts == []
    out["whole"] = whole.read_bytes()
    return out


@pytest.mark.slow  # the ~1.5 MB export
def test_a_big_export_is_fixed_in_chunks_exactly_as_whole(big: dict[str, Any]) -> None:
    assert len(big["chunks"]) == 2 and min(big["chunks"]) >= 5  # (--diff and fix streamed it)
    assert big["streamed"] != big["original"]
    assert big["streamed"] == big["whole"]
    fixed, whole = big["fix"], big["whole_fix"]
    assert fixed.exit_code == whole.exit_code == 1  # the policy findings are left
    # the same report: what was skipped, what is left (lines, excerpts), the summaries
    assert fixed.stdout.replace("streamed.csv", "whole.csv") == whole.stdout
    assert "Fixed " in fixed.stdout and " left; " in fixed.stdout
    assert fixed.stderr == whole.stderr == ""
    assert not list(big["folder"].glob(".*.tmp"))


@pytest.mark.slow  # the ~1.5 MB export
def test_a_streamed_fix_keeps_every_byte_outside_the_edits(big: dict[str, Any]) -> None:
    original, fixed = big["original"], big["streamed"]
    assert fixed.startswith(BOM) and not fixed[3:].startswith(BOM)
    # CRLF everywhere, between records and inside the quoted replies
    assert fixed.count(b"\r\n") == original.count(b"\r\n")
    assert fixed.count(b"\n") == fixed.count(b"\r\n")
    before = list(csv.reader(io.StringIO(original[3:].decode("utf-8"), newline="")))
    after = list(csv.reader(io.StringIO(fixed[3:].decode("utf-8"), newline="")))
    assert len(before) == len(after)
    edited = 0
    for old, new in zip(before, after, strict=True):
        if not old:
            assert not new
            continue
        assert [old[0], old[1], old[3]] == [new[0], new[1], new[3]]  # id, subject, notes
        if old[2] != new[2]:
            edited += 1
            assert "Obviously, " in old[2]
            assert "bviously" not in new[2]  # (both safe fixes of a body, over two passes)
            assert "{{ticket.requester.first_name}}" in new[2] or "{{" not in old[2]
    assert edited > 1000
    assert stat.S_IMODE((big["folder"] / "streamed.csv").stat().st_mode) == 0o640


@pytest.mark.slow  # the ~1.5 MB export
def test_the_streamed_diff_is_the_whole_file_diff(big: dict[str, Any]) -> None:
    diff, whole = big["diff"], big["whole_diff"]
    assert diff.exit_code == whole.exit_code == 1
    assert diff.stdout_bytes.replace(b"streamed.csv", b"whole.csv") == whole.stdout_bytes
    path = big["folder"] / "streamed.csv"
    original = big["original"][3:].decode("utf-8")
    fixed = big["streamed"][3:].decode("utf-8")
    made = fixing.FileFix(str(path), original=original, text=fixed, bom=True).diff()
    assert made.count("\n@@ ") > 100
    assert diff.stdout_bytes.decode("utf-8") == made


@pytest.mark.slow  # the ~1.5 MB export
@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_git_applies_the_streamed_diff(big: dict[str, Any], tmp_path: Path) -> None:
    assert GIT is not None
    target = tmp_path / "streamed.csv"
    target.write_bytes(big["original"])
    patch = big["diff"].stdout_bytes.replace(
        str(big["folder"] / "streamed.csv").encode(), b"streamed.csv"
    )
    assert patch.startswith(b"--- a/streamed.csv\n+++ b/streamed.csv\n@@ ")
    (tmp_path / "fix.patch").write_bytes(patch)
    subprocess.run(
        [GIT, "apply", "fix.patch"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert target.read_bytes() == big["streamed"]


# --------------------------------------------------------------------------------------------
# the diff of a file given in chunks (no linting)
# --------------------------------------------------------------------------------------------


def _pieces(lines: list[str], cuts: list[int]) -> list[str]:
    edges = [0, *sorted(cuts), len(lines)]
    return ["".join(lines[a:b]) for a, b in itertools.pairwise(edges)]


@pytest.mark.parametrize("seed", range(40))
def test_a_diff_streamed_chunk_by_chunk_is_difflibs(seed: int) -> None:
    """Changes near chunk edges, runs of unchanged lines of every length around 2 * CONTEXT,
    a last line without a line break: the hunks are those of the whole texts."""
    pick = random.Random(seed)
    n = pick.randint(1, 60)
    before = [f"line {i}\r\n" for i in range(n)]
    after = list(before)
    for i in range(n):
        if pick.random() < 0.15:
            tail = "" if pick.random() < 0.7 else " and\r\nsplit"
            after[i] = f"line {i} fixed{tail}\r\n"
    if pick.random() < 0.3:
        before[-1] = before[-1].rstrip("\r\n")
        after[-1] = after[-1].rstrip("\r\n") + ("" if pick.random() < 0.5 else "!")
    cuts = pick.sample(range(1, n), min(n - 1, pick.randint(0, 8))) if n > 1 else []
    differ = fixing.DiffStream("a.csv")
    out = ""
    for old, new in zip(_pieces(before, cuts), _pieces(after, cuts), strict=True):
        out += differ.feed(old, new)
    out += differ.close()
    whole = fixing.FileFix("a.csv", original="".join(before), text="".join(after)).diff()
    assert out == whole
    if before == after:
        assert out == ""


# --------------------------------------------------------------------------------------------
# errors: nothing is written, nothing is left behind (a small file in small chunks)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setattr(stream, "STREAM_MIN_BYTES", 1)
    monkeypatch.setattr(stream, "CHUNK_BYTES", 400)
    return chunks_read(monkeypatch)


def test_a_small_file_in_small_chunks_is_fixed_as_whole(
    tmp_path: Path, small_chunks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _export(12, seed=3, newline="\n", bom=False)
    streamed = tmp_path / "replies.csv"
    streamed.write_bytes(original)
    result = run("fix", "--text-field", "body", str(streamed))
    assert small_chunks and small_chunks[0] > 3
    monkeypatch.setattr(stream, "STREAM_MIN_BYTES", 1 << 40)
    whole = tmp_path / "whole.csv"
    whole.write_bytes(original)
    expected = run("fix", "--text-field", "body", str(whole))
    assert streamed.read_bytes() != original
    assert streamed.read_bytes() == whole.read_bytes()
    assert result.stdout.replace("replies.csv", "whole.csv") == expected.stdout
    assert result.exit_code == expected.exit_code


def test_an_error_midway_writes_nothing(tmp_path: Path, small_chunks: list[int]) -> None:
    original = _export(12, seed=3, newline="\n", bom=False) + b'13,"x","never closed\n'
    path = tmp_path / "replies.csv"
    path.write_bytes(original)
    result = run("fix", "--text-field", "body", str(path))
    assert result.exit_code == 2
    assert small_chunks[0] > 3  # chunks before the bad one were fixed (into the temp file)
    errors = result.stderr.strip().splitlines()
    line = original.count(b"\n")
    assert errors == [
        f"replylint: error: {path}: line {line}, column 8: invalid CSV: "
        "a quoted field is never closed"
    ]
    assert path.read_bytes() == original
    assert not list(tmp_path.glob(".*.tmp"))
    assert "Fixed 0 findings in 0 files" in result.stdout


def test_a_read_only_streamed_file_is_not_rewritten(
    tmp_path: Path, small_chunks: list[int]
) -> None:
    original = _export(12, seed=3, newline="\r\n", bom=True)
    path = tmp_path / "replies.csv"
    path.write_bytes(original)
    os.chmod(path, 0o444)
    result = run("fix", "--text-field", "body", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"replylint: error: {path}: read-only (its owner has no write permission); not rewritten"
    )
    assert path.read_bytes() == original
    assert not list(tmp_path.glob(".*.tmp"))
    assert "Fixed 0 findings in 0 files" in result.stdout


def test_a_streamed_file_changed_meanwhile_is_not_overwritten(
    tmp_path: Path, small_chunks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _export(12, seed=3, newline="\n", bom=False)
    path = tmp_path / "replies.csv"
    path.write_bytes(original)
    edited = original + b'99,"new","Hi there, thanks!",""\n'
    real = fixing.fix_drafts
    calls = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # (after the first chunk was read)
            path.write_bytes(edited)
        return real(*args, **kwargs)

    monkeypatch.setattr(fixing.stream, "fix_drafts", meanwhile)
    result = run("fix", "--text-field", "body", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"replylint: error: {path}: changed on disk since it was read; not overwritten"
    )
    assert path.read_bytes() == edited
    assert not list(tmp_path.glob(".*.tmp"))


def test_diff_of_an_unchanged_streamed_file_is_empty(
    tmp_path: Path, small_chunks: list[int]
) -> None:
    path = tmp_path / "replies.csv"
    rows = "".join(f'{i},"t","{BODIES[4]}",""\n' for i in range(20))
    path.write_text("id,subject,body,notes\n" + rows, encoding="utf-8")
    before = path.stat().st_mtime_ns
    result = run("check", "--no-cache", "--diff", "--text-field", "body", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    fixed = run("fix", "--text-field", "body", str(path))
    assert fixed.exit_code == 0
    assert "Fixed 0 findings in 0 files" in fixed.stdout
    assert path.stat().st_mtime_ns == before  # not rewritten
    assert len(small_chunks) == 2 and min(small_chunks) > 1  # (--diff and fix streamed it)


@pytest.mark.slow  # real fix processes, signalled
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_a_big_export_is_fixed_leaves_it_whole(
    tmp_path: Path, sig: signal.Signals
) -> None:
    """The temporary file exists while the chunks are fixed (the signal guard covers it all):
    a signal then removes it, leaves the export as it was, and ends the process as it would."""
    path = tmp_path / "export.csv"
    original = _export(2200, seed=11)
    assert len(original) >= stream.STREAM_MIN_BYTES
    path.write_bytes(original)
    env = {**os.environ, "PYTHONPATH": str(Path(fixing.__file__).parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "replylint.cli", "fix", "-q", "--text-field", "body", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if any(n.endswith(".tmp") for n in os.listdir(tmp_path)):
            time.sleep(0.5)  # (into the chunks)
            proc.send_signal(sig)
            break
        time.sleep(0.01)
    _, err = proc.communicate(timeout=300)
    assert b"Traceback" not in err, err
    assert proc.returncode == (1 if sig == signal.SIGINT else -sig), (proc.returncode, err)
    assert os.listdir(tmp_path) == ["export.csv"]
    assert path.read_bytes() == original
