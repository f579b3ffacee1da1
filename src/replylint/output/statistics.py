"""``--statistics``: how many findings each rule produced, most frequent first (like ruff's),
then the share of drafts that make each empathy move (``replylint.profile``), per channel when
the drafts' channels differ."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any, TextIO

from ..models import DraftProfile, FileReport, Report, Rule, Severity
from ..offsets import LineIndex
from ..profile import STATISTICS, statistics_keys
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


def move_statistics(report: Report) -> list[dict[str, Any]]:
    """The share of the report's drafts that make each move (see :meth:`Moves.rows`)."""
    moves = Moves()
    for file in report.files:
        moves.add(file.drafts)
    return moves.rows()


class Moves:
    """How many drafts make each move (:data:`replylint.profile.STATISTICS`), per channel."""

    def __init__(self) -> None:
        self.drafts: Counter[str | None] = Counter()
        self.counts: dict[str | None, Counter[str]] = {}

    def add(self, drafts: list[DraftProfile]) -> None:
        for d in drafts:
            channel = d.profile.channel
            self.drafts[channel] += 1
            self.counts.setdefault(channel, Counter()).update(statistics_keys(d.profile))

    def rows(self) -> list[dict[str, Any]]:
        """``[{move, channel, count, drafts, percent, summary}]``: a row per move, for each
        channel when the drafts' channels differ (``channel`` None: all drafts, or those whose
        channel is not determined), in channel order, moves in :data:`STATISTICS` order."""
        mixed = len(self.drafts) > 1
        rows = []
        for channel in sorted(self.drafts, key=lambda c: (c is None, c or "")):
            total = self.drafts[channel]
            counts = self.counts[channel]
            if not mixed:
                group = "drafts"
            elif channel is None:
                group = "drafts of no known channel"
            else:
                group = f"{channel} drafts"
            for key, what in STATISTICS:
                count = counts[key]
                rows.append(
                    {
                        "move": key,
                        "channel": channel if mixed else None,
                        "count": count,
                        "drafts": total,
                        "percent": round(100 * count / total, 1),
                        "summary": f"of {group} {what}",
                    }
                )
        return rows


def _table(rows: list[dict[str, Any]], as_json: bool, moves: list[dict[str, Any]]) -> str:
    """The rule rows, then the move rows (JSON: one list; text: after a blank line)."""
    if as_json:
        return json.dumps(rows + moves, indent=2, ensure_ascii=False) + "\n"
    out = ""
    if rows:
        width = max(len(str(r["count"])) for r in rows)
        rule_width = max(len(r["rule"]) for r in rows)
        sev_width = max(len(r["severity"]) for r in rows)
        out = "".join(
            f"{r['count']:>{width}}\t{r['rule']:<{rule_width}}  {r['severity']:<{sev_width}}  "
            f"{r['summary']}\n"
            for r in rows
        )
    if moves:
        out += "\n" if out else ""
        out += "".join(
            f"{round(m['percent']):>3} % {m['summary']} ({m['count']} of {m['drafts']})\n"
            for m in moves
        )
    return out


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
        self.moves = Moves()

    def add(self, report: FileReport, lines: LineIndex | None) -> None:
        self.counts.update((f.rule, f.severity) for f in report.findings)
        self.moves.add(report.drafts)

    def finish(self) -> None:
        rows = _rows(self.counts, self.rules)
        self.out.write(_table(rows, self.as_json, self.moves.rows()))


def format_statistics(
    report: Report, rules: Mapping[str, Rule] | None = None, *, as_json: bool = False
) -> str:
    return render(StatisticsWriter, report, rules=rules, as_json=as_json)
