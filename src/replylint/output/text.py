"""Human output: ``path:line:col: rule severity message``, the excerpt, carets, the fix."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping
from typing import TextIO

import click

from ..models import FileReport, Finding, Report, Rule, Severity, Suggestion
from ..offsets import LineIndex
from .base import FileWriter, render

TAB = "    "
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# A source line longer than LONG_LINE is shown as a window around the finding, CONTEXT
# characters each side (and a span of at most SPAN_SHOWN): every finding on a 200,000-character
# line printed the whole line, so the output grew with findings x line length.
LONG_LINE = 400
CONTEXT = 150
SPAN_SHOWN = 240


def _source_line(lines: LineIndex, finding: Finding) -> tuple[str, int, int] | None:
    """The finding's first line as displayed, and the display columns its span covers."""
    raw = lines.line_text(finding.line)
    if raw is None:
        return None
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(raw)
    before = after = ""
    if len(raw) > LONG_LINE:
        end = min(end, start + SPAN_SHOWN)
        lo, hi = max(0, start - CONTEXT), min(len(raw), end + CONTEXT)
        before, after = ("…" if lo > 0 else ""), ("…" if hi < len(raw) else "")
        raw, start, end = raw[lo:hi], start - lo, end - lo
    shown = before + raw.replace("\t", TAB) + after
    lead = len(before) + _width(raw[:start].replace("\t", TAB))
    span = max(1, _width(raw[start:end].replace("\t", TAB)))
    return shown, lead, span


def describe_suggestion(s: Suggestion) -> str:
    """``description: replace with "…" (what to do with it)``, as every human output shows it:
    "safe to apply", "review before sending" (unsafe) or "fill in the blanks" (slots)."""
    if s.start == s.end:
        action = f'insert "{s.replacement.strip()}"'
    elif not s.replacement:
        action = "delete it"
    else:
        action = f'replace with "{s.replacement}"'
    return f"{s.description}: {action} ({s.applicability.words})"


def _finding(path: str, f: Finding, lines: LineIndex | None, color: bool) -> list[str]:
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


class TextWriter(FileWriter):
    """Each finding as it comes (with its source line when ``lines`` are given), then the
    summary. ``quiet``: only the summary, and nothing at all when there is no finding (the
    CLI's ``--quiet``). Keeps counts only."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
        quiet: bool = False,
    ) -> None:
        super().__init__(out, color=color, rules=rules)
        self.quiet = quiet
        self.counts: Counter[Severity] = Counter()
        self.findings = 0
        self.with_findings = 0  # files with a finding
        self.errors = 0  # files that could not be read
        self._has_findings = False
        self._has_error = False

    def begin_file(self, path: str) -> None:
        self._has_findings = self._has_error = False

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        findings = report.findings
        if findings:
            self.findings += len(findings)
            self.counts.update(f.severity for f in findings)
            if not self._has_findings:
                self._has_findings = True
                self.with_findings += 1
        if report.error:
            if not self._has_error:
                self._has_error = True
                self.errors += 1
            return  # an unreadable file's findings (if any) are counted, not shown
        if self.quiet:
            return
        write, path, color = self.out.write, report.path, self.color
        for f in findings:
            write("".join(line + "\n" for line in _finding(path, f, lines, color)) + "\n")

    def finish(self) -> None:
        if self.quiet and not self.findings:
            return
        lines = _summary(self.counts, self.findings, self.files, self.with_findings, self.errors)
        self.out.write("".join(line + "\n" for line in lines))


def format_text(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    """Render findings; ``sources`` maps a path to its file text, for excerpt lines."""
    return render(TextWriter, report, color=color, sources=sources, rules=rules, with_lines=True)


def summary_lines(report: Report) -> list[str]:
    """The closing summary: findings per severity and files, or "All clear", and errors."""
    counts = Counter(f.severity for file in report.files for f in file.findings)
    s = report.summary
    errors = sum(1 for f in report.files if f.error)
    with_findings = sum(1 for f in report.files if f.findings)
    return _summary(counts, s.findings, s.files, with_findings, errors)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(
    counts: Mapping[Severity, int], findings: int, files: int, with_findings: int, errors: int
) -> list[str]:
    """One line that never contradicts itself: ``files`` counts every file (an unreadable one
    too), ``errors`` those that could not be linted (whole or in part), ``with_findings`` those
    with a finding (a file that failed after some chunks may count in both)."""
    unreadable = f"{_plural(errors, 'file')} could not be linted (see above)"
    if findings:
        parts = ", ".join(
            f"{counts[sev]} {sev.value}{'s' if counts[sev] != 1 and sev != Severity.INFO else ''}"
            for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if counts.get(sev)
        )
        found = (
            f"Found {_plural(findings, 'finding')} ({parts}) in {with_findings} of "
            f"{_plural(files, 'file')}"
        )
        return [f"{found}; {unreadable}." if errors else f"{found}."]
    if errors:
        return [f"No findings in {_plural(files - errors, 'file')}; {unreadable}."]
    if not files:
        return ["No files to lint."]
    return [f"All clear: no findings in {_plural(files, 'file')}."]
