"""Outputs: writers that stream a run file by file, and formatters (a whole
:class:`~replylint.models.Report` in, text out) built on them. They never re-parse text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TextIO

from ..models import FileReport, Report, Rule
from ..offsets import LineIndex
from .github import GithubWriter, format_github
from .json import JsonWriter, format_json
from .junit import JunitWriter, format_junit
from .sarif import SarifWriter, format_sarif
from .statistics import StatisticsWriter
from .text import TextWriter, format_text


class Writer(Protocol):
    """Writes one output format to ``out`` as the run goes.

    :meth:`file` is called once per file in output order as soon as the file is done
    (consecutive calls with the same path are chunks of one file); ``lines`` index that
    file's (or chunk's) text, for excerpt lines, or are None. :meth:`close` writes what comes
    last and flushes. ``rules`` are the rules that could fire (SARIF describes them; the
    shipped rule book when not given)."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
    ) -> None: ...

    def file(self, report: FileReport, lines: LineIndex | None = None) -> None: ...

    def close(self) -> None: ...


class Formatter(Protocol):
    """``sources`` maps a path to its file text (for excerpt lines); ``rules`` are the rules
    that could fire (for their descriptions: SARIF), the shipped rule book when not given."""

    def __call__(
        self,
        report: Report,
        *,
        color: bool = False,
        sources: dict[str, str] | None = None,
        rules: Mapping[str, Rule] | None = None,
    ) -> str: ...


WRITERS: dict[str, type[Writer]] = {
    "text": TextWriter,
    "json": JsonWriter,
    "sarif": SarifWriter,
    "github": GithubWriter,
    "junit": JunitWriter,
}

FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
    "junit": format_junit,
}

__all__ = ["FORMATTERS", "WRITERS", "Formatter", "StatisticsWriter", "Writer"]
