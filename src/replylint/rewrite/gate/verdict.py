"""The gate's dynamic verdict (:func:`judge_dynamic`): a candidate's finding gone and no new
finding of warning or above, read off the summaries of its window before and after the edit
(:class:`Summary`; the draft's own lint, :class:`InContext`; an absence rule's trigger and
requirement, :class:`Lazy`, and outside the window, :func:`absence_outside`); and the records
the engine keeps of each finding's candidates (:class:`Candidate`, :class:`Judged`,
:class:`Pending`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ...models import Severity

if TYPE_CHECKING:
    from ...engine.context import DocContext
    from ...engine.hits import Edit, Hit
    from ...models import Rule


@dataclass
class Candidate:
    """One candidate suggestion of a finding and what the gate said of it (``reason`` "" when
    it passed; ``origin`` says where it came from: ``builder``, ``template`` or
    ``fallback``)."""

    edit: Edit
    origin: str
    reason: str = ""
    checked: bool = False


@dataclass
class Judged:
    """A finding's candidates, in the order they were judged, and the ones it offers."""

    rule: Rule
    hit: Hit
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def offered(self) -> list[Edit]:
        return [c.edit for c in self.candidates if not c.reason]


class Probe(Protocol):
    def matches(self, owner: str) -> bool:
        """Whether the text matches an ``unless`` of ``owner`` that reads a neighbour."""

    def has(self, owner: str) -> bool:
        """Whether ``owner`` (a rule or signal with such an ``unless``) has hits in the text."""


@dataclass
class Summary:
    """What a piece of text gives the rules: per existence/check rule its number of hits, per
    absence rule whether its trigger and its requirement are present."""

    counts: dict[str, int]
    triggered: dict[str, bool]
    required: dict[str, bool]
    # what the text's sentences match of the rules' and signals' ``unless`` windows that read
    # a neighbouring sentence (asked only where a neighbour makes it matter)
    probe: Probe | None = None
    sentences: int = 0  # the sentences of the text (its focus)
    # per absence rule with ``strong`` evidence: whether that evidence is present (else its
    # finding is below warning, its ``weak_severity``)
    strong: dict[str, bool] = field(default_factory=lambda: _Absent())


class _Absent(dict[str, bool]):
    """Nothing known present: every rule answers False."""

    def __missing__(self, rule_id: str) -> bool:
        return False


class Lazy(dict[str, bool]):
    """An absence rule's trigger or requirement in a text (its sentences ``sents`` of the
    context the text was linted in), looked up when asked: proving a signal absent may need
    the parse, so it is asked only where the verdict needs it."""

    def __init__(self, ctx: DocContext, part: str, sents: frozenset[int]) -> None:
        super().__init__()
        self.ctx, self.part, self.sents = ctx, part, sents

    def _in(self, key: str) -> bool:
        ctx = self.ctx
        # a phrase of the spec itself is enough (no check or signal of it need run)
        for a, b in ctx.matches.lexical(key):
            if ctx.sent_index(a) in self.sents and not ctx.masked.in_placeholder(a, b):
                return True
        if _customer_present(ctx, key):
            return True
        return any(h.sent in self.sents for h in ctx.spec_hits(key))

    def __missing__(self, rule_id: str) -> bool:
        key = self.ctx.compiled.key
        owner = f"rule:{rule_id}"
        found = self._in(key(owner, self.part))
        rule = self.ctx.compiled.book.rules[rule_id]
        if not found and self.part == "trigger" and rule.trigger_all:
            found = all(
                self._in(key(owner, f"trigger_all{i}")) for i in range(len(rule.trigger_all))
            )
        self[rule_id] = found
        return found


class InContext(Summary):
    """The window as the draft's own lint saw it (its rules' hits inside the window; an absence
    rule's requirement there, looked up when asked)."""

    def __init__(self, ctx: DocContext, rules: Iterable[Rule], span: tuple[int, int]) -> None:
        a, b = span
        # per rule: its hits' starts and its hits (None: not counted, an absence rule)
        index: dict[str, tuple[list[int], list[Hit]] | None] | None = ctx.rewrites.get(
            "gate:starts"
        )
        if index is None:
            index = ctx.rewrites["gate:starts"] = {}
        counts = {}
        for r in rules:
            if r.id in index:
                entry = index[r.id]
            else:
                entry = None
                if r.kind in ("existence", "check"):
                    # the rule's hits are merged: in text order, not overlapping
                    found = ctx.rule_hits(r)
                    entry = ([h.start for h in found], found)
                index[r.id] = entry
            if entry is None:
                continue
            starts, hits = entry
            if not starts:
                counts[r.id] = 0
                continue
            lo = bisect.bisect_left(starts, a)
            hi = bisect.bisect_left(starts, b)
            counts[r.id] = sum(1 for h in hits[lo:hi] if h.end <= b)
        super().__init__(counts, {}, {})  # (its absence rules are read from the draft)


