"""``--statistics``: how many findings each rule produced, most frequent first (like ruff's)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any, TextIO

from ..models import FileReport, Report, Rule, Severity
from ..offsets import LineIndex
from .base import FileWriter, render


def _rows(
    counts: Mapping[tuple[str, Severity], int], rules: Mapping[str, Rule] | None
) -> list[dict[str, Any]]:
    rows = []
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1].rank))
    for (rule_id, severity), count in ordered:
        rule = (rules or {}).get(rule_id)
        summary = rule.summary if rule is not None else ""
        rows.append(
            {"count": count, "rule": rule_id, "severity": severity.value, "summary": summary}
        )
    return rows


def statistics(report: Report, rules: Mapping[str, Rule] | None = None) -> list[dict[str, Any]]:
    """``[{count, rule, severity, summary}]``; a rule whose findings have different severities
    (a per-file override) has a row per severity."""
    counts = Counter((f.rule, f.severity) for file in report.files for f in file.findings)
    return _rows(counts, rules)


def _table(rows: list[dict[str, Any]], as_json: bool) -> str:
    if as_json:
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if not rows:
        return ""
    width = max(len(str(r["count"])) for r in rows)
    rule_width = max(len(r["rule"]) for r in rows)
    sev_width = max(len(r["severity"]) for r in rows)
    return "".join(
        f"{r['count']:>{width}}\t{r['rule']:<{rule_width}}  {r['severity']:<{sev_width}}  "
        f"{r['summary']}\n"
        for r in rows
    )


class StatisticsWriter(FileWriter):
    """Counts findings per (rule, severity) as files come; the table (or, ``as_json``, the
    JSON list) at :meth:`close`. ``rules`` give the summaries. Keeps the counts only."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        rules: Mapping[str, Rule] | None = None,
        as_json: bool = False,
    ) -> None:
        super().__init__(out, color=color, rules=rules)
        self.as_json = as_json
        self.counts: Counter[tuple[str, Severity]] = Counter()

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        self.counts.update((f.rule, f.severity) for f in report.findings)

    def finish(self) -> None:
        self.out.write(_table(_rows(self.counts, self.rules), self.as_json))


def format_statistics(
    report: Report, rules: Mapping[str, Rule] | None = None, *, as_json: bool = False
) -> str:
    return render(StatisticsWriter, report, rules=rules, as_json=as_json)
