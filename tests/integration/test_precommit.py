"""pre-commit integration, against the real ``pre-commit`` and the real ``git``.

* ``.pre-commit-hooks.yaml`` validates against pre-commit's own manifest schema, and its file
  filters pick the draft formats (pre-commit's ``identify`` tags) and nothing else.
* A throw-away git repository with a ``repo: local`` hook built from that manifest (``language:
  system``, running this checkout's replylint): a bad draft fails the commit with the finding
  shown, a good one passes.
* ``examples/canned-responses`` works as shipped: its replies pass, a bad reply is stopped by a
  shipped rule or by its house rule.
* (slow) The hook exactly as users get it: ``language: python``, pre-commit builds its own
  virtualenv from a git copy of this checkout, driven by the example's own config.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from identify import identify
from pre_commit.clientlib import load_manifest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
pytestmark = pytest.mark.slow  # real pre-commit and git runs, some building virtualenvs

EXAMPLE = ROOT / "examples" / "canned-responses"
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"

BAD = "Unfortunately, we can't refund opened items. It's our policy.\n"
GOOD = """Hi Grace,

Thanks for your order! It shipped this morning, and the tracking link is on its way to your inbox.

Best,
Omar
"""


def hooks() -> dict[str, dict[str, Any]]:
    return {h["id"]: h for h in load_manifest(str(MANIFEST))}


# --------------------------------------------------------------------------------------------
# The manifest
# --------------------------------------------------------------------------------------------


def test_manifest_validates_against_pre_commit_schema() -> None:
    found = hooks()
    assert set(found) == {"replylint", "replylint-email"}
    hook = found["replylint"]
    # one process for all the files (one pipeline load, one summary); --jobs inside it
    for found_hook in found.values():
        assert found_hook["entry"] == "replylint check"
        assert found_hook["require_serial"] is True
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    # every tag exists in identify (the schema checks it too)
    for tag in hook["types_or"]:
        assert tag in identify.ALL_TAGS


def _selected(hook: dict[str, Any], path: str) -> bool:
    """pre-commit's filter: files/exclude regexes, then types (all) and types_or (any)."""
    tags = identify.tags_from_filename(path) | {"file", "text"}
    return (
        re.search(hook["files"], path) is not None
        and re.search(hook["exclude"], path) is None
        and set(hook["types"]) <= tags
        and (not hook["types_or"] or bool(set(hook["types_or"]) & tags))
    )


@pytest.mark.parametrize(
    ("path", "hook_id"),
    [
        ("replies/refund.txt", "replylint"),
        ("replies/refund.md", "replylint"),
        ("replies/refund.markdown", "replylint"),
        ("macros/refund.html", "replylint"),
        ("macros/refund.htm", "replylint"),
        ("exports/zendesk-macros.json", "replylint"),
        ("exports/canned.yaml", "replylint"),
        ("exports/canned.yml", "replylint"),
        ("exports/replies.csv", "replylint"),
        ("mail/refund.eml", "replylint-email"),
        ("scripts/build.py", None),
        ("styles/site.css", None),
        (".pre-commit-config.yaml", None),  # hidden files are not drafts
        (".github/workflows/ci.yml", None),
    ],
)
def test_manifest_selects_draft_files(path: str, hook_id: str | None) -> None:
    chosen = [h for h, hook in hooks().items() if _selected(hook, path)]
    assert chosen == ([hook_id] if hook_id else [])


# --------------------------------------------------------------------------------------------
# A real git repository, a real commit
# --------------------------------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL"))
    }
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Agent",
        GIT_AUTHOR_EMAIL="agent@example.com",
        GIT_COMMITTER_NAME="Agent",
        GIT_COMMITTER_EMAIL="agent@example.com",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
    )
    return env


