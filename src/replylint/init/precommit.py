"""The pre-commit hook init sets up: a ``.pre-commit-config.yaml``, or an entry appended to
(or with ``force`` replaced in) the existing one, checked to parse to the old repos plus this one.
The hook is pinned to the release tag of the installed version, or to the commit of the git
checkout replylint runs from."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from ..__about__ import __version__
from ..atomic import write_atomic
from .files import Action, InitError, newline_of, read_file
from .survey import Survey

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"


def pin(package_dir: Path | None = None) -> tuple[str, str]:
    """The ``rev`` the hook is pinned to and a note on it: the commit of the git checkout
    replylint runs from (the code that is running, whether or not a release tag exists yet),
    else the release tag of the installed version."""
    source = (package_dir or Path(__file__).resolve().parent.parent).parent.parent
    if (source / ".git").exists() and (source / ".pre-commit-hooks.yaml").is_file():
        try:
            proc = subprocess.run(
                ["git", "-C", str(source), "rev-parse", "HEAD"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except OSError:
            proc = None
        sha = proc.stdout.strip() if proc is not None and proc.returncode == 0 else ""
        if re.fullmatch(r"[0-9a-f]{40}", sha):
            return sha, f"replylint {__version__} from a git checkout: that commit"
    return f"v{__version__}", f"the release tag of replylint {__version__}"


def hook_entry(repo: str, rev: str, found: Survey, why: str) -> str:
    """The ``repos:`` item for replylint's hooks, indented for a top-level ``repos:``."""
    email = "      - id: replylint-email   # .eml drafts"
    if not found.formats.get(".eml"):
        email = "      # - id: replylint-email # for .eml drafts (none found yet)"
    return (
        f"  - repo: {repo}\n"
        f"    rev: {rev}  # {why}\n"
        "    hooks:\n"
        "      - id: replylint         # .txt .md .html .json .yaml .csv\n"
        f"{email}\n"
    )


def _replylint_items(config: Any) -> list[int]:
    repos = config.get("repos") if isinstance(config, dict) else None
    if not isinstance(repos, list):
        return []
    return [
        i
        for i, r in enumerate(repos)
        if isinstance(r, dict)
        and any(isinstance(h, dict) and h.get("id") == "replylint" for h in r.get("hooks") or [])
    ]


def write_pre_commit(root: Path, entry: str, *, force: bool) -> Action:
    """Create .pre-commit-config.yaml, or append the entry to (or with ``force`` replace it in)
    an existing one, checking that the result parses to the old repos plus this one."""
    path = root / PRE_COMMIT_CONFIG
    new_item = yaml.safe_load("repos:\n" + entry)["repos"][0]
    if not path.exists():
        text = (
            "# pre-commit hooks: `pip install pre-commit && pre-commit install` once here.\n"
            "repos:\n" + entry
        )
        write_atomic(path, text.encode("utf-8"))
        return Action(PRE_COMMIT_CONFIG, "wrote", "the replylint hooks")
    data, text = read_file(path)
    try:
        old = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InitError(f"{PRE_COMMIT_CONFIG}: invalid YAML: {exc}".splitlines()[0]) from None
    if old is None:
        old = {}
    if not isinstance(old, dict) or not isinstance(old.get("repos", []), list):
        raise InitError(f"{PRE_COMMIT_CONFIG}: expected a mapping with a list of repos")
    repos = list(old.get("repos", []))
    existing = _replylint_items(old)
    newline = newline_of(data)
    lines = text.splitlines(keepends=True)
    if existing:
        if not force:
            why = "it has replylint's hook (--force replaces it)"
            return Action(PRE_COMMIT_CONFIG, "kept", why)
        new_text = _replace_item(lines, existing[0], entry.replace("\n", newline))
        expected = [*repos[: existing[0]], new_item, *repos[existing[0] + 1 :]]
        done, how = "replaced in", "the replylint hooks"
    else:
        new_text = _append_item(text, lines, entry, newline, has_repos="repos" in old)
        expected = [*repos, new_item]
        done, how = "appended to", "the replylint hooks (every other byte kept)"
    if new_text is None:
        raise InitError(
            f"{PRE_COMMIT_CONFIG}: cannot add the hook safely here (repos: is not a block list "
            f"at the end of the file); add it by hand:\n{entry}"
        )
    parsed = yaml.safe_load(new_text)
    if parsed.get("repos") != expected or {k: v for k, v in parsed.items() if k != "repos"} != {
        k: v for k, v in old.items() if k != "repos"
    }:
        raise InitError(f"{PRE_COMMIT_CONFIG}: cannot add the hook safely; add it by hand")
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    write_atomic(path, (bom + new_text).encode("utf-8"))
    return Action(PRE_COMMIT_CONFIG, done, how)


_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")


def _append_item(
    text: str, lines: list[str], entry: str, newline: str, *, has_repos: bool
) -> str | None:
    """``text`` with ``entry`` added at the end of its ``repos:`` block list (which must end the
    file), re-indented as the list's other items are."""
    if not has_repos:
        sep = "" if not text or text.endswith(("\n", "\r")) else newline
        return text + sep + ("repos:\n" + entry).replace("\n", newline)
    keys = [(i, line) for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    if not keys or not re.match(r"^repos\s*:\s*(#.*)?$", keys[-1][1].rstrip("\r\n")):
        return None  # another key follows repos:, or repos: [] is a flow list
    start = keys[-1][0]
    indent = None
    for line in lines[start + 1 :]:
        item = re.match(r"^(\s*)- ", line)
        if item:
            indent = item.group(1)
            break
    shifted = entry if indent is None else _reindent(entry, indent)
    sep = "" if text.endswith(("\n", "\r")) else newline
    return text + sep + shifted.replace("\n", newline)


def _reindent(entry: str, indent: str) -> str:
    return "".join(indent + line[2:] if line.strip() else line for line in entry.splitlines(True))


def _replace_item(lines: list[str], index: int, entry: str) -> str | None:
    """The file with its ``index``-th ``repos:`` item replaced by ``entry`` (re-indented)."""
    starts: list[tuple[int, str]] = []
    in_repos = False
    end = len(lines)
    for i, line in enumerate(lines):
        if _TOP_KEY.match(line):
            if in_repos:
                end = i
                break
            in_repos = bool(re.match(r"^repos\s*:", line))
            continue
        item = re.match(r"^(\s*)- ", line)
        if in_repos and item and (not starts or item.group(1) == starts[0][1]):
            starts.append((i, item.group(1)))
    if index >= len(starts):
        return None
    first, indent = starts[index]
    last = starts[index + 1][0] if index + 1 < len(starts) else end
    while last > first + 1 and not lines[last - 1].strip():  # keep blank lines between items
        last -= 1
    return "".join([*lines[:first], _reindent(entry, indent), *lines[last:]])
