"""The pipeline's statistical components over sentence Docs, with the attribute ruler's
matching done by an index instead of spaCy's Matcher.

English pipelines end in an ``attribute_ruler`` (tag → POS and morphology, a few lemma and
token exceptions) whose patterns are almost all one token with equality tests on TAG, LOWER,
DEP or IS_SPACE. spaCy's Matcher tests each of its ~180 patterns at each token: on reply
sentences that took as long as tok2vec (about 44 µs a token). :class:`RulerIndex` finds the
same matches by looking the token's own values up (equality, ``IN``, ``NOT_IN`` and ``REGEX``
on those four attributes, as the Matcher's predicates test them); patterns with anything else
(``OP``, other attributes or predicates) stay with a Matcher of their own. The matches are then
sorted and applied by the component itself (``AttributeRuler.set_annotations``), so which
attributes win is spaCy's rule, unchanged. ``tests/test_analysis.py`` checks both give the same
Docs, attribute by attribute.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# the token attributes an indexed pattern may test, and how each is read off the Doc
_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_STRING_ATTRS = {"LOWER", "TAG", "DEP"}

_IN, _NOT_IN, _REGEX = 0, 1, 2
# (column in the Doc's array of _ATTRS, kind, the values it allows or refuses, or a regex)
Test = tuple[int, int, Any]
Pattern = tuple[int, int, tuple[tuple[Test, ...], ...]]  # (attr id, match id, per token)
_MEMO = 20_000  # token values (LOWER, TAG, DEP, IS_SPACE), or (regex, value), remembered


class RulerIndex:
    """An ``attribute_ruler``'s matches, found by lookup; see the module's docstring."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        strings = ruler.vocab.strings
        self.rest = Matcher(ruler.vocab)  # the patterns not indexed, matched as spaCy does
        self.size = len(ruler.attrs)  # the ruler it was built from: rebuilt if that grows
        self.by_value: list[dict[Any, list[Pattern]]] = [{} for _ in _ATTRS]
        self.anywhere: list[Pattern] = []  # patterns whose first token needs no one value
        self._searched: dict[tuple[Any, int], bool] = {}
        self._starting: dict[tuple[int, ...], list[Pattern]] = {}
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            match_id = strings[key]
            _, patterns = ruler.matcher.get(key)
            for pattern in patterns:
                tests = _tests(pattern, strings)
                if tests is None:
                    self.rest.add(match_id, [pattern])
                    continue
                entry: Pattern = (attr_id, match_id, tests)
                first = [t for t in tests[0] if t[1] == _IN]
                if not first:
                    self.anywhere.append(entry)
                    continue
                column, _, allowed = first[0]  # indexed by one value the first token needs
                for value in allowed:
                    self.by_value[column].setdefault(value, []).append(entry)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match(doc)`` returns: ``(attr id, match id, start, end)``,
        sorted (later rules take precedence when applied)."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        n = len(doc)
        if not n:
            return []
        rows = list(map(tuple, doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()))
        found: set[tuple[int, int, int, int]] = set()
        starting = self._starting
        for i, row in enumerate(rows):
            entries = starting.get(row)
            if entries is None:
                entries = self._starting_at(row)
            for attr_id, match_id, tests in entries:
                end = i + len(tests)
                if end == i + 1 or (end <= n and self._rest_pass(tests, rows, i)):
                    found.add((attr_id, match_id, i, end))
        if len(self.rest):
            strings = self.ruler.vocab.strings
            for match_id, start, end in self.rest(doc, allow_missing=True, as_spans=False):
                found.add((int(strings[match_id]), match_id, start, end))
        return sorted(found)

    def _starting_at(self, row: tuple[int, ...]) -> list[Pattern]:
        """The patterns whose first token a token with these values passes (remembered:
        replies use a few thousand words, each with a few tags)."""
        candidates = [
            e for column, index in enumerate(self.by_value) for e in index.get(row[column], ())
        ]
        entries = [
            e
            for e in dict.fromkeys([*candidates, *self.anywhere])
            if self._token_pass(e[2][0], row)
        ]
        if len(self._starting) >= _MEMO:
            self._starting.clear()
        self._starting[row] = entries
        return entries

    def _rest_pass(
        self, tests: tuple[tuple[Test, ...], ...], rows: list[tuple[int, ...]], i: int
    ) -> bool:
        return all(self._token_pass(token, rows[i + j]) for j, token in enumerate(tests) if j)

    def _token_pass(self, token: tuple[Test, ...], row: tuple[int, ...]) -> bool:
        for column, kind, data in token:
            value = row[column]
            if kind == _IN:
                if value not in data:
                    return False
            elif kind == _NOT_IN:
                if value in data:
                    return False
            else:  # a regex searches the value's string, as the Matcher's REGEX does
                known = self._searched.get((data, value))
                if known is None:
                    if len(self._searched) >= _MEMO:
                        self._searched.clear()
                    text = self.ruler.vocab.strings[value]
                    known = self._searched[data, value] = data.search(text) is not None
                if not known:
                    return False
        return True

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc


