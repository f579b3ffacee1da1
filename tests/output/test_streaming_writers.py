"""The streaming writers (output/*.py): byte for byte what the whole-report formatters wrote.

The expected strings come from reference copies of the pre-streaming formatters below (JSON
straight from ``json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False)``),
which build the whole output from the whole report. The writers get the same files one call at
a time, a file sometimes split into chunks (consecutive calls with the same path, each with a
``LineIndex`` of its lines), and must write the same bytes.
"""

from __future__ import annotations

import io
import json
import re
import tracemalloc
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import click
import jsonschema
import pytest
from click.testing import CliRunner

from replylint.__about__ import __version__
from replylint.cli import main
from replylint.models import (
    Applicability,
    Category,
    FileReport,
    Finding,
    Report,
    Rule,
    Severity,
    Suggestion,
)
from replylint.offsets import LineIndex
from replylint.output import FORMATTERS, WRITERS, base
from replylint.output import json as json_output
from replylint.output.github import COMMANDS, escape_data, escape_property
from replylint.output.junit import format_junit
from replylint.output.paths import relative_posix
from replylint.output.sarif import (
    FINGERPRINT,
    LEVELS,
    SCHEMA_URI,
    SRCROOT,
    SarifWriter,
    _fingerprint,
    _fix,
    _region,
    _root_uri,
    artifact_location,
    rule_descriptor,
)
from replylint.output.statistics import StatisticsWriter, format_statistics, statistics
from replylint.output.text import TextWriter, describe_suggestion, summary_lines
from replylint.rulebook import load_rulebook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SARIF_SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
RULES = load_rulebook().rules
FORMATS = ["text", "json", "sarif", "github", "junit"]

# --------------------------------------------------------------------------------------------
# Reference: the formatters as they were before they streamed (whole report in, string out)
# --------------------------------------------------------------------------------------------


def _ref_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _ref_finding(path: str, f: Finding, lines: list[str] | None, color: bool) -> list[str]:
    def st(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if color else text

    colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}[f.severity]
    title = f' in "{f.draft}"' if f.draft else ""
    out = [
        f"{st(f'{path}:{f.line}:{f.column}:', bold=True)} {st(f.rule, fg=colour, bold=True)} "
        f"{f.severity.value} {f.message}{title}"
    ]
    if lines is not None and 1 <= f.line <= len(lines):
        raw = lines[f.line - 1]
        start = f.column - 1
        end = f.end_column - 1 if f.end_line == f.line else len(raw)
        lead = _ref_width(raw[:start].replace("\t", "    "))
        span = max(1, _ref_width(raw[start:end].replace("\t", "    ")))
        gutter = " " * len(str(f.line))
        out.append(f" {gutter} |")
        out.append(f" {f.line} | {raw.replace(chr(9), '    ')}")
        out.append(f" {gutter} | {' ' * lead}{st('^' * span, fg=colour, bold=True)}")
    for s in f.suggestions:
        out.append(f"   = {st('suggestion', bold=True)}: {describe_suggestion(s)}")
    return out


def ref_text(report: Report, *, color: bool = False, sources: dict[str, str] | None = None) -> str:
    out: list[str] = []
    for file in report.files:
        if file.error:
            continue
        text = (sources or {}).get(file.path)
        lines = re.split(r"\r\n|\r|\n", text) if text is not None else None
        for f in file.findings:
            out.extend(_ref_finding(file.path, f, lines, color))
            out.append("")
    return "\n".join([*out, *summary_lines(report)]) + "\n"


def ref_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def ref_github(report: Report) -> str:
    out: list[str] = []
    for file in report.files:
        path = escape_property(relative_posix(file.path))
        if file.error:
            message = escape_data(f"{file.path}: {file.error}")
            out.append(f"::error file={path},title={escape_property('replylint')}::{message}")
            continue
        for f in file.findings:
            props = (
                f"file={path},line={f.line},col={f.column},"
                f"endLine={f.end_line},endColumn={f.end_column},"
                f"title={escape_property(f'replylint ({f.rule})')}"
            )
            body = f.message + (f' (in "{f.draft}")' if f.draft else "")
            for s in f.suggestions:
                body += f"\n  suggestion: {describe_suggestion(s)}"
            out.append(f"::{COMMANDS[f.severity]} {props}::{escape_data(body)}")
    return "".join(line + "\n" for line in out)


