"""The CI outputs: SARIF 2.1.0 (validated against the OASIS schema), GitHub Actions annotations
(escaping), JUnit XML (parsed), ``--statistics``, ``--quiet`` and the progress bar.

Real runs go through CliRunner (or a subprocess, for the terminal-only progress bar) with the
real rule book and spaCy pipeline.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from replylint.cli import main
from replylint.models import (
    Applicability,
    Category,
    FileReport,
    Finding,
    Report,
    Severity,
    Suggestion,
)
from replylint.output import FORMATTERS
from replylint.output.github import escape_data, escape_property, format_github
from replylint.rulebook import load_rulebook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SARIF_SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

NOPE = "Nope.\n"
POLICY = "Unfortunately, we can't refund opened items. It's our policy.\n"
CLEAN = "Thanks for your order! It shipped this morning and tracking is on its way to your inbox.\n"
EMOJI = "Hi Sam 🙂,\n\n🙂🙂 Unfortunately, we can't refund opened items. It's our policy.\n"
SAVED_REPLIES = """# Saved replies

## Refund

Unfortunately, we can't refund opened items. It's our policy.

## Shipped

Thanks for your order! It shipped this morning and tracking is on its way to your inbox.

## Thanks

Thanks for your order! It shipped this morning and tracking is on its way to your inbox.
"""


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of drafts, made the current directory (SARIF and annotations use paths
    relative to it)."""
    write(tmp_path / "replies" / "policy.txt", POLICY)
    write(tmp_path / "replies" / "nope.txt", NOPE)
    write(tmp_path / "replies" / "clean.txt", CLEAN)
    write(tmp_path / "replies" / "emoji.txt", EMOJI)
    write(tmp_path / "replies" / "suppressed.txt", "# replylint: disable=bare-policy\n" + CLEAN)
    write(tmp_path / "SAVED_REPLIES.md", SAVED_REPLIES)
    (tmp_path / "replies" / "binary.txt").write_bytes(b"\x00\x01\x02")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(*paths: str) -> dict[str, Any]:
    return json.loads(run("check", "--format", "json", *paths).stdout)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------
# SARIF
# --------------------------------------------------------------------------------------------


def test_sarif_validates_against_the_schema(project: Path) -> None:
    result = run("check", "--format", "sarif", "replies", "SAVED_REPLIES.md")
    assert result.exit_code == 2  # the binary file is an error; the log is still complete
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator.check_schema(SARIF_SCHEMA)
    validator = jsonschema.Draft4Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")


def test_sarif_rules_carry_descriptions_and_help(project: Path) -> None:
    log = json.loads(run("check", "--format", "sarif", "replies/policy.txt").stdout)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "replylint"
    book = load_rulebook()
    by_id = {r["id"]: r for r in driver["rules"]}
    assert set(book.rules) <= set(by_id)
    for rule in book.rules.values():
        d = by_id[rule.id]
        assert d["shortDescription"]["text"] == rule.summary
        assert d["fullDescription"]["text"] == rule.why
        assert rule.summary in d["help"]["text"] and rule.summary in d["help"]["markdown"]
        for source in rule.source:
            assert f"seeds/{source.file}" in d["help"]["text"]
            assert source.heading in d["help"]["markdown"]
        level = {"info": "note", "warning": "warning", "error": "error"}[rule.severity.value]
        assert d["defaultConfiguration"]["level"] == level
        assert " " not in d["name"]


def test_sarif_results_match_the_json_findings(project: Path) -> None:
    paths = ("replies", "SAVED_REPLIES.md")
    data = _json(*paths)
    run_ = json.loads(run("check", "--format", "sarif", *paths).stdout)["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    expected = [
        (Path(file["path"]).as_posix(), f) for file in data["files"] for f in file["findings"]
    ]
    results = run_["results"]
    assert len(results) == len(expected)
    rules = run_["tool"]["driver"]["rules"]
    levels = {"info": "note", "warning": "warning", "error": "error"}
    for (path, f), r in zip(expected, results, strict=True):
        assert r["ruleId"] == f["rule"]
        assert rules[r["ruleIndex"]]["id"] == f["rule"]
        assert r["level"] == levels[f["severity"]]
        assert r["message"]["text"].startswith(f["message"])
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": path, "uriBaseId": "%SRCROOT%"}
        assert not Path(loc["artifactLocation"]["uri"]).is_absolute()
        region = loc["region"]
        assert (
            region["startLine"],
            region["startColumn"],
            region["endLine"],
            region["endColumn"],
        ) == (f["line"], f["column"], f["end_line"], f["end_column"])
        assert region["snippet"]["text"] == f["excerpt"]
        assert len(r.get("fixes", [])) == len(f["suggestions"])
        for fix, s in zip(r.get("fixes", []), f["suggestions"], strict=True):
            (change,) = fix["artifactChanges"]
            assert change["artifactLocation"] == loc["artifactLocation"]
            (replacement,) = change["replacements"]
            deleted = replacement["deletedRegion"]
            assert (
                deleted["startLine"],
                deleted["startColumn"],
                deleted["endLine"],
                deleted["endColumn"],
            ) == (s["line"], s["column"], s["end_line"], s["end_column"])
            assert replacement["insertedContent"]["text"] == s["replacement"]
            assert fix["properties"]["applicability"] == s["applicability"]
        if f["draft"]:
            assert r["properties"]["draft"] == f["draft"]
    # the unreadable file is a notification, and the run says it was not fully successful
    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert "binary.txt" in note["message"]["text"]
    # the suppression comment that suppresses nothing has a rule descriptor of its own
    assert "unused-suppression" in {r["ruleId"] for r in results}
    assert any(d["id"] == "unused-suppression" for d in rules)


