"""The report's charts: matplotlib figures rendered as inline SVG (no JavaScript, no fonts or
files to fetch: text is SVG ``<text>`` in the page's own font stack, escaped by matplotlib's
SVG writer).

Figures are built with ``matplotlib.figure.Figure`` directly, never pyplot, so no global
state or GUI backend is touched, and every setting is local to one ``rc_context``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH = 10.2  # inches at 96 dpi: the report's content column, so 10 pt text reads as 13 px
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
TEAL = "#0f766e"
SEVERITY_COLORS = {"error": "#b91c1c", "warning": "#d97706", "info": "#2563eb"}
LINE_COLORS = ["#0f766e", "#d97706", "#2563eb", "#9333ea", "#be123c", "#4d7c0f"]
APOLOGY_COLORS = {
    "owning": "#0f766e",
    "scripted": "#d97706",
    "non-apology": "#b91c1c",
    "none": "#d1d5db",
}
RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # <text>, not glyph paths: small, selectable, the page's font
    "svg.hashsalt": "replylint-report",  # stable ids (each chart's ids get a prefix too)
    "text.parse_math": False,  # a "$" in an agent's name is text, not TeX
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"],
    "font.size": 10,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlecolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.image_inline": True,
}
_counter = iter(range(1, 1 << 30))
_ID = re.compile(r'\b(id="|url\(#|href="#)([^")]+)')


@contextmanager
def _figure(width: float, height: float) -> Iterator[Figure]:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), dpi=96, layout="constrained")
        yield fig


def _svg(fig: Figure, label: str) -> str:
    """The figure as an inline ``<svg>`` element that scales to its container."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # ids must be unique across the page's several charts
    prefix = f"c{next(_counter)}-"
    text = _ID.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", text)
    head_end = text.index(">")
    head = re.sub(r'\s(width|height)="[^"]*"', "", text[:head_end])
    safe_label = (
        label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
    head += f' class="chart" role="img" aria-label="{safe_label}"'
    return head + text[head_end:]


def _percent_axis(ax: Axes, axis: str = "x", limit: float = 100) -> None:
    from matplotlib.ticker import PercentFormatter

    formatter = PercentFormatter(xmax=100, decimals=0)
    if axis == "x":
        ax.set_xlim(0, limit)
        ax.xaxis.set_major_formatter(formatter)
        ax.grid(axis="x", color=GRID, linewidth=0.8)
    else:
        ax.set_ylim(0, limit)
        ax.yaxis.set_major_formatter(formatter)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def moves_chart(moves: pd.Series, labels: dict[str, str]) -> str:
    """Horizontal bars: the share of replies making each empathy move, largest first."""
    data = moves.sort_values()
    with _figure(WIDTH, 0.3 * len(data) + 0.6) as fig:
        ax = fig.add_subplot()
        values = data.to_numpy() * 100
        names = [labels.get(str(m), str(m)) for m in data.index]
        ax.barh(names, values, color=TEAL, height=0.62)
        for y, value in enumerate(values):
            ax.text(value + 1, y, f"{value:.0f}%", va="center", fontsize=9, color=INK)
        _percent_axis(ax, "x", 108)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        return _svg(fig, "Share of replies making each empathy move")


def apology_chart(kinds: pd.Series) -> str:
    """One 100 % bar: how the replies apologise (owning, scripted, non-apology, none)."""
    total = float(kinds.sum()) or 1.0
    order = [k for k in APOLOGY_COLORS if k in kinds.index] + [
        k for k in kinds.index if k not in APOLOGY_COLORS
    ]
    with _figure(WIDTH, 0.75) as fig:
        ax = fig.add_subplot()
        left = 0.0
        for kind in order:
            share = float(kinds[kind]) / total * 100
            color = APOLOGY_COLORS.get(str(kind), "#9ca3af")
            ax.barh([0], [share], left=left, color=color, height=0.6, label=f"{kind} {share:.0f}%")
            if share >= 12:
                ax.text(
                    left + share / 2,
                    0,
                    f"{kind} {share:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if kind != "none" else INK,
                )
            left += share
        ax.set_xlim(0, 100)
        ax.set_yticks([])
        ax.set_xticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.05),
            ncol=len(order),
            frameon=False,
            fontsize=9,
        )
        return _svg(fig, "How replies apologise")


