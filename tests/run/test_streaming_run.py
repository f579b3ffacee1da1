"""Runs stream: files are read, linted and reported as they go; the file cache answers whole
files; big CSVs come in chunks; worker processes change nothing but the time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from replylint import Linter
from replylint.cli import AUTO_JOBS_FILES, auto_jobs, main
from replylint.config import ConfigResolver
from replylint.run import files as runner_module
from replylint.run.plan import plan_run
from replylint.sources import stream

DRAFTS = [
    "Nope. It's our policy.",
    "Hi Dana,\n\nI'm sorry your parcel arrived damaged. I've sent a replacement today; "
    "let me know it arrives safely.\n\nBest,\nSam",
    "Hello,\n\nUnfortunately we can't refund this, it's company policy.\n\nThanks",
    "Hi Jo,\n\nI had a terrible week myself, so I get it. Simply restart the app.\n",
]


def _write_drafts(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"{i:04d}.txt"
        path.write_text(DRAFTS[i % len(DRAFTS)] + f"\nRef {i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _json(args: list[str]) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_results_come_before_the_last_file_is_read(linter, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    paths = _write_drafts(tmp_path / "d", 300)
    reads: list[str] = []
    original = runner_module._read_bytes

    def counting(path: str) -> bytes:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(runner_module, "_read_bytes", counting)
    results = runner_module.lint_files(linter, [str(tmp_path / "d")])
    first = next(results)
    assert first.report.path == str(paths[0])
    assert len(reads) < len(paths)  # reported while most files are still unread
    rest = list(results)
    assert [r.report.path for r in [first, *rest]] == [str(p) for p in paths]
    assert len(reads) == len(paths)


def test_the_file_cache_answers_whole_files_and_notices_changes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "d"
    _write_drafts(folder, 6)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    _, fresh = _json(["--no-cache", str(folder)])
    _, cold = _json([*cache, str(folder)])
    assert cold == fresh

    def no_reader(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a reader ran on a warm cache")

    with monkeypatch.context() as m:
        m.setattr(runner_module, "load_bytes", no_reader)
        _, warm = _json([*cache, str(folder)])
    assert warm == fresh

    # an edited file is read again; the others still come from the cache
    edited = folder / "0001.txt"
    edited.write_text("Nope.\n", encoding="utf-8")
    read: list[str] = []
    original = runner_module.load_bytes

    def spy(name, data, options=None):  # type: ignore[no-untyped-def]
        read.append(name)
        return original(name, data, options)

    with monkeypatch.context() as m:
        m.setattr(runner_module, "load_bytes", spy)
        _, after = _json([*cache, str(folder)])
    assert read == [str(edited)]
    files = {f["path"]: f for f in after["files"]}  # type: ignore[attr-defined]
    assert "terse-refusal" in [f["rule"] for f in files[str(edited)]["findings"]]

    # configuration is part of the key: a severity override shows at once
    (tmp_path / ".replylint.toml").write_text('severity = {terse-refusal = "error"}\n')
    _, configured = _json([*cache, "--config", str(tmp_path / ".replylint.toml"), str(folder)])
    severities = {
        f["severity"]
        for file in configured["files"]  # type: ignore[attr-defined]
        for f in file["findings"]
        if f["rule"] == "terse-refusal"
    }
    assert severities == {"error"}


def _csv(path: Path, rows: int) -> Path:
    lines = ["id,subject,body"]
    for i in range(rows):
        text = DRAFTS[i % len(DRAFTS)].replace('"', '""')
        lines.append(f'{i},"Ticket {i}","{text}"')
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_a_big_csv_is_linted_in_chunks_with_the_same_results(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = _csv(tmp_path / "export.csv", 60)
    _, whole = _json(["--no-cache", str(path)])
    whole_text = CliRunner().invoke(main, ["check", "--no-cache", str(path)]).stdout
    chunks: list[int] = []
    original = stream.load_chunks

    def small_chunks(name, options=None, **kw):  # type: ignore[no-untyped-def]
        for chunk in original(name, options, chunk_bytes=512):
            chunks.append(len(chunk.drafts))
            yield chunk

    monkeypatch.setattr(stream, "STREAM_MIN_BYTES", 1)
    monkeypatch.setattr(runner_module, "load_chunks", small_chunks)
    _, streamed = _json(["--no-cache", str(path)])
    assert len(chunks) > 5 and sum(chunks) == 60  # really read in pieces
    assert streamed == whole  # one file, same findings, same lines and columns
    text = CliRunner().invoke(main, ["check", "--no-cache", str(path)]).stdout
    assert text == whole_text  # file lines and source lines, not the chunks'
    assert f"{path}:300:" in text or any(f"{path}:{n}:" in text for n in range(200, 400))


@pytest.mark.slow  # worker processes
def test_worker_processes_give_the_same_output(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "d"
    _write_drafts(folder, 80)
    _, one = _json(["--no-cache", "--jobs", "1", str(folder)])
    _, two = _json(["--no-cache", "--jobs", "2", str(folder)])
    assert one == two
    assert one["summary"]["findings"] > 80  # type: ignore[index]


def test_jobs_default_to_the_cpus_only_for_many_files(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    few = _write_drafts(tmp_path / "few", 3)
    many = tmp_path / "many"
    _write_drafts(many, AUTO_JOBS_FILES)
    resolver = ConfigResolver(isolated=True)
    assert auto_jobs(plan_run([str(p) for p in few], resolver)) == 1
    assert auto_jobs(plan_run([str(many)], resolver)) == 3
    big = _csv(tmp_path / "big.csv", 12000)  # one file, but over a MiB
    assert big.stat().st_size > 1 << 20
    assert auto_jobs(plan_run([str(big)], resolver)) == 3


@pytest.mark.parametrize("fmt", ["text", "sarif", "github", "junit"])
def test_every_format_streams_the_same_as_it_renders(tmp_path, fmt) -> None:  # type: ignore[no-untyped-def]
    """The CLI's streamed output equals the formatter over the collected run."""
    from replylint.output import FORMATTERS
    from replylint.run.files import lint_paths

    folder = tmp_path / "d"
    _write_drafts(folder, 5)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", fmt, str(folder)])
    run = lint_paths(Linter(), [str(folder)])
    rules = Linter().rulebook.rules
    expected = FORMATTERS[fmt](run.report, sources=run.sources, rules=rules)
    assert result.stdout == expected


