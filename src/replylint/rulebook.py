"""The rule book: rules and shared signals as YAML data, validated on load.

Importing this module, and loading the rule book, never imports spaCy: ``replylint rules`` and
``replylint explain`` use it alone. Compiling rules into spaCy matchers is the engine's job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .lexicon import load_lexicon
from .models import MatchSpec, Rule, Signal
from .params import BUILDER_KINDS, CHECK_KINDS, DETECTOR_KINDS, GATE_KINDS, kinds_of, params_of
from .ruledata import (
    RuleBookError,
    expand_phrase,
    expand_phrase_source,
    format_validation_error,
    read_yaml,
    rules_dir,
    seeds_dir,
    validated,
)
from .suppress import UNUSED_RULE

# the names other modules import from here
__all__ = [
    "REGEX_BUDGET",
    "RegexTimeout",
    "RuleBook",
    "RuleBookError",
    "budgeted",
    "check_rulebook",
    "expand_phrase",
    "expand_phrase_source",
    "load_rulebook",
    "read_yaml",
    "rules_dir",
    "seeds_dir",
]
SIGNALS_FILE = "_signals.yaml"
# the built-in gate rules (kind gate) and the gate each runs, in the order they are evaluated
GATE_RULES = {"not-prose": "prose", "not-english": "language"}
assert set(GATE_RULES.values()) == set(GATE_KINDS)


# -- bounded cost: what a rule file (from a user's repository too) can make the engine do ------

# a phrase's alternations expand to the product of their groups' sizes, each a path in the
# phrase trie: the largest shipped phrase has 8,580, a whole shipped rule 8,816
MAX_PHRASE_EXPANSIONS = 20_000  # one phrase
MAX_SPEC_EXPANSIONS = 100_000  # all the phrases of one rule or signal
# a rule's ``regex`` (and a configured placeholder pattern) runs with the ``regex`` package
# under this budget per search, in seconds: a pattern that backtracks catastrophically on a
# draft ends the run with a one-line error instead of hanging it
REGEX_BUDGET = 0.25


class RegexTimeout(RuleBookError):
    """A rule's or the configuration's regular expression ran over :data:`REGEX_BUDGET`."""


def budgeted(pattern: str, flags: int = 0) -> Any:
    """``pattern`` compiled by the ``regex`` package (Python's syntax; searches accept a
    ``timeout``). Python's ``re`` cannot be stopped once it backtracks catastrophically
    (``(a|aa)+$``); re2 is linear but has no lookaround, which the built-in placeholder
    patterns use, so one engine with a budget serves both."""
    import regex

    return regex.compile(pattern, flags)


def timed_out(where: str, pattern: str, what: str) -> RegexTimeout:
    return RegexTimeout(
        f"{where}: the regular expression {pattern!r} took over {REGEX_BUDGET} s on {what} "
        "(catastrophic backtracking?); simplify it"
    )


def expansions(phrase: str) -> int:
    """How many phrases ``phrase``'s ``(a|b)`` groups expand to (without expanding them)."""
    return math.prod(len(v) for kind, v in expand_phrase_source(phrase) if kind == "group")


def catastrophic(pattern: str) -> bool:
    """Whether a regular expression can take exponential time in Python's backtracking ``re``
    (which spaCy's Matcher uses for ``REGEX``): a repeated group holding another repeat or an
    alternation, such as ``(a+)+`` or ``(a|aa)*``. Conservative: ``(ab|cd)+`` is refused too."""
    import importlib

    parser: Any = importlib.import_module("re._parser")
    try:
        tree = parser.parse(pattern)
    except Exception:
        return False  # invalid: spaCy's validation says so
    repeats = {"MAX_REPEAT", "MIN_REPEAT"}

    def risky(items: Any, repeated: bool) -> bool:
        for op, av in items:
            name = str(op)
            if name in repeats:
                _, most, sub = av
                if most > 1 and repeated:
                    return True
                if risky(sub, repeated or most > 1):
                    return True
            elif name == "BRANCH":
                if repeated:
                    return True
                if any(risky(alt, repeated) for alt in av[1]):
                    return True
            elif name in ("SUBPATTERN", "ASSERT", "ASSERT_NOT") and risky(av[-1], repeated):
                return True  # in the group's or assertion's own pattern
        return False  # POSSESSIVE_REPEAT and ATOMIC_GROUP never backtrack into themselves

    return risky(tree, False)


