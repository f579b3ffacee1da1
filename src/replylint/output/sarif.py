"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; the driver lists every rule with its summary (``shortDescription``), why it matters
(``fullDescription``) and help (``help.text`` / ``help.markdown``, citing the seed article the
rule comes from), and ``helpUri``, the rule's reference page (``docs/rules/<id>.md`` in the
repository, at this version's tag) for replylint's own rules. Columns are Unicode code points
(``run.columnKind``), as in every replylint output. Artifact URIs are relative to the current
directory (``%SRCROOT%``). Each finding's suggestions become ``fixes`` (GitHub does not
display them; other viewers do).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from ..__about__ import __version__
from ..links import rule_docs_url
from ..models import FileReport, Finding, Report, Rule, Severity, Suggestion
from ..offsets import LineIndex
from .base import FileWriter, Spool, render

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT = "replylintFinding/v1"
_ERROR_AT = re.compile(r"line (\d+), column (\d+): ")  # how a file error names its place
LEVELS = {Severity.INFO: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}


def _pascal(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in name.replace("-", " ").split())


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.rstrip("\n").split("\n"))


def _source_file(name: str) -> str:
    """A shipped rule cites a seed article (``seeds/…``); a user's rule cites its own."""
    from ..rulebook import RuleBookError, seeds_dir

    try:
        return f"seeds/{name}" if (seeds_dir() / name).is_file() else name
    except RuleBookError:
        return name


def _help(rule: Rule) -> tuple[str, str]:
    """The rule's help as plain text and as Markdown."""
    fail = rule.examples.fail[0]
    ok = rule.examples.pass_[0]
    sources = [f'{_source_file(s.file)}, "{s.heading}"' for s in rule.source]
    text = [rule.summary, "", rule.why, "", "Example:", fail.text.rstrip()]
    md = [f"**{rule.summary}**", "", rule.why, "", "Example:", "", _quote_block(fail.text)]
    if fail.rewrite is not None:
        text += ["", "Suggested rewrite:", fail.rewrite.rstrip()]
        md += ["", "Suggested rewrite:", "", _quote_block(fail.rewrite)]
    text += ["", "Passes:", ok.text.rstrip(), ""]
    md += ["", "Passes:", "", _quote_block(ok.text), ""]
    for s in sources:
        text.append(f"Source: {s}")
        md.append(f"Source: {s}  ")
    disable = f"replylint: disable={rule.id}"
    text += ["", f"Turn it off: --ignore {rule.id}, or a '{disable}' comment."]
    md += ["", f"Turn it off: `--ignore {rule.id}`, or a `{disable}` comment."]
    return "\n".join(text), "\n".join(md)


def _shipped(rule: Rule) -> bool:
    """Whether the rule is one of replylint's own (a user's rules-dir rule has no page)."""
    from ..rulebook import RuleBookError, load_rulebook

    try:
        return load_rulebook().rules.get(rule.id) == rule
    except RuleBookError:
        return False


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    text, markdown = _help(rule)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.name),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
    }
    if _shipped(rule):  # its reference page (docs/rules/<id>.md) at this version
        descriptor["helpUri"] = rule_docs_url(rule.id)
    return {
        **descriptor,
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": [rule.category.value],
            "source": [s.model_dump() for s in rule.source],
        },
    }


def artifact_location(path: str) -> dict[str, Any]:
    """The file as a URI relative to ``%SRCROOT%`` (the current directory) when it is below it,
    else as an absolute ``file:`` URI."""
    p = Path(path)
    try:
        relative = p.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError, RuntimeError):  # (RuntimeError: a symbolic link loop)
        if p.is_absolute():
            return {"uri": p.as_uri()}
        return {"uri": quote(p.as_posix()), "uriBaseId": SRCROOT}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _root_uri() -> str:
    uri = Path.cwd().resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fix(location: dict[str, Any], s: Suggestion) -> dict[str, Any]:
    return {
        "description": {"text": f"{s.description} ({s.applicability.value})"},
        "artifactChanges": [
            {
                "artifactLocation": location,
                "replacements": [
                    {
                        "deletedRegion": _region(s.line, s.column, s.end_line, s.end_column),
                        "insertedContent": {"text": s.replacement},
                    }
                ],
            }
        ],
        "properties": {"applicability": s.applicability.value},
    }


def _fingerprint(path: str, f: Finding, occurrence: int) -> str:
    """Stable while lines move: the rule, the file, the draft, the flagged words."""
    key = "\0".join([f.rule, Path(path).as_posix(), f.draft or "", " ".join(f.excerpt.split())])
    return hashlib.sha256(f"{key}\0{occurrence}".encode()).hexdigest()[:32]


