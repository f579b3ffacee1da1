"""Peak memory of a warm ``replylint check`` over many small draft files, at two sizes.

    python benchmarks/warm_memory.py [--small 10000] [--big 100000] [--distinct 2000]
                                     [--format text] [--keep DIR]

For each size N it writes N draft files (seeded, from ``make_corpus.py``; 1,000 files a
folder, as a repository of canned replies would hold them) under a temporary folder in /tmp,
runs ``replylint check`` once cold (filling the cache) and then warm (every file answered from
the cache), and prints the warm run's peak RSS (``os.wait4`` of the child) and wall time. Last,
the ratio big/small: a streaming run's memory should not grow with the number of files.

Only ``--distinct`` texts are linted: file N holds text N mod ``--distinct``, so the cold run
parses a few thousand drafts, not 100,000 (the warm run still reads, hashes and looks up every
file, and prints its findings). The folder is deleted afterwards unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import drafts

PY = sys.executable
PER_FOLDER = 1000


def write_files(n: int, folder: Path, texts: list[str]) -> None:
    for i in range(n):
        sub = folder / f"{i // PER_FOLDER:04d}"
        if i % PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:07d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")


def run(args: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS (KiB), exit status and standard error of a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss, proc.returncode, err


def measure(n: int, work: Path, texts: list[str], fmt: str) -> tuple[int, float]:
    """Warm peak RSS (KiB) and wall seconds over n files."""
    folder, cache = work / f"drafts-{n}", work / f"cache-{n}"
    start = time.perf_counter()
    write_files(n, folder, texts)
    made = time.perf_counter() - start
    base = [PY, "-m", "replylint.cli", "check", str(folder), "--isolated", "--format", fmt]
    base += ["--cache-dir", str(cache)]
    cold, cold_rss, status, err = run(base)
    if status not in (0, 1):
        raise SystemExit(f"cold run over {n} files exited {status}: {err.strip()[-500:]}")
    warm, rss, status, err = run(base)
    if status not in (0, 1):
        raise SystemExit(f"warm run over {n} files exited {status}: {err.strip()[-500:]}")
    print(
        f"  {n:>7} files  written in {made:5.1f} s   cold {cold:6.1f} s {cold_rss / 1024:6.0f} MiB"
        f"   warm {warm:6.1f} s  peak RSS {rss / 1024:6.1f} MiB"
    )
    shutil.rmtree(folder)
    shutil.rmtree(cache)
    return rss, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=2_000, help="distinct draft texts")
    parser.add_argument("--format", default="text", help="the output format of the runs")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    opts = parser.parse_args()
    texts = list(drafts(opts.distinct))
    work = opts.keep or Path(tempfile.mkdtemp(prefix="replylint-warm-", dir="/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"warm runs of `replylint check --format {opts.format}` ({opts.distinct} distinct texts)")
    try:
        small, small_wall = measure(opts.small, work, texts, opts.format)
        big, big_wall = measure(opts.big, work, texts, opts.format)
    finally:
        if opts.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"  ratio {opts.big}/{opts.small} files: peak RSS {big / small:.2f}x, "
        f"warm wall {big_wall / small_wall:.2f}x "
        f"({(big - small) * 1024 / (opts.big - opts.small):.0f} bytes per further file)"
    )


if __name__ == "__main__":
    main()
