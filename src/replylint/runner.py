"""Paths in, a Report out: discovery, reading and linting of files for the CLI and hooks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from .api import Linter
from .models import FileReport, Report
from .offsets import LineIndex
from .sources import STDIN, Draft, Loaded, ReadOptions, SourceError, discover, load_bytes, load_path
from .suppress import Style, apply_suppressions

STDIN_NAME = "<stdin>"


@dataclass
class Run:
    """What one run read and found; ``sources`` keeps each file's text for excerpts."""

    files: list[FileReport] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def report(self) -> Report:
        return Report.build(self.files)


def _read(path: str, options: ReadOptions | None) -> Loaded:
    if path == STDIN:
        return load_bytes(STDIN_NAME + ".txt", sys.stdin.buffer.read(), options)
    return load_path(path, options)


def lint_paths(
    linter: Linter,
    paths: list[str],
    *,
    customer: str | None = None,
    options: ReadOptions | None = None,
) -> Run:
    """Lint every draft under ``paths``; unreadable files become per-file errors.

    Suppression comments are applied to each file's findings once all of its drafts are
    linted; a comment that suppresses nothing becomes an ``unused-suppression`` finding.
    """
    run = Run()
    by_path: dict[str, FileReport] = {}
    comments: dict[str, tuple[tuple[Style, ...], LineIndex]] = {}  # for suppressions

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
                read = _read(path, options)
            except SourceError as exc:
                report.error = str(exc)
                continue
            index = read.drafts[0].lines if read.drafts else LineIndex(read.text)
            comments[shown] = (read.comments, index)
            run.sources[shown] = read.text
            report.drafts = len(read.drafts)
            for draft in read.drafts:
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
    known = set(linter.rulebook.rules)
    for shown, (styles, index) in comments.items():
        report = by_path[shown]
        report.findings = linter.adjust(  # configure unused-suppression findings too
            apply_suppressions(
                report.findings,
                index.text,
                styles,
                lines=index,
                known=known,
                selected=linter.rule_ids,
            ),
            shown,
        )
    return run
