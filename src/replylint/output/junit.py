"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines …).

One ``<testsuite>`` per file; one ``<testcase>`` per draft with findings (named by the draft's
title in a collection, by the file otherwise), plus one passing test case for the file's clean
drafts. A finding at or above ``fail-on`` (the run's exit status) is a ``<failure>`` (its
``type`` is the rule id); one below it does not fail the run, so it does not fail its test case
either: it is listed in the test case's ``<system-out>`` (Jenkins shows it on the test's page;
GitLab shows a test's output only when it fails, so a draft with only such findings passes
quietly), never as ``<skipped>``, which would say the draft was not checked. A file that cannot
be read is a test case with an ``<error>``.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import IO, TextIO

from ..models import FileReport, Finding, Report, Rule, Severity
from ..offsets import LineIndex
from . import base
from .base import FileWriter, Spool, render
from .text import describe_suggestion

# characters XML 1.0 does not allow, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _et_attrib(value: str) -> str:
    return ET.tostring(ET.Element("a", v=value), encoding="unicode")[len('<a v="') : -len('" />')]


def _et_cdata(text: str) -> str:
    el = ET.Element("a")
    el.text = text
    return ET.tostring(el, encoding="unicode")[len("<a>") : -len("</a>")]


# ElementTree's own escaping (what ET.tostring does, without building elements); the
# round trip through ET.tostring above gives the same where these are missing
_escape_attrib: Callable[[str], str] = vars(ET).get("_escape_attrib", _et_attrib)
_escape_cdata: Callable[[str], str] = vars(ET).get("_escape_cdata", _et_cdata)


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items())


def _tag(tag: str, **attrs: str) -> str:
    """An empty element as ElementTree writes it: ``<tag a="…" />``."""
    return f"<{tag}{_attrs(attrs)} />"


def _open(tag: str, **attrs: str) -> str:
    """An element's start tag as ElementTree writes it."""
    return f"<{tag}{_attrs(attrs)}>"


def _element(tag: str, text: str, **attrs: str) -> str:
    """An element with text (and no children) as ElementTree writes it."""
    return f"<{tag}{_attrs(attrs)}>{_escape_cdata(text)}</{tag}>"


def _body(path: str, f: Finding) -> str:
    return "\n".join(
        [
            f"{path}:{f.line}:{f.column}: {f.rule} {f.severity.value} {f.message}",
            f"  excerpt: {f.excerpt}",
            *(f"  suggestion: {describe_suggestion(s)}" for s in f.suggestions),
        ]
    )


def _failure(path: str, f: Finding) -> str:
    return _element(
        "failure", _x(_body(path, f)), message=_x(f"{f.rule}: {f.message}"), type=_x(f.rule)
    )


def _note(path: str, f: Finding) -> str:
    """A finding below fail-on: a paragraph of the test case's ``<system-out>`` (escaped)."""
    return _escape_cdata(_x(_body(path, f))) + "\n"


def _system_out_start(fail_on: Severity) -> str:
    """``<system-out>`` and the line that says why its findings are not failures."""
    return "<system-out>" + _escape_cdata(f"Below fail-on ({fail_on.value}), not failures:\n")


