"""Lint time against a draft's size, and how fast hostile rules and configuration are stopped.

    python benchmarks/size_scaling.py [--sizes 100,200,500,1000] [--skip-hostile]

Each size (in KB) is one draft built from the benchmark corpus (make_corpus.drafts, joined
until the size is reached), linted in a fresh process after the pipeline is loaded and warmed
on a small draft; the figures are that one ``Linter.check`` call and the process's peak RSS.
The target is a 1000 KB / 100 KB ratio under 10 (linear growth gives 10).

Then, in this process: a run of '?!' 4,000 times (quadratic in spaCy's tokenizer before), and
the time each hostile case takes to end in its one-line error: a rule regex and a configured
placeholder pattern that backtrack catastrophically (run with the regex budget), a Matcher
REGEX that could (refused at load), and a phrase of 20 groups of 10 alternatives (10^20
expansions, refused at load). Prints figures, not verdicts.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def build(size: int) -> str:
    """A draft of ``size`` characters of corpus replies (greetings, sign-offs and all)."""
    from make_corpus import drafts

    out: list[str] = []
    n = 0
    for text in drafts(100_000):
        out.append(text)
        n += len(text) + 1
        if n >= size:
            break
    return "\n".join(out)[:size]


def child(kb: int) -> None:
    from replylint import Linter
    from replylint.config import Config

    text = build(kb * 1024)
    linter = Linter(Config(max_draft_chars=0))
    linter.check(build(4096))  # warm: pipeline, rule book, first parses
    start = time.perf_counter()
    report = linter.check(text)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"seconds": seconds, "findings": len(report.findings), "rss": rss}))


def _time_error(what: str, action: Callable[[], object]) -> None:
    start = time.perf_counter()
    try:
        action()
        outcome = "no error"
    except Exception as exc:  # the one-line error each case ends in
        outcome = f"{type(exc).__name__}: {str(exc)[:110]}"
    print(f"  {what:<34} {time.perf_counter() - start:6.3f} s  {outcome}")


def hostile() -> None:
    import yaml

    from replylint import Linter
    from replylint.config import Config
    from replylint.rulebook import load_rulebook

    linter = Linter()
    linter.check("Hi Sam, thanks.")
    start = time.perf_counter()
    linter.check("Hi Sam, " + "?!" * 4000)
    print(f"  {'?! x 4,000 (8 KB)':<34} {time.perf_counter() - start:6.3f} s")

    rule = {
        "id": "my-rule",
        "name": "My rule",
        "category": "tone",
        "severity": "warning",
        "summary": "A test rule.",
        "why": "Because.",
        "source": [{"file": "000_030c412d85761ed6.txt", "heading": "Express empathy"}],
        "message": "A message",
        "kind": "existence",
        "examples": {"fail": ["Per our policy, no."], "pass": ["Our policy gives you 60 days."]},
    }
    bomb = " ".join("(" + "|".join(f"w{g}x{k}" for k in range(10)) + ")" for g in range(20))
    cases = {
        "rule regex (a|aa)+$": {"regex": ["(a|aa)+$"]},
        "rule regex (a+)+$": {"regex": ["(a+)+$"]},
        "Matcher REGEX (a+)+$": {"patterns": [[{"LOWER": {"REGEX": "(a+)+$"}}]]},
        "20 groups x 10 phrases": {"phrases": [bomb]},
    }
    hostile_text = "Nope. " + "a" * 50_000 + "b"
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, match) in enumerate(cases.items()):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            data = {**rule, "match": match}
            (folder / "my-rule.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")

            def run(folder: Path = folder) -> object:
                load_rulebook((folder,))  # refused here, or linted below
                config = Config(rules_dir=(str(folder),))
                built = Linter(config)
                return lambda: built.check(hostile_text)

            _time_error(name + " (load)", run)
            try:
                check = run()
            except Exception:
                continue
            _time_error(name + " (lint)", check)
    built = Linter(Config(placeholders=("(a|aa)+$",)))
    _time_error("placeholder (a|aa)+$ (lint)", lambda: built.check("Nope. " + "a" * 60 + "b"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,200,500,1000", help="draft sizes in KB")
    parser.add_argument("--skip-hostile", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print("one draft of N KB, Linter.check after warm-up, fresh process each:")
    seconds: dict[int, float] = {}
    for kb in sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(kb)], capture_output=True, text=True
        )
        if proc.returncode != 0:
            print(f"  {kb:>5} KB  failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        seconds[kb] = got["seconds"]
        per_mb = got["seconds"] / kb * 1024
        print(
            f"  {kb:>5} KB  {got['seconds']:7.2f} s  ({per_mb:5.2f} s/MB)  "
            f"{got['findings']:>5} findings  peak RSS {got['rss']} MiB"
        )
    if 100 in seconds and 1000 in seconds:
        print(f"  ratio 1000 KB / 100 KB: {seconds[1000] / seconds[100]:.1f}x (linear: 10x)")
    if not args.skip_hostile:
        print("hostile input, rules and configuration (time to the outcome):")
        hostile()


if __name__ == "__main__":
    main()
