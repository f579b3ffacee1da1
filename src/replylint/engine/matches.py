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
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..matching import word_positions
from ..rulebook import REGEX_BUDGET, timed_out

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .compiled import Compiled
    from .parse import SentenceParses

SEARCH_MEMO = 10_000  # sentences whose regex results are remembered, per process
# the characters other than ASCII that a case-insensitive ASCII letter matches (K, ſ, ı, İ; in
# ``re`` or ``regex``): a sentence holding one is searched without looking for needles first
_CASE_TWINS = frozenset("\u212a\u017f\u0131\u0130")

Spans = list[tuple[int, int]]
# what every match of a regex holds: each of these groups, one of its lower-case strings
Needles = tuple[tuple[str, ...], ...]
# a group of needles: those all letters, the others (see :class:`Searches`)
Group = tuple[frozenset[str], tuple[str, ...]]
# the needle "a digit": added to a text holding a digit, or any character outside ASCII (the
# digits of the ``regex`` package's Unicode may outnumber those of this Python's)
DIGIT = "\x00\x01"
_DIGITISH = re.compile(r"[0-9]|[^\x00-\x7f]")
_LETTERS = re.compile(r"[a-z]+")  # a run of letters: of a needle, or a word of lowered text
_TELLING = 3  # the shortest run of letters of a needle (not all letters) looked up first
WORD_MEMO = 20_000  # words whose runs of needle letters are remembered, per process
_BRACES = (ord("{"), ord("}"))


def needles(source: str) -> Needles | None:
    """What every match of regex ``source`` holds, ignoring case (see :data:`Needles`), read
    off its parse by Python's ``re``: its runs of ASCII literals, a digit, and whatever every
    branch of an alternation holds; the groups with the fewest strings first (the cheapest to
    look for). None when it names nothing it must hold, or ``re`` does not read it as the
    ``regex`` package does (its own syntax, a nested set, a fuzzy match). A text without them
    cannot match: it is not searched (see :meth:`Matches.regex`)."""
    import importlib
    import warnings

    parser = importlib.import_module("re._parser")  # the parse of ``re`` (no public API)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a set ``re`` reads otherwise ("[[:alpha:]]")
            parsed = parser.parse(source, re.IGNORECASE)
        groups = _held(list(parsed), parser)
    except Exception:  # syntax of the regex package alone: no needles
        return None
    if not groups:
        return None
    groups.sort(key=lambda g: (len(g), -min(map(len, g))))  # the cheapest to look for first
    return tuple(dict.fromkeys(tuple(sorted(g)) for g in groups))


def _held(items: list[tuple[Any, Any]], parser: Any) -> list[frozenset[str]]:
    """Every group of strings (one of each) that a match of the sequence ``items`` holds."""
    groups: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is parser.LITERAL and av in _BRACES:
            raise ValueError("a brace: a fuzzy match of the regex package ('{e<=1}')?")
        if op is parser.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if _literal_repeat(op, av, parser):
            # a character repeated ("h+", "o{2,}"): its fewest copies carry on the run before
            # ("oh", "noo"), which ends there unless the count is exact ("b{2}c": "bbc")
            run.append(chr(av[2][0][1]).lower() * av[0])
            if av[1] != av[0]:
                groups.append(frozenset({"".join(run)}))
                run = []
            continue
        if run:
            groups.append(frozenset({"".join(run)}))
            run = []
        if op is parser.SUBPATTERN:
            groups.extend(_held(list(av[-1]), parser))
        elif op is parser.ATOMIC_GROUP:
            groups.extend(_held(list(av), parser))
        elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                groups.extend(_held(list(av[2]), parser))
        elif op is parser.BRANCH:
            # one of the branches matches: what the best group of each holds, together
            branches = [_best(_held(list(b), parser)) for b in av[1]]
            if all(b is not None for b in branches):
                groups.append(frozenset().union(*(b for b in branches if b is not None)))
        elif op is parser.IN and list(av) in (
            [(parser.CATEGORY, parser.CATEGORY_DIGIT)],
            [(parser.RANGE, (48, 57))],
        ):
            groups.append(frozenset({DIGIT}))
    if run:
        groups.append(frozenset({"".join(run)}))
    return groups


