"""Finding rule phrases and token patterns in a draft, without scanning it more than needed.

Two matchers, both on lower-case words:

- :class:`PhraseTrie` finds the rule book's phrases (tens of thousands of expansions).
- :class:`AnchoredMatcher` runs spaCy ``Matcher`` patterns, with spaCy's own semantics, only
  where they can match. A pattern can only match a draft that holds a word of each of its
  mandatory ``LOWER``/``ORTH`` tokens; and a match contains its *anchor* (the mandatory,
  exactly-once token whose words are rarest in this draft), so it lies within the pattern's
  reach around one of the anchor's occurrences. The Matcher then scans those windows, not the
  whole draft: the same matches, in a fraction of the time (a Matcher pass costs about the
  same per token whatever the patterns).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

UNBOUNDED = 1 << 30
WINDOW_MEMO = 10_000  # windows whose matches are remembered, per matcher
# what a pattern token may test for its matches in a window to depend on the window's words
# (and sentence starts) alone: attributes of the word itself, not of its context in the Doc
_LEXICAL = {
    "OP",
    "ORTH",
    "TEXT",
    "LOWER",
    "LENGTH",
    "SHAPE",
    "PREFIX",
    "SUFFIX",
    "IS_ALPHA",
    "IS_ASCII",
    "IS_DIGIT",
    "IS_LOWER",
    "IS_UPPER",
    "IS_TITLE",
    "IS_PUNCT",
    "IS_SPACE",
    "IS_STOP",
    "IS_BRACKET",
    "IS_QUOTE",
    "IS_LEFT_PUNCT",
    "IS_RIGHT_PUNCT",
    "IS_CURRENCY",
    "LIKE_NUM",
    "LIKE_EMAIL",
    "LIKE_URL",
    "IS_SENT_START",  # part of the window's key
}
_COUNT = re.compile(r"^\{(\d*)(?:(,)(\d*))?\}$")


class PhraseTrie:
    """Phrases as sequences of lower-case words (as string-store hashes), found in a draft.

    Does what spaCy's PhraseMatcher would do on ``LOWER`` for rule phrases, but is built
    fast: a PhraseMatcher needs a Doc per phrase, and the rule book's alternations expand to
    tens of thousands of them.

    Stored flat, in two dicts of numbers and strings, not as a dict (and a set) per node: the
    rule book's trie has some 300,000 nodes, which as objects took over 100 MB and were most
    of what every full garbage collection walked (a dict of ints is not tracked at all).
    """

    def __init__(self) -> None:
        # an edge: (its node << 64 | a word's hash, a word being 64 bits) -> the node it leads
        # to; nodes are numbers, the root 0 (so an edge from the root is keyed by the word)
        self.edges: dict[int, int] = {}
        self.ends: dict[int, tuple[str, ...]] = {}  # a node: the specs whose phrases end there
        self._nodes = 1

    def add(self, words: list[int], key: str) -> None:
        self.add_product([[words]], key)

    def add_product(self, parts: list[list[list[int]]], key: str) -> None:
        """Add every phrase made of one choice of words from each part, in order (a phrase's
        alternations), walking each shared prefix once rather than once per expansion. An
        empty phrase is not added."""
        edges = self.edges
        nodes = [0]
        for choices in parts:
            reached: dict[int, None] = {}
            for start in nodes:
                for words in choices:
                    node = start
                    for word in words:
                        edge = node << 64 | word
                        child = edges.get(edge)
                        if child is None:
                            child = edges[edge] = self._nodes
                            self._nodes += 1
                        node = child
                    reached[node] = None
            nodes = list(reached)
        for node in nodes:
            keys = self.ends.get(node, ())
            if node and key not in keys:
                self.ends[node] = (*keys, key)

    def find(self, words: list[int]) -> Iterator[tuple[str, int, int]]:
        """``(key, start, end)`` for every phrase occurring in ``words`` (token indices)."""
        edges = self.edges
        ends = self.ends
        n = len(words)
        for i in range(n):
            node = edges.get(words[i])
            j = i + 1
            while node is not None:
                for key in ends.get(node, ()):
                    yield key, i, j
                if j >= n:
                    break
                node = edges.get(node << 64 | words[j])
                j += 1


def word_positions(lowers: list[str], wanted: frozenset[str] | None = None) -> dict[str, list[int]]:
    """The token indices at which each lower-case word occurs (of the ``wanted`` words only,
    when given: a list per word of the draft cost time and, kept per draft, collections)."""
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(lowers):
        if wanted is None or word in wanted:
            positions.setdefault(word, []).append(i)
    return positions


def _width(op: Any) -> tuple[int, int]:
    """The fewest and most tokens a pattern token with operator ``op`` consumes."""
    if op is None:
        return 1, 1
    if op in ("?", "!"):
        return 0, 1
    if op == "*":
        return 0, UNBOUNDED
    if op == "+":
        return 1, UNBOUNDED
    m = _COUNT.match(str(op))
    if m:
        low = int(m.group(1) or 0)
        if m.group(2) is None:
            return low, low
        return low, int(m.group(3)) if m.group(3) else UNBOUNDED
    return 0, UNBOUNDED  # an operator this does not know: assume anything


def _words(spec: dict[str, Any]) -> frozenset[str] | None:
    """The lower-case words a pattern token can only match, if it says (LOWER/ORTH/TEXT)."""
    out: frozenset[str] | None = None
    for attr, value in spec.items():
        name = attr.upper()
        if name not in ("LOWER", "ORTH", "TEXT"):
            continue
        if isinstance(value, str):
            words = frozenset({value if name == "LOWER" else value.lower()})
        elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
            words = frozenset(v if name == "LOWER" else str(v).lower() for v in value["IN"])
        else:
            continue
        out = words if out is None else out & words
    return out


@dataclass
class _Pattern:
    key: str
    # (words, fewest tokens before, most before, most after) of each mandatory token that
    # names its words; ``exact``: the token consumes exactly one token (it can anchor)
    needs: list[tuple[frozenset[str], bool, int, int]]


class AnchoredMatcher:
    """spaCy token patterns by key, matched only where they can match (see module doc).

    ``within_sentence``: a match never crosses a sentence boundary of the draft (each window
    is cut at the sentence around its anchor). Use it where the patterns stand for patterns
    matched on each sentence alone (the shadows of parse patterns).

    ``bounded``: a key with a pattern that repeats a token without bound (``*``, ``+``,
    ``{n,}``) is matched within sentences too (the engine's choice): spaCy's Matcher keeps a
    partial match open from each start for as long as the repeated token matches, so over a
    whole long draft such a pattern cost the square of its length; a sentence is at most
    1,000 tokens (``nlp.segment``). No shipped word pattern has one (patterns on the parse
    are matched per sentence anyway).
    """

    def __init__(
        self, vocab: Vocab, *, within_sentence: bool = False, bounded: bool = False
    ) -> None:
        self.vocab = vocab
        self.within_sentence = within_sentence
        self.bounded = bounded
        self.matchers: dict[str, Matcher] = {}
        self.patterns: list[_Pattern] = []
        self.unanchored: set[str] = set()  # keys with a pattern that names no words
        self.per_sentence: set[str] = set()  # keys with an unbounded repeat: within sentences
        self.contextual: set[str] = set()  # keys with a pattern testing more than the word
        # a window's matches by (key, its words, its sentence starts, whether it opens the
        # Doc): replies share most sentences, and a Matcher call is dear per window
        self._found: dict[tuple[Any, ...], tuple[tuple[int, int], ...]] = {}
        self.words: set[str] = set()  # every word a pattern names: all it needs positions of

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        """Add patterns under ``key``; spaCy validates them (ValueError/KeyError if invalid)."""
        from spacy.matcher import Matcher

        if key not in self.matchers:
            self.matchers[key] = Matcher(self.vocab, validate=True)
        self.matchers[key].add(key, patterns)
        self._found.clear()
        for pattern in patterns:
            if any(attr.upper() not in _LEXICAL for spec in pattern for attr in spec):
                self.contextual.add(key)
            widths = [_width(spec.get("OP")) for spec in pattern]
            if self.bounded and any(most >= UNBOUNDED for _, most in widths):
                self.per_sentence.add(key)
            needs = []
            for i, spec in enumerate(pattern):
                words = _words(spec)
                if words is None or widths[i][0] == 0:
                    continue
                before = sum(w[1] for w in widths[:i])
                after = sum(w[1] for w in widths[i + 1 :])
                needs.append((words, widths[i] == (1, 1), before, after))
                self.words.update(words)
            if any(exact for _, exact, _, _ in needs):
                self.patterns.append(_Pattern(key, needs))
            else:
                self.unanchored.add(key)

    def __call__(
        self,
        doc: Doc,
        positions: dict[str, list[int]],
        sents: list[tuple[int, int]],
        keys: Collection[str] | None = None,
    ) -> list[tuple[str, int, int]]:
        """``(key, start, end)`` token spans of every match in ``doc``, as spaCy's Matcher on
        the whole doc finds them (within sentences, when so built). ``positions``: the token
        indices of each lower-case word (:func:`word_positions`); ``sents``: the sentences'
        token ranges; ``keys``: the keys to match (default all; each key's matches are found
        on their own, the same whichever others are asked with it)."""
        n = len(doc)
        if not n:
            return []
        present = positions.keys()
        windows: dict[str, list[tuple[int, int]]] = {}
        for pattern in self.patterns:
            if pattern.key in self.unanchored or (keys is not None and pattern.key not in keys):
                continue
            best: tuple[int, list[int], int, int] | None = None
            possible = True
            for words, exact, before, after in pattern.needs:
                found = words & present if len(words) > 8 else [w for w in words if w in present]
                if not found:
                    possible = False
                    break
                if exact:
                    where = [i for w in found for i in positions[w]]
                    if best is None or len(where) < best[0]:
                        best = (len(where), where, before, after)
            if not possible or best is None:
                continue
            _, where, before, after = best
            spans = windows.setdefault(pattern.key, [])
            for p in where:
                spans.append((max(0, p - before), min(n, p + 1 + after)))
        out: set[tuple[str, int, int]] = set()
        for key in self.unanchored:
            if keys is not None and key not in keys:
                continue
            if key in self.per_sentence:
                for a, b in sents:
                    out.update((key, a + s, a + e) for _, s, e in self.matchers[key](doc[a:b]))
            else:
                out.update((key, s, e) for _, s, e in self.matchers[key](doc))
        starts = [a for a, _ in sents]
        columns: Any = None  # each token's ORTH and SENT_START, as a numpy array
        remembered = self._found
        for key, spans in windows.items():
            matcher = self.matchers[key]
            cut = self.within_sentence or key in self.per_sentence
            for a, b in self._clip(spans, sents, starts, cut=cut):
                if key in self.contextual:
                    out.update((key, a + s, a + e) for _, s, e in matcher(doc[a:b]))
                    continue
                if columns is None:
                    from spacy.attrs import ORTH, SENT_START

                    columns = doc.to_array([ORTH, SENT_START])
                window = (key, columns[a:b].tobytes(), a == 0)  # bytes: compact and exact
                known = remembered.get(window)
                if known is None:
                    if len(remembered) >= WINDOW_MEMO:
                        remembered.clear()
                    known = tuple((s, e) for _, s, e in matcher(doc[a:b]))
                    remembered[window] = known
                out.update((key, a + s, a + e) for s, e in known)
        return sorted(out, key=lambda m: (m[1], m[2], m[0]))

    def _clip(
        self,
        spans: list[tuple[int, int]],
        sents: list[tuple[int, int]],
        starts: list[int],
        *,
        cut: bool | None = None,
    ) -> list[tuple[int, int]]:
        """The windows to scan: ``spans`` merged where they overlap and, when matches stay
        within sentences, cut at sentence boundaries. Merging first gives the same windows as
        cutting each span and merging the pieces (pieces of one sentence overlap exactly where
        their spans do), without cutting a window that reaches over the whole draft (a
        pattern with ``*``) once for each of its anchors: that was quadratic."""
        merged = _merged(spans)
        if not (self.within_sentence if cut is None else cut):
            return merged
        import bisect

        out = []
        for a, b in merged:
            k = bisect.bisect_right(starts, a) - 1
            while k < len(sents) and sents[k][0] < b:
                out.append((max(a, sents[k][0]), min(b, sents[k][1])))
                k += 1
        return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping windows as one (adjacent ones stay apart: a match lies within one)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
