"""The engine: rule book compiled into spaCy matchers, run over parsed drafts.

One :class:`Engine` per pipeline. :meth:`Engine.lint` takes drafts, masks them, sends them (and
their customers' messages) through ``nlp.pipe`` in batches, evaluates every rule on each Doc and
returns findings whose offsets point into the draft and the file.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .analysis import SharedParses, analyse
from .matching import AnchoredMatcher, PhraseTrie, word_positions
from .models import Applicability, Finding, MatchSpec, Rule, Signal, Suggestion, Unless
from .placeholders import DEFAULT_PATTERN, Masked, PatternTimeout, mask
from .rulebook import (
    REGEX_BUDGET,
    RegexTimeout,
    RuleBook,
    RuleBookError,
    budgeted,
    expand_phrase,
    expand_phrase_source,
    specs_of,
    timed_out,
)
from .sources.base import Draft
from .structure import body_start, greeting_span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from .cache import Cache

BATCH_SIZE = 64
PARSE_BATCH = 256  # sentences per nlp.pipe batch
PARSE_MEMO = 4096  # parsed sentences remembered per process
SEARCH_MEMO = 10_000  # sentences whose regex results are remembered, per process
# a group glued to a word ("(problem|issue)-free") tokenizes differently on its own: such
# phrases are expanded in full before tokenizing
_GLUED = re.compile(r"[^\s(|]\(|\)[^\s)|]")
_QUOTES = str.maketrans({"’": "'", "‘": "'"})
_HOSTS = ("it", "we", "i", "you", "they")  # the words a phrase's leading "'ve" is tried after


@dataclass
class Hit:
    """A match in the masked text: character span, sentence index and optional payload."""

    start: int
    end: int
    sent: int
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Edit:
    """A proposed change of the masked text (an insertion has start == end)."""

    start: int
    end: int
    replacement: str
    description: str
    applicability: Applicability


@dataclass
class RawFinding:
    rule: Rule
    start: int
    end: int
    edits: list[Edit]


def _spec_key(owner: str, slot: str) -> str:
    return f"{owner}/{slot}"


class Compiled:
    """Every phrase and token pattern of the rule book in one PhraseMatcher and one Matcher."""

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
        # token patterns on words alone run on every draft; those that need the tagger or the
        # parser (POS, TAG, DEP, LEMMA, MORPH) run only on sentences holding a word they require
        self.matcher = AnchoredMatcher(nlp.vocab, bounded=True)  # '*' within sentences
        self.parse_matcher = Matcher(nlp.vocab, validate=True)
        # each pattern on the parse has a shadow without its parse attributes, matched on the
        # words alone: a sentence can only match the pattern where its shadow matches
        self.shadows = AnchoredMatcher(nlp.vocab, within_sentence=True)
        self.parse_keys: set[str] = set()
        self.regexes: dict[str, list[Any]] = {}  # regex.Pattern, searched with a budget
        self._regex_where: dict[Any, str] = {}  # a pattern: its file and key
        # a sentence's regex matches, by pattern number (a list: a dict a sentence was 1 KB)
        self._searched: dict[str, list[tuple[tuple[int, int], ...] | None]] = {}
        self._pattern_index: dict[Any, int] = {}
        self._parse_memo: OrderedDict[Any, Doc] = OrderedDict()
        self.shared: SharedParses | None = None  # set in a run's worker processes
        self.specs: dict[str, MatchSpec] = {}
        owners: list[Rule | Signal] = [*book.signals.values(), *book.rules.values()]
        self._tokenize_all(
            phrase for owner in owners for spec in specs_of(owner) for phrase in spec.phrases
        )
        for name, signal in book.signals.items():
            owner = f"signal:{name}"
            self._add(owner, "match", signal.match, owner)
            for i, unless in enumerate(signal.unless):
                self._add(owner, f"unless{i}", unless, owner)
        for rule in book.rules.values():
            owner = f"rule:{rule.id}"
            where = str(book.files.get(rule.id, rule.id))
            for slot, spec in (
                ("match", rule.match),
                ("trigger", rule.trigger),
                ("require", rule.require),
            ):
                if spec is not None:
                    self._add(owner, slot, spec, where)
            for i, unless in enumerate(rule.unless):
                self._add(owner, f"unless{i}", unless, where)
            for i, spec in enumerate(rule.trigger_all):
                self._add(owner, f"trigger_all{i}", spec, where)

    def _add(self, owner: str, slot: str, spec: MatchSpec, where: str) -> None:
        key = _spec_key(owner, slot)
        self.specs[key] = spec
        for phrase in spec.phrases:
            parts = [[self._hashes(words) for words in choices] for choices in self._parts(phrase)]
            self.phrases.add_product(parts, key)
        lexical = [p for p in spec.patterns if not _needs_parse(p)]
        parsed = [p for p in spec.patterns if _needs_parse(p)]
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
            self.shadows.add(key, [_shadow(p) for p in parsed])
        if spec.regex:  # with a time budget per search (rulebook.REGEX_BUDGET)
            found = []
            for r in spec.regex:
                try:
                    pattern = budgeted(r, re.IGNORECASE)
                except Exception as exc:  # what ``re`` accepts and the ``regex`` package not
                    raise RuleBookError(f"{where}: {slot}.regex: {r!r}: {exc}") from None
                self._regex_where[pattern] = f"{where}: {slot}.regex"
                found.append(pattern)
            self.regexes[key] = found

    def key(self, owner: str, slot: str) -> str:
        return _spec_key(owner, slot)

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

    def searched(self, pattern: Any, sentence: str) -> tuple[tuple[int, int], ...]:
        """Where ``pattern`` matches (not empty) in a sentence's text: remembered per sentence
        (replies share most of theirs, and the rule book's regexes run on every sentence)."""
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
                where = self._regex_where.get(pattern, "a rule")
                raise timed_out(where, pattern.pattern, "one sentence") from None
            known = memo[index] = tuple((a, b) for a, b in found if b > a)
        return known

    def parse(self, docs: list[Doc], *, memo: bool = True) -> list[Doc]:
        """Tag and parse sentence docs (from :meth:`DocContext.sentence_doc`) with the
        pipeline's statistical components.

        A sentence's analysis depends on its words alone, so a sentence met before (replies
        share macro text, greetings, sign-offs) is answered from a bounded memo: a copy of its
        earlier analysis, placed where this one is. In a run's worker processes, one that
        another worker parsed is read from their :class:`SharedParses`. New ones go through
        :func:`analyse` (the attribute ruler's matching indexed). ``memo=False``: every one
        through spaCy's own ``nlp.pipe``, the reference the tests compare with."""
        if not memo:
            return [_lean(d) for d in self.nlp.pipe(docs, batch_size=PARSE_BATCH)]
        out: list[Doc | None] = [None] * len(docs)
        todo: dict[Any, list[int]] = {}
        remembered = self._parse_memo
        for i, doc in enumerate(docs):
            key = doc.user_data["words"]
            known = remembered.get(key)
            if known is not None:
                remembered.move_to_end(key)
                out[i] = _placed(known, doc)
            else:
                todo.setdefault(key, []).append(i)
        shared = self.shared
        found: dict[Any, Doc] = {}
        if shared is not None:
            for key, where in todo.items():
                read = shared.get(key, self.nlp.vocab)
                if read is not None:
                    read.user_data.update(docs[where[0]].user_data)
                    found[key] = read
        new = [key for key in todo if key not in found]
        firsts = [docs[todo[key][0]] for key in new]
        analysed = analyse(self.nlp, firsts, PARSE_BATCH) if firsts else iter(())
        for key, parsed in zip(new, analysed, strict=True):
            found[key] = _lean(parsed)
            if shared is not None:
                shared.put(key, found[key])
        for key, where in todo.items():
            remembered[key] = parsed = found[key]
            out[where[0]] = parsed
            for i in where[1:]:
                out[i] = _placed(parsed, docs[i])
        while len(remembered) > PARSE_MEMO:
            remembered.popitem(last=False)
        return [d for d in out if d is not None]


def _lean(parsed: Doc) -> Doc:
    """``parsed`` without the tok2vec output (96 floats a token, over half a remembered
    sentence's bytes): the tagger and parser have used it, and no rule reads it."""
    import numpy  # imported with spaCy already

    parsed.tensor = numpy.zeros((0,), dtype="float32")  # what an untagged Doc holds
    return parsed


def _placed(parsed: Doc, doc: Doc) -> Doc:
    """A copy of ``parsed`` (the analysis of ``doc``'s words) placed where ``doc`` is."""
    copy = parsed.copy()
    copy.user_data["base"] = doc.user_data["base"]
    return copy


_PARSE_ATTRS = {"POS", "TAG", "DEP", "LEMMA", "MORPH", "HEAD"}


def _needs_parse(pattern: list[dict[str, Any]]) -> bool:
    return any(_PARSE_ATTRS.intersection(k.upper() for k in spec) for spec in pattern)


def _shadow(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


class DraftTooLarge(ValueError):
    """A draft (or its customer's message) is over the configured ``max-draft-chars``; the
    message is one line naming the draft."""


def too_large(draft: Draft, limit: int) -> str | None:
    """Why ``draft`` is not linted under the size limit ``limit`` (0: none), or None."""
    if not limit:
        return None
    name = f"draft {draft.title!r}" if draft.title else "the draft"
    for what, text in ((name, draft.text), (f"the customer message of {name}", draft.customer)):
        if text is not None and len(text) > limit:
            return (
                f"{what} has {len(text):,} characters, over the limit of {limit:,} "
                "(max-draft-chars): not linted"
            )
    return None


class NeedParse(Exception):
    """Raised while collecting a batch's parse requests: ask again once they are parsed."""


class DocContext:
    """One draft (or customer message) and everything rules ask of it, computed at most once.

    ``doc`` is tokenized and split into sentences, not parsed. The tagger and parser run on a
    sentence only when something needs them there: a token pattern whose required word the
    sentence holds (parsed in a batch by the engine), or a check or rewrite that asks for it
    (:meth:`parsed`). Each sentence is parsed on its own, so its analysis is the same whichever
    asks first, and whether or not the other sentences are parsed.
    """

    def __init__(
        self,
        compiled: Compiled,
        doc: Doc,
        masked: Masked,
        customer: DocContext | None = None,
    ) -> None:
        self.compiled = compiled
        self.doc = doc
        self.text = masked.text  # what the doc was made from (doc.text rebuilds it)
        self.masked = masked
        self._customer_ctx = customer
        self.customer = customer.doc if customer is not None else None
        bounds = doc.user_data.get("sents")  # token ranges set by nlp.segment
        self.sents: list[Span] = (
            [doc[a:b] for a, b in bounds] if bounds is not None else list(doc.sents)
        )
        self._sent_starts = [s.start_char for s in self.sents]
        # sentence texts, and every token's lower-case form: what most rules look at
        self.sent_texts = [self.text[s.start_char : s.end_char] for s in self.sents]
        self.bounds = [(s.start, s.end) for s in self.sents]
        self._lowers: list[str] | None = None
        self._positions: dict[str, list[int]] | None = None
        self._parsed: dict[int, Doc] = {}
        self._raw: dict[str, list[tuple[int, int]]] | None = None
        self._parse_raw: dict[int, list[tuple[str, int, int]]] = {}
        self._shadows: dict[str, set[int]] | None = None
        self.requests: list[tuple[DocContext, int]] | None = None
        self._memo: dict[str, list[Hit]] = {}
        self._windows: dict[str, _Windows] = {}
        self._evaluated: dict[str, list[RawFinding]] = {}  # a rule's findings, once complete
        self._edits: dict[str, dict[int, list[Edit]]] = {}  # … the suggestions made so far
        self._hits: dict[str, list[Hit]] = {}  # … and the hits they are for
        self.rewrites: dict[Any, Any] = {}  # what rewrites work out once per draft (rewrite.py)
        greeting = greeting_span(self.text)
        self.greeting = greeting
        self.body_start = body_start(self.text, greeting)
        self._word_count: int | None = None

    @property
    def words(self) -> int:
        """How many words (tokens that are neither punctuation nor white space) the draft has."""
        if self._word_count is None:
            from spacy.attrs import IS_PUNCT, IS_SPACE

            flags = self.doc.to_array([IS_PUNCT, IS_SPACE])
            self._word_count = int((flags.sum(axis=1) == 0).sum()) if len(self.doc) else 0
        return self._word_count

    @property
    def lowers(self) -> list[str]:
        """Every token's lower-case form, in token order (no Token objects made)."""
        if self._lowers is None:
            from spacy.attrs import LOWER

            strings = self.doc.vocab.strings
            ids = self.doc.to_array([LOWER]).tolist() if len(self.doc) else []
            self._lowers = [strings[i] for i in ids]
        return self._lowers

    @property
    def positions(self) -> dict[str, list[int]]:
        """The token indices of each lower-case word."""
        if self._positions is None:
            self._positions = word_positions(self.lowers)
        return self._positions

    def sent_lowers(self, index: int) -> list[str]:
        sent = self.sents[index]
        return self.lowers[sent.start : sent.end]

    # -- sentences -----------------------------------------------------------------------------
    def sent_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, char) - 1)

    def source(self, start: int, end: int) -> str:
        """The draft's own text for a span of the parsed text: placeholders as written, quotes
        as typed. Rewrites are built from this, never from the masked text."""
        a, b = self.masked.offsets.span_to_original(start, end)
        return self.masked.original[a:b]

    def word(self, token: Token) -> str:
        """A token (of the draft or of a parsed sentence) as the user wrote it."""
        start = self.char(token)
        return self.source(start, start + len(token.text))

    @staticmethod
    def char(token: Token) -> int:
        """The offset of ``token`` in the draft's parsed text (also for parsed sentences)."""
        return int(token.idx + token.doc.user_data.get("base", 0))

    def hit(self, start: int, end: int, **data: Any) -> Hit:
        return Hit(start, end, self.sent_index(start), data)

    # -- the parse, sentence by sentence -------------------------------------------------------
    def parse_candidates(self, key: str | None = None) -> list[int]:
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

    def sentence_doc(self, index: int) -> Doc:
        """Sentence ``index`` as a Doc of its own, ready for the tagger and parser."""
        from spacy.tokens import Doc

        sent = self.sents[index]
        starts: list[bool | int | None] = [True]
        starts += [False] * (len(sent) - 1)
        words = [t.text for t in sent]
        spaces = [bool(t.whitespace_) for t in sent]
        doc = Doc(self.doc.vocab, words=words, spaces=spaces, sent_starts=starts)
        doc.user_data["base"] = sent.start_char
        doc.user_data["words"] = (tuple(words), tuple(spaces))  # what its analysis depends on
        return doc

    def set_parsed(self, index: int, doc: Doc) -> None:
        self._parsed[index] = doc

    def parsed(self, index: int) -> Doc:
        """Sentence ``index``, tagged and parsed (parsing it now if nobody has yet).

        While the engine collects what a batch of drafts needs (:attr:`requests` is a list),
        an unparsed sentence is recorded there and :class:`NeedParse` raised instead, so the
        engine can parse all the requested sentences of the batch at once and ask again.
        """
        if index not in self._parsed:
            if self.requests is not None:
                self.requests.append((self, index))
                raise NeedParse
            (self._parsed[index],) = self.compiled.parse([self.sentence_doc(index)])
        return self._parsed[index]

    def need(self, indices: Iterable[int]) -> None:
        """Have sentences ``indices`` parsed: while the engine collects a batch's requests,
        record every one not parsed yet and raise :class:`NeedParse` once (asking for them
        one at a time took a round of the batch each: quadratic in a long draft)."""
        missing = list(dict.fromkeys(i for i in indices if i not in self._parsed))
        if not missing:
            return
        if self.requests is not None:
            self.requests.extend((self, i) for i in missing)
            raise NeedParse
        docs = self.compiled.parse([self.sentence_doc(i) for i in missing])
        self._parsed.update(zip(missing, docs, strict=True))

    def ptoken(self, token: Token) -> Token:
        """The tagged and parsed twin of a token of the draft."""
        index = self.sent_index(token.idx)
        return self.parsed(index)[token.i - self.sents[index].start]

    def parsed_span(self, start: int, end: int) -> Span | None:
        """The parsed tokens covering the characters [start, end) of one sentence."""
        index = self.sent_index(start)
        doc = self.parsed(index)
        base = self.sents[index].start_char
        return doc.char_span(start - base, end - base, alignment_mode="expand")

    # -- matching ------------------------------------------------------------------------------
    def customer_context(self) -> DocContext | None:
        return self._customer_ctx

    def _matches(self) -> dict[str, list[tuple[int, int]]]:
        if self._raw is not None:
            return self._raw
        raw: dict[str, list[tuple[int, int]]] = {}
        doc = self.doc
        from spacy.attrs import IDX, LENGTH, LOWER

        if not len(doc):
            self._raw = raw
            return raw
        idx, length, lowers = doc.to_array([IDX, LENGTH, LOWER]).T.tolist()
        for key, start, end in self.compiled.phrases.find(lowers):
            raw.setdefault(key, []).append((idx[start], idx[end - 1] + length[end - 1]))
        for key, start, end in self.compiled.matcher(doc, self.positions, self.bounds):
            raw.setdefault(key, []).append((idx[start], idx[end - 1] + length[end - 1]))
        self._raw = raw
        return raw

    def _parse_matches(self, key: str) -> list[tuple[int, int]]:
        """Matches of the spec's patterns on the parse, in the sentences where they can match."""
        out: list[tuple[int, int]] = []
        strings = self.doc.vocab.strings
        candidates = self.parse_candidates(key)
        self.need(i for i in candidates if i not in self._parse_raw)
        for i in candidates:
            if i not in self._parse_raw:
                doc = self.parsed(i)
                base = self.sents[i].start_char
                self._parse_raw[i] = [
                    (strings[m], base + doc[s:e].start_char, base + doc[s:e].end_char)
                    for m, s, e in self.compiled.parse_matcher(doc)
                ]
            out.extend((s, e) for k, s, e in self._parse_raw[i] if k == key)
        return out

    def spec_hits(self, key: str) -> list[Hit]:
        """Hits of the spec registered under ``key`` (phrases, patterns, regexes, signals…)."""
        if key in self._memo:
            return self._memo[key]
        spec = self.compiled.specs[key]
        hits = [self.hit(s, e) for s, e in self._matches().get(key, ())]
        hits += [self.hit(s, e) for s, e in self._parse_matches(key)]
        for pattern in self.compiled.regexes.get(key, ()):
            for base, text in zip(self._sent_starts, self.sent_texts, strict=True):
                for start, end in self.compiled.searched(pattern, text):
                    hits.append(self.hit(base + start, base + end))
        for name in spec.signals:
            hits.extend(self.signal(name))
        for rule_id in spec.rules:
            hits.extend(self.rule_hits(self.compiled.book.rules[rule_id]))
        hits = [h for h in hits if not self.masked.in_placeholder(h.start, h.end)]
        result = _merge(hits)
        self._memo[key] = result
        return result

    def _cheap_hit(self, key: str) -> bool:
        """Whether a phrase or a word pattern of the spec itself matches (no parse needed)."""
        spec = self.compiled.specs[key]
        if spec.signals or spec.rules:
            return False  # those have their own exceptions; ask spec_hits
        return any(not self.masked.in_placeholder(s, e) for s, e in self._matches().get(key, ()))

    def excused(self, hit: Hit, owner: str, unless: list[Unless]) -> bool:
        for i, u in enumerate(unless):
            if self._window_index(self.compiled.key(owner, f"unless{i}")).near(u.window, hit):
                return True
        return False

    def _window_index(self, key: str) -> _Windows:
        """The hits of spec ``key`` indexed for :meth:`excused` (built once per draft: a
        scan of every ``unless`` hit for every hit was quadratic in a long draft)."""
        index = self._windows.get(key)
        if index is None:
            index = self._windows[key] = _Windows(self.spec_hits(key))
        return index

    def signal(self, name: str) -> list[Hit]:
        memo_key = f"signal:{name}"
        if memo_key in self._memo:
            return self._memo[memo_key]
        self._memo[memo_key] = []  # guards against a signal that includes itself
        try:
            signal = self.compiled.book.signals[name]
            hits = self.spec_hits(self.compiled.key(memo_key, "match"))
            result = [h for h in hits if not self.excused(h, memo_key, signal.unless)]
        except NeedParse:
            del self._memo[memo_key]  # asked again once the sentence is parsed
            raise
        self._memo[memo_key] = result
        return result

    def rule_hits(self, rule: Rule) -> list[Hit]:
        """Where an existence or check rule matches (before selection, for other rules' use)."""
        memo_key = f"rule:{rule.id}"
        if memo_key in self._memo:
            return self._memo[memo_key]
        self._memo[memo_key] = []
        try:
            hits: list[Hit] = []
            if rule.match is not None:
                hits.extend(self.spec_hits(self.compiled.key(memo_key, "match")))
            if rule.check and rule.kind != "absence":
                from .checks import CHECKS

                hits.extend(CHECKS[rule.check](self, rule))
            hits = _merge(hits)
            result = [h for h in hits if not self.excused(h, memo_key, rule.unless)]
        except NeedParse:
            del self._memo[memo_key]
            raise
        if rule.once_per == "sentence":
            firsts: dict[int, Hit] = {}
            for h in result:
                firsts.setdefault(h.sent, h)
            result = list(firsts.values())
        self._memo[memo_key] = result
        return result

    def present(self, key: str) -> bool:
        """Whether the spec matches the draft, or one of its customer signals matches the
        customer's message."""
        if self._cheap_hit(key) or self.spec_hits(key):
            return True
        names = self.compiled.specs[key].customer_signals
        cctx = self.customer_context() if names else None
        return cctx is not None and any(cctx.signal(name) for name in names)

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(self, rule: Rule) -> list[RawFinding]:
        """The rule's findings, with their suggestions. While the engine collects parse
        requests, a suggestion that needs a sentence parsed does not stop the others: each
        records what it needs, :class:`NeedParse` is raised once at the end, and what was
        done is kept for the next call (so a long draft takes a few rounds, not one a
        finding, each redoing the findings before it)."""
        from .rewrite import suggest

        done = self._evaluated.get(rule.id)
        if done is not None:
            return done
        hits = self._hits.get(rule.id)
        if hits is None:
            hits = self._absence(rule) if rule.kind == "absence" else self.rule_hits(rule)
            self._hits[rule.id] = hits
        edits = self._edits.setdefault(rule.id, {})
        waiting = False
        for k, h in enumerate(hits):
            if k in edits:
                continue
            try:
                edits[k] = suggest(self, rule, h)
            except NeedParse:
                if self.requests is None:
                    raise
                waiting = True
        if waiting:
            raise NeedParse
        found = [RawFinding(rule, h.start, h.end, edits[k]) for k, h in enumerate(hits)]
        self._evaluated[rule.id] = found
        del self._edits[rule.id], self._hits[rule.id]
        return found

    def _absence(self, rule: Rule) -> list[Hit]:
        """Fires once when a trigger is present and none of the required patterns is."""
        if not self.sents:
            return []  # an empty draft: no sentence to point at (nor anything missing from it)
        owner = f"rule:{rule.id}"
        short = rule.min_words is not None and self.words < rule.min_words
        if short and not (rule.or_customer and self.customer is not None):
            return []
        key = self.compiled.key
        if self._cheap_hit(key(owner, "require")):
            return []  # what the rule asks for is there: no need to look for its trigger
        triggers = list(self.spec_hits(key(owner, "trigger")))
        triggered = self.present(key(owner, "trigger"))
        all_of = [key(owner, f"trigger_all{i}") for i in range(len(rule.trigger_all))]
        if all_of and all(self.present(k) for k in all_of):
            triggered = True
            triggers.extend(self.spec_hits(all_of[-1]))
        if not triggered or self.present(key(owner, "require")):
            return []
        if triggers and rule.anchor != "body-start":
            chosen = (
                min(triggers, key=lambda h: h.start)
                if rule.anchor == "first-trigger"
                else max(triggers, key=lambda h: h.start)
            )
            return [self.hit(*self.sentence_span(chosen.sent))]
        span = self.body_first_sentence() or self.sentence_span(0)
        return [self.hit(*span)] if span[1] > span[0] else []

    def sentence_span(self, index: int, start: int | None = None) -> tuple[int, int]:
        """Sentence ``index`` (from ``start`` when given), without trailing white space and
        never across a blank line."""
        sent = self.sents[index]
        if start is None and self.greeting and sent.start_char < self.body_start < sent.end_char:
            start = self.body_start  # "Hi Sam, <sentence>": the greeting is not part of it
        begin = sent.start_char if start is None else max(sent.start_char, start)
        piece = self.text[begin : sent.end_char].rstrip()
        paragraph = re.search(r"\n[ \t]*\r?\n", piece)
        if paragraph:
            piece = piece[: paragraph.start()].rstrip()
        if start is not None and begin > sent.start_char:
            return begin, begin + len(piece)
        lead = len(piece) - len(piece.lstrip())
        return begin + lead, begin + len(piece)

    def body_first_sentence(self) -> tuple[int, int] | None:
        """The first sentence of the body (after any greeting), trimmed of white space."""
        if self.body_start >= len(self.text):
            return None
        span = self.sentence_span(self.sent_index(self.body_start), self.body_start)
        return span if span[1] > span[0] else None


