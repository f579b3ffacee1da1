"""The suggestion gate, run by the engine on a batch of drafts after their rules (see
``rewrite/gate.py`` for what it checks): every path that lints (CLI, library, server, fix, the
language server, workers) gets only suggestions that passed.

The dynamic check lints small texts (the sentences an edit touches, before and after it); those
are linted together, a batch at a time, with the parse memo (a sentence parsed before is not
parsed again), and their summaries are remembered by text (:class:`Summaries`), so a sentence
seen in an earlier draft or candidate costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ..models import Severity
from ..params import CHECK_KINDS
from ..rewrite import gate
from ..rewrite.gate import Candidate, Judged, Pending, Summary
from .hits import Hit, NeedParse
from .kinds import check, existence
from .kinds import hits as rule_hits
from .parse import Request, collecting

if TYPE_CHECKING:
    from ..models import Rule
    from .batch import Engine
    from .context import DocContext
    from .hits import RawFinding

T = TypeVar("T")
MEMO_SIZE = 20_000
_CLOSED = re.compile(r"[.!?…][\"'’”)\]]*\s*$")
WARNING = Severity.WARNING.rank


def settle(
    engine: Engine,
    ctxs: list[DocContext],
    work: list[Callable[[], T]],
    more: list[list[DocContext]] | None = None,
) -> list[T]:
    """Each ``work[k]()`` (on ``ctxs[k]``, and ``more[k]`` too), parsing what they ask for in
    one go per round."""
    done: dict[int, T] = {}
    pending = list(range(len(work)))
    while pending:
        requests: list[Request] = []
        waiting = []
        for k in pending:
            ctx = ctxs[k]
            customer = ctx.customer_context()
            parses = [ctx.parses] + ([customer.parses] if customer else [])
            if more is not None:
                parses += [c.parses for c in more[k]]
            with collecting(parses, requests):
                try:
                    done[k] = work[k]()
                except NeedParse:
                    waiting.append(k)
        if waiting and not requests:  # nothing to parse: asking again would loop
            raise RuntimeError("the gate's work asked for no parse and cannot finish")
        if requests:
            engine._parse(list(dict.fromkeys(requests)))
        pending = waiting
    return [done[k] for k in range(len(work))]


# between the windows linted together: a sentence of its own that no rule reads, so that no
# ``unless`` window of one reaches into the next
SEPARATOR = "\n\n---\n\n"
CHUNK = 64  # windows linted together at most


Window = tuple[str, tuple[int, int], "DocContext | None"]  # text, its core, the customer


class Summaries:
    """Window texts summarised for the rules (:class:`gate.Summary`): the hits of each
    existence and check rule in the window's core, and whether each absence rule's trigger and
    requirement are anywhere in the window; remembered by text, core, customer and rule set.
    The windows a batch asks for are linted together, a few dozen in one context (one
    tokenizer call, one pass of each rule), told apart by sentence: the rules counted are
    sentence-local (existence and check rules of warning and above), separators keep one
    window's ``unless`` from reading the next. A window judged for a document-level check
    below warning (missing-greeting, we-focus) is linted on its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.memo: dict[tuple[str, tuple[int, int], str, tuple[str, ...]], Summary] = {}

    def get(self, wanted: list[Window], rules: list[list[Rule]]) -> list[Summary]:
        keys = [
            (text, core, c.masked.original if c is not None else "", tuple(r.id for r in rs))
            for (text, core, c), rs in zip(wanted, rules, strict=True)
        ]
        missing: dict[tuple[str, tuple[int, int], str, tuple[str, ...]], int] = {}
        for n, key in enumerate(keys):
            if key not in self.memo and key not in missing:
                missing[key] = n
        if missing:
            if len(self.memo) + len(missing) > MEMO_SIZE:
                self.memo.clear()
            alone: list[int] = []
            groups: dict[int, list[int]] = {}
            for n in missing.values():
                text = wanted[n][0]
                if not text.strip():
                    self.memo[keys[n]] = gate.Summary({}, _Never(), _Never())
                elif "---" in text or any(
                    r.kind == "check" and r.severity.rank < WARNING for r in rules[n]
                ):
                    alone.append(n)
                else:
                    groups.setdefault(id(wanted[n][2]), []).append(n)
            jobs: list[tuple[DocContext, list[int], list[Rule]]] = []
            for n in alone:
                jobs.append((self._context([n], wanted), [n], rules[n]))
            for members in groups.values():
                for c in range(0, len(members), CHUNK):
                    chunk = members[c : c + CHUNK]
                    union = list({r.id: r for n in chunk for r in rules[n]}.values())
                    jobs.append((self._context(chunk, wanted), chunk, union))
            found = settle(
                self.engine,
                [ctx for ctx, _, _ in jobs],
                [_summarise(ctx, chunk, wanted, rs) for ctx, chunk, rs in jobs],
            )
            for (_, chunk, _), summaries in zip(jobs, found, strict=True):
                if len(summaries) != len(chunk):  # the windows were not told apart: alone
                    again = [(self._context([n], wanted), n) for n in chunk]
                    summaries = [
                        s[0]
                        for s in settle(
                            self.engine,
                            [ctx for ctx, _ in again],
                            [_summarise(ctx, [n], wanted, rules[n]) for ctx, n in again],
                        )
                    ]
                for n, summary in zip(chunk, summaries, strict=True):
                    self.memo[keys[n]] = summary
        return [self.memo[k] for k in keys]

    def _context(self, chunk: list[int], wanted: list[Window]) -> DocContext:
        text = SEPARATOR.join(wanted[n][0] for n in chunk)
        return self.engine._context(self.engine._mask(text), wanted[chunk[0]][2])


