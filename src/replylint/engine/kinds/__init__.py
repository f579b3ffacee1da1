"""The rule kinds: where each finds its hits (one module each), and a rule's findings.

- ``existence`` (existence.py): where the rule's ``match`` spec matches;
- ``check`` (check.py): where its named Python check says;
- ``absence`` (absence.py): once, when a trigger is present and a requirement is not;
- ``suppression``: never here (the run's finish step makes unused-suppression's findings);
- ``gate``: never here (the engine asks the gates before any rule: ``language.py``).

An existence or check rule's hits (:func:`rule_hits`, which other rules' specs may name) are
its match's and its check's, merged, less those an ``unless`` window excuses, only the first
of a sentence with ``once_per: sentence``. :class:`Evaluation` turns a draft's hits of the
selected rules into findings with the rules' suggestions (``rewrite.suggest``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import rewrite
from ..hits import Hit, NeedParse, RawFinding, merge
from . import absence, check, existence

if TYPE_CHECKING:
    from ...models import Rule
    from ..context import DocContext
    from ..hits import Edit


def rule_hits(ctx: DocContext, rule: Rule) -> list[Hit]:
    """Where an existence or check rule matches (before selection, for other rules' use)."""
    hits = merge([*existence.hits(ctx, rule), *check.hits(ctx, rule)])
    owner = f"rule:{rule.id}"
    found = [h for h in hits if not ctx.excused(h, owner, rule.unless)]
    if rule.once_per == "sentence":
        firsts: dict[int, Hit] = {}
        for h in found:
            firsts.setdefault(h.sent, h)
        found = list(firsts.values())
    return found


def hits(ctx: DocContext, rule: Rule) -> list[Hit]:
    """Where ``rule`` fires in the draft."""
    if rule.kind in ("suppression", "gate"):
        return []
    return absence.hits(ctx, rule) if rule.kind == "absence" else ctx.rule_hits(rule)


class Evaluation:
    """A draft's findings, rule by rule, each with its suggestions.

    While the engine collects parse requests (``parse.collecting``), a suggestion that needs
    a sentence parsed does not stop the others: each records what it needs,
    :class:`NeedParse` is raised once at the end, and what was done is kept for the next call
    (so a long draft takes a few rounds, not one a finding, each redoing the findings before
    it)."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self._done: dict[str, list[RawFinding]] = {}  # a rule's findings, once complete
        self._edits: dict[str, dict[int, list[Edit]]] = {}  # … the suggestions made so far
        self._hits: dict[str, list[Hit]] = {}  # … and the hits they are for

    def run(self, rules: list[Rule]) -> list[RawFinding]:
        """The findings of ``rules``, in their order; every rule records what it needs parsed
        before :class:`NeedParse` is raised."""
        found: list[RawFinding] = []
        missing = False
        for rule in rules:
            try:
                found.extend(self.findings(rule))
            except NeedParse:
                missing = True
        if missing:
            raise NeedParse
        return found

    def findings(self, rule: Rule) -> list[RawFinding]:
        """The rule's findings, with their suggestions."""
        done = self._done.get(rule.id)
        if done is not None:
            return done
        ctx = self.ctx
        found = self._hits.get(rule.id)
        if found is None:
            found = self._hits[rule.id] = hits(ctx, rule)
        edits = self._edits.setdefault(rule.id, {})
        waiting = False
        for k, h in enumerate(found):
            if k in edits:
                continue
            try:
                edits[k] = rewrite.suggest(ctx, rule, h)
            except NeedParse:
                if ctx.parses.requests is None:
                    raise
                waiting = True
        if waiting:
            raise NeedParse
        done = [
            RawFinding(rule, h.start, h.end, edits[k], h.data.get("severity"))
            for k, h in enumerate(found)
        ]
        self._done[rule.id] = done
        del self._edits[rule.id], self._hits[rule.id]
        return done
