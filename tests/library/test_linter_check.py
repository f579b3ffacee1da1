"""The library API: ``Linter``, ``Linter.check``, ``check_many``, ``replylint.check``."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import replylint
from replylint import DraftReport, Finding, Severity, Suggestion

CUSTOMER = "I was charged twice for my plan."
REPLY = "Hi Priya, I've refunded the duplicate payment."

TEXTS: list[Any] = [
    "Nope.",
    "Unfortunately, we can't refund opened items. It's our policy.",
    "Thanks for your order! It shipped this morning and tracking is on its way to your inbox.",
    "Hi Chris,\n\nSorry for the slow reply, I've had a terrible week. Your order is on its way.\n",
    (REPLY, CUSTOMER),
    "Hi {{ticket.requester.first_name}},\n\nCan't do that, it's company policy.\n",
    "I understand how frustrating this is — I'll send the replacement link myself.",
    (
        "Hi Sam, it sounds like the app is losing your session. Which version are you on?",
        "The app keeps logging me out every five minutes.",
    ),
    "Me too — I hate when parcels go missing. 👍🏽",
    "No worries, Sam. I've sent the invoice again.",
]


def _key(report: DraftReport) -> list[tuple[Any, ...]]:
    return [
        (
            f.rule,
            f.severity,
            f.start,
            f.end,
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            f.excerpt,
            f.message,
            tuple((s.replacement, s.start, s.end, s.applicability) for s in f.suggestions),
        )
        for f in report.findings
    ]


def test_import_exposes_the_api() -> None:
    assert replylint.Linter.__name__ == "Linter"
    assert callable(replylint.check)
    with pytest.raises(AttributeError):
        replylint.no_such_thing  # noqa: B018


def test_check_returns_a_draft_report(linter) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Tom,\n\nNope. It's our policy."
    report = linter.check(text)
    assert isinstance(report, DraftReport)
    assert report.text == text
    assert report.customer is None
    rules = [f.rule for f in report.findings]
    assert {"terse-refusal", "bare-policy", "no-acknowledgement"} <= set(rules)
    for f in report.findings:
        assert isinstance(f, Finding)
        assert isinstance(f.severity, Severity)
        assert f.message
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.excerpt
        assert f.line >= 1 and f.column >= 1
        assert f.suggestions
        assert all(isinstance(s, Suggestion) for s in f.suggestions)
    (terse,) = [f for f in report.findings if f.rule == "terse-refusal"]
    assert (terse.excerpt, terse.line, terse.column, terse.end_line, terse.end_column) == (
        "Nope.",
        3,
        1,
        3,
        6,
    )
    assert terse.severity is Severity.WARNING
    # findings are sorted by position
    assert [f.sort_key() for f in report.findings] == sorted(f.sort_key() for f in report.findings)


def test_clean_text_has_no_findings(linter) -> None:  # type: ignore[no-untyped-def]
    report = linter.check(TEXTS[2])
    assert report.findings == []
    assert report.rewritten() == TEXTS[2]


def test_rewritten_applies_suggestions() -> None:
    text = "Hi Jo,\n\nI can't extend your trial. It's our policy.\n\nThanks,\nPriya"
    report = replylint.Linter(select=["bare-policy"]).check(text)
    (policy,) = report.findings
    new = report.rewritten()
    s = policy.suggestions[0]
    assert new == text[: s.start] + s.replacement + text[s.end :]
    assert "It's our policy" not in new
    assert "I can't extend your trial" in new
    assert new.startswith("Hi Jo,\n\n")
    assert new.endswith("Thanks,\nPriya")


def test_rewritten_composes_every_suggestion_or_says_why_not(linter) -> None:  # type: ignore[no-untyped-def]
    from replylint.rewrite.compose import compose

    text = "Hi Jo,\n\nNope. It's our policy.\n\nThe same thing happened to me last week.\n"
    report = linter.check(text)
    with_edit = [f for f in report.findings if f.suggestions]
    assert len(with_edit) >= 3
    made = compose(text, report.findings)
    assert made.skipped is not None
    left = {id(x.finding): x.reason for x in made.skipped}
    for f in with_edit:
        if id(f) not in left:
            assert f.suggestions[0].replacement.strip() in made.text
    # the no-alternative template would repeat the terse-refusal template's blank
    assert "it repeats a blank already there" in left.values()
    assert made.text.count("<alternative>") == 1
    assert made.text.startswith("Hi Jo,\n\n") and not made.text.endswith("\n\n")
    assert report.rewritten() == made.text  # (re-linting found nothing new to drop)


def test_rewritten_removes_the_findings(linter) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Sam,\n\nIt's company policy that we don't refund opened items.\n"
    report = linter.check(text)
    assert "bare-policy" in {f.rule for f in report.findings}
    again = linter.check(report.rewritten())
    assert "bare-policy" not in {f.rule for f in again.findings}


def test_customer_context_shapes_the_rewrite(linter) -> None:  # type: ignore[no-untyped-def]
    report = linter.check(REPLY, customer=CUSTOMER)
    assert report.customer == CUSTOMER
    rules = {f.rule for f in report.findings}
    assert {"no-acknowledgement", "no-paraphrase"} <= rules
    # asked as slots: no sentence is built from the customer's words (blind reviews 18j-18o)
    assert "<the customer's issue, in your words>" in report.rewritten() or any(
        "<the customer's issue" in s.replacement for f in report.findings for s in f.suggestions
    )
    assert "charged twice" not in report.rewritten()
    alone = linter.check(REPLY)
    assert "no-paraphrase" not in {f.rule for f in alone.findings}
    assert "charged twice" not in alone.rewritten()


def test_default_check() -> None:
    report = replylint.check("Nope.")
    assert "terse-refusal" in [f.rule for f in report.findings]
    again = replylint.check(REPLY, CUSTOMER)
    assert "no-paraphrase" in {f.rule for f in again.findings}


def test_default_check_matches_a_linter(linter) -> None:  # type: ignore[no-untyped-def]
    for text in TEXTS[:4]:
        assert _key(replylint.check(text)) == _key(linter.check(text))


def test_check_many_equals_individual_checks(linter) -> None:  # type: ignore[no-untyped-def]
    many = linter.check_many(TEXTS)
    assert len(many) == len(TEXTS)
    single = [
        linter.check(t) if isinstance(t, str) else linter.check(t[0], customer=t[1]) for t in TEXTS
    ]
    assert [_key(r) for r in many] == [_key(r) for r in single]
    assert [r.text for r in many] == [t if isinstance(t, str) else t[0] for t in TEXTS]
    assert [r.customer for r in many] == [None if isinstance(t, str) else t[1] for t in TEXTS]
    assert any(r.findings for r in many) and any(not r.findings for r in many)


def test_check_many_accepts_a_generator_and_a_large_batch(linter) -> None:  # type: ignore[no-untyped-def]
    texts = [TEXTS[i % len(TEXTS)] for i in range(150)]  # more than one nlp.pipe batch
    many = linter.check_many(t for t in texts)
    assert len(many) == 150
    first = linter.check_many(TEXTS)
    for i, report in enumerate(many):
        assert _key(report) == _key(first[i % len(TEXTS)])


def test_check_many_tuple_without_customer(linter) -> None:  # type: ignore[no-untyped-def]
    (a,) = linter.check_many([("Nope.", None)])
    assert _key(a) == _key(linter.check("Nope."))


def test_check_many_empty(linter) -> None:  # type: ignore[no-untyped-def]
    assert linter.check_many([]) == []


def test_select_and_ignore() -> None:
    only = replylint.Linter(select=["terse-refusal"])
    assert {f.rule for f in only.check("Nope. It's our policy.").findings} == {"terse-refusal"}
    everything = {f.rule for f in replylint.check("Nope. It's our policy.").findings}
    assert {"terse-refusal", "no-acknowledgement", "bare-policy"} <= everything
    without = replylint.Linter(ignore=["terse-refusal", "no-acknowledgement"])
    assert {f.rule for f in without.check("Nope. It's our policy.").findings} == (
        everything - {"terse-refusal", "no-acknowledgement"}
    )


def test_unknown_rule_id_raises() -> None:
    from replylint.rulebook import RuleBookError

    with pytest.raises(RuleBookError, match="no-such-rule"):
        replylint.Linter(select=["no-such-rule"])


def test_unknown_model_raises_model_error() -> None:
    from replylint.nlp import ModelError

    with pytest.raises(ModelError, match="nonexistent_pipeline_xyz"):
        replylint.Linter(model="nonexistent_pipeline_xyz")


def test_fails_respects_fail_on() -> None:
    info_only = replylint.Linter(replylint.Config(fail_on=Severity.INFO), select=["terse-refusal"])
    strict_error = replylint.Linter(replylint.Config(fail_on=Severity.ERROR))
    findings = info_only.check("Nope.").findings
    assert findings and all(f.severity is Severity.WARNING for f in findings)
    assert info_only.fails(findings)
    assert not strict_error.fails(findings)
    assert not info_only.fails([])


def test_to_json(linter) -> None:  # type: ignore[no-untyped-def]
    data = linter.check("Nope.").to_json()
    assert data["version"] == "1.1"
    assert {f["rule"] for f in data["findings"]} >= {"terse-refusal"}
    assert "start" not in data["findings"][0]
    assert data["rewritten"] != "Nope."


def test_thread_safety(linter) -> None:  # type: ignore[no-untyped-def]
    def one(t: Any) -> list[tuple[Any, ...]]:
        return _key(linter.check(t) if isinstance(t, str) else linter.check(t[0], customer=t[1]))

    expected = [one(t) for t in TEXTS]
    jobs = TEXTS * 8
    barrier = threading.Barrier(8)

    def worker(start: int) -> list[tuple[int, list[tuple[Any, ...]]]]:
        barrier.wait()
        out = []
        for i in range(start, len(jobs), 8):
            out.append((i, one(jobs[i])))
        return out

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [r for chunk in pool.map(worker, range(8)) for r in chunk]
    assert len(results) == len(jobs)
    for i, got in results:
        assert got == expected[i % len(TEXTS)], TEXTS[i % len(TEXTS)]


def test_thread_safety_check_many(linter) -> None:  # type: ignore[no-untyped-def]
    expected = [_key(r) for r in linter.check_many(TEXTS)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: [_key(r) for r in linter.check_many(TEXTS)], range(8)))
    assert results == [expected] * 8


@pytest.mark.slow  # a fresh interpreter loading spaCy
def test_only_a_process_replylint_owns_freezes_the_loaded_pipeline(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The command line moves what is alive after loading (pipeline, rule book) to the
    collector's permanent generation; a library caller's process is left alone."""
    import subprocess
    import sys

    draft = tmp_path / "d.txt"
    draft.write_text("Nope.\n", encoding="utf-8")
    code = (
        "import gc, sys\n"
        "from replylint import Linter\n"
        "Linter().check('Nope.')\n"
        "library = gc.get_freeze_count()\n"
        "threshold = gc.get_threshold()[0]\n"
        "from click.testing import CliRunner\n"
        "from replylint.cli import main\n"
        "result = CliRunner().invoke(main, ['check', '--no-cache', sys.argv[1]])\n"
        "print(library, threshold, gc.get_freeze_count(), gc.get_threshold()[0], "
        "result.exit_code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(draft)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    library, library_threshold, cli, cli_threshold, exit_code = map(int, proc.stdout.split())
    assert library == 0
    # the pipeline and the compiled rule book, at least (about 95,000 objects since the phrase
    # trie is stored flat, in two dicts, not a dict per node)
    assert cli > 50_000
    assert cli_threshold == library_threshold  # collected as often: garbage does not pile up
    assert exit_code == 1  # "Nope." is linted, and found


@pytest.mark.slow  # fresh interpreters loading spaCy
def test_a_run_the_cache_answers_freezes_what_it_imported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """No pipeline is loaded, but the imports are frozen before the cached findings are made."""
    import subprocess
    import sys

    draft = tmp_path / "d.txt"
    draft.write_text("Nope.\n", encoding="utf-8")
    code = (
        "import gc, sys\n"
        "from click.testing import CliRunner\n"
        "from replylint.cli import main\n"
        "result = CliRunner().invoke(main, ['check', '--cache-dir', sys.argv[2], sys.argv[1]])\n"
        "print(gc.get_freeze_count(), 'spacy' in sys.modules, result.exit_code)\n"
    )
    args = [sys.executable, "-c", code, str(draft), str(tmp_path / "cache")]
    cold = subprocess.run(args, capture_output=True, text=True, timeout=300)
    warm = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr + warm.stderr
    frozen, spacy, exit_code = warm.stdout.split()
    assert int(frozen) > 10_000 and spacy == "False" and exit_code == "1"