def test_sarif_columns_are_code_points(project: Path) -> None:
    run_ = json.loads(run("check", "--format", "sarif", "replies/emoji.txt").stdout)["runs"][0]
    policy = next(r for r in run_["results"] if r["ruleId"] == "bare-policy")
    region = policy["locations"][0]["physicalLocation"]["region"]
    line = EMOJI.splitlines()[region["startLine"] - 1]
    # code points: each 🙂 is one column (it would be two UTF-16 code units)
    start = region["startColumn"] - 1
    assert line[start : region["endColumn"] - 1] == region["snippet"]["text"]
    assert line[start:].startswith("It's our policy")


def test_sarif_insertion_fix_is_an_empty_region(project: Path) -> None:
    run_ = json.loads(run("check", "--format", "sarif", "replies/nope.txt").stdout)["runs"][0]
    inserts = [
        rep
        for r in run_["results"]
        for fix in r.get("fixes", [])
        for rep in fix["artifactChanges"][0]["replacements"]
        if rep["deletedRegion"]["startColumn"] == rep["deletedRegion"]["endColumn"]
        and rep["deletedRegion"]["startLine"] == rep["deletedRegion"]["endLine"]
    ]
    assert inserts and all(rep["insertedContent"]["text"] for rep in inserts)


def test_sarif_fingerprints_are_stable_when_lines_move(project: Path) -> None:
    def prints(path: str) -> list[str]:
        run_ = json.loads(run("check", "--format", "sarif", path).stdout)["runs"][0]
        return [r["partialFingerprints"]["replylintFinding/v1"] for r in run_["results"]]

    first = prints("replies/policy.txt")
    assert first == prints("replies/policy.txt") and len(set(first)) == len(first)
    write(project / "replies" / "policy.txt", "\n\n" + POLICY)
    assert prints("replies/policy.txt") == first


def test_sarif_uri_is_percent_encoded(project: Path) -> None:
    write(project / "my replies" / "a#1.txt", NOPE)
    run_ = json.loads(run("check", "--format", "sarif", "my replies/a#1.txt").stdout)["runs"][0]
    loc = run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "my%20replies/a%231.txt", "uriBaseId": "%SRCROOT%"}


# --------------------------------------------------------------------------------------------
# GitHub annotations
# --------------------------------------------------------------------------------------------


def test_escaping_follows_actions_toolkit() -> None:
    assert escape_data("50% off: a, b\r\nc") == "50%25 off: a, b%0D%0Ac"
    assert escape_property("50% off: a, b\r\nc") == "50%25 off%3A a%2C b%0D%0Ac"


def _finding(message: str, suggestions: list[Suggestion] | None = None) -> Finding:
    return Finding(
        rule="bare-policy",
        severity=Severity.WARNING,
        category=Category.REFUSAL,
        message=message,
        line=3,
        column=5,
        end_line=3,
        end_column=20,
        excerpt="it's our policy",
        suggestions=suggestions or [],
        start=0,
        end=15,
    )


def test_github_annotation_escapes_message_and_properties() -> None:
    suggestion = Suggestion(
        replacement="To keep things fair: 100%, always",
        line=3,
        column=5,
        end_line=3,
        end_column=20,
        description="Lead with the benefit",
        applicability=Applicability.UNSAFE,
        start=0,
        end=15,
    )
    message = "Policy at 100%: no refund, sorry\nsecond line"
    report = Report.build(
        [FileReport(path="team:a,b/reply.txt", findings=[_finding(message, [suggestion])])]
    )
    out = format_github(report)
    assert out == (
        "::warning file=team%3Aa%2Cb/reply.txt,line=3,col=5,endLine=3,endColumn=20,"
        "title=replylint (bare-policy)::"
        "Policy at 100%25: no refund, sorry%0Asecond line"
        '%0A  suggestion: Lead with the benefit: replace with "To keep things fair: 100%25, '
        'always" (review before sending)\n'
    )
    assert out.count("\n") == 1  # one annotation, one line