def _literal_repeat(op: Any, av: Any, parser: Any) -> bool:
    """Whether ``op`` repeats one ASCII character (no brace) at least once."""
    if op not in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT) or av[0] < 1:
        return False
    body = list(av[2])
    return (
        len(body) == 1
        and body[0][0] is parser.LITERAL
        and body[0][1] < 128
        and body[0][1] not in _BRACES
    )


def _best(groups: list[frozenset[str]]) -> frozenset[str] | None:
    """The most telling group: the longest shortest string, then the fewest strings."""
    return max(groups, key=lambda g: (min(map(len, g)), -len(g))) if groups else None


def _lower(text: str) -> str:
    """``text`` in lower case, with :data:`DIGIT` when it may hold a digit."""
    low = text.lower()
    return low + DIGIT if _DIGITISH.search(text) else low


def _holds(text: str, groups: Needles) -> bool:
    """Whether ``text`` (from :func:`_lower`) holds a string of each group."""
    for group in groups:
        for needle in group:
            if needle in text:
                break
        else:
            return False
    return True


def _searchable(text: str) -> str | None:
    """``text`` lowered to look for needles in (:func:`_lower`); None when a character in it
    matches an ASCII letter ignoring case (then it is searched, needles or not)."""
    return _lower(text) if text.isascii() or _CASE_TWINS.isdisjoint(text) else None


def _holds_lowered(text: str, groups: Needles) -> bool:
    """Whether ``text`` may hold a string of each group (see :func:`_holds`)."""
    low = _searchable(text)
    return low is None or _holds(low, groups)


