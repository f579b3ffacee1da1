"""``replylint report``: a scan DIR (archive schema "1", built by tests/scan_fixture.py) as one
offline HTML page. Figures are checked against pyarrow's own counts of the same files; the
page is opened in Debian's headless Chromium with every request but the file itself blocked.

Set REPLYLINT_REPORT_SCREENSHOT=path.png to keep a full-page screenshot.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow", reason="the report extra: pip install -e '.[dev]'")
import pyarrow.compute as pc  # noqa: E402
import pyarrow.dataset as ds  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from replylint.cli import main  # noqa: E402
from replylint.report import load_scan, render, summarize  # noqa: E402
from replylint.report.data import (  # noqa: E402
    MAX_GROUPS,
    MAX_HEATMAP_GROUPS,
    MAX_TOP_REPLIES,
)
from tests.scan_fixture import MOVES, build_scan_dir  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVIL = "<script>alert('x')</script> & \"quoted\""


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scan_dir(tmp_path_factory.mktemp("scan") / "out", n_replies=600, n_errors=5)


@pytest.fixture(scope="module")
def page(scan: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    out = tmp_path_factory.mktemp("report") / "report.html"
    code, _, err = _run(
        str(scan), "-o", str(out), "--by", "team,agent", "--by", "macro", "--date-field",
        "created_at",
    )  # fmt: skip
    assert code == 0, err
    return out, out.read_text(encoding="utf-8"), err


def _text(html: str) -> str:
    """The page's visible text, roughly (tags dropped, entities kept)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_figures_match_the_archive(scan: Path, page: tuple[Path, str, str]) -> None:
    out, html, err = page
    replies = ds.dataset(scan / "replies").to_table()
    findings = ds.dataset(scan / "findings").to_table()
    linted = replies.filter(pc.is_null(replies["error"]))
    # the size is printed, and is the file's size
    size = out.stat().st_size
    assert f"({size / 1024:,.1f} KiB)" in err
    assert f"{replies.num_rows:,} replies, 5 not linted, {findings.num_rows:,} findings" in err
    text = _text(html)
    # headline figures
    warned = pc.sum(pc.greater(linted["n_warning"], 0)).as_py()
    assert f"{warned / linted.num_rows * 100:.0f}% of replies have a warning" in text
    feel = pc.mean(linted["acknowledges_feelings"].cast(pa.float64())).as_py()
    assert f"{feel * 100:.0f}% acknowledge the customer's feelings" in text
    # each move's share is a label of the moves chart
    for move in MOVES:
        share = pc.mean(linted[move].cast(pa.float64())).as_py()
        assert f">{share * 100:.0f}%<" in html, move
    # per rule: its findings and the share of replies it flags, as pyarrow counts them
    for item in pc.value_counts(findings["rule"]).to_pylist():
        rule, count = item["values"], item["counts"]
        ids = pc.count_distinct(findings.filter(pc.equal(findings["rule"], rule))["ticket_id"])
        share = ids.as_py() / linted.num_rows * 100
        assert f"{share:.1f}%  ({count:,})" in html, rule
        assert f"<code>{rule}</code>" in html
    # sections: trends, one breakdown per column, the worst replies, examples, errors
    for anchor in ("moves", "rules", "trends", "by-team", "by-agent", "by-macro", "worst"):
        assert f'id="{anchor}"' in html
    assert "By the week of" in text and "8 weeks" in text
    # moves, apology, rules, 2 trends, 3 heatmaps
    assert len(re.findall(r'<svg [^>]*class="chart"', html)) == 8
    assert "<script" not in html.lower()
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_breakdown_ranks_groups_worst_first(scan: Path) -> None:
    data = load_scan(scan)
    summary = summarize(data.replies, data.findings, by=["team"], meta=data.meta)
    table = summary.breakdowns[0].table
    frame = data.replies.to_pandas()
    frame = frame[frame["error"].isna()]
    expected = frame.groupby("team")["n_warning"].mean().sort_values(ascending=False)
    assert list(table.index) == list(expected.index)
    assert table["warnings_per_reply"].tolist() == pytest.approx(expected.tolist())
    # each team's top rule is the one with the most findings there
    findings = data.findings.to_pandas()
    for team, row in table.iterrows():
        counts = findings[findings["team"] == team]["rule"].value_counts()
        assert counts[row["top_rule"]] == counts.max(), team


