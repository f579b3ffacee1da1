"""How well, and how cheaply, the gates not-english and not-prose judge a draft.

Run by hand (figures vary with the machine; compare the ratios printed in one run):

    python benchmarks/language.py

On the labelled set tests/fixtures/language/labelled.yaml (English replies in real registers,
replies in other languages, snippets that are not replies) it prints the precision and recall
of "stopped by a gate" (a draft that is not English prose), of each gate alone, and how often
the language code is right; then the cost: the gates' verdicts on every draft of the set and
of the evaluation corpus (tests/corpus, all English), against linting the same drafts with
every rule but the gates (the lint the gates save on a stopped draft), in this one process:
the gates' median of a few runs against the lint's first pass (a second pass would find the
sentences' parses remembered).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from replylint import Linter
from replylint.language import Detector
from replylint.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "fixtures" / "language" / "labelled.yaml"
CORPUS = ROOT / "tests" / "corpus"
RUNS = 5


def _ratio(hit: int, total: int) -> float:
    return hit / total if total else 1.0


def main() -> None:
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    detector = Detector.for_book(load_rulebook())
    tp = fp = fn = 0
    per_gate = {"not-english": [0, 0, 0], "not-prose": [0, 0, 0]}
    codes_right = codes_total = 0
    wrong: list[str] = []
    for item in items:
        text = item["text"]
        verdict = detector.verdict(text)
        prose_truth = item.get("prose", True)
        lang_truth = item.get("lang", "en")
        stop_truth = not prose_truth or lang_truth != "en"
        stopped = not verdict.english_prose
        tp += stopped and stop_truth
        fp += stopped and not stop_truth
        fn += stop_truth and not stopped
        if stopped != stop_truth:
            wrong.append(f"  {'FP' if stopped else 'FN'} {text[:70]!r} -> {verdict}")
        for gate, truth, said in (
            ("not-prose", not prose_truth, not verdict.prose),
            (
                "not-english",
                prose_truth and lang_truth != "en",
                verdict.prose and verdict.language != "en",
            ),
        ):
            counts = per_gate[gate]
            counts[0] += said and truth
            counts[1] += said and not truth
            counts[2] += truth and not said
        if prose_truth and lang_truth != "en":
            codes_total += 1
            codes_right += verdict.language == lang_truth
            if verdict.language != lang_truth and verdict.language != "en":
                wrong.append(f"  code {lang_truth} said {verdict.language}: {text[:50]!r}")
    english = sum(1 for i in items if i.get("prose", True) and i.get("lang", "en") == "en")
    print(
        f"labelled set: {len(items)} drafts ({english} English prose, {len(items) - english} not)"
    )
    print(f"{'':14} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
    rows = [("stopped", [tp, fp, fn]), *per_gate.items()]
    for name, (t, f, n) in rows:
        print(f"{name:14} {t:>4} {f:>4} {n:>4} {_ratio(t, t + f):>9.3f} {_ratio(t, t + n):>7.3f}")
    print(f"language code right: {codes_right} of {codes_total} non-English replies")
    for line in wrong:
        print(line)

    # cost, in this process: the gates' verdicts against linting the same drafts
    from replylint.evaluate import load_corpus

    texts = [i["text"] for i in items]
    texts += [c.text for c in load_corpus(CORPUS, load_rulebook())]
    rules = [r for r in load_rulebook().rules if r not in ("not-english", "not-prose")]
    linter = Linter(select=rules)
    # warm on other text (the pipeline loaded, first calls made), so that the timed lint is
    # one first pass over these drafts, as `replylint check` makes (no parse remembered)
    linter.check_many(["Hi Sam, sorry about the delay; I've refunded it today."] * 5)
    gate_times, lint_times = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        for text in texts:
            detector.verdict(text)
        gate_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    linter.check_many(texts)
    lint_times.append(time.perf_counter() - start)
    gate, lint = statistics.median(gate_times), lint_times[0]
    print(
        f"cost over {len(texts)} drafts: gates {gate * 1000:.1f} ms "
        f"({gate / len(texts) * 1e6:.0f} µs a draft), lint without the gates {lint:.2f} s; "
        f"gates / lint = {gate / lint:.4f}"
    )


if __name__ == "__main__":
    main()