class Searches:
    """Regex matches per sentence text, remembered."""

    def __init__(self) -> None:
        self.where: dict[Any, str] = {}  # a pattern: its file and key (for a timeout's message)
        self.needles: dict[Any, Needles | None] = {}  # a pattern: what its matches hold
        # a sentence's matches, by pattern number (a list: a dict per sentence cost more memory)
        self._searched: dict[str, list[tuple[tuple[int, int], ...] | None]] = {}
        self._pattern_index: dict[Any, int] = {}
        # each needle's runs of letters; a text can hold a needle only where each run is part
        # of one of its words (a run of letters): looked up in a set, not searched for
        self.runs: dict[str, tuple[str, ...]] = {}
        self.pure: set[str] = set()  # the needles all letters (held iff part of a word)
        self._pieces: set[str] = set()  # every needle's runs
        self._longest = 0
        self._word_pieces: dict[str, frozenset[str]] = {}  # a word: the runs part of it
        # a pattern's needle groups, each as its needles all letters (a set: one look in a
        # text's pieces for all of them) and the others
        self.groups: dict[Any, tuple[Group, ...]] = {}

    def add(self, pattern: Any, where: str, source: str) -> None:
        """Register regex ``pattern`` (compiled from ``source``, of a rule book's ``where``)."""
        self.where[pattern] = where
        found = self.needles[pattern] = needles(source)
        for group in found or ():
            for needle in group:
                runs = self.runs[needle] = tuple(_LETTERS.findall(needle))
                if runs == (needle,):
                    self.pure.add(needle)
                # a needle all letters, or a run telling enough to look for (a short one is
                # part of most texts)
                runs = tuple(r for r in runs if r == needle or len(r) >= _TELLING)
                self.runs[needle] = runs
                self._pieces.update(runs)
                self._longest = max(self._longest, *map(len, runs), 0)
        self.groups[pattern] = tuple(
            (
                frozenset(n for n in group if n in self.pure),
                tuple(n for n in group if n not in self.pure),
            )
            for group in found or ()
        )

    def pieces(self, words: set[str]) -> set[str]:
        """The needles' runs of letters that are part of one of ``words``."""
        known = self._word_pieces
        found: set[str] = set()
        for word in words:
            runs = known.get(word)
            if runs is None:
                if len(known) >= WORD_MEMO:
                    known.clear()
                runs = known[word] = self._pieces_of(word)
            found.update(runs)
        return found

    def _pieces_of(self, word: str) -> frozenset[str]:
        wanted = self._pieces
        longest = self._longest
        n = len(word)
        return frozenset(
            word[i:j]
            for i in range(n)
            for j in range(i + 1, min(n, i + longest) + 1)
            if word[i:j] in wanted
        )

    def find(self, pattern: Any, sentence: str) -> tuple[tuple[int, int], ...]:
        """Where ``pattern`` matches (not empty) in a sentence's text. The caller has looked
        for its needles already (see :meth:`Matches.regex_spans`)."""
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
        self._shadows: dict[str, set[int]] = {}  # a key: the sentences its shadows match
        self._candidates: dict[str | None, list[int]] = {}
        self._regex_sentences: dict[Any, Sequence[int]] = {}  # a regex: its sentences to search
        self._held_other: dict[str, bool] = {}  # a needle not all letters: whether it is held

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
        for key, start, end in self.compiled.phrases.find(lowers):
            found.setdefault(key, []).append((idx[start], idx[end - 1] + length[end - 1]))
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

    @cached_property
    def lowered_whole(self) -> tuple[str, list[int], list[int]] | None:
        """The draft's sentences in lower case, joined by spaces, with where each starts and
        ends in it (None where a sentence is: see :attr:`lowered`)."""
        lowered = self.lowered
        if None in lowered:
            return None
        starts: list[int] = []
        ends: list[int] = []
        at = 0
        for low in lowered:
            starts.append(at)
            at += len(low or "")
            ends.append(at)
            at += 1
        return " ".join(map(str, lowered)), starts, ends

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
            lowered = self.lowered
            whole = self.lowered_whole
            if not wanted:
                known = range(len(lowered))
            elif whole is None:  # a sentence to search whatever it holds: each on its own
                known = tuple(
                    i for i, low in enumerate(lowered) if low is None or _holds(low, wanted)
                )
            else:
                known = self._holding(self.compiled.searches.groups[pattern])
            self._regex_sentences[pattern] = known
        return known

    def _holding(self, groups: tuple[Group, ...]) -> tuple[int, ...]:
        """The sentences holding a needle of each group: none unless the whole draft does
        (most regexes, most drafts: found out at once)."""
        pieces = self._pieces
        held = []
        for pure, other in groups:
            here = pure & pieces
            there = [n for n in other if self._held(n)] if other else other
            if not here and not there:
                return ()
            held.append((here, there))
        lowered = self.lowered
        sentences = self._sent_pieces
        found: Sequence[int] = range(len(sentences))
        for here, there in held:
            if there:
                found = [
                    k
                    for k in found
                    if not sentences[k].isdisjoint(here)
                    or any(n in (lowered[k] or "") for n in there)
                ]
            else:
                found = [k for k in found if not sentences[k].isdisjoint(here)]
            if not found:
                break
        return tuple(found)

    @cached_property
    def _sent_pieces(self) -> list[set[str]]:
        """Each sentence's needle pieces (see :attr:`_pieces`)."""
        pieces = self.compiled.searches.pieces
        return [pieces(set(_LETTERS.findall(low or ""))) for low in self.lowered]

    @cached_property
    def _pieces(self) -> set[str]:
        """The needles' runs of letters that are part of a word of the lowered draft (a word:
        a run of letters): a needle all letters is in the draft iff it is one of them."""
        return set().union(*self._sent_pieces)

    def _held(self, needle: str) -> bool:
        """Whether the lowered draft (:attr:`lowered_whole`) holds ``needle`` (not all
        letters): searched for once per draft, and only where each of its runs of letters is
        part of a word."""
        found = self._held_other.get(needle)
        if found is None:
            whole = self.lowered_whole
            pieces = self._pieces
            found = (
                whole is not None
                and all(run in pieces for run in self.compiled.searches.runs[needle])
                and needle in whole[0]
            )
            self._held_other[needle] = found
        return found
