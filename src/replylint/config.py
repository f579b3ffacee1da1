"""Configuration: which rules run, how strict, which pipeline (a pydantic model), and the
configuration files it is read from.

A project configures replylint in ``[tool.replylint]`` of a ``pyproject.toml`` or at the top
level of a ``.replylint.toml`` (which wins when a folder has both). Each linted file uses the
closest configuration file found upward from its folder; ``--config FILE`` uses one file for
every path and ``--isolated`` none. Keys are written with dashes (``fail-on``); the model's
fields use underscores and accept both. Loading a configuration never executes code from it:
``rules-dir`` folders hold YAML data, read with a safe loader.

Every error is one line naming the file, the key and what the key accepts.

Longer than 400 lines because the model, its glob matching, the one-line errors
and the resolver of the closest file are one concern that every other module imports by
these names; split, the halves would import each other.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from .channels import ChannelSetting
from .models import Severity

CONFIG_FILES = (".replylint.toml", "pyproject.toml")
PYPROJECT = "pyproject.toml"
# a draft longer than this is reported as an error and not linted (a reply is a few KB; lint
# time and memory grow linearly: 1 MB took 8 to 28 s here, and 150 MiB above the pipeline's)
DEFAULT_MAX_DRAFT_CHARS = 2_000_000


class ConfigError(Exception):
    """A configuration file or value is invalid; the message is one line naming the file, the
    key and the accepted values."""


def _key(key: str) -> AliasChoices:
    """A field written ``fail-on`` in files and ``fail_on`` in Python."""
    return AliasChoices(key, key.replace("-", "_"))


class Config(BaseModel):
    """Settings for a :class:`~replylint.Linter`; picklable, so workers can rebuild a linter.

    Folders and globs are relative to the folder of ``config_file`` (the current directory when
    the configuration was not read from a file); :func:`load_config` makes ``rules_dir``
    absolute.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    select: tuple[str, ...] = Field(
        default=("ALL",),
        description='rule ids to run, or ["ALL"] (every rule); --select on the command line '
        "replaces it, extend-select and ignore",
    )
    extend_select: tuple[str, ...] = Field(
        default=(),
        validation_alias=_key("extend-select"),
        description="rule ids to run in addition to select (--extend-select adds to it)",
    )
    ignore: tuple[str, ...] = Field(
        default=(),
        description="rule ids not to run; --ignore adds to it",
    )
    severity: dict[str, Severity] = Field(
        default_factory=dict,
        description="a table of rule id = severity: the severity its findings get, in every "
        "output and for fail-on",
    )
    fail_on: Severity = Field(
        default=Severity.WARNING,
        validation_alias=_key("fail-on"),
        description="exit 1 when a finding is at or above this severity (--fail-on wins)",
    )
    per_file_ignores: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        validation_alias=_key("per-file-ignores"),
        description='a table of glob = rule ids (or ["ALL"]) not reported in the files it '
        "matches; globs are relative to the configuration file's folder",
    )
    exclude: tuple[str, ...] = Field(
        default=(),
        description="globs of files and folders not to lint, even when named on the command "
        "line; a glob with a / is anchored at the configuration file's folder",
    )
    model: str | None = Field(
        default=None,
        description="an installed spaCy pipeline (package name or path); default "
        "en_core_web_sm if installed, else the bundled copy",
    )
    rules_dir: tuple[str, ...] = Field(
        default=(),
        validation_alias=_key("rules-dir"),
        description="a folder, or a list of folders, of extra rule files (<id>.yaml, the format "
        "of replylint's rules/; data only, never code), relative to the configuration file",
    )
    placeholders: tuple[str, ...] = Field(
        default=(),
        description="extra regular expressions for helpdesk placeholders, masked like the "
        "built-in ones (never flagged, never rewritten)",
    )
    max_draft_chars: int = Field(
        default=DEFAULT_MAX_DRAFT_CHARS,
        ge=0,
        validation_alias=_key("max-draft-chars"),
        description="largest draft (or customer message) linted, in characters; 0: no limit",
    )
    channel: ChannelSetting = Field(
        default="auto",
        description='the channel replies are written for: "email", "chat", "social", "macro", '
        '"thread", or "auto" (per draft, from its file format and shape); it decides which rules '
        "apply, at what severity, and how long a rewrite may be (--channel wins)",
    )
    text_field: str | None = Field(
        default=None,
        validation_alias=_key("text-field"),
        description="the field or column holding each reply in JSON, YAML and CSV files "
        "(--text-field wins)",
    )
    config_file: str | None = Field(
        default=None,
        exclude=True,
        description="the file this configuration was read from (set by the loader)",
    )

    @field_validator("rules_dir", "exclude", "placeholders", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("select", "extend_select", "ignore", "exclude", "rules_dir")
    @classmethod
    def _not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v.strip() for v in value):
            raise ValueError("an empty string is not allowed")
        return tuple(v.strip() for v in value)

    @field_validator("placeholders")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
            if compiled.fullmatch(""):
                raise ValueError(f"the regular expression {pattern!r} matches empty text")
        from .placeholders import compile_patterns

        try:
            compile_patterns(value)
        except re.error as exc:  # a named group clashing with the built-in ones
            raise ValueError(f"the patterns cannot be combined: {exc}") from None
        return value

    # -- paths --------------------------------------------------------------------------------
    def base_dir(self) -> Path:
        """The folder globs and ``rules-dir`` are relative to."""
        return Path(self.config_file).resolve().parent if self.config_file else Path.cwd()

    def _parts(self, path: str | Path) -> tuple[str, ...]:
        p = Path(path).resolve()
        try:
            return p.relative_to(self.base_dir()).parts
        except ValueError:
            return p.parts[1:]  # outside the project: only globs without a "/" can match

    def is_excluded(self, path: str | Path) -> bool:
        """Whether ``exclude`` matches the file (or one of its folders)."""
        if not self.exclude:
            return False
        parts = self._parts(path)
        return any(glob_matches(g, parts) for g in self.exclude)

    def ignored_for(self, path: str | Path) -> set[str]:
        """The rule ids ``per-file-ignores`` turns off for ``path`` (``ALL``: every rule)."""
        if not self.per_file_ignores:
            return set()
        parts = self._parts(path)
        out: set[str] = set()
        for glob, ids in self.per_file_ignores.items():
            if glob_matches(glob, parts):
                out.update("ALL" if i.upper() == "ALL" else i for i in ids)
        return out


