"""Every example in every rule file is run (proselint's rule): fail examples must fire their
rule (on the expected excerpt, when given), pass examples must not."""

from __future__ import annotations

import pytest

from replylint.models import Applicability, Example, Finding, Rule
from replylint.rulebook import load_rulebook

BOOK = load_rulebook()
MIN_EXAMPLES = 8


def _cases(kind: str) -> list[object]:
    out = []
    for rule in BOOK.rules.values():
        examples = rule.examples.fail if kind == "fail" else rule.examples.pass_
        for n, ex in enumerate(examples):
            out.append(pytest.param(rule, ex, id=f"{rule.id}-{kind}-{n}"))
    return out


@pytest.mark.parametrize("rule", list(BOOK.rules.values()), ids=lambda r: r.id)
def test_rule_has_enough_examples(rule: Rule) -> None:
    assert len(rule.examples.fail) >= MIN_EXAMPLES, f"{rule.id}: too few failing examples"
    assert len(rule.examples.pass_) >= MIN_EXAMPLES, f"{rule.id}: too few passing examples"


def _in_a_file(linter, text: str) -> list[Finding]:
    """The findings of ``text`` as a plain-text file's, comments applied: a ``suppression``
    rule's examples are files with replylint comments in them."""
    from replylint.run.finish import lint_text
    from replylint.sources import reader_for

    drafts = reader_for("example.txt")("example.txt", text, None)
    return [f for _, f in lint_text(linter, "example.txt", text, drafts)]


@pytest.mark.parametrize(("rule", "example"), _cases("fail"))
def test_fail_example_fires(linter, rule: Rule, example: Example) -> None:
    if rule.kind == "suppression":
        hits = [f for f in _in_a_file(linter, example.text) if f.rule == rule.id]
        assert hits, f"{rule.id} did not fire on: {example.text!r}"
        for f in hits:
            assert example.text[f.start : f.end] == f.excerpt
            assert f.excerpt.lstrip("# <!-").startswith("replylint:")  # at the comment
        return
    report = linter.check(example.text, customer=example.customer)
    hits = [f for f in report.findings if f.rule == rule.id]
    assert hits, f"{rule.id} did not fire on: {example.text!r}"
    if rule.kind == "gate":  # the gate's one finding, on the first line, and no other rule's
        assert [f.rule for f in report.findings] == [rule.id]
        line = example.text.strip().splitlines()[0].strip()
        assert hits[0].excerpt == line
        assert example.text[hits[0].start : hits[0].end] == line
        assert report.prose == (rule.id != "not-prose")
        if rule.id == "not-english":
            assert report.language != "en"
        return
    if example.expect is not None:
        assert example.expect in [f.excerpt for f in hits], [f.excerpt for f in hits]
    for f in hits:
        # the excerpt is exactly the text at the finding's span
        assert example.text[f.start : f.end] == f.excerpt
        if rule.rewrite is not None:
            if not f.suggestions:  # the gate refused them all: its reasons are on record
                _refused(linter, example, f)
            for s in f.suggestions:
                assert 0 <= s.start <= s.end <= len(example.text)
                if s.has_slots:
                    assert s.applicability == Applicability.DISPLAY_ONLY
    if any(f.suggestions for f in hits):
        assert report.rewritten() != example.text


def _refused(linter, example: Example, f: Finding) -> None:
    """A finding offered no suggestion: its builder offered none (a sentence it may not
    replace, a put-down it cannot delete), or the gate judged its candidates and said why."""
    from replylint.suggestions import explain

    [found] = explain(linter, [(example.text, example.customer)])
    mine = [e for e in found if e.rule == f.rule and (e.start, e.end) == (f.start, f.end)]
    assert mine, f"{f.rule}: no judged finding at {f.start}-{f.end}"
    assert all(c.reason for c in mine[0].candidates), mine[0]


@pytest.mark.parametrize(("rule", "example"), _cases("pass"))
def test_pass_example_is_quiet(linter, rule: Rule, example: Example) -> None:
    if rule.kind == "suppression":
        findings = _in_a_file(linter, example.text)
    else:
        findings = linter.check(example.text, customer=example.customer).findings
    hits = [(f.excerpt, f.message) for f in findings if f.rule == rule.id]
    assert not hits, f"{rule.id} fired on a passing example: {hits}"


_LINTERS: dict[str, object] = {}


def _rewrite_cases() -> list[object]:
    return [
        pytest.param(rule, ex, id=f"{rule.id}-rewrite")
        for rule in BOOK.rules.values()
        for ex in rule.examples.fail
        if ex.rewrite is not None
    ]


def test_every_rule_documents_a_rewrite() -> None:
    """`replylint explain` shows the first failing example's rewrite without running spaCy;
    a rule that offers none (we-focus: a slot asking to rewrite a sentence is not fillable)
    documents none."""
    for rule in BOOK.rules.values():
        # suppression: its findings point at a comment; gate: at a draft not linted at all
        if rule.kind in ("suppression", "gate"):
            continue
        documented = [ex.rewrite for ex in rule.examples.fail]
        if rule.rewrite is None:
            assert documented == [None] * len(documented), rule.id
        else:
            assert documented[0] is not None, rule.id


@pytest.mark.parametrize(("rule", "example"), _rewrite_cases())
def test_documented_rewrite_is_what_the_rule_does(linter, rule: Rule, example: Example) -> None:
    from replylint import Linter

    only = _LINTERS.setdefault(rule.id, Linter(select=[rule.id]))
    assert only.check(example.text, customer=example.customer).rewritten() == example.rewrite