def ref_sarif(report: Report, rules: Mapping[str, Rule]) -> str:
    descriptors = [rule_descriptor(rules[r]) for r in sorted(rules)]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in report.files:
        location = artifact_location(file.path)
        if file.error:
            physical: dict[str, Any] = {"artifactLocation": location}
            at = re.match(r"line (\d+), column (\d+): ", file.error)
            if at:
                physical["region"] = {"startLine": int(at[1]), "startColumn": int(at[2])}
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{file.path}: {file.error}"},
                    "locations": [{"physicalLocation": physical}],
                    "descriptor": {"id": "replylint/error"},
                }
            )
            continue
        seen: Counter[tuple[str, str, str]] = Counter()
        for f in file.findings:
            occurrence = seen[(f.rule, f.draft or "", f.excerpt)]
            seen[(f.rule, f.draft or "", f.excerpt)] += 1
            message = f.message if not f.draft else f'{f.message} (in "{f.draft}")'
            region = {
                **_region(f.line, f.column, f.end_line, f.end_column),
                "snippet": {"text": f.excerpt},
            }
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "level": LEVELS[f.severity],
                "message": {"text": message},
                "locations": [
                    {"physicalLocation": {"artifactLocation": location, "region": region}}
                ],
                "partialFingerprints": {FINGERPRINT: _fingerprint(file.path, f, occurrence)},
                "properties": {"category": f.category.value},
            }
            if f.rule in index:
                result["ruleIndex"] = index[f.rule]
            if f.draft:
                result["properties"]["draft"] = f.draft
            if f.suggestions:
                result["fixes"] = [_fix(location, s) for s in f.suggestions]
            results.append(result)
    driver = {
        "name": "replylint",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": descriptors,
    }
    invocation = {
        "executionSuccessful": not notifications,
        "toolExecutionNotifications": notifications,
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri()}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def ref_junit(report: Report, fail_on: Severity = Severity.WARNING) -> str:
    """Findings below ``fail_on`` are no failures: they are listed in the test case's
    ``<system-out>``, after its failures."""
    root = ET.Element("testsuites", name="replylint")
    totals = [0, 0, 0]
    for file in report.files:
        suite = ET.SubElement(root, "testsuite", name=_x(file.path))
        path = _x(file.path)
        if file.error:
            case = ET.SubElement(suite, "testcase", name=path, classname=path, file=path)
            err = ET.SubElement(case, "error", message=_x(file.error), type="unreadable-file")
            err.text = _x(f"{file.path}: {file.error}")
            tests, failures, errors = 1, 0, 1
        else:
            by_draft: dict[str | None, list[Finding]] = {}
            for f in file.findings:
                by_draft.setdefault(f.draft, []).append(f)
            failing = 0
            for draft, findings in by_draft.items():
                name = path if draft is None else _x(draft)
                case = ET.SubElement(suite, "testcase", name=name, classname=path, file=path)
                notes: list[str] = []
                for f in findings:
                    body = [
                        f"{file.path}:{f.line}:{f.column}: {f.rule} {f.severity.value} {f.message}",
                        f"  excerpt: {f.excerpt}",
                        *(f"  suggestion: {describe_suggestion(s)}" for s in f.suggestions),
                    ]
                    if f.severity.rank < fail_on.rank:
                        notes.append(_x("\n".join(body)) + "\n")
                        continue
                    el = ET.SubElement(
                        case, "failure", message=_x(f"{f.rule}: {f.message}"), type=_x(f.rule)
                    )
                    el.text = _x("\n".join(body))
                failing += len(notes) < len(findings)
                if notes:
                    out = ET.SubElement(case, "system-out")
                    out.text = f"Below fail-on ({fail_on.value}), not failures:\n" + "".join(notes)
            clean = file.draft_count - len(by_draft)
            if clean > 0 or not by_draft:
                name = path if not by_draft else f"{path} ({clean} clean draft{'s' * (clean != 1)})"
                ET.SubElement(suite, "testcase", name=name, classname=path, file=path)
            tests, failures, errors = len(by_draft) + (clean > 0 or not by_draft), failing, 0
        for key, n in zip(("tests", "failures", "errors"), (tests, failures, errors), strict=True):
            suite.set(key, str(n))
        suite.set("skipped", "0")
        for i, n in enumerate((tests, failures, errors)):
            totals[i] += n
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def ref_statistics(report: Report, as_json: bool) -> str:
    counts = Counter((f.rule, f.severity) for file in report.files for f in file.findings)
    rows: list[dict[str, Any]] = []
    for (rule_id, sev), count in sorted(
        counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1].rank)
    ):
        rule = RULES.get(rule_id)
        summary = rule.summary if rule else ""
        rows.append({"count": count, "rule": rule_id, "severity": sev.value, "summary": summary})
    if as_json:
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return ""
    w = max(len(str(r["count"])) for r in rows)
    rw = max(len(r["rule"]) for r in rows)
    sw = max(len(r["severity"]) for r in rows)
    return "".join(
        f"{r['count']:>{w}}\t{r['rule']:<{rw}}  {r['severity']:<{sw}}  {r['summary']}\n"
        for r in rows
    )


