"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no script, and a
Content-Security-Policy that forbids fetching anything (so it opens the same offline).

Every piece of archive text (excerpts, messages, suggestions, key values, errors, the metadata)
goes through :func:`esc`; charts are matplotlib's SVG, whose writer escapes its text.

Longer than 400 lines because it is the page itself (its stylesheet, a
function per section and the escaping helpers every section shares); the figures are computed
in data.py and drawn in charts.py.
"""

from __future__ import annotations

import html
import math
import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from ..__about__ import __version__
from . import charts
from .data import BREAKDOWN_MOVES, EXCERPT_CHARS, MOVE_LABELS, Summary

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
TREND_MOVES = ["acknowledges_feelings", "apologizes", "offers_next_step", "checks_back"]
SHORT_MOVES = {
    "acknowledges_feelings": "Acknowledge",
    "offers_next_step": "Next step",
    "checks_back": "Check back",
}
_SLOT = re.compile(r"&lt;[^&<>]{1,60}?&gt;")

STYLE = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f6f7f9; --card:#fff;
  --teal:#0f766e; --teal-bg:#e6f4f1; --warn:#d97706; --warn-bg:#fef3c7; --info:#2563eb;
  --info-bg:#dbeafe; --err:#b91c1c; --err-bg:#fee2e2; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans",
  sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 0 24px 48px; }
header.top { background: linear-gradient(120deg, #0f3d3a, #0f766e); color: #fff;
  padding: 28px 0 22px; margin-bottom: 24px; }
header.top .inner { max-width:1080px; margin:0 auto; padding:0 24px; }
header.top h1 { margin:0 0 4px; font-size: 26px; letter-spacing: -0.01em; }
header.top p { margin: 0; opacity: .85; font-size: 14px; }
nav { margin-top: 14px; display:flex; flex-wrap:wrap; gap: 6px; }
nav a { color:#fff; text-decoration:none; font-size:13px; padding:3px 10px; border-radius:999px;
  background: rgba(255,255,255,.14); }
nav a:hover { background: rgba(255,255,255,.28); }
.kpis { display:grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  margin-bottom: 24px; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:12px;
  padding:14px 16px; }
.kpi .value { font-size: 28px; font-weight: 700; letter-spacing: -0.02em; line-height:1.15; }
.kpi .label { color: var(--muted); font-size: 13px; }
.kpi.warn .value { color: var(--warn); } .kpi.good .value { color: var(--teal); }
.kpi.bad .value { color: var(--err); }
section { background:var(--card); border:1px solid var(--line); border-radius:12px;
  padding: 20px 24px; margin-bottom: 20px; }
h2 { margin: 0 0 4px; font-size: 19px; }
h3 { margin: 18px 0 6px; font-size: 16px; }
p.lead { margin: 0 0 14px; color: var(--muted); font-size: 14px; }
.note { background: #f3f4f6; border-left: 3px solid #9ca3af; padding: 8px 12px; color: #374151;
  font-size: 14px; margin: 8px 0; border-radius: 4px; }
svg.chart { width: 100%; height: auto; display:block; margin: 4px 0 10px; }
table { width:100%; border-collapse: collapse; font-size: 13.5px; }
th { text-align:left; font-weight:600; color: var(--muted); font-size: 12px;
  text-transform: uppercase; letter-spacing: .03em; border-bottom: 1px solid var(--line);
  padding: 6px 8px; }
td { border-bottom: 1px solid #f1f2f4; padding: 6px 8px; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meter { display:inline-block; width: 56px; height: 8px; border-radius: 4px; background:#f1f2f4;
  margin-right: 8px; vertical-align: middle; overflow: hidden; }
.meter i { display:block; height:100%; background: var(--warn); border-radius: 4px; }
.meter.good i { background: var(--teal); }
td code { white-space: nowrap; }
td.when { white-space: nowrap; }
.pill { display:inline-block; font-size: 11.5px; font-weight:600; padding: 1px 8px;
  border-radius: 999px; white-space: nowrap; }
.pill.warning { background: var(--warn-bg); color: #92400e; }
.pill.info { background: var(--info-bg); color: #1e40af; }
.pill.error { background: var(--err-bg); color: var(--err); }
.pill.safe { background: var(--teal-bg); color: var(--teal); }
.pill.unsafe { background: #ede9fe; color: #5b21b6; }
.pill.display-only { background: #f3f4f6; color: #374151; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.examples { display:grid; gap: 14px; }
.rule-block { border:1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
.rule-block h3 { margin: 0 0 2px; display:flex; align-items:center; gap: 8px; flex-wrap: wrap; }
.rule-block .why { color: var(--muted); font-size: 13.5px; margin: 0 0 8px; }
.example { display:grid; grid-template-columns: 1fr 1fr; gap: 10px; padding: 10px 0;
  border-top: 1px dashed var(--line); }
.example .before, .example .after { border-radius: 8px; padding: 8px 10px; font-size: 14px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.example .before { background: #fff7ed; border-left: 3px solid var(--warn); }
.example .after { background: #ecfdf5; border-left: 3px solid var(--teal); }
.example .after.none { background: #f9fafb; border-left-color: #d1d5db; color: var(--muted); }
.example .tag { display:block; font-size: 11px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .04em; color: var(--muted); margin-bottom: 2px; }
.example .meta { grid-column: 1 / -1; font-size: 12.5px; color: var(--muted); }
.slot { background: #fde68a; border-radius: 3px; padding: 0 2px; }
.two { display:grid; grid-template-columns: 1fr 1fr; gap: 18px; }
footer { color: var(--muted); font-size: 12.5px; text-align:center; padding: 8px; }
@media (max-width: 760px) { .example, .two { grid-template-columns: 1fr; } }
@media print { body { background: #fff; } section { break-inside: avoid; } }
"""


