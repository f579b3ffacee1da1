"""The rule book compiled for one pipeline: every spec's phrases, token patterns and regexes
in the matchers that find them (see ``matching.py``).

Each spec (a signal's ``match`` or ``unless``, a rule's ``match``, ``trigger``, ``require``,
``trigger_all`` or ``unless``) is registered under a key, ``owner/slot`` (``rule:<id>/match``,
``signal:<name>/unless0`` …). Phrases go into one :class:`PhraseTrie`; token patterns on words
alone into an :class:`AnchoredMatcher`; patterns that need the tagger or the parser into a
Matcher run on parsed sentences, each with a *shadow* on words alone that says which
sentences can match. :func:`compiled_for` builds it once per pipeline and rule book.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..matching import AnchoredMatcher, PhraseTrie
from ..models import MatchSpec, Rule, Signal
from ..rulebook import (
    RuleBook,
    RuleBookError,
    budgeted,
    expand_phrase,
    expand_phrase_source,
    specs_of,
)
from . import bookcache
from .parse import ParseMemo
from .searches import Searches

if TYPE_CHECKING:
    from spacy.language import Language

    from ..analysis import SharedParses

# a group glued to a word ("(problem|issue)-free") tokenizes differently on its own: such
# phrases are expanded in full before tokenizing
_GLUED = re.compile(r"[^\s(|]\(|\)[^\s)|]")
_QUOTES = str.maketrans({"’": "'", "‘": "'"})
_HOSTS = ("it", "we", "i", "you", "they")  # the words a phrase's leading "'ve" is tried after
_PARSE_ATTRS = {"POS", "TAG", "DEP", "LEMMA", "MORPH", "HEAD"}


def spec_key(owner: str, slot: str) -> str:
    return f"{owner}/{slot}"


class Compiled:
    """The rule book's specs in their matchers, with the memos shared by every draft linted
    with them: parsed sentences (:attr:`parses`) and regex matches (:attr:`searches`)."""

    def __init__(self, nlp: Language, book: RuleBook) -> None:
        from spacy.matcher import Matcher

        self.nlp = nlp
        self.book = book
        # one pipeline, its matchers, one lock: linting with them is serialised per process
        self.lock = threading.RLock()
        self.phrases = PhraseTrie()
        self._words: dict[str, list[str]] = {}  # a phrase's text: its lower-case words
        self._chunks: dict[str, list[str]] = {}  # a text's chunk between spaces: its words
        self._hash: dict[str, int] = {}
        self._cached: dict[str, Any] | None = None
        # token patterns on words alone run on every draft; those that need the tagger or the
        # parser (POS, TAG, DEP, LEMMA, MORPH) run only on sentences holding a word they require
        self.matcher = AnchoredMatcher(nlp.vocab, bounded=True)  # '*' within sentences
        self.parse_matcher = Matcher(nlp.vocab, validate=True)
        # each pattern on the parse has a shadow without its parse attributes, matched on the
        # words alone: a sentence can only match the pattern where its shadow matches
        self.shadows = AnchoredMatcher(nlp.vocab, within_sentence=True)
        self.parse_keys: set[str] = set()
        self.regexes: dict[str, list[Any]] = {}  # regex.Pattern, searched with a budget
        self.searches = Searches()
        self.parses = ParseMemo(nlp)
        self.specs: dict[str, MatchSpec] = {}
        entries = list(_entries(book))
        # the trie, the regexes and their needles: from the disk (bookcache.py) when built
        # from the same specs and tokenizer before, else built here and stored
        cache_key = None
        if bookcache.folder() is not None:
            cache_key = bookcache.key_of(nlp, ((spec_key(o, s), sp) for o, s, sp, _ in entries))
            self._cached = bookcache.load(cache_key)
        if self._cached is None:
            owners: list[Rule | Signal] = [*book.signals.values(), *book.rules.values()]
            self._tokenize_all(
                phrase for owner in owners for spec in specs_of(owner) for phrase in spec.phrases
            )
        else:
            self.phrases = self._cached["trie"]
            for word in self._cached["words"]:  # the string store as building leaves it
                self._hash[word] = nlp.vocab.strings.add(word)
        for owner, slot, spec, where in entries:
            self._add(owner, slot, spec, where)
        if self._cached is None and cache_key is not None:
            found = {k: [(p, self.searches.needles[p]) for p in v] for k, v in self.regexes.items()}
            bookcache.store(
                cache_key, {"trie": self.phrases, "words": list(self._hash), "regexes": found}
            )
        self._cached = None

    @cached_property
    def anchor_words(self) -> frozenset[str]:
        """The words the word matchers look up the positions of (see ``matching.py``)."""
        return frozenset(self.matcher.words | self.shadows.words)

    @cached_property
    def match_shadows(self) -> list[str]:
        """The ``match`` specs with patterns on the parse (their shadows say which sentences
        the engine parses up front)."""
        return [k for k in self.shadows.matchers if k.endswith("/match")]

    def _add(self, owner: str, slot: str, spec: MatchSpec, where: str) -> None:
        key = spec_key(owner, slot)
        self.specs[key] = spec
        cached = self._cached
        if cached is None:
            for phrase in spec.phrases:
                parts = [[self._hashes(w) for w in choices] for choices in self._parts(phrase)]
                self.phrases.add_product(parts, key)
        lexical = [p for p in spec.patterns if not needs_parse(p)]
        parsed = [p for p in spec.patterns if needs_parse(p)]
        try:
            if lexical:
                self.matcher.add(key, lexical)
            if parsed:
                self.parse_matcher.add(key, parsed)
        except (ValueError, KeyError) as exc:
            first = str(exc).strip().splitlines()[0]
            raise RuleBookError(f"{where}: {slot}.patterns: {first}") from None
        if parsed:
            self.parse_keys.add(key)
            self.shadows.add(key, [shadow(p) for p in parsed])
        if spec.regex and cached is not None:  # compiled and checked when it was stored
            for pattern, held in cached["regexes"][key]:
                self.searches.register(pattern, f"{where}: {slot}.regex", held)
            self.regexes[key] = [pattern for pattern, _ in cached["regexes"][key]]
        elif spec.regex:  # with a time budget per search (rulebook.REGEX_BUDGET)
            found = []
            for r in spec.regex:
                try:
                    pattern = budgeted(r, re.IGNORECASE)
                except Exception as exc:  # what ``re`` accepts and the ``regex`` package not
                    raise RuleBookError(f"{where}: {slot}.regex: {r!r}: {exc}") from None
                self.searches.add(pattern, f"{where}: {slot}.regex", r)
                found.append(pattern)
            self.regexes[key] = found

    @property
    def shared(self) -> SharedParses | None:
        """The parses a run's worker processes share (set by the process that starts them)."""
        return self.parses.shared

    @shared.setter
    def shared(self, shared: SharedParses | None) -> None:
        self.parses.shared = shared

    def key(self, owner: str, slot: str) -> str:
        return spec_key(owner, slot)

    def _hashes(self, words: list[str]) -> list[int]:
        known = self._hash
        for word in words:
            if word not in known:
                known[word] = self.nlp.vocab.strings.add(word)
        return [known[word] for word in words]

    def _sources(self, phrase: str) -> list[tuple[str, list[str]]]:
        """``phrase`` as a sequence of parts, each a list of texts to choose one of: its
        literals and alternations, or all its expansions as one part (see :func:`_GLUED`)."""
        phrase = phrase.translate(_QUOTES).lower()
        if _GLUED.search(phrase):  # spell those phrases out in full
            return [("group", expand_phrase(phrase))]
        return [
            ("literal", [value]) if kind == "literal" else ("group", list(value))
            for kind, value in expand_phrase_source(phrase)
        ]

    def _parts(self, phrase: str) -> list[list[list[str]]]:
        """The lower-case words of each choice of each part of ``phrase``: every one of its
        expansions (see :func:`expand_phrase`) is one choice from each part, concatenated."""
        return [[self._tokens(text) for text in texts] for _, texts in self._sources(phrase)]

    def _tokens(self, text: str) -> list[str]:
        """The lower-case words of ``text`` as the tokenizer splits them (a text starting with
        a contraction, "'ve had", joins the word before it)."""
        text = " ".join(text.split())
        words = self._words.get(text)
        if words is None:
            chunks = text.split(" ") if text else []
            words = []
            for n, chunk in enumerate(chunks):
                if n == 0 and chunk.startswith("'"):
                    joined = self._joined(chunk)
                    if joined is not None:
                        words += joined
                        continue
                words += self._chunk(chunk)
            self._words[text] = words
        return words

    def _joined(self, chunk: str) -> list[str] | None:
        for host in _HOSTS:
            toks = self._chunk(host + chunk)
            if len(toks) > 1 and toks[0] == host:
                return toks[1:]
        return None

    def _chunk(self, chunk: str) -> list[str]:
        words = self._chunks.get(chunk)
        if words is None:
            words = self._chunks[chunk] = [t.lower_ for t in self.nlp.make_doc(chunk)]
        return words

    def _tokenize_all(self, phrases: Iterable[str]) -> None:
        """Tokenize every space-free chunk of every phrase's texts in one Doc.

        The tokenizer splits a text at spaces and treats each chunk on its own (no special
        case of the English tokenizer holds a space), so a chunk splits into the same words
        alone or among others; one Doc for all of them costs a fraction of a Doc per text.
        Chunks are joined by line breaks, which no pattern of the tokenizer crosses."""
        chunks: dict[str, None] = {}
        for phrase in phrases:
            for _, texts in self._sources(phrase):
                for text in texts:
                    words = text.split()
                    if words and words[0].startswith("'"):
                        chunks.update((host + words[0], None) for host in _HOSTS)
                    chunks.update((w, None) for w in words)
        todo = [c for c in chunks if c not in self._chunks]
        if not todo:
            return
        starts = list(itertools.accumulate((len(c) + 1 for c in todo[:-1]), initial=0))
        found: list[list[str]] = [[] for _ in todo]
        for token in self.nlp.make_doc("\n".join(todo)):
            if not token.is_space:
                found[bisect.bisect_right(starts, token.idx) - 1].append(token.lower_)
        self._chunks.update(zip(todo, found, strict=True))


