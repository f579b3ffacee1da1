"""The pipeline's statistical components over sentence Docs, with the attribute ruler's
matching done by an index instead of spaCy's Matcher.

English pipelines end in an ``attribute_ruler`` (tag → POS and morphology, a few lemma and
token exceptions) whose patterns are almost all one token with equality tests on TAG, LOWER,
DEP or IS_SPACE. spaCy's Matcher tests each of its ~180 patterns at each token: on reply
sentences about as long as tok2vec takes. :class:`RulerIndex` finds the
same matches by looking the token's own values up (equality, ``IN``, ``NOT_IN`` and ``REGEX``
on those four attributes, as the Matcher's predicates test them); patterns with anything else
(``OP``, other attributes or predicates) stay with a Matcher of their own. The matches are then
sorted and applied by the component itself (``AttributeRuler.set_annotations``), so which
attributes win is spaCy's rule, unchanged. ``tests/test_analysis.py`` checks both give the same
Docs, attribute by attribute.
"""

from __future__ import annotations

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
    macro library share sentences across workers too: without sharing, each worker parses
    most of them. A worker that parses a sentence appends its analysis to its own log in the
    folder (tags, morphology, lemmas, norms, heads, dependencies, sentence starts, and the
    strings they name: one write); a worker that meets the sentence later finds it in the
    others' logs and reads it back into a Doc, far cheaper than the parse. (A file per
    sentence cost more: creating and renaming one was a sizeable share of a worker's time.)

    A record is ``MAGIC``, the 16-byte digest of the sentence's words and spaces, the payload's
    length (4 bytes) and the payload; a reader takes only whole records, so one still being
    written is read later, and stops at anything else. An entry holds the sentence's words and
    spaces, and is used only if they are the ones asked for. Each process writes at most its
    share of :data:`SHARED_LIMIT` entries, and nothing more after a failed write.
    """

    MAGIC = b"RP"
    _HEAD = 22  # MAGIC + digest + length

    def __init__(self, folder: str, limit: int = SHARED_LIMIT) -> None:
        self.folder = folder
        self.limit = limit
        self.written = 0
        self.hits = 0
        self._log: int | None = None  # this process's log (a descriptor), opened on first put
        self._own = ""
        self._logs: dict[str, Any] = {}  # the others' logs, open, by file name
        self._done: dict[str, int] = {}  # bytes of each log read (-1: damaged, not followed)
        self._index: dict[bytes, tuple[str, int, int]] = {}  # digest: log, offset, length

    @staticmethod
    def _digest(key: tuple[tuple[str, ...], tuple[bool, ...]]) -> bytes:
        import hashlib

        return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, key: tuple[tuple[str, ...], tuple[bool, ...]], vocab: Any) -> Doc | None:
        """The analysis of the sentence with these (words, spaces), if a worker wrote it."""
        import json

        import numpy
        from spacy.tokens import Doc

        digest = self._digest(key)
        if digest not in self._index:
            self._follow()
        where = self._index.get(digest)
        if where is None:
            return None  # not written (yet)
        name, offset, length = where
        try:
            log = self._logs[name]
            log.seek(offset)
            payload = log.read(length)
            head, _, data = payload.partition(b"\n")
            words, spaces, strings = json.loads(head)
            array = numpy.frombuffer(data, dtype="uint64").reshape(len(words), len(_KEPT))
        except (OSError, ValueError):
            return None  # damaged
        if tuple(words) != key[0] or tuple(spaces) != key[1]:
            return None  # another sentence with the same digest
        for text in strings:
            vocab.strings.add(text)
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.from_array(list(_KEPT), array)  # type: ignore[arg-type]
        self.hits += 1
        return doc

    def _follow(self) -> None:
        """Index the whole records the other processes appended since the last look."""
        import os

        try:
            names = [n for n in os.listdir(self.folder) if n.endswith(".log") and n != self._own]
        except OSError:
            return  # a removed folder: nothing shared
        for name in names:
            done = self._done.get(name, 0)
            if done < 0:
                continue
            try:
                log = self._logs.get(name)
                if log is None:  # kept open: followed until close()
                    log = self._logs[name] = open(os.path.join(self.folder, name), "rb")  # noqa: SIM115
                log.seek(done)
                data = log.read()
            except OSError:
                continue
            at, damaged = 0, False
            while len(data) - at >= self._HEAD:
                if data[at : at + 2] != self.MAGIC:
                    damaged = True  # not a record: stop following this log
                    break
                length = int.from_bytes(data[at + 18 : at + 22], "little")
                if len(data) - at - self._HEAD < length:
                    break  # still being written
                self._index.setdefault(
                    data[at + 2 : at + 18], (name, done + at + self._HEAD, length)
                )
                at += self._HEAD + length
            self._done[name] = -1 if damaged else done + at

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
        payload = head.encode("ascii") + b"\n" + array.tobytes()
        record = self.MAGIC + self._digest(key) + len(payload).to_bytes(4, "little") + payload
        try:
            if self._log is None:
                self._log, path = tempfile.mkstemp(dir=self.folder, suffix=".log")
                self._own = os.path.basename(path)
            view = memoryview(record)
            while view:
                view = view[os.write(self._log, view) :]
        except OSError:
            self.limit = self.written  # a removed folder or a full disk: share no more
            return
        self.written += 1

    def close(self) -> None:
        import os

        if self._log is not None:
            os.close(self._log)
            self._log = None
        for log in self._logs.values():
            log.close()
        self._logs.clear()
