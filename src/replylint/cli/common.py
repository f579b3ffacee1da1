"""What the commands share: exit codes, errors, rule-id lists, colour, the options of check and
fix (--jobs by default: :func:`auto_jobs`), and the one place a run's configuration and plan
are built from the command line."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TextIO

import click

from ..models import Severity

if TYPE_CHECKING:
    from ..config import Overrides
    from ..run.plan import Plan

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# from this many files, or bytes of them, --jobs defaults to the CPU count
AUTO_JOBS_FILES, AUTO_JOBS_BYTES = 64, 1 << 20


def warn_skipped(the_plan: Plan) -> None:
    """One line on standard error for each special file (a FIFO, a device) found in a folder."""
    for path, why in the_plan.skipped:
        click.echo(f"replylint: warning: {path}: {why}", err=True)


def fail(message: str) -> NoReturn:
    click.echo(f"replylint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def ids(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def use_color(choice: str) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty()


def run_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options check and fix share: configuration, rule selection, model, readers, colour."""
    for option in reversed(_RUN_OPTIONS):
        command = option(command)
    return command


_RUN_OPTIONS = [
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        default=None,
        metavar="FILE",
        help="Use this configuration file (a .replylint.toml, or a pyproject.toml with "
        "[tool.replylint]) for every path instead of the closest one to each file.",
    ),
    click.option(
        "--isolated", is_flag=True, help="Ignore every configuration file (use the defaults)."
    ),
    click.option(
        "--extend-select",
        multiple=True,
        metavar="IDS",
        help="Comma-separated rule ids to run in addition to the selected ones.",
    ),
    click.option(
        "--select",
        multiple=True,
        metavar="IDS",
        help="Comma-separated rule ids to run, instead of the configuration's select, "
        "extend-select and ignore (default: all).",
    ),
    click.option(
        "--ignore", multiple=True, metavar="IDS", help="Comma-separated rule ids to skip."
    ),
    click.option(
        "--model",
        default=None,
        metavar="NAME",
        help="spaCy pipeline to use (package name or path).",
    ),
    click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the text output (never when NO_COLOR is set).",
    ),
    click.option(
        "--layout",
        type=click.Choice(["auto", "saved-replies"]),
        default="auto",
        show_default=True,
        help="Markdown layout: saved-replies reads one titled reply per '## Title' section "
        "(auto: only for files named SAVED_REPLIES.md).",
    ),
    click.option(
        "--channel",
        type=click.Choice(["auto", "email", "chat", "social", "macro", "thread"]),
        default=None,
        help="The channel the replies are written for; it decides which rules apply and how "
        "long a rewrite may be (auto: per draft, from its format and shape; default: the "
        "configuration's channel, else auto).",
    ),
    click.option(
        "--text-field",
        default=None,
        metavar="NAME",
        help="JSON/YAML/CSV: the field (column) holding each reply's text.",
    ),
    click.option(
        "--customer-field",
        default=None,
        metavar="NAME",
        help="JSON/YAML/CSV: the field (column) holding the customer's message each reply answers.",
    ),
]


def plan_command_line(
    paths: tuple[str, ...],
    *,
    config_file: str | None,
    isolated: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    model: str | None,
    fail_on: str | None = None,
    max_draft_chars: int | None = None,
    stdin_name: str | None = None,
    channel: str | None = None,
) -> Plan:
    """The run ``check`` and ``fix`` make of their command line: the overrides, the resolver of
    each file's configuration, and the plan (discovery, once). An invalid configuration or an
    unknown rule id ends the command (exit 2); each special file skipped gets a warning."""
    from ..config import ConfigError, ConfigResolver, Overrides
    from ..rulebook import RuleBookError
    from ..run.plan import plan_run

    overrides = Overrides(
        select=tuple(ids(select)) if select else None,
        extend_select=tuple(ids(extend_select)),
        ignore=tuple(ids(ignore)),
        model=model,
        fail_on=Severity(fail_on) if fail_on else None,
        max_draft_chars=max_draft_chars,
        channel=channel,  # type: ignore[arg-type]  # one of click's choices
    )
    try:
        resolver = ConfigResolver(config_file=config_file, isolated=isolated, overrides=overrides)
        the_plan = plan_run(list(paths), resolver, stdin_name=stdin_name)
        _check_option_ids(the_plan, overrides)
    except (ConfigError, RuleBookError) as exc:
        fail(str(exc))
    warn_skipped(the_plan)
    return the_plan


def _check_option_ids(the_plan: Plan, overrides: Overrides) -> None:
    """Rule ids given on the command line exist in the rule book of every configuration (which
    may add rules from its ``rules-dir``)."""
    from pathlib import Path

    from ..config import Config
    from ..rulebook import load_rulebook

    configs = [g.config for g in the_plan.groups] or [Config()]
    for folders in dict.fromkeys(c.rules_dir for c in configs):
        book = load_rulebook(tuple(Path(d) for d in folders))
        book.resolve_ids(list(overrides.select or ()), "--select")
        book.resolve_ids(list(overrides.extend_select), "--extend-select")
        book.resolve_ids(list(overrides.ignore), "--ignore")


class AtomicOutput:
    """``--output-file``: the report goes to a temporary file beside ``path`` (UTF-8, ``\n``
    line ends), renamed over it by :meth:`commit`; leaving the ``with`` block without a commit
    (an error, an exit) removes the temporary file and leaves ``path`` as it was. An existing
    file keeps its mode; a new one gets the mode the umask allows."""

    def __init__(self, path: str) -> None:
        import tempfile

        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        fd, self.temp = tempfile.mkstemp(
            dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp"
        )
        self.stream: TextIO = open(  # noqa: SIM115 (closed by commit or __exit__)
            fd, "w", encoding="utf-8", errors="surrogateescape", newline=""
        )
        self.done = False

    def __enter__(self) -> AtomicOutput:
        return self

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.temp, mode)
        os.replace(self.temp, self.path)
        self.done = True

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.stream.close()
            with contextlib.suppress(OSError):
                os.unlink(self.temp)


def auto_jobs(the_plan: Plan) -> int:
    """--jobs by default: one process for a few files (a hook's commit), the CPU count for a
    library or an archive. Worker processes start only for drafts the cache cannot answer."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cpus or cpus < 2:
        return 1
    if the_plan.files >= AUTO_JOBS_FILES:
        return cpus
    size = 0
    for path in (p for g in the_plan.groups for p in g.paths):
        try:
            size += os.stat(path).st_size
        except OSError:
            continue
    return cpus if size >= AUTO_JOBS_BYTES else 1
