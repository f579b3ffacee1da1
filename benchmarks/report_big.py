"""How ``replylint report`` scales: a synthetic scan DIR of N replies (tests/scan_fixture.py's
2,000 replies, repeated with fresh ticket ids and one agent per 50 replies), then the report,
timed, with its size and the process's peak RSS.

    python benchmarks/report_big.py [--replies 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from scan_fixture import build_scan_dir

from replylint.report import write_report


def _grow(table: pa.Table, copies: int, base_ids: pa.Array) -> pa.Table:
    parts = []
    for k in range(copies):
        ids = pc.binary_join_element_wise(base_ids, pa.scalar(f"-{k}"), "")
        part = table.set_column(table.schema.get_field_index("ticket_id"), "ticket_id", ids)
        agents = pc.binary_join_element_wise(part["agent"], pa.scalar(f"{k % 40}"), "")
        part = part.set_column(part.schema.get_field_index("agent"), "agent", agents)
        parts.append(part)
    return pa.concat_tables(parts)


def build(root: Path, replies: int) -> Path:
    seed = build_scan_dir(root / "seed", n_replies=2000, n_errors=20, parts=1)
    copies = max(1, replies // 2000)
    out = root / "scan"
    for name in ("replies", "findings"):
        table = ds.dataset(seed / name).to_table()
        big = _grow(table, copies, table["ticket_id"])
        (out / name).mkdir(parents=True)
        pq.write_table(big, out / name / "part-00000.parquet", row_group_size=200_000)
    (out / "_replylint.json").write_bytes((seed / "_replylint.json").read_bytes())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="build the DIR here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = args.keep or Path(temp)
        t0 = time.perf_counter()
        scan = build(root, args.replies)
        rows = pq.ParquetFile(scan / "replies" / "part-00000.parquet").metadata.num_rows
        frows = pq.ParquetFile(scan / "findings" / "part-00000.parquet").metadata.num_rows
        print(f"built {rows:,} replies, {frows:,} findings in {time.perf_counter() - t0:.1f} s")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        result = write_report(
            scan,
            root / "report.html",
            by=["team", "agent", "macro"],
            date_field="created_at",
        )
        elapsed = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"report: {elapsed:.1f} s, {result.size / 1024:,.1f} KiB, "
            f"{result.summary.breakdowns[1].groups:,} agents (25 shown), "
            f"peak RSS {rss:,.0f} MiB (before the report: {rss0:,.0f} MiB)"
        )


if __name__ == "__main__":
    main()
