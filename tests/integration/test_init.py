"""``replylint init`` in fresh git repositories: what it detects, what it writes (and keeps), that
the configuration it writes loads, and that ``replylint check`` and ``pre-commit run`` work
there afterwards."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from replylint import __version__
from replylint.cli import main
from replylint.config import load_config
from replylint.init import pin
from tests.integration.test_precommit import (
    PRE_COMMIT,
    ROOT,
    Source,
    _env,
    git_repo,
    hooks,
    local_config,
    replylint_source,  # noqa: F401 (the session fixture)
    sh,
)

PYPROJECT = (
    b'[project]\r\nname = "support-replies"\r\nversion = "1.0"\r\n\r\n'
    b"[tool.black]\r\nline-length = 88\r\n# a comment the team keeps\r\n"
)
ZENDESK = (
    '{"macros": [{"title": "Refund denied", "actions": [{"field": "comment_value", '
    '"value": "Unfortunately, we can\'t refund opened items. It\'s our policy."}]}]}\n'
)
TWEET = "@dana_k So sorry about the wait! DM us your order number and we'll sort it out. ^CB\n"
EMAIL = (
    "From: agent@example.com\nTo: grace@example.com\nSubject: Re: refund\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Hi Grace,\n\nThanks for your order! It shipped this morning, and the tracking link is on "
    "its way to your inbox.\n\nBest,\nOmar\n"
)
BAD = "Unfortunately, we can't refund opened items. It's our policy.\n"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def replies_repo(tmp_path: Path, *, pyproject: bytes | None = PYPROJECT) -> Path:
    """A fresh git repository of replies: Markdown, a tweet, an email, a Zendesk export, and
    files that are not replies."""
    env = _env(tmp_path)
    repo = git_repo(tmp_path / "replies", env)
    files = {
        "replies/refund.md": "Hi Grace,\n\n" + BAD,
        "social/late-order.txt": TWEET,
        "mail/shipped.eml": EMAIL,
        "exports/zendesk-macros.json": ZENDESK,
        "README.md": "# Our canned responses\n\nNope.\n",
        "package.json": '{"name": "replies", "private": true}\n',
        "requirements.txt": "pre-commit\n",
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    if pyproject is not None:
        (repo / "pyproject.toml").write_bytes(pyproject)
    return repo


def _head(path: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_init_appends_a_table_to_pyproject_and_writes_the_hook(tmp_path: Path) -> None:
    repo = replies_repo(tmp_path)
    result = run("init", str(repo))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "appended to pyproject.toml: a [tool.replylint] table (every other byte kept)"
    )
    assert lines[1] == "wrote .pre-commit-config.yaml: the replylint hooks"
    assert "Draft files: 1 .eml, 1 .json, 1 .md, 1 .txt." in lines
    assert "Channels: email, social, macro (written as comments; picked per draft)." in lines
    assert "Excluded as not replies: README.md, package.json, requirements.txt." in lines

    data = (repo / "pyproject.toml").read_bytes()
    assert data.startswith(PYPROJECT)  # every byte the file had, then the table
    added = data[len(PYPROJECT) :].decode("utf-8")
    assert added.startswith("\r\n[tool.replylint]\r\n")  # after a blank line
    assert "\n" not in added.replace("\r\n", "")  # the file's own line endings
    assert "# Draft files found: 1 .eml, 1 .json, 1 .md, 1 .txt." in added
    assert "#   email: 1 .eml file: mail/shipped.eml" in added
    assert "#   social: drafts opening with @handles in 1 file: social/late-order.txt" in added
    assert "#   macro: helpdesk exports or saved replies in 1 file: " in added
    assert "exports/zendesk-macros.json (1 reply)" in added
    assert "# [tool.replylint.severity]" in added  # commented subtables named for a pyproject
    parsed = tomllib.loads(data.decode("utf-8"))
    assert parsed["project"] == {"name": "support-replies", "version": "1.0"}
    assert parsed["tool"]["black"] == {"line-length": 88}
    config = load_config(repo / "pyproject.toml")  # only keys the configuration accepts
    assert config.fail_on == "warning"
    assert config.exclude == ("README.md", "package.json", "requirements.txt")

    hook = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (item,) = hook["repos"]
    assert item["repo"] == "https://github.com/replylint/replylint"
    assert item["rev"] == _head(ROOT)  # run from this git checkout: its commit
    assert [h["id"] for h in item["hooks"]] == ["replylint", "replylint-email"]
    assert {h["id"] for h in item["hooks"]} <= set(hooks())


@pytest.mark.slow  # a real pre-commit run
def test_init_then_check_and_pre_commit_run(tmp_path: Path) -> None:
    repo = replies_repo(tmp_path)
    assert run("init", str(repo)).exit_code == 0
    env = _env(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "replylint.cli", "check", "--no-cache", "."],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # findings, no file errors
    assert proc.stderr == ""
    assert "replies/refund.md:3:46: bare-policy warning" in proc.stdout
    assert "exports/zendesk-macros.json:1:" in proc.stdout
    assert "README.md" not in proc.stdout and "package.json" not in proc.stdout
    assert re.search(r"in \d of 4 files\.\n\Z", proc.stdout)  # three files excluded

    # pre-commit with the hooks init chose, run by this checkout (no virtualenv built here)
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ids = tuple(h["id"] for h in config["repos"][0]["hooks"])
    (repo / ".pre-commit-config.yaml").write_text(local_config(ids), encoding="utf-8")
    assert sh(repo, env, "git", "add", "-A").returncode == 0
    result = sh(repo, env, PRE_COMMIT, "run", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^replylint\.+Failed$", result.stdout, re.M)
    assert re.search(r"^replylint \(emails\)\.+Passed$", result.stdout, re.M)
    assert "replies/refund.md:3:46: bare-policy warning" in result.stdout
    assert result.stdout.count("Found ") == 1  # one process, one summary


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    repo = replies_repo(tmp_path)
    assert run("init", str(repo)).exit_code == 0
    before = {p: (repo / p).read_bytes() for p in ("pyproject.toml", ".pre-commit-config.yaml")}
    result = run("init", str(repo), "--rev", "v9.9.9")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "kept pyproject.toml: it has a [tool.replylint] table (--force replaces it)",
        "kept .pre-commit-config.yaml: it has replylint's hook (--force replaces it)",
    ]
    assert {p: (repo / p).read_bytes() for p in before} == before

    # --force replaces replylint's table and hook entry, and nothing else
    (repo / "mail" / "shipped.eml").unlink()
    result = run("init", str(repo), "--force", "--rev", "v9.9.9")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "replaced in pyproject.toml: the [tool.replylint] table, at the end of the file",
        "replaced in .pre-commit-config.yaml: the replylint hooks",
    ]
    data = (repo / "pyproject.toml").read_bytes()
    assert data.startswith(PYPROJECT)
    assert data.count(b"[tool.replylint]") == 1
    assert b"email:" not in data  # the survey is new
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (item,) = config["repos"]
    assert item["rev"] == "v9.9.9"
    assert [h["id"] for h in item["hooks"]] == ["replylint"]  # no .eml file left


def test_init_writes_replylint_toml_without_pyproject(tmp_path: Path) -> None:
    repo = replies_repo(tmp_path, pyproject=None)
    result = run("init", str(repo))
    assert result.exit_code == 0
    assert result.stdout.startswith("wrote .replylint.toml: ")
    assert not (repo / "pyproject.toml").exists()
    config = load_config(repo / ".replylint.toml")
    assert "README.md" in config.exclude
    text = (repo / ".replylint.toml").read_text(encoding="utf-8")
    assert "# [severity]" in text and "# [per-file-ignores]" in text
    # uncommenting every example line still gives a configuration that loads
    uncommented = re.sub(
        r"(?m)^# ((ignore|placeholders|\[severity\]|no-paraphrase|\[per-file-ignores\]|\"chat)"
        r".*)$",
        r"\1",
        text,
    )
    (repo / ".replylint.toml").write_text(uncommented, encoding="utf-8")
    config = load_config(repo / ".replylint.toml")
    assert config.severity == {"no-paraphrase": "warning"}
    assert config.per_file_ignores == {"chat/**": ("missing-greeting",)}
    # a .replylint.toml wins over a pyproject.toml: --force rewrites it, not the pyproject
    (repo / "pyproject.toml").write_bytes(PYPROJECT)
    result = run("init", str(repo), "--force")
    assert result.stdout.startswith("wrote .replylint.toml: ")
    assert (repo / "pyproject.toml").read_bytes() == PYPROJECT


@pytest.mark.parametrize(
    "existing",
    [
        "repos:\n- repo: https://github.com/pre-commit/pre-commit-hooks\n  rev: v4.6.0\n"
        "  hooks:\n  - id: trailing-whitespace\n",
        "# ours\ndefault_stages: [pre-commit]\nrepos:\n    -   repo: local\n        hooks:\n"
        "        -   id: x\n            name: x\n            entry: 'true'\n"
        "            language: system\n",
        "repos:\r\n  - repo: local\r\n    hooks:\r\n      - id: x\r\n        name: x\r\n"
        "        entry: 'true'\r\n        language: system",  # CRLF, no final line break
    ],
    ids=["flush", "wide", "crlf"],
)
def test_init_appends_to_an_existing_pre_commit_config(tmp_path: Path, existing: str) -> None:
    repo = replies_repo(tmp_path)
    (repo / ".pre-commit-config.yaml").write_bytes(existing.encode("utf-8"))
    result = run("init", str(repo), "--rev", "v0.1.0")
    assert result.exit_code == 0, result.output
    assert "appended to .pre-commit-config.yaml: the replylint hooks" in result.stdout
    data = (repo / ".pre-commit-config.yaml").read_bytes()
    assert data.startswith(existing.encode("utf-8"))
    if "\r\n" in existing:
        assert b"\n" not in data.replace(b"\r\n", b"")
    config = yaml.safe_load(data)
    old = yaml.safe_load(existing)
    assert config["repos"][:-1] == old["repos"]
    assert config["repos"][-1]["rev"] == "v0.1.0"
    assert {k: v for k, v in config.items() if k != "repos"} == {
        k: v for k, v in old.items() if k != "repos"
    }


def test_init_refuses_a_config_it_cannot_append_to(tmp_path: Path) -> None:
    repo = replies_repo(tmp_path)
    existing = "repos: []\nci:\n  autofix_prs: false\n"
    (repo / ".pre-commit-config.yaml").write_text(existing, encoding="utf-8")
    result = run("init", str(repo))
    assert result.exit_code == 2
    assert (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8") == existing
    assert "replylint: error: .pre-commit-config.yaml: cannot add the hook safely" in result.stderr
    assert "- repo: https://github.com/replylint/replylint" in result.stderr  # to add by hand
    assert load_config(repo / "pyproject.toml").fail_on == "warning"  # the rest was done


def test_init_refuses_invalid_pyproject(tmp_path: Path) -> None:
    repo = replies_repo(tmp_path, pyproject=b"[project\nname = 1\n")
    result = run("init", str(repo))
    assert result.exit_code == 2
    assert result.stderr.startswith("replylint: error: pyproject.toml: invalid TOML: ")
    assert (repo / "pyproject.toml").read_bytes() == b"[project\nname = 1\n"


def test_pin_is_the_release_tag_outside_a_checkout(tmp_path: Path) -> None:
    installed = tmp_path / "lib" / "site-packages" / "replylint"
    installed.mkdir(parents=True)
    rev, note = pin(installed)
    assert rev == f"v{__version__}"
    assert note == f"the release tag of replylint {__version__}"
    rev, note = pin(ROOT / "src" / "replylint")
    assert rev == _head(ROOT)
    assert "git checkout" in note


@pytest.mark.slow
def test_init_hook_builds_from_a_clone(
    tmp_path: Path,
    replylint_source: Source,  # noqa: F811 (the fixture imported above)
) -> None:
    """The hook as init writes it, pointed at a local clone: pre-commit builds its virtualenv."""
    repo = replies_repo(tmp_path)
    env = replylint_source.env(tmp_path)
    result = run(
        "init", str(repo), "--repo", str(replylint_source.path), "--rev", replylint_source.sha
    )
    assert result.exit_code == 0, result.output
    assert sh(repo, env, "git", "add", "-A").returncode == 0
    result = sh(repo, env, PRE_COMMIT, "run", "--all-files", timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "replies/refund.md:3:46: bare-policy warning" in output
    assert re.search(r"^replylint \(emails\)\.+Passed$", result.stdout, re.M)
