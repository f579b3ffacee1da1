"""A run over a plan: one Linter per configuration, and each file's result, streamed in the
order the files were found."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..api import Linter
from ..config import Config
from ..models import FileReport, Rule
from ..sources import ReadOptions
from .files import FileResult, lint_files
from .plan import STDIN_NAME, Group, Plan, config_key, make_linter, read_options


class Linters:
    """One Linter per configuration of a plan, made when the plan is taken up (``make``: a
    Config to a Linter; the default is :class:`~replylint.Linter` itself). ``rules``: every
    rule that could fire.

    Raises :class:`~replylint.nlp.ModelError` (or ``ConfigError`` for a file's ``model``) when
    a pipeline cannot be loaded: on creation for an eager Linter, else on use.
    """

    def __init__(self, the_plan: Plan, make: Callable[[Config], Linter] | None = None) -> None:
        make = make or Linter
        self.by_key: dict[str, Linter] = {}
        self.rules: dict[str, Rule] = {}
        for group in the_plan.groups:
            key = config_key(group.config)
            if key not in self.by_key:
                self.by_key[key] = make_linter(make, group.config, the_plan.cli_model)
            self.rules.update(self.by_key[key].rulebook.rules)

    def __getitem__(self, group: Group) -> Linter:
        return self.by_key[config_key(group.config)]

    def close(self) -> None:
        """Stop any worker processes."""
        for linter in self.by_key.values():
            linter.close()


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
        self.plan = the_plan
        self.customer = customer
        self.options = options
        self.linters = Linters(the_plan, linter_for)
        self.rules = self.linters.rules
        self.fails = False
        self.errors = 0

    def __iter__(self) -> Iterator[FileResult]:
        """Files in discovery order; consecutive files of one configuration are linted
        together (batched through one Linter)."""
        ahead = self.plan.shown()
        item = next(ahead, None)
        while item is not None:
            where = item[1]
            if isinstance(where, FileReport):
                self.errors += 1
                yield FileResult(where, None)
                item = next(ahead, None)
                continue
            group = where

            def run(group: Group) -> Iterator[str]:  # its files found in a row, lazily
                nonlocal item
                while item is not None and item[1] is group:
                    yield self.plan.path_of(item[0])
                    item = next(ahead, None)

            linter = self.linters[group]
            stdin_name = None if self.plan.stdin_name == STDIN_NAME else self.plan.stdin_name
            for result in lint_files(
                linter,
                run(group),
                customer=self.customer,
                options=read_options(group, self.options),
                stdin_name=stdin_name,
                discovered=True,
            ):
                if result.report.error:
                    self.errors += 1
                elif linter.fails(result.report.findings):
                    self.fails = True
                yield result

    def close(self) -> None:
        """Stop any worker processes."""
        self.linters.close()


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
