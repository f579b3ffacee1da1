"""Linting drafts in batches: the :class:`Engine` for one pipeline, and :func:`lint_batched`,
which streams drafts through the cache, an engine or worker processes, and places the
findings in each draft's file (``place.py``).

The gates come first (rules not-english and not-prose, ``language.py``): a draft that is not
English prose gets that one finding, a profile with no moves, and goes no further. The rest of
a batch of drafts (with their customers' messages) is masked, tokenized and split into
sentences; the sentences a pattern on the parse can match are parsed in one go; then every
selected rule is evaluated on each draft, and its empathy profile read off the same hits
(``profile.py``). What a check, a rewrite or the profile asks to have parsed meanwhile is
collected across the batch (``parse.collecting``), parsed in one go, and the drafts that asked
are evaluated again, until none asks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..language import Detector, Verdict, first_line
from ..models import Finding, Profile, Rule
from ..nlp import segment
from ..placeholders import DEFAULT_PATTERN, Masked, PatternTimeout, mask
from ..rulebook import GATE_RULES, REGEX_BUDGET, RegexTimeout, RuleBook
from ..sources.base import Draft
from .collect import relaxed
from .compiled import compiled_for
from .context import DocContext
from .hits import NeedParse, RawFinding
from .kinds import Evaluation
from .limits import DraftTooLarge, too_large
from .moves import NO_MOVES, profile_of
from .parse import Request, collecting
from .place import place
from .relint import Summaries
from .unplaced import rule_finding, unplaced
from .verify import verify

if TYPE_CHECKING:
    from spacy.language import Language

    from ..cache import Cache
    from ..rewrite.gate import Judged

BATCH_SIZE = 64
Result = tuple[list[Finding], Profile]  # a draft's findings (relative to it) and its profile


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
        chosen = [book.rules[r] for r in selected]
        self.selected = [r for r in chosen if r.kind != "gate"]
        # the gates selected, in the order they are asked (language.py): a draft one of them
        # flags gets that finding only, and is neither tokenized nor evaluated
        self.gates = [book.rules[r] for r in GATE_RULES if any(g.id == r for g in chosen)]
        self._detector: Detector | None = None
        self._without: dict[tuple[str, ...], list[Rule]] = {}
        self.compiled = compiled_for(nlp, book)
        self.parse_everything = parse_everything
        self.placeholders = placeholders or DEFAULT_PATTERN  # config `placeholders` adds to it
        self.placeholders_where = placeholders_where  # the file and key they come from
        self.placeholder_patterns = placeholder_patterns  # the configured ones, as written
        self.gate = True  # False only to measure what the gate costs (benchmarks/gate_cost.py)
        self.summaries = Summaries(self)  # the suggestion gate's re-lints, remembered by text
        # with a list: each linted draft's context and judged findings (the gate's reasons,
        # for --explain-suggestions and eval --rewrites; no cache then)
        self.judgements: list[tuple[DocContext, list[Judged]]] | None = None

    def lint(self, drafts: Iterable[Draft]) -> Iterator[tuple[Draft, list[Finding]]]:
        """Lint drafts in batches; yields ``(draft, findings)`` in input order, placed."""
        return ((d, f) for d, f, _ in lint_batched(drafts, self.analyse))

    def analyse(self, items: Items) -> list[Result]:
        """Draft-relative findings (see ``place.py``) and the profile of each ``(text,
        customer[, rules to skip])``: what the cache keeps and worker processes send back."""
        out: list[Result] = []
        with relaxed():  # fewer garbage collections while the batch is linted
            for k in range(0, len(items), BATCH_SIZE):
                out.extend(self._lint_batch(items[k : k + BATCH_SIZE]))
        return out

    def _mask(self, text: str) -> Masked:
        try:
            return mask(text, self.placeholders)
        except PatternTimeout as exc:
            raise self._timeout(exc) from None

    def _timeout(self, exc: PatternTimeout) -> RegexTimeout:
        """A configured placeholder pattern that ran out of time, named where it is set."""
        shown = " or ".join(map(repr, self.placeholder_patterns)) or repr(str(exc))
        return RegexTimeout(
            f"{self.placeholders_where}: the regular expression {shown} took over "
            f"{REGEX_BUDGET} s on one draft (catastrophic backtracking?); simplify it"
        )

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            self._detector = Detector.for_book(self.book, self.placeholders)
        return self._detector

    def verdict(self, text: str) -> Verdict:
        """What the selected gates say of ``text`` (English prose when none is selected)."""
        ids = {g.id for g in self.gates}
        if not ids:
            return Verdict()
        try:
            return self.detector.verdict(
                text, language="not-english" in ids, prose="not-prose" in ids
            )
        except PatternTimeout as exc:
            raise self._timeout(exc) from None

    def _gated(self, verdict: Verdict | None, text: str) -> list[Finding] | None:
        """The one finding of the first gate that stops ``text`` (judged ``verdict``), or None
        (lint it)."""
        if verdict is None:
            return None
        for rule in self.gates:
            stopped = not verdict.prose if rule.id == "not-prose" else verdict.language != "en"
            if stopped:
                start, end = first_line(text)
                return [rule_finding(rule, start, end)]
        return None

    def _context(self, masked: Masked, customer: DocContext | None = None) -> DocContext:
        # the tokenizer itself: ``make_doc`` refuses texts over spaCy's ``max_length`` (a
        # guard for parsing a whole Doc at once, which replylint never does: it parses
        # sentences); the draft size limit is replylint's own (config max-draft-chars)
        doc = segment(self.nlp.tokenizer(masked.text))
        return DocContext(self.compiled, doc, masked, customer)

    def _plan(self, ctx: DocContext, rules: list[Rule]) -> set[int]:
        """Sentences worth parsing up front: where a ``match`` pattern on the parse can match,
        and where an absence rule's trigger can, unless a word shows its requirement is met."""
        wanted = set(ctx.parse_candidates())
        key = self.compiled.key
        for rule in rules:
            if rule.kind != "absence":
                continue
            owner = f"rule:{rule.id}"
            if ctx.cheap_hit(key(owner, "require")):
                continue
            wanted.update(ctx.parse_candidates(key(owner, "trigger")))
            for i in range(len(rule.trigger_all)):
                wanted.update(ctx.parse_candidates(key(owner, f"trigger_all{i}")))
            wanted.update(ctx.parse_candidates(key(owner, "require")))
            if rule.strong is not None:
                wanted.update(ctx.parse_candidates(key(owner, "strong")))
        return wanted

    def _rules(self, skip: tuple[str, ...]) -> list[Rule]:
        """The selected rules less ``skip`` (those the draft's channel turns off)."""
        rules = self._without.get(skip)
        if rules is None:
            rules = self._without[skip] = [r for r in self.selected if r.id not in skip]
        return rules

    def _lint_batch(self, items: Items) -> list[Result]:
        """The gates first (no tokenizing, no parse), then the rules on the drafts they let
        through; the profile of a gated draft has no moves, and its language."""
        verdicts = [self.verdict(item[0]) if self.gates else None for item in items]
        gated = [self._gated(v, item[0]) for v, item in zip(verdicts, items, strict=True)]
        rest = [k for k, g in enumerate(gated) if g is None]
        linted = iter(self._lint_prose([items[k] for k in rest]) if rest else [])
        out: list[Result] = []
        for k, g in enumerate(gated):
            found, profile = (g, NO_MOVES) if g is not None else next(linted)
            verdict = verdicts[k]
            if verdict is not None:
                profile = profile.model_copy(update={"language": verdict.language})
            out.append((found, profile))
        return out

    def _lint_prose(self, items: Items) -> list[Result]:
        masks = [self._mask(item[0]) for item in items]
        # an empty customer message is no customer message
        customers = [self._mask(item[1]) if item[1] else None for item in items]
        # each draft's rules: the selected ones its channel does not turn off
        rules = [self._rules(item[2] if len(item) > 2 else ()) for item in items]
        ctxs = [
            self._context(m, self._context(c) if c is not None else None)
            for m, c in zip(masks, customers, strict=True)
        ]
        # one batch through the tagger and parser for the sentences a pattern will look at
        self._parse(
            [
                (ctx.parses, i)
                for c, r in zip(ctxs, rules, strict=True)
                for ctx in (c, c.customer_context())
                if ctx is not None
                for i in (range(len(ctx.sents)) if self.parse_everything else self._plan(ctx, r))
            ]
        )
        # then evaluate, parsing what the drafts ask for in one go per round
        evaluations = [Evaluation(ctx) for ctx in ctxs]
        results: dict[int, list[RawFinding]] = {}
        profiles: dict[int, Profile] = {}
        pending = list(range(len(ctxs)))
        while pending:
            requests: list[Request] = []
            waiting = []
            for k in pending:
                customer = ctxs[k].customer_context()
                parses = [ctxs[k].parses] + ([customer.parses] if customer else [])
                with collecting(parses, requests):
                    try:
                        if k not in results:
                            results[k] = evaluations[k].run(rules[k])
                        # then the moves, from the same hits (memoised in the context): what
                        # the rules did not need is found now, its parses in the next round.
                        # Only after the findings, so nothing it evaluates first can change them
                        profiles[k] = profile_of(ctxs[k])
                    except NeedParse:
                        waiting.append(k)
            self._parse(list(dict.fromkeys(requests)))
            pending = waiting
        # every suggestion passes the gate before it is offered (rewrite/gate/)
        if self.gate:
            judged = verify(self, ctxs, rules, results, self.summaries)
            if self.judgements is not None:
                self.judgements.extend((ctxs[k], judged[k]) for k in range(len(ctxs)))
        return [(unplaced(m, results[k]), profiles[k]) for k, m in enumerate(masks)]

    def _parse(self, wanted: list[Request]) -> None:
        memo = self.compiled.parses
        if not self.parse_everything:  # sentences met before: no Doc made for them
            todo = []
            for parses, i in wanted:
                known = memo.remembered(parses.key(i), parses.base(i))
                if known is None:
                    todo.append((parses, i))
                else:
                    parses.set(i, known)
            wanted = todo
        docs = [parses.sentence_doc(i) for parses, i in wanted]
        parsed = memo.parse(docs, memo=not self.parse_everything) if docs else []
        for (parses, i), doc in zip(wanted, parsed, strict=True):
            parses.set(i, doc)


