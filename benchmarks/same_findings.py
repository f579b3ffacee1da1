"""Record what replylint reports on a fixed set of inputs, to compare two versions byte for byte.

    python benchmarks/same_findings.py record OUT_DIR [--drafts 2000]
    python benchmarks/same_findings.py compare BEFORE_DIR AFTER_DIR

``record`` runs the installed ``replylint`` (the interpreter running this script) over:
the benchmark corpus (``make_corpus.py``, ``--drafts`` drafts), the eval corpus (through the
library: every case's report as JSON and its ``rewritten()`` text), the shipped examples, every
format fixture and the real canned-reply corpora; each with ``--jobs 1`` and ``--jobs 2``
without the cache, and twice with a cache (cold, then warm). Every run's exit status, standard
output (JSON, text, SARIF, ``--diff``) and standard error go into OUT_DIR, one file each.
``compare`` names every file that differs and exits 1 if any does. A restructure that claims
"no change in behaviour" records before and after and compares.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import drafts

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLI = str(Path(PY).parent / "replylint")  # the console script of this interpreter's environment
INPUTS = {
    "examples-drafts": "examples/drafts",
    "examples-canned": "examples/canned-responses",
    "formats": "tests/fixtures/formats",
    "corpora": "tests/fixtures/corpora",
}
LIBRARY = """
import json, sys
from pathlib import Path
from replylint import Linter
from replylint.evaluate import load_corpus
from replylint.rulebook import load_rulebook
cases = load_corpus(Path(sys.argv[1]), load_rulebook())
linter = Linter()
reports = linter.check_many([(c.text, c.customer) for c in cases])
for case, report in zip(cases, reports):
    print(case.id, report.model_dump_json())
    print(json.dumps(report.rewritten()))
"""


def run(args: list[str], cwd: Path, out: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True)
    data = (
        b"exit %d\n--- stdout\n" % proc.returncode + proc.stdout + b"\n--- stderr\n" + proc.stderr
    )
    # the folder the run happens in (SARIF's originalUriBaseIds names it) is not an output
    out.write_bytes(data.replace(str(cwd).encode(), b"<work>"))


def record(out: Path, n: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="same-findings-"))
    try:
        for name, rel in {**INPUTS, "corpus": "tests/corpus"}.items():
            shutil.copytree(ROOT / rel, work / name)
        bench = work / "bench"
        bench.mkdir()
        for i, text in enumerate(drafts(n)):
            (bench / f"{i + 1:07d}.txt").write_text(text + "\n", encoding="utf-8")
        check = [CLI, "check", "--isolated", "--exit-zero"]
        for name in [*INPUTS, "bench"]:
            for jobs in ("1", "2"):
                run(
                    [*check, "--no-cache", "-j", jobs, "--format", "json", name],
                    work,
                    out / f"{name}.json.j{jobs}",
                )
            cache = str(work / "cache")
            for state in ("cold", "warm"):
                run(
                    [*check, "--cache-dir", cache, "--format", "json", name],
                    work,
                    out / f"{name}.json.cache-{state}",
                )
            shutil.rmtree(cache, ignore_errors=True)
            for fmt in ("text", "sarif", "github"):
                run([*check, "--no-cache", "--format", fmt, name], work, out / f"{name}.{fmt}")
            run([*check, "--no-cache", "--diff", "--unsafe", name], work, out / f"{name}.diff")
        run([PY, "-c", LIBRARY, "corpus"], work, out / "eval-library")
        run([CLI, "eval", "corpus"], work, out / "eval")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = [
        n
        for n in names
        if not (before / n).exists()
        or not (after / n).exists()
        or not filecmp.cmp(before / n, after / n, shallow=False)
    ]
    for n in differ:
        print(f"differs: {n}")
    print(f"{len(names) - len(differ)} of {len(names)} outputs identical")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--drafts", type=int, default=2000)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.cmd == "record":
        record(args.out, args.drafts)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