def reference(fmt: str, report: Report, sources: dict[str, str], color: bool = False) -> str:
    if fmt == "text":
        return ref_text(report, color=color, sources=sources)
    if fmt == "json":
        return ref_json(report)
    if fmt == "sarif":
        return ref_sarif(report, RULES)
    if fmt == "github":
        return ref_github(report)
    return ref_junit(report)


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def _suggestion(line: int, column: int, end_column: int, replacement: str, **kw: Any) -> Suggestion:
    start = kw.pop("start", 0)
    return Suggestion(
        replacement=replacement,
        line=line,
        column=column,
        end_line=kw.pop("end_line", line),
        end_column=end_column,
        description=kw.pop("description", "Lead with what you can do"),
        applicability=kw.pop("applicability", Applicability.UNSAFE),
        start=start,
        end=kw.pop("end", start + end_column - column),
    )


def _f(
    rule: str,
    line: int,
    column: int,
    end_column: int,
    excerpt: str,
    *,
    draft: str | None = None,
    suggestions: list[Suggestion] | None = None,
    **kw: Any,
) -> Finding:
    book = RULES.get(rule)
    return Finding(
        rule=rule,
        severity=kw.pop("severity", book.severity if book else Severity.INFO),
        category=kw.pop("category", book.category if book else Category.SUPPRESSION),
        message=kw.pop("message", book.message if book else "This comment suppresses nothing."),
        line=line,
        column=column,
        end_line=kw.pop("end_line", line),
        end_column=end_column,
        excerpt=excerpt,
        draft=draft,
        suggestions=suggestions or [],
        start=kw.pop("start", 0),
        end=kw.pop("end", len(excerpt)),
    )


POLICY = "Unfortunately, we can't refund opened items. It's our policy.\n"
CJK = "お問い合わせありがとうございます。\n\t返金は できません。It's our policy 🙂\r\n最後\n"
COLLECTION = (
    "# Saved replies\n\n## Refund\n\nUnfortunately, we can't refund opened items.\n"
    "<!-- replylint: disable=terse-refusal -->\n\n## Nope\n\nNope.\n\n## Refund\n\n"
    "It's our policy.\n"
)


def _rich() -> tuple[list[FileReport], dict[str, str]]:
    """Files with findings, suggestions of every kind, titled drafts (one title twice, findings
    of a title not consecutive), an unused suppression, CJK and emoji, tabs, CRLF, markup and
    control characters, a clean file, an unreadable one."""
    files = [
        FileReport(
            path="replies/policy.txt",
            draft_count=1,
            findings=[
                _f(
                    "bare-policy",
                    1,
                    46,
                    61,
                    "It's our policy",
                    suggestions=[
                        _suggestion(1, 46, 61, "To keep things fair, we", start=45),
                        _suggestion(1, 1, 1, "I'm sorry. ", start=0, end=0),
                        _suggestion(1, 1, 16, "", applicability=Applicability.SAFE),
                    ],
                ),
                _f("no-alternative", 1, 1, 44, "Unfortunately, we can't refund opened items"),
            ],
        ),
        FileReport(path="replies/clean.txt", draft_count=1),
        FileReport(path="replies/binary.txt", error="binary file (contains NUL bytes)"),
        FileReport(
            path="返信/日本語 & <テスト>.txt",
            draft_count=1,
            findings=[
                _f("missing-greeting", 1, 1, 18, "お問い合わせありがとうございます。"),
                _f(
                    "bare-policy",
                    2,
                    12,
                    27,
                    "It's our policy",
                    message='Say why — "policy" <alone> & \x0b explains nothing',
                    suggestions=[
                        _suggestion(2, 12, 27, "公平のため 🙂", applicability="display-only")
                    ],
                ),
                _f(
                    "bare-policy",
                    2,
                    12,
                    3,
                    "It's our policy 🙂\n最後",
                    end_line=3,
                    severity=Severity.ERROR,
                ),
            ],
        ),
        FileReport(
            path="SAVED_REPLIES.md",
            draft_count=3,
            findings=[
                _f("no-alternative", 5, 1, 45, "Unfortunately, we can't refund", draft="Refund"),
                _f("unused-suppression", 6, 1, 42, "<!-- replylint: disable=terse-refusal -->"),
                _f("terse-refusal", 10, 1, 6, "Nope.", draft="Nope"),
                _f("no-acknowledgement", 10, 1, 6, "Nope.", draft="Nope"),
                _f("bare-policy", 14, 6, 16, "our policy", draft="Refund"),
                _f("bare-policy", 14, 6, 16, "our policy", draft="Refund"),  # occurrence 1
            ],
        ),
        FileReport(path="replies/missing.txt", error="No such file or directory"),
    ]
    sources = {
        "replies/policy.txt": POLICY,
        "replies/clean.txt": "Thanks for your order!\n",
        "返信/日本語 & <テスト>.txt": CJK,
        "SAVED_REPLIES.md": COLLECTION,
    }
    return files, sources


