"""Issue 18's proof: no suggestion re-lints with its own finding still there or a new warning.

Every suggestion offered over the evaluation corpus (tests/corpus), the rewrite corpus
(tests/rewrites), the example drafts (examples/drafts) and the benchmark corpus
(benchmarks/make_corpus.py: a share in the fast lane, all 2,000 drafts in the slow one) is
applied to its draft on its own, and the draft linted again in full, as a user's next run
would: the finding it was offered for is gone (its rule fires fewer times), and no rule of
warning or above fires more often than before.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from replylint import Linter
from replylint.models import Severity

ROOT = Path(__file__).resolve().parents[2]
WARNING = Severity.WARNING.rank

Case = tuple[str, str, str | None, str | None]  # (name, text, customer, channel)


def _yaml_cases(folder: Path) -> list[Case]:
    out: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        for n, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            channel = {"sms": "chat", "ticket": "email"}.get(
                case.get("channel"), case.get("channel")
            )
            out.append(
                (f"{path.name}#{case.get('id', n)}", case["text"], case.get("customer"), channel)
            )
    return out


def _examples() -> list[Case]:
    return [
        (p.name, p.read_text(encoding="utf-8"), None, None)
        for p in sorted((ROOT / "examples" / "drafts").glob("*"))
        if p.is_file()
    ]


def _benchmark(n: int, every: int) -> list[Case]:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks/make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    drafts = list(module.drafts(n)) if hasattr(module, "drafts") else []
    assert drafts, "benchmarks/make_corpus.py gives no drafts"
    return [(f"bench-{k}", t, None, None) for k, t in enumerate(drafts) if k % every == 0]


def _applied(text: str, start: int, end: int, replacement: str) -> str:
    """The draft with one suggestion applied (an insertion spaced from its neighbours, as the
    composer does)."""
    if start == end and replacement.strip() == replacement:
        if start > 0 and not text[start - 1].isspace():
            replacement = " " + replacement
        if start < len(text) and not text[start].isspace():
            replacement += " "
    return text[:start] + replacement + text[end:]


def _failures(linter: Linter, cases: list[Case]) -> list[str]:
    by_channel: dict[str | None, list[Case]] = {}
    for case in cases:
        by_channel.setdefault(case[3], []).append(case)
    problems: list[str] = []
    for channel, group in by_channel.items():
        reports = linter.check_many([(t, c) for _, t, c, _ in group], channel=channel)
        edits: list[tuple[str, str, str, Counter[str], str | None]] = []
        for (name, text, customer, _), report in zip(group, reports, strict=True):
            before = Counter(f.rule for f in report.findings)
            for f in report.findings:
                for s in f.suggestions:
                    after = _applied(text, s.start, s.end, s.replacement)
                    edits.append(
                        (f"{name}: {f.rule} -> {s.replacement!r}", f.rule, after, before, customer)
                    )
        again = linter.check_many([(t, c) for _, _, t, _, c in edits], channel=channel)
        for (what, rule, _, before, _), report in zip(edits, again, strict=True):
            now = Counter(f.rule for f in report.findings)
            if now[rule] >= before[rule]:
                problems.append(f"{what}: its finding is still there")
            sev = {f.rule: f.severity for f in report.findings}
            for r, n in now.items():
                if r != rule and n > before[r] and sev[r].rank >= WARNING:
                    problems.append(f"{what}: adds {r}")
    return problems


@pytest.fixture(scope="module")
def gated() -> Linter:
    return Linter()


def test_no_suggestion_of_the_rewrite_corpus_fails_its_relint(gated: Linter) -> None:
    problems = _failures(gated, _yaml_cases(ROOT / "tests" / "rewrites"))
    assert not problems, "\n".join(problems)


def test_no_suggestion_of_the_eval_corpus_and_examples_fails_its_relint(gated: Linter) -> None:
    cases = _yaml_cases(ROOT / "tests" / "corpus") + _examples()
    problems = _failures(gated, cases[::3] + _examples())
    assert not problems, "\n".join(problems)


def test_no_suggestion_of_a_benchmark_share_fails_its_relint(gated: Linter) -> None:
    problems = _failures(gated, _benchmark(2000, every=7))  # ~300 drafts
    assert not problems, "\n".join(problems)


@pytest.mark.slow  # every case of every corpus, the whole benchmark corpus
def test_no_suggestion_anywhere_fails_its_relint(gated: Linter) -> None:
    cases = _yaml_cases(ROOT / "tests" / "corpus") + _examples() + _benchmark(2000, every=1)
    problems = _failures(gated, cases)
    assert not problems, "\n".join(problems[:50])
