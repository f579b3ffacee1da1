"""``replylint eval``: the rules measured on a labelled corpus."""

from __future__ import annotations

from pathlib import Path

import click

from ..channels import CHANNELS
from .app import main
from .common import fail


@main.command(name="eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--misses", is_flag=True, help="List the case ids of every false positive/negative.")
@click.option("--model", default=None, metavar="NAME", help="spaCy pipeline to use.")
@click.option(
    "--rewrites",
    is_flag=True,
    help="CORPUS is a rewrite corpus: measure the suggestions (per builder: the gate's pass "
    "rate, fallbacks, dropped, exact matches against the expected suggestions).",
)
def eval_command(corpus: str, misses: bool, model: str | None, rewrites: bool) -> None:
    """Measure the rules on a labelled corpus: per-rule precision, recall and F1 (with
    --rewrites: the suggestions on a rewrite corpus)."""
    from pathlib import Path

    from ..api import Linter, own_process

    own_process()  # the command line owns this process: see own_process
    if rewrites:
        _eval_rewrites(Path(corpus), model)
        return
    from ..evaluate import EvalError, format_table, lint_cases, load_corpus, score
    from ..nlp import ModelError
    from ..rulebook import RuleBookError, load_rulebook

    try:
        cases = load_corpus(Path(corpus), load_rulebook())
        linter = Linter(model=model)
    except (EvalError, ModelError, RuleBookError) as exc:
        fail(str(exc))
    reports = lint_cases(linter, cases)
    fired = [{f.rule for f in r.findings} for r in reports]
    per_rule, total = score(cases, fired, linter.rulebook)
    click.echo(f"{len(cases)} cases in {corpus}")
    click.echo(format_table(per_rule, total, show_misses=misses))
    for channel in CHANNELS:  # each channel's cases (those linted for it)
        mine = [n for n, r in enumerate(reports) if r.channel == channel]
        if not mine:
            continue
        per_rule, total = score([cases[n] for n in mine], [fired[n] for n in mine], linter.rulebook)
        click.echo(f"\nchannel {channel}: {len(mine)} cases")
        click.echo(format_table(per_rule, total, show_misses=misses))


def _eval_rewrites(corpus: Path, model: str | None) -> None:
    from ..api import Linter
    from ..nlp import ModelError
    from ..suggestions import (
        RewriteCorpusError,
        format_rewrites,
        load_rewrites,
        score_rewrites,
    )

    try:
        cases = load_rewrites(corpus)
        linter = Linter(model=model)
    except (RewriteCorpusError, ModelError) as exc:
        fail(str(exc))
    click.echo(f"{len(cases)} drafts in {corpus}")
    click.echo(format_rewrites(score_rewrites(linter, cases)))
