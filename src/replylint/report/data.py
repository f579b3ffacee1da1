"""Turning a scan's output (read by :mod:`.load`) into the report's figures.

``summarize`` aggregates the two tables with pandas/pyarrow group-bys into a bounded
:class:`Summary`: however large the archive, the summary holds at most a fixed number of groups,
example rows and listed replies, so the HTML stays small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from ..profile import MOVES
from .load import REQUIRED_FINDING_COLUMNS, REQUIRED_REPLY_COLUMNS, ReportError, is_key

MOVE_LABELS = {
    "acknowledges_feelings": "Acknowledges feelings",
    "apologizes": "Apologizes",
    "paraphrases_issue": "Paraphrases the issue",
    "explains": "Explains",
    "offers_next_step": "Offers a next step",
    "gives_timeline": "Gives a timeline",
    "checks_back": "Checks back",
    "takes_ownership": "Takes ownership",
    "greets": "Greets",
    "signs_off": "Signs off",
}
BREAKDOWN_MOVES = ["acknowledges_feelings", "offers_next_step", "checks_back"]
SEVERITIES = ["error", "warning", "info"]

# bounds: whatever the archive's size, the report never lists more than these
MAX_GROUPS = 25  # rows of a breakdown table
MAX_HEATMAP_GROUPS = 12
MAX_HEATMAP_RULES = 10
MAX_TOP_REPLIES = 15
MAX_ERRORS_LISTED = 20
MAX_ERROR_KINDS = 10
MAX_EXAMPLES = 10
EXCERPT_CHARS = 320
EXAMPLE_CANDIDATES = 2_000  # rows of one rule looked at to pick its examples


@dataclass
class RuleInfo:
    id: str
    name: str
    severity: str
    category: str
    summary: str


@dataclass
class Breakdown:
    column: str
    table: pd.DataFrame  # one row per group (bounded), sorted by warnings per reply
    groups: int  # how many groups there are in all
    min_replies: int  # groups smaller than this are not ranked
    heat: pd.DataFrame | None  # groups x rules, findings per 100 replies


@dataclass
class Summary:
    """Everything the report shows, already aggregated and bounded."""

    source: str
    meta: dict[str, Any]
    replies: int
    linted: int
    errored: int
    with_warning: int
    findings_by_severity: dict[str, int]
    key_columns: list[str]
    id_column: str | None
    moves: pd.Series  # move -> share of linted replies (0..1)
    apology_kinds: pd.Series  # kind -> replies
    rules: pd.DataFrame  # rule, findings, replies, share, severity, category, name, summary
    weekly: pd.DataFrame | None  # week -> replies, with_warning share, warnings per reply, moves
    weekly_rules: pd.DataFrame | None  # week x top rules, findings per 100 replies
    date_field: str | None
    date_note: str | None  # why there is no trend section, or what was left out of it
    breakdowns: list[Breakdown]
    top_replies: pd.DataFrame
    examples: dict[str, pd.DataFrame]  # rule -> up to N rows
    error_kinds: pd.Series
    error_rows: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _frame(table: pa.Table | pd.DataFrame) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    # bool columns with nulls as pandas' nullable boolean (not Python objects)
    return table.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)


def summarize(
    replies: pa.Table | pd.DataFrame,
    findings: pa.Table | pd.DataFrame,
    *,
    by: list[str] | None = None,
    date_field: str | None = None,
    examples: int = 3,
    meta: dict[str, Any] | None = None,
    rules: dict[str, RuleInfo] | None = None,
    source: str = "",
) -> Summary:
    """Aggregate a scan's ``replies`` and ``findings`` tables (schema "1") into a Summary.

    This is the one place the report reads the tables: give it the two tables however they were
    obtained (``load_scan``, ``lint_frame``'s output, a Spark job's ``toPandas()`` of a sample).
    """
    meta = dict(meta or {})
    by = list(by or [])
    examples = max(0, min(examples, MAX_EXAMPLES))
    rdf = _frame(replies)
    fdf = _frame(findings)
    for column in REQUIRED_REPLY_COLUMNS:
        if column not in rdf.columns:
            raise ReportError(f"the replies table has no column {column!r}")
    for column in REQUIRED_FINDING_COLUMNS:
        if column not in fdf.columns:
            raise ReportError(f"the findings table has no column {column!r}")
    keys = [c for c in rdf.columns if is_key(str(c))]
    for column in [*by, *([date_field] if date_field else [])]:
        if column not in rdf.columns:
            raise ReportError(
                f"no column {column!r} in the replies table (key columns: "
                f"{', '.join(map(str, keys)) or 'none'})"
            )
    id_column = meta.get("id_field") if meta.get("id_field") in rdf.columns else None
    if id_column is None and keys:
        id_column = str(keys[0])

    error = rdf["error"]
    ok = error.isna()
    linted = rdf[ok]
    n_linted = len(linted)
    rules = rules or {}

    # the empathy profile: share of linted replies making each move
    move_cols = [m for m in MOVES if m in rdf.columns]
    moves = pd.Series(
        {m: _share(linted[m]) for m in move_cols},
        dtype="float64",
    ).sort_values(ascending=False)
    if "apology_kind" in rdf.columns and n_linted:
        apology = linted["apology_kind"].astype("object").fillna("none").value_counts()
    else:
        apology = pd.Series(dtype="int64")

    # findings per rule, and how many replies each touches
    by_severity = {s: int((fdf["severity"] == s).sum()) for s in SEVERITIES}
    rule_table = _rules(fdf, id_column, n_linted, rules)

    # weekly trends
    weekly = weekly_rules = None
    date_note: str | None = None
    if date_field is None:
        date_note = "No date column was given (--date-field), so there are no weekly trends."
    else:
        weekly, weekly_rules, date_note = _weekly(linted, fdf, date_field, rule_table)

    breakdowns = [_breakdown(linted, fdf, column) for column in by]
    top = _top_replies(linted, fdf, keys, id_column)
    chosen = _examples(fdf, rule_table, examples, keys, id_column)

    errors = rdf[~ok]
    error_kinds = errors["error"].astype("object").value_counts().head(MAX_ERROR_KINDS)
    error_rows = errors[[*keys, "error"]].head(MAX_ERRORS_LISTED)

    return Summary(
        source=source,
        meta=meta,
        replies=len(rdf),
        linted=n_linted,
        errored=len(errors),
        with_warning=int(((linted["n_warning"] > 0) | (linted["n_error"] > 0)).sum()),
        findings_by_severity=by_severity,
        key_columns=[str(k) for k in keys],
        id_column=id_column,
        moves=moves,
        apology_kinds=apology,
        rules=rule_table,
        weekly=weekly,
        weekly_rules=weekly_rules,
        date_field=date_field,
        date_note=date_note,
        breakdowns=breakdowns,
        top_replies=top,
        examples=chosen,
        error_kinds=error_kinds,
        error_rows=error_rows,
    )


def _numeric(linted: pd.DataFrame) -> pd.DataFrame:
    """The columns group means are taken of, as floats (a null move is left out of its mean)."""
    out = pd.DataFrame(index=linted.index)
    out["n_warning"] = linted["n_warning"].astype("float64")
    out["_warned"] = ((linted["n_warning"] > 0) | (linted["n_error"] > 0)).astype("float64")
    for move in MOVES:
        if move in linted.columns:
            column = linted[move]
            if not isinstance(column.dtype, pd.BooleanDtype):
                column = column.astype("boolean")
            out[move] = column.to_numpy(dtype="float64", na_value=float("nan"))
    return out


def _share(values: pd.Series) -> float:
    clean = values.dropna()
    return float(clean.astype(bool).mean()) if len(clean) else 0.0


def _rules(
    fdf: pd.DataFrame, id_column: str | None, n_linted: int, rules: dict[str, RuleInfo]
) -> pd.DataFrame:
    grouped = fdf.groupby("rule", observed=True)
    table = pd.DataFrame({"findings": grouped.size()})
    if id_column is not None and id_column in fdf.columns:
        table["replies"] = grouped[id_column].nunique()
    else:
        table["replies"] = table["findings"]
    table["severity"] = grouped["severity"].first()
    table["category"] = grouped["category"].first() if "category" in fdf.columns else ""
    # the rule book's rules that never fired are shown too: that is worth knowing
    for rule_id, info in rules.items():
        if rule_id not in table.index:
            table.loc[rule_id] = {
                "findings": 0,
                "replies": 0,
                "severity": info.severity,
                "category": info.category,
            }
    table["share"] = table["replies"] / n_linted if n_linted else 0.0
    table["name"] = [rules[r].name if r in rules else r for r in table.index]
    table["summary"] = [rules[r].summary if r in rules else "" for r in table.index]
    table.index.name = "rule"
    table = table.astype({"findings": "int64", "replies": "int64"})
    return table.sort_values(["findings", "severity"], ascending=[False, True])


def _weeks(dates: pd.Series) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates.astype("object"), errors="coerce", utc=True, format="mixed")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return dates.dt.to_period("W-SUN").dt.start_time


def _weekly(
    linted: pd.DataFrame, fdf: pd.DataFrame, date_field: str, rule_table: pd.DataFrame
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, str | None]:
    weeks = _weeks(linted[date_field])
    undated = int(weeks.isna().sum())
    if weeks.notna().sum() == 0:
        return None, None, f"No reply has a usable date in {date_field!r}, so there are no trends."
    frame = _numeric(linted).assign(_week=weeks).dropna(subset=["_week"])
    grouped = frame.groupby("_week")
    weekly = pd.DataFrame(
        {
            "replies": grouped.size(),
            "with_warning": grouped["_warned"].mean(),
            "warnings_per_reply": grouped["n_warning"].mean(),
        }
    )
    for move in MOVES:
        if move in frame.columns:
            weekly[move] = grouped[move].mean()
    weekly.index.name = "week"
    weekly_rules = None
    top_rules = [r for r in rule_table.index[:5] if rule_table.loc[r, "findings"] > 0]
    if date_field in fdf.columns and top_rules:
        fweeks = _weeks(fdf[date_field])
        subset = fdf.assign(_week=fweeks)
        subset = subset[subset["rule"].isin(top_rules)].dropna(subset=["_week"])
        counts = subset.groupby(["_week", "rule"]).size().unstack(fill_value=0)
        counts = counts.reindex(index=weekly.index, columns=top_rules, fill_value=0)
        weekly_rules = counts.div(weekly["replies"], axis=0) * 100
    note = None
    if undated:
        note = (
            f"{undated:,} linted replies have no usable date in {date_field!r}; "
            "the trends leave them out."
        )
    return weekly, weekly_rules, note


def _labels(values: pd.Series) -> pd.Series:
    return values.astype("object").where(values.notna(), "(none)").astype(str)


def _breakdown(linted: pd.DataFrame, fdf: pd.DataFrame, column: str) -> Breakdown:
    labels = _labels(linted[column])
    frame = _numeric(linted).assign(_group=labels)
    grouped = frame.groupby("_group")
    table = pd.DataFrame(
        {
            "replies": grouped.size(),
            "warnings_per_reply": grouped["n_warning"].mean(),
            "with_warning": grouped["_warned"].mean(),
        }
    )
    for move in BREAKDOWN_MOVES:
        if move in frame.columns:
            table[move] = grouped[move].mean()
    groups = len(table)
    wide = None
    if column in fdf.columns and len(fdf):
        flabels = _labels(fdf[column])
        counts = fdf.assign(_group=flabels).groupby(["_group", "rule"]).size()
        if len(counts):
            wide = counts.unstack(fill_value=0)
            table["top_rule"] = wide.idxmax(axis=1).reindex(table.index)
    if "top_rule" not in table.columns:
        table["top_rule"] = None
    # rank only groups big enough for a rate to mean something
    min_replies = max(1, min(20, int(table["replies"].median() // 4) if groups else 1))
    ranked = table[table["replies"] >= min_replies].sort_values(
        ["warnings_per_reply", "replies"], ascending=[False, False]
    )
    small = table[table["replies"] < min_replies].sort_values("replies", ascending=False)
    shown = pd.concat([ranked, small]).head(MAX_GROUPS)
    heat = None
    if wide is not None:
        # findings per 100 replies: the worst groups (as the table ranks them) x the commonest rules
        worst = (
            ranked.index[:MAX_HEATMAP_GROUPS] if len(ranked) else shown.index[:MAX_HEATMAP_GROUPS]
        )
        rules = wide.sum().sort_values(ascending=False).index[:MAX_HEATMAP_RULES]
        heat = (
            wide.reindex(index=worst, columns=rules, fill_value=0).div(
                table.loc[worst, "replies"], axis=0
            )
            * 100
        )
    shown.index.name = column
    return Breakdown(column=column, table=shown, groups=groups, min_replies=min_replies, heat=heat)


def _top_replies(
    linted: pd.DataFrame, fdf: pd.DataFrame, keys: list[Any], id_column: str | None
) -> pd.DataFrame:
    if not len(linted):
        return pd.DataFrame(columns=[*keys, "n_warning", "n_info", "rules"])
    top = linted[linted["n_warning"] > 0].nlargest(
        MAX_TOP_REPLIES, ["n_warning", "n_info"], keep="first"
    )
    top = top[[*keys, "n_warning", "n_info"]].copy()
    if id_column is not None and id_column in fdf.columns and len(top):
        wanted = fdf[fdf[id_column].isin(top[id_column])]
        rules = wanted.groupby(id_column)["rule"].agg(lambda s: ", ".join(dict.fromkeys(s)))
        top["rules"] = top[id_column].map(rules).fillna("")
    else:
        top["rules"] = ""
    return top


def _examples(
    fdf: pd.DataFrame,
    rule_table: pd.DataFrame,
    per_rule: int,
    keys: list[Any],
    id_column: str | None,
) -> dict[str, pd.DataFrame]:
    chosen: dict[str, pd.DataFrame] = {}
    if per_rule == 0 or not len(fdf):
        return chosen
    wanted = [
        "excerpt",
        "message",
        "suggestion",
        "applicability",
        *[k for k in keys if k in fdf.columns],
    ]
    wanted = [c for c in dict.fromkeys(wanted) if c in fdf.columns]
    rule_codes = fdf["rule"]
    for rule in rule_table.index:
        if rule_table.loc[rule, "findings"] == 0:
            continue
        rows = fdf.loc[rule_codes == rule, wanted].head(EXAMPLE_CANDIDATES)
        # prefer findings with a rewrite, and a different excerpt each
        if "suggestion" in rows.columns:
            order = rows["suggestion"].isna().to_numpy().argsort(kind="stable")
            rows = rows.iloc[order]
        rows = rows.drop_duplicates(subset=["excerpt"]).head(per_rule)
        chosen[str(rule)] = rows
    return chosen