def test_examples_are_real_bounded_and_have_rewrites(
    scan: Path, page: tuple[Path, str, str]
) -> None:
    _, html, _ = page
    data = load_scan(scan)
    summary = summarize(data.replies, data.findings, examples=2, meta=data.meta)
    findings = data.findings.to_pandas()
    for rule, rows in summary.examples.items():
        assert 1 <= len(rows) <= 2
        real = findings[findings["rule"] == rule]
        for _, row in rows.iterrows():
            match = real[
                (real["excerpt"] == row["excerpt"]) & (real["ticket_id"] == row["ticket_id"])
            ]
            assert len(match) == 1
        if real["suggestion"].notna().any():
            assert rows["suggestion"].notna().all(), rule  # a rewrite is preferred
    # in the page: the flagged text beside its rewrite, slots marked for the agent
    assert "it&#x27;s our policy" in html
    assert "To keep things fair for every customer" in html
    assert '<span class="slot">&lt;alternative&gt;</span>' in html
    assert "No rewrite offered" in html  # blame-others has none


def test_every_piece_of_archive_text_is_escaped(tmp_path: Path) -> None:
    scan = build_scan_dir(
        tmp_path / "out",
        n_replies=90,
        excerpt_override={"bare-policy": EVIL, "terse-refusal": "</div></section><h1>x</h1>"},
        team_override="<b>Billing</b> $5 & co",
    )
    out = tmp_path / "r.html"
    code, _, err = _run(str(scan), "-o", str(out), "--by", "team", "--date-field", "created_at")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<b>Billing" not in html and "<h1>x</h1>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    # in tables and in the charts' SVG text alike ($ is text, not TeX)
    assert html.count("&lt;b&gt;Billing&lt;/b&gt; $5 &amp; co") >= 3


def test_zero_replies(tmp_path: Path) -> None:
    scan = build_scan_dir(tmp_path / "out", n_replies=0)
    out = tmp_path / "r.html"
    code, _, err = _run(str(scan), "-o", str(out), "--by", "team", "--date-field", "created_at")
    assert code == 0, err
    assert "0 replies, 0 not linted, 0 findings" in err
    html = out.read_text(encoding="utf-8")
    assert "The archive has no replies" in html
    assert "No reply has a usable date" in html


def test_every_reply_an_error(tmp_path: Path) -> None:
    scan = build_scan_dir(tmp_path / "out", n_replies=6, n_errors=6)
    out = tmp_path / "r.html"
    code, _, err = _run(str(scan), "-o", str(out), "--by", "agent")
    assert code == 0, err
    text = _text(out.read_text(encoding="utf-8"))
    assert "No reply could be linted" in text
    assert "6 replies (100.0%) have an error" in text
    assert "text is null" in text and "text is empty" in text


def test_errors_are_counted_and_listed_apart(scan: Path, page: tuple[Path, str, str]) -> None:
    _, html, _ = page
    replies = ds.dataset(scan / "replies").to_table().to_pandas()
    bad = replies[replies["error"].notna()]
    text = _text(html)
    assert f"{len(bad)} replies ({len(bad) / len(replies) * 100:.1f}%) have an error" in text
    errors = html[html.index('id="errors"') :]
    for ticket in bad["ticket_id"]:
        assert f">{ticket}<" in errors
    for kind, n in bad["error"].value_counts().items():
        assert re.search(rf"{re.escape(kind)}</td><td class=\"num\">{n}<", errors)


