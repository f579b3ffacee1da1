"""Regexes searched per sentence, and what lets a sentence be skipped before any search: a
regex's needles (the literal text each match must hold), found once per pattern from its
source, looked up in a set of the draft's word pieces.

- :func:`needles`: the groups of literal strings a regex's every match holds;
- :class:`Searches` (one per compiled rule book): regex matches remembered per sentence text
  (replies share most of theirs, and the rule book's regexes run on every sentence), and the
  needle groups each sentence holds (bits of an int, remembered per sentence text: a regex's
  sentences are those holding all of its groups' bits).
"""

from __future__ import annotations

import re
from typing import Any

from ..rulebook import REGEX_BUDGET, timed_out

SEARCH_MEMO = 10_000  # sentences whose regex results are remembered, per process
# the characters other than ASCII that a case-insensitive ASCII letter matches (K, ſ, ı, İ; in
# ``re`` or ``regex``): a sentence holding one is searched without looking for needles first
_CASE_TWINS = frozenset("\u212a\u017f\u0131\u0130")

Spans = list[tuple[int, int]]
# what every match of a regex holds: each of these groups, one of its lower-case strings
Needles = tuple[tuple[str, ...], ...]
# the needle "a digit": added to a text holding a digit, or any character outside ASCII (the
# digits of the ``regex`` package's Unicode may outnumber those of this Python's)
DIGIT = "\x00\x01"
_DIGITISH = re.compile(r"[0-9]|[^\x00-\x7f]")
_LETTERS = re.compile(r"[a-z]+")  # a run of letters: of a needle, or a word of lowered text
_TELLING = 3  # the shortest run of letters of a needle (not all letters) looked up first
WORD_MEMO = 20_000  # words whose runs of needle letters are remembered, per process
HELD_MEMO = 20_000  # sentences whose needle groups held are remembered, per process
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
        # every pattern's needle groups numbered, a text's groups held as the bits of an int:
        # a pattern's bits (``masks``), the groups a needle is in, the needles not all letters
        # by their first run (or all of them: ``_always``), and the bits each text holds
        self.masks: dict[Any, int] = {}
        self._bits = 0  # groups numbered so far
        self._pure_bits: dict[str, int] = {}
        self._other_bits: dict[str, int] = {}
        self._others_by_run: dict[str, list[str]] = {}
        self._always: list[str] = []
        self._held: dict[str, int | None] = {}

    def add(self, pattern: Any, where: str, source: str) -> None:
        """Register regex ``pattern`` (compiled from ``source``, of a rule book's ``where``)."""
        self.register(pattern, where, needles(source))

    def register(self, pattern: Any, where: str, found: Needles | None) -> None:
        """Register regex ``pattern`` with the needles its matches hold (worked out by
        :func:`needles`, or read back from the compiled rule book's cache)."""
        self.where[pattern] = where
        self.needles[pattern] = found
        mask = 0
        for group in found or ():
            bit = 1 << self._bits  # this group's
            self._bits += 1
            mask |= bit
            for needle in group:
                runs = tuple(_LETTERS.findall(needle))
                if runs == (needle,):
                    self.pure.add(needle)
                    self._pure_bits[needle] = self._pure_bits.get(needle, 0) | bit
                # a needle all letters, or a run telling enough to look for (a short one is
                # part of most texts)
                runs = tuple(r for r in runs if r == needle or len(r) >= _TELLING)
                if needle not in self.pure:
                    if needle not in self._other_bits:  # looked for where its first run is
                        if runs:
                            self._others_by_run.setdefault(runs[0], []).append(needle)
                        else:
                            self._always.append(needle)
                    self._other_bits[needle] = self._other_bits.get(needle, 0) | bit
                self.runs[needle] = runs
                self._pieces.update(runs)
                self._longest = max(self._longest, *map(len, runs), 0)
        self.masks[pattern] = mask
        self._held.clear()  # new groups: every text's bits are to work out again

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

    def held(self, text: str) -> int | None:
        """The needle groups (bits, see :attr:`masks`) that sentence ``text`` holds a needle
        of, None where it is to be searched whatever it holds (see :func:`_searchable`);
        remembered per text."""
        bits = self._held.get(text, -1)
        if bits == -1:
            low = _searchable(text)
            bits = None if low is None else self._held_by(low)
            if len(self._held) >= HELD_MEMO:
                self._held.clear()
            self._held[text] = bits
        return bits

    def _held_by(self, low: str) -> int:
        """:meth:`held` of lowered text ``low``: its words' pieces looked up, and the needles
        not all letters searched for where their first run is one of them."""
        pieces = self.pieces(set(_LETTERS.findall(low)))
        bits = 0
        pure = self._pure_bits
        other = self._other_bits
        for piece in pieces:
            bits |= pure.get(piece, 0)
            for needle in self._others_by_run.get(piece, ()):
                if needle in low:
                    bits |= other[needle]
        for needle in self._always:
            if needle in low:
                bits |= other[needle]
        return bits

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
