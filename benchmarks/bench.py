"""replylint against the floor spaCy sets, and against a peer, on the same drafts, in one run.

    python benchmarks/bench.py [--drafts N] [--big N] [--csv N] [--skip-peer] [--repeat 5]
                               [--rounds 3]

Prints figures and ratios, not verdicts. Every timing is a fresh process over the same files;
the floor, the cold runs and the peer are run in ``--rounds`` alternating rounds (medians):
- floor: bare ``nlp.pipe`` with the same pipeline and components (NER excluded);
- what two processes gain on this machine in the same minutes (a pure-Python probe run alone
  and as two at once), beside the ``--jobs 2`` speed-up;
- ``replylint check`` cold (no cache), with ``--jobs 2`` and warm from the cache when the
  installed replylint has those options;
- proselint (a peer prose linter, a dev dependency) over the same files;
- single-file latency: ``replylint check one.txt`` against ``import spacy; spacy.load(...)``
  (the median of ``--repeat`` alternating runs of each);
- peak RSS of each run, and of a run over ``--big`` drafts (files) and a CSV archive of
  ``--csv`` rows, to show memory stays flat.

The drafts are built from a pool of corpus sentences, so sentences repeat across drafts (as
macro text does in real archives); the header says how much, since replylint remembers the
parse of a sentence it has met.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import _SPLIT, drafts

PY = sys.executable
# a second of pure-Python work: run alone and as two processes at once, it shows what two
# processes gain on this machine right now (another tenant's load takes it below 2x)
PROBE = [PY, "-c", "sum(i * i for i in range(8_000_000))"]


def run(args: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MiB) and exit status of a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(args[:4])}… exited {proc.returncode}: {err.strip()[:300]}")
    return wall, usage.ru_maxrss // 1024, proc.returncode


def pair(args: list[str]) -> float:
    """Wall seconds of two copies of a command run at once."""
    start = time.perf_counter()
    procs = [subprocess.Popen(args, stdout=subprocess.DEVNULL) for _ in range(2)]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - start


def write_corpus(n: int, folder: Path) -> tuple[int, int, int]:
    """Write n drafts; their words, body sentences and distinct body sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    words = sentences = 0
    distinct: set[str] = set()
    for i, text in enumerate(drafts(n), 1):
        (folder / f"{i:07d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
        for paragraph in text.split("\n\n"):
            for sentence in _SPLIT.split(paragraph):
                sentences += 1
                distinct.add(sentence)
    return words, sentences, len(distinct)


def write_csv(n: int, path: Path) -> None:
    """n drafts as one CSV export (id, subject, body), as helpdesks export replies."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "subject", "body"])
        for i, text in enumerate(drafts(n), 1):
            out.writerow([i, f"Ticket {i}", text])


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def has_option(option: str) -> bool:
    out = subprocess.run(
        [PY, "-m", "replylint.cli", "check", "--help"], capture_output=True, text=True, check=False
    )
    return option in out.stdout


def line(name: str, wall: float, rss: int, n: int, words: int, floor: float | None) -> None:
    ratio = f"{wall / floor:6.2f}x floor" if floor else ""
    print(
        f"  {name:<34} {wall:8.2f} s {n / wall:8.0f} drafts/s {words / wall:9.0f} words/s "
        f"{rss:6d} MiB  {ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--big", type=int, default=0, help="also lint this many (memory check)")
    parser.add_argument("--csv", type=int, default=0, help="also lint a CSV of this many rows")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each single-file timing")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating rounds of the throughput runs"
    )
    opts = parser.parse_args()

    import replylint
    from replylint.nlp import resolve_model

    model = resolve_model(None)
    # `pip install .` compiles replylint's bytecode, as it did spaCy's; an editable install
    # under PYTHONDONTWRITEBYTECODE never does, and every run would compile the source afresh
    compileall.compile_dir(Path(replylint.__file__).parent, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="replylint-bench-"))
    try:
        corpus = work / "drafts"
        n = opts.drafts
        words, sentences, distinct = write_corpus(n, corpus)
        print(
            f"{n} drafts, {words} words ({words / n:.0f} per draft), {sentences} sentences "
            f"({distinct} distinct), model {model}, {os.cpu_count()} CPUs"
        )

        floor_code = (
            "import sys, spacy, pathlib\n"
            f"nlp = spacy.load({model!r}, exclude=['ner'])\n"
            f"files = sorted(pathlib.Path({str(corpus)!r}).glob('*.txt'))\n"
            "texts = [p.read_text(encoding='utf-8') for p in files]\n"
            "for _ in nlp.pipe(texts, batch_size=64): pass\n"
        )
        check = [PY, "-m", "replylint.cli", "check", str(corpus), "--format", "json"]
        cache = has_option("--no-cache")
        jobs = has_option("--jobs")
        cold_args = [*check, "--no-cache"] if cache else check
        if jobs:
            cold_args += ["--jobs", "1"]
        runs = {"floor": [PY, "-c", floor_code], "cold": cold_args}
        if jobs:
            runs["j2"] = [*cold_args[:-2], "--jobs", "2"]
        peer = not opts.skip_peer and _has_module("proselint")
        if peer:
            runs["peer"] = [PY, "-m", "proselint", "check", str(corpus)]
        # each round runs every command once, so a busy spell of a shared machine hits them
        # alike; the figures are the medians (the RSS of the median run)
        results: dict[str, list[tuple[float, int, int]]] = {name: [] for name in runs}
        gains: list[float] = []  # the probe's two-process speed-up, per round
        for _ in range(max(1, opts.rounds)):
            for name, args in runs.items():
                results[name].append(run(args))
            if jobs:
                gains.append(2 * run(PROBE)[0] / pair(PROBE))
        med = {name: sorted(r)[len(r) // 2] for name, r in results.items()}
        rounds = f"median of {max(1, opts.rounds)}"
        print(f"throughput (fresh processes, same files, {rounds} alternating rounds):")
        floor, rss, _ = med["floor"]
        line("bare nlp.pipe (the floor)", floor, rss, n, words, None)
        cold, rss, _ = med["cold"]
        line("replylint check (cold, 1 job)", cold, rss, n, words, floor)
        if jobs:
            j2, rss, _ = med["j2"]
            line("replylint check --jobs 2 (cold)", j2, rss, n, words, floor)
            print(f"  --jobs 2 speed-up over 1 job: {cold / j2:.2f}x")
            print(
                "  two CPU-bound processes at once against one after the other: "
                f"{statistics.median(gains):.2f}x (what two processes gain here now)"
            )
        if cache:
            cache_dir = work / "cache"
            # the run that fills the cache: the default --jobs, writing an entry per draft and file
            first, rss, _ = run([*check, "--cache-dir", str(cache_dir)])
            line("replylint check (filling the cache)", first, rss, n, words, floor)
            warms = [run([*check, "--cache-dir", str(cache_dir)]) for _ in range(3)]
            warm, rss, _ = sorted(warms)[1]  # the median of three
            line("replylint check (warm, median of 3)", warm, rss, n, words, floor)
            print(f"  warm / cold: {warm / cold:.1%}")
        if peer:
            peer_wall, rss, _ = med["peer"]
            line("proselint check (peer)", peer_wall, rss, n, words, floor)
            print(f"  replylint (1 job) vs proselint, drafts/s: {peer_wall / cold:.2f}x")
            if jobs:
                print(f"  replylint --jobs 2 vs proselint, drafts/s: {peer_wall / j2:.2f}x")

        one = corpus / "0000001.txt"
        load = [PY, "-c", f"import spacy; spacy.load({model!r}, exclude=['ner'])"]
        single_args = [PY, "-m", "replylint.cli", "check", str(one)]
        single_args += ["--no-cache"] if cache else []
        loads, singles = [], []
        for _ in range(opts.repeat):  # alternated, so a busy spell hits both alike
            loads.append(run(load)[0])
            singles.append(run(single_args)[0])
        spacy_load, single = statistics.median(loads), statistics.median(singles)
        print(f"single-file latency (median of {opts.repeat} alternating runs):")
        print(f"  import spacy + load                 {spacy_load:8.2f} s")
        print(
            f"  replylint check one.txt             {single:8.2f} s  "
            f"({single / spacy_load:.2f}x spaCy's own import + load)"
        )
        print("what bounds the --jobs 2 and warm ratios (from the figures above):")
        if jobs:
            # start-up (interpreter, imports, pipeline load, rule compilation: the one-file run)
            # happens once, before the workers fork; the rest splits at the probe's gain
            gain = statistics.median(gains)
            ceiling = cold / (single + max(0.0, cold - single) / gain)
            print(
                f"  --jobs 2: the start-up ({single:.2f} s, the one-file run) is serial; the rest "
                f"split at the probe's {gain:.2f}x gives {ceiling:.2f}x (Amdahl; measured "
                f"{cold / j2:.2f}x)"
            )
        if cache:
            one_cache = work / "cache-one"
            warm_one_args = [*single_args[:-1], "--cache-dir", str(one_cache)]
            run(warm_one_args)
            warm_one = statistics.median(run(warm_one_args)[0] for _ in range(opts.repeat))
            per_file = max(0.0, warm - warm_one) / max(1, n - 1) * 1000
            print(
                f"  warm: a warm run of one file takes {warm_one:.2f} s ({warm_one / cold:.1%} of "
                f"the cold run: interpreter, imports, configuration, rule book); each further "
                f"file {per_file:.3f} ms"
            )

        if opts.big or opts.csv:
            print("memory (peak RSS, cold, default --jobs):")
            small_args = [*check, "--no-cache"] if cache else check
            _, small_rss, _ = run(small_args)
            print(f"  {n} draft files                     {small_rss:8d} MiB")
        if opts.big:
            big = work / "big"
            write_corpus(opts.big, big)
            args = [PY, "-m", "replylint.cli", "check", str(big), "--format", "json"]
            wall, big_rss, _ = run([*args, "--no-cache"] if cache else args)
            print(
                f"  {opts.big} draft files                    {big_rss:8d} MiB  "
                f"({big_rss / small_rss:.2f}x; {wall:.1f} s, {opts.big / wall:.0f} drafts/s)"
            )
        if opts.csv:
            small_csv, big_csv = work / "small.csv", work / "big.csv"
            write_csv(n, small_csv)
            write_csv(opts.csv, big_csv)
            size = big_csv.stat().st_size / 2**20
            base = [PY, "-m", "replylint.cli", "check", "--format", "json", "--no-cache"]
            _, csv_small_rss, _ = run([*base, str(small_csv)])
            wall, csv_rss, _ = run([*base, str(big_csv)])
            print(f"  one CSV of {n} rows                 {csv_small_rss:8d} MiB")
            print(
                f"  one CSV of {opts.csv} rows ({size:.0f} MiB)    {csv_rss:8d} MiB  "
                f"({csv_rss / csv_small_rss:.2f}x; {wall:.1f} s, {opts.csv / wall:.0f} drafts/s)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
