"""Where the compiled specs match one draft, as character spans: what a spec's phrases, token
patterns and regexes find, before any rule semantics (signals, ``unless``, placeholders).

- :class:`Matches` (one per draft): the phrase trie and the word-pattern matcher run once over
  the whole draft; patterns on the parse run only on the sentences their shadows say can
  match (parsed through the draft's :class:`SentenceParses`); regexes per sentence.
- regexes are searched through the rule book's :class:`~.searches.Searches` (searches.py:
  their needles, and their matches remembered per sentence text).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..matching import word_positions
from .searches import Needles, Spans, _holds, _searchable

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .compiled import Compiled
    from .parse import SentenceParses


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
        self._shadows: dict[str, set[int]] = {}  # a key: the sentences its shadows match
        self._candidates: dict[str | None, list[int]] = {}
        self._regex_sentences: dict[Any, Sequence[int]] = {}  # a regex: its sentences to search

    @cached_property
    def lowers(self) -> list[str]:
        """Every token's lower-case form, in token order (no Token objects made)."""
        from spacy.attrs import LOWER  # spaCy loads lazily

        strings = self.doc.vocab.strings
        ids = self.doc.to_array([LOWER]).tolist() if len(self.doc) else []
        return [strings[i] for i in ids]

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """The token indices of each lower-case word a word pattern names."""
        return word_positions(self.lowers, self.compiled.anchor_words)

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
        # a phrase runs on over a line break inside its sentence ("yes it is\niritating as
        # hell"): the words are read without the line's whitespace token (not a blank line's)
        kept = [i for i, w in enumerate(self.lowers) if not (w.isspace() and w.count("\n") == 1)]
        words = lowers if len(kept) == len(lowers) else [lowers[i] for i in kept]
        for key, start, end in self.compiled.phrases.find(words):
            first, last = kept[start], kept[end - 1]
            found.setdefault(key, []).append((idx[first], idx[last] + length[last]))
        for key, start, end in self.compiled.matcher(doc, self.positions, self.bounds):
            found.setdefault(key, []).append((idx[start], idx[end - 1] + length[end - 1]))
        return found

    def candidates(self, key: str | None = None) -> list[int]:
        """Sentences where a token pattern on the parse could match: of spec ``key``, or of any
        ``match`` spec (triggers, requirements and ``unless`` windows are looked at only when
        the rest of their rule calls for them)."""
        known = self._candidates.get(key)
        if known is not None:
            return known
        shadows = self.compiled.shadows
        keys = [key] if key is not None else self.compiled.match_shadows
        todo = [k for k in keys if k not in self._shadows and k in shadows.matchers]
        if todo:  # each key's shadows matched when first asked (an ``unless`` often never is)
            self._shadows.update((k, set()) for k in todo)
            starts = [a for a, _ in self.bounds]
            for name, start, _ in shadows(self.doc, self.positions, self.bounds, set(todo)):
                self._shadows[name].add(bisect.bisect_right(starts, start) - 1)
        found = sorted(set().union(*(self._shadows.get(k, set()) for k in keys)))
        self._candidates[key] = found
        return found

    def on_parse(self, key: str) -> Spans:
        """The spans of the spec's patterns on the parse, in the sentences where they can
        match (parsed first, all at once)."""
        if key not in self.compiled.parse_keys:
            return []  # no pattern on the parse: nothing to parse
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

    @cached_property
    def lowered(self) -> list[str | None]:
        """Each sentence's text in lower case (see :func:`_lower`), to look for a regex's
        needles in; None where that would not do (a character that matches an ASCII letter
        ignoring case). Lowered once per draft, not once per regex."""
        return [_searchable(text) for text in self.sent_texts]

    def regex(self, key: str) -> Spans:
        """The spans of the spec's regexes, sentence by sentence; none of a regex without its
        needles in the draft (it cannot match; see :class:`Searches` for each sentence)."""
        if key not in self.compiled.regexes:
            return []
        return list(self.regex_spans(key))

    def regex_spans(self, key: str) -> Iterator[tuple[int, int]]:
        """:meth:`regex`'s spans one by one, searched as they are asked for (only in the
        sentences holding the regex's needles)."""
        searches = self.compiled.searches
        for pattern in self.compiled.regexes.get(key, ()):
            for i in self._sentences_for(pattern, searches.needles.get(pattern)):
                base = self.sent_starts[i]
                for start, end in searches.find(pattern, self.sent_texts[i]):
                    yield base + start, base + end

    def _sentences_for(self, pattern: Any, wanted: Needles | None) -> Sequence[int]:
        """The sentences that may match ``pattern``: those holding its needles (all of them
        where it has none), worked out once per draft and pattern (a few hundred patterns).
        Kept as a range or a tuple: not objects the garbage collector walks."""
        known = self._regex_sentences.get(pattern)
        if known is None:
            held = self._held_groups
            if not wanted:
                known = range(len(self.sent_texts))
            elif held is None:  # a sentence to search whatever it holds: each on its own
                known = tuple(
                    i for i, low in enumerate(self.lowered) if low is None or _holds(low, wanted)
                )
            else:  # a needle of each group: all of the pattern's bits (none in most drafts)
                mask = self.compiled.searches.masks[pattern]
                bits, anywhere = held
                known = (
                    tuple(i for i, b in enumerate(bits) if b & mask == mask)
                    if anywhere & mask == mask
                    else ()
                )
            self._regex_sentences[pattern] = known
        return known

    @cached_property
    def _held_groups(self) -> tuple[list[int], int] | None:
        """The needle groups each sentence holds (see :meth:`Searches.held`), and the whole
        draft; None where a sentence is to be searched whatever it holds."""
        held = self.compiled.searches.held
        bits = []
        anywhere = 0
        for text in self.sent_texts:
            b = held(text)
            if b is None:
                return None
            bits.append(b)
            anywhere |= b
        return bits, anywhere