def sh(
    cwd: Path, env: dict[str, str], *args: str, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def git_repo(path: Path, env: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    assert sh(path, env, "git", "init", "-q", "-b", "main").returncode == 0
    return path


def local_config(hook_ids: tuple[str, ...] = ("replylint", "replylint-email")) -> str:
    """A ``repo: local`` config whose hooks are the manifest's, run by this interpreter."""
    local = []
    for hook_id in hook_ids:
        hook = dict(hooks()[hook_id])
        entry = f"{sys.executable} -m replylint.cli " + hook["entry"].removeprefix("replylint ")
        keep = ("id", "name", "files", "exclude", "types", "types_or", "require_serial")
        local.append({**{k: hook[k] for k in keep}, "entry": entry, "language": "system"})
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}, sort_keys=False)


def commits(repo: Path, env: dict[str, str]) -> int:
    out = sh(repo, env, "git", "rev-list", "--count", "--all").stdout.strip()
    return int(out or 0)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = _env(tmp_path)
    path = git_repo(tmp_path / "replies-repo", env)
    (path / ".pre-commit-config.yaml").write_text(local_config(), encoding="utf-8")
    installed = sh(path, env, PRE_COMMIT, "install")
    assert installed.returncode == 0, installed.stderr
    assert (path / ".git" / "hooks" / "pre-commit").is_file()
    assert sh(path, env, "git", "add", ".pre-commit-config.yaml").returncode == 0
    return path, env


def test_good_draft_commits(repo: tuple[Path, dict[str, str]]) -> None:
    path, env = repo
    (path / "replies").mkdir()
    (path / "replies" / "shipped.md").write_text(GOOD, encoding="utf-8")
    sh(path, env, "git", "add", "replies/shipped.md")
    result = sh(path, env, "git", "commit", "-m", "Add a reply")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^replylint\.+Passed$", result.stdout + result.stderr, re.M)
    assert commits(path, env) == 1


def test_bad_draft_fails_the_commit_with_the_finding(repo: tuple[Path, dict[str, str]]) -> None:
    path, env = repo
    (path / "replies").mkdir()
    (path / "replies" / "refund.txt").write_text(BAD, encoding="utf-8")
    sh(path, env, "git", "add", "replies/refund.txt")
    result = sh(path, env, "git", "commit", "-m", "Add a cold reply")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(r"^replylint\.+Failed$", output, re.M)
    assert "- exit code: 1" in output
    assert "replies/refund.txt:1:46: bare-policy warning" in output
    assert "suggestion:" in output
    assert commits(path, env) == 0  # nothing was committed
    # fixed, it goes through
    (path / "replies" / "refund.txt").write_text(
        "Hi Grace,\n\nI'm sorry the headphones didn't work out for you. To keep things fair for "
        "every customer, we can't refund opened items, but I can offer you an exchange for "
        "another pair today. Would that work for you?\n\nBest,\nOmar\n",
        encoding="utf-8",
    )
    sh(path, env, "git", "add", "replies/refund.txt")
    result = sh(path, env, "git", "commit", "-m", "Add a warm reply")
    assert result.returncode == 0, result.stdout + result.stderr
    assert commits(path, env) == 1


def test_other_files_are_not_linted(repo: tuple[Path, dict[str, str]]) -> None:
    path, env = repo
    (path / "build.py").write_text("print('Nope.')\n", encoding="utf-8")
    sh(path, env, "git", "add", "build.py")
    result = sh(path, env, "git", "commit", "-m", "Add a script")
    output = result.stdout + result.stderr  # git shows the hook's output on stderr
    assert result.returncode == 0, output
    assert re.search(r"^replylint\.+\(no files to check\)Skipped$", output, re.M)


def test_email_hook_and_pre_commit_run_files(repo: tuple[Path, dict[str, str]]) -> None:
    path, env = repo
    eml = (
        "From: agent@example.com\nTo: grace@example.com\nSubject: Re: refund\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + BAD
    )
    (path / "refund.eml").write_text(eml, encoding="utf-8")
    (path / "good.txt").write_text(GOOD, encoding="utf-8")
    sh(path, env, "git", "add", "refund.eml", "good.txt")
    result = sh(path, env, PRE_COMMIT, "run", "--files", "refund.eml", "good.txt")
    assert result.returncode == 1
    assert re.search(r"^replylint\.+Passed$", result.stdout, re.M)  # good.txt
    assert re.search(r"^replylint \(emails\)\.+Failed$", result.stdout, re.M)
    assert "refund.eml:6:46: bare-policy warning" in result.stdout  # after 4 headers + blank


