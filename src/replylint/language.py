"""Is a draft English prose at all? The gates of rules not-english and not-prose.

replylint's rules judge English replies. A macro library also holds replies in other languages
and snippets that are not replies (code, JSON, template logic, notes to colleagues); the
engine asks :class:`Detector` first, and a draft that is not English prose gets one finding
of the gate's rule and no other rule's (``engine/batch.py``). Both judgements are cheap (a
few regular expressions and dictionary look-ups on the draft's text: nothing is tokenized by
spaCy, nothing parsed, no model) and their thresholds and word lists are data: the rules'
``params`` (typed in ``params.py``) and the lexicon's ``language`` (rules/_lexicon.yaml).

Language, on the draft less its placeholders, URLs, e-mail addresses, @handles and #tags:

1. Fewer than ``min_words`` words: English (too little evidence).
2. Letters mostly (``script_share``) in one script other than Latin: that script's language,
   told apart by the letters and function words of the lexicon's languages of that script
   (Russian and Ukrainian by ы/э or і/ї/є and their words; ``min_share`` of the words), else
   the script's own code where one language writes it (Greek: ``el``), else ``und``. In a
   script without spaces two letters count as a word.
3. Latin script: English unless another language's function words (those English does not
   share) and words with its own letters (ñ, ß, ã …) make ``min_share`` of the words and
   outnumber the English function words ``margin`` times (``und`` on a tie, or when only
   letters speak for it: ö and ü are Hungarian too); a long draft with almost no English
   function word and many accented words is ``und``. So English is the default: a short
   "Thanks!", a name, a quoted error message or non-native English never tip it.

Prose, line by line (blank lines and replylint comments aside): a line is code when it is
template logic ("{% if … %}", "{{#each}}") and placeholders only, when one of the rule's
``code_lines`` patterns matches it (a line ending in ``;`` or ``{``, a JSON key, a shell
prompt, a comment …), or when ``symbol_share`` of its characters are code symbols; a line of
placeholders alone ("{{agent.name}}") is neither. A fenced block (```) counts as code only when
nothing is written outside it. The draft is not prose when its first line marks a note to
colleagues (``internal_markers``), when it has no words at all but code or placeholders, or
when ``code_share`` of its lines (at least ``min_code_lines``) are code and the rest hold at
most ``max_prose_words`` words.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .lexicon import Languages, load_lexicon
from .params import NotEnglish, NotProse, params_of
from .placeholders import DEFAULT_PATTERN, placeholder_spans

if TYPE_CHECKING:
    from .rulebook import RuleBook

ENGLISH = "en"
UNKNOWN = "und"
LATIN = "latin"

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# an HTML entity: "&gt;", "&amp;", "&#39;"
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{1,5}|#x[0-9a-f]{1,4});", re.IGNORECASE)
# not words of the draft's language: links, addresses, handles, tags
_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|[@#][\w.]+")
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_LATIN_LIMIT = 0x250  # Basic Latin to Latin Extended-B
_LATIN_EXTRA = (0x1E00, 0x1EFF)  # Latin Extended Additional (Vietnamese)
_FENCE = re.compile(r"^\s*(```|~~~)")
_SUPPRESSION = re.compile(r"^\s*(?:#|<!--|//)\s*replylint:")


@dataclass(frozen=True)
class Verdict:
    """What the gates say of a draft: its language, whether it is prose, and why not."""

    language: str = ENGLISH
    prose: bool = True
    why: str = ""

    @property
    def english_prose(self) -> bool:
        return self.prose and self.language == ENGLISH


class Detector:
    """The two gates with their parameters and the lexicon's languages; one per rule book."""

    def __init__(
        self, english: NotEnglish, prose: NotProse, placeholders: Any = DEFAULT_PATTERN
    ) -> None:
        self.english = english
        self.prose_params = prose
        self.placeholders = placeholders
        self.lexicon: Languages = load_lexicon().language

    @classmethod
    def for_book(cls, book: RuleBook, placeholders: Any = None) -> Detector:
        """The detector with the rule book's not-english and not-prose params."""
        return cls(
            params_of(book.rules["not-english"], NotEnglish),
            params_of(book.rules["not-prose"], NotProse),
            placeholders or DEFAULT_PATTERN,
        )

    # -- the lexicon, indexed once -------------------------------------------------------------
    @cached_property
    def _ranges(self) -> tuple[list[int], list[tuple[int, str]]]:
        spans = sorted(
            (low, high, name)
            for name, script in self.lexicon.scripts.items()
            for low, high in script.spans()
        )
        return [s[0] for s in spans], [(s[1], s[2]) for s in spans]

    def script_of(self, char: str) -> str:
        """The script of one letter: ``latin`` or a name of the lexicon's scripts (``other``
        for a letter in none of them)."""
        point = ord(char)
        if point < _LATIN_LIMIT or _LATIN_EXTRA[0] <= point <= _LATIN_EXTRA[1]:
            return LATIN
        starts, rest = self._ranges
        i = bisect.bisect_right(starts, point) - 1
        if i >= 0 and point <= rest[i][0]:
            return rest[i][1]
        return "other"

    @cached_property
    def _words(self) -> dict[str, tuple[str, ...]]:
        """Function word -> the languages it counts for (English alone, when English has it)."""
        english = self.lexicon.languages[ENGLISH].words
        out: dict[str, list[str]] = {w: [ENGLISH] for w in english}
        for code, lang in self.lexicon.languages.items():
            if code == ENGLISH:
                continue
            for w in lang.words:
                if w not in english:
                    out.setdefault(w, []).append(code)
        return {w: tuple(codes) for w, codes in out.items()}

    @cached_property
    def _english_only(self) -> frozenset[str]:
        """The function words that count for English alone."""
        return frozenset(w for w, codes in self._words.items() if codes == (ENGLISH,))

    @cached_property
    def _letters(self) -> dict[str, tuple[str, ...]]:
        """Letter -> the languages that use it (of the lexicon's)."""
        out: dict[str, list[str]] = {}
        for code, lang in self.lexicon.languages.items():
            for ch in lang.letters:
                out.setdefault(ch, []).append(code)
        return {ch: tuple(codes) for ch, codes in out.items()}

    # -- the verdict ---------------------------------------------------------------------------
    def verdict(self, text: str, *, language: bool = True, prose: bool = True) -> Verdict:
        """The gates' verdict on ``text`` (``language``/``prose``: whether to judge each)."""
        spans = placeholder_spans(text, self.placeholders) if language or prose else []
        why = ""
        is_prose = True
        if prose:
            is_prose, why = self._prose(text, spans)
        code, reason = self._language(text, spans) if language else (ENGLISH, "")
        if is_prose and code != ENGLISH:
            why = reason
        return Verdict(code, is_prose, why)

    def language(self, text: str) -> str:
        return self.verdict(text, prose=False).language

    def _language(self, text: str, spans: list[tuple[int, int]]) -> tuple[str, str]:
        clean = _blank(text, spans)
        if "@" in clean or "://" in clean or "www." in clean or "#" in clean:
            clean = _NOT_WORDS.sub(" ", clean)
        params = self.english
        if not clean.isascii():
            foreign: Counter[str] = Counter()
            others = [ch for ch in _NON_ASCII_LETTER.findall(clean) if ch.isalpha()]
            for ch in others:
                script = self.script_of(ch)
                if script != LATIN:
                    foreign[script] += 1
            if foreign:
                script, count = foreign.most_common(1)[0]
                letters = len(_ASCII_LETTERS.findall(clean)) + len(others)
                if count >= params.script_share * letters:
                    return self._in_script(clean, script, count)
        words = [w.lower().replace("’", "'") for w in _WORD.findall(clean)]
        if len(words) < params.min_words:
            return ENGLISH, ""
        # the common case, cheaply: so many English function words that no other language
        # can outnumber them, nor can the draft be too un-English to be judged unknown
        english_only = self._english_only
        english = sum(1 for w in words if w in english_only)
        other = len(words) - english
        if (
            other < params.min_share * len(words) or other <= params.margin * english
        ) and english > params.unknown_english * len(words):
            return ENGLISH, ""
        index, by_letter = self._words, self._letters
        scores: Counter[str] = Counter()
        function_words: Counter[str] = Counter()
        accented = 0
        for w in words:
            codes = index.get(w)
            if codes is None and "'" in w:
                codes = index.get(w.split("'", 1)[0] + "'")  # l'adresse, qu'il, dell'ordine
            if codes is not None:
                function_words.update(codes)
            elif not w.isascii():
                accented += 1
                codes = tuple({c for ch in w for c in by_letter.get(ch, ())})
            for code in codes or ():
                scores[code] += 1
        english = scores.pop(ENGLISH, 0)
        ranked = scores.most_common(2)
        if ranked:
            code, best = ranked[0]
            # a tie, or letters alone (ö and ü are Hungarian too): not English, but which?
            unsure = (len(ranked) > 1 and ranked[1][1] == best) or not function_words[code]
            if best >= params.min_share * len(words) and best > params.margin * english:
                name = UNKNOWN if unsure else code
                return name, f"{best} of {len(words)} words are {name}, {english} English"
        if (
            len(words) >= params.unknown_words
            and english <= params.unknown_english * len(words)
            and accented >= params.unknown_accented * len(words)
        ):
            return UNKNOWN, f"{english} of {len(words)} words English, {accented} accented"
        return ENGLISH, ""

    def _in_script(self, clean: str, script: str, count: int) -> tuple[str, str]:
        """A draft mostly in ``script``: which of its languages, if the evidence says."""
        info = self.lexicon.scripts.get(script)
        words = [w.lower() for w in _WORD.findall(clean)]
        # without spaces, a word is about two letters ("ありがとう", thanks, is five)
        units = len(words) if info is None or info.spaced else count // 2
        if units < self.english.min_words:
            return ENGLISH, ""
        scores: Counter[str] = Counter()
        langs = {c: lang for c, lang in self.lexicon.languages.items() if lang.script == script}
        spaced = info is None or info.spaced
        for code, lang in langs.items():
            letters = set(lang.letters)
            if not spaced:  # its letters, two a word (Japanese kana among Chinese characters)
                scores[code] = sum(1 for ch in clean if ch in letters) // 2
                continue
            for w in words:
                if w in lang.words or (letters and not letters.isdisjoint(w)):
                    scores[code] += 1
        ranked = scores.most_common(2)
        code = info.code if info is not None else UNKNOWN
        clear = ranked and not (len(ranked) > 1 and ranked[1][1] == ranked[0][1])
        if clear and ranked[0][1] >= self.english.min_share * units:
            code = ranked[0][0]
        return code, f"{count} letters in {script} script"

    def _prose(self, text: str, spans: list[tuple[int, int]]) -> tuple[bool, str]:
        params = self.prose_params
        lines = text.splitlines(keepends=True)
        first = next((line for line in lines if line.strip()), "")
        head = first.strip().lstrip("[(*#>-—– ").lower()
        for marker in params.internal_markers:
            if head.startswith(marker):
                return False, f"a note to colleagues ({marker!r})"
        logic = _compiled(tuple(params.template_logic))
        shapes = _compiled(tuple(params.code_lines))
        symbols = _compiled(("[" + re.escape(params.symbols) + "]",))
        code = prose_lines = prose_words = fenced = placeholders = 0
        in_fence = False
        start = k = 0
        for line in lines:
            start += len(line)
            start_of_line = start - len(line)
            if not line.strip() or _SUPPRESSION.match(line):
                continue
            if _FENCE.match(line) or in_fence:
                if _FENCE.match(line):
                    in_fence = not in_fence
                fenced += 1
                continue
            while k < len(spans) and spans[k][1] <= start_of_line:
                k += 1  # spans are in text order: each is passed over once
            inside = []
            j = k
            while j < len(spans) and spans[j][0] < start:
                a, b = spans[j]
                inside.append(
                    (max(a, start_of_line) - start_of_line, min(b, start) - start_of_line)
                )
                j += 1
            # an HTML entity is escaped text, not code ("… and &gt;&gt;&gt;" in a tweet)
            rest = _ENTITY.sub(" ", _blank(line, inside))
            placeholders += len(inside)
            words = len(_WORD.findall(rest))
            if inside and not words:
                if logic.search(line):
                    code += 1  # template logic and placeholders only
                continue  # "{{agent.name}}": a placeholder line is neither code nor prose
            if shapes.search(rest) or _dense(rest, symbols, params.symbol_share):
                code += 1
                continue
            prose_lines += 1
            prose_words += words
            if prose_words > params.max_prose_words:
                return True, ""  # words enough: whatever follows, it is prose
        if not prose_words and (code or fenced or placeholders):
            what = "code" if code or fenced else "placeholders"
            return False, f"{what} and no words"
        if (
            code >= params.min_code_lines
            and prose_words <= params.max_prose_words
            and code >= params.code_share * (code + prose_lines)
        ):
            return False, f"{code} of {code + prose_lines} lines are code or markup"
        return True, ""


