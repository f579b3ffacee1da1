"""What a run lints: the files under the paths given, each with its own configuration.

The command line (and so the pre-commit hook) names files and folders; :func:`plan_run` finds
the files once (the run reads them from its plan, never walks the folders again), the
configuration closest to each (:class:`~replylint.config.ConfigResolver`), and which ones
that configuration excludes. Files sharing a configuration are linted by one
:class:`~replylint.Linter` (:class:`~.session.Linters`).
"""

from __future__ import annotations

import dataclasses
import os
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import PYPROJECT, Config, ConfigError, ConfigResolver
from ..models import FileReport
from ..sources import STDIN, ReadOptions, Skipped, discover

if TYPE_CHECKING:
    from ..api import Linter

STDIN_NAME = "<stdin>"


class Paths:
    """File paths in the order added, kept compactly: the names in one folder as one string
    (a ``str`` per path, in a list and in a dict of positions, cost ~300 bytes a file: a run
    over 100,000 files held 30 MB more than one over 10,000)."""

    __slots__ = ("_chunks", "_count", "_names", "_prefix")
    CHUNK = 1024  # names joined at a time

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self._chunks: list[tuple[str, str]] = []  # (folder prefix, names joined by NUL)
        self._prefix = ""
        self._names: list[str] = []
        self._count = 0
        for path in paths:
            self.append(path)

    def append(self, path: str) -> None:
        name = os.path.basename(path)  # a path never holds NUL (os.stat refuses it)
        prefix = path[: len(path) - len(name)]  # exactly: prefix + name == path
        if prefix != self._prefix or len(self._names) >= self.CHUNK:
            self._seal()
            self._prefix = prefix
        self._names.append(name)
        self._count += 1

    def _seal(self) -> None:
        if self._names:
            self._chunks.append((self._prefix, "\0".join(self._names)))
            self._names = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        for prefix, names in self._chunks:
            for name in names.split("\0"):
                yield prefix + name
        prefix = self._prefix
        for name in list(self._names):
            yield prefix + name

    def __repr__(self) -> str:
        return f"Paths({list(self)!r})"


@dataclass
class Group:
    """Files sharing one configuration."""

    config: Config
    paths: Paths = field(default_factory=Paths)


@dataclass
class Plan:
    """What a run will lint: files grouped by configuration, in the order they were found.

    Memory per file is a few bytes beyond its path's characters: ``sequence`` says, for each
    file or error in the order found, which group holds it (or which error it is, as
    ``-1 - index``)."""

    groups: list[Group] = field(default_factory=list)
    errors: list[FileReport] = field(default_factory=list)  # paths that cannot be linted
    excluded: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): FIFOs, devices
    sequence: array[int] = field(default_factory=lambda: array("i"))
    cli_model: str | None = None  # --model, which wins over the files' `model`
    stdin_name: str = STDIN_NAME  # how standard input is shown (--stdin-filename)
    found: int = 0  # everything discovery yielded, a path named twice twice (--customer)

    def path_of(self, shown: str) -> str:
        """The path to read for a file shown as ``shown`` (``-`` for standard input)."""
        return STDIN if shown == self.stdin_name else shown

    @property
    def files(self) -> int:
        return sum(len(g.paths) for g in self.groups)

    def shown(self) -> Iterator[tuple[str, Group | FileReport]]:
        """Each file (its path as shown) with its group, or each error, in the order found."""
        paths = [iter(g.paths) for g in self.groups]
        for code in self.sequence:
            if code < 0:
                error = self.errors[-1 - code]
                yield error.path, error
            else:
                path = next(paths[code])
                yield (self.stdin_name if path == STDIN else path), self.groups[code]

    @property
    def order(self) -> dict[str, int]:
        """Shown path -> position in the order found (built on each use)."""
        return {shown: n for n, (shown, _) in enumerate(self.shown())}


def config_key(config: Config) -> str:
    """Configurations with the same key share a Linter."""
    return f"{config.config_file}\0{config.model_dump_json()}"


def plan_run(paths: list[str], resolver: ConfigResolver, *, stdin_name: str | None = None) -> Plan:
    """Find the files under ``paths``, their configurations, and which ones are excluded.
    ``stdin_name``: standard input is linted as if it were that file (its configuration, its
    ``exclude``; the name is shown).

    Raises :class:`~replylint.config.ConfigError` for an invalid configuration file.
    """
    out = Plan(cli_model=resolver.overrides.model, stdin_name=stdin_name or STDIN_NAME)
    groups: dict[str, int] = {}
    # one folder's walk never finds a file twice: only several paths can name one twice
    seen: set[str] | None = set() if len(paths) > 1 else None
    for path, error in discover(paths):
        out.found += 1
        shown = out.stdin_name if path == STDIN else path
        if seen is not None:
            if shown in seen:
                continue
            seen.add(shown)
        if isinstance(error, Skipped):  # found in a folder; not an error, but said
            out.skipped.append((shown, str(error)))
            continue
        if error is None:
            as_path = stdin_name if path == STDIN else path
            config = resolver.for_path(as_path or STDIN)
            if as_path is not None and config.is_excluded(as_path):
                out.excluded.append(as_path)
                continue
            index = groups.setdefault(config_key(config), len(out.groups))
            if index == len(out.groups):
                out.groups.append(Group(config))
            out.groups[index].paths.append(path)
            out.sequence.append(index)
        else:
            out.errors.append(FileReport(path=shown, error=error))
            out.sequence.append(-len(out.errors))
    return out


def make_linter(make: Callable[[Config], Linter], config: Config, cli_model: str | None) -> Linter:
    """A Linter for ``config``; a pipeline named by a configuration file that cannot be loaded
    is an error about that file's ``model`` key."""
    from ..nlp import ModelError  # (spaCy only once a Linter is made)

    try:
        return make(config)
    except ModelError as exc:
        if config.config_file is None or config.model is None or config.model == cli_model:
            raise
        where = config.config_file
        if Path(where).name == PYPROJECT:
            where += " [tool.replylint]"
        raise ConfigError(f"{where}: model: {exc}") from None


def read_options(group: Group, options: ReadOptions | None) -> ReadOptions:
    """How the group's files are read: ``options``, with the configuration's ``text-field``
    unless ``options`` names one."""
    read = options or ReadOptions()
    if read.text_field is None and group.config.text_field is not None:
        read = dataclasses.replace(read, text_field=group.config.text_field)
    return read
