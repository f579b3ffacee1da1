"""The hostile-input battery, one case per CLI run, with a timeout: does any input crash a run,
hang it, or lose the other files' results?

Run by hand (each case is a fresh `replylint` process that loads the pipeline: a few minutes):

    python benchmarks/battery.py [--timeout 60] [--family json --family yaml] [-k nan]

Each case's file is linted next to a good file (`good.txt`, which has findings). A case fails
when the run ends in a traceback, hangs past the timeout, exits with a status other than the one
documented (2 for a bad file, 1 for a linted one: the good file has findings), does not name
the bad file in one `replylint: error:` line (or a `replylint: warning:` line for a special file
skipped in a folder), or loses the good file's findings ("data lost"). It prints a table per
family: cases / failures / tracebacks / hangs / data lost, the slowest case, and each failure.

The cases come from ``tests/hostile.py`` (``FAMILIES``, shared with the tests) plus
:data:`EXTRA`, cases too slow or not yet fixed for the test suite. To add a family, write a
function ``(root: Path) -> list[Case]`` that makes its files under ``root`` and append it to
:data:`EXTRA` (a case's ``args`` replaces ``check`` to run another command, e.g. ``fix``).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import FAMILIES, REPLY, Case, Family  # noqa: E402


def engine_family(root: Path) -> list[Case]:
    """Drafts under the size limit whose cost still explodes in the engine: a long run of
    characters without white space is split by spaCy's tokenizer in quadratic time (10,000
    quote marks took 24 s; the per-draft cost is the engine's, not the readers')."""
    folder = root / "engine"
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for variant, text in [
        ("quotes-10k", '"' * 10_000),
        ("no-space-200k", "Nope." * 40_000),
        ("emoji-100k", "😀" * 100_000),
    ]:
        path = folder / f"{variant}.txt"
        path.write_text(f"Hi Dana,\n\n{text}\n", encoding="utf-8")
        cases.append(Case("engine", variant, path, "either"))
    return cases


# replies with placeholders in every format `fix` writes, the safe and unsafe fixes around them
_PLACEHOLDED = [
    "Obviously, {{ticket.requester.first_name}} can return it within 30 days.",
    "Hi %NAME%, obviously you simply need to restart it. It's our policy.",
    "Hi [Customer Name], basically it's our policy that we can't refund opened items.",
    "{% if ticket.open %}Obviously, {{ticket.requester.name}} it's our policy.{% endif %}",
    "Obviously the iPhone and eBay orders ship from Straße 5, {{agent.name}}. Nope.",
]
_PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}|\{%[^%]*%\}|%[A-Z_]+%|\[Customer Name\]")


def fix_family(root: Path) -> list[Case]:
    """`replylint fix --unsafe` on replies with placeholders, in each format it writes, and on a
    read-only file and a hard-linked one: every placeholder must come back byte for byte, a
    read-only file must be reported and left alone, no temporary file may stay behind."""
    folder = root / "fix"
    folder.mkdir(parents=True, exist_ok=True)
    lines = _PLACEHOLDED
    texts = {
        ".txt": "\n\n".join(lines) + "\n",
        ".md": "\n\n".join(lines) + "\n",
        ".html": "".join(f"<p>{html.escape(x)}</p>\n" for x in lines),
        ".json": json.dumps([{"title": f"m{i}", "body": x} for i, x in enumerate(lines)]),
        ".yaml": "".join(f"- title: m{i}\n  body: {json.dumps(x)}\n" for i, x in enumerate(lines)),
        ".csv": "title,body\r\n" + "".join(f'm{i},"{x}"\r\n' for i, x in enumerate(lines)),
    }
    cases = []
    for suffix, text in texts.items():
        path = folder / f"placeholders{suffix}"
        path.write_bytes(text.encode("utf-8"))
        cases.append(Case("fix", f"placeholders{suffix}", path, "fix", True, ("fix", "--unsafe")))
    readonly = folder / "read-only.txt"
    readonly.write_text(texts[".txt"], encoding="utf-8")
    readonly.chmod(0o444)
    cases.append(Case("fix", "read-only", readonly, "error", True, ("fix", "--unsafe")))
    linked = folder / "linked.txt"
    linked.write_text(texts[".txt"], encoding="utf-8")
    os.link(linked, folder / "linked-too.txt")
    cases.append(Case("fix", "hard-link", linked, "fix", True, ("fix", "--unsafe")))
    return cases


def fix_lost(case: Case, before: bytes, nlink: int) -> bool:
    """Whether `fix` lost data: a placeholder changed or gone, a read-only file rewritten, a
    hard link broken, or a temporary file left beside the file."""
    after = case.path.read_bytes()
    if case.expect == "error":
        return after != before
    old, new = before.decode("utf-8"), after.decode("utf-8")
    kept = sorted(_PLACEHOLDER.findall(old)) == sorted(_PLACEHOLDER.findall(new))
    temps = [p for p in case.path.parent.iterdir() if p.name.endswith(".tmp")]
    return not kept or bool(temps) or case.path.stat().st_nlink != nlink


EXTRA: list[Family] = [engine_family, fix_family]


@dataclass
class Outcome:
    case: Case
    seconds: float
    status: int | None  # None: timed out
    traceback: bool
    named: bool  # the bad file is named as the case expects
    good_linted: bool

    @property
    def hang(self) -> bool:
        return self.status is None

    @property
    def data_lost(self) -> bool:
        return not self.hang and not self.good_linted

    @property
    def failed(self) -> bool:
        if self.hang or self.traceback or self.data_lost or not self.named:
            return True
        expected = {"error": {2}, "lint": {1}, "skip": {1}, "either": {1, 2}, "fix": {0, 1}}[
            self.case.expect
        ]
        return self.status not in expected

    def why(self) -> str:
        if self.hang:
            return "hang"
        reasons = []
        if self.traceback:
            reasons.append("traceback")
        if self.data_lost:
            reasons.append(
                "data lost" if self.case.args[:1] == ("fix",) else "good file not linted"
            )
        if not self.named:
            reasons.append(f"not reported as {self.case.expect}")
        if not reasons:
            reasons.append(f"exit status {self.status}")
        return ", ".join(reasons)


def run_case(case: Case, good: Path, timeout: float) -> Outcome:
    """``replylint check`` over the case (its folder, or the file itself when it is named) and
    the good file (in that folder, or named after it), in a fresh process."""
    target = case.path if case.named else case.path.parent
    paths = [str(target), str(good)] if good.parent != target else [str(target)]
    args = list(case.args) or ["check", "--no-cache"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-c", "from replylint.cli import main; main()"]
    fixing = args[0] == "fix"
    if fixing:  # the case's file alone: what fix wrote is checked, not a good file's findings
        paths = [str(case.path)]
        before, nlink = case.path.read_bytes(), case.path.stat().st_nlink
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [*command, *args, *paths],
            capture_output=True,
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return Outcome(case, time.perf_counter() - start, None, False, False, False)
    seconds = time.perf_counter() - start
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    errors = [line for line in err.splitlines() if line.startswith(f"replylint: error: {target}")]
    mine = [line for line in err.splitlines() if f" {case.path}: " in line]
    if case.expect == "error":
        named = len([m for m in mine if m.startswith("replylint: error: ")]) == 1
    elif case.expect == "skip":
        named = len([m for m in mine if m.startswith("replylint: warning: ")]) == 1
    elif case.expect == "lint":
        named = not errors
    else:
        named = all(line.count("\n") == 0 for line in mine)
    good_linted = f"{good}:" in out and "internal error" not in err
    if fixing:
        good_linted = not fix_lost(case, before, nlink) and "internal error" not in err
        named = case.expect != "error" or len([m for m in mine if "replylint: error" in m]) == 1
    return Outcome(case, seconds, proc.returncode, "Traceback" in err, named, good_linted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per case")
    parser.add_argument("--family", action="append", help="only these families")
    parser.add_argument("-k", dest="match", help="only cases whose family/variant has this")
    parser.add_argument("--no-extra", action="store_true", help="only the test suite's families")
    opts = parser.parse_args()
    families = FAMILIES + ([] if opts.no_extra else EXTRA)
    with tempfile.TemporaryDirectory(prefix="replylint-battery-") as tmp:
        root = Path(tmp)
        good = root / "good.txt"
        good.write_text(REPLY, encoding="utf-8")
        cases = []
        for family in families:
            made = family(root / "cases" / family.__name__)
            cases += [
                c
                for c in made
                if (not opts.family or c.family in opts.family)
                and (not opts.match or opts.match in f"{c.family}/{c.variant}")
            ]
        # each case alone in its folder, so that a walked folder holds only it
        outcomes = []
        for n, case in enumerate(cases, 1):
            if not case.named:
                alone = root / "alone" / f"{n:03d}"
                alone.mkdir(parents=True)
                moved = alone / case.path.name
                os.rename(case.path, moved)  # (a FIFO, a socket, a link: moved as they are)
                case = Case(case.family, case.variant, moved, case.expect, case.named, case.args)
                shutil.copy(good, alone / "0-good.txt")  # linted with it, in the same walk
                outcome = run_case(case, alone / "0-good.txt", opts.timeout)
            else:
                outcome = run_case(case, good, opts.timeout)
            mark = "FAIL" if outcome.failed else "ok"
            print(
                f"  {mark:4} {case.family}/{case.variant}: {outcome.seconds:.1f} s",
                file=sys.stderr,
            )
            outcomes.append(outcome)
        shutil.rmtree(root / "alone", ignore_errors=True)
    _table(outcomes)


def _table(outcomes: list[Outcome]) -> None:
    header = f"{'family':<8} {'cases':>6} {'failures':>9} {'tracebacks':>11} {'hangs':>6} "
    header += f"{'data lost':>10}  slowest"
    print(header)
    print("-" * len(header))
    by_family: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_family.setdefault(o.case.family, []).append(o)
    rows = [*by_family.items(), ("all", outcomes)]
    for family, group in rows:
        slowest = max(group, key=lambda o: o.seconds)
        print(
            f"{family:<8} {len(group):>6} {sum(o.failed for o in group):>9} "
            f"{sum(o.traceback for o in group):>11} {sum(o.hang for o in group):>6} "
            f"{sum(o.data_lost for o in group):>10}  "
            f"{slowest.case.variant} {slowest.seconds:.1f} s"
        )
    failures = [o for o in outcomes if o.failed]
    if failures:
        print("\nfailures:")
        for o in failures:
            print(f"  {o.case.family}/{o.case.variant}: {o.why()}")


if __name__ == "__main__":
    main()
