"""Where the time of one `replylint check one.txt` goes: import, pipeline load, lint.

Run by hand (figures vary with the machine; compare the ratios printed in one run):

    python benchmarks/single_file.py [FILE]

It times, in fresh processes: `import replylint.cli` (no spaCy), spaCy's own import + load of the
same pipeline (the floor for any parse-based linter), and the whole `replylint check FILE`; and,
in this process, the three stages separately.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "examples" / "drafts" / "bad-policy-refund.txt"
RUNS = 5


def _wall(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    t0 = time.perf_counter()
    import replylint
    from replylint.nlp import resolve_model

    t1 = time.perf_counter()

    model = resolve_model(None)
    py = sys.executable
    # as `pip install .` does (an editable install under PYTHONDONTWRITEBYTECODE never does)
    compileall.compile_dir(Path(replylint.__file__).parent, quiet=1)
    cli_import = _wall([py, "-c", "import replylint.cli"])
    spacy_floor = _wall([py, "-c", f"import spacy; spacy.load({model!r}, exclude=['ner'])"])
    whole = _wall([py, "-m", "replylint.cli", "check", "--no-cache", str(path)])
    with tempfile.TemporaryDirectory() as cache:
        _wall([py, "-m", "replylint.cli", "check", "--cache-dir", cache, str(path)])
        warm = _wall([py, "-m", "replylint.cli", "check", "--cache-dir", cache, str(path)])

    t1b = time.perf_counter()
    linter = replylint.Linter()
    t2 = time.perf_counter()
    linter.check(path.read_text(encoding="utf-8"))
    t3 = time.perf_counter()

    print(f"file: {path} ({len(path.read_text(encoding='utf-8').split())} words), model: {model}")
    print(f"median of {RUNS} fresh processes:")
    print(f"  import replylint.cli (no spaCy)      {cli_import:7.3f} s")
    print(f"  spaCy import + load (the floor)      {spacy_floor:7.3f} s")
    print(f"  replylint check FILE (no cache)      {whole:7.3f} s")
    print(f"  ratio whole run / spaCy floor        {whole / spacy_floor:7.2f}x")
    print(f"  replylint check FILE (cached)        {warm:7.3f} s  (no spaCy import)")
    print("in this process:")
    print(f"  import replylint                     {t1 - t0:7.3f} s")
    print(f"  Linter() (spaCy import, load, rules) {t2 - t1b:7.3f} s")
    print(f"  lint the file                        {t3 - t2:7.3f} s")


if __name__ == "__main__":
    main()