def _merge(hits: list[Hit]) -> list[Hit]:
    """Merge overlapping hits into one span ("It's only a" + "only a small"); text order."""
    merged: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if merged and h.start < merged[-1].end:
            last = merged[-1]
            if h.end > last.end:
                merged[-1] = Hit(last.start, h.end, last.sent, last.data)
            continue
        merged.append(h)
    return merged


class _Windows:
    """Hits (merged: in text order, not overlapping) indexed to answer "is one of them in this
    window of a hit?" in logarithmic time."""

    def __init__(self, hits: list[Hit]) -> None:
        self.any = bool(hits)
        self.ends = [h.end for h in hits]  # ascending, since merged hits do not overlap
        self.starts = [h.start for h in hits]
        self.sents = {h.sent for h in hits}

    def near(self, window: str, hit: Hit) -> bool:
        if window == "overlap":  # one ending after the hit starts, starting before it ends
            i = bisect.bisect_right(self.ends, hit.start)
            return i < len(self.ends) and self.starts[i] < hit.end
        if window == "sentence":
            return hit.sent in self.sents
        if window == "sentence+next":
            return hit.sent in self.sents or hit.sent + 1 in self.sents
        if window == "sentence+previous":
            return hit.sent - 1 in self.sents or hit.sent in self.sents
        return self.any  # document