def test_no_date_column_means_no_trends_said_so(tmp_path: Path) -> None:
    scan = build_scan_dir(tmp_path / "out", n_replies=50, with_date=False)
    out = tmp_path / "r.html"
    code, _, err = _run(str(scan), "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "No date column was given (--date-field), so there are no weekly trends." in html
    # asking for a date column the scan did not keep is an error naming DIR and the columns
    code, _, err = _run(str(scan), "-o", str(out), "--date-field", "created_at")
    assert code == 2
    assert err.strip() == (
        f"replylint: error: {scan}: no column 'created_at' in the replies table "
        "(key columns: ticket_id, team, agent, macro)"
    )


def test_dates_as_text_still_make_weeks(tmp_path: Path) -> None:
    scan = build_scan_dir(tmp_path / "out", n_replies=120, parts=1)
    for name in ("replies", "findings"):
        path = scan / name / "part-00000.parquet"
        table = pq.read_table(path)
        i = table.schema.get_field_index("created_at")
        texts = pc.strftime(table["created_at"], format="%Y-%m-%dT%H:%M:%SZ")
        if name == "replies":  # one unusable date
            texts = pa.chunked_array([["not a date", *texts.to_pylist()[1:]]])
        pq.write_table(table.set_column(i, "created_at", texts), path)
    summary = summarize(load_scan(scan).replies, load_scan(scan).findings, date_field="created_at")
    assert summary.weekly is not None
    assert int(summary.weekly["replies"].sum()) == summary.linted - 1
    assert summary.date_note is not None and "1 linted replies have no usable date" in (
        summary.date_note
    )


@pytest.mark.slow  # a big scan DIR
def test_huge_groups_stay_bounded(tmp_path: Path) -> None:
    small = build_scan_dir(tmp_path / "small", n_replies=300)
    big = build_scan_dir(tmp_path / "big", n_replies=3000)
    sizes = []
    for scan in (small, big):
        data = load_scan(scan)
        # one agent per reply: thousands of groups
        replies = data.replies.set_column(
            data.replies.schema.get_field_index("agent"), "agent", data.replies["ticket_id"]
        )
        findings = data.findings.set_column(
            data.findings.schema.get_field_index("agent"), "agent", data.findings["ticket_id"]
        )
        summary = summarize(replies, findings, by=["agent"], date_field="created_at", examples=3)
        b = summary.breakdowns[0]
        assert b.groups == replies.num_rows - summary.errored
        assert len(b.table) == MAX_GROUPS
        assert b.heat is not None and len(b.heat) <= MAX_HEATMAP_GROUPS
        assert len(summary.top_replies) == MAX_TOP_REPLIES
        assert all(len(rows) <= 3 for rows in summary.examples.values())
        sizes.append(len(render(summary).encode()))
    # ten times the replies, about the same page
    assert sizes[1] < sizes[0] * 1.3, sizes


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "{dir}: not a directory (give the DIR written by replylint scan --out)"),
        (
            "empty",
            "{dir}: not a replylint scan output (no _replylint.json, replies, findings; "
            "run replylint scan ... --out DIR first)",
        ),
        ("version", "{dir}/_replylint.json: schema_version '2'; this replylint reads schema '1'"),
        ("badjson", "{dir}/_replylint.json: unreadable metadata (Expecting value: line 1 column 1"),
        ("parquet", "{dir}/replies: unreadable Parquet ("),
        ("columns", "{dir}/findings: not a replylint scan dataset (no column rule, severity"),
        ("archive", "{dir}/replies/part-00000.parquet: an archive needs --text-field and --id"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, setup: str, message: str) -> None:
    root = tmp_path / "out"
    target = root
    if setup == "empty":
        root.mkdir()
    elif setup != "missing":
        build_scan_dir(root, n_replies=20)
    if setup == "version":
        meta = json.loads((root / "_replylint.json").read_text())
        (root / "_replylint.json").write_text(json.dumps({**meta, "schema_version": "2"}))
    elif setup == "badjson":
        (root / "_replylint.json").write_text("")
    elif setup == "parquet":
        (root / "replies" / "part-00000.parquet").write_bytes(b"PAR1 not really")
    elif setup == "columns":
        path = root / "findings" / "part-00000.parquet"
        table = pq.read_table(path)
        pq.write_table(table.drop_columns(["rule", "severity"]), path)
    elif setup == "archive":
        target = root / "replies" / "part-00000.parquet"
    out = tmp_path / "r.html"
    code, stdout, err = _run(str(target), "-o", str(out))
    assert code == 2
    assert stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("replylint: error: " + message.format(dir=root)), lines[0]
    assert not out.exists()


