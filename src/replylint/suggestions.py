"""What the suggestion gate said, for rule authors: every candidate suggestion of a finding and
why it was refused (``replylint check --explain-suggestions``), and the rewrite corpus measured
(``replylint eval --rewrites CORPUS``: per builder, findings with a suggestion, the gate's pass
rate, fallbacks, dropped, exact matches against each finding's expected suggestion).

A rewrite corpus is a folder of YAML files, each a list of cases (tests/rewrites/README.md)::

    - id: rw-social-001
      channel: social
      customer: "…"            # optional
      text: "…the draft…"
      expect:
        - rule: bare-policy
          suggestion: "exact replacement" | "" (delete the span) | template | none
          span: "the draft text it replaces"   # "" for an insertion
          at: "text the insertion follows" | start | end
          accept: [other right answers]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .models import SLOT_RE

if TYPE_CHECKING:
    from .api import Linter

# the figure before the gate (tests/rewrites, /work/notes/rewrites/BASELINE.md): expected
# suggestions matched by the first suggestion of each finding
BASELINE_MATCHED, BASELINE_EXPECTED = 114, 346


@dataclass
class Explained:
    """One candidate suggestion, in the draft's offsets, and the gate's reason ("" passed)."""

    replacement: str
    start: int
    end: int
    origin: str
    reason: str
    applicability: str


@dataclass
class ExplainedFinding:
    rule: str
    start: int
    end: int
    builder: str
    candidates: list[Explained] = field(default_factory=list)

    @property
    def offered(self) -> list[Explained]:
        return [c for c in self.candidates if not c.reason]


def explain(
    linter: Linter, drafts: list[tuple[str, str | None]], channel: str | None = None
) -> list[list[ExplainedFinding]]:
    """Each draft's findings (the engine's, before configuration) with every candidate
    suggestion the gate judged, in draft offsets; drafts in order."""
    from .channels import channel_of, skipped_rules
    from .engine.verify import explain as engine_explain
    from .sources.base import Draft

    engine = linter._get_engine()
    items: list[tuple[str, str | None, tuple[str, ...]]] = []
    for text, customer in drafts:
        d = Draft.from_text(text, customer=customer)
        ch = channel_of(d, channel or linter.config.channel)
        items.append((text, customer, skipped_rules(ch, text, customer)))
    out: list[list[ExplainedFinding]] = []
    judged = iter(engine_explain(engine, items))
    with_gate = {"not-english", "not-prose"} & set(linter.rule_ids)
    for text, _ in drafts:
        if with_gate and engine.gates:
            verdict = engine.verdict(text)
            if engine._gated(verdict, text) is not None:
                out.append([])
                continue
        ctx, js = next(judged)
        mapped = ctx.masked.offsets.span_to_original
        found = []
        for j in js:
            a, b = mapped(j.hit.start, j.hit.end)
            spec = j.rule.rewrite
            name = (spec.builder or "template") if spec is not None else "-"
            ef = ExplainedFinding(j.rule.id, a, b, name)
            for c in j.candidates:
                s, e = ctx.masked.edit_to_original(c.edit.start, c.edit.end)  # as offered
                ef.candidates.append(
                    Explained(
                        c.edit.replacement, s, e, c.origin, c.reason, c.edit.applicability.value
                    )
                )
            found.append(ef)
        out.append(found)
    return out


# -- eval --rewrites --------------------------------------------------------------------------


class RewriteCorpusError(Exception):
    """A rewrite corpus that cannot be read (names the file)."""


def load_rewrites(folder: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise RewriteCorpusError(f"{folder}: no .yaml files")
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RewriteCorpusError(f"{path}: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, list):
            raise RewriteCorpusError(f"{path}: expected a list of cases")
        for n, case in enumerate(data, 1):
            if not isinstance(case, dict) or not isinstance(case.get("text"), str):
                raise RewriteCorpusError(f"{path}: case {n} has no text")
            if not isinstance(case.get("expect", []), list):
                raise RewriteCorpusError(f"{path}: case {n}: expect is not a list")
            cases.append(case)
    return cases


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _expected_text(text: str, e: dict[str, Any], w: str) -> str:
    span = e.get("span") or ""
    if span:
        return text.replace(span, w, 1)
    at = e.get("at") or "start"
    if at == "start":
        return w + " " + text
    if at == "end":
        return text + " " + w
    i = text.index(at) + len(at)
    return text[:i] + " " + w + " " + text[i:]


def matches(text: str, e: dict[str, Any], s: Explained | None) -> bool:
    """Whether suggestion ``s`` (None: no suggestion) is a right answer for entry ``e``: the
    draft with it applied equals the draft with the expected edit applied (white space
    normalised); ``template`` is any suggestion with a slot, ``none`` no suggestion."""
    wanted = [e.get("suggestion", "none"), *(e.get("accept") or [])]
    slot = s is not None and bool(SLOT_RE.search(s.replacement))
    for w in wanted:
        if w == "none" and s is None:
            return True
        if w == "template" and slot:
            return True
        if w not in ("none", "template") and s is not None and not slot:
            got = text[: s.start] + s.replacement + text[s.end :]
            if _norm(got) == _norm(_expected_text(text, e, str(w))):
                return True
    return False


@dataclass
class RewriteScore:
    per_builder: dict[str, Counter[str]]
    reasons: Counter[str]
    expected: int
    matched: int


def score_rewrites(linter: Linter, cases: list[dict[str, Any]]) -> RewriteScore:
    per: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    expected = matched = 0
    by_channel: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        by_channel[case.get("channel")].append(case)
    for channel, group in by_channel.items():
        explained = explain(linter, [(c["text"], c.get("customer")) for c in group], channel)
        for case, found in zip(group, explained, strict=True):
            text = case["text"]
            for f in found:
                row = per[f.builder]
                row["findings"] += 1
                row["candidates"] += sum(1 for c in f.candidates if c.origin != "fallback")
                row["passed"] += sum(
                    1 for c in f.candidates if c.origin != "fallback" and not c.reason
                )
                if any(c.origin == "fallback" for c in f.candidates):
                    row["fallbacks"] += 1
                if f.candidates and not f.offered:
                    row["dropped"] += 1
                if f.offered:
                    row["with suggestion"] += 1
                for c in f.candidates:
                    if c.reason:
                        reasons[re.sub(r" \(.*|'[^']*' (?=after)", "", c.reason)] += 1
            used: set[int] = set()
            for e in case.get("expect") or []:
                expected += 1
                mine = [f for f in found if f.rule == e.get("rule") and id(f) not in used]
                span = e.get("span") or ""
                if span and span in text and mine:
                    a = text.index(span)
                    over = [f for f in mine if f.start < a + len(span) and f.end > a]
                    mine = over or mine
                if not mine:
                    continue
                f = mine[0]
                used.add(id(f))
                builder = per[f.builder]
                builder["expected"] += 1
                first = f.offered[0] if f.offered else None
                if matches(text, e, first):
                    builder["matched"] += 1
                    matched += 1
    return RewriteScore(dict(per), reasons, expected, matched)


def format_rewrites(score: RewriteScore) -> str:
    head = (
        f"{'builder':18} {'findings':>8} {'w/ sugg':>8} {'cands':>6} {'passed':>7} "
        f"{'pass %':>7} {'fallbk':>7} {'dropped':>8} {'expect':>7} {'exact':>6} {'exact %':>8}"
    )
    lines = [head, "-" * len(head)]
    for name in sorted(score.per_builder):
        c = score.per_builder[name]
        rate = 100 * c["passed"] / c["candidates"] if c["candidates"] else 0.0
        exact = 100 * c["matched"] / c["expected"] if c["expected"] else 0.0
        lines.append(
            f"{name:18} {c['findings']:>8} {c['with suggestion']:>8} {c['candidates']:>6} "
            f"{c['passed']:>7} {rate:>6.1f}% {c['fallbacks']:>7} {c['dropped']:>8} "
            f"{c['expected']:>7} {c['matched']:>6} {exact:>7.1f}%"
        )
    lines.append("")
    lines.append(
        f"baseline (before the gate): {BASELINE_MATCHED} of {BASELINE_EXPECTED} expected "
        "suggestions matched"
    )
    lines.append(f"now: {score.matched} of {score.expected} expected suggestions matched")
    if score.reasons:
        lines.append("")
        lines.append("refusals by reason:")
        for reason, n in score.reasons.most_common():
            lines.append(f"  {n:5}  {reason}")
    return "\n".join(lines)