class Engine:
    """Rules compiled for one pipeline; lints drafts in batches.

    With ``parse_everything`` every sentence is tagged and parsed, each afresh (no memo): the
    reference the tiered default must match exactly; the tests compare the two.
    """

    def __init__(
        self,
        nlp: Language,
        book: RuleBook,
        selected: Iterable[str],
        *,
        parse_everything: bool = False,
        placeholders: Any = None,
        placeholders_where: str = "placeholders",
        placeholder_patterns: tuple[str, ...] = (),
    ) -> None:
        self.nlp = nlp
        self.book = book
        self.selected = [book.rules[r] for r in selected]
        self.compiled = compiled_for(nlp, book)
        self.parse_everything = parse_everything
        self.placeholders = placeholders or DEFAULT_PATTERN  # config `placeholders` adds to it
        self.placeholders_where = placeholders_where  # the file and key they come from
        self.placeholder_patterns = placeholder_patterns  # the configured ones, as written
        # sees each draft's context, in input order, once its rules are evaluated (profile.py)
        self.observe: Callable[[DocContext], None] | None = None

    def _mask(self, text: str) -> Masked:
        try:
            return mask(text, self.placeholders)
        except PatternTimeout as exc:
            shown = " or ".join(map(repr, self.placeholder_patterns)) or repr(str(exc))
            raise RegexTimeout(
                f"{self.placeholders_where}: the regular expression {shown} took over "
                f"{REGEX_BUDGET} s on one draft (catastrophic backtracking?); simplify it"
            ) from None

    def lint(self, drafts: Iterable[Draft]) -> Iterator[tuple[Draft, list[Finding]]]:
        """Lint drafts in batches; yields ``(draft, findings)`` in input order."""
        return lint_drafts(drafts, self.analyse)

    def analyse(self, items: list[tuple[str, str | None]]) -> list[list[Finding]]:
        """Findings for each ``(text, customer)``, with offsets and positions in the text itself
        (what the cache keeps and worker processes send back)."""
        out: list[list[Finding]] = []
        for k in range(0, len(items), BATCH_SIZE):
            chunk = [Draft.from_text(t, customer=c) for t, c in items[k : k + BATCH_SIZE]]
            out.extend(found for _, found in self._lint_batch(chunk))
        return out

    def _contexts(self, texts: list[Masked]) -> list[DocContext]:
        from .nlp import segment

        # the tokenizer itself: ``make_doc`` refuses texts over spaCy's ``max_length`` (a
        # guard for parsing a whole Doc at once, which replylint never does: it parses
        # sentences); the draft size limit is replylint's own (config max-draft-chars)
        docs = [self.nlp.tokenizer(m.text) for m in texts]
        return [DocContext(self.compiled, segment(d), m) for d, m in zip(docs, texts, strict=True)]

    def _plan(self, ctx: DocContext) -> set[int]:
        """Sentences worth parsing up front: where a ``match`` pattern on the parse can match,
        and where an absence rule's trigger can, unless a word shows its requirement is met."""
        wanted = set(ctx.parse_candidates())
        key = self.compiled.key
        for rule in self.selected:
            if rule.kind != "absence":
                continue
            owner = f"rule:{rule.id}"
            if ctx._cheap_hit(key(owner, "require")):
                continue
            wanted.update(ctx.parse_candidates(key(owner, "trigger")))
            for i in range(len(rule.trigger_all)):
                wanted.update(ctx.parse_candidates(key(owner, f"trigger_all{i}")))
            wanted.update(ctx.parse_candidates(key(owner, "require")))
        return wanted

    def _lint_batch(self, drafts: list[Draft]) -> Iterator[tuple[Draft, list[Finding]]]:
        masks = [self._mask(d.text) for d in drafts]
        customers = [self._mask(d.customer) for d in drafts if d.customer is not None]
        customer_ctxs = iter(self._contexts(customers))
        ctxs = [
            DocContext(c.compiled, c.doc, c.masked, next(customer_ctxs) if d.customer else None)
            for d, c in zip(drafts, self._contexts(masks), strict=True)
        ]
        # one batch through the tagger and parser for the sentences a pattern will look at
        wanted = [
            (ctx, i)
            for c in ctxs
            for ctx in (c, c.customer_context())
            if ctx is not None
            for i in (range(len(ctx.sents)) if self.parse_everything else self._plan(ctx))
        ]
        self._parse(wanted)
        # then evaluate; what a check or a rewrite asks to have parsed is collected across the
        # batch, parsed in one go, and the drafts that asked are evaluated again
        results: dict[int, list[RawFinding]] = {}
        pending = list(range(len(ctxs)))
        while pending:
            requests: list[tuple[DocContext, int]] = []
            waiting = []
            for k in pending:
                ctx = ctxs[k]
                customer = ctx.customer_context()
                ctx.requests = requests
                if customer is not None:
                    customer.requests = requests
                try:
                    found: list[RawFinding] = []
                    missing = False
                    for rule in self.selected:  # every rule records what it needs parsed
                        try:
                            found.extend(ctx.evaluate(rule))
                        except NeedParse:
                            missing = True
                    if missing:
                        waiting.append(k)
                    else:
                        results[k] = found
                finally:
                    ctx.requests = None
                    if customer is not None:
                        customer.requests = None
            self._parse(list(dict.fromkeys(requests)))
            pending = waiting
        if self.observe is not None:
            for ctx in ctxs:
                self.observe(ctx)
        for k, (d, m) in enumerate(zip(drafts, masks, strict=True)):
            yield d, _to_findings(d, m, results[k])

    def _parse(self, wanted: list[tuple[DocContext, int]]) -> None:
        docs = [ctx.sentence_doc(i) for ctx, i in wanted]
        parsed = self.compiled.parse(docs, memo=not self.parse_everything)
        for (ctx, i), doc in zip(wanted, parsed, strict=True):
            ctx.set_parsed(i, doc)