class _Records:
    """Text appended at byte offsets and read back by span: memory, then a temporary file."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = base.SPOOL_LIMIT if limit is None else limit
        self.size = 0
        self._buf = bytearray()
        self._file: IO[bytes] | None = None

    def write(self, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self.size += len(data)
        if self._file is not None:
            self._file.write(data)
            return
        self._buf += data
        if len(self._buf) > self.limit:
            self._file = tempfile.TemporaryFile("w+b")  # noqa: SIM115 (closed by close())
            self._file.write(self._buf)
            self._buf = bytearray()

    def copy(self, start: int, end: int, out: Spool) -> None:
        """Bytes ``start:end`` (whole records) into ``out``, a block at a time."""
        if self._file is None:
            out.write(self._buf[start:end].decode("utf-8", "surrogatepass"))
            return
        decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        self._file.seek(start)
        while start < end:
            block = self._file.read(min(max(1, self.limit), end - start))
            start += len(block)
            out.write(decoder.decode(block, final=start >= end))
        self._file.seek(0, io.SEEK_END)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._buf = bytearray()
        self.size = 0


FailOn = Severity | Callable[[str], Severity]


class JunitWriter(FileWriter):
    """JUnit XML. The root's totals come before the suites and each suite's counts before its
    test cases (one per draft with findings, in the order drafts first have one), so a file's
    failures and notes (findings below ``fail_on``) wait in a :class:`_Records` store until it
    is complete, and the suites in a :class:`Spool` copied after the root's start tag at
    :meth:`close`. Keeps the totals and, for the current file, its draft count, first error
    and, per draft with findings, where its runs of failures and of notes are in the store.

    ``fail_on``: the severity from which a finding fails the run (``warning`` by default), or
    a function giving it for a file's path (each file has its own configuration)."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
        fail_on: FailOn = Severity.WARNING,
    ) -> None:
        super().__init__(out, color=color, rules=rules)
        self.fail_on = fail_on
        self.totals = [0, 0, 0]  # tests, failures, errors
        self.body = Spool()
        self._records = _Records()
        # per draft: its runs of (is a failure, start, end) in the store
        self._runs: dict[str | None, list[tuple[bool, int, int]]] = {}
        self._run: tuple[str | None, bool, int] | None = None  # open run: draft, failure, start
        self._drafts = 0
        self._error: str | None = None
        self._threshold = Severity.WARNING

    def begin_file(self, path: str) -> None:
        self._records.close()
        self._runs = {}
        self._run = None
        self._drafts = 0
        self._error = None
        fail_on = self.fail_on
        self._threshold = fail_on if isinstance(fail_on, Severity) else fail_on(path)

    def _end_run(self) -> None:
        if self._run is not None:
            draft, failure, start = self._run
            self._runs[draft].append((failure, start, self._records.size))
            self._run = None

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        if report.error:  # an unreadable file (or the rest of one): an error test case
            if self._error is None:
                self._error = report.error
            return
        self._drafts += report.draft_count
        records = self._records
        rank = self._threshold.rank
        for f in report.findings:
            failure = f.severity.rank >= rank
            if self._run is None or self._run[:2] != (f.draft, failure):
                self._end_run()
                self._runs.setdefault(f.draft, [])
                self._run = (f.draft, failure, records.size)
            if failure:
                records.write("\n      " + _failure(report.path, f))
            else:
                records.write(_note(report.path, f))

    def end_file(self) -> None:
        assert self.path is not None
        self._end_run()
        path = _x(self.path)
        by_draft = len(self._runs)
        failing = sum(any(run[0] for run in runs) for runs in self._runs.values())
        clean = self._drafts - by_draft
        clean_case = clean > 0 or (not by_draft and self._error is None)
        tests = by_draft + clean_case + (self._error is not None)
        errors = int(self._error is not None)
        body = self.body
        suite = _open(
            "testsuite",
            name=path,
            tests=str(tests),
            failures=str(failing),
            errors=str(errors),
            skipped="0",
        )
        body.write("\n  " + suite)
        for draft, runs in self._runs.items():
            name = path if draft is None else _x(draft)
            body.write("\n    " + _open("testcase", name=name, classname=path, file=path))
            for failure, start, end in runs:  # the failures, then (as the schema orders) output
                if failure:
                    self._records.copy(start, end, body)
            notes = [(start, end) for failure, start, end in runs if not failure]
            if notes:
                body.write("\n      " + _system_out_start(self._threshold))
                for start, end in notes:
                    self._records.copy(start, end, body)
                body.write("</system-out>")
            body.write("\n    </testcase>")
        if clean_case:
            name = path if not by_draft else f"{path} ({clean} clean draft{'s' * (clean != 1)})"
            body.write("\n    " + _tag("testcase", name=name, classname=path, file=path))
        if self._error is not None:
            error = _element(
                "error",
                _x(f"{self.path}: {self._error}"),
                message=_x(self._error),
                type="unreadable-file",
            )
            body.write("\n    " + _open("testcase", name=path, classname=path, file=path))
            body.write("\n      " + error + "\n    </testcase>")
        body.write("\n  </testsuite>")
        self._records.close()
        self._runs = {}
        for i, n in enumerate((tests, failing, errors)):
            self.totals[i] += n

    def finish(self) -> None:
        tests, failures, errors = (str(n) for n in self.totals)
        attrs = {"name": "replylint", "tests": tests, "failures": failures, "errors": errors}
        out = self.out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not self.body:
            out.write(_tag("testsuites", **attrs) + "\n")
            return
        out.write(_open("testsuites", **attrs))
        self.body.copy_to(out)
        out.write("\n</testsuites>\n")
        self.body.close()


def format_junit(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
    fail_on: FailOn = Severity.WARNING,
) -> str:
    return render(JunitWriter, report, color=color, rules=rules, fail_on=fail_on)
