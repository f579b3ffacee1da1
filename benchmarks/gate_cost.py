"""What the suggestion gate (rewrite/gate/) costs `Linter.check_many`, measured in one run:
the same drafts linted with the gate on and off, interleaved, each run with a fresh memo of the
gate's re-lints (a long-lived process, the server or the language server, keeps it). CPU time
(``time.process_time``): on a shared machine wall time is noise.

    python benchmarks/gate_cost.py DRAFTS_DIR [RUNS]   # e.g. a folder of make_corpus.py output
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from replylint import Linter
from replylint.engine.relint import Summaries


def main() -> None:
    folder = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()]
    linter = Linter()
    engine = linter._get_engine()
    linter.check_many(texts[:50])  # load the pipeline
    times: dict[bool, list[float]] = {True: [], False: []}
    found: dict[bool, int] = {}
    offered: dict[bool, int] = {}
    for _ in range(runs):
        for on in (True, False):
            engine.gate = on
            engine.summaries = Summaries(engine)
            t = time.process_time()
            reports = linter.check_many(texts)
            times[on].append(time.process_time() - t)
            found[on] = sum(len(r.findings) for r in reports)
            offered[on] = sum(len(f.suggestions) for r in reports for f in r.findings)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"{len(texts)} drafts, {runs} runs each, interleaved (median CPU seconds)")
    print(f"gate on : {on:.2f} s  findings {found[True]}  suggestions {offered[True]}")
    print(f"gate off: {off:.2f} s  findings {found[False]}  suggestions {offered[False]}")
    print(f"ratio on/off: {on / off:.3f}")


if __name__ == "__main__":
    main()
