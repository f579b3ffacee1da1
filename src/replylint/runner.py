"""Paths in, a Report out: discovery, reading and linting of files for the CLI and hooks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from .api import Linter
from .models import FileReport, Report
from .sources import STDIN, Draft, SourceError, discover, read_bytes, read_path

STDIN_NAME = "<stdin>"


@dataclass
class Run:
    """What one run read and found; ``sources`` keeps each file's text for excerpts."""

    files: list[FileReport] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def report(self) -> Report:
        return Report.build(self.files)


def _read(path: str) -> list[Draft]:
    if path == STDIN:
        return read_bytes(STDIN_NAME + ".txt", sys.stdin.buffer.read())
    return read_path(path)


def lint_paths(linter: Linter, paths: list[str], *, customer: str | None = None) -> Run:
    """Lint every draft under ``paths``; unreadable files become per-file errors."""
    run = Run()
    by_path: dict[str, FileReport] = {}

    def drafts() -> Iterator[Draft]:
        for path, error in dict.fromkeys(discover(paths)):
            shown = STDIN_NAME if path == STDIN else path
            if shown in by_path:
                continue
            report = FileReport(path=shown, error=error)
            run.files.append(report)
            by_path[shown] = report
            if error:
                continue
            try:
                found = _read(path)
            except SourceError as exc:
                report.error = str(exc)
                continue
            report.drafts = len(found)
            for draft in found:
                run.sources.setdefault(shown, draft.lines.text)
                yield Draft(
                    draft.text,
                    draft.offsets,
                    draft.lines,
                    shown,
                    draft.title,
                    customer if customer is not None else draft.customer,
                    draft.meta,
                )

    for draft, findings in linter.lint_drafts(drafts()):
        assert draft.path is not None
        by_path[draft.path].findings.extend(findings)
    return run
