"""``replylint report``: a scan's output as one self-contained HTML page for a support QA lead.

Needs the ``report`` extra (pandas, pyarrow, matplotlib); importing ``replylint`` or running
any other command never imports them. The pieces:

- :func:`load_scan` reads ``DIR/replies`` and ``DIR/findings`` (archive schema "1");
- :func:`summarize` aggregates the two tables (however they were obtained) into a bounded
  :class:`Summary`;
- :func:`render` turns a Summary into the HTML page; :func:`write_report` does all three and
  writes the file atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from .data import RuleInfo, Summary, summarize
from .load import ReportError, Scan, load_scan
from .page import render

__all__ = [
    "ReportError",
    "ReportResult",
    "RuleInfo",
    "Scan",
    "Summary",
    "load_scan",
    "render",
    "rule_infos",
    "summarize",
    "write_report",
]


@dataclass(frozen=True)
class ReportResult:
    path: Path
    size: int  # bytes written
    summary: Summary


def rule_infos() -> dict[str, RuleInfo]:
    """The shipped rule book's rules (names, severities, summaries), for the rules table."""
    from ..rulebook import load_rulebook

    book = load_rulebook()
    return {
        r.id: RuleInfo(r.id, r.name, r.severity.value, r.category.value, r.summary)
        for r in book.rules.values()
    }


def write_report(
    directory: str | Path,
    output: str | Path,
    *,
    by: list[str] | None = None,
    date_field: str | None = None,
    examples: int = 3,
    title: str = "Reply empathy report",
) -> ReportResult:
    """Read a scan DIR, write the HTML report to ``output`` (atomically) and return its size."""
    scan = load_scan(directory)
    try:
        summary = summarize(
            scan.replies,
            scan.findings,
            by=by,
            date_field=date_field,
            examples=examples,
            meta=scan.meta,
            rules=rule_infos(),
            source=scan.path,
        )
    except ReportError as exc:
        raise ReportError(f"{scan.path}: {exc}") from None
    data = render(summary, title=title).encode("utf-8")
    path = Path(output)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise ReportError(f"{path}: cannot write it: {exc.strerror or exc}") from None
    return ReportResult(path=path, size=len(data), summary=summary)
