"""``replylint rules``, ``explain`` and ``schema``: the rule book and the schemas (no spaCy)."""

from __future__ import annotations

import json

import click

from ..models import Category
from .app import main
from .common import fail


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
    from ..rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook()
    except RuleBookError as exc:
        fail(str(exc))
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
        src = "; ".join(f'{s.file[:3]} "{s.heading}"' for s in r.source) or "built in"
        click.echo(f"{r.id:<{width}}  {r.category.value:<13} {r.severity.value:<7}  {r.summary}")
        click.echo(f"{'':<{width}}  source: {src}")


@main.command()
@click.argument("rule_id", metavar="RULE")
def explain(rule_id: str) -> None:
    """Explain a rule: what it flags, why, an example with its rewrite, how to disable it."""
    from ..explain import explain as render
    from ..rulebook import RuleBookError, load_rulebook

    try:
        book = load_rulebook()
    except RuleBookError as exc:
        fail(str(exc))
    if rule_id not in book.rules:
        fail(f"unknown rule {rule_id!r}{book.did_you_mean(rule_id)} (`replylint rules` lists them)")
    click.echo(render(book.rules[rule_id]))


@main.command()
@click.argument("kind", type=click.Choice(["rule", "signals", "config"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a rule file (rules/*.yaml), the signals file
    (rules/_signals.yaml) or the configuration (.replylint.toml, [tool.replylint])."""
    from ..docs import schema_text

    click.echo(schema_text(kind), nl=False)