def first_line(text: str) -> tuple[int, int]:
    """Where a gate's finding points: the first line with something on it, trimmed."""
    at = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            return at + lead, at + len(line.rstrip())
        at += len(line)
    return 0, 0


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by spaces (offsets kept)."""
    if not spans:
        return text
    out: list[str] = []
    at = 0
    for a, b in spans:
        out.append(text[at:a])
        out.append(" " * (b - a))
        at = b
    out.append(text[at:])
    return "".join(out)


def _dense(line: str, symbols: re.Pattern[str], share: float) -> bool:
    """Whether ``share`` of the line's characters (but white space) are code symbols."""
    chars = len(line) - len(_SPACE.findall(line))
    return chars >= 3 and len(symbols.findall(line)) >= share * chars


_SPACE = re.compile(r"\s")
_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression matching where any of ``patterns`` does (searched): those
    anchored at the line's start (``^``) are tried there only, the others everywhere."""
    found = _PATTERNS.get(patterns)
    if found is None:
        anchored = [p[1:] for p in patterns if p.startswith("^")]
        floating = [p for p in patterns if not p.startswith("^")]
        parts = []
        if anchored:
            parts.append("^(?:" + "|".join(f"(?:{p})" for p in anchored) + ")")
        parts += [f"(?:{p})" for p in floating]
        found = _PATTERNS[patterns] = re.compile("|".join(parts) or r"(?!)")
    return found