def esc(value: Any) -> str:
    """Any value from the archive, as HTML text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, pd.Timestamp):
        return html.escape(value.isoformat())
    return html.escape(str(value), quote=True)


def _short(text: Any, limit: int = EXCERPT_CHARS) -> str:
    value = "" if text is None or text is pd.NA else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _pct(value: float, digits: int = 0) -> str:
    return f"{value * 100:.{digits}f}%"


def _num(value: float) -> str:
    return f"{int(value):,}"


def _meter(fraction: float, *, good: bool = False) -> str:
    """A small bar (0..1) drawn with CSS beside a table's number."""
    width = max(0.0, min(1.0, fraction)) * 100
    return f'<span class="meter{" good" if good else ""}"><i style="width:{width:.0f}%"></i></span>'


def _slots(escaped: str) -> str:
    return _SLOT.sub(lambda m: f'<span class="slot">{m.group(0)}</span>', escaped)


def render(summary: Summary, *, title: str = "Reply empathy report") -> str:
    """The whole page for a Summary."""
    parts = [
        _header(summary, title),
        "<main>",
        _kpis(summary),
        _moves(summary),
        _rules(summary),
        _trends(summary),
        *[_breakdown(summary, b) for b in summary.breakdowns],
        _top(summary),
        _examples(summary),
        _errors(summary),
        "</main>",
        _footer(summary),
    ]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="replylint {esc(__version__)}">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(p for p in parts if p)
        + "\n</body></html>\n"
    )


def _header(s: Summary, title: str) -> str:
    meta = s.meta
    facts = [f"{_num(s.replies)} replies"]
    if meta.get("input"):
        facts.append(f"from {esc(meta['input'])}")
    elif s.source:
        facts.append(f"from {esc(s.source)}")
    if meta.get("finished"):
        facts.append(f"scanned {esc(meta['finished'])}")
    if meta.get("replylint_version"):
        facts.append(f"replylint {esc(meta['replylint_version'])}")
    if meta.get("config_hash"):
        facts.append(f"config {esc(meta['config_hash'])}")
    links = [("moves", "Empathy moves"), ("rules", "Findings by rule"), ("trends", "Trends")]
    links += [(f"by-{_anchor(b.column)}", f"By {esc(b.column)}") for b in s.breakdowns]
    links += [("worst", "Most warnings"), ("examples", "Examples"), ("errors", "Errors")]
    nav = "".join(f'<a href="#{a}">{label}</a>' for a, label in links)
    return (
        f'<header class="top"><div class="inner"><h1>{esc(title)}</h1>'
        f"<p>{' · '.join(facts)}</p><nav>{nav}</nav></div></header>"
    )


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "column"