Items = list[tuple[str, str | None]]  # (draft text, customer's message)
Analyse = Callable[[Items], list[list[Finding]]]


class Pending(Protocol):
    """Findings being computed elsewhere (a worker process's future)."""

    def result(self) -> list[list[Finding]]: ...


Submit = Callable[[Items], Pending]


class _Done:
    def __init__(self, value: list[list[Finding]]) -> None:
        self.value = value

    def result(self) -> list[list[Finding]]:
        return self.value


@dataclass
class _Batch:
    drafts: list[Draft]
    keys: list[str]
    results: list[list[Finding] | None]
    todo: list[int]
    pending: Pending | None


def lint_drafts(
    drafts: Iterable[Draft],
    analyse: Analyse | None = None,
    *,
    submit: Submit | None = None,
    ahead: int = 0,
    cache: Cache | None = None,
    batch_size: int = BATCH_SIZE,
    max_chars: int = 0,
) -> Iterator[tuple[Draft, list[Finding]]]:
    """Lint drafts in batches (streaming: memory does not grow with their number), yielding
    ``(draft, findings)`` in input order. Findings come from ``cache`` when it has them, else
    from ``analyse`` (an engine, here) or ``submit`` (worker processes), which see only the
    misses: a run over cached drafts never needs the pipeline. With ``submit``, up to
    ``ahead`` further batches are read and in the workers while one is finished here. A draft
    longer than ``max_chars`` (0: no limit) raises :class:`DraftTooLarge` (the runner reports
    such drafts as file errors and never hands them on)."""

    def start(batch: list[Draft]) -> _Batch:
        keys = [cache.key(d.text, d.customer) if cache else "" for d in batch]
        results: list[list[Finding] | None] = cache.get_many(keys) if cache else [None] * len(keys)
        todo = [i for i, r in enumerate(results) if r is None]
        items = [(batch[i].text, batch[i].customer) for i in todo]
        pending: Pending | None = None
        if todo:
            if submit is not None:
                pending = submit(items)
            else:
                assert analyse is not None
                pending = _Done(analyse(items))
        return _Batch(batch, keys, results, todo, pending)

    def finish(done: _Batch) -> Iterator[tuple[Draft, list[Finding]]]:
        computed = done.pending.result() if done.pending is not None else []
        for i, found in zip(done.todo, computed, strict=True):
            done.results[i] = found
            if cache:
                cache.put(done.keys[i], found)
        for draft, result in zip(done.drafts, done.results, strict=True):
            assert result is not None
            yield draft, relocate(result, draft)

    inflight: deque[_Batch] = deque()
    batch: list[Draft] = []
    try:
        for draft in drafts:
            problem = too_large(draft, max_chars)
            if problem is not None:
                raise DraftTooLarge(problem)
            batch.append(draft)
            if len(batch) >= batch_size:
                inflight.append(start(batch))
                batch = []
                while len(inflight) > ahead:
                    yield from finish(inflight.popleft())
        if batch:
            inflight.append(start(batch))
        while inflight:
            yield from finish(inflight.popleft())
    finally:
        if cache:
            cache.flush()  # what this run added, written before the caller goes on


