"""``replylint init``: configuration and pre-commit hook for a repository of replies."""

from __future__ import annotations

import sys

import click

from .app import main
from .common import EXIT_ERROR


@main.command()
@click.argument(
    "directory", default=".", type=click.Path(exists=True, file_okay=False), metavar="[DIR]"
)
@click.option("--force", is_flag=True, help="Overwrite replylint's configuration and hook entry.")
@click.option(
    "--repo",
    default=None,
    metavar="URL",
    help="The git repository the pre-commit hook is taken from.  [default: replylint's]",
)
@click.option(
    "--rev",
    default=None,
    metavar="REV",
    help="Pin the hook to this tag or commit.  [default: v<installed version>, or the commit "
    "of the git checkout replylint runs from]",
)
def init(directory: str, force: bool, repo: str | None, rev: str | None) -> None:
    """Set a repository of replies up: configuration and pre-commit hook.

    Writes a commented [tool.replylint] table at the end of pyproject.toml (if there is one;
    nothing else in it changes) or a .replylint.toml, with the draft formats and channels found
    and the files that are not replies excluded; and replylint's hooks in
    .pre-commit-config.yaml (created, or appended to). Nothing is overwritten without --force.
    """
    from pathlib import Path

    from ..init import init as set_up

    root = Path(directory)
    found, actions, errors = set_up(root, force=force, repo=repo, rev=rev)
    for action in actions:
        click.echo(str(action))
    formats = ", ".join(f"{n} {s}" for s, n in sorted(found.formats.items())) or "none"
    click.echo(f"Draft files: {formats}.")
    kinds = {"email": found.email, "social": found.social, "macro": found.macro}
    channels = [name for name, files in kinds.items() if files]
    if channels:
        click.echo(f"Channels: {', '.join(channels)} (written as comments; picked per draft).")
    if found.not_replies:
        click.echo(f"Excluded as not replies: {', '.join(p for p, _ in found.not_replies)}.")
    for error in errors:
        click.echo(f"replylint: error: {error}", err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    if any(a.path == ".pre-commit-config.yaml" and a.done != "kept" for a in actions):
        git = "" if (root / ".git").exists() else "git init, then "
        click.echo(f"Next: {git}pip install pre-commit && pre-commit install")
