"""The attribute ruler's matches found by an index (analysis.py) are spaCy's own: the same
matches, and after the whole pipeline the same Docs, attribute by attribute."""

from __future__ import annotations

import re
from typing import Any

import pytest

from replylint.analysis import RulerIndex, analyse
from tests.engine.test_tiers import _drafts

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


@pytest.mark.parametrize(
    "every",
    [
        pytest.param(3, id="every-3rd-sentence"),  # the fast lane's share of the corpus
        pytest.param(1, id="every-sentence", marks=pytest.mark.slow),
    ],
)
def test_the_index_finds_the_matchers_matches_on_every_corpus_sentence(nlp, every: int) -> None:  # type: ignore[no-untyped-def]
    ruler = nlp.get_pipe("attribute_ruler")
    index = RulerIndex(ruler)
    assert not len(index.rest), "the shipped pipeline's patterns are all indexed"
    sentences = _sentences()[::every]
    assert len(sentences) > 500
    before = list(nlp.pipe(sentences, disable=["attribute_ruler", "lemmatizer"]))
    matched = 0
    for doc in before:
        expected = set(ruler.match(doc))
        assert set(index.match(doc)) == expected, doc.text
        matched += len(expected)
    assert matched > 5000 // every


@pytest.mark.slow  # the whole corpus, parsed twice
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


def _every_attribute(doc: Any) -> dict[str, list[int]]:
    from spacy.attrs import IDS

    out = {}
    for name, attr in IDS.items():
        if attr and name not in ("SENT_END",):
            try:
                out[name] = doc.to_array([attr]).tolist()
            except (ValueError, KeyError):  # not a token attribute
                continue
    return out


def test_shared_parses_give_back_the_same_analysis(nlp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What one worker process parsed, another reads back: every token attribute the same,
    and the same sentences, noun chunks and annotations."""
    from replylint.analysis import SharedParses, shareable

    assert shareable(nlp)
    sentences = [
        *_sentences()[:400],
        "Thanks 🙏🏽 — the “refund” of $12.50 is on its way…",
        "Odd\u200bspacing stays\u00a0as  they are .",
    ]
    writer, reader = SharedParses(str(tmp_path)), SharedParses(str(tmp_path))
    parsed = list(nlp.pipe(sentences))
    keys = [(tuple(t.text for t in d), tuple(bool(t.whitespace_) for t in d)) for d in parsed]
    for key, doc in zip(keys, parsed, strict=True):
        writer.put(key, doc)
    assert writer.written == len(set(keys))
    assert reader.get((("nothing", "here"), (True, False)), nlp.vocab) is None
    for key, doc in zip(keys, parsed, strict=True):
        back = reader.get(key, nlp.vocab)
        assert back is not None and back.text == doc.text
        assert _analysis(back) == _analysis(doc), doc.text
        assert [t.norm_ for t in back] == [t.norm_ for t in doc]
        assert _every_attribute(back) == _every_attribute(doc), doc.text
        assert [s.text for s in back.sents] == [s.text for s in doc.sents]
        assert [c.text for c in back.noun_chunks] == [c.text for c in doc.noun_chunks]
        for name in ("TAG", "POS", "MORPH", "LEMMA", "DEP", "SENT_START"):
            assert back.has_annotation(name) == doc.has_annotation(name)
    assert reader.hits == len(keys)


def test_a_shared_entry_for_other_words_or_damaged_is_not_used(nlp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from replylint.analysis import SharedParses

    shared = SharedParses(str(tmp_path), limit=2)
    docs = [nlp(s) for s in ("We refunded it.", "It is fixed.", "All done now.")]
    key = [(tuple(t.text for t in d), tuple(bool(t.whitespace_) for t in d)) for d in docs]
    for k, d in zip(key, docs, strict=True):
        shared.put(k, d)
    assert shared.written == 2  # its limit
    (log,) = os.listdir(tmp_path)  # one log per writer, holding both records
    path = tmp_path / log
    first, second = [SharedParses(str(tmp_path)) for _ in range(2)]
    assert first.get(key[0], nlp.vocab) is not None and first.get(key[2], nlp.vocab) is None
    data = path.read_bytes()
    one = 22 + int.from_bytes(data[18:22], "little")  # the first record's size
    # a record filed under another sentence's digest is refused: its words are not those asked
    with open(tmp_path / "forged.log", "wb") as f:
        f.write(data[:2] + SharedParses._digest(key[2]) + data[18:one])
    assert second.get(key[2], nlp.vocab) is None
    # a record cut short is taken for one still being written, and read once it is whole
    path.write_bytes(data[:-3])
    late = SharedParses(str(tmp_path))
    assert late.get(key[0], nlp.vocab) is not None and late.get(key[1], nlp.vocab) is None
    path.write_bytes(data)
    assert late.get(key[1], nlp.vocab) is not None
    # anything that is not a record stops the reading of that log
    path.write_bytes(b"garbage" + data)
    assert SharedParses(str(tmp_path)).get(key[0], nlp.vocab) is None
    for reader in (first, second, late, shared):
        reader.close()


def test_a_pipeline_with_other_components_shares_nothing(custom) -> None:  # type: ignore[no-untyped-def]
    from replylint.analysis import shareable

    custom.add_pipe("entity_ruler")  # sets entities, which a shared parse does not keep
    assert not shareable(custom)