def _tests(pattern: list[dict[str, Any]], strings: Any) -> tuple[tuple[Test, ...], ...] | None:
    """A Matcher pattern as tests of :data:`_ATTRS` (one tuple a token), or None when it needs
    more than those tests."""
    out = []
    for spec in pattern:
        tests: list[Test] = []
        for attr, value in spec.items():
            name = attr.upper()
            if name not in _ATTRS:
                return None  # OP, another attribute, an extension…
            column = _ATTRS.index(name)
            kind, values = _IN, value
            if isinstance(value, dict):
                if len(value) != 1:
                    return None
                ((predicate, values),) = value.items()
                if predicate == "REGEX" and name in _STRING_ATTRS and isinstance(values, str):
                    tests.append((column, _REGEX, re.compile(values)))
                    continue
                if predicate not in ("IN", "NOT_IN") or not isinstance(values, list):
                    return None  # comparisons, FUZZY, INTERSECTS…
                kind = _IN if predicate == "IN" else _NOT_IN
            else:
                values = [value]
            wanted = str if name in _STRING_ATTRS else bool
            if not all(type(v) is wanted for v in values):
                return None
            if wanted is str:
                tests.append((column, kind, frozenset(strings.add(v) for v in values)))
            else:
                tests.append((column, kind, frozenset(int(v) for v in values)))
        out.append(tuple(tests))
    return tuple(out) if out else None


def analyse(nlp: Language, docs: Iterable[Doc], batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe(docs)`` (every enabled component, in order), with the ``attribute_ruler``'s
    matching done by a :class:`RulerIndex` built once per pipeline."""
    from spacy.pipeline import AttributeRuler

    stream: Iterable[Doc] = docs
    for _, proc in nlp.pipeline:
        if isinstance(proc, AttributeRuler):
            stream = map(_index_for(proc), stream)
        elif hasattr(proc, "pipe"):
            stream = proc.pipe(stream, batch_size=batch_size)
        else:
            stream = map(proc, stream)
    return iter(stream)


_INDEXES: dict[int, RulerIndex] = {}


def _index_for(ruler: Any) -> RulerIndex:
    index = _INDEXES.get(id(ruler))
    if index is None or index.ruler is not ruler or index.size != len(ruler.attrs):
        index = _INDEXES[id(ruler)] = RulerIndex(ruler)
    return index


# -- sentences parsed once for all the worker processes of a run --------------------------------

# what a sentence's analysis is made of, for the factories known to set nothing else
_KEPT = ("TAG", "POS", "MORPH", "DEP", "HEAD", "LEMMA", "SENT_START", "NORM")
_KEPT_STRINGS = (0, 2, 3, 5, 7)  # the columns holding string hashes
_SHAREABLE = {
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "sentencizer",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
}
SHARED_LIMIT = 20_000  # sentences the worker processes of a run share (~2 KB each on disk)


def shareable(nlp: Language) -> bool:
    """Whether a sentence's analysis by ``nlp`` is all in :data:`_KEPT` (its components set
    nothing else on a Doc), so :class:`SharedParses` gives back the very same analysis."""
    return all(nlp.get_pipe_meta(name).factory in _SHAREABLE for name in nlp.pipe_names)


class SharedParses:
    """Parsed sentences shared by the worker processes of one run, in a private folder.

    Each worker remembers the sentences it parsed (the engine's memo), but the drafts of a
    macro library share sentences across workers too: with two workers, each parsed most of
    them (+45% tagging and parsing on the benchmark's 2,000 drafts). A worker that parses a
    sentence writes its analysis here (tags, morphology, lemmas, norms, heads, dependencies,
    sentence starts, and the strings they name: about 2 KB, written atomically); a worker that
    meets the sentence later reads it back into a Doc (~0.1 ms, against a few for the parse).
    An entry holds the sentence's words and spaces, and is used only if they are the ones
    asked for. Each process writes at most its share of :data:`SHARED_LIMIT` entries.
    """

    def __init__(self, folder: str, limit: int = SHARED_LIMIT) -> None:
        self.folder = folder
        self.limit = limit
        self.written = 0
        self.hits = 0

    def _path(self, key: tuple[tuple[str, ...], tuple[bool, ...]]) -> str:
        import hashlib
        import os

        name = hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=16)
        return os.path.join(self.folder, name.hexdigest())

    def get(self, key: tuple[tuple[str, ...], tuple[bool, ...]], vocab: Any) -> Doc | None:
        """The analysis of the sentence with these (words, spaces), if a worker wrote it."""
        import json

        import numpy
        from spacy.tokens import Doc

        try:
            with open(self._path(key), "rb") as f:
                head, _, data = f.read().partition(b"\n")
            words, spaces, strings = json.loads(head)
            array = numpy.frombuffer(data, dtype="uint64").reshape(len(words), len(_KEPT))
        except (OSError, ValueError):
            return None  # not written (yet), or damaged
        if tuple(words) != key[0] or tuple(spaces) != key[1]:
            return None  # another sentence with the same file name
        for text in strings:
            vocab.strings.add(text)
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.from_array(list(_KEPT), array)  # type: ignore[arg-type]
        self.hits += 1
        return doc

    def put(self, key: tuple[tuple[str, ...], tuple[bool, ...]], doc: Doc) -> None:
        import json
        import os
        import tempfile

        if self.written >= self.limit:
            return
        array = doc.to_array(list(_KEPT))
        strings = doc.vocab.strings
        named = {int(h) for h in array[:, _KEPT_STRINGS].ravel().tolist()} - {0}
        head = json.dumps([list(key[0]), list(key[1]), [strings[h] for h in named]])
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        except OSError:
            return  # a removed folder: the sentence is just not shared
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(head.encode("ascii") + b"\n" + array.tobytes())
            os.replace(tmp, self._path(key))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # a full disk: not shared either
            return
        self.written += 1
