"""The ``replylint`` command group; each command is in its own module of this package."""

from __future__ import annotations

import click

from ..__about__ import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="replylint")
def main() -> None:
    """An empathy linter for customer-service reply drafts.

    Flags replies that read cold (a bare "it's our policy", a terse "Nope.", no word for how the
    customer feels, a story about the writer's own week) with the exact span, why it matters and
    a rewrite.
    """
