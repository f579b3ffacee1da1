"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines …).

One ``<testsuite>`` per file; one ``<testcase>`` per draft with findings (named by the draft's
title in a collection, by the file otherwise), plus one passing test case for the file's clean
drafts; one ``<failure>`` per finding (its ``type`` is the rule id). A file that cannot be read
is a test case with an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ..models import FileReport, Finding, Report, Rule
from .text import describe_suggestion

# characters XML 1.0 does not allow, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _failure(case: ET.Element, path: str, f: Finding) -> None:
    el = ET.SubElement(case, "failure", message=_x(f"{f.rule}: {f.message}"), type=_x(f.rule))
    body = [
        f"{path}:{f.line}:{f.column}: {f.rule} {f.severity.value} {f.message}",
        f"  excerpt: {f.excerpt}",
        *(f"  suggestion: {describe_suggestion(s)}" for s in f.suggestions),
    ]
    el.text = _x("\n".join(body))


def _suite(root: ET.Element, file: FileReport) -> tuple[int, int, int]:
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
        for draft, findings in by_draft.items():
            name = path if draft is None else _x(draft)
            case = ET.SubElement(suite, "testcase", name=name, classname=path, file=path)
            for f in findings:
                _failure(case, file.path, f)
        clean = file.drafts - len(by_draft)
        if clean > 0 or not by_draft:
            name = path if not by_draft else f"{path} ({clean} clean draft{'s' * (clean != 1)})"
            ET.SubElement(suite, "testcase", name=name, classname=path, file=path)
        tests, failures, errors = len(by_draft) + (clean > 0 or not by_draft), len(by_draft), 0
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    return tests, failures, errors


def format_junit(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    root = ET.Element("testsuites", name="replylint")
    totals = [0, 0, 0]
    for file in report.files:
        for i, n in enumerate(_suite(root, file)):
            totals[i] += n
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"
