"""``replylint --version``, ``--help``, ``rules`` (and ``import replylint``) never import spaCy.

Each check runs in a fresh interpreter, since this test process has spaCy loaded already.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent(
    """
    import json, sys
    from click.testing import CliRunner
    from replylint.cli import main

    result = CliRunner().invoke(main, {args!r})
    print(json.dumps({{
        "exit_code": result.exit_code,
        "exception": repr(result.exception) if result.exception and not isinstance(
            result.exception, SystemExit) else None,
        "output": result.output,
        "spacy": sorted(m for m in sys.modules if m == "spacy" or m.startswith("spacy.")),
        "thinc": "thinc" in sys.modules,
    }}))
    """
)


def _probe(code: str) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--version"], "replylint"),
        (["--help"], "check"),
        (["-h"], "rules"),
        (["rules"], "terse-refusal"),
        (["rules", "--format", "json"], '"id": "bare-policy"'),
        (["check", "--help"], "--fail-on"),
    ],
    ids=["version", "help", "h", "rules", "rules-json", "check-help"],
)
def test_cli_without_spacy(args: list[str], expect: str) -> None:
    data = _probe(PROBE.format(args=args))
    assert data["exception"] is None, data
    assert data["exit_code"] == 0, data["output"]
    assert expect in data["output"]
    assert data["spacy"] == [], data["spacy"]
    assert data["thinc"] is False


@pytest.mark.slow  # a fresh interpreter importing spaCy
def test_probe_can_see_spacy() -> None:
    """The probe is honest: ``check`` does load spaCy (when the cache cannot answer), and the
    probe reports it."""
    data = _probe(
        PROBE.format(args=["check", "--no-cache", "-"]).replace(
            "invoke(main, ['check', '--no-cache', '-'])",
            "invoke(main, ['check', '--no-cache', '-'], input='Nope.')",
        )
    )
    assert data["exit_code"] == 1, data
    assert "spacy" in data["spacy"]


def test_import_replylint_does_not_import_spacy() -> None:
    code = textwrap.dedent(
        """
        import json, sys
        import replylint
        import replylint.cli, replylint.models, replylint.rulebook, replylint.config
        import replylint.output, replylint.sources
        from replylint import Severity, Config, Finding, DraftReport, __version__
        book = replylint.rulebook.load_rulebook()
        print(json.dumps({"spacy": [m for m in sys.modules if m.split(".")[0] == "spacy"],
                          "rules": len(book.rules), "version": __version__}))
        """
    )
    data = _probe(code)
    assert data["spacy"] == []
    assert data["rules"] >= 5
    assert data["version"]


@pytest.mark.slow  # fresh interpreters, one loading spaCy
def test_a_run_the_cache_answers_never_imports_spacy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Warm re-runs (pre-commit on unchanged files) skip spaCy entirely."""
    cache = str(tmp_path / "cache")
    code = PROBE.format(args=["check", "--cache-dir", cache, "-"]).replace(
        f"invoke(main, ['check', '--cache-dir', {cache!r}, '-'])",
        f"invoke(main, ['check', '--cache-dir', {cache!r}, '-'], input='Nope.')",
    )
    cold = _probe(code)
    assert cold["exit_code"] == 1 and cold["spacy"]
    warm = _probe(code)
    assert warm["exit_code"] == 1, warm
    assert warm["spacy"] == []


@pytest.mark.slow  # a fresh interpreter loading spaCy
def test_loading_the_pipeline_skips_spacys_command_line_until_asked() -> None:
    """A lint loads spaCy without its CLI (typer, weasel, requests: a quarter of spaCy's
    import); ``spacy.cli`` and ``spacy.info`` still work afterwards in the same process."""
    code = textwrap.dedent(
        """
        import json, sys
        from replylint import Linter
        found = [f.rule for f in Linter().check("It's our policy. Nope.").findings]
        before = sorted(m for m in ("spacy.cli", "typer", "weasel", "requests") if m in sys.modules)
        import spacy
        from spacy.cli import download
        import spacy.cli.info
        info = spacy.info()
        print(json.dumps({"found": found, "before": before, "download": callable(download),
                          "cli": spacy.cli.__file__, "info": sorted(info)[:50]}))
        """
    )
    data = _probe(code)
    assert "bare-policy" in data["found"]
    assert data["before"] == []
    assert data["download"] is True
    assert data["cli"].endswith("__init__.py")
    assert "spacy_version" in data["info"]


@pytest.mark.slow  # fresh interpreters, each reader
def test_readers_are_imported_for_the_files_that_need_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A run over text files (a hook's commit, or one the cache answers) imports neither the
    HTML, e-mail nor collection readers; a Markdown file brings its own reader in, and only it."""
    (tmp_path / "reply.txt").write_text("Nope.\n", encoding="utf-8")
    (tmp_path / "macro.md").write_text("# Refund\n\nNope.\n", encoding="utf-8")
    code = textwrap.dedent(
        """
        import json, sys
        from click.testing import CliRunner
        from replylint.cli import main

        result = CliRunner().invoke(main, ["check", "--no-cache", {path!r}])
        readers = ("text", "markdown", "html", "email", "collections")
        print(json.dumps({{
            "exit_code": result.exit_code,
            "readers": [r for r in readers if "replylint.sources." + r in sys.modules],
        }}))
        """
    )
    text = _probe(code.format(path=str(tmp_path / "reply.txt")))
    assert text == {"exit_code": 1, "readers": ["text"]}
    markdown = _probe(code.format(path=str(tmp_path / "macro.md")))
    assert markdown == {"exit_code": 1, "readers": ["text", "markdown"]}
