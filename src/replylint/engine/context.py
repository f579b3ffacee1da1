"""One draft (or customer message) and everything rules ask of it.

The draft is masked (see ``placeholders.py``), tokenized and split into sentences by rule
(``nlp.segment``), not parsed: a sentence is tagged and parsed only when something needs it
(``parse.py``). What a spec matches comes from ``matches.py``; here those spans become hits
with the rule book's semantics: a spec's hits include its signals' and rules', never fall in a
placeholder, and are merged; a signal's or rule's hits are its match less what an ``unless``
window excuses. Each is found at most once per draft.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from .. import checks
from ..structure import body_start, greeting_span
from . import kinds
from .hits import Hit, NeedParse, Windows, merge
from .matches import Matches
from .parse import SentenceParses

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..models import Rule, Unless
    from ..placeholders import Masked
    from .compiled import Compiled


_NO_HITS = Windows([])  # the index of no hits: near no hit, whatever the window and the parts


class DocContext:
    """One draft and its rules' answers (see the module's docstring). ``customer`` is the
    context of the customer's message the draft replies to, if any."""

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
        self.parses = SentenceParses(compiled.parses, doc, self.sents)
        self.matches = Matches(
            compiled, doc, self.bounds, self.sent_texts, self._sent_starts, self.parses
        )
        self._found: dict[str, list[Hit]] = {}  # hits of specs, signals and rules, by key
        self._windows: dict[str, Windows] = {}
        # the part each sentence is in, where the context holds several texts told apart by
        # "---" (the gate's re-lint windows, linted together: engine/relint.py sets it); an
        # ``unless`` window "document" then reads the hit's own part only
        self.parts: list[int] | None = None
        self.rewrites: dict[Any, Any] = {}  # what rewrites work out once per draft (rewrite.py)
        self.greeting = greeting_span(self.text)
        self.body_start = body_start(self.text, self.greeting)
        self._word_count: int | None = None

    # -- words and sentences -------------------------------------------------------------------
    @property
    def words(self) -> int:
        """How many words (tokens that are neither punctuation nor white space) the draft has."""
        if self._word_count is None:
            from spacy.attrs import IS_PUNCT, IS_SPACE  # spaCy loads lazily

            flags = self.doc.to_array([IS_PUNCT, IS_SPACE])
            self._word_count = int((flags.sum(axis=1) == 0).sum()) if len(self.doc) else 0
        return self._word_count

    @property
    def lowers(self) -> list[str]:
        """Every token's lower-case form, in token order (no Token objects made)."""
        return self.matches.lowers

    def sent_lowers(self, index: int) -> list[str]:
        sent = self.sents[index]
        return self.lowers[sent.start : sent.end]

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

    def customer_context(self) -> DocContext | None:
        return self._customer_ctx

    # -- the parse, sentence by sentence (see parse.py) ----------------------------------------
    def parsed(self, index: int) -> Doc:
        """Sentence ``index``, tagged and parsed (may raise :class:`NeedParse`)."""
        return self.parses.get(index)

    def need(self, indices: Any) -> None:
        """Have sentences ``indices`` parsed, all at once (may raise :class:`NeedParse`)."""
        self.parses.need(indices)

    def is_parsed(self, index: int) -> bool:
        return index in self.parses

    @property
    def _parsed(self) -> dict[int, Doc]:
        """The sentences parsed so far (rewrite.py reads it; :meth:`is_parsed` says the same)."""
        return self.parses.done

    def parsed_span(self, start: int, end: int) -> Span | None:
        """The parsed tokens covering the characters [start, end) of one sentence."""
        index = self.sent_index(start)
        doc = self.parsed(index)
        base = self.sents[index].start_char
        return doc.char_span(start - base, end - base, alignment_mode="expand")

    def parse_candidates(self, key: str | None = None) -> list[int]:
        """Sentences where a token pattern on the parse of spec ``key`` (default: of any
        ``match`` spec) could match: what the engine parses up front."""
        return self.matches.candidates(key)

    # -- what the rule book's specs, signals and rules match -----------------------------------
    def spec_hits(self, key: str) -> list[Hit]:
        """Hits of the spec registered under ``key``: its phrases, patterns and regexes, its
        signals' and rules' hits; none inside a placeholder; overlapping ones merged."""
        found = self._found.get(key)
        if found is None:
            spec = self.compiled.specs[key]
            hits = [self.hit(s, e) for s, e in self.matches.spans(key)]
            for name in spec.signals:
                hits.extend(self.signal(name))
            for rule_id in spec.rules:
                hits.extend(self.rule_hits(self.compiled.book.rules[rule_id]))
            for name in spec.checks:
                hits.extend(checks.DETECTORS[name](self))
            hits = [h for h in hits if not self.masked.in_placeholder(h.start, h.end)]
            found = self._found[key] = merge(hits)
        return found

    def cheap_hit(self, key: str) -> bool:
        """Whether a phrase or a word pattern of the spec itself matches (no parse needed)."""
        spec = self.compiled.specs[key]
        if spec.signals or spec.rules or spec.checks:
            return False  # those have their own exceptions; ask spec_hits
        return any(not self.masked.in_placeholder(s, e) for s, e in self.matches.lexical(key))

    def present(self, key: str) -> bool:
        """Whether the spec matches the draft, or one of its customer signals matches the
        customer's message."""
        if self.cheap_hit(key) or self._regex_hit(key) or self.spec_hits(key):
            return True
        names = self.compiled.specs[key].customer_signals
        cctx = self.customer_context() if names else None
        return cctx is not None and any(cctx.signal(name) for name in names)

    def _regex_hit(self, key: str) -> bool:
        """Whether a regex of the spec matches outside a placeholder: then :meth:`spec_hits`
        has a hit, and it need not be worked out (a regex is searched until one does)."""
        if key in self._found or key not in self.compiled.regexes:
            return False  # known already (spec_hits answers), or no regex
        free = self.masked.in_placeholder
        return any(not free(s, e) for s, e in self.matches.regex_spans(key))

    def excused(self, hit: Hit, owner: str, unless: list[Unless]) -> bool:
        """Whether one of ``owner``'s ``unless`` specs matches in its window around ``hit``
        (its ``customer_signals``: anywhere in the customer's message, whatever the window)."""
        for i, u in enumerate(unless):
            if u.customer_signals and self._customer_said(u.customer_signals):
                return True
            key = self.compiled.key(owner, f"unless{i}")
            index = self._windows.get(key)  # indexed once per draft (a scan was quadratic)
            if index is None:
                hits = self.spec_hits(key)  # most often none: one shared index, no new objects
                index = self._windows[key] = Windows(hits, self.parts) if hits else _NO_HITS
            if index.near(u.window, hit):
                return True
        return False

    def _customer_said(self, names: list[str]) -> bool:
        cctx = self._customer_ctx
        return cctx is not None and any(cctx.signal(name) for name in names)

    def signal(self, name: str) -> list[Hit]:
        """Where signal ``name`` matches and no ``unless`` of it excuses the match."""
        owner = f"signal:{name}"
        found = self._found.get(owner)
        if found is None:
            self._found[owner] = []  # guards against a signal that includes itself
            try:
                signal = self.compiled.book.signals[name]
                hits = self.spec_hits(self.compiled.key(owner, "match"))
                found = [h for h in hits if not self.excused(h, owner, signal.unless)]
            except NeedParse:
                del self._found[owner]  # asked again once the sentence is parsed
                raise
            self._found[owner] = found
        return found

    def rule_hits(self, rule: Rule) -> list[Hit]:
        """Where an existence or check rule matches (before selection, for other rules' use);
        see :func:`kinds.rule_hits`."""
        owner = f"rule:{rule.id}"
        found = self._found.get(owner)
        if found is None:
            self._found[owner] = []  # guards against a rule that includes itself
            try:
                found = kinds.rule_hits(self, rule)
            except NeedParse:
                del self._found[owner]
                raise
            self._found[owner] = found
        return found
