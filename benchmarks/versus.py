"""This replylint against an earlier commit of itself, on the same drafts, in one run: what the
"no more than 15 % slower than before this issue" targets of the issues are measured with.

    python benchmarks/versus.py REV [REV ...] [--drafts 2000] [--rounds 3] [--dir DRAFTS_DIR]

Each commit is exported (``git archive``: its ``src/`` and the rule data beside it) to a
temporary folder and run from there with this interpreter (the same spaCy, model, libraries).
Every timing is a fresh process, in alternating rounds (the working tree, then each REV, then
again), and the figures are medians of CPU seconds (wall time is noise on a shared machine):

- ``check``: the whole ``replylint check DIR --no-cache --jobs 1 --format json`` process
  (interpreter, imports, the pipeline's load, every draft), what a user waits for;
- ``lint``: ``Linter.check_many`` over the drafts alone, in a process whose pipeline is loaded
  and warmed on one draft: the part that grows with the corpus, where the ratio is starker.

The drafts are ``make_corpus.py``'s (seeded), or the files of ``--dir``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import drafts

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CHECK_OPTIONS = ("--no-cache", "--jobs", "1", "--format", "json")

# run in a fresh process: prints the CPU seconds of check_many over the folder's drafts
LINT = """
import sys, time
from pathlib import Path
from replylint import Linter
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).iterdir())]
linter = Linter()
linter.check_many(texts[:1])
t = time.process_time()
reports = linter.check_many(texts)
print(time.process_time() - t, sum(len(r.findings) for r in reports))
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _check(src: Path, folder: Path) -> float:
    """CPU seconds of one cold ``replylint check`` process over ``folder``."""
    before = _children_cpu()
    subprocess.run(
        [PY, "-m", "replylint", "check", str(folder), *CHECK_OPTIONS],
        env={**os.environ, "PYTHONPATH": str(src)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,  # findings exit 1
    )
    return _children_cpu() - before


def _lint(src: Path, folder: Path) -> tuple[float, int]:
    out = subprocess.run(
        [PY, "-c", LINT, str(folder)],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs="+", help="earlier commits to compare with")
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="lint these files instead of make_corpus's")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = args.dir
        if folder is None:
            folder = tmp / "drafts"
            folder.mkdir()
            for n, text in enumerate(drafts(args.drafts)):
                (folder / f"draft-{n:05d}.txt").write_text(text, encoding="utf-8")
        trees = {"working tree": ROOT / "src"}
        for rev in args.revs:
            dest = tmp / rev
            dest.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
            trees[rev] = dest / "src"
        count = len(list(folder.iterdir()))
        checks: dict[str, list[float]] = {name: [] for name in trees}
        lints: dict[str, list[float]] = {name: [] for name in trees}
        found: dict[str, int] = {}
        for _ in range(args.rounds):
            for name, src in trees.items():
                checks[name].append(_check(src, folder))
                seconds, found[name] = _lint(src, folder)
                lints[name].append(seconds)
        here_check = statistics.median(checks["working tree"])
        here_lint = statistics.median(lints["working tree"])
        print(f"{count} drafts, {args.rounds} alternating rounds, median CPU seconds")
        print(f"{'':14} {'check':>8} {'lint':>8} {'findings':>9}  working tree / it")
        for name in trees:
            check, lint = statistics.median(checks[name]), statistics.median(lints[name])
            ratio = "" if name == "working tree" else f"  {here_check / check:.2f}x check"
            ratio += "" if name == "working tree" else f", {here_lint / lint:.2f}x lint"
            print(f"{name[:14]:14} {check:8.2f} {lint:8.2f} {found[name]:9d}{ratio}")


if __name__ == "__main__":
    main()
