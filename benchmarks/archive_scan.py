"""`replylint scan --jobs N` on a synthetic helpdesk archive, against `replylint check --jobs N`
on the same texts written as files; peak memory at two archive sizes; CPU-ms per reply.

    python benchmarks/archive_scan.py [--small 20000] [--large 200000] [--jobs 2] [--work DIR]

The archive is built from the benchmark's drafts (make_corpus.py), with ticket/team/agent/
date columns, as Parquet with row groups of 5,000 rows. Peak RSS is of the scan's whole process
tree (main process plus workers, sampled every 50 ms with psutil), and CPU time is the tree's
user+system time (from the kernel's accounting of waited-for children). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import drafts  # noqa: E402

CLI = [sys.executable, "-c", "from replylint.cli import main; main()"]


def build(n: int, path: Path) -> list[str]:
    texts = list(drafts(n))
    table = pa.table(
        {
            "ticket_id": [f"T{i:08d}" for i in range(n)],
            "team": [("billing", "shipping", "tech", "accounts")[i % 4] for i in range(n)],
            "agent": [f"agent{i % 40:02d}" for i in range(n)],
            "created_at": pa.array([1_700_000_000 + 60 * i for i in range(n)], pa.int64()),
            "body": texts,
        }
    )
    pq.write_table(table, path, row_group_size=5_000)
    return texts


def run(argv: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS of the process tree (bytes), CPU seconds of the tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    top = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[3]} failed ({proc.returncode}): {proc.stderr.read().decode()}")
    return wall, peak, cpu


def scan(archive: Path, out: Path, jobs: int) -> tuple[float, int, float]:
    shutil.rmtree(out, ignore_errors=True)
    argv = [*CLI, "scan", str(archive), "--text-field", "body", "--id-field", "ticket_id"]
    argv += ["--keep", "team,agent,created_at", "--out", str(out), "--jobs", str(jobs)]
    return run(argv)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=20_000)
    ap.add_argument("--large", type=int, default=200_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default=None)
    ap.add_argument(
        "--no-check-large",
        dest="check_large",
        action="store_false",
        help="skip `check` on the large archive's texts (the throughput is then compared on the "
        "small one only)",
    )
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="replylint-archive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")

    small = work / f"archive-{args.small}.parquet"
    texts = build(args.small, small)
    files = work / f"files-{args.small}"
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir()
    for i, text in enumerate(texts):
        (files / f"{i:08d}.txt").write_text(text, encoding="utf-8")
    print(f"archive: {args.small:,} replies, {small.stat().st_size / 1e6:.1f} MB of Parquet")

    s_wall, s_peak, s_cpu = scan(small, work / "out-small", args.jobs)
    c_wall, c_peak, c_cpu = run(
        [*CLI, "check", str(files), "--jobs", str(args.jobs), "--no-cache", "-q"]
    )
    n = args.small
    print(
        f"scan  --jobs {args.jobs}: {n / s_wall:7.1f} drafts/s  ({s_wall:6.1f} s wall, "
        f"{1000 * s_cpu / n:.2f} CPU-ms/reply, peak RSS {s_peak / 2**20:.0f} MiB)"
    )
    print(
        f"check --jobs {args.jobs}: {n / c_wall:7.1f} drafts/s  ({c_wall:6.1f} s wall, "
        f"{1000 * c_cpu / n:.2f} CPU-ms/reply, peak RSS {c_peak / 2**20:.0f} MiB)"
    )
    print(f"scan/check throughput: {c_wall / s_wall:.0%}")

    large = work / f"archive-{args.large}.parquet"
    texts = build(args.large, large)
    l_wall, l_peak, l_cpu = scan(large, work / "out-large", args.jobs)
    print(
        f"scan  --jobs {args.jobs} on {args.large:,}: {args.large / l_wall:7.1f} drafts/s "
        f"({l_wall:6.1f} s wall, {1000 * l_cpu / args.large:.2f} CPU-ms/reply, "
        f"peak RSS {l_peak / 2**20:.0f} MiB)"
    )
    print(f"peak RSS {args.large:,} / {args.small:,}: {l_peak / s_peak:.2f}")
    if args.check_large:  # the same comparison at the large size: files in folders of 1,000
        shutil.rmtree(files, ignore_errors=True)
        files = work / f"files-{args.large}"
        for i, text in enumerate(texts):
            folder = files / f"{i // 1000:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{i:08d}.txt").write_text(text, encoding="utf-8")
        c_wall, c_peak, c_cpu = run(
            [*CLI, "check", str(files), "--jobs", str(args.jobs), "--no-cache", "-q"]
        )
        print(
            f"check --jobs {args.jobs} on {args.large:,}: {args.large / c_wall:7.1f} drafts/s "
            f"({c_wall:6.1f} s wall, {1000 * c_cpu / args.large:.2f} CPU-ms/reply, "
            f"peak RSS {c_peak / 2**20:.0f} MiB)"
        )
        print(f"scan/check throughput on {args.large:,}: {c_wall / l_wall:.0%}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
