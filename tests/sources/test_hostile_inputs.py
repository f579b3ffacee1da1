"""No input file can crash a run, hang it, or blow up its cost (issue 17).

A battery generated in ``tests/hostile.py`` (each format x {empty, NUL byte, invalid UTF-8,
UTF-16, BOM, truncated, deeply nested, NaN, lone surrogate, huge, special file, symlink loop,
unreadable}) goes through the real command line in a couple of runs, with good files among
them: no traceback, exit status 2 (the documented one for file errors), each bad file named in
one error line (and in the JSON and SARIF output), each special file found in a folder skipped
with one warning line, and every good file still linted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import replylint
from tests.hostile import REPLY, Case, build

SRC = str(Path(replylint.__file__).resolve().parents[1])
pytestmark = [
    pytest.mark.slow,  # the whole battery through real CLI processes, in every format
    pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)"),
]


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PYTHONPATH"] = os.pathsep.join([SRC, *filter(None, [env.get("PYTHONPATH")])])
    code = "from replylint.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=300,  # a hang fails the test instead of stalling the suite
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8"),
        proc.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture(scope="module")
def battery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    root = tmp_path_factory.mktemp("hostile")
    return root, build(root)


def _targets(cases: list[Case]) -> list[str]:
    """The family folders (walked) and the files named on the command line."""
    folders = sorted({str(c.path.parent) for c in cases if not c.named})
    return [*folders, *(str(c.path) for c in cases if c.named)]


def _lines(stderr: str, prefix: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(prefix)]


@pytest.fixture(scope="module")
def json_run(battery: tuple[Path, list[Case]]) -> subprocess.CompletedProcess[str]:
    _, cases = battery
    return _cli("check", "--no-cache", "--format", "json", *_targets(cases))


def test_the_battery_covers_every_family_and_variant(battery: tuple[Path, list[Case]]) -> None:
    _, cases = battery
    families = {c.family for c in cases}
    assert families == {"txt", "md", "html", "eml", "json", "yaml", "csv", "fs"}
    for family in families - {"fs"}:
        variants = {c.variant for c in cases if c.family == family}
        wanted = {"empty", "nul-byte", "invalid-utf8", "utf16-bom", "utf16-no-bom", "utf8-bom"}
        assert wanted <= variants, family
        assert any(v.startswith(("huge", "one-huge")) for v in variants), family
    assert len(cases) > 120


def test_no_traceback_and_exit_status_2(json_run: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in json_run.stderr, json_run.stderr[-3000:]
    assert "internal error" not in json_run.stderr, json_run.stderr
    assert json_run.returncode == 2, json_run.stderr[-3000:]


def test_each_bad_file_is_named_in_one_error_line(
    battery: tuple[Path, list[Case]], json_run: subprocess.CompletedProcess[str]
) -> None:
    _, cases = battery
    errors = _lines(json_run.stderr, "replylint: error: ")
    for case in cases:
        named = [e for e in errors if e.startswith(f"replylint: error: {case.path}: ")]
        if case.expect == "error":
            assert len(named) == 1, (case.family, case.variant, named)
        elif case.expect in ("lint", "skip"):
            assert not named, (case.family, case.variant, named)
    # every line of standard error is one of these one-line messages
    for line in json_run.stderr.splitlines():
        assert line.startswith(("replylint: error: ", "replylint: warning: ")), line


def test_special_files_in_folders_are_skipped_with_one_warning(
    battery: tuple[Path, list[Case]], json_run: subprocess.CompletedProcess[str]
) -> None:
    _, cases = battery
    warnings = _lines(json_run.stderr, "replylint: warning: ")
    skipped = [c for c in cases if c.expect == "skip"]
    assert len(skipped) >= 3
    for case in skipped:
        named = [w for w in warnings if w.startswith(f"replylint: warning: {case.path}: ")]
        assert len(named) == 1 and "skipped" in named[0] and "not a regular file" in named[0]
    assert len(warnings) == len(skipped)


def test_json_output_has_every_error_and_every_good_file_linted(
    battery: tuple[Path, list[Case]], json_run: subprocess.CompletedProcess[str]
) -> None:
    _, cases = battery
    files: dict[str, dict[str, Any]] = {f["path"]: f for f in json.loads(json_run.stdout)["files"]}
    for case in cases:
        entry = files.get(str(case.path))
        where = (case.family, case.variant)
        if case.expect == "error":
            assert entry is not None and entry["error"], where
            assert "\n" not in entry["error"], where
        elif case.expect == "lint":
            assert entry is not None and entry["error"] is None, (where, entry)
        elif case.expect == "skip":
            assert entry is None, where
    # the good file of each family, and the UTF-16 and BOM copies of it, are linted in full
    for case in cases:
        if case.variant in ("good", "utf8-bom", "utf16-bom", "utf16-no-bom", "utf32-bom"):
            rules = {f["rule"] for f in files[str(case.path)]["findings"]}
            assert {"terse-refusal", "bare-policy"} <= rules, (case.family, case.variant)


def test_utf16_positions_are_those_of_the_decoded_text(
    battery: tuple[Path, list[Case]], json_run: subprocess.CompletedProcess[str]
) -> None:
    _, cases = battery
    files = {f["path"]: f for f in json.loads(json_run.stdout)["files"]}
    for family in ("txt", "json", "csv"):
        by_variant = {c.variant: files[str(c.path)] for c in cases if c.family == family}
        good = [(f["rule"], f["line"], f["column"]) for f in by_variant["good"]["findings"]]
        for variant in ("utf8-bom", "utf16-bom", "utf16-no-bom", "utf32-bom"):
            found = by_variant[variant]["findings"]
            assert [(f["rule"], f["line"], f["column"]) for f in found] == good, variant


def test_an_over_long_cell_is_an_error_and_the_other_rows_are_linted(
    battery: tuple[Path, list[Case]], json_run: subprocess.CompletedProcess[str]
) -> None:
    _, cases = battery
    files = {f["path"]: f for f in json.loads(json_run.stdout)["files"]}
    (cell,) = [c for c in cases if c.family == "csv" and c.variant == "huge-cell"]
    entry = files[str(cell.path)]
    assert entry["error"].startswith("line 2, column 4: draft 'x' has 2,400,000 characters, over")
    assert {f["draft"] for f in entry["findings"]} == {"y"}  # the row after it


def test_sarif_has_a_notification_for_each_bad_file(battery: tuple[Path, list[Case]]) -> None:
    _, cases = battery
    bad = [c for c in cases if c.expect == "error" and c.family in ("json", "yaml", "fs")]
    good = [c for c in cases if c.variant == "good"]
    proc = _cli("check", "--no-cache", "--format", "sarif", *(str(c.path) for c in bad + good))
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    (run,) = json.loads(proc.stdout)["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert len(notes) == len(bad)
    for note, case in zip(notes, bad, strict=True):
        assert note["level"] == "error"
        assert note["message"]["text"].startswith(f"{case.path}: ")
        assert note["descriptor"] == {"id": "replylint/error"}
    # an error with a line has it as the notification's region
    deep = next(n for n, c in zip(notes, bad, strict=True) if c.variant == "deep")
    assert deep["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert {r["ruleId"] for r in run["results"]} >= {"terse-refusal", "bare-policy"}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"Nope.\x00", "binary file"),
        (b"", "empty file"),
        (b"Hi \xff", "line 1, column 4: not valid UTF-8 (byte 0xff)"),
    ],
)
def test_bad_standard_input_is_one_error_line(data: bytes, error: str) -> None:
    proc = _cli("check", "--no-cache", "-", stdin=data)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"replylint: error: <stdin>: {error}"), proc.stderr
    assert "Traceback" not in proc.stderr


def test_utf16_standard_input_is_linted() -> None:
    proc = _cli("check", "--no-cache", "--format", "json", "-", stdin=REPLY.encode("utf-16"))
    assert proc.returncode == 1, proc.stderr
    (file,) = json.loads(proc.stdout)["files"]
    assert file["error"] is None and {f["rule"] for f in file["findings"]} >= {"terse-refusal"}


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_every_output_format_survives_bad_files(battery: tuple[Path, list[Case]], fmt: str) -> None:
    _, cases = battery
    picked = [c for c in cases if c.family in ("fs", "yaml") and c.expect in ("error", "lint")]
    proc = _cli("check", "--no-cache", "--format", fmt, *(str(c.path) for c in picked))
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 2
    for case in picked:
        named = _lines(proc.stderr, f"replylint: error: {case.path}: ")
        assert len(named) == (case.expect == "error"), (case.variant, named)
        if case.expect == "error" and fmt != "text":
            assert str(case.path) in proc.stdout  # an annotation / an <error> test case
