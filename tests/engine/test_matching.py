"""The anchored matcher finds exactly what spaCy's Matcher finds, in less of the draft."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spacy.matcher import Matcher

from replylint.engine.compiled import needs_parse, shadow
from replylint.matching import AnchoredMatcher, PhraseTrie, word_positions
from replylint.nlp import load_pipeline, segment

ROOT = Path(__file__).resolve().parents[2]

SYNTHETIC = [
    [{"LOWER": "the"}, {"LOWER": {"IN": ["system", "courier"]}}, {"LOWER": "was", "OP": "?"}],
    [{"LOWER": "i"}, {"OP": "*"}, {"LOWER": "sorry"}],  # unbounded: the whole draft
    [{"IS_ALPHA": True, "OP": "+"}, {"LOWER": "refund"}, {"IS_PUNCT": True, "OP": "{1,2}"}],
    [{"ORTH": "Please"}, {"LOWER": "just", "OP": "?"}, {"IS_ALPHA": True}],
    [{"LOWER": {"IN": ["we", "i"]}, "OP": "+"}, {"LOWER": "can"}],
    [{"IS_SENT_START": True, "LOWER": {"IN": ["no", "nope"]}}, {"IS_PUNCT": True, "OP": "?"}],
    [{"IS_TITLE": True}],  # names no words: matched on the whole draft
    [{"LOWER": "."}, {"IS_SPACE": True, "OP": "*"}, {"IS_TITLE": True}],  # crosses sentences
    [{"LOWER": "order", "OP": "!"}, {"LOWER": "number"}],
    [{"LOWER": "sorry", "SPACY": True}],  # the text after the word: not remembered by words
]


def _rule_patterns() -> list[list[dict[str, object]]]:
    out: list[list[dict[str, object]]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "patterns":
                    out.extend(value)
                elif key != "examples":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((ROOT / "rules").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [shadow(p) if needs_parse(p) else p for p in out]


def _texts() -> list[str]:
    texts = [
        "Hi Sam,\n\nThe system was down. The courier lost it! I am so sorry.",
        "Nope. No refund... Please just wait.\nWe we can. We can't; order number 5?",
        "",
        "I",
        "the system",
        # the same words, at a sentence start or not, followed by a space or not
        "nope, the courier lost it. So sorry",
        "I said nope, the courier lost it. So sorry!",
    ]
    for path in sorted((ROOT / "tests" / "corpus").glob("*.yaml"))[:4]:
        texts += [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return texts


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline()


@pytest.fixture(scope="module")
def docs(nlp):  # type: ignore[no-untyped-def]
    out = []
    for text in _texts():
        doc = segment(nlp.make_doc(text))
        bounds = [(s.start, s.end) for s in doc.sents] if len(doc) else []
        out.append((doc, word_positions([t.lower_ for t in doc]), bounds))
    return out


@pytest.mark.parametrize("source", ["synthetic", "rules"])
def test_same_matches_as_spacy_on_the_whole_doc(nlp, docs, source) -> None:  # type: ignore[no-untyped-def]
    patterns = SYNTHETIC if source == "synthetic" else _rule_patterns()
    assert patterns
    anchored = AnchoredMatcher(nlp.vocab)
    reference = Matcher(nlp.vocab)
    for i, pattern in enumerate(patterns):
        anchored.add(f"p{i}", [pattern])
        reference.add(f"p{i}", [pattern])
    strings = nlp.vocab.strings
    total = 0
    for doc, positions, bounds in [*docs, *docs]:  # the second time from what it remembers
        expected = {(strings[m], s, e) for m, s, e in reference(doc)}
        got = anchored(doc, positions, bounds)
        assert set(got) == expected, doc.text
        assert len(got) == len(set(got))
        total += len(expected)
    assert total > 20  # the patterns do match: the comparison means something
    if source == "synthetic":
        assert anchored.contextual == {f"p{len(SYNTHETIC) - 1}"}
        assert anchored._found  # windows were remembered


def test_within_sentence_matches_each_sentence_alone(nlp, docs) -> None:  # type: ignore[no-untyped-def]
    anchored = AnchoredMatcher(nlp.vocab, within_sentence=True)
    reference = Matcher(nlp.vocab)
    for i, pattern in enumerate(SYNTHETIC):
        anchored.add(f"p{i}", [pattern])
        reference.add(f"p{i}", [pattern])
    strings = nlp.vocab.strings
    crossing = 0
    for doc, positions, bounds in docs:
        expected = {
            (strings[m], a + s, a + e) for a, b in bounds for m, s, e in reference(doc[a:b])
        }
        got = set(anchored(doc, positions, bounds))
        whole = {(strings[m], s, e) for m, s, e in reference(doc)}
        crossing += len(whole - expected)
        # a pattern that names no words runs on the whole draft: its matches are a superset
        unanchored = {m for m in got if m[0] in anchored.unanchored}
        assert got - unanchored == expected - {m for m in expected if m[0] in anchored.unanchored}
        assert {m for m in expected if m[0] in anchored.unanchored} <= unanchored
    assert crossing > 0  # some matches do cross sentences, and are left out


def test_invalid_pattern_is_rejected(nlp) -> None:  # type: ignore[no-untyped-def]
    anchored = AnchoredMatcher(nlp.vocab)
    with pytest.raises((ValueError, KeyError)):
        anchored.add("bad", [[{"LOWER": {"IN": "not a list"}, "NOPE": 1}]])


def test_trie_product_adds_every_expansion_and_no_empty_phrase() -> None:
    product = PhraseTrie()
    product.add_product([[[1]], [[2, 3], [], [4]], [[5], [2, 3]]], "k")
    product.add_product([[[]], [[]]], "empty")
    one_by_one = PhraseTrie()
    for middle in ([2, 3], [], [4]):
        for last in ([5], [2, 3]):
            one_by_one.add([1, *middle, *last], "k")
    assert (
        _phrases(product)
        == _phrases(one_by_one)
        == {
            (1, 2, 3, 5): ("k",),
            (1, 2, 3, 2, 3): ("k",),
            (1, 5): ("k",),
            (1, 2, 3): ("k",),
            (1, 4, 5): ("k",),
            (1, 4, 2, 3): ("k",),
        }
    )
    words = [9, 1, 2, 3, 2, 3, 1, 5]
    assert sorted(product.find(words)) == [("k", 1, 4), ("k", 1, 6), ("k", 6, 8)]


def _phrases(trie: PhraseTrie) -> dict[tuple[int, ...], tuple[str, ...]]:
    """Every phrase a trie holds (its words), with the keys it ends."""
    paths: dict[int, tuple[int, ...]] = {0: ()}
    todo = sorted(trie.edges.items(), key=lambda e: e[1])  # a node is numbered after its parent
    for edge, node in todo:
        paths[node] = (*paths[edge >> 64], edge & ((1 << 64) - 1))
    return {paths[node]: keys for node, keys in trie.ends.items()}


def _tokenized_one_by_one(nlp, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """How a phrase's text was tokenized before the rule book's texts shared one Doc."""
    text = " ".join(text.split())
    if text.startswith("'"):
        for host in ("it", "we", "i", "you", "they"):
            toks = [t.lower_ for t in nlp.make_doc(host + text)]
            if len(toks) > 1 and toks[0] == host:
                return toks[1:]
    return [t.lower_ for t in nlp.make_doc(text)] if text else []


def test_rule_book_phrases_tokenize_as_each_text_alone(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from replylint.engine import bookcache
    from replylint.engine.compiled import Compiled
    from replylint.rulebook import load_rulebook

    monkeypatch.setenv(bookcache.ENV, "off")  # built here, not loaded from the disk
    compiled = Compiled(nlp, load_rulebook())
    extra = ["e.g. this", "'ve had", "can't, won't", "(see) a.m.", "don't-worry"]
    texts = [*compiled._words, *extra]
    assert len(texts) > 1000
    for text in texts:
        assert compiled._tokens(text) == _tokenized_one_by_one(nlp, text), text
