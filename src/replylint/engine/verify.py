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
from ..rewrite import gate
from ..rewrite.gate import Candidate, Judged, Pending, Summary
from .hits import Hit, NeedParse
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
    kind, name = owner.split(":", 1)
    if kind == "signal":
        return ctx.signal(name)
    return ctx.rule_hits(ctx.compiled.book.rules[name])


def _neighbours_excuse(ctx: DocContext, core: tuple[int, int], owners: frozenset[str]) -> bool:
    """Whether a sentence next to ``core`` in the draft matches an ``unless`` of ``owners``."""
    if not owners or not ctx.sents:
        return False
    a, b = core
    first = ctx.sent_index(a)
    last = ctx.sent_index(max(a, b - 1)) if b > a else first
    near = {first - 1, last + 1} if b > a else {first - 1, first, first + 1}
    table = neighbour_unless(ctx)
    return any(
        h.sent in near for owner in owners for key in table[owner] for h in ctx.spec_hits(key)
    )


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
        # what matches an ``unless`` reading a neighbouring sentence, and whose hits such an
        # ``unless`` may excuse
        touching: set[int] = set()
        exposed: list[set[str]] = [set() for _ in chunk]
        for owner, keys in neighbour_unless(ctx).items():
            for key in keys:
                for h in ctx.spec_hits(key):
                    if h.sent < len(where) and where[h.sent] >= 0 and core[h.sent]:
                        touching.add(where[h.sent])
            for h in _owner_hits(ctx, owner):
                if h.sent < len(where) and where[h.sent] >= 0 and core[h.sent]:
                    exposed[where[h.sent]].add(owner)
        # the absence rules' triggers and requirements: looked up when the verdict asks
        out: list[Summary] = []
        for w in range(len(chunk)):
            sents = frozenset(i for i, x in enumerate(where) if x == w and core[i])
            out.append(
                gate.Summary(
                    counts[w],
                    gate.Lazy(ctx, "trigger", sents),
                    gate.Lazy(ctx, "require", sents),
                    w in touching,
                    frozenset(exposed[w]),
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
    # first the edited sentences on their own, before and after (remembered by text: a
    # template's text, or a sentence met in another draft, is linted once); where neither
    # matches an ``unless`` that reads a neighbouring sentence, the neighbours' hits cannot
    # change, and that is the verdict's evidence
    wanted: list[Window] = []
    for k, p in pending:
        old, new = gate.core_texts(ctxs[k], p.core, p.candidate.edit)
        customer = ctxs[k].customer_context()
        wanted += [(old, (0, len(old)), customer), (new, (0, len(new)), customer)]
    quick = summaries.get(wanted, [rs for rs in sets for _ in (0, 1)])
    evidence: list[tuple[Summary, Summary]] = [
        (quick[2 * n], quick[2 * n + 1]) for n in range(len(pending))
    ]

    def local(n: int, k: int, p: Pending) -> Callable[[], bool]:
        was, now = evidence[n]
        old, new = gate.core_texts(ctxs[k], p.core, p.candidate.edit)
        # the sentences next to the edit stay next to the same ones: as many sentences, ending
        # as they did (a slot without a full stop would merge with the next sentence)
        same_shape = was.sentences == now.sentences and bool(_CLOSED.search(old)) == bool(
            _CLOSED.search(new)
        )
        # a sentence inserted between two: they stop being neighbours, which matters only
        # where an ``unless`` there reads the next or previous sentence
        between = p.core[0] == p.core[1]
        every = frozenset(neighbour_unless(ctxs[k]))
        return lambda: (
            (same_shape or (between and not _neighbours_excuse(ctxs[k], p.core, every)))
            and not (
                was.touches
                or now.touches
                or p.core == (0, len(p.ctx.text))
                or _neighbours_excuse(ctx=ctxs[k], core=p.core, owners=was.exposed | now.exposed)
            )
        )

    alone = settle(
        engine,
        [ctxs[k] for k, _ in pending],
        [local(n, k, p) for n, (k, p) in enumerate(pending)],
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
        afters = summaries.get(
            [
                (
                    pending[n][1].after,
                    pending[n][1].after_focus,
                    ctxs[pending[n][0]].customer_context(),
                )
                for n in wide
            ],
            [sets[n] for n in wide],
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
