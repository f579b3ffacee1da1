"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

``::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=replylint (rule-id)::message``,
then one ``  suggestion: …`` line per suggestion. Escaping follows actions/toolkit
(``packages/core/src/command.ts``): in the message ``%``, CR and LF become ``%25``, ``%0D`` and
``%0A``; in properties ``:`` and ``,`` also become ``%3A`` and ``%2C``. ``info`` findings are
``notice`` annotations; a file that cannot be read is an ``error`` annotation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from ..models import FileReport, Report, Rule, Severity
from ..offsets import LineIndex
from .base import FileWriter, render
from .paths import relative_posix
from .text import describe_suggestion

COMMANDS = {Severity.INFO: "notice", Severity.WARNING: "warning", Severity.ERROR: "error"}


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=`` …)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubWriter(FileWriter):
    """Each annotation as soon as its file is done. Keeps the current file's escaped path."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
    ) -> None:
        super().__init__(out, color=color, rules=rules)
        self._escaped = ""
        self._failed = False

    def begin_file(self, path: str) -> None:
        self._escaped = escape_property(relative_posix(path))
        self._failed = False

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        path = self._escaped
        if report.error:
            if not self._failed:  # one error annotation per file
                self._failed = True
                message = escape_data(f"{report.path}: {report.error}")
                self.out.write(
                    f"::error file={path},title={escape_property('replylint')}::{message}\n"
                )
            return
        out: list[str] = []
        for f in report.findings:
            props = (
                f"file={path},line={f.line},col={f.column},"
                f"endLine={f.end_line},endColumn={f.end_column},"
                f"title={escape_property(f'replylint ({f.rule})')}"
            )
            body = f.message + (f' (in "{f.draft}")' if f.draft else "")
            for s in f.suggestions:
                body += f"\n  suggestion: {describe_suggestion(s)}"
            out.append(f"::{COMMANDS[f.severity]} {props}::{escape_data(body)}\n")
        self.out.write("".join(out))


def format_github(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    return render(GithubWriter, report, color=color, rules=rules)
