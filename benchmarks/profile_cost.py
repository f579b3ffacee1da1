"""What the empathy profile costs the engine: the benchmark corpus linted with and without it,
in one process, in alternating rounds (medians), and the ratio.

    python benchmarks/profile_cost.py [--drafts 2000] [--rounds 5]

"Without" replaces the engine's ``profile_of`` by a function returning a fixed profile (the
rest of the pass, the cache format and the outputs unchanged), so the difference is what
reading the moves off each draft costs, parses it asks for included. Each round starts from an
empty parse memo, as a fresh process would. Prints figures, not verdicts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import drafts

from replylint import Linter, analysis
from replylint.engine import batch
from replylint.engine.moves import NO_MOVES as FIXED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    items: list[tuple[str, str | None]] = [(t, None) for t in drafts(args.drafts)]
    linter = Linter()
    engine = linter._get_engine()
    real, analyse = batch.profile_of, analysis.analyse
    count = [0]

    def counting(nlp, docs, batch_size):  # type: ignore[no-untyped-def]
        count[0] += len(docs)
        return analyse(nlp, docs, batch_size)

    analysis.analyse = counting
    times: dict[str, list[float]] = {"with": [], "without": []}
    parsed: dict[str, int] = {}
    for _ in range(args.rounds):
        for name in ("without", "with"):
            batch.profile_of = real if name == "with" else lambda ctx: FIXED  # type: ignore[assignment]
            engine.compiled.parses.memo.clear()
            count[0] = 0
            start = time.perf_counter()
            engine.analyse(items)
            times[name].append(time.perf_counter() - start)
            parsed[name] = count[0]
    batch.profile_of, analysis.analyse = real, analyse
    without, with_ = statistics.median(times["without"]), statistics.median(times["with"])
    print(f"{args.drafts} drafts, {args.rounds} alternating rounds (median seconds):")
    print(f"  engine without the profile  {without:.3f} s  ({parsed['without']} sentences parsed)")
    print(f"  engine with the profile     {with_:.3f} s  ({parsed['with']} sentences parsed)")
    print(f"  ratio with / without        {with_ / without:.3f}")


if __name__ == "__main__":
    main()