def test_github_format_end_to_end(project: Path) -> None:
    result = run("check", "--format", "github", "replies", "SAVED_REPLIES.md")
    lines = result.stdout.splitlines()
    data = _json("replies", "SAVED_REPLIES.md")
    count = sum(len(f["findings"]) for f in data["files"])
    errors = [line for line in lines if line.startswith("::error ")]
    annotations = [line for line in lines if not line.startswith("::error ")]
    assert len(annotations) == count
    assert len(errors) == 1 and "file=replies/binary.txt" in errors[0]
    commands = {"info": "notice", "warning": "warning", "error": "error"}
    expected = [
        (commands[f["severity"]], Path(file["path"]).as_posix(), f)
        for file in data["files"]
        for f in file["findings"]
    ]
    for line, (command, path, f) in zip(annotations, expected, strict=True):
        assert line.startswith(
            f"::{command} file={path},line={f['line']},col={f['column']},"
            f"endLine={f['end_line']},endColumn={f['end_column']},"
            f"title=replylint ({f['rule']})::"
        ), line
        if f["draft"]:
            assert f'(in "{f["draft"]}")' in line


# --------------------------------------------------------------------------------------------
# JUnit
# --------------------------------------------------------------------------------------------


def test_junit_is_well_formed_and_counts(project: Path) -> None:
    result = run("check", "--format", "junit", "replies", "SAVED_REPLIES.md")
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    data = _json("replies", "SAVED_REPLIES.md")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f["path"] for f in data["files"]]
    for suite, file in zip(suites, data["files"], strict=True):
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        failing = [c for c in cases if c.find("failure") is not None]
        assert suite.get("failures") == str(len(failing))
        failures = [x for c in cases for x in c.findall("failure")]
        # info findings are below fail-on (warning): listed in <system-out>, not failures
        failed = [f for f in file["findings"] if f["severity"] != "info"]
        assert [x.get("type") for x in failures] == [f["rule"] for f in failed]
        output = "".join(x.text or "" for c in cases for x in c.findall("system-out"))
        for f in file["findings"]:
            if f["severity"] == "info":
                assert f"{f['line']}:{f['column']}: {f['rule']} info" in output
        if file["error"]:
            assert suite.get("errors") == "1"
            assert cases[0].find("error") is not None
    assert root.get("tests") == str(sum(int(s.get("tests") or 0) for s in suites))
    assert root.get("failures") == str(sum(int(s.get("failures") or 0) for s in suites))
    # the collection: one test case per flagged draft, named by its title, plus the clean ones
    saved = next(s for s in suites if s.get("name") == "SAVED_REPLIES.md")
    names = [c.get("name") for c in saved.findall("testcase")]
    assert names == ["Refund", "SAVED_REPLIES.md (2 clean drafts)"]
    clean = next(s for s in suites if s.get("name") == os.path.join("replies", "clean.txt"))
    assert [c.find("failure") for c in clean.findall("testcase")] == [None]


def test_junit_fail_on_decides_what_is_a_failure(project: Path) -> None:
    """A finding that does not fail the run does not fail its test case (--fail-on or the
    configuration's fail-on)."""
    paths = ("replies", "SAVED_REPLIES.md")
    severities = [f["severity"] for file in _json(*paths)["files"] for f in file["findings"]]
    assert "info" in severities and "warning" in severities

    def failures(*args: str) -> int:
        root = ET.fromstring(run("check", "--format", "junit", *args, *paths).stdout.encode())
        return len(root.findall("testsuite/testcase/failure"))

    assert failures("--fail-on", "info") == len(severities)
    assert failures() == len([s for s in severities if s != "info"])
    assert failures("--fail-on", "error") == len([s for s in severities if s == "error"])
    (project / ".replylint.toml").write_text('fail-on = "info"\n', encoding="utf-8")
    assert failures() == len(severities)


