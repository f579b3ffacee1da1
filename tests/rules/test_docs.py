"""Generated documentation stays true: the JSON Schemas (schemas/) are what the models generate
and validate every shipped rule file; the rule reference pages (docs/rules/) are what the rule
book and real runs generate; SARIF points at them."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from replylint.cli import main
from replylint.docs import (
    BEFORE_AFTER_END,
    BEFORE_AFTER_START,
    SCHEMA_FILES,
    generated_files,
    schema_text,
    stale_files,
)
from replylint.links import REPOSITORY, RULE_DOCS, rule_docs_url
from replylint.rulebook import load_rulebook, read_yaml

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
BOOK = load_rulebook()
RULE_FILES = sorted(p for p in RULES.glob("*.yaml") if not p.name.startswith("_"))


def _schema(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "schemas" / SCHEMA_FILES[kind]).read_text("utf-8"))
    return data


def _validator(kind: str) -> jsonschema.Draft7Validator:
    schema = _schema(kind)
    jsonschema.Draft7Validator.check_schema(schema)  # a valid draft-07 schema
    return jsonschema.Draft7Validator(schema)


def _errors(kind: str, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator(kind).iter_errors(data)
    ]


# --------------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_shipped_schema_is_what_the_models_generate(kind: str) -> None:
    """Fails when a model changed and `python -m replylint.docs` was not run."""
    shipped = (ROOT / "schemas" / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    assert shipped == schema_text(kind), "run `python -m replylint.docs`"
    assert stale_files(ROOT, pages=False) == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_every_shipped_rule_file_validates_against_the_rule_schema(path: Path) -> None:
    assert _errors("rule", read_yaml(path)) == []


def test_the_signals_file_and_the_house_rule_validate() -> None:
    assert _errors("signals", read_yaml(RULES / "_signals.yaml")) == []
    house = ROOT / "examples" / "canned-responses" / "house-rules" / "dear-valued-customer.yaml"
    assert _errors("rule", read_yaml(house)) == []


def test_the_rule_schema_documents_and_enforces_the_format() -> None:
    schema = _schema("rule")
    props = schema["properties"]
    assert {"id", "examples", "kind", "summary", "why", "message"} <= set(schema["required"])
    assert "seed article" in props["source"]["description"]
    assert props["source"]["description"].startswith("required")
    # every property says what it holds (hover text in an editor)
    assert all(p.get("description") for p in props.values()), [
        k for k, p in props.items() if not p.get("description")
    ]
    good = read_yaml(RULES / "bare-policy.yaml")
    assert _errors("rule", good) == []
    no_source = {k: v for k, v in good.items() if k != "source"}
    assert _errors("rule", no_source) == [": 'source' is a required property"]
    no_match = {k: v for k, v in good.items() if k != "match"}  # an existence rule needs one
    assert any("'match' is a required property" in e for e in _errors("rule", no_match))
    both = {**good, "rewrite": {**good["rewrite"], "template": "x"}}
    assert _errors("rule", both)  # a builder or a template, not both
    typo = {**good, "severty": "warning"}
    assert any("severty" in e for e in _errors("rule", typo))
    bad_id = {**good, "id": "Bare_Policy"}
    assert any(e.startswith("id:") for e in _errors("rule", bad_id))


def test_the_config_schema_matches_the_loader() -> None:
    """What the schema accepts and rejects is what `load_config` accepts and rejects."""
    from replylint.config import KEYS

    schema = _schema("config")
    assert set(schema["properties"]) == set(KEYS)  # the keys as written in files
    assert all(p.get("description") for p in schema["properties"].values())
    example = tomllib.loads(
        (ROOT / "examples" / "canned-responses" / ".replylint.toml").read_text("utf-8")
    )
    assert _errors("config", example) == []
    assert _errors("config", {"rules-dir": ["a", "b"], "exclude": "README.md"}) == []
    assert _errors("config", {"fail-on": "fatal"}) == [
        "fail-on: 'fatal' is not one of ['info', 'warning', 'error']"
    ]
    assert any("fail_on" in e for e in _errors("config", {"fail_on": "error"}))
    assert _errors("config", {"severity": {"bare-policy": "loud"}})
    assert _errors("config", {"config_file": "x"})  # set by the loader, never in a file


def test_every_shipped_rule_file_names_its_schema() -> None:
    """The YAML language server's modeline, on the first line, with a path that resolves from
    the rules folder (in a checkout and in the wheel, where schemas/ sits beside rules/)."""
    for path in [*RULE_FILES, RULES / "_signals.yaml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = "signals" if path.name == "_signals.yaml" else "rule"
        assert first == f"# yaml-language-server: $schema=../schemas/{SCHEMA_FILES[kind]}", path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (ROOT / "schemas" / SCHEMA_FILES[kind]).resolve()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    shipped = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped["schemas"] == "replylint/schemas" and shipped["rules"] == "replylint/rules"


def test_schema_command_prints_the_shipped_schemas_without_spacy() -> None:
    for kind, name in SCHEMA_FILES.items():
        result = CliRunner().invoke(main, ["schema", kind])
        assert result.exit_code == 0
        assert result.stdout == (ROOT / "schemas" / name).read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["schema", "nope"])
    assert bad.exit_code == 2
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom replylint.cli import main\n"
        "assert CliRunner().invoke(main, ['schema', 'rule']).exit_code == 0\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_repository_url_is_the_one_in_pyproject() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["urls"]
    assert urls["Repository"] == REPOSITORY
    assert all(u.startswith(REPOSITORY) for u in urls.values())
    assert "example" not in REPOSITORY and "<" not in REPOSITORY


def test_docs_module_usage() -> None:
    from replylint.docs import main as docs_main

    assert docs_main(["--bogus"]) == 2


# --------------------------------------------------------------------------------------------
# Rule reference pages
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages() -> dict[Path, str]:
    return {p: t for p, t in generated_files(ROOT).items() if p.suffix == ".md"}


def test_rule_pages_are_in_sync_with_the_rule_book(pages: dict[Path, str]) -> None:
    """Regenerated in memory (real runs of the linter): equal to the files, one per rule and
    the index, and no page of a rule that is gone."""
    docs = ROOT / RULE_DOCS
    pages = {p: t for p, t in pages.items() if p != ROOT / "README.md"}  # its before/after
    assert set(pages) == {docs / "README.md", *(docs / f"{r}.md" for r in BOOK.rules)}
    assert set(docs.glob("*.md")) == set(pages)
    for path, text in pages.items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run `python -m replylint.docs`"
        )


@pytest.mark.parametrize("rule_id", sorted(BOOK.rules))
def test_a_rule_page_has_the_fixed_headings_and_real_output(
    rule_id: str, pages: dict[Path, str]
) -> None:
    rule = BOOK.rules[rule_id]
    text = pages[ROOT / RULE_DOCS / f"{rule_id}.md"]
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## What it flags",
        "## Why",
        "## Examples",
        "## The rewrite",
        "## How to configure or suppress",
    ]
    assert text.splitlines()[2] == f"# {rule_id}"
    for ex in [*rule.examples.fail, *rule.examples.pass_]:
        assert ex.text.rstrip("\n") in text
    # the seed is quoted: the quote's words occur in the seed article
    from replylint.explain import seed_quote, seed_text

    if rule.kind in ("suppression", "gate"):  # built in: no seed to quote
        assert not rule.source and "Built into replylint" in text
        return
    quote = seed_quote(rule.source[0], f"{rule.summary} {rule.why}")
    assert quote and f"“{quote.split()[0]}" in text
    assert " ".join(quote.split()[:6]) in " ".join(seed_text(rule.source[0].file).split())
    # the rewrite section shows what `replylint check` printed on the first failing example
    rewrite = text.split("## The rewrite", 1)[1]
    if rule.rewrite is None:  # none offered: the page says so and what to change instead
        assert "This rule proposes no rewrite" in rewrite and rule.message in rewrite
        assert "becomes" not in rewrite.split("## How to configure", 1)[0]
        return
    assert f"$ replylint check --select {rule_id}" in rewrite
    assert "reply.txt:" in rewrite and f" {rule_id} {rule.severity.value} " in rewrite
    assert "\nFound " in rewrite  # the summary line
    # and the rewritten reply is the one the rule file documents (checked against the engine
    # by test_rule_examples)
    documented = rule.examples.fail[0].rewrite
    assert documented is not None and documented.rstrip("\n") in rewrite
    assert f"--ignore {rule_id}" in text and f"disable-next-line={rule_id}" in text


def test_the_index_links_every_page() -> None:
    index = (ROOT / RULE_DOCS / "README.md").read_text(encoding="utf-8")
    for rule_id in BOOK.rules:
        assert f"[`{rule_id}`]({rule_id}.md)" in index
        assert (ROOT / RULE_DOCS / f"{rule_id}.md").is_file()


# --------------------------------------------------------------------------------------------
# SARIF points at the pages
# --------------------------------------------------------------------------------------------


def test_sarif_rules_carry_help_uri_to_their_page(tmp_path: Path, monkeypatch: Any) -> None:
    house = ROOT / "examples" / "canned-responses" / "house-rules"
    (tmp_path / ".replylint.toml").write_text(f'rules-dir = "{house.as_posix()}"\n', "utf-8")
    (tmp_path / "reply.txt").write_text("Nope. It's our policy.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "sarif", "reply.txt"])
    assert result.exit_code == 1, result.output
    log = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for rule_id in BOOK.rules:
        uri = rules[rule_id]["helpUri"]
        assert uri == rule_docs_url(rule_id)
        assert uri.startswith(f"{REPOSITORY}/blob/v")
        assert (ROOT / uri.split("/blob/", 1)[1].split("/", 1)[1]).is_file()
    assert "dear-valued-customer" in rules
    assert "helpUri" not in rules["dear-valued-customer"]  # a house rule has no page


def test_readme_shows_every_rules_before_and_after_in_sync(pages: dict[Path, str]) -> None:
    """The README's before/after is each rule's first failing example and its rewrite (run by
    test_rule_examples), regenerated: one pair per rule of the catalogue, and up to date."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert pages[ROOT / "README.md"] == readme, "README.md: run `python -m replylint.docs`"
    section = readme[readme.index(BEFORE_AFTER_START) : readme.index(BEFORE_AFTER_END)]
    shown = [r for r in BOOK.rules if f"**`{r}`**" in section]
    catalogue = [r for r, rule in BOOK.rules.items() if rule.kind not in ("suppression", "gate")]
    assert sorted(shown) == sorted(catalogue) and len(shown) == 18
    for rule_id in shown:
        rule = BOOK.rules[rule_id]
        example = rule.examples.fail[0]
        assert example.text.rstrip("\n") in section
        if rule.rewrite is None:  # none offered (we-focus): its message instead, no "becomes"
            assert example.rewrite is None and f"only its message: “{rule.message}”" in section
            continue
        assert example.rewrite is not None and example.rewrite.rstrip("\n") in section