class SarifWriter(FileWriter):
    """One SARIF log. ``tool.driver.rules`` (every rule of the rule book) and the invocation (its
    notifications: unreadable files) come before the results, so results and notifications go to
    :class:`Spool` files, copied in at :meth:`close`. Keeps the rule descriptors, the spools and,
    for the current file, its location and how often each (rule, draft, excerpt) occurred (for the
    fingerprints)."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
    ) -> None:
        super().__init__(out, color=color, rules=rules)
        self.descriptors: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        self._described: Mapping[str, Rule] | None = None  # the rules of the descriptors
        self.results = Spool()
        self.notifications = Spool()
        self._location: dict[str, Any] = {}
        self._seen: Counter[tuple[str, str, str]] = Counter()
        self._failed = False

    def _describe(self) -> None:
        """The rule descriptors, once (``rules`` may be set until the first file)."""
        if self._described is not None:
            if self.rules is not None and self.rules is not self._described:
                raise ValueError("a SARIF writer's rules cannot change once it has a file")
            return
        if self.rules is None:
            from ..rulebook import load_rulebook

            self.rules = load_rulebook().rules
        rules = self._described = self.rules
        self.descriptors = [rule_descriptor(rules[r]) for r in sorted(rules)]
        self.index = {d["id"]: i for i, d in enumerate(self.descriptors)}

    def begin_file(self, path: str) -> None:
        self._describe()
        self._location = artifact_location(path)
        self._seen = Counter()
        self._failed = False

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        location = self._location
        if report.error:
            if not self._failed:  # one notification per file
                self._failed = True
                physical: dict[str, Any] = {"artifactLocation": location}
                at = _ERROR_AT.match(report.error)
                if at:  # the line and column the error names
                    physical["region"] = {
                        "startLine": int(at.group(1)),
                        "startColumn": int(at.group(2)),
                    }
                notification = {
                    "level": "error",
                    "message": {"text": f"{report.path}: {report.error}"},
                    "locations": [{"physicalLocation": physical}],
                    "descriptor": {"id": "replylint/error"},
                }
                self._item(self.notifications, notification, 12)
            return
        seen = self._seen
        for f in report.findings:
            key = (f.rule, f.draft or "", f.excerpt)
            occurrence = seen[key]
            seen[key] += 1
            message = f.message if not f.draft else f'{f.message} (in "{f.draft}")'
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "level": LEVELS[f.severity],
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {
                                **_region(f.line, f.column, f.end_line, f.end_column),
                                "snippet": {"text": f.excerpt},
                            },
                        }
                    }
                ],
                "partialFingerprints": {FINGERPRINT: _fingerprint(report.path, f, occurrence)},
                "properties": {"category": f.category.value},
            }
            if f.rule in self.index:
                result["ruleIndex"] = self.index[f.rule]
            if f.draft:
                result["properties"]["draft"] = f.draft
            if f.suggestions:
                result["fixes"] = [_fix(location, s) for s in f.suggestions]
            self._item(self.results, result, 8)

    @staticmethod
    def _item(spool: Spool, value: dict[str, Any], indent: int) -> None:
        pad = " " * indent
        text = pad + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)
        spool.write(",\n" + text if spool else text)

    def finish(self) -> None:
        self._describe()
        descriptors = list(self.descriptors)
        mark = uuid.uuid4().hex
        notifications, results = f"notifications-{mark}", f"results-{mark}"
        log = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "replylint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "rules": descriptors,
                        }
                    },
                    "invocations": [
                        {
                            "executionSuccessful": not self.notifications,
                            "toolExecutionNotifications": notifications,
                        }
                    ],
                    "originalUriBaseIds": {SRCROOT: {"uri": _root_uri()}},
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }
        text = json.dumps(log, indent=2, ensure_ascii=False) + "\n"
        head, _, rest = text.partition(f'"{notifications}"')
        middle, _, tail = rest.partition(f'"{results}"')
        out = self.out
        out.write(head)
        _array(out, self.notifications, 10)
        out.write(middle)
        _array(out, self.results, 6)
        out.write(tail)
        self.results.close()
        self.notifications.close()


def _array(out: TextIO, items: Spool, indent: int) -> None:
    """A JSON array of the spooled items, its closing bracket ``indent`` spaces deep."""
    if not items:
        out.write("[]")
        return
    out.write("[\n")
    items.copy_to(out)
    out.write("\n" + " " * indent + "]")


def format_sarif(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    return render(SarifWriter, report, color=color, rules=rules)