# --------------------------------------------------------------------------------------------
# The shipped example repository
# --------------------------------------------------------------------------------------------


def _example_repo(tmp_path: Path, env: dict[str, str]) -> Path:
    path = tmp_path / "canned-responses"
    shutil.copytree(EXAMPLE, path)
    git_repo(path, env)
    return path


def test_example_repository_passes_and_stops_a_bad_reply(tmp_path: Path) -> None:
    env = _env(tmp_path)
    path = _example_repo(tmp_path, env)
    shipped = yaml.safe_load((path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook_ids,) = [[h["id"] for h in r["hooks"]] for r in shipped["repos"]]
    # the same hooks, run by this checkout's interpreter instead of a fresh virtualenv
    (path / ".pre-commit-config.yaml").write_text(local_config(tuple(hook_ids)), encoding="utf-8")
    assert sh(path, env, "git", "add", "-A").returncode == 0
    result = sh(path, env, PRE_COMMIT, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^replylint\.+Passed$", result.stdout, re.M)
    assert sh(path, env, PRE_COMMIT, "install").returncode == 0
    assert sh(path, env, "git", "commit", "-qm", "Canned responses").returncode == 0

    # the house rule (rules-dir in .replylint.toml) stops a form-letter salutation
    (path / "replies" / "refund.md").write_text(
        "Dear valued customer,\n\nYour refund is on its way.\n", encoding="utf-8"
    )
    sh(path, env, "git", "add", "replies/refund.md")
    result = sh(path, env, "git", "commit", "-m", "Add a refund reply")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "replies/refund.md:1:1: dear-valued-customer warning" in output
    assert commits(path, env) == 1


# --------------------------------------------------------------------------------------------
# The hook as users get it: pre-commit builds a virtualenv from a git copy of this checkout
# --------------------------------------------------------------------------------------------


def _source_files() -> list[str]:
    """What a clone of replylint holds that its build needs: the wheel's forced includes
    (rules, seeds, schemas …), the package, and the files pre-commit and Actions read."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    forced = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    return [
        ".pre-commit-hooks.yaml",
        "action.yml",
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "src",
        *forced,
    ]


SOURCE_FILES = _source_files()


@dataclass(frozen=True)
class Source:
    """A git copy of this checkout (one commit), as users' pre-commit clones replylint, and a
    pre-commit cache shared by the tests that build hooks from it (one virtualenv per rev)."""

    path: Path
    sha: str
    pre_commit_home: Path

    def env(self, tmp_path: Path) -> dict[str, str]:
        env = _env(tmp_path)
        env["PRE_COMMIT_HOME"] = str(self.pre_commit_home)
        return env


@pytest.fixture(scope="session")
def replylint_source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    base = tmp_path_factory.mktemp("replylint-source")
    env = _env(base)
    source = git_repo(base / "replylint", env)
    for name in SOURCE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, source / name)
    assert sh(source, env, "git", "add", "-A").returncode == 0
    assert sh(source, env, "git", "commit", "-qm", "replylint").returncode == 0
    sha = sh(source, env, "git", "rev-parse", "HEAD").stdout.strip()
    return Source(source, sha, base / "pre-commit-cache")


@pytest.mark.slow
def test_example_config_with_a_python_virtualenv(tmp_path: Path, replylint_source: Source) -> None:
    env = replylint_source.env(tmp_path)
    path = _example_repo(tmp_path, env)
    config = (path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(\s*- repo:).*$", rf"\1 {replylint_source.path}", config)
    config = re.sub(r"(?m)^(\s*rev:).*$", rf"\1 {replylint_source.sha}", config)
    (path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (path / "replies" / "refund.txt").write_text(BAD, encoding="utf-8")
    assert sh(path, env, "git", "add", "-A").returncode == 0
    result = sh(path, env, PRE_COMMIT, "run", "--all-files", timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "replies/refund.txt:1:46: bare-policy warning" in output
    (path / "replies" / "refund.txt").unlink()
    sh(path, env, "git", "add", "-A")
    result = sh(path, env, PRE_COMMIT, "run", "--all-files", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------------------------
# The README's snippet, as written
# --------------------------------------------------------------------------------------------


def readme_snippet() -> str:
    """The ``.pre-commit-config.yaml`` the README's pre-commit section shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", section, re.S)
    return block


def test_readme_snippet_pins_the_release_tag_of_this_version() -> None:
    from replylint import __version__

    config = yaml.safe_load(readme_snippet())
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/replylint/replylint"
    assert repo["rev"] == f"v{__version__}"  # the tag the release process creates
    assert [h["id"] for h in repo["hooks"]] == ["replylint", "replylint-email"]
    assert {h["id"] for h in repo["hooks"]} <= set(hooks())


def _snippet_repo(tmp_path: Path, env: dict[str, str], source: Path) -> Path:
    """A fresh git repository of replies whose config is the README's snippet, with only the
    repository's URL changed to ``source``."""
    path = git_repo(tmp_path / "replies", env)
    snippet = readme_snippet()
    config = snippet.replace("https://github.com/replylint/replylint", str(source), 1)
    assert config.count(str(source)) == 1 and "https://github.com" not in config
    (path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (path / "replies").mkdir()
    (path / "replies" / "refund.txt").write_text(BAD, encoding="utf-8")
    (path / "replies" / "shipped.eml").write_text(
        "From: a@example.com\nTo: g@example.com\nSubject: Re: order\n\n" + GOOD, encoding="utf-8"
    )
    assert sh(path, env, "git", "add", "-A").returncode == 0
    return path


def _run_all(path: Path, env: dict[str, str]) -> None:
    result = sh(path, env, PRE_COMMIT, "run", "--all-files", timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r"^replylint\.+Failed$", result.stdout, re.M)
    assert re.search(r"^replylint \(emails\)\.+Passed$", result.stdout, re.M)
    assert "replies/refund.txt:1:46: bare-policy warning" in output
    assert result.stdout.count("Found ") == 1
    (path / "replies" / "refund.txt").write_text(GOOD, encoding="utf-8")
    sh(path, env, "git", "add", "-A")
    result = sh(path, env, PRE_COMMIT, "run", "--all-files", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_readme_snippet_as_written_once_the_release_is_tagged(
    tmp_path: Path, replylint_source: Source
) -> None:
    """The snippet unchanged but for the URL: its rev is the tag the release creates."""
    from replylint import __version__

    env = replylint_source.env(tmp_path)
    tagged = sh(replylint_source.path, env, "git", "tag", "-f", f"v{__version__}")
    assert tagged.returncode == 0, tagged.stderr
    _run_all(_snippet_repo(tmp_path, env, replylint_source.path), env)


@pytest.mark.slow
def test_readme_snippet_pinned_to_a_commit_by_autoupdate(
    tmp_path: Path, replylint_source: Source
) -> None:
    """The README's tag-less way: `pre-commit autoupdate --freeze --bleeding-edge` rewrites rev
    to the newest commit's SHA, whatever the snippet's rev was."""
    env = replylint_source.env(tmp_path)
    path = _snippet_repo(tmp_path, env, replylint_source.path)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "pre-commit autoupdate --freeze --bleeding-edge --repo https://github.com/replylint/replylint"
    assert f"$ {command}\n" in readme
    args = [*command.split()[1:-1], str(replylint_source.path)]
    result = sh(path, env, PRE_COMMIT, *args, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["rev"] == replylint_source.sha
    sh(path, env, "git", "add", "-A")
    _run_all(path, env)
