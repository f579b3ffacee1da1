"""The command line: ``replylint check``, ``replylint rules``.

Importing this module does not import spaCy; only ``check`` loads a pipeline.
"""

from __future__ import annotations

import json
import os
import sys
from typing import NoReturn

import click

from .__about__ import __version__
from .models import Category, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> NoReturn:
    click.echo(f"replylint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _ids(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _use_color(choice: str) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="replylint")
def main() -> None:
    """An empathy linter for customer-service reply drafts.

    Flags replies that read cold (a bare "it's our policy", a terse "Nope.", no word for how the
    customer feels, a story about the writer's own week) with the exact span, why it matters and
    a rewrite.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default=None,
    help="Exit 1 when a finding is at or above this severity.  [default: warning]",
)
@click.option(
    "--select", multiple=True, metavar="IDS", help="Comma-separated rule ids to run (default: all)."
)
@click.option("--ignore", multiple=True, metavar="IDS", help="Comma-separated rule ids to skip.")
@click.option(
    "--customer",
    type=click.Path(dir_okay=False),
    default=None,
    help="A file holding the customer's message the (single) draft replies to.",
)
@click.option(
    "--model", default=None, metavar="NAME", help="spaCy pipeline to use (package name or path)."
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output (never when NO_COLOR is set).",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    customer: str | None,
    model: str | None,
    color: str,
) -> None:
    """Lint reply drafts: files, directories, or - for standard input.

    Exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage, model or
    file errors.
    """
    from .config import Config
    from .rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook()
        config = Config(
            select=tuple(book.resolve_ids(_ids(select), "--select")) if select else ("ALL",),
            ignore=tuple(book.resolve_ids(_ids(ignore), "--ignore")),
            model=model,
            fail_on=Severity(fail_on) if fail_on else Severity.WARNING,
        )
    except RuleBookError as exc:
        _fail(str(exc))

    customer_text: str | None = None
    if customer is not None:
        from .sources import SourceError, discover
        from .sources.base import decode

        targets = [p for p, _ in discover(list(paths))]
        if len(targets) != 1:
            _fail(f"--customer applies to a single draft, but {len(targets)} files were given")
        try:
            with open(customer, "rb") as fh:
                customer_text = decode(fh.read())
        except OSError as exc:
            _fail(f"{customer}: {exc.strerror or exc}")
        except SourceError as exc:
            _fail(f"{customer}: {exc}")

    from .api import Linter
    from .nlp import ModelError
    from .output import FORMATTERS
    from .runner import lint_paths

    try:
        linter = Linter(config)
    except (ModelError, RuleBookError) as exc:  # a rule that does not compile, too
        _fail(str(exc))
    run = lint_paths(linter, list(paths), customer=customer_text)
    report = run.report
    for file in report.files:
        if file.error:
            click.echo(f"replylint: error: {file.path}: {file.error}", err=True)
    use_color = _use_color(color) if fmt == "text" else False
    click.echo(
        FORMATTERS[fmt](report, color=use_color, sources=run.sources), nl=False, color=use_color
    )
    if any(f.error for f in report.files):
        sys.exit(EXIT_ERROR)
    findings = [f for file in report.files for f in file.findings]
    sys.exit(EXIT_FINDINGS if linter.fails(findings) else EXIT_CLEAN)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def rules(fmt: str) -> None:
    """List every rule: id, category, severity, summary and source."""
    from .rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook()
    except RuleBookError as exc:
        _fail(str(exc))
    if fmt == "json":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "category": r.category.value,
                "severity": r.severity.value,
                "summary": r.summary,
                "source": [s.model_dump() for s in r.source],
            }
            for r in book.rules.values()
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    width = max(len(r) for r in book.rules)
    order = list(Category)
    for r in sorted(book.rules.values(), key=lambda r: (order.index(r.category), r.id)):
        src = "; ".join(f'{s.file[:3]} "{s.heading}"' for s in r.source)
        click.echo(f"{r.id:<{width}}  {r.category.value:<13} {r.severity.value:<7}  {r.summary}")
        click.echo(f"{'':<{width}}  source: {src}")


@main.command()
@click.argument("rule_id", metavar="RULE")
def explain(rule_id: str) -> None:
    """Explain a rule: what it flags, why, an example with its rewrite, how to disable it."""
    from .explain import explain as render
    from .rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook()
        (resolved,) = book.resolve_ids([rule_id], "explain")
    except RuleBookError as exc:
        _fail(str(exc))
    click.echo(render(book.rules[resolved]))


@main.command(name="eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--misses", is_flag=True, help="List the case ids of every false positive/negative.")
@click.option("--model", default=None, metavar="NAME", help="spaCy pipeline to use.")
def eval_command(corpus: str, misses: bool, model: str | None) -> None:
    """Measure the rules on a labelled corpus: per-rule precision, recall and F1."""
    from pathlib import Path

    from .api import Linter
    from .evaluate import EvalError, format_table, load_corpus, score
    from .nlp import ModelError
    from .rulebook import RuleBookError, load_rulebook

    try:
        cases = load_corpus(Path(corpus), load_rulebook())
        linter = Linter(model=model)
    except (EvalError, ModelError, RuleBookError) as exc:
        _fail(str(exc))
    reports = linter.check_many([(c.text, c.customer) for c in cases])
    fired = [{f.rule for f in r.findings} for r in reports]
    per_rule, total = score(cases, fired, linter.rulebook)
    click.echo(f"{len(cases)} cases in {corpus}")
    click.echo(format_table(per_rule, total, show_misses=misses))


if __name__ == "__main__":  # pragma: no cover
    main()
