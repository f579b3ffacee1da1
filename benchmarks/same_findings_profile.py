"""``same_findings.py compare`` for a change that adds the empathy profile (JSON schema "1.1").

    python benchmarks/same_findings_profile.py BEFORE_DIR AFTER_DIR

Both folders are ``same_findings.py record`` outputs, BEFORE of a replylint without profiles.
Outputs that differ must differ only by the profile: the JSON's ``version`` ("1" → "1.1") and
each file's ``drafts`` (one entry per draft, ``summary.drafts`` of them, indices in order), the
library's reports by their ``profile``. Also checks that the AFTER profiles are the same with
``--jobs 1``, ``--jobs 2`` and the cache cold or warm. Prints a line per output; exits 1 if any
findings differ.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

GROUPS = ("bench", "corpora", "examples-canned", "examples-drafts", "formats")
RUNS = ("j1", "j2", "cache-cold", "cache-warm")


def _split(path: Path) -> tuple[bytes, bytes, bytes]:
    head, rest = path.read_bytes().split(b"\n--- stdout\n", 1)
    out, err = rest.rsplit(b"\n--- stderr\n", 1)
    return head, out, err


def _library_equal(before: bytes, after: bytes) -> bool:
    a, b = before.decode().splitlines(), after.decode().splitlines()
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        (id_a, json_a), (id_b, json_b) = x.split(" ", 1), y.split(" ", 1)
        report: dict[str, Any] = json.loads(json_b)
        if report.pop("profile", None) is None or id_a != id_b or json.loads(json_a) != report:
            return False
    return True


def _json_equal(before: bytes, after: bytes) -> tuple[bool, int]:
    a, b = json.loads(before), json.loads(after)
    drafts = 0
    for file in b["files"]:
        entries = file.pop("drafts")
        drafts += len(entries)
        if [d["index"] for d in entries] != sorted(d["index"] for d in entries):
            return False, drafts
    a.pop("version")
    b.pop("version")
    return a == b and drafts == b["summary"]["drafts"], drafts


def main() -> int:
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    bad = 0
    for a in sorted(before.iterdir()):
        b = after / a.name
        if a.read_bytes() == b.read_bytes():
            continue
        (head_a, out_a, err_a), (head_b, out_b, err_b) = _split(a), _split(b)
        if (head_a, err_a) != (head_b, err_b):
            ok, note = False, "exit status or standard error"
        elif a.name == "eval-library":
            ok, note = _library_equal(out_a, out_b), "reports less their profile"
        elif ".json." in a.name:
            ok, drafts = _json_equal(out_a, out_b)
            note = f"{drafts} draft profiles"
        else:
            ok, note = False, "not a JSON output"
        bad += not ok
        print(f"{a.name}: {'findings equal' if ok else 'DIFFERS'} ({note})")
    for group in GROUPS:
        outs = [json.loads(_split(after / f"{group}.json.{run}")[1]) for run in RUNS]
        same = all(o == outs[0] for o in outs)
        bad += not same
        print(f"{group}: --jobs 1, --jobs 2, cache cold and warm identical: {same}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