# (draft text, customer's message[, the rule ids its channel turns off])
Item = tuple[str, str | None] | tuple[str, str | None, tuple[str, ...]]
Items = list[Item]
Analyse = Callable[[Items], list[Result]]


class Pending(Protocol):
    """Results being computed elsewhere (a worker process's future)."""

    def result(self) -> list[Result]: ...


Submit = Callable[[Items], Pending]


class _Done:
    def __init__(self, value: list[Result]) -> None:
        self.value = value

    def result(self) -> list[Result]:
        return self.value


@dataclass
class _Batch:
    drafts: list[Draft]
    keys: list[str]
    results: list[Result | None]
    todo: list[int]
    pending: Pending | None


def lint_batched(
    drafts: Iterable[Draft],
    analyse: Analyse | None = None,
    *,
    submit: Submit | None = None,
    ahead: int = 0,
    cache: Cache | None = None,
    batch_size: int = BATCH_SIZE,
    max_chars: int = 0,
    skip_of: Callable[[Draft], tuple[str, ...]] | None = None,
) -> Iterator[tuple[Draft, list[Finding], Profile]]:
    """Lint drafts in batches (streaming: memory does not grow with their number), yielding
    ``(draft, findings, profile)`` in input order, the findings placed in the draft's file.
    Findings and profiles come from ``cache`` when it has them, else from ``analyse`` (an
    engine, here) or ``submit`` (worker processes), which see only the misses: a run over
    cached drafts never needs the pipeline. With ``submit``, up to ``ahead`` further batches
    are read and in the workers while one is finished here. A draft longer than
    ``max_chars`` (0: no limit) raises :class:`DraftTooLarge` (the runner reports such drafts
    as file errors and never hands them on). ``skip_of`` names, for a draft, the rules its
    channel turns off: they are not evaluated for it."""

    def start(batch: list[Draft]) -> _Batch:
        skips = [skip_of(d) if skip_of else () for d in batch]
        keys = [
            cache.key(d.text, d.customer, skip) if cache else ""
            for d, skip in zip(batch, skips, strict=True)
        ]
        results: list[Result | None] = cache.get_many(keys) if cache else [None] * len(keys)
        todo = [i for i, r in enumerate(results) if r is None]
        items: Items = [
            (batch[i].text, batch[i].customer, skips[i])
            if skips[i]
            else (batch[i].text, batch[i].customer)
            for i in todo
        ]
        pending: Pending | None = None
        if todo:
            if submit is not None:
                pending = submit(items)
            else:
                assert analyse is not None
                pending = _Done(analyse(items))
        return _Batch(batch, keys, results, todo, pending)

    def finish(done: _Batch) -> Iterator[tuple[Draft, list[Finding], Profile]]:
        computed = done.pending.result() if done.pending is not None else []
        for i, (found, profile) in zip(done.todo, computed, strict=True):
            done.results[i] = (found, profile)
            if cache:
                cache.put(done.keys[i], found, profile)
        for draft, result in zip(done.drafts, done.results, strict=True):
            assert result is not None
            yield draft, place(result[0], draft), result[1]

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