_NEIGHBOURS: dict[int, dict[str, tuple[str, ...]]] = {}


def neighbour_unless(ctx: DocContext) -> dict[str, tuple[str, ...]]:
    """The rules and signals with an ``unless`` window that reads a neighbouring sentence
    (owner -> the specs of those windows): a text matching such a spec may change the hits
    next to it, and a neighbour matching one may excuse the owner's hits in the text."""
    compiled = ctx.compiled
    found = _NEIGHBOURS.get(id(compiled))
    if found is None:
        book = compiled.book
        found = {}
        owners = [(f"rule:{r.id}", r.unless) for r in book.rules.values()]
        owners += [(f"signal:{name}", sig.unless) for name, sig in book.signals.items()]
        for owner, unless in owners:
            keys = tuple(
                compiled.key(owner, f"unless{i}")
                for i, u in enumerate(unless)
                if u.window in ("sentence+next", "sentence+previous")
            )
            if keys:
                found[owner] = keys
        _NEIGHBOURS[id(compiled)] = found
    return found


def _owner_hits(ctx: DocContext, owner: str) -> list[Hit]:
    """Where a rule or signal matches, before its ``unless`` windows excuse anything (a hit
    excused by the edited sentence may stand once it is edited)."""
    kind, name = owner.split(":", 1)
    if kind == "signal":
        return ctx.spec_hits(ctx.compiled.key(owner, "match"))
    rule = ctx.compiled.book.rules[name]
    return [*existence.hits(ctx, rule), *check.hits(ctx, rule)]


def _summaries(
    summaries: Summaries,
    wanted: list[Window],
    sets: list[list[Rule]],
    pending: list[tuple[int, Pending]],
) -> list[Summary]:
    """``summaries.get``, but a finding's own check below warning that reads the draft as a
    whole or its first line (missing-greeting, we-focus) is counted on its text alone, with
    that rule only, and the rules of warning and above with the other windows."""
    own = [p.judged.rule for _, p in pending]
    special = [n for n, r in enumerate(own) if r.kind == "check" and r.severity.rank < WARNING]
    if not special:
        return summaries.get(wanted, sets)
    rest = [[r for r in rs if r.severity.rank >= WARNING] for rs in sets]
    found = summaries.get(wanted, rest)
    texts: list[Window] = []
    for n in special:
        text, focus, customer = wanted[n]
        kind = CHECK_KINDS.get(own[n].check or "")
        if kind is not None and kind.first_line:  # only its first line matters to it
            line = next((x for x in text.splitlines() if x.strip()), "")
            text, focus = line, (0, len(line))
        texts.append((text, focus, customer))
    alone = summaries.get(texts, [[own[n]] for n in special])
    for n, one in zip(special, alone, strict=True):
        merged = dict(found[n].counts)
        merged[own[n].id] = one.counts.get(own[n].id, 0)
        found[n] = gate.Summary(
            merged, found[n].triggered, found[n].required, found[n].probe, found[n].sentences
        )
    return found