def _stream(
    writer: type[Any],
    calls: Sequence[tuple[FileReport, LineIndex | None]],
    **options: Any,
) -> str:
    out = io.StringIO()
    w = writer(out, **options)
    for report, lines in calls:
        w.file(report, lines)
    w.close()
    return out.getvalue()


def _whole(files: list[FileReport], sources: dict[str, str]) -> list[tuple[FileReport, Any]]:
    return [(f, LineIndex(sources[f.path]) if f.path in sources else None) for f in files]


def _split(file: FileReport, text: str, line: int) -> list[tuple[FileReport, LineIndex]]:
    """``file`` as two chunks: lines before ``line`` and the rest (drafts split too)."""
    index = LineIndex(text)
    cut = index.starts[line - 1]
    first = [f for f in file.findings if f.line < line]
    rest = [f for f in file.findings if f.line >= line]
    head = FileReport(path=file.path, findings=first, draft_count=file.draft_count // 2)
    tail = FileReport(
        path=file.path, findings=rest, draft_count=file.draft_count - file.draft_count // 2
    )
    return [(head, LineIndex(text[:cut])), (tail, LineIndex(text[cut:], first_line=line))]


def _options(fmt: str, color: bool = False) -> dict[str, Any]:
    if fmt == "sarif":
        return {"rules": RULES}
    return {"color": color} if fmt == "text" else {}


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SARIF and annotations show paths relative to the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------------------------
# Same bytes as the whole-report formatters
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_writer_matches_the_whole_report_formatter(fmt: str, cwd: Path) -> None:
    files, sources = _rich()
    report = Report.build(files)
    expected = reference(fmt, report, sources)
    assert _stream(WRITERS[fmt], _whole(files, sources), **_options(fmt)) == expected
    # and the format_* functions, now thin wrappers over the writers
    assert FORMATTERS[fmt](report, sources=sources, rules=RULES) == expected


def test_text_writer_in_colour(cwd: Path) -> None:
    files, sources = _rich()
    expected = ref_text(Report.build(files), color=True, sources=sources)
    assert "\x1b[" in expected
    assert _stream(TextWriter, _whole(files, sources), color=True) == expected


def test_text_writer_without_lines_shows_no_source(cwd: Path) -> None:
    files, _ = _rich()
    expected = ref_text(Report.build(files))
    assert " | " not in expected
    assert _stream(TextWriter, [(f, None) for f in files]) == expected


@pytest.mark.parametrize("as_json", [False, True])
def test_statistics_writer(as_json: bool) -> None:
    files, sources = _rich()
    report = Report.build(files)
    expected = ref_statistics(report, as_json)
    assert "unused-suppression" in expected
    got = _stream(StatisticsWriter, _whole(files, sources), rules=RULES, as_json=as_json)
    assert got == expected
    assert format_statistics(report, RULES, as_json=as_json) == expected
    assert [r["count"] for r in statistics(report, RULES)][:1] == [4]


def test_quiet_text_writer_is_the_summary_only() -> None:
    files, sources = _rich()
    report = Report.build(files)
    assert report.summary.findings
    expected = "\n".join(summary_lines(report)) + "\n"
    assert expected.startswith("Found 11 findings") and "; 2 files could not be linted" in expected
    assert _stream(TextWriter, _whole(files, sources), quiet=True) == expected
    # nothing at all without a finding, even with an unreadable file
    quiet = [(FileReport(path="a.txt", draft_count=1), None), (files[2], None)]
    assert _stream(TextWriter, quiet, quiet=True) == ""


def test_real_findings_match(cwd: Path, linter: Any) -> None:
    """Findings as the linter makes them, through every writer."""
    texts = {
        "policy.txt": POLICY,
        "emoji.txt": "Hi Sam 🙂,\n\n🙂🙂 Unfortunately, we can't refund opened items. It's our "
        "policy.\n",
        "nope.txt": "Nope.\n",
        "week.txt": "I've had a terrible week too, honestly. Your refund is done.\n",
    }
    files = []
    for path, text in texts.items():
        found = linter.check(text).findings
        files.append(FileReport(path=path, findings=found, draft_count=1))
    assert sum(len(f.findings) for f in files) >= 5
    assert any(f.suggestions for file in files for f in file.findings)
    report = Report.build(files)
    for fmt in FORMATS:
        got = _stream(WRITERS[fmt], _whole(files, texts), **_options(fmt))
        assert got == reference(fmt, report, texts), fmt


# --------------------------------------------------------------------------------------------
# A file in chunks is one file
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [*FORMATS, "statistics"])
def test_a_file_in_two_chunks_renders_as_the_whole_file(fmt: str, cwd: Path) -> None:
    files, sources = _rich()
    collection = next(f for f in files if f.path == "SAVED_REPLIES.md")
    cjk = next(f for f in files if f.path.startswith("返信"))
    calls: list[tuple[FileReport, LineIndex | None]] = []
    for f in files:
        if f is collection:
            calls += _split(f, COLLECTION, 10)  # the second chunk starts at line 10
        elif f is cjk:
            calls += _split(f, CJK, 2)  # CRLF, tabs and a span across the cut
        else:
            calls.append((f, LineIndex(sources[f.path]) if f.path in sources else None))
    assert [c[0].path for c in calls].count("SAVED_REPLIES.md") == 2
    second = calls[-2][1]
    assert second is not None and second.first_line == 10
    if fmt == "statistics":
        whole = _stream(StatisticsWriter, _whole(files, sources), rules=RULES)
        assert _stream(StatisticsWriter, calls, rules=RULES) == whole
        return
    for color in (False, True) if fmt == "text" else (False,):
        expected = reference(fmt, Report.build(files), sources, color=color)
        assert _stream(WRITERS[fmt], calls, **_options(fmt, color)) == expected