@pytest.mark.slow  # fresh interpreters
def test_report_help_and_run_load_no_spacy(scan: Path, tmp_path: Path) -> None:
    """``report --help`` imports neither spaCy nor the report's libraries; a run imports
    pandas and matplotlib but never spaCy."""
    probe = textwrap.dedent(
        """
        import json, sys
        from click.testing import CliRunner
        from replylint.cli import main
        result = CliRunner().invoke(main, {args!r})
        mods = ("spacy", "pandas", "matplotlib", "pyarrow")
        print(json.dumps({{"code": result.exit_code, "out": result.output,
            "mods": [m for m in mods if m in sys.modules]}}))
        """
    )
    out = tmp_path / "r.html"
    help_run, real_run = (
        json.loads(
            subprocess.run(
                [sys.executable, "-c", probe.format(args=args)],
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            ).stdout.splitlines()[-1]
        )
        for args in (["report", "--help"], ["report", str(scan), "-o", str(out)])
    )
    assert help_run["code"] == 0 and "--date-field" in help_run["out"]
    assert help_run["mods"] == []
    assert real_run["code"] == 0, real_run["out"]
    assert "spacy" not in real_run["mods"]
    assert {"pandas", "matplotlib", "pyarrow"} <= set(real_run["mods"])


@pytest.mark.slow  # headless Chromium
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium "
    "(apt-get install chromium; .ci/run installs it)",
)
def test_renders_offline_in_chromium(tmp_path: Path) -> None:
    """The page renders with no console error and asks the network for nothing: every request
    but the file itself is aborted and recorded."""
    from playwright.sync_api import sync_playwright

    scan = build_scan_dir(tmp_path / "out", n_replies=500, excerpt_override={"self-focus": EVIL})
    out = tmp_path / "report.html"
    code, _, err = _run(
        str(scan), "-o", str(out), "--by", "team,agent,macro", "--date-field", "created_at"
    )
    assert code == 0, err
    url = out.resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            requests: list[str] = []
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on(
                "console",
                lambda msg: (
                    problems.append(f"console: {msg.text}")
                    if msg.type in ("error", "warning")
                    else None
                ),
            )

            def block(route, request) -> None:  # type: ignore[no-untyped-def]
                requests.append(request.url)
                if request.url == url:
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", block)
            page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
            page.goto(url, wait_until="load")
            page.wait_for_timeout(300)
            assert problems == []
            assert [r for r in requests if r != url] == []
            assert requests.count(url) >= 1

            charts = page.locator("svg.chart")
            assert charts.count() >= 8
            for i in range(charts.count()):
                box = charts.nth(i).bounding_box()
                assert box is not None and box["width"] > 500 and box["height"] > 40
            assert page.locator("script").count() == 0
            # the archive's markup shows as text, it is not markup
            assert page.get_by_text(EVIL, exact=False).count() >= 1
            assert page.locator("h1").count() == 1
            # nothing wider than the window: no sideways scrolling
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
            if shot := os.environ.get("REPLYLINT_REPORT_SCREENSHOT"):
                page.screenshot(path=shot, full_page=True)
        finally:
            browser.close()