def _core_sents(ctx: DocContext, core: tuple[int, int]) -> frozenset[int]:
    """The sentences of ``ctx`` that ``core`` covers (none for an empty core)."""
    a, b = core
    if a == b or not ctx.sents:
        return frozenset()
    return frozenset(range(ctx.sent_index(a), ctx.sent_index(max(a, b - 1)) + 1))


def _near(ctx: DocContext, core: tuple[int, int]) -> set[int]:
    """The sentences next to ``core`` (for an insertion between sentences: the ones around)."""
    a, b = core
    first = ctx.sent_index(a)
    last = ctx.sent_index(max(a, b - 1)) if b > a else first
    return {first - 1, last + 1} if b > a else {first - 1, first, first + 1}


def _near_hits(ctx: DocContext, near: set[int], hits: list[Hit]) -> bool:
    return any(h.sent in near for h in hits)


class Probe:
    """What a window's sentences ``sents`` of ``ctx`` match of the ``unless`` windows that read
    a neighbouring sentence, and which of their owners have hits there (looked up once)."""

    def __init__(self, ctx: DocContext, sents: frozenset[int]) -> None:
        self.ctx, self.sents = ctx, sents
        self._matches: dict[str, bool] = {}
        self._has: dict[str, bool] = {}

    def matches(self, owner: str) -> bool:
        found = self._matches.get(owner)
        if found is None:
            keys = neighbour_unless(self.ctx)[owner]
            found = self._matches[owner] = any(
                h.sent in self.sents for key in keys for h in self.ctx.spec_hits(key)
            )
        return found

    def has(self, owner: str) -> bool:
        found = self._has.get(owner)
        if found is None:
            found = self._has[owner] = any(
                h.sent in self.sents for h in _owner_hits(self.ctx, owner)
            )
        return found


def _alone_will_do(ctx: DocContext, p: Pending, was: Summary, now: Summary) -> bool:
    """Whether the edited sentences on their own (``was``, ``now``) decide the verdict: the
    hits of their neighbours cannot change, nor can the neighbours excuse theirs."""
    old, new = gate.core_texts(ctx, p.core, p.candidate.edit)
    if p.core == (0, len(ctx.text)) or (was.probe is None and old.strip()):
        return False
    between = p.core[0] == p.core[1]
    # as many sentences, ending as they did (a slot without a full stop would merge with the
    # next sentence): the neighbours stay next to the same text
    same_shape = was.sentences == now.sentences and bool(_CLOSED.search(old)) == bool(
        _CLOSED.search(new)
    )
    if not same_shape and not between:
        return False
    near = _near(ctx, p.core)
    table = neighbour_unless(ctx)
    probes = [x.probe for x in (was, now) if x.probe is not None]
    for owner, keys in table.items():
        if _near_hits(ctx, near, _owner_hits(ctx, owner)):
            # a neighbour's hit: the edited text may excuse it, or have excused it; an
            # insertion parts it from its other neighbour
            if any(probe.matches(owner) for probe in probes):
                return False
            if between and any(_near_hits(ctx, near, ctx.spec_hits(key)) for key in keys):
                return False
        if any(probe.has(owner) for probe in probes) and any(
            _near_hits(ctx, near, ctx.spec_hits(key)) for key in keys
        ):
            return False  # a neighbour may excuse the edited text's hits
    return True


class _Never(dict[str, bool]):
    def __missing__(self, rule_id: str) -> bool:
        return False


