"""Measure the rules against a labelled corpus: per-rule precision, recall and F1.

A corpus is a folder of YAML files, each a list of cases::

    - id: retail-001
      text: "…the reply draft…"
      customer: "…optional customer message…"
      fire: [rule-id, …]     # must fire
      quiet: [rule-id, …]    # must not fire
      clean: true            # no warning-severity rule may fire (unless listed in fire)

Rules a case does not mention are not judged on it (except warnings on clean cases).

A case's ``channel`` (``email``, ``chat``, ``social``, ``macro``, ``thread``; the older ``sms``
is read as chat and ``ticket`` as e-mail; none: ``auto``) is the channel it is linted for, and
the table is printed overall and per channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .channels import CHANNELS
from .models import Severity
from .rulebook import RuleBook

if TYPE_CHECKING:
    from .api import Linter
    from .models import DraftReport


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    customer: str | None = None
    channel: str | None = None
    fire: list[str] = []
    quiet: list[str] = []
    clean: bool = False
    note: str | None = None


# the channel names of the first corpus, as the channels they are linted for
CHANNEL_ALIASES = {"sms": "chat", "ticket": "email"}


def case_channel(case: Case) -> str:
    """The channel ``case`` is linted for (``auto`` when it names none)."""
    if case.channel is None:
        return "auto"
    return CHANNEL_ALIASES.get(case.channel, case.channel)


def lint_cases(linter: Linter, cases: list[Case]) -> list[DraftReport]:
    """Each case linted for its channel (:func:`case_channel`), the reports in case order
    (each says the channel it was linted for: ``auto`` cases are grouped by the one chosen)."""
    out: list[DraftReport | None] = [None] * len(cases)
    groups: dict[str, list[int]] = {}
    for n, case in enumerate(cases):
        groups.setdefault(case_channel(case), []).append(n)
    for channel, members in groups.items():
        pairs = [(cases[n].text, cases[n].customer) for n in members]
        for n, report in zip(members, linter.check_many(pairs, channel=channel), strict=True):
            out[n] = report
    return [r for r in out if r is not None]


class Score(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = Field(default_factory=list, description="case ids of FPs and FNs")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class EvalError(Exception):
    pass


def load_corpus(folder: Path, book: RuleBook) -> list[Case]:
    cases: list[Case] = []
    seen: set[str] = set()
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise EvalError(f"{folder}: no .yaml corpus files found")
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise EvalError(f"{path}: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, list):
            raise EvalError(f"{path}: expected a list of cases")
        for n, item in enumerate(data):
            try:
                case = Case.model_validate(item)
            except ValidationError as exc:
                err = exc.errors()[0]
                loc = ".".join(str(p) for p in err["loc"])
                raise EvalError(f"{path}: case {n + 1}: {loc}: {err['msg']}") from None
            for rule_id in (*case.fire, *case.quiet):
                if rule_id not in book.rules:
                    raise EvalError(f"{path}: {case.id}: unknown rule id {rule_id!r}")
            if case_channel(case) not in ("auto", *CHANNELS):
                known = ", ".join([*CHANNELS, *CHANNEL_ALIASES])
                raise EvalError(
                    f"{path}: {case.id}: unknown channel {case.channel!r}; channels: {known}"
                )
            if case.id in seen:
                raise EvalError(f"{path}: duplicate case id {case.id!r}")
            seen.add(case.id)
            cases.append(case)
    return cases


def score(
    cases: list[Case], fired: Iterable[set[str]], book: RuleBook
) -> tuple[dict[str, Score], Score]:
    """Per-rule and overall (micro-averaged) scores, of the rules that judge a draft's words
    (not the built-in unused-suppression, which judges a file's comments)."""
    per_rule = {r: Score() for r, rule in book.rules.items() if rule.kind != "suppression"}
    for case, rules in zip(cases, fired, strict=True):
        judged_quiet = set(case.quiet)
        if case.clean:
            judged_quiet |= {
                r
                for r, rule in book.rules.items()
                if rule.severity != Severity.INFO and r not in case.fire
            }
        for rule_id in case.fire:
            s = per_rule[rule_id]
            if rule_id in rules:
                s.tp += 1
            else:
                s.fn += 1
                s.misses.append(f"FN {case.id}")
        for rule_id in judged_quiet:
            if rule_id in rules:
                per_rule[rule_id].fp += 1
                per_rule[rule_id].misses.append(f"FP {case.id}")
    total = Score(
        tp=sum(s.tp for s in per_rule.values()),
        fp=sum(s.fp for s in per_rule.values()),
        fn=sum(s.fn for s in per_rule.values()),
    )
    return per_rule, total


def format_table(per_rule: dict[str, Score], total: Score, *, show_misses: bool = False) -> str:
    width = max(len(r) for r in per_rule)
    lines = [
        f"{'rule':<{width}}  {'tp':>4} {'fp':>4} {'fn':>4}  {'precision':>9} "
        f"{'recall':>7} {'f1':>6}"
    ]
    for rule_id, s in sorted(per_rule.items()):
        lines.append(
            f"{rule_id:<{width}}  {s.tp:>4} {s.fp:>4} {s.fn:>4}  {s.precision:>9.3f} "
            f"{s.recall:>7.3f} {s.f1:>6.3f}"
        )
        if show_misses and s.misses:
            lines.append(f"{'':<{width}}  misses: {', '.join(s.misses)}")
    lines.append(
        f"{'overall':<{width}}  {total.tp:>4} {total.fp:>4} {total.fn:>4}  "
        f"{total.precision:>9.3f} {total.recall:>7.3f} {total.f1:>6.3f}"
    )
    return "\n".join(lines)
