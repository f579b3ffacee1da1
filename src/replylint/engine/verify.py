"""The suggestion gate, run by the engine on a batch of drafts after their rules (see
``rewrite/gate/`` for what it checks): every path that lints (CLI, library, server, fix, the
language server, workers) gets only suggestions that passed.

The dynamic check lints small texts (the sentences an edit touches, before and after it); those
are linted together, a batch at a time, with the parse memo (a sentence parsed before is not
parsed again), and their summaries are remembered by text (:class:`Summaries`), so a sentence
seen in an earlier draft or candidate costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..rewrite import gate
from ..rewrite.gate import Candidate, Judged, Pending, Summary
from .hits import Hit
from .neighbours import Probe, alone_will_do, core_sents
from .relint import WARNING, Summaries, Window, settle, window_summaries

if TYPE_CHECKING:
    from ..models import Rule
    from .batch import Engine
    from .context import DocContext
    from .hits import RawFinding


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
    nows = window_summaries(summaries, wanted, sets, pending)
    evidence: list[tuple[Summary, Summary]] = []
    for n, (k, p) in enumerate(pending):
        was = gate.InContext(ctxs[k], sets[n], p.core)
        sents = core_sents(ctxs[k], p.core)
        was.probe, was.sentences = Probe(ctxs[k], sents), len(sents)
        evidence.append((was, nows[n]))

    def local(n: int, k: int, p: Pending) -> Callable[[], bool]:
        was, now = evidence[n]
        return lambda: alone_will_do(ctxs[k], p, was, now)

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
        afters = window_summaries(
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
