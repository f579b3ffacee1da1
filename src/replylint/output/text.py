"""Human output: ``path:line:col: rule severity message``, the excerpt, carets, the fix."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

import click

from ..models import Finding, Report, Rule, Severity, Suggestion

TAB = "    "
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _source_line(lines: list[str], finding: Finding) -> tuple[str, int, int] | None:
    """The finding's first line as displayed, and the display columns its span covers."""
    if not 1 <= finding.line <= len(lines):
        return None
    raw = lines[finding.line - 1]
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(raw)
    shown = raw.replace("\t", TAB)
    lead = _width(raw[:start].replace("\t", TAB))
    span = max(1, _width(raw[start:end].replace("\t", TAB)))
    return shown, lead, span


def describe_suggestion(s: Suggestion) -> str:
    """``description: replace with "…" (applicability)``, as every human output shows it."""
    if s.start == s.end:
        action = f'insert "{s.replacement.strip()}"'
    elif not s.replacement:
        action = "delete it"
    else:
        action = f'replace with "{s.replacement}"'
    return f"{s.description}: {action} ({s.applicability.value})"


def _finding(path: str, f: Finding, lines: list[str] | None, color: bool) -> list[str]:
    def st(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    colour = _COLOURS[f.severity]
    where = f"{path}:{f.line}:{f.column}:"
    title = f' in "{f.draft}"' if f.draft else ""
    out = [
        f"{st(where, bold=True)} {st(f.rule, fg=colour, bold=True)} {f.severity.value} "
        f"{f.message}{title}"
    ]
    shown = _source_line(lines, f) if lines is not None else None
    if shown is not None:
        text, lead, span = shown
        gutter = " " * len(str(f.line))
        out.append(f" {gutter} |")
        out.append(f" {f.line} | {text}")
        out.append(f" {gutter} | {' ' * lead}{st('^' * span, fg=colour, bold=True)}")
    for s in f.suggestions:
        out.append(f"   = {st('suggestion', bold=True)}: {describe_suggestion(s)}")
    return out


def format_text(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    """Render findings; ``sources`` maps a path to its file text, for excerpt lines."""
    out: list[str] = []
    for file in report.files:
        if file.error:
            continue
        text = (sources or {}).get(file.path)
        lines = re.split(r"\r\n|\r|\n", text) if text is not None else None
        for f in file.findings:
            out.extend(_finding(file.path, f, lines, color))
            out.append("")
    return "\n".join([*out, *summary_lines(report)]) + "\n"


def summary_lines(report: Report) -> list[str]:
    """The closing summary: findings per severity and files, or "All clear", and errors."""
    out: list[str] = []
    counts = Counter(f.severity for file in report.files for f in file.findings)
    s = report.summary
    errors = sum(1 for f in report.files if f.error)
    if s.findings:
        parts = ", ".join(
            f"{counts[sev]} {sev.value}{'s' if counts[sev] != 1 and sev != Severity.INFO else ''}"
            for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if counts[sev]
        )
        with_findings = sum(1 for f in report.files if f.findings)
        out.append(
            f"Found {s.findings} finding{'s' if s.findings != 1 else ''} ({parts}) in "
            f"{with_findings} of {s.files} file{'s' if s.files != 1 else ''}."
        )
    else:
        checked = s.files - errors
        out.append(f"All clear: no findings in {checked} file{'s' if checked != 1 else ''}.")
    if errors:
        out.append(f"{errors} file{'s' if errors != 1 else ''} could not be linted (see above).")
    return out