def test_junit_escapes_markup_and_control_characters() -> None:
    report = Report.build(
        [FileReport(path='a&b<"c">.txt', findings=[_finding('Say "no" <gently> & \x0b kindly')])]
    )
    root = ET.fromstring(FORMATTERS["junit"](report).encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'bare-policy: Say "no" <gently> & \ufffd kindly'
    assert root.find("testsuite").get("name") == 'a&b<"c">.txt'  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# --statistics and --quiet
# --------------------------------------------------------------------------------------------


def test_statistics_text_and_json(project: Path) -> None:
    data = _json("replies", "SAVED_REPLIES.md")
    counts: dict[str, int] = {}
    for file in data["files"]:
        for f in file["findings"]:
            counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    result = run("check", "--statistics", "--format", "json", "replies", "SAVED_REPLIES.md")
    every = json.loads(result.stdout)
    rows = [r for r in every if "rule" in r]  # the rule rows, then the empathy moves'
    assert every[: len(rows)] == rows and all("move" in r for r in every[len(rows) :])
    assert {r["rule"]: r["count"] for r in rows} == counts
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    book = load_rulebook()
    for r in rows:
        if r["rule"] in book.rules:
            assert r["summary"] == book.rules[r["rule"]].summary
            assert r["severity"] == book.rules[r["rule"]].severity.value
    assert result.exit_code == 2  # the binary file
    text = run("check", "--statistics", "replies", "SAVED_REPLIES.md")
    lines = text.stdout.split("\n\n")[0].splitlines()
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows, strict=True):
        count, rest = line.split("\t")
        assert int(count) == row["count"]
        assert rest.split()[:2] == [row["rule"], row["severity"]]
        assert rest.endswith(row["summary"])
    assert "could not be linted" not in text.stdout and "binary.txt" in text.stderr


def test_statistics_shows_severity_overrides(project: Path) -> None:
    write(project / ".replylint.toml", 'severity = { bare-policy = "error" }\n')
    rows = json.loads(run("check", "--statistics", "--format", "json", "replies/policy.txt").stdout)
    assert {"rule": "bare-policy", "severity": "error", "count": 1}.items() <= rows[0].items()


def test_statistics_only_with_text_or_json(project: Path) -> None:
    result = run("check", "--statistics", "--format", "sarif", "replies/nope.txt")
    assert result.exit_code == 2
    assert "--statistics" in result.stderr and result.stdout == ""


def test_statistics_when_clean_prints_only_the_moves(project: Path) -> None:
    result = run("check", "--statistics", "replies/clean.txt")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines and all(" % of drafts " in line and line.endswith(" of 1)") for line in lines)


def test_quiet(project: Path) -> None:
    full = run("check", "replies/nope.txt")
    quiet = run("check", "--quiet", "replies/nope.txt")
    assert quiet.exit_code == full.exit_code == 1
    assert quiet.stdout.splitlines() == [full.stdout.splitlines()[-1]]
    assert quiet.stdout.startswith("Found ")
    clean = run("check", "-q", "replies/clean.txt")
    assert clean.exit_code == 0 and clean.stdout == ""
    broken = run("check", "-q", "replies/clean.txt", "replies/binary.txt")
    assert broken.exit_code == 2 and broken.stdout == ""
    assert "replies/binary.txt: binary file" in broken.stderr
    # machine formats are unchanged by --quiet
    assert run("check", "-q", "--format", "json", "replies/nope.txt").stdout == (
        run("check", "--format", "json", "replies/nope.txt").stdout
    )


# --------------------------------------------------------------------------------------------
# Progress bar: on stderr, only on a terminal, only for many files
# --------------------------------------------------------------------------------------------


def _many(tmp_path: Path, n: int) -> Path:
    for i in range(n):
        write(tmp_path / "many" / f"reply-{i:03}.txt", NOPE if i % 2 else CLEAN)
    return tmp_path / "many"


def _run_with_tty_stderr(args: list[str]) -> tuple[int, str, str]:
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    proc = subprocess.run(
        [sys.executable, "-m", "replylint.cli", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
        timeout=300,
        check=False,
    )
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, proc.stdout.decode(), b"".join(chunks).decode(errors="replace")


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    folder = _many(tmp_path, 40)
    code, stdout, stderr = _run_with_tty_stderr(["check", "--quiet", str(folder)])
    assert code == 1
    assert "Linting" in stderr and "100%" in stderr
    assert "Linting" not in stdout and stdout.startswith("Found ")


def test_no_progress_bar_for_few_files_on_a_terminal(tmp_path: Path) -> None:
    folder = _many(tmp_path, 3)
    code, _, stderr = _run_with_tty_stderr(["check", "--quiet", str(folder)])
    assert code == 1 and "Linting" not in stderr


def test_no_progress_bar_off_a_terminal(tmp_path: Path) -> None:
    folder = _many(tmp_path, 40)
    proc = subprocess.run(
        [sys.executable, "-m", "replylint.cli", "check", "--quiet", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr == ""
    result = run("check", "--quiet", str(folder))  # CliRunner: not a terminal either
    assert result.stderr == ""
