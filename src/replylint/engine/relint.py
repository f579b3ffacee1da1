"""The suggestion gate's re-lints (``engine/verify.py``): small texts (the sentences an edit
touches, after it) linted together, a batch at a time, with the parse memo (a sentence parsed
before is not parsed again), and summarised for the gate's verdict (:class:`Summaries`,
remembered by text, so a sentence seen in an earlier draft or candidate costs nothing);
:func:`settle` runs work that may ask for the parse, parsing what it asks for in one go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ..models import Severity
from ..params import CHECK_KINDS
from ..rewrite import gate
from ..rewrite.gate import Pending, Summary
from .hits import NeedParse
from .kinds import hits as rule_hits
from .neighbours import Probe
from .parse import Request, collecting

if TYPE_CHECKING:
    from ..models import Rule
    from .batch import Engine
    from .context import DocContext

T = TypeVar("T")
MEMO_SIZE = 20_000
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
        ctx = self.engine._context(self.engine._mask(text), wanted[chunk[0]][2])
        if len(chunk) > 1:  # one window's "document" is its own part, never its neighbours'
            part, parts = 0, []
            for sent in ctx.sent_texts:
                part += sent.strip() == "---"
                parts.append(part)
            ctx.parts = parts
        return ctx


def window_summaries(
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
            merged,
            found[n].triggered,
            found[n].required,
            found[n].probe,
            found[n].sentences,
            found[n].strong,
        )
    return found


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
                    gate.Lazy(ctx, "strong", sents),
                )
            )
        return out

    return run