def test_chunks_count_as_one_file_in_the_summary() -> None:
    a = FileReport(path="big.csv", draft_count=2, findings=[_f("terse-refusal", 2, 1, 6, "Nope.")])
    b = FileReport(path="big.csv", draft_count=3, findings=[_f("terse-refusal", 9, 1, 6, "Nope.")])
    text = _stream(TextWriter, [(a, None), (b, None)])
    assert text.endswith("Found 2 findings (2 warnings) in 1 of 1 file.\n")
    data = json.loads(_stream(WRITERS["json"], [(a, None), (b, None)]))
    assert data["summary"] == {"files": 1, "drafts": 5, "findings": 2}
    assert [len(f["findings"]) for f in data["files"]] == [2]
    root = ET.fromstring(_stream(WRITERS["junit"], [(a, None), (b, None)]))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    assert [c.get("name") for c in suites[0]] == ["big.csv", "big.csv (4 clean drafts)"]
    # the same path again after another file is another file
    other = FileReport(path="other.txt", draft_count=1)
    again = json.loads(_stream(WRITERS["json"], [(a, None), (other, None), (b, None)]))
    assert [f["path"] for f in again["files"]] == ["big.csv", "other.txt", "big.csv"]


def test_a_text_chunk_shows_its_own_lines() -> None:
    text = "one\ntwo\nthree Nope.\n"
    f = _f("terse-refusal", 3, 7, 12, "Nope.")
    chunk = LineIndex("three Nope.\n", first_line=3)
    out = _stream(TextWriter, [(FileReport(path="a.txt", draft_count=1, findings=[f]), chunk)])
    assert " 3 | three Nope.\n   |       ^^^^^\n" in out
    assert out == ref_text(
        Report.build([FileReport(path="a.txt", draft_count=1, findings=[f])]),
        sources={"a.txt": text},
    )


def test_an_error_after_chunks_of_a_file(cwd: Path) -> None:
    """A file whose reading fails after some chunks: its findings so far, and its error."""
    found = FileReport(
        path="big.csv", draft_count=2, findings=[_f("terse-refusal", 2, 1, 6, "Nope.")]
    )
    failed = FileReport(path="big.csv", error="row 9: unterminated quote")
    calls: list[tuple[FileReport, LineIndex | None]] = [(found, None), (failed, None)]
    data = json.loads(_stream(WRITERS["json"], calls))
    assert data["files"] == [
        {
            "path": "big.csv",
            "error": "row 9: unterminated quote",
            "findings": [found.findings[0].model_dump(mode="json")],
            "drafts": [],
        }
    ]
    assert data["summary"] == {"files": 1, "drafts": 2, "findings": 1}
    text = _stream(TextWriter, calls)
    assert text.startswith("big.csv:2:1: terse-refusal warning")
    assert text.endswith("in 1 of 1 file; 1 file could not be linted (see above).\n")
    sarif = json.loads(_stream(SarifWriter, calls, rules=RULES))
    run = sarif["runs"][0]
    assert len(run["results"]) == 1
    assert run["invocations"][0]["executionSuccessful"] is False
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 1
    github = _stream(WRITERS["github"], calls).splitlines()
    assert [line.split(" ")[0].split("::")[1] for line in github] == ["warning", "error"]
    root = ET.fromstring(_stream(WRITERS["junit"], calls))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    assert root.get("errors") == "1"
    cases = suite.findall("testcase")
    assert [c.find("failure") is not None for c in cases] == [True, False, False]
    assert cases[-1].find("error") is not None


