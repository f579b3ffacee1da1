"""pre-commit over the shipped examples: a process per CPU (``require_serial: false``, each
process ``--jobs 1``) against one process (``require_serial: true``, replylint's own ``--jobs``
default inside it).

Run by hand (figures vary with the machine; compare the ratios printed in one run):

    python benchmarks/precommit_serial.py [--copies N] [--rounds R]

It builds a throw-away git repository from ``examples/canned-responses`` and ``examples/drafts``
(``--copies N`` repeats the drafts N times, for a run over many files), and times
``pre-commit run --all-files`` with each variant of the hook as a ``repo: local`` hook run by
this interpreter (so no virtualenv is built): cold (replylint's cache removed before each run)
and warm. Each round runs every variant once, so a busy spell of a shared machine hits them
alike; the medians are printed, with how many "Found …"/"All clear" summaries each printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
VARIANTS = {
    "per-CPU processes (require_serial: false, --jobs 1)": ("check --jobs 1", False),
    "one process (require_serial: true, --jobs default)": ("check", True),
}
SUMMARY = ("Found ", "All clear", "No findings", "No files")


def _config(args: str, serial: bool) -> str:
    hook = {
        "id": "replylint",
        "name": "replylint",
        "entry": f"{sys.executable} -m replylint.cli {args}",
        "language": "system",
        "types_or": ["plain-text", "markdown", "html", "json", "yaml", "csv"],
        "exclude": r"(^|/)\.",
        "require_serial": serial,
    }
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, sort_keys=False)


def _repo(where: Path, copies: int) -> Path:
    repo = where / "replies"
    shutil.copytree(ROOT / "examples" / "canned-responses", repo)
    for n in range(copies):
        shutil.copytree(ROOT / "examples" / "drafts", repo / "drafts" / f"set{n:03d}")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    return repo


def _run(repo: Path, env: dict[str, str], cold: bool) -> tuple[float, int]:
    if cold:
        shutil.rmtree(repo / ".replylint_cache", ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [PRE_COMMIT, "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    summaries = sum(1 for line in proc.stdout.splitlines() if line.startswith(SUMMARY))
    return took, summaries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of examples/drafts")
    parser.add_argument("--rounds", type=int, default=3)
    ns = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    with tempfile.TemporaryDirectory() as tmp:
        repo = _repo(Path(tmp), ns.copies)
        env.update(PRE_COMMIT_HOME=str(Path(tmp) / "pc"), NO_COLOR="1")
        files = sum(1 for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
        print(f"{files} files, {os.cpu_count()} CPUs, {ns.rounds} rounds, medians:")
        times: dict[tuple[str, bool], list[float]] = {}
        summaries: dict[str, int] = {}
        for _ in range(ns.rounds):
            for name, (args, serial) in VARIANTS.items():
                (repo / ".pre-commit-config.yaml").write_text(_config(args, serial), "utf-8")
                subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
                for cold in (True, False):
                    took, count = _run(repo, env, cold)
                    times.setdefault((name, cold), []).append(took)
                    summaries[name] = count
        base = None
        for name in VARIANTS:
            cold = statistics.median(times[(name, True)])
            warm = statistics.median(times[(name, False)])
            base = base or (cold, warm)
            print(
                f"  {name}: cold {cold:.2f} s ({cold / base[0]:.2f}x), "
                f"warm {warm:.2f} s ({warm / base[1]:.2f}x), {summaries[name]} summary line(s)"
            )


if __name__ == "__main__":
    main()
