"""Linting paths in a project: each file with its own configuration.

The command line (and so the pre-commit hook) names files and folders; each file is linted
with the configuration closest to it (:class:`~replylint.config.ConfigResolver`), files that
configuration excludes are skipped, and files sharing a configuration are linted together by
one :class:`~replylint.Linter`. The per-file work (reading, suppressions) is the runner's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .api import Linter
from .config import PYPROJECT, Config, ConfigError, ConfigResolver
from .models import FileReport, Report, Rule
from .runner import STDIN_NAME, Run, lint_paths
from .sources import STDIN, ReadOptions, discover

CHUNK = 16  # files per progress step


@dataclass
class Group:
    """Files sharing one configuration."""

    config: Config
    paths: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What a run will lint: files grouped by configuration, in the order they were found."""

    groups: list[Group] = field(default_factory=list)
    errors: list[FileReport] = field(default_factory=list)  # paths that cannot be linted
    excluded: list[str] = field(default_factory=list)
    order: dict[str, int] = field(default_factory=dict)  # shown path -> position
    cli_model: str | None = None  # --model, which wins over the files' `model`

    @property
    def files(self) -> int:
        return sum(len(g.paths) for g in self.groups)


def _key(config: Config) -> str:
    return f"{config.config_file}\0{config.model_dump_json()}"


def plan(paths: list[str], resolver: ConfigResolver) -> Plan:
    """Find the files under ``paths``, their configurations, and which ones are excluded.

    Raises :class:`~replylint.config.ConfigError` for an invalid configuration file.
    """
    out = Plan(cli_model=resolver.overrides.model)
    groups: dict[str, Group] = {}
    for path, error in dict.fromkeys(discover(paths)):
        shown = STDIN_NAME if path == STDIN else path
        if shown in out.order:
            continue
        if error is None:
            config = resolver.for_path(path)
            if path != STDIN and config.is_excluded(path):
                out.excluded.append(path)
                continue
            groups.setdefault(_key(config), Group(config)).paths.append(path)
        else:
            out.errors.append(FileReport(path=shown, error=error))
        out.order[shown] = len(out.order)
    out.groups = list(groups.values())
    return out


@dataclass
class Outcome:
    """A finished run: the report, file texts for excerpts, the rules that could fire, and
    whether any file's findings reach its configuration's ``fail-on``."""

    run: Run
    rules: dict[str, Rule]
    fails: bool

    @property
    def report(self) -> Report:
        return self.run.report


def _linter(make: Callable[[Config], Linter], config: Config, cli_model: str | None) -> Linter:
    """A Linter for ``config``; a pipeline named by a configuration file that cannot be loaded
    is an error about that file's ``model`` key."""
    from .nlp import ModelError

    try:
        return make(config)
    except ModelError as exc:
        if config.config_file is None or config.model is None or config.model == cli_model:
            raise
        where = config.config_file
        if Path(where).name == PYPROJECT:
            where += " [tool.replylint]"
        raise ConfigError(f"{where}: model: {exc}") from None


def lint_plan(
    the_plan: Plan,
    *,
    linter_for: Callable[[Config], Linter] | None = None,
    customer: str | None = None,
    options: ReadOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Lint every group with its own Linter; ``progress`` is called with the number of files
    finished after each step. The configuration's ``text-field`` applies unless ``options``
    names one. Raises :class:`~replylint.nlp.ModelError` (or ``ConfigError`` for a file's
    ``model``) when a pipeline cannot be loaded."""
    make = linter_for or Linter
    linters: dict[str, Linter] = {}
    run = Run(files=list(the_plan.errors))
    rules: dict[str, Rule] = {}
    fails = False
    for group in the_plan.groups:
        key = _key(group.config)
        if key not in linters:
            linters[key] = _linter(make, group.config, the_plan.cli_model)
        linter = linters[key]
        rules.update(linter.rulebook.rules)
        read = options or ReadOptions()
        if read.text_field is None and group.config.text_field is not None:
            read = dataclasses.replace(read, text_field=group.config.text_field)
        step = CHUNK if progress is not None else max(1, len(group.paths))
        for i in range(0, len(group.paths), step):
            chunk = group.paths[i : i + step]
            part = lint_paths(linter, chunk, customer=customer, options=read)
            run.files.extend(part.files)
            run.sources.update(part.sources)
            fails = fails or linter.fails(f for file in part.files for f in file.findings)
            if progress is not None:
                progress(len(chunk))
    order = the_plan.order
    run.files.sort(key=lambda f: order.get(f.path, len(order)))
    return Outcome(run=run, rules=rules, fails=fails)