def rules_chart(rules: pd.DataFrame) -> str:
    """Horizontal bars: the share of replies each rule flags, coloured by severity."""
    data = rules[rules["findings"] > 0].head(15).iloc[::-1]
    with _figure(WIDTH, 0.3 * len(data) + 0.9) as fig:
        ax = fig.add_subplot()
        values = data["share"].to_numpy() * 100
        colors = [SEVERITY_COLORS.get(str(s), MUTED) for s in data["severity"]]
        ax.barh([str(r) for r in data.index], values, color=colors, height=0.62)
        top = max(float(values.max()) if len(values) else 0.0, 1.0)
        for y, (value, count) in enumerate(zip(values, data["findings"], strict=True)):
            ax.text(
                value + top * 0.01,
                y,
                f"{value:.1f}%  ({int(count):,})",
                va="center",
                fontsize=9,
                color=INK,
            )
        _percent_axis(ax, "x", min(100.0, top * 1.25))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        handles = [
            _patch(color, name)
            for name, color in SEVERITY_COLORS.items()
            if name in set(data["severity"])
        ]
        ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=len(handles),
            frameon=False,
            fontsize=9,
        )
        return _svg(fig, "Share of replies each rule flags")


def _patch(color: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(color=color, label=label)


def trend_chart(weekly: pd.DataFrame, moves: list[str], labels: dict[str, str]) -> str:
    """Two panels by week: replies with a warning, and the main empathy moves."""
    weeks = pd.to_datetime(weekly.index)
    with _figure(WIDTH, 3.0) as fig:
        left, right = fig.subplots(1, 2)
        left.plot(
            weeks,
            weekly["with_warning"] * 100,
            color=SEVERITY_COLORS["warning"],
            marker="o",
            markersize=4,
            linewidth=2,
        )
        left.fill_between(
            weeks, weekly["with_warning"] * 100, color=SEVERITY_COLORS["warning"], alpha=0.12
        )
        left.set_title("Replies with a warning")
        _percent_axis(left, "y", 100)
        for i, move in enumerate(moves):
            if move in weekly.columns:
                right.plot(
                    weeks,
                    weekly[move] * 100,
                    color=LINE_COLORS[i % len(LINE_COLORS)],
                    marker="o",
                    markersize=3.5,
                    linewidth=1.8,
                    label=labels.get(move, move),
                )
        right.set_title("Empathy moves")
        _percent_axis(right, "y", 100)
        right.legend(frameon=False, fontsize=8.5, loc="lower left", ncol=2)
        for ax in (left, right):
            _date_axis(ax)
        return _svg(fig, "Weekly trends: replies with a warning and empathy moves")


def rule_trend_chart(weekly_rules: pd.DataFrame) -> str:
    """Lines by week: findings per 100 replies of the most common rules."""
    weeks = pd.to_datetime(weekly_rules.index)
    with _figure(WIDTH, 2.6) as fig:
        ax = fig.add_subplot()
        for i, rule in enumerate(weekly_rules.columns):
            ax.plot(
                weeks,
                weekly_rules[rule],
                color=LINE_COLORS[i % len(LINE_COLORS)],
                marker="o",
                markersize=3.5,
                linewidth=1.8,
                label=str(rule),
            )
        ax.set_title("Findings per 100 replies, most common rules")
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.legend(frameon=False, fontsize=8.5, loc="center left", bbox_to_anchor=(1.0, 0.5))
        _date_axis(ax)
        return _svg(fig, "Weekly findings per 100 replies for the most common rules")


def _date_axis(ax: Axes) -> None:
    from matplotlib.dates import AutoDateLocator, DateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(DateFormatter("%d %b"))  # type: ignore[no-untyped-call]


def heatmap(heat: pd.DataFrame, column: str) -> str:
    """Groups x rules: findings per 100 replies, darker is worse, each cell labelled."""
    import numpy as np

    values = heat.to_numpy(dtype="float64")
    rows, cols = values.shape
    with _figure(WIDTH, 0.3 * rows + 1.5) as fig:
        ax = fig.add_subplot()
        top = float(np.nanmax(values)) if values.size else 1.0
        ax.imshow(values, cmap="Oranges", aspect="auto", vmin=0, vmax=max(top, 1.0))
        ax.set_xticks(
            range(cols), [str(c) for c in heat.columns], rotation=35, ha="right", fontsize=9
        )
        ax.set_yticks(range(rows), [_short(str(g)) for g in heat.index], fontsize=9)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for r in range(rows):
            for c in range(cols):
                value = values[r, c]
                ax.text(
                    c,
                    r,
                    f"{value:.0f}" if value >= 1 or value == 0 else f"{value:.1f}",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="white" if value > top * 0.6 else INK,
                )
        ax.set_title(f"Findings per 100 replies, by {_short(column)}")
        return _svg(fig, f"Findings per 100 replies by {column} and rule")


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
