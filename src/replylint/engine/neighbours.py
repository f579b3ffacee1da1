"""Where a candidate's edited sentences alone decide the gate's verdict
(:func:`alone_will_do`): the ``unless`` windows that read a neighbouring sentence
(:func:`neighbour_unless`) connect an edited sentence with its neighbours; where none does, the
neighbours' hits cannot change and the edited sentences' own summaries are the evidence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..rewrite import gate
from ..rewrite.gate import Pending, Summary
from .kinds import check, existence

if TYPE_CHECKING:
    from .context import DocContext
    from .hits import Hit

_CLOSED = re.compile(r"[.!?…][\"'’”)\]]*\s*$")


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


def core_sents(ctx: DocContext, core: tuple[int, int]) -> frozenset[int]:
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


def _owner_sents(ctx: DocContext, owner: str) -> frozenset[int]:
    """The sentences of :func:`_owner_hits` (worked out once per draft and owner)."""
    memo: dict[str, frozenset[int]] | None = ctx.rewrites.get("gate:owner-sents")
    if memo is None:
        memo = ctx.rewrites["gate:owner-sents"] = {}
    found = memo.get(owner)
    if found is None:
        found = memo[owner] = frozenset(h.sent for h in _owner_hits(ctx, owner))
    return found


def _spec_sents(ctx: DocContext, key: str) -> frozenset[int]:
    """The sentences of ``ctx.spec_hits(key)`` (worked out once per draft and key)."""
    memo: dict[str, frozenset[int]] | None = ctx.rewrites.get("gate:spec-sents")
    if memo is None:
        memo = ctx.rewrites["gate:spec-sents"] = {}
    found = memo.get(key)
    if found is None:
        found = memo[key] = frozenset(h.sent for h in ctx.spec_hits(key))
    return found


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
                not self.sents.isdisjoint(_spec_sents(self.ctx, key)) for key in keys
            )
        return found

    def has(self, owner: str) -> bool:
        found = self._has.get(owner)
        if found is None:
            found = self._has[owner] = not self.sents.isdisjoint(_owner_sents(self.ctx, owner))
        return found


def alone_will_do(ctx: DocContext, p: Pending, was: Summary, now: Summary) -> bool:
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
        if not near.isdisjoint(_owner_sents(ctx, owner)):
            # a neighbour's hit: the edited text may excuse it, or have excused it; an
            # insertion parts it from its other neighbour
            if any(probe.matches(owner) for probe in probes):
                return False
            if between and any(not near.isdisjoint(_spec_sents(ctx, key)) for key in keys):
                return False
        if any(probe.has(owner) for probe in probes) and any(
            not near.isdisjoint(_spec_sents(ctx, key)) for key in keys
        ):
            return False  # a neighbour may excuse the edited text's hits
    return True
