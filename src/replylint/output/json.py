"""The versioned JSON output: ``Report.model_dump()`` (schema version in ``version``).

:class:`JsonWriter` writes exactly the bytes of
``json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\\n"``, one file
object at a time: each finding is formatted directly (no pydantic dump; the same keys in the
same order, checked against the models when this module is imported).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) uses
from typing import Any, TextIO

from pydantic import BaseModel

from ..models import (
    JSON_SCHEMA_VERSION,
    DraftProfile,
    FileReport,
    Finding,
    Profile,
    Report,
    Rule,
    Suggestion,
)
from ..offsets import LineIndex
from .base import FileWriter, Spool, render

FINDING_INDENT = 8  # a finding in a file's "findings"

_FINDING_KEYS = (
    "rule",
    "severity",
    "category",
    "message",
    "line",
    "column",
    "end_line",
    "end_column",
    "excerpt",
    "draft",
    "suggestions",
)
_SUGGESTION_KEYS = (
    "replacement",
    "line",
    "column",
    "end_line",
    "end_column",
    "description",
    "applicability",
)


def _dumped(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name, field in model.model_fields.items() if not field.exclude)


_DRAFT_KEYS = ("index", "title", "profile")

# the direct formatting below knows these fields; if the models change, dump them instead
FAST = _dumped(Finding) == _FINDING_KEYS and _dumped(Suggestion) == _SUGGESTION_KEYS
# a profile's fields are scalars (a bool, or a string or None): written one by one, in order
_PROFILE_KEYS = _dumped(Profile)
FAST_DRAFTS = _dumped(DraftProfile) == _DRAFT_KEYS


def _string(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _suggestion(s: Suggestion) -> str:
    return (
        "            {\n"
        f'              "replacement": {encode_basestring(s.replacement)},\n'
        f'              "line": {s.line},\n'
        f'              "column": {s.column},\n'
        f'              "end_line": {s.end_line},\n'
        f'              "end_column": {s.end_column},\n'
        f'              "description": {encode_basestring(s.description)},\n'
        f'              "applicability": {encode_basestring(s.applicability)}\n'
        "            }"
    )


def _dump(value: Any, indent: int) -> str:
    """``json.dumps(value, indent=2)`` as it appears ``indent`` spaces deep."""
    pad = " " * indent
    return pad + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)


def dump_finding(f: Finding) -> str:
    """``f.model_dump(mode="json")`` as ``json.dumps(indent=2)`` writes it inside a report
    (indented for its place in a file's ``findings``), without a trailing newline."""
    if not FAST or type(f) is not Finding or any(type(s) is not Suggestion for s in f.suggestions):
        return _dump(f.model_dump(mode="json"), FINDING_INDENT)
    if f.suggestions:
        suggestions = "[\n" + ",\n".join(map(_suggestion, f.suggestions)) + "\n          ]"
    else:
        suggestions = "[]"
    return (
        "        {\n"
        f'          "rule": {encode_basestring(f.rule)},\n'
        f'          "severity": {encode_basestring(f.severity)},\n'
        f'          "category": {encode_basestring(f.category)},\n'
        f'          "message": {encode_basestring(f.message)},\n'
        f'          "line": {f.line},\n'
        f'          "column": {f.column},\n'
        f'          "end_line": {f.end_line},\n'
        f'          "end_column": {f.end_column},\n'
        f'          "excerpt": {encode_basestring(f.excerpt)},\n'
        f'          "draft": {_string(f.draft)},\n'
        f'          "suggestions": {suggestions}\n'
        "        }"
    )


def _scalar(value: bool | str | None) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return encode_basestring(value)


def dump_draft(d: DraftProfile) -> str:
    """``d.model_dump(mode="json")`` as ``json.dumps(indent=2)`` writes it inside a report (an
    item of a file's ``drafts``), without a trailing newline."""
    if not FAST_DRAFTS or type(d) is not DraftProfile or type(d.profile) is not Profile:
        return _dump(d.model_dump(mode="json"), FINDING_INDENT)
    p = d.profile
    fields = ",\n".join(
        f'            "{name}": {_scalar(getattr(p, name))}' for name in _PROFILE_KEYS
    )
    return (
        "        {\n"
        f'          "index": {d.index},\n'
        f'          "title": {_string(d.title)},\n'
        '          "profile": {\n'
        f"{fields}\n"
        "          }\n"
        "        }"
    )


class JsonWriter(FileWriter):
    """The report's JSON, one file object per file: the opening at the first file, each file
    when it is complete (a file's findings wait in a :class:`Spool` until then, because its
    ``error`` comes before them and a later chunk may carry one), then its drafts' profiles,
    the summary at the end. Keeps the run's counts and the current file's formatted findings
    and drafts (a file past ``SPOOL_LIMIT`` characters of either spools it to disk)."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
    ) -> None:
        super().__init__(out, color=color, rules=rules)
        self.drafts = 0
        self.findings = 0
        self._started = False
        self._error: str | None = None
        self._body = Spool()
        self._drafts = Spool()

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self.out.write(f'{{\n  "version": {encode_basestring(JSON_SCHEMA_VERSION)},\n')
            self.out.write('  "files": [')

    def begin_file(self, path: str) -> None:
        self._start()
        self._error = None
        self._body.clear()
        self._drafts.clear()

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        if report.error is not None and self._error is None:
            self._error = report.error
        self.drafts += report.draft_count
        if report.drafts:
            text = ",\n".join(map(dump_draft, report.drafts))
            self._drafts.write(",\n" + text if self._drafts else text)
        findings = report.findings
        if not findings:
            return
        body = self._body
        text = ",\n".join(map(dump_finding, findings))
        body.write(",\n" + text if body else text)
        self.findings += len(findings)

    def end_file(self) -> None:
        assert self.path is not None
        out = self.out
        out.write(
            (",\n    {\n" if self.files > 1 else "\n    {\n")
            + f'      "path": {encode_basestring(self.path)},\n'
            + f'      "error": {_string(self._error)},\n'
            + ('      "findings": [\n' if self._body else '      "findings": [],\n')
        )
        if self._body:
            self._body.copy_to(out)
            out.write("\n      ],\n")
            self._body.clear()
        if self._drafts:
            out.write('      "drafts": [\n')
            self._drafts.copy_to(out)
            out.write("\n      ]\n    }")
            self._drafts.clear()
        else:
            out.write('      "drafts": []\n    }')

    def finish(self) -> None:
        self._start()
        out = self.out
        out.write("\n  ],\n" if self.files else "],\n")
        out.write(
            '  "summary": {\n'
            f'    "files": {self.files},\n'
            f'    "drafts": {self.drafts},\n'
            f'    "findings": {self.findings}\n'
            "  }\n}\n"
        )


def format_json(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    return render(JsonWriter, report, color=color, rules=rules)