def _kpis(s: Summary) -> str:
    warnings = s.findings_by_severity.get("warning", 0)
    per100 = warnings / s.linted * 100 if s.linted else 0.0
    share = s.with_warning / s.linted if s.linted else 0.0
    feel = float(s.moves.get("acknowledges_feelings", float("nan")))
    cards = [
        ("", _num(s.replies), "replies in the archive"),
        ("warn" if share > 0.25 else "good", _pct(share), "of replies have a warning"),
        ("", f"{per100:.0f}", "warnings per 100 replies"),
    ]
    if not math.isnan(feel):
        cards.append(
            ("good" if feel >= 0.5 else "warn", _pct(feel), "acknowledge the customer's feelings")
        )
    cards.append(("bad" if s.errored else "", _num(s.errored), "replies could not be linted"))
    body = "".join(
        f'<div class="kpi {cls}"><div class="value">{value}</div>'
        f'<div class="label">{label}</div></div>'
        for cls, value, label in cards
    )
    return f'<div class="kpis">{body}</div>'


def _empty_note(s: Summary) -> str | None:
    if s.replies == 0:
        return '<p class="note">The archive has no replies: there is nothing to report.</p>'
    if s.linted == 0:
        return (
            '<p class="note">No reply could be linted (every row has an error): see '
            '<a href="#errors">Errors</a>.</p>'
        )
    return None


def _moves(s: Summary) -> str:
    head = (
        '<section id="moves"><h2>Empathy moves</h2><p class="lead">The share of linted replies '
        "that make each move. Moves near the bottom are the habits to coach.</p>"
    )
    if note := _empty_note(s):
        return head + note + "</section>"
    if not len(s.moves):
        return (
            head + '<p class="note">The replies table has no empathy profile columns.</p></section>'
        )
    body = charts.moves_chart(s.moves, MOVE_LABELS)
    if len(s.apology_kinds):
        body += (
            '<h3>How replies apologise</h3><p class="lead">An owning apology names what went '
            "wrong; a scripted one is a stock phrase; a non-apology is sorry for the customer's "
            "feelings.</p>" + charts.apology_chart(s.apology_kinds)
        )
    return head + body + "</section>"