# ------------------------------------------------------------------------------------------
# Globs
# ------------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``**`` spans folders, ``*`` and ``?`` stay within one, ``[…]`` is a class."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and "]" in pattern[i + 2 :]:
            close = pattern.index("]", i + 2)
            body = pattern[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out))


def glob_matches(glob: str, parts: Iterable[str]) -> bool:
    """Whether ``glob`` matches a path given as its parts relative to the config folder.

    A glob with a ``/`` is anchored at the config folder and matches the file or any folder
    above it (``drafts/old`` excludes everything below it); a glob without one matches the
    file's name or any of its folders' names, at any depth (``*.md``, ``README.md``).
    """
    parts = tuple(parts)
    pattern = glob.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if not pattern:
        return False
    rx = _glob_regex(pattern)
    if "/" in pattern:
        return any(rx.fullmatch("/".join(parts[:k])) for k in range(1, len(parts) + 1))
    return any(rx.fullmatch(part) for part in parts)


# ------------------------------------------------------------------------------------------
# Configuration files
# ------------------------------------------------------------------------------------------

KEYS: dict[str, str] = {
    # key as written in files -> what it accepts (for error messages)
    "select": 'a list of rule ids (or "ALL")',
    "extend-select": "a list of rule ids",
    "ignore": "a list of rule ids",
    "severity": 'a table of rule id = "info" | "warning" | "error"',
    "fail-on": '"info", "warning" or "error"',
    "per-file-ignores": 'a table of glob = [rule ids] (or ["ALL"])',
    "exclude": "a list of globs",
    "model": "the name or path of an installed spaCy pipeline",
    "rules-dir": "a folder or a list of folders of rule files, relative to the config file",
    "placeholders": "a list of regular expressions",
    "max-draft-chars": "a whole number of characters (0: no limit)",
    "channel": '"auto", "email", "chat", "social", "macro" or "thread"',
    "text-field": "the name of the field holding the reply text",
}
_ITEMS = {  # what one entry of a table or list accepts
    "severity": '"info", "warning" or "error"',
    "per-file-ignores": 'a list of rule ids (or ["ALL"])',
    "select": "a rule id",
    "extend-select": "a rule id",
    "ignore": "a rule id",
    "exclude": "a glob (a string)",
    "rules-dir": "a folder (a string)",
    "placeholders": "a regular expression (a string)",
}
_FIELD = {name.replace("_", "-"): name for name in Config.model_fields if name != "config_file"}
assert set(_FIELD) == set(KEYS), "every configuration key needs a description"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word.replace("_", "-"), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _validation_message(where: str, exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = [str(p) for p in first["loc"]]
    key = loc[0] if loc else "(top level)"
    if key in _FIELD.values():  # validated by field name: show the key as written in files
        key = next(k for k, v in _FIELD.items() if v == key)
    shown = ".".join([key, *loc[1:]])
    if first["type"] == "value_error":
        detail = str(first["msg"]).removeprefix("Value error, ")
        return f"{where}: {shown}: {detail}"
    accepted = KEYS.get(key, "")
    if len(loc) > 1 and key in _ITEMS:
        accepted = _ITEMS[key]
    return f"{where}: {shown}: invalid value {_shown(first.get('input'))}; expected {accepted}"


def config_from_table(
    table: Mapping[str, Any], *, where: str, base: Path, config_file: str | None = None
) -> Config:
    """Validate a table of configuration keys (as written in files) read from ``where``."""
    for key in table:
        if key not in KEYS:
            raise ConfigError(
                f"{where}: unknown key {key!r}{_did_you_mean(key, KEYS)}; "
                f"accepted keys: {', '.join(KEYS)}"
            )
    data = dict(table)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_validation_message(where, exc)) from None
    folders: list[str] = []
    for folder in config.rules_dir:
        resolved = (base / folder).resolve()
        if not resolved.is_dir():
            raise ConfigError(
                f"{where}: rules-dir: folder {folder!r} not found (looked in {resolved}); "
                f"expected {KEYS['rules-dir']}"
            )
        folders.append(str(resolved))
    config = config.model_copy(update={"rules_dir": tuple(folders), "config_file": config_file})
    check_rule_ids(config, where)
    return config


