"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; the driver lists every rule with its summary (``shortDescription``), why it matters
(``fullDescription``) and help (``help.text`` / ``help.markdown``, citing the seed article the
rule comes from). Columns are Unicode code points (``run.columnKind``), as in every replylint
output. Artifact URIs are relative to the current directory (``%SRCROOT%``). Each finding's
suggestions become ``fixes`` (GitHub does not display them; other viewers do).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..__about__ import __version__
from ..models import Finding, Report, Rule, Severity, Suggestion

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT = "replylintFinding/v1"
LEVELS = {Severity.INFO: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}
UNUSED_SUPPRESSION: dict[str, Any] = {
    "id": "unused-suppression",
    "name": "UnusedSuppression",
    "shortDescription": {"text": "A replylint suppression comment that suppresses nothing."},
    "fullDescription": {
        "text": "A replylint: disable comment with no finding to suppress (or with an unknown "
        "rule id or an unreadable action) hides nothing today and may hide a real finding "
        "tomorrow; remove it or fix it."
    },
    "help": {
        "text": "Remove the comment, or the rule ids in it that suppress nothing.",
        "markdown": "Remove the comment, or the rule ids in it that suppress nothing.",
    },
    "defaultConfiguration": {"level": "note"},
    "properties": {"tags": ["suppression"]},
}


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


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    text, markdown = _help(rule)
    return {
        "id": rule.id,
        "name": _pascal(rule.name),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
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
    except (ValueError, OSError):
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


def build_sarif(report: Report, rules: Mapping[str, Rule]) -> dict[str, Any]:
    """The SARIF log as a dict (see :func:`format_sarif`)."""
    descriptors = [rule_descriptor(rules[r]) for r in sorted(rules)]
    used = {f.rule for file in report.files for f in file.findings}
    if "unused-suppression" in used and "unused-suppression" not in rules:
        descriptors.append(UNUSED_SUPPRESSION)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in report.files:
        location = artifact_location(file.path)
        if file.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{file.path}: {file.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": location}}],
                }
            )
            continue
        seen: Counter[tuple[str, str, str]] = Counter()
        for f in file.findings:
            occurrence = seen[(f.rule, f.draft or "", f.excerpt)]
            seen[(f.rule, f.draft or "", f.excerpt)] += 1
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
    return {
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
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "originalUriBaseIds": {SRCROOT: {"uri": _root_uri()}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def format_sarif(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    if rules is None:
        from ..rulebook import load_rulebook

        rules = load_rulebook().rules
    return json.dumps(build_sarif(report, rules), indent=2, ensure_ascii=False) + "\n"