def relocate(findings: list[Finding], draft: Draft) -> list[Finding]:
    """Draft-relative findings (from :meth:`Engine.analyse`) placed in the draft's file:
    positions, excerpt and draft title."""
    out = []
    for f in findings:
        line, col, end_line, end_col = draft.locate(f.start, f.end)
        fs, fe = draft.offsets.span_to_original(f.start, f.end)
        suggestions = []
        for s in f.suggestions:
            sl, sc, sel, sec = draft.locate(s.start, s.end)
            suggestions.append(
                s.model_copy(update={"line": sl, "column": sc, "end_line": sel, "end_column": sec})
            )
        out.append(
            f.model_copy(
                update={
                    "line": line,
                    "column": col,
                    "end_line": end_line,
                    "end_column": end_col,
                    "excerpt": draft.lines.text[fs:fe],
                    "draft": draft.title,
                    "suggestions": suggestions,
                }
            )
        )
    out.sort(key=Finding.sort_key)
    return out


def _to_findings(draft: Draft, masked: Masked, raw: list[RawFinding]) -> list[Finding]:
    source = draft.lines.text
    out: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for r in raw:
        start, end = masked.offsets.span_to_original(r.start, r.end)
        if (r.rule.id, start, end) in seen:
            continue
        seen.add((r.rule.id, start, end))
        line, col, end_line, end_col = draft.locate(start, end)
        fs, fe = draft.offsets.span_to_original(start, end)
        suggestions = []
        for e in r.edits:
            s_start, s_end = masked.offsets.span_to_original(e.start, e.end)
            s_line, s_col, s_end_line, s_end_col = draft.locate(s_start, s_end)
            suggestions.append(
                Suggestion(
                    replacement=e.replacement,
                    description=e.description,
                    applicability=e.applicability,
                    start=s_start,
                    end=s_end,
                    line=s_line,
                    column=s_col,
                    end_line=s_end_line,
                    end_column=s_end_col,
                )
            )
        out.append(
            Finding(
                rule=r.rule.id,
                severity=r.rule.severity,
                category=r.rule.category,
                message=r.rule.message,
                excerpt=source[fs:fe],
                draft=draft.title,
                suggestions=suggestions,
                start=start,
                end=end,
                line=line,
                column=col,
                end_line=end_line,
                end_column=end_col,
            )
        )
    out.sort(key=Finding.sort_key)
    return out