def check_rule_ids(config: Config, where: str) -> None:
    """Every rule id named in ``config`` exists in the rule book (with its ``rules-dir``)."""
    from .rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook(tuple(Path(d) for d in config.rules_dir))
    except RuleBookError as exc:
        raise ConfigError(f"{where}: rules-dir: {exc}") from None
    known = set(book.rules)
    named: list[tuple[str, Iterable[str], set[str]]] = [
        ("select", config.select, known),
        ("extend-select", config.extend_select, known),
        ("ignore", config.ignore, known),
        ("severity", config.severity, known),
        *(
            (f"per-file-ignores.{glob}", ids, known)
            for glob, ids in config.per_file_ignores.items()
        ),
    ]
    for key, ids, allowed in named:
        for rule_id in ids:
            if rule_id in allowed or (rule_id.upper() == "ALL" and key != "severity"):
                continue
            raise ConfigError(
                f"{where}: {key}: unknown rule id {rule_id!r}{_did_you_mean(rule_id, allowed)}; "
                f"known rule ids: {', '.join(sorted(allowed))}"
            )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read the configuration: not UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict) or "replylint" not in tool:
        return None
    table = tool["replylint"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.replylint] must be a table")
    return table


def load_config(path: str | Path) -> Config:
    """Read a ``.replylint.toml`` (top-level keys) or a ``pyproject.toml`` ([tool.replylint])."""
    file = Path(path)
    data = _read_toml(file)
    where = str(file)
    if file.name == PYPROJECT:
        found = _tool_table(file, data)
        if found is None:
            raise ConfigError(f"{file}: no [tool.replylint] table")
        data = found
        where = f"{file} [tool.replylint]"
    return config_from_table(
        data, where=where, base=file.resolve().parent, config_file=str(file.resolve())
    )


