"""The rule book: rules and shared signals as YAML data, validated on load.

Importing this module, and loading the rule book, never imports spaCy: ``replylint rules`` and
``replylint explain`` use it alone. Compiling rules into spaCy matchers is the engine's job.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .models import MatchSpec, Rule, Signal

M = TypeVar("M", bound=BaseModel)
SIGNALS_FILE = "_signals.yaml"
_GROUP_RE = re.compile(r"\(([^()]*)\)")
# "i ('ve|) had" expands to "i 've had": join the contraction back ("i've had")
_CONTRACTION_GAP = re.compile(r" (?=(?:'|’)(?:ve|s|re|ll|d|m)\b|n(?:'|’)t\b)")


class RuleBookError(Exception):
    """A rule file is invalid; the message names the file and the field."""


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


def _package_dir(name: str) -> Path:
    """A data folder shipped in the wheel (``replylint/<name>``) or, in a source checkout or an
    editable install, the top-level folder of the repository."""
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuleBookError(f"replylint's {name}/ folder is missing from the installation")


def rules_dir() -> Path:
    return _package_dir("rules")


def seeds_dir() -> Path:
    return _package_dir("seeds")


def expand_phrase_source(phrase: str) -> list[tuple[str, Any]]:
    """A phrase as a sequence of ``("literal", text)`` and ``("group", [alternatives])``."""
    parts = _GROUP_RE.split(phrase)
    out: list[tuple[str, Any]] = []
    for n, part in enumerate(parts):
        if n % 2 == 0:
            out.append(("literal", part))
        else:
            out.append(("group", part.split("|")))
    return out


def expand_phrase(phrase: str) -> list[str]:
    """Expand ``(a|b|)`` groups: ``"(it's|that's) (our|) policy"`` gives four phrases."""
    parts = _GROUP_RE.split(phrase)
    literals = parts[0::2]
    groups = [g.split("|") for g in parts[1::2]]
    out: list[str] = []
    for choice in itertools.product(*groups):
        text = literals[0]
        for alt, lit in zip(choice, literals[1:], strict=True):
            text += alt + lit
        text = _CONTRACTION_GAP.sub("", " ".join(text.split()))
        if text:
            out.append(text)
    return out


def _format_validation_error(path: Path, exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}: {loc}: {first['msg']}{more}"


# libyaml's parser when PyYAML was built with it (about ten times faster), else PyYAML's own
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """YAML 1.2 booleans: only true/false. Word lists hold "no", "yes", "on" and "off" as
    words; YAML 1.1 would silently turn them into booleans."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _no_duplicate_keys(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (the first would be lost)", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleBookError(f"{path}: cannot read: {exc}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no code runs
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is None and isinstance(exc, yaml.MarkedYAMLError) and exc.context_mark:
            where = f":{exc.context_mark.line + 1}"
        raise RuleBookError(f"{path}{where}: invalid YAML: {problem}") from None


def _validate(model: type[M], path: Path, data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RuleBookError(_format_validation_error(path, exc)) from None


@dataclass(frozen=True)
class RuleBook:
    rules: dict[str, Rule]
    signals: dict[str, Signal]
    files: dict[str, Path] = field(default_factory=dict)

    def get(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

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
    found = [owner.match, owner.trigger, owner.require, *owner.unless, *owner.trigger_all]
    return [s for s in found if s is not None]


def _check_references(book: RuleBook) -> None:
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
            for pattern in spec.patterns:
                if not pattern:
                    raise RuleBookError(f"{where}: empty token pattern")
    for where, owner in owners:
        _check_cost(where, owner)
    # a rule (from a user's rules-dir too) names built-in checks and rewrite builders only
    from .checks import CHECKS
    from .rewrite import BUILDERS

    for rule in book.rules.values():
        where = str(book.files.get(rule.id, rule.id))
        if rule.check is not None and rule.check not in CHECKS:
            known = ", ".join(sorted(CHECKS))
            raise RuleBookError(f"{where}: check: unknown check {rule.check!r} (known: {known})")
        builder = rule.rewrite.builder if rule.rewrite is not None else None
        if builder is not None and builder not in BUILDERS:
            known = ", ".join(sorted(BUILDERS))
            raise RuleBookError(
                f"{where}: rewrite.builder: unknown builder {builder!r} (known: {known})"
            )


def named_specs(owner: Rule | Signal) -> list[tuple[str, MatchSpec]]:
    """Every match spec of a rule or signal, with its key in the file."""
    if isinstance(owner, Signal):
        return [("match", owner.match), *((f"unless[{i}]", u) for i, u in enumerate(owner.unless))]
    found = [("match", owner.match), ("trigger", owner.trigger), ("require", owner.require)]
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
            data = _read_yaml(signals_path) or {}
            if not isinstance(data, dict):
                raise RuleBookError(f"{signals_path}: expected a mapping of signal names")
            for name, body in data.items():
                signals[name] = _validate(Signal, signals_path, body)
        for path in sorted(folder.glob("*.yaml")):
            if path.name.startswith("_"):
                continue
            rule = _validate(Rule, path, _read_yaml(path))
            if rule.id != path.stem:
                raise RuleBookError(f"{path}: id: {rule.id!r} must match the file name")
            if rule.id in rules:
                raise RuleBookError(f"{path}: id: rule {rule.id!r} is already defined")
            rules[rule.id] = rule
            files[rule.id] = path
    book = RuleBook(rules=rules, signals=signals, files=files)
    _check_references(book)
    return book
