"""Two tiers, one answer: parsing only the sentences that need it gives exactly the findings
and suggestions of parsing every sentence (see ARCHITECTURE.md)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from replylint import analysis
from replylint.engine.batch import Engine
from replylint.evaluate import load_corpus
from replylint.rulebook import load_rulebook
from replylint.sources.base import Draft

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "drafts"


def _drafts() -> list[Draft]:
    book = load_rulebook()
    drafts = [Draft.from_text(c.text, customer=c.customer) for c in load_corpus(CORPUS, book)]
    drafts += [Draft.from_text(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*"))]
    for rule in book.rules.values():
        for ex in (*rule.examples.fail, *rule.examples.pass_):
            drafts.append(Draft.from_text(ex.text, customer=ex.customer))
    return drafts


def _dump(engine: Engine, drafts: list[Draft]) -> list[list[dict[str, object]]]:
    return [
        [f.model_dump() | {"start": f.start, "end": f.end} for f in findings]
        for _, findings in engine.lint(drafts)
    ]


@contextlib.contextmanager
def _tagged_and_parsed() -> Iterator[list[str]]:
    """The texts of the sentences the engine sends through the tagger and parser meanwhile
    (the real ``analyse`` still runs)."""
    piped: list[str] = []
    original = analysis.analyse

    def counting(nlp, docs, batch_size):  # type: ignore[no-untyped-def]
        docs = list(docs)
        piped.extend(d.text for d in docs)
        return original(nlp, docs, batch_size)

    analysis.analyse = counting  # type: ignore[assignment]
    try:
        yield piped
    finally:
        analysis.analyse = original


@pytest.mark.parametrize(
    "every",
    [
        pytest.param(4, id="every-4th-draft"),  # the fast lane's share of the corpus
        pytest.param(1, id="every-draft", marks=pytest.mark.slow),  # all of it, parsed twice
    ],
)
def test_tiered_engine_matches_parsing_everything(linter, every: int) -> None:  # type: ignore[no-untyped-def]
    book = load_rulebook()
    drafts = _drafts()[::every]
    tiered = Engine(linter.nlp, book, list(book.rules))
    full = Engine(linter.nlp, book, list(book.rules), parse_everything=True)
    a, b = _dump(tiered, drafts), _dump(full, drafts)
    assert sum(len(x) for x in a) > 500 // every  # the comparison covers plenty of findings
    for draft, x, y in zip(drafts, a, b, strict=True):
        assert x == y, draft.text


def test_tiered_engine_parses_less(linter) -> None:  # type: ignore[no-untyped-def]
    """The point of the tiers: most sentences of the corpus are never tagged or parsed."""
    book = load_rulebook()
    engine = Engine(linter.nlp, book, list(book.rules))
    parsed: list[int] = []
    original = engine.compiled.parses.parse

    def counting(docs, **kw):  # type: ignore[no-untyped-def]
        parsed.extend(len(d) for d in docs)
        return original(docs, **kw)

    engine.compiled.parses.parse = counting  # type: ignore[method-assign]
    try:
        drafts = _drafts()[::2]  # half the corpus says it as well as all of it
        list(engine.lint(drafts))
    finally:
        engine.compiled.parses.parse = original  # type: ignore[method-assign]
    total = sum(len(linter.nlp.make_doc(d.text)) for d in drafts)
    assert sum(parsed) < 0.5 * total


@pytest.mark.slow  # the whole corpus, linted twice
def test_tiers_agree_without_debug_mode(linter, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same comparison as users run it (rewrite failures degrade quietly there)."""
    monkeypatch.delenv("REPLYLINT_DEBUG", raising=False)
    test_tiered_engine_matches_parsing_everything(linter, every=1)


