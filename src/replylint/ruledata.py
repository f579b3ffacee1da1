"""Reading rule data: the YAML files of the rule book (safely, with one-line errors), the
folders they ship in, and the ``(a|b|)`` phrase syntax.

A leaf under the rule book and the lexicon: it imports no other module of replylint, and never
spaCy.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
_GROUP_RE = re.compile(r"\(([^()]*)\)")
# "i ('ve|) had" expands to "i 've had": join the contraction back ("i've had")
_CONTRACTION_GAP = re.compile(r" (?=(?:'|’)(?:ve|s|re|ll|d|m)\b|n(?:'|’)t\b)")


class RuleBookError(Exception):
    """A rule file is invalid; the message names the file and the field."""


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


def format_validation_error(path: Path | str, exc: ValidationError, prefix: str = "") -> str:
    first = exc.errors()[0]
    loc = prefix + ".".join(str(p) for p in first["loc"]) or "(top level)"
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


def read_yaml(path: Path) -> Any:
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


def validated(model: type[M], path: Path, data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RuleBookError(format_validation_error(path, exc)) from None
