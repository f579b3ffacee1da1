"""Where the compiled specs match one draft, as character spans: what a spec's phrases, token
patterns and regexes find, before any rule semantics (signals, ``unless``, placeholders).

- :class:`Matches` (one per draft): the phrase trie and the word-pattern matcher run once over
  the whole draft; patterns on the parse run only on the sentences their shadows say can
  match (parsed through the draft's :class:`SentenceParses`); regexes per sentence.
- :class:`Searches` (one per compiled rule book): regex matches remembered per sentence text
  (replies share most of theirs, and the rule book's regexes run on every sentence).
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..matching import word_positions
from ..rulebook import REGEX_BUDGET, timed_out

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .compiled import Compiled
    from .parse import SentenceParses

SEARCH_MEMO = 10_000  # sentences whose regex results are remembered, per process

Spans = list[tuple[int, int]]


class Searches:
    """Regex matches per sentence text, remembered."""

    def __init__(self) -> None:
        self.where: dict[Any, str] = {}  # a pattern: its file and key (for a timeout's message)
        # a sentence's matches, by pattern number (a list: a dict per sentence cost more memory)
        self._searched: dict[str, list[tuple[tuple[int, int], ...] | None]] = {}
        self._pattern_index: dict[Any, int] = {}

    def find(self, pattern: Any, sentence: str) -> tuple[tuple[int, int], ...]:
        """Where ``pattern`` matches (not empty) in a sentence's text."""
        index = self._pattern_index.setdefault(pattern, len(self._pattern_index))
        memo = self._searched.get(sentence)
        if memo is None:
            if len(self._searched) >= SEARCH_MEMO:
                self._searched.clear()
            memo = self._searched[sentence] = []
        if index >= len(memo):
            memo.extend([None] * (index + 1 - len(memo)))
        known = memo[index]
        if known is None:
            try:
                if isinstance(pattern, re.Pattern):  # Python's own (trusted, no budget)
                    found = [m.span() for m in pattern.finditer(sentence)]
                else:
                    found = [m.span() for m in pattern.finditer(sentence, timeout=REGEX_BUDGET)]
            except TimeoutError:
                where = self.where.get(pattern, "a rule")
                raise timed_out(where, pattern.pattern, "one sentence") from None
            known = memo[index] = tuple((a, b) for a, b in found if b > a)
        return known


class Matches:
    """The spans each spec key matches in one draft (each found once, when first asked)."""

    def __init__(
        self,
        compiled: Compiled,
        doc: Doc,
        bounds: list[tuple[int, int]],
        sent_texts: list[str],
        sent_starts: list[int],
        parses: SentenceParses,
    ) -> None:
        self.compiled = compiled
        self.doc = doc
        self.bounds = bounds  # each sentence's token range
        self.sent_texts = sent_texts
        self.sent_starts = sent_starts
        self.parses = parses
        self._lexical: dict[str, Spans] | None = None
        self._on_parse: dict[int, list[tuple[str, int, int]]] = {}
        self._shadows: dict[str, set[int]] | None = None

    @cached_property
    def lowers(self) -> list[str]:
        """Every token's lower-case form, in token order (no Token objects made)."""
        from spacy.attrs import LOWER  # spaCy loads lazily

        strings = self.doc.vocab.strings
        ids = self.doc.to_array([LOWER]).tolist() if len(self.doc) else []
        return [strings[i] for i in ids]

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """The token indices of each lower-case word."""
        return word_positions(self.lowers)

    def spans(self, key: str) -> Spans:
        """Every span of spec ``key``: phrases and word patterns, patterns on the parse, then
        regexes (may raise :class:`NeedParse`, see ``parse.py``)."""
        return [*self.lexical(key), *self.on_parse(key), *self.regex(key)]

    def lexical(self, key: str) -> Spans:
        """The spans of the spec's phrases and word patterns (no parse needed)."""
        if self._lexical is None:
            self._lexical = self._find_lexical()
        return self._lexical.get(key, [])

    def _find_lexical(self) -> dict[str, Spans]:
        from spacy.attrs import IDX, LENGTH, LOWER  # spaCy loads lazily

        found: dict[str, Spans] = {}
        doc = self.doc
        if not len(doc):
            return found
        idx, length, lowers = doc.to_array([IDX, LENGTH, LOWER]).T.tolist()
        for key, start, end in self.compiled.phrases.find(lowers):
            found.setdefault(key, []).append((idx[start], idx[end - 1] + length[end - 1]))
        for key, start, end in self.compiled.matcher(doc, self.positions, self.bounds):
            found.setdefault(key, []).append((idx[start], idx[end - 1] + length[end - 1]))
        return found

    def candidates(self, key: str | None = None) -> list[int]:
        """Sentences where a token pattern on the parse could match: of spec ``key``, or of any
        ``match`` spec (triggers, requirements and ``unless`` windows are looked at only when
        the rest of their rule calls for them)."""
        if self._shadows is None:
            self._shadows = {}
            starts = [a for a, _ in self.bounds]
            for name, start, _ in self.compiled.shadows(self.doc, self.positions, self.bounds):
                index = bisect.bisect_right(starts, start) - 1
                self._shadows.setdefault(name, set()).add(index)
        keys = [key] if key is not None else [k for k in self._shadows if k.endswith("/match")]
        return sorted(set().union(*(self._shadows.get(k, set()) for k in keys)))

    def on_parse(self, key: str) -> Spans:
        """The spans of the spec's patterns on the parse, in the sentences where they can
        match (parsed first, all at once)."""
        out: Spans = []
        strings = self.doc.vocab.strings
        candidates = self.candidates(key)
        self.parses.need(i for i in candidates if i not in self._on_parse)
        for i in candidates:
            if i not in self._on_parse:
                doc = self.parses.get(i)
                base = self.sent_starts[i]
                self._on_parse[i] = [
                    (strings[m], base + doc[s:e].start_char, base + doc[s:e].end_char)
                    for m, s, e in self.compiled.parse_matcher(doc)
                ]
            out.extend((s, e) for k, s, e in self._on_parse[i] if k == key)
        return out

    def regex(self, key: str) -> Spans:
        """The spans of the spec's regexes, sentence by sentence."""
        out: Spans = []
        for pattern in self.compiled.regexes.get(key, ()):
            for base, text in zip(self.sent_starts, self.sent_texts, strict=True):
                for start, end in self.compiled.searches.find(pattern, text):
                    out.append((base + start, base + end))
        return out
