"""Formatters: a :class:`~replylint.models.Report` in, text out. They never re-parse text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from ..models import Report, Rule
from .github import format_github
from .json import format_json
from .junit import format_junit
from .sarif import format_sarif
from .text import format_text


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


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
    "junit": format_junit,
}

__all__ = ["FORMATTERS", "Formatter"]