# --------------------------------------------------------------------------------------------
# Errors, empty runs, unicode
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_an_unreadable_file(fmt: str, cwd: Path) -> None:
    files = [FileReport(path="bad.txt", error="binary file")]
    expected = reference(fmt, Report.build(files), {})
    assert ("could not be linted" if fmt == "text" else "bad.txt") in expected
    assert _stream(WRITERS[fmt], [(files[0], None)], **_options(fmt)) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_run(fmt: str, cwd: Path) -> None:
    expected = reference(fmt, Report.build([]), {})
    assert _stream(WRITERS[fmt], [], **_options(fmt)) == expected
    if fmt == "json":
        assert expected == (
            '{\n  "version": "1.1",\n  "files": [],\n  "summary": {\n    "files": 0,\n'
            '    "drafts": 0,\n    "findings": 0\n  }\n}\n'
        )
    if fmt == "junit":
        assert expected.endswith(
            '<testsuites name="replylint" tests="0" failures="0" errors="0" />\n'
        )
    if fmt == "text":
        assert expected == "No files to lint.\n"
    if fmt == "github":
        assert expected == ""
    assert _stream(StatisticsWriter, []) == ""
    assert _stream(StatisticsWriter, [], as_json=True) == "[]\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_files_without_findings(fmt: str, cwd: Path) -> None:
    files = [
        FileReport(path="a.txt", draft_count=1),
        FileReport(path="b.txt", draft_count=2),
        FileReport(path="empty.txt", draft_count=0),  # no draft at all: still a (passing) case
    ]
    sources = {"a.txt": "Thanks!\n", "b.txt": "Great.\n", "empty.txt": ""}
    expected = reference(fmt, Report.build(files), sources)
    assert _stream(WRITERS[fmt], _whole(files, sources), **_options(fmt)) == expected
    if fmt == "json":
        assert '"findings": []' in expected


def test_unicode_and_cjk_stay_unescaped_and_carets_line_up(cwd: Path) -> None:
    files, sources = _rich()
    cjk = [f for f in files if f.path.startswith("返信")]
    out = _stream(WRITERS["json"], _whole(cjk, sources))
    assert "お問い合わせありがとうございます。" in out and "公平のため 🙂" in out
    assert "\\u" not in out.replace("\\u000b", "")  # only the control character is escaped
    assert json.loads(out)["files"][0]["findings"][2]["excerpt"] == "It's our policy 🙂\n最後"
    text = _stream(TextWriter, _whole(cjk, sources))
    # a CJK character is two columns wide; a tab is four spaces
    assert " 1 | お問い合わせありがとうございます。\n   | " + "^" * 34 + "\n" in text
    assert " 2 |     返金は できません。It's our policy 🙂\n" in text
    assert "   | " + " " * 23 + "^" * 15 + "\n" in text  # the policy finding
    assert "   | " + " " * 23 + "^" * 18 + "\n" in text  # to the end of the line (🙂: 2)


# --------------------------------------------------------------------------------------------
# SARIF and JUnit stay valid
# --------------------------------------------------------------------------------------------


def _sarif_errors(log: Any) -> list[str]:
    validator = jsonschema.Draft4Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(log)]


def test_sarif_validates_against_the_schema(cwd: Path) -> None:
    files, sources = _rich()
    calls = [*_whole(files[:4], sources), *_split(files[4], COLLECTION, 10), (files[5], None)]
    log = json.loads(_stream(SarifWriter, calls, rules=RULES))
    assert not _sarif_errors(log)
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(RULES) and "unused-suppression" in ids  # a rule like any other
    assert len(run["results"]) == 11
    unused = next(r for r in run["results"] if r["ruleId"] == "unused-suppression")
    assert unused["ruleIndex"] == ids.index("unused-suppression")
    fingerprints = [r["partialFingerprints"][FINGERPRINT] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)  # the repeated finding: occurrence 1
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 2
    assert not _sarif_errors(json.loads(_stream(SarifWriter, [], rules=RULES)))


def test_sarif_without_unused_suppression_lists_the_rules_only(cwd: Path) -> None:
    files, sources = _rich()
    log = json.loads(_stream(SarifWriter, _whole(files[:2], sources)))  # the shipped book
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == sorted(RULES)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_rules_can_be_set_until_the_first_file(cwd: Path) -> None:
    one = {"bare-policy": RULES["bare-policy"]}
    w = SarifWriter(io.StringIO())
    w.rules = one
    w.file(FileReport(path="a.txt", draft_count=1))
    w.rules = RULES
    with pytest.raises(ValueError, match="rules"):
        w.file(FileReport(path="b.txt", draft_count=1))


