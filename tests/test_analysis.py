"""The attribute ruler's matches found by an index (analysis.py) are spaCy's own: the same
matches, and after the whole pipeline the same Docs, attribute by attribute."""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_tiers import _drafts

from replylint.analysis import RulerIndex, analyse

_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentences() -> list[str]:
    """Every sentence of the evaluation corpus, rule examples and shipped drafts, and a few
    that exercise the pipeline's exceptions (ain't, y'all, nuthin', gonna, spaces)."""
    found = [s for d in _drafts() for s in _SPLIT.split(d.text) if s.strip()]
    found += [
        "Ain't nobody got time, y'all, and it's gonna be nuthin' but fine.",
        "We  ain't   sure\u00a0yet , but  ya'll see .",
        "I'd've told you; we're gonna fix it and they'll wanna know.",
    ]
    return list(dict.fromkeys(found))


def _analysis(doc: Any) -> list[tuple[Any, ...]]:
    return [
        (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start, t.is_space)
        for t in doc
    ]


@pytest.fixture(scope="module")
def nlp(linter):  # type: ignore[no-untyped-def]
    return linter.nlp


def test_the_index_finds_the_matchers_matches_on_every_corpus_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    ruler = nlp.get_pipe("attribute_ruler")
    index = RulerIndex(ruler)
    assert not len(index.rest), "the shipped pipeline's patterns are all indexed"
    sentences = _sentences()
    assert len(sentences) > 500
    before = list(nlp.pipe(sentences, disable=["attribute_ruler", "lemmatizer"]))
    matched = 0
    for doc in before:
        expected = set(ruler.match(doc))
        assert set(index.match(doc)) == expected, doc.text
        matched += len(expected)
    assert matched > 5000


def test_analysed_docs_equal_the_pipelines_own(nlp) -> None:  # type: ignore[no-untyped-def]
    sentences = _sentences()
    reference = list(nlp.pipe([nlp.make_doc(s) for s in sentences]))
    analysed = list(analyse(nlp, [nlp.make_doc(s) for s in sentences], 64))
    assert len(analysed) == len(reference)
    for ours, theirs in zip(analysed, reference, strict=True):
        assert _analysis(ours) == _analysis(theirs), theirs.text


@pytest.fixture
def custom(nlp):  # type: ignore[no-untyped-def]
    """A pipeline whose attribute ruler uses every kind of pattern: indexed ones (equality,
    IN, NOT_IN, REGEX, several tokens, a negative index, lower-case attribute names) and
    ones left to spaCy's Matcher (OP, ORTH, LENGTH, a comparison)."""
    import spacy

    custom = spacy.blank("en", vocab=nlp.vocab)
    custom.add_pipe("tok2vec", source=nlp)
    custom.add_pipe("tagger", source=nlp)
    custom.add_pipe("parser", source=nlp)
    ruler = custom.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"MORPH": "Number=Sing"})
    ruler.add([[{"tag": {"IN": ["VBZ", "VBP"]}, "LOWER": "is"}]], {"LEMMA": "be", "POS": "AUX"})
    ruler.add([[{"LOWER": {"REGEX": "^re"}, "TAG": {"NOT_IN": ["NN", "NNS"]}}]], {"POS": "VERB"})
    ruler.add([[{"LOWER": "thank"}, {"LOWER": "you"}]], {"LEMMA": "thanks"}, index=-1)
    ruler.add([[{"DEP": {"NOT_IN": ["nsubj", ""]}, "IS_SPACE": False}]], {"MORPH": "Foo=Bar"})
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE"})
    ruler.add([[{"LOWER": "we"}, {"LOWER": "will", "OP": "?"}, {"LOWER": "fix"}]], {"POS": "X"})
    ruler.add([[{"ORTH": "Sorry"}]], {"LEMMA": "apology"})
    ruler.add([[{"LENGTH": {">=": 12}}]], {"POS": "PROPN"})
    ruler.add([[{"TAG": "NN"}]], {"MORPH": "Number=Plur"})  # a later rule wins
    return custom


def test_every_kind_of_pattern_gives_the_matchers_matches(custom) -> None:  # type: ignore[no-untyped-def]
    ruler = custom.get_pipe("attribute_ruler")
    index = RulerIndex(ruler)
    assert len(index.rest) == 3  # OP, ORTH and LENGTH stay with a Matcher
    sentences = [
        *_sentences()[:300],
        "Thank you, we will fix the refund; we fix it, and it is resolved.",
        "Sorry, the reimbursement is    on its way.\n\nThank you!",
    ]
    before = list(custom.pipe(sentences, disable=["attribute_ruler"]))
    kinds: set[int] = set()
    for doc in before:
        expected = set(ruler.match(doc))
        assert set(index.match(doc)) == expected, doc.text
        kinds.update(attr_id for attr_id, *_ in expected)
    assert kinds == set(range(10))  # every rule above matched somewhere
    reference = list(custom.pipe(sentences))
    analysed = list(analyse(custom, [custom.make_doc(s) for s in sentences], 32))
    for ours, theirs in zip(analysed, reference, strict=True):
        assert _analysis(ours) == _analysis(theirs), theirs.text


def test_a_pattern_added_later_is_matched_too(custom) -> None:  # type: ignore[no-untyped-def]
    """The index is built once per ruler, and again when the ruler gains rules."""
    sentence = "Thank you, the refund is on its way."
    list(analyse(custom, [custom.make_doc(sentence)], 8))  # builds the index
    custom.get_pipe("attribute_ruler").add([[{"LOWER": "refund"}]], {"LEMMA": "money-back"})
    (ours,) = analyse(custom, [custom.make_doc(sentence)], 8)
    (theirs,) = custom.pipe([sentence])
    assert "money-back" in [t.lemma_ for t in theirs]
    assert _analysis(ours) == _analysis(theirs)