def config_file_in(folder: Path) -> Path | None:
    """The configuration file of ``folder`` itself, if it has one."""
    candidate = folder / CONFIG_FILES[0]
    if candidate.is_file():
        return candidate
    candidate = folder / PYPROJECT
    if candidate.is_file() and _tool_table(candidate, _read_toml(candidate)) is not None:
        return candidate
    return None


def find_config_file(directory: str | Path) -> Path | None:
    """The closest configuration file in ``directory`` or a folder above it."""
    start = Path(directory).resolve()
    for folder in (start, *start.parents):
        found = config_file_in(folder)
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------------------------------
# The command line's view: options over files
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line; they win over every configuration file.

    ``--select`` replaces the file's ``select``, ``extend-select`` and ``ignore`` (then
    ``--extend-select`` and ``--ignore`` apply); otherwise ``--extend-select`` and ``--ignore``
    add to the file's.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    model: str | None = None
    max_draft_chars: int | None = None
    channel: ChannelSetting | None = None

    def apply(self, config: Config) -> Config:
        update: dict[str, Any] = {}
        if self.channel is not None:
            update["channel"] = self.channel
        if self.max_draft_chars is not None:
            update["max_draft_chars"] = self.max_draft_chars
        if self.select is not None:
            update.update(select=self.select, extend_select=self.extend_select, ignore=self.ignore)
        else:
            if self.extend_select:
                update["extend_select"] = (*config.extend_select, *self.extend_select)
            if self.ignore:
                update["ignore"] = (*config.ignore, *self.ignore)
        if self.fail_on is not None:
            update["fail_on"] = self.fail_on
        if self.model is not None:
            update["model"] = self.model
        return config.model_copy(update=update) if update else config


class ConfigResolver:
    """The configuration of each linted file: the ``--config`` file, none (``--isolated``), or
    the closest configuration file above the file (found once per folder); then the command
    line's overrides."""

    def __init__(
        self,
        *,
        config_file: str | None = None,
        isolated: bool = False,
        overrides: Overrides | None = None,
    ) -> None:
        if config_file is not None and isolated:
            raise ConfigError("--config and --isolated cannot be used together")
        self.overrides = overrides or Overrides()
        self._fixed: Config | None = None
        if isolated:
            self._fixed = self.overrides.apply(Config())
        elif config_file is not None:
            self._fixed = self.overrides.apply(load_config(config_file))
        self._by_dir: dict[Path, Config] = {}
        self._by_raw_dir: dict[str, Config] = {}
        self._by_file: dict[Path, Config] = {}

    def for_path(self, path: str) -> Config:
        """The configuration for the file ``path`` (``-``: standard input, from here)."""
        if self._fixed is not None:
            return self._fixed
        if path == "-":
            return self._for_dir(Path.cwd().resolve())
        if os.path.islink(path):  # a link's target folder decides
            return self._for_dir(Path(path).resolve().parent)
        raw = os.path.dirname(path)
        if raw not in self._by_raw_dir:  # files of one folder: resolve the folder once
            self._by_raw_dir[raw] = self._for_dir(Path(path).resolve().parent)
        return self._by_raw_dir[raw]

    def _for_dir(self, folder: Path) -> Config:
        """Walks up once per folder: every folder passed on the way is remembered."""
        if folder not in self._by_dir:
            found = config_file_in(folder)
            if found is not None:
                if found not in self._by_file:
                    self._by_file[found] = self.overrides.apply(load_config(found))
                self._by_dir[folder] = self._by_file[found]
            elif folder.parent != folder:
                self._by_dir[folder] = self._for_dir(folder.parent)
            else:
                self._by_dir[folder] = self.overrides.apply(Config())
        return self._by_dir[folder]