def test_junit_parses_and_counts(cwd: Path) -> None:
    files, sources = _rich()
    out = _stream(WRITERS["junit"], _whole(files, sources))
    root = ET.fromstring(out.encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f.path for f in files]
    saved = suites[4]
    names = [c.get("name") for c in saved.findall("testcase")]
    # one case per draft title, in first-finding order (the unused comment is in no draft)
    assert names == ["Refund", "SAVED_REPLIES.md", "Nope"]
    # the unused suppression (info) is below fail-on (warning): no failure, only output
    assert [len(c.findall("failure")) for c in saved.findall("testcase")] == [3, 0, 2]
    unused = saved.findall("testcase")[1].find("system-out")
    assert unused is not None and unused.text is not None
    assert unused.text.startswith("Below fail-on (warning), not failures:\n")
    assert "SAVED_REPLIES.md:6:1: unused-suppression info" in unused.text
    assert saved.get("failures") == "2" and saved.get("tests") == "3"
    assert root.get("tests") == str(sum(int(s.get("tests") or 0) for s in suites))
    assert root.get("failures") == str(sum(int(s.get("failures") or 0) for s in suites))
    assert root.get("errors") == "2"
    cjk = suites[3].find("testcase")
    assert cjk is not None
    # failures first, then the output (the order JUnit's schema gives a test case's children)
    assert [c.tag for c in cjk] == ["failure", "failure", "system-out"]
    assert "missing-greeting info" in (cjk[2].text or "")
    assert cjk[0].get("message") == (
        'bare-policy: Say why — "policy" <alone> & \ufffd explains nothing'
    )


@pytest.mark.parametrize(
    ("fail_on", "failures"),
    [(Severity.INFO, [3, 1, 2]), (Severity.WARNING, [3, 0, 2]), (Severity.ERROR, [0, 0, 0])],
)
def test_junit_failures_are_the_findings_at_or_above_fail_on(
    fail_on: Severity, failures: list[int], cwd: Path
) -> None:
    files, sources = _rich()
    report = Report.build(files)
    out = _stream(WRITERS["junit"], _whole(files, sources), fail_on=fail_on)
    assert out == ref_junit(report, fail_on)
    assert format_junit(report, fail_on=fail_on) == out
    saved = ET.fromstring(out.encode("utf-8")).findall("testsuite")[4]
    assert [len(c.findall("failure")) for c in saved.findall("testcase")] == failures
    assert saved.get("failures") == str(sum(n > 0 for n in failures))
    # every finding is in the report, as a failure or as output
    text = out.count("SAVED_REPLIES.md:")
    assert text == len(files[4].findings)
    # each file may have its own fail-on (its own configuration)
    by_file = _stream(
        WRITERS["junit"],
        _whole(files, sources),
        fail_on=lambda path: fail_on if path == "SAVED_REPLIES.md" else Severity.INFO,
    )
    suites = ET.fromstring(by_file.encode("utf-8")).findall("testsuite")
    assert [len(c.findall("failure")) for c in suites[4].findall("testcase")] == failures
    assert suites[3].get("failures") == "1" and len(suites[3].findall("testcase/failure")) == 3


# --------------------------------------------------------------------------------------------
# Streaming: what is written when, spools on disk, memory
# --------------------------------------------------------------------------------------------


def test_output_comes_as_files_are_done(cwd: Path) -> None:
    files, _ = _rich()
    for fmt in ("text", "github", "json"):
        out = io.StringIO()
        w = WRITERS[fmt](out)
        w.file(files[0], LineIndex(POLICY))
        w.file(files[1])  # a new path: the first file is complete
        assert "replies/policy.txt" in out.getvalue(), fmt
        w.close()
        w.close()  # closing again does nothing
        with pytest.raises(ValueError, match="closed"):
            w.file(files[1])