def _regex_values(value: Any) -> list[str]:
    """The ``REGEX`` predicates in a token pattern's attribute value (also under ``_``)."""
    if not isinstance(value, dict):
        return []
    out = []
    for key, inner in value.items():
        if str(key).upper() == "REGEX" and isinstance(inner, str):
            out.append(inner)
        else:
            out += _regex_values(inner)
    return out


@dataclass(frozen=True)
class RuleBook:
    rules: dict[str, Rule]
    signals: dict[str, Signal]
    files: dict[str, Path] = field(default_factory=dict)

    def resolve_ids(self, ids: list[str], what: str) -> list[str]:
        """Check rule ids given by a user (``ALL`` selects every rule)."""
        out: list[str] = []
        for rule_id in ids:
            if rule_id.upper() == "ALL":
                out.extend(self.rules)
            elif rule_id in self.rules:
                out.append(rule_id)
            else:
                known = ", ".join(sorted(self.rules))
                hint = self.did_you_mean(rule_id)
                raise RuleBookError(f"unknown rule id {rule_id!r} in {what}{hint} (known: {known})")
        return out

    def did_you_mean(self, rule_id: str) -> str:
        """``"; did you mean 'bare-policy'?"`` for the closest rule id, or ``""``."""
        import difflib

        close = difflib.get_close_matches(rule_id.lower(), list(self.rules), n=1, cutoff=0.6)
        return f"; did you mean {close[0]!r}?" if close else ""


def specs_of(owner: Rule | Signal) -> list[MatchSpec]:
    """Every match spec of a rule or signal."""
    if isinstance(owner, Signal):
        return [owner.match, *owner.unless]
    found = [owner.match, owner.trigger, owner.require, owner.strong]
    found += [*owner.unless, *owner.trigger_all]
    return [s for s in found if s is not None]


def check_rulebook(book: RuleBook) -> None:
    """Every name a rule or signal uses exists (signals, rules, checks, builders, the signals
    its check and builder read), every rule's ``params`` are those of its check and builder,
    and no match spec costs too much; else a :class:`RuleBookError` naming the file and key."""
    owners: list[tuple[str, Rule | Signal]] = [
        *((str(book.files.get(r.id, r.id)), r) for r in book.rules.values()),
        *((f"{SIGNALS_FILE}: {name}", s) for name, s in book.signals.items()),
    ]
    for where, owner in owners:
        for spec in specs_of(owner):
            for name in spec.signals:
                if name not in book.signals:
                    raise RuleBookError(f"{where}: unknown signal {name!r}")
            for rule_id in spec.rules:
                if rule_id not in book.rules:
                    raise RuleBookError(f"{where}: unknown rule {rule_id!r}")
            for name in spec.checks:
                if name not in DETECTOR_KINDS:
                    known = ", ".join(sorted(DETECTOR_KINDS))
                    raise RuleBookError(f"{where}: unknown check {name!r} (known: {known})")
                for signal in DETECTOR_KINDS[name].signals:
                    if signal not in book.signals:
                        raise RuleBookError(
                            f"{where}: check {name!r} reads signal {signal!r}, which the rule "
                            "book does not define"
                        )
            for pattern in spec.patterns:
                if not pattern:
                    raise RuleBookError(f"{where}: empty token pattern")
    for where, owner in owners:
        _check_cost(where, owner)
    for rule in book.rules.values():
        _check_kinds(str(book.files.get(rule.id, rule.id)), rule, book)


def _check_kinds(where: str, rule: Rule, book: RuleBook) -> None:
    """A rule (from a user's rules-dir too) names registered checks and builders only, gives
    them the parameters they declare, and the rule book has the signals they read."""
    if rule.kind == "suppression" and rule.id != UNUSED_RULE:
        raise RuleBookError(
            f"{where}: kind: 'suppression' is built in (the rule {UNUSED_RULE}); a rule file "
            "cannot use it"
        )
    if rule.kind == "gate":
        if GATE_RULES.get(rule.id) != rule.check:
            shown = ", ".join(f"{r} (check: {c})" for r, c in GATE_RULES.items())
            raise RuleBookError(
                f"{where}: kind: 'gate' is built in (the rules {shown}); a rule file cannot use it"
            )
    elif rule.check is not None and rule.check not in CHECK_KINDS:
        known = ", ".join(sorted(CHECK_KINDS))
        raise RuleBookError(f"{where}: check: unknown check {rule.check!r} (known: {known})")
    builder = rule.rewrite.builder if rule.rewrite is not None else None
    if builder is not None and builder not in BUILDER_KINDS:
        known = ", ".join(sorted(BUILDER_KINDS))
        raise RuleBookError(
            f"{where}: rewrite.builder: unknown builder {builder!r} (known: {known})"
        )
    kinds = kinds_of(rule)
    declared = {key for _, _, kind in kinds for key in kind.params.model_fields}
    for key in rule.params:
        if key not in declared:
            owners = " and ".join(f"{what} {name!r}" for what, name, _ in kinds)
            of = f"of {owners}" if owners else "(the rule has no check or builder that takes one)"
            raise RuleBookError(f"{where}: params.{key}: unknown parameter {of}")
    for what, name, kind in kinds:
        try:
            params_of(rule, kind.params)
        except ValidationError as exc:
            raise RuleBookError(format_validation_error(where, exc, "params.")) from None
        slot = "rewrite.builder" if what == "builder" else "check"
        for signal in kind.signals:
            if signal not in book.signals:
                raise RuleBookError(
                    f"{where}: {slot}: {what} {name!r} reads signal {signal!r}, which the rule "
                    "book does not define"
                )


