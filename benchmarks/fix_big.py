"""`replylint fix` on big CSV exports: time and peak RSS for a small and a big file, and ratios.

Builds CSV exports of reply drafts (bench.py's corpus builder: id, subject, body) of about 2 MB
and 20 MB, copies each to a scratch folder and runs `replylint fix` on it in a fresh process,
then prints wall seconds, peak RSS and their ratios big/small (linear time: the time ratio near
the size ratio; flat memory: the RSS ratio near 1). `replylint check --no-cache` is timed on
the same files too (its peak RSS printed), as the floor a fix (which lints) cannot go under:
fix/check time near 1. Both read files of 1 MiB or more in chunks (sources/stream.py).
Targets (issue 17): fix peak RSS big/small within ~1.2x, fix time within ~1.5x of check's.

    python benchmarks/fix_big.py                 # 2 MB and 20 MB
    python benchmarks/fix_big.py --sizes 1 5     # other sizes (MB)
    python benchmarks/fix_big.py --no-check      # fix only
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import PY, run, write_csv


def build(megabytes: float, path: Path) -> int:
    """A CSV export of about ``megabytes`` MB (10**6 bytes); its rows."""
    probe = path.with_suffix(".probe.csv")
    write_csv(500, probe)
    per_row = probe.stat().st_size / 500
    probe.unlink()
    rows = max(1, round(megabytes * 1e6 / per_row))
    write_csv(rows, path)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs=2, default=[2.0, 20.0], metavar="MB")
    parser.add_argument(
        "--no-check", dest="check", action="store_false", help="do not time `replylint check`"
    )
    args = parser.parse_args()
    results: list[tuple[float, int, float, float | None, int | None]] = []
    with tempfile.TemporaryDirectory(prefix="replylint-fix-big-") as tmp:
        folder = Path(tmp)
        for mb in args.sizes:
            source = folder / f"replies-{mb:g}mb.csv"
            rows = build(mb, source)
            size = source.stat().st_size / 1e6
            print(f"{source.name}: {size:.1f} MB, {rows} rows")
            check_wall: float | None = None
            check_rss: int | None = None
            if args.check:
                check_wall, check_rss, _ = run(
                    [PY, "-m", "replylint.cli", "check", "--no-cache", str(source)]
                )
                print(f"  check --no-cache {check_wall:8.1f} s {check_rss:6d} MiB")
            target = folder / "fixed.csv"
            shutil.copy(source, target)
            wall, rss, status = run([PY, "-m", "replylint.cli", "fix", "-q", str(target)])
            changed = target.read_bytes() != source.read_bytes()
            print(
                f"  fix              {wall:8.1f} s {rss:6d} MiB  ({size / wall:.2f} MB/s, "
                f"exit {status}, {'changed' if changed else 'unchanged'})"
            )
            results.append((size, rss, wall, check_wall, check_rss))
    (s1, r1, w1, c1, cr1), (s2, r2, w2, c2, cr2) = results
    print(
        f"big/small: size {s2 / s1:.1f}x, fix time {w2 / w1:.1f}x, fix peak RSS {r2 / r1:.2f}x"
        + (f", check time {c2 / c1:.1f}x" if c1 and c2 else "")
        + (f", check peak RSS {cr2 / cr1:.2f}x" if cr1 and cr2 else "")
    )
    if c1 and c2:
        print(f"fix/check time: small {w1 / c1:.2f}x, big {w2 / c2:.2f}x")


if __name__ == "__main__":
    main()
