"""``replylint scan`` (an archive into Parquet datasets) and ``replylint report`` (a scan's QA
report as one HTML page)."""

from __future__ import annotations

import os
import sys
from typing import TextIO

import click

from .app import main
from .common import fail, ids


@main.command()
@click.argument("source", metavar="DIR|ARCHIVE", type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    metavar="FILE",
    help="The HTML file to write.",
)
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="COLS",
    help="Key columns to break the figures down by (comma-separated; e.g. team,agent,macro).",
)
@click.option(
    "--date-field",
    default=None,
    metavar="COL",
    help="The date column for weekly trends (e.g. created_at); without it, no trends.",
)
@click.option(
    "--examples",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Real examples shown per rule.",
)
@click.option("--title", default="Reply empathy report", show_default=True, help="Page title.")
@click.option(
    "--text-field", default=None, metavar="NAME", help="With an ARCHIVE: the column of replies."
)
@click.option(
    "--id-field", default=None, metavar="NAME", help="With an ARCHIVE: the column of reply ids."
)
@click.option(
    "--customer-field",
    default=None,
    metavar="NAME",
    help="With an ARCHIVE: the column of the customer's messages.",
)
@click.option(
    "--scan-dir",
    default=None,
    metavar="DIR",
    help="With an ARCHIVE: where its scan is written (and resumed).  [default: ARCHIVE.scan]",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, help="With an ARCHIVE.")
def report(
    source: str,
    output: str,
    by: tuple[str, ...],
    date_field: str | None,
    examples: int,
    title: str,
    text_field: str | None,
    id_field: str | None,
    customer_field: str | None,
    scan_dir: str | None,
    jobs: int,
) -> None:
    """Write a QA report of a scan's output (`replylint scan ... --out DIR`) as one HTML file.

    Given an ARCHIVE (a Parquet or CSV file of replies) instead, it is scanned first into
    --scan-dir (kept, so a second report, or a killed scan, starts from it), keeping the --by
    and --date-field columns. The page is self-contained: it opens offline and loads nothing.
    Needs the report extra: pip install 'replylint[report]'.
    """
    import importlib.util

    missing = [
        m for m in ("pandas", "pyarrow", "matplotlib") if importlib.util.find_spec(m) is None
    ]
    if missing:
        fail(f"`replylint report` needs {', '.join(missing)}: pip install 'replylint[report]'")
    if os.path.isfile(source):
        if text_field is None or id_field is None:
            fail(
                f"{source}: an archive needs --text-field and --id-field (or give the DIR "
                f"written by `replylint scan {source} --out DIR`)"
            )
        scanned = scan_dir or f"{source}.scan"
        _scan(
            source,
            scanned,
            text_field=text_field,
            customer_field=customer_field,
            id_field=id_field,
            keep=[c for c in [*ids(by), date_field] if c],
            jobs=jobs,
            out=sys.stderr,
        )
        source = scanned
    from ..report import ReportError, write_report

    try:
        result = write_report(
            source, output, by=ids(by), date_field=date_field, examples=examples, title=title
        )
    except ReportError as exc:
        fail(str(exc))
    s = result.summary
    click.echo(
        f"wrote {result.path} ({result.size / 1024:,.1f} KiB): {s.replies:,} replies, "
        f"{s.errored:,} not linted, {sum(s.findings_by_severity.values()):,} findings",
        err=True,
    )


@main.command()
@click.argument("archive", metavar="ARCHIVE")
@click.option("--text-field", required=True, metavar="NAME", help="The column of reply texts.")
@click.option(
    "--customer-field",
    default=None,
    metavar="NAME",
    help="The column of the customer's message each reply answers (context for the rules).",
)
@click.option(
    "--id-field", required=True, metavar="NAME", help="The column identifying each reply."
)
@click.option(
    "--keep",
    multiple=True,
    metavar="NAMES",
    help="Comma-separated columns to pass through to both outputs (team, agent, macro, date).",
)
@click.option(
    "--out", "out_dir", required=True, metavar="DIR", help="The folder to write the results to."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="Lint in N worker processes.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Use this configuration file (default: the closest one to ARCHIVE).",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, metavar="IDS", help="Comma-separated rule ids to run.")
@click.option("--ignore", multiple=True, metavar="IDS", help="Comma-separated rule ids to skip.")
@click.option(
    "--part-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Input rows per output part file (the unit a killed scan resumes from).",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    metavar="N",
    help="A longer reply is a bad row (its error column says so), not linted.",
)
def scan(
    archive: str,
    text_field: str,
    customer_field: str | None,
    id_field: str,
    keep: tuple[str, ...],
    out_dir: str,
    jobs: int,
    config_file: str | None,
    isolated: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    part_rows: int,
    max_chars: int,
) -> None:
    """Lint a helpdesk archive (Parquet file or folder, or CSV) into Parquet datasets.

    Writes DIR/replies (one row per reply: keys, counts, empathy profile, findings) and
    DIR/findings (one row per finding). Killed and started again with the same arguments, it
    resumes where it stopped. Exit status: 0 done (bad rows are in the output), 2 errors.
    """
    _scan(
        archive,
        out_dir,
        text_field=text_field,
        customer_field=customer_field,
        id_field=id_field,
        keep=ids(keep),
        jobs=jobs,
        config_file=config_file,
        isolated=isolated,
        select=select,
        ignore=ignore,
        part_rows=part_rows,
        max_chars=max_chars,
    )


def _scan(
    archive: str,
    out_dir: str,
    *,
    text_field: str,
    customer_field: str | None,
    id_field: str,
    keep: list[str],
    jobs: int = 1,
    config_file: str | None = None,
    isolated: bool = False,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    part_rows: int | None = None,
    max_chars: int | None = None,
    out: TextIO | None = None,
) -> None:
    """``replylint scan``: lint ``archive`` into ``out_dir``; the summary line to ``out``."""
    import dataclasses

    from ..config import ConfigError, ConfigResolver, Overrides
    from ..nlp import ModelError
    from ..rulebook import RuleBookError
    from ..scan import ScanError, ScanOptions
    from ..scan import scan as run_scan

    overrides = Overrides(select=tuple(ids(select)) if select else None, ignore=tuple(ids(ignore)))
    try:
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        config = resolver.for_path(archive)
        from ..api import Linter, own_process

        own_process()  # the command line owns this process: see own_process
        Linter(config, lazy=True)  # unknown rule ids, a missing model: said now, in one line
        options = ScanOptions(
            archive=archive,
            out=out_dir,
            text=text_field,
            id=id_field,
            customer=customer_field,
            keep=tuple(keep),
            config=config,
            jobs=jobs,
        )
        if part_rows is not None:
            options = dataclasses.replace(options, part_rows=part_rows)
        if max_chars is not None:
            options = dataclasses.replace(options, max_chars=max_chars)
        result = run_scan(
            options,
            progress=sys.stderr if sys.stderr.isatty() else None,
        )
    except (ConfigError, ModelError, RuleBookError, ScanError, ValueError) as exc:
        fail(str(exc))
    kept = f" ({result.kept_parts} parts kept from an earlier run)" if result.kept_parts else ""
    click.echo(
        f"{result.rows:,} replies in {out_dir}{kept}: {result.linted:,} linted in "
        f"{result.seconds:.1f} s, {result.findings:,} findings, {result.errors:,} bad rows",
        file=out,
    )