def named_specs(owner: Rule | Signal) -> list[tuple[str, MatchSpec]]:
    """Every match spec of a rule or signal, with its key in the file."""
    if isinstance(owner, Signal):
        return [("match", owner.match), *((f"unless[{i}]", u) for i, u in enumerate(owner.unless))]
    found = [("match", owner.match), ("trigger", owner.trigger), ("require", owner.require)]
    found.append(("strong", owner.strong))
    found += [(f"unless[{i}]", u) for i, u in enumerate(owner.unless)]
    found += [(f"trigger_all[{i}]", t) for i, t in enumerate(owner.trigger_all)]
    return [(slot, spec) for slot, spec in found if spec is not None]


def _check_cost(where: str, owner: Rule | Signal) -> None:
    """Refuse what would make linting hang: phrases whose alternations expand past the
    limits, and token-pattern ``REGEX`` predicates that can backtrack exponentially."""
    total = 0
    for slot, spec in named_specs(owner):
        for phrase in spec.phrases:
            n = expansions(phrase)
            total += n
            if n > MAX_PHRASE_EXPANSIONS:
                shown = phrase if len(phrase) <= 60 else phrase[:57] + "..."
                raise RuleBookError(
                    f"{where}: {slot}.phrases: {shown!r} expands to {n:,} phrases, over the "
                    f"limit of {MAX_PHRASE_EXPANSIONS:,}; split it or use fewer alternatives"
                )
        if total > MAX_SPEC_EXPANSIONS:
            raise RuleBookError(
                f"{where}: {slot}.phrases: the phrases expand to {total:,} in all, over the "
                f"limit of {MAX_SPEC_EXPANSIONS:,} for one rule"
            )
        for pattern in spec.patterns:
            for token in pattern:
                for value in token.values():
                    for rx in _regex_values(value):
                        if catastrophic(rx):
                            raise RuleBookError(
                                f"{where}: {slot}.patterns: REGEX {rx!r} can take exponential "
                                "time (a repeated group holding a repeat or an alternation); "
                                "use an IN list, or the spec's regex (run with a time budget)"
                            )


def load_rulebook(extra_dirs: tuple[Path, ...] = ()) -> RuleBook:
    """Load and validate the shipped rules (and any extra rule folders)."""
    return _load(tuple(Path(d).resolve() for d in extra_dirs))


@cache
def _load(extra_dirs: tuple[Path, ...]) -> RuleBook:
    rules: dict[str, Rule] = {}
    files: dict[str, Path] = {}
    signals: dict[str, Signal] = {}
    for folder in (rules_dir(), *extra_dirs):
        if not folder.is_dir():
            raise RuleBookError(f"{folder}: rules folder not found")
        signals_path = folder / SIGNALS_FILE
        if signals_path.is_file():
            data = read_yaml(signals_path) or {}
            if not isinstance(data, dict):
                raise RuleBookError(f"{signals_path}: expected a mapping of signal names")
            for name, body in data.items():
                signals[name] = validated(Signal, signals_path, body)
        for path in sorted(folder.glob("*.yaml")):
            if path.name.startswith("_"):
                continue
            rule = validated(Rule, path, read_yaml(path))
            if rule.id != path.stem:
                raise RuleBookError(f"{path}: id: {rule.id!r} must match the file name")
            if rule.id in rules:
                raise RuleBookError(f"{path}: id: rule {rule.id!r} is already defined")
            rules[rule.id] = rule
            files[rule.id] = path
    book = RuleBook(rules=rules, signals=signals, files=files)
    check_rulebook(book)
    load_lexicon()  # the word lists the checks and builders read: refused now if invalid
    return book