@dataclass
class Pending:
    """A candidate waiting for its dynamic check: its window (``span``, masked text) with its
    core (the edited sentences) and the window's texts before and after the edit."""

    judged: Judged
    candidate: Candidate
    ctx: DocContext
    span: tuple[int, int]  # the window whose hits are compared (the focus)
    core: tuple[int, int]  # the sentences the edit and the finding touch
    before: str
    after: str
    after_focus: tuple[int, int]  # the focus in ``after``


def absence_outside(ctx: DocContext, rule: Rule, span: tuple[int, int]) -> tuple[bool, bool]:
    """:func:`_absence_outside`, remembered per draft, rule and window."""
    memo: dict[tuple[str, int, int], tuple[bool, bool]] | None = ctx.rewrites.get("gate:outside")
    if memo is None:
        memo = ctx.rewrites["gate:outside"] = {}
    key = (rule.id, *span)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _absence_outside(ctx, rule, span)
    return found


def _absence_outside(ctx: DocContext, rule: Rule, span: tuple[int, int]) -> tuple[bool, bool]:
    """Whether ``rule``'s trigger and requirement are present in the draft outside the
    window ``span`` (the customer's signals count: the edit cannot change them). A word of
    the spec outside the window answers without the parse."""
    key = ctx.compiled.key
    owner = f"rule:{rule.id}"
    a, b = span

    def outside(k: str) -> bool:
        spec = ctx.compiled.specs[k]
        if not (spec.signals or spec.rules or spec.checks) and any(
            (e <= a or s >= b) and not ctx.masked.in_placeholder(s, e)
            for s, e in ctx.matches.lexical(k)
        ):
            return True
        if _customer_present(ctx, k):
            return True
        return any(h.end <= a or h.start >= b for h in ctx.spec_hits(k))

    required = outside(key(owner, "require"))
    if required:
        return True, True  # (the trigger does not matter then)
    triggered = outside(key(owner, "trigger"))
    if not triggered and rule.trigger_all:
        triggered = all(
            outside(key(owner, f"trigger_all{i}")) for i in range(len(rule.trigger_all))
        )
    return triggered, required


def strong_outside(ctx: DocContext, rule: Rule, span: tuple[int, int]) -> bool:
    """Whether ``rule``'s ``strong`` evidence is present in the draft outside the window
    ``span`` (or in the customer's message), remembered per draft, rule and window."""
    memo: dict[tuple[str, int, int], bool] | None = ctx.rewrites.get("gate:strong")
    if memo is None:
        memo = ctx.rewrites["gate:strong"] = {}
    at = (rule.id, *span)
    found = memo.get(at)
    if found is None:
        k = ctx.compiled.key(f"rule:{rule.id}", "strong")
        a, b = span
        found = _customer_present(ctx, k) or any(
            h.end <= a or h.start >= b for h in ctx.spec_hits(k)
        )
        memo[at] = found
    return found


def _customer_present(ctx: DocContext, key: str) -> bool:
    names = ctx.compiled.specs[key].customer_signals
    cctx = ctx.customer_context() if names else None
    return cctx is not None and any(cctx.signal(n) for n in names)


def judge_dynamic(
    p: Pending,
    before: Summary,
    after: Summary,
    rules: Iterable[Rule],
    fired: set[str],
) -> str:
    """The dynamic verdict of a candidate from the summaries of its window before and after
    the edit (and, for a document-level rule where they cannot decide, the draft outside the
    window: asked only then)."""
    own = p.judged.rule
    empty = p.core[0] == p.core[1]
    for rule in rules:
        mine = rule.id == own.id
        if rule.kind == "absence":
            if not mine and (rule.id in fired or rule.severity.rank < _WARNING):
                continue  # not new, or not judged
            if mine:
                # it fired: its requirement was nowhere, its trigger somewhere (still there when
                # nothing was removed); gone if the new text brings the requirement
                if after.required[rule.id]:
                    continue
                trig = empty or after.triggered[rule.id]
                if not trig:
                    trig = absence_outside(p.ctx, rule, p.span)[0]
                if trig:
                    return "re-lint: its finding is still there"
                continue
            # it did not fire: it fires now only if its requirement is nowhere (not outside
            # the window, not in the new text) and its trigger somewhere
            trig_out, req_out = absence_outside(p.ctx, rule, p.span)
            if req_out or after.required[rule.id]:
                continue
            if trig_out or after.triggered[rule.id]:
                # (the evidence outside the edited sentences: the window's neighbours too)
                if rule.strong is not None and not (
                    after.strong[rule.id] or strong_outside(p.ctx, rule, p.core)
                ):
                    continue  # without its strong evidence the finding is below warning
                return f"re-lint: adds a {rule.id} finding"
            continue
        b, a = before.counts.get(rule.id, 0), after.counts.get(rule.id, 0)
        if mine and a >= b:
            return "re-lint: its finding is still there"
        if not mine and a > b and rule.severity.rank >= _WARNING:
            return f"re-lint: adds a {rule.id} finding"
    return ""


_WARNING = Severity.WARNING.rank
