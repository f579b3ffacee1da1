"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

``::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=replylint (rule-id)::message``,
then one ``  suggestion: …`` line per suggestion. Escaping follows actions/toolkit
(``packages/core/src/command.ts``): in the message ``%``, CR and LF become ``%25``, ``%0D`` and
``%0A``; in properties ``:`` and ``,`` also become ``%3A`` and ``%2C``. ``info`` findings are
``notice`` annotations; a file that cannot be read is an ``error`` annotation.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import Report, Rule, Severity
from .paths import relative_posix
from .text import describe_suggestion

COMMANDS = {Severity.INFO: "notice", Severity.WARNING: "warning", Severity.ERROR: "error"}


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=`` …)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
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