@pytest.mark.parametrize("fmt", FORMATS)
def test_spools_on_disk_write_the_same(
    fmt: str, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, sources = _rich()
    calls = [*_whole(files[:4], sources), *_split(files[4], COLLECTION, 10), (files[5], None)]
    expected = reference(fmt, Report.build(files), sources)
    for limit in (0, 5):  # every write moves to a temporary file; blocks split characters
        monkeypatch.setattr(base, "SPOOL_LIMIT", limit)
        assert _stream(WRITERS[fmt], calls, **_options(fmt)) == expected


def test_spool() -> None:
    spool = base.Spool(limit=8)
    assert not spool
    spool.write("日本語\ud800")  # a lone surrogate survives the file
    assert not spool.on_disk
    spool.write("0123456789")
    assert spool.on_disk and spool
    out = io.StringIO()
    spool.copy_to(out)
    spool.write("!")
    spool.copy_to(out)
    assert out.getvalue() == "日本語\ud8000123456789" * 2 + "!"
    spool.clear()
    assert not spool and not spool.on_disk
    spool.close()


def test_json_findings_without_pydantic_equal_model_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    files, _ = _rich()
    findings = [f for file in files for f in file.findings]
    assert json_output.FAST  # the models have the fields the writer formats
    for f in findings:
        dumped = json.dumps(f.model_dump(mode="json"), indent=2, ensure_ascii=False)
        assert json_output.dump_finding(f) == re.sub("^", " " * 8, dumped, flags=re.M)
    monkeypatch.setattr(json_output, "FAST", False)  # the fallback: pydantic's dump
    report = Report.build(files)
    assert json_output.format_json(report) == ref_json(report)


class _Sink(io.TextIOBase):
    """Counts what is written, keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def _many(n: int) -> Iterator[FileReport]:
    for i in range(n):
        yield FileReport(
            path=f"replies/{i % 100}.txt",  # a file name again: pathlib interns its parts
            draft_count=1,
            findings=[
                _f(
                    "bare-policy",
                    1,
                    46,
                    61,
                    f"It's our policy {i}",
                    suggestions=[_suggestion(1, 46, 61, "To keep things fair, we")],
                ),
                _f("no-alternative", 1, 1, 44, "Unfortunately, we can't refund opened items"),
            ],
        )


def _peak(fmt: str, n: int) -> tuple[int, int]:
    """Peak traced memory while ``n`` files go through the writer, and the output size."""
    sink = _Sink()
    out = cast(TextIO, sink)
    writer = StatisticsWriter if fmt == "statistics" else WRITERS[fmt]
    w = writer(out, rules=RULES) if fmt in ("sarif", "statistics") else writer(out)
    tracemalloc.start()
    try:
        for report in _many(n):
            w.file(report, LineIndex(POLICY))
        w.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.size


@pytest.mark.slow  # many reports, traced memory
@pytest.mark.parametrize("fmt", [*FORMATS, "statistics"])
def test_memory_stays_flat(fmt: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four times the files, the same peak: a writer keeps counts, not findings. (The best of
    two runs: a one-off resize of an interpreter table, such as interned strings, would
    otherwise land in either.)"""
    monkeypatch.setattr(base, "SPOOL_LIMIT", 1 << 16)
    small = min(_peak(fmt, 500)[0] for _ in range(2))
    runs = [_peak(fmt, 2000) for _ in range(2)]
    peak, size = min(runs)
    assert size > (100 if fmt == "statistics" else 800_000)
    assert peak < small * 1.25 + 50_000, (small, peak)
    assert peak < 1_000_000, peak  # 4,000 findings held would take several times this
    assert fmt == "statistics" or peak < size / 2, (peak, size)


def test_junit_escaping_without_elementtree_internals(
    cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer uses ElementTree's escaping functions; its fallback escapes the same."""
    from replylint.output import junit

    files, sources = _rich()
    expected = ref_junit(Report.build(files))
    monkeypatch.setattr(junit, "_escape_attrib", junit._et_attrib)
    monkeypatch.setattr(junit, "_escape_cdata", junit._et_cdata)
    assert _stream(WRITERS["junit"], _whole(files, sources)) == expected
    for text in ['a&b<"c">\r\n\tx', "日本 🙂", ""]:
        assert junit._et_attrib(text) == _stdlib_escape("_escape_attrib", text)
        assert junit._et_cdata(text) == _stdlib_escape("_escape_cdata", text)


def _stdlib_escape(name: str, text: str) -> str:
    escape = vars(ET).get(name)
    if escape is None:
        pytest.skip(f"xml.etree.ElementTree has no {name}")
    result: str = escape(text)
    return result


def test_a_long_line_is_shown_as_a_window_around_each_finding(tmp_path: Path) -> None:
    """Every finding on a 200,000-character line printed all of it (output ~ findings x line
    length); a long line is now cut to the finding's surroundings, carets still under it."""
    line = "x" * 5_000 + " Nope. It's our policy. " + "y" * 200_000
    path = tmp_path / "long.txt"
    path.write_text(f"Hi Dana,\n\n{line}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", str(path)])
    assert result.exit_code == 1, result.output
    frames = [x for x in result.output.splitlines() if x.startswith(" 3 | ")]
    carets = [x for x in result.output.splitlines() if x.lstrip(" ").startswith("| ") and "^" in x]
    assert frames and len(frames) == len(carets)
    for frame, caret in zip(frames, carets, strict=True):
        assert len(frame) < 700 and frame.endswith("…")
        under = frame[caret.index("^") : caret.rindex("^") + 1]
        assert under.strip() and set(under) <= set(line)  # the carets sit under the text
    assert any(
        "policy" in frame[caret.index("^") :] for frame, caret in zip(frames, carets, strict=True)
    )