def _summarise(
    ctx: DocContext, chunk: list[int], wanted: list[Window], rules: list[Rule]
) -> Callable[[], list[Summary]]:
    def run() -> list[Summary]:
        # each sentence's window (-1: a separator) and whether it is in the window's core
        where: list[int] = []
        core: list[bool] = []
        starts, k, at = [], 0, 0
        for n in chunk:
            starts.append(at)
            at += len(wanted[n][0]) + len(SEPARATOR)
        mapped = ctx.masked.offsets.span_to_original
        for sent, text in zip(ctx.sents, ctx.sent_texts, strict=True):
            if text.strip() == "---":
                where.append(-1)
                core.append(False)
                k += 1
                continue
            where.append(k)
            if k >= len(chunk):
                return []
            a, b = mapped(sent.start_char, sent.end_char)
            ca, cb = wanted[chunk[k]][1]
            ca, cb = ca + starts[k], cb + starts[k]
            core.append(a < cb and ca < b)
        if k + 1 != len(chunk):
            return []
        counts: list[dict[str, int]] = [{} for _ in chunk]
        for r in rules:
            if r.kind not in ("existence", "check"):
                continue
            for c in counts:
                c[r.id] = 0
            for h in rule_hits(ctx, r):
                if h.sent < len(where) and where[h.sent] >= 0 and core[h.sent]:
                    counts[where[h.sent]][r.id] += 1
        # the absence rules' triggers and requirements: looked up when the verdict asks
        out: list[Summary] = []
        for w in range(len(chunk)):
            sents = frozenset(i for i, x in enumerate(where) if x == w and core[i])
            out.append(
                gate.Summary(
                    counts[w],
                    gate.Lazy(ctx, "trigger", sents),
                    gate.Lazy(ctx, "require", sents),
                    Probe(ctx, sents),
                    len(sents),
                )
            )
        return out

    return run


def verify(
    engine: Engine,
    ctxs: list[DocContext],
    rules: list[list[Rule]],
    results: dict[int, list[RawFinding]],
    summaries: Summaries,
) -> dict[int, list[Judged]]:
    """Pass every suggestion of ``results`` (by draft) through the gate; their edits are
    replaced by those offered. Returns each draft's judged findings (for the reasons)."""
    judged: dict[int, list[Judged]] = {k: [] for k in results}
    for k, raw in results.items():
        for r in raw:
            if not r.edits:
                judged[k].append(Judged(r.rule, _hit_of(ctxs[k], r)))
                continue
            origin = "template" if r.rule.rewrite and r.rule.rewrite.template else "builder"
            j = Judged(r.rule, _hit_of(ctxs[k], r))
            j.candidates = [Candidate(gate.honest(e, origin), origin) for e in r.edits]
            judged[k].append(j)
    # two passes: the candidates, then the fallbacks of the findings left with none
    for last in (False, True):
        todo: list[tuple[int, Candidate, Judged]] = [
            (k, c, j)
            for k, js in judged.items()
            for j in js
            for c in j.candidates
            if c.reason == "" and not c.checked
        ]
        _check(engine, ctxs, rules, results, judged, todo, summaries)
        if last:
            break
        added = False
        for k, js in judged.items():
            for j in js:
                if j.candidates and not j.offered:
                    alt = gate.fallback(ctxs[k], j.rule, j.hit)
                    if alt is not None and all(
                        (alt.start, alt.end, alt.replacement)
                        != (c.edit.start, c.edit.end, c.edit.replacement)
                        for c in j.candidates
                    ):
                        j.candidates.append(Candidate(alt, "fallback"))
                        added = True
        if not added:
            break
    for k, raw in results.items():
        for r, j in zip(raw, judged[k], strict=True):
            r.edits = j.offered
    return judged


def _hit_of(ctx: DocContext, r: RawFinding) -> Hit:
    return Hit(r.start, r.end, ctx.sent_index(r.start))