def _rules(s: Summary) -> str:
    head = (
        '<section id="rules"><h2>Findings by rule</h2><p class="lead">The share of linted replies '
        "each rule flags (bars) and how many findings it made. "
        f"{_num(s.findings_by_severity.get('warning', 0))} warnings, "
        f"{_num(s.findings_by_severity.get('info', 0))} infos"
        + (
            f", {_num(s.findings_by_severity['error'])} errors"
            if s.findings_by_severity.get("error")
            else ""
        )
        + ".</p>"
    )
    if note := _empty_note(s):
        return head + note + "</section>"
    fired = s.rules[s.rules["findings"] > 0]
    body = charts.rules_chart(s.rules) if len(fired) else '<p class="note">No rule fired.</p>'
    top = float(s.rules["share"].max()) if len(s.rules) else 0.0
    rows = []
    for rule, row in s.rules.iterrows():
        width = row["share"] / top * 100 if top else 0
        rows.append(
            f'<tr><td><code>{esc(rule)}</code><br><span class="muted">{esc(row["summary"])}'
            f'</span></td><td><span class="pill {esc(row["severity"])}">'
            f"{esc(row['severity'])}</span></td><td>{esc(row['category'])}</td>"
            f'<td class="num">{_num(row["findings"])}</td>'
            f'<td class="num">{_meter(width / 100)}{_pct(row["share"], 1)}</td></tr>'
        )
    body += (
        "<details><summary>All rules</summary><table><thead><tr><th>Rule</th><th>Severity</th>"
        '<th>Category</th><th class="num">Findings</th><th class="num">Replies flagged</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )
    return head + body + "</section>"


def _trends(s: Summary) -> str:
    head = '<section id="trends"><h2>Trends by week</h2>'
    if s.weekly is None:
        return head + f'<p class="note">{esc(s.date_note or "No weekly trends.")}</p></section>'
    lead = (
        f'<p class="lead">By the week of <code>{esc(s.date_field)}</code> (weeks start on '
        f"Monday, UTC), {len(s.weekly)} weeks.</p>"
    )
    body = charts.trend_chart(s.weekly, TREND_MOVES, MOVE_LABELS)
    if s.weekly_rules is not None and len(s.weekly_rules.columns):
        body += charts.rule_trend_chart(s.weekly_rules)
    if s.date_note:
        body += f'<p class="note">{esc(s.date_note)}</p>'
    return head + lead + body + "</section>"


def _breakdown(s: Summary, b: Any) -> str:
    head = (
        f'<section id="by-{_anchor(b.column)}"><h2>By {esc(b.column)}</h2>'
        f'<p class="lead">{_num(b.groups)} values of <code>{esc(b.column)}</code>, worst first '
        f"by warnings per reply"
        + (
            f" (ranked when they have at least {b.min_replies} replies)"
            if b.min_replies > 1
            else ""
        )
        + (f"; the first {len(b.table)} are shown" if b.groups > len(b.table) else "")
        + ".</p>"
    )
    if note := _empty_note(s):
        return head + note + "</section>"
    body = charts.heatmap(b.heat, b.column) if b.heat is not None and b.heat.size else ""
    table = b.table
    top_wpr = float(table["warnings_per_reply"].max()) if len(table) else 0.0
    moves = [m for m in BREAKDOWN_MOVES if m in table.columns]
    head_cells = "".join(f'<th class="num">{esc(SHORT_MOVES.get(m, m))}</th>' for m in moves)
    rows = []
    for group, row in table.iterrows():
        width = row["warnings_per_reply"] / top_wpr * 100 if top_wpr else 0
        cells = "".join(
            f'<td class="num">{_meter(float(row[m]), good=True)}{_pct(row[m])}</td>'
            if pd.notna(row[m])
            else '<td class="num">–</td>'
            for m in moves
        )
        small = ' class="muted"' if row["replies"] < b.min_replies else ""
        rows.append(
            f"<tr{small}><td>{esc(group)}</td>"
            f'<td class="num">{_num(row["replies"])}</td>'
            f'<td class="num">{_meter(width / 100)}{row["warnings_per_reply"]:.2f}</td>'
            f'<td class="num">{_pct(row["with_warning"])}</td>{cells}'
            f'<td class="top-rule"><code>{esc(row["top_rule"])}</code></td></tr>'
        )
    body += (
        f'<table><thead><tr><th>{esc(b.column)}</th><th class="num">Replies</th>'
        '<th class="num">Warnings / reply</th><th class="num">With a warning</th>'
        f"{head_cells}<th>Top rule</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return head + body + "</section>"


def _top(s: Summary) -> str:
    head = (
        '<section id="worst"><h2>Replies with the most warnings</h2>'
        '<p class="lead">The replies to read first with their agents.</p>'
    )
    top = s.top_replies
    if not len(top):
        return head + '<p class="note">No reply has a warning.</p></section>'
    keys = [k for k in s.key_columns if k in top.columns]
    head_cells = "".join(f"<th>{esc(k)}</th>" for k in keys)
    rows = []
    for _, row in top.iterrows():
        cells = "".join(f'<td class="when">{esc(_cell(row[k]))}</td>' for k in keys)
        rows.append(
            f'<tr>{cells}<td class="num">{_num(row["n_warning"])}</td>'
            f'<td class="num">{_num(row["n_info"])}</td>'
            f"<td><code>{esc(row['rules'])}</code></td></tr>"
        )
    return (
        head
        + f'<table><thead><tr>{head_cells}<th class="num">Warnings</th><th class="num">Infos</th>'
        f"<th>Rules</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _codes(rules: Any) -> str:
    return ", ".join(f"<code>{esc(r)}</code>" for r in str(rules or "").split(", ") if r)


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, pd.Timestamp):
        return str(value.strftime("%Y-%m-%d %H:%M"))
    return _short(value, 80)


def _examples(s: Summary) -> str:
    head = (
        '<section id="examples"><h2>Examples and rewrites</h2><p class="lead">For each rule, a few '
        "real findings from the archive: what was flagged and the rewrite replylint suggests. "
        '<span class="slot">&lt;slots&gt;</span> are for the agent to fill.</p>'
    )
    if not s.examples:
        return head + '<p class="note">No findings, so no examples.</p></section>'
    blocks = []
    for rule, rows in s.examples.items():
        info = s.rules.loc[rule] if rule in s.rules.index else None
        severity = esc(info["severity"]) if info is not None else ""
        summary = esc(info["summary"]) if info is not None else ""
        count = _num(info["findings"]) if info is not None else ""
        items = []
        for _, row in rows.iterrows():
            suggestion = row.get("suggestion")
            applicability = row.get("applicability")
            if (
                suggestion is None
                or suggestion is pd.NA
                or (isinstance(suggestion, float) and math.isnan(suggestion))
            ):
                after = '<div class="after none"><span class="tag">No rewrite offered</span>'
                after += "The agent rewrites this by hand.</div>"
            elif str(suggestion).strip() == "":
                after = (
                    '<div class="after"><span class="tag">Suggested rewrite '
                    f"{_pill(applicability)}</span><em>Delete the flagged words.</em></div>"
                )
            else:
                after = (
                    '<div class="after"><span class="tag">Suggested rewrite '
                    f"{_pill(applicability)}</span>{_slots(esc(_short(suggestion)))}</div>"
                )
            where = " · ".join(
                f"{esc(k)} {esc(_cell(row[k]))}"
                for k in s.key_columns
                if k in rows.columns and _cell(row[k]) != "–"
            )
            items.append(
                '<div class="example"><div class="before"><span class="tag">Flagged</span>'
                f"{esc(_short(row['excerpt']))}</div>{after}"
                f'<div class="meta">{esc(row.get("message", ""))}'
                + (f" — {where}" if where else "")
                + "</div></div>"
            )
        blocks.append(
            f'<div class="rule-block"><h3><code>{esc(rule)}</code>'
            f'<span class="pill {severity}">{severity}</span>'
            f'<span class="muted" style="font-weight:400;font-size:13px">{count} findings</span>'
            f'</h3><p class="why">{summary}</p>{"".join(items)}</div>'
        )
    return head + f'<div class="examples">{"".join(blocks)}</div></section>'


def _pill(applicability: Any) -> str:
    if applicability is None or applicability is pd.NA or not isinstance(applicability, str):
        return ""
    return f'<span class="pill {esc(applicability)}">{esc(applicability)}</span>'


def _errors(s: Summary) -> str:
    head = '<section id="errors"><h2>Replies that could not be linted</h2>'
    if not s.errored:
        return head + '<p class="lead">None: every reply was linted.</p></section>'
    lead = (
        f'<p class="lead">{_num(s.errored)} replies ({_pct(s.errored / s.replies, 1)}) have an '
        "error instead of findings; they are left out of every rate above.</p>"
    )
    kinds = "".join(
        f'<tr><td>{esc(kind)}</td><td class="num">{_num(n)}</td></tr>'
        for kind, n in s.error_kinds.items()
    )
    keys = [k for k in s.key_columns if k in s.error_rows.columns]
    head_cells = "".join(f"<th>{esc(k)}</th>" for k in keys)
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{esc(_cell(row[k]))}</td>" for k in keys)
        + f"<td>{esc(_short(row['error'], 200))}</td></tr>"
        for _, row in s.error_rows.iterrows()
    )
    more = (
        f'<p class="muted">The first {len(s.error_rows)} of {_num(s.errored)} are listed.</p>'
        if s.errored > len(s.error_rows)
        else ""
    )
    return (
        head + lead + "<h3>By kind</h3><table><thead><tr><th>Error</th>"
        f'<th class="num">Replies</th></tr></thead><tbody>{kinds}</tbody></table>'
        f"<h3>Replies</h3><table><thead><tr>{head_cells}<th>Error</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{more}</section>"
    )


def _footer(s: Summary) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<footer>Made by replylint {esc(__version__)} on {now} from "
        f"{esc(s.source or 'the scan tables')}. One file, no scripts, nothing loaded from the "
        "network.</footer>"
    )
