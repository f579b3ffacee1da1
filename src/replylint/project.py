"""Linting paths in a project: each file with its own configuration.

The command line (and so the pre-commit hook) names files and folders; each file is linted
with the configuration closest to it (:class:`~replylint.config.ConfigResolver`), files that
configuration excludes are skipped, and files sharing a configuration are linted together by
one :class:`~replylint.Linter`. The per-file work (reading, suppressions) is the runner's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .api import Linter
from .config import PYPROJECT, Config, ConfigError, ConfigResolver
from .models import FileReport, Rule
from .runner import STDIN_NAME, FileResult, lint_files
from .sources import STDIN, ReadOptions, Skipped, discover


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
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): FIFOs, devices
    order: dict[str, int] = field(default_factory=dict)  # shown path -> position
    cli_model: str | None = None  # --model, which wins over the files' `model`
    stdin_name: str = STDIN_NAME  # how standard input is shown (--stdin-filename)

    def path_of(self, shown: str) -> str:
        """The path to read for a file shown as ``shown`` (``-`` for standard input)."""
        return STDIN if shown == self.stdin_name else shown

    @property
    def files(self) -> int:
        return sum(len(g.paths) for g in self.groups)


def _key(config: Config) -> str:
    return f"{config.config_file}\0{config.model_dump_json()}"


def plan(paths: list[str], resolver: ConfigResolver, *, stdin_name: str | None = None) -> Plan:
    """Find the files under ``paths``, their configurations, and which ones are excluded.
    ``stdin_name``: standard input is linted as if it were that file (its configuration, its
    ``exclude``; the name is shown).

    Raises :class:`~replylint.config.ConfigError` for an invalid configuration file.
    """
    out = Plan(cli_model=resolver.overrides.model, stdin_name=stdin_name or STDIN_NAME)
    groups: dict[str, Group] = {}
    for path, error in dict.fromkeys(discover(paths)):
        shown = out.stdin_name if path == STDIN else path
        if shown in out.order:
            continue
        if isinstance(error, Skipped):  # found in a folder; not an error, but said
            out.skipped.append((shown, str(error)))
            continue
        if error is None:
            as_path = stdin_name if path == STDIN else path
            config = resolver.for_path(as_path or STDIN)
            if as_path is not None and config.is_excluded(as_path):
                out.excluded.append(as_path)
                continue
            groups.setdefault(_key(config), Group(config)).paths.append(path)
        else:
            out.errors.append(FileReport(path=shown, error=error))
        out.order[shown] = len(out.order)
    out.groups = list(groups.values())
    return out


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


class Session:
    """A run over a plan, streamed: iterate it for each file's result, in the order the files
    were found. ``rules`` (the rules that could fire) is known before the first file;
    ``fails`` (whether any file's findings reach its configuration's ``fail-on``) and
    ``errors`` grow as results come.

    Raises :class:`~replylint.nlp.ModelError` (or ``ConfigError`` for a file's ``model``) when
    a pipeline cannot be loaded: on creation for an eager Linter, else on iteration.
    """

    def __init__(
        self,
        the_plan: Plan,
        *,
        linter_for: Callable[[Config], Linter] | None = None,
        customer: str | None = None,
        options: ReadOptions | None = None,
    ) -> None:
        make = linter_for or Linter
        self.plan = the_plan
        self.customer = customer
        self.options = options
        self.linters: dict[str, Linter] = {}
        self.rules: dict[str, Rule] = {}
        for group in the_plan.groups:
            key = _key(group.config)
            if key not in self.linters:
                self.linters[key] = _linter(make, group.config, the_plan.cli_model)
            self.rules.update(self.linters[key].rulebook.rules)
        self.fails = False
        self.errors = 0

    def __iter__(self) -> Iterator[FileResult]:
        """Files in discovery order; consecutive files of one configuration are linted
        together (batched through one Linter)."""
        where: dict[str, Group] = {p: g for g in self.plan.groups for p in g.paths}
        errors = {f.path: f for f in self.plan.errors}
        order = sorted(self.plan.order, key=self.plan.order.__getitem__)
        i = 0
        while i < len(order):
            shown = order[i]
            if shown in errors:
                self.errors += 1
                yield FileResult(errors[shown], None)
                i += 1
                continue
            group = where[self.plan.path_of(shown)]
            run = []
            while i < len(order) and where.get(self.plan.path_of(order[i])) is group:
                run.append(self.plan.path_of(order[i]))
                i += 1
            linter = self.linters[_key(group.config)]
            read = self.options or ReadOptions()
            if read.text_field is None and group.config.text_field is not None:
                read = dataclasses.replace(read, text_field=group.config.text_field)
            stdin_name = None if self.plan.stdin_name == STDIN_NAME else self.plan.stdin_name
            for result in lint_files(
                linter, run, customer=self.customer, options=read, stdin_name=stdin_name
            ):
                if result.report.error:
                    self.errors += 1
                elif linter.fails(result.report.findings):
                    self.fails = True
                yield result

    def close(self) -> None:
        """Stop any worker processes."""
        for linter in self.linters.values():
            linter.close()


def lint_plan(
    the_plan: Plan,
    *,
    linter_for: Callable[[Config], Linter] | None = None,
    customer: str | None = None,
    options: ReadOptions | None = None,
) -> Session:
    """A :class:`Session` over the plan: iterate it to lint. The configuration's
    ``text-field`` applies unless ``options`` names one."""
    return Session(the_plan, linter_for=linter_for, customer=customer, options=options)