def test_a_sentence_met_again_is_not_parsed_again(linter) -> None:  # type: ignore[no-untyped-def]
    """The parse memo: the same sentence elsewhere (in another draft, at another offset) is
    answered from its first analysis, placed where it now is; findings match parsing afresh."""
    from replylint.sources.base import Draft

    book = load_rulebook()
    engine = Engine(linter.nlp, book, list(book.rules))
    reference = Engine(linter.nlp, book, list(book.rules), parse_everything=True)
    sentence = "Unfortunately I was charged twice for my plan and nobody answered."
    texts = [
        f"Hi Sam,\n\n{sentence} We are looking into it.",
        f"Hello Dana,\n\nThanks for waiting. {sentence} Sorry!\n\nBest,\nAva",
    ]
    with _tagged_and_parsed() as piped:
        first = [f for _, found in engine.lint([Draft.from_text(texts[0])]) for f in found]
        before = len(piped)
        second = [f for _, found in engine.lint([Draft.from_text(texts[1])]) for f in found]
    assert any(sentence in text for text in piped[:before])
    assert not any(sentence in text for text in piped[before:])  # answered from the memo
    for text, found in zip(texts, (first, second), strict=True):
        expected = [f for _, fs in reference.lint([Draft.from_text(text)]) for f in fs]
        assert [(f.rule, f.start, f.end, f.suggestions) for f in found] == [
            (f.rule, f.start, f.end, f.suggestions) for f in expected
        ]
    assert any(f.start > texts[1].index(sentence) - 1 for f in second)


def test_remembered_sentences_keep_their_analysis_not_the_tok2vec_output(linter) -> None:  # type: ignore[no-untyped-def]
    """The memo holds thousands of sentences: they keep tags, heads and dependencies, not the
    96 floats a token that only the tagger and parser read (over half of a Doc's bytes)."""
    book = load_rulebook()
    engine = Engine(linter.nlp, book, list(book.rules))
    sentence = "Unfortunately I was charged twice for my plan and nobody answered."
    list(engine.lint([Draft.from_text(f"Hi Sam,\n\n{sentence}")]))
    remembered = list(engine.compiled.parses.memo.values())
    assert remembered
    fresh = linter.nlp(sentence)
    assert fresh.tensor.size > 0  # what the pipeline leaves on a Doc
    for doc in remembered:
        assert doc.tensor.size == 0
        assert doc.has_annotation("DEP") and doc.has_annotation("TAG")
    kept = next(d for d in remembered if d.text.strip() == sentence)
    assert [(t.tag_, t.dep_, t.head.i) for t in kept] == [(t.tag_, t.dep_, t.head.i) for t in fresh]


def test_sentences_parsed_by_one_worker_are_not_parsed_again_by_another(linter, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two engines with their own memos, as two worker processes have, sharing one folder:
    the second parses nothing the first parsed, and finds what the reference finds."""
    from replylint.analysis import SharedParses
    from replylint.engine.compiled import Compiled

    book = load_rulebook()
    texts = [d.text for d in _drafts()[:40]]
    workers = []
    for _ in range(2):
        worker = Engine(linter.nlp, book, list(book.rules))
        worker.compiled = Compiled(linter.nlp, book)
        worker.compiled.shared = SharedParses(str(tmp_path))
        workers.append(worker)
    first, second = workers
    list(first.lint(Draft.from_text(t) for t in texts))
    assert first.compiled.shared is not None and first.compiled.shared.written > 20
    with _tagged_and_parsed() as piped:
        got = list(second.lint(Draft.from_text(t) for t in texts))
    assert piped == []  # every sentence read back from the first worker's
    assert second.compiled.shared is not None and second.compiled.shared.hits > 20
    reference = Engine(linter.nlp, book, list(book.rules), parse_everything=True)
    expected = list(reference.lint(Draft.from_text(t) for t in texts))
    assert [[(f.rule, f.start, f.end, f.suggestions) for f in fs] for _, fs in got] == [
        [(f.rule, f.start, f.end, f.suggestions) for f in fs] for _, fs in expected
    ]


def test_regex_spans_are_remembered_per_sentence(linter) -> None:  # type: ignore[no-untyped-def]
    import re

    compiled = Engine(linter.nlp, load_rulebook(), []).compiled
    pattern = re.compile(r"\b(?:today|x*)\b", re.IGNORECASE)
    sentence = "Today, not tomorrow: today."
    first = compiled.searches.find(pattern, sentence)
    assert first == ((0, 5), (21, 26))  # empty matches left out
    assert compiled.searches.find(pattern, sentence) is first  # remembered
    assert compiled.searches.find(pattern, "Tomorrow.") == ()