def test_a_bad_byte_deep_in_a_big_csv_keeps_what_came_before(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from replylint.run.files import lint_paths

    path = _csv(tmp_path / "export.csv", 60)
    data = path.read_bytes()
    path.write_bytes(data[:-40] + b"\xff" + data[-39:])  # in the last rows
    original = stream.load_chunks

    def small_chunks(name, options=None, **kw):  # type: ignore[no-untyped-def]
        return original(name, options, chunk_bytes=512)

    monkeypatch.setattr(stream, "STREAM_MIN_BYTES", 1)
    monkeypatch.setattr(runner_module, "load_chunks", small_chunks)
    (file,) = lint_paths(Linter(), [str(path)]).files
    assert file.error is not None and "not valid UTF-8" in file.error
    assert file.draft_count > 40 and file.findings  # the rows before the bad byte were linted
    # each linted draft has its profile, numbered through the chunks
    assert [d.index for d in file.drafts] == list(range(file.draft_count))
    result = CliRunner().invoke(main, ["check", "--no-cache", str(path)])
    assert result.exit_code == 2
    assert f"replylint: error: {path}: line " in result.stderr


def test_files_looked_up_in_batches_keep_their_order_with_errors_between(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """With a cache, files are read a few at a time and looked up in one query; a missing
    file, an unreadable one and an edited one between them are still reported where named."""
    monkeypatch.setattr(runner_module, "LOOKUP_FILES", 3)
    paths = [str(p) for p in _write_drafts(tmp_path / "d", 8)]
    (tmp_path / "bad.txt").write_bytes(b"\xc3\x28 not utf-8 \x80")  # (\xff\xfe: UTF-16)
    named = [*paths[:2], str(tmp_path / "missing.txt"), *paths[2:5], str(tmp_path / "bad.txt")]
    named += paths[5:]
    cache = ["--cache-dir", str(tmp_path / "cache")]

    def _report(args: list[str]) -> tuple[int, dict[str, object]]:  # file errors exit 2
        result = CliRunner().invoke(main, ["check", "--format", "json", *args])
        assert result.exit_code == 2, result.output
        return result.exit_code, json.loads(result.stdout)

    _, fresh = _report(["--no-cache", *named])
    order = [f["path"] for f in fresh["files"]]  # type: ignore[attr-defined]
    assert order == named
    errors = [f["path"] for f in fresh["files"] if f["error"]]  # type: ignore[attr-defined]
    assert errors == [str(tmp_path / "missing.txt"), str(tmp_path / "bad.txt")]
    _, cold = _report([*cache, *named])
    _, warm = _report([*cache, *named])
    assert cold == warm == fresh
    (tmp_path / "d" / "0003.txt").write_text("Nope.\n", encoding="utf-8")
    _, edited = _report([*cache, *named])
    _, expected = _report(["--no-cache", *named])
    assert edited == expected
    assert [f["path"] for f in edited["files"]] == named  # type: ignore[attr-defined]
