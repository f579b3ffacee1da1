"""Formatters: a :class:`~replylint.models.Report` in, text out. They never re-parse text."""

from __future__ import annotations

from typing import Protocol

from ..models import Report
from .json import format_json
from .text import format_text


class Formatter(Protocol):
    def __call__(
        self, report: Report, *, color: bool = False, sources: dict[str, str] | None = None
    ) -> str: ...


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
}

__all__ = ["FORMATTERS", "Formatter"]