def _entries(book: RuleBook) -> Iterator[tuple[str, str, MatchSpec, str]]:
    """Every spec of the rule book: ``(owner, slot, spec, where)``, in the order compiled."""
    for name, signal in book.signals.items():
        owner = f"signal:{name}"
        yield owner, "match", signal.match, owner
        for i, unless in enumerate(signal.unless):
            yield owner, f"unless{i}", unless, owner
    for rule in book.rules.values():
        owner = f"rule:{rule.id}"
        where = str(book.files.get(rule.id, rule.id))
        for slot, spec in (
            ("match", rule.match),
            ("trigger", rule.trigger),
            ("require", rule.require),
            ("strong", rule.strong),
        ):
            if spec is not None:
                yield owner, slot, spec, where
        for i, unless in enumerate(rule.unless):
            yield owner, f"unless{i}", unless, where
        for i, spec in enumerate(rule.trigger_all):
            yield owner, f"trigger_all{i}", spec, where


def needs_parse(pattern: list[dict[str, Any]]) -> bool:
    """Whether a token pattern tests what only the tagger or the parser sets."""
    return any(_PARSE_ATTRS.intersection(k.upper() for k in spec) for spec in pattern)


def shadow(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pattern`` without its parse attributes: it matches wherever ``pattern`` could."""
    return [{k: v for k, v in spec.items() if k.upper() not in _PARSE_ATTRS} for spec in pattern]


_COMPILED: dict[tuple[int, int], Compiled] = {}
_COMPILED_LOCK = threading.Lock()


def compiled_for(nlp: Language, book: RuleBook) -> Compiled:
    """The rule book compiled for ``nlp``, built once per process and shared by every Linter
    on that pipeline (pipelines and rule books are themselves loaded once and kept)."""
    key = (id(nlp), id(book))
    with _COMPILED_LOCK:
        if key not in _COMPILED:
            _COMPILED[key] = Compiled(nlp, book)
        return _COMPILED[key]