def _check(
    engine: Engine,
    ctxs: list[DocContext],
    rules: list[list[Rule]],
    results: dict[int, list[RawFinding]],
    judged: dict[int, list[Judged]],
    todo: list[tuple[int, Candidate, Judged]],
    summaries: Summaries,
) -> None:
    if not todo:
        return

    # the static checks: text only, and the draft's own lint (no parse)
    pending: list[tuple[int, Pending]] = []
    for k, c, j in todo:
        c.checked = True
        c.reason = gate.static_reason(ctxs[k], j.rule, j.hit, c.edit, c.origin)
        if not c.reason:
            # the hits compared: in the sentences the edit touches and their neighbours, whose
            # ``unless`` windows read them; linted with one more sentence each side, so those
            # neighbours' own windows are whole too
            core = gate.window(ctxs[k], j.rule, j.hit, c.edit)
            focus = gate.widened(ctxs[k], core, 1)
            text_span = gate.widened(ctxs[k], core, 2)
            before, after, at = gate.texts_of(ctxs[k], text_span, focus, c.edit)
            pending.append((k, Pending(j, c, ctxs[k], focus, core, before, after, at)))
    if not pending:
        return
    # what the verdict reads: the rules of warning and above, and the finding's own
    sets: list[list[Rule]] = []
    warnings: dict[int, list[Rule]] = {}
    for k, p in pending:
        base = warnings.get(k)
        if base is None:
            base = warnings[k] = [r for r in rules[k] if r.severity.rank >= WARNING]
        own = p.judged.rule
        sets.append(base if own.severity.rank >= WARNING else [*base, own])
    # first the edited sentences: before the edit as the draft's own lint saw them, after it
    # linted on their own (remembered by text: a template's text, or a sentence met in another
    # draft, is linted once). Where no ``unless`` that reads a neighbouring sentence connects
    # them with their neighbours, the neighbours' hits cannot change, the draft's own lint of
    # the edited sentences is what they give alone, and that is the verdict's evidence
    wanted: list[Window] = []
    for k, p in pending:
        _, new = gate.core_texts(ctxs[k], p.core, p.candidate.edit)
        wanted.append((new, (0, len(new)), ctxs[k].customer_context()))
    nows = _summaries(summaries, wanted, sets, pending)
    evidence: list[tuple[Summary, Summary]] = []
    for n, (k, p) in enumerate(pending):
        was = gate.InContext(ctxs[k], sets[n], p.core)
        sents = _core_sents(ctxs[k], p.core)
        was.probe, was.sentences = Probe(ctxs[k], sents), len(sents)
        evidence.append((was, nows[n]))

    def local(n: int, k: int, p: Pending) -> Callable[[], bool]:
        was, now = evidence[n]
        return lambda: _alone_will_do(ctxs[k], p, was, now)

    alone = settle(
        engine,
        [ctxs[k] for k, _ in pending],
        [local(n, k, p) for n, (k, p) in enumerate(pending)],
        [[x.probe.ctx for x in ev if isinstance(x.probe, Probe)] for ev in evidence],
    )
    wide: list[int] = []
    for n, ((_, p), ok) in enumerate(zip(pending, alone, strict=True)):
        if ok:
            p.span = p.core
        else:
            wide.append(n)
    # else the sentences around them too: the neighbours' hits compared, linted with one more
    # sentence each side (so their own ``unless`` windows are whole), the draft's own lint
    # saying what was there before
    if wide:
        afters = _summaries(
            summaries,
            [
                (
                    pending[n][1].after,
                    pending[n][1].after_focus,
                    ctxs[pending[n][0]].customer_context(),
                )
                for n in wide
            ],
            [sets[n] for n in wide],
            [pending[n] for n in wide],
        )
        for n, summary in zip(wide, afters, strict=True):
            k, p = pending[n]
            evidence[n] = (gate.InContext(ctxs[k], sets[n], p.span), summary)
    fired = {k: {r.rule.id for r in results[k]} for k in {k for k, _ in pending}}

    # the verdicts (a document-level rule may ask about the draft outside the window)
    def judge(n: int, k: int, p: Pending) -> Callable[[], str]:
        was, now = evidence[n]
        return lambda: gate.judge_dynamic(p, was, now, sets[n], fired[k])

    verdicts = settle(
        engine,
        [ctxs[k] for k, _ in pending],
        [judge(n, k, p) for n, (k, p) in enumerate(pending)],
        [[x.required.ctx for x in ev if isinstance(x.required, gate.Lazy)] for ev in evidence],
    )
    for (_, p), verdict in zip(pending, verdicts, strict=True):
        p.candidate.reason = verdict


def explain(
    engine: Engine, items: list[tuple[str, str | None, tuple[str, ...]]]
) -> list[tuple[DocContext, list[Judged]]]:
    """Lint ``items`` (text, customer, rules to skip) recording what the gate said of every
    candidate suggestion: each draft's context and judged findings, in input order (a draft
    the language gates stop has none)."""
    engine.judgements = []
    try:
        engine.analyse(list(items))
        return engine.judgements
    finally:
        engine.judgements = None
