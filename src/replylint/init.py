"""``replylint init``: set a repository of replies up for replylint and its pre-commit hook.

It surveys the repository (which draft formats are there, which channels the drafts are for,
which files are not replies), then writes:

* the configuration: a commented ``[tool.replylint]`` table appended to ``pyproject.toml`` when
  there is one (every byte already there is kept), else a ``.replylint.toml``. Only keys the
  configuration accepts are set, and the text is validated as a configuration before it is
  written; what has no key (formats, channels, which are picked per draft) is written as
  comments.
* the pre-commit hook: a ``.pre-commit-config.yaml``, or an entry appended to the existing one.
  The hook is pinned to the release tag of the installed version (``v<version>``); when
  replylint runs from a git checkout of itself, to that checkout's commit (the tag may not
  exist yet, and the commit is the code that is running). ``--repo``/``--rev`` choose another.

Nothing is overwritten without ``force``; every file is written atomically (a temporary file in
the same folder, then a rename, keeping the mode), in its own line endings.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .__about__ import __version__
from .config import PYPROJECT, ConfigError, config_from_table
from .sources import FORMATS, SourceError, discover, load_bytes
from .sources.markdown import SAVED_REPLIES_NAMES

REPO_URL = "https://github.com/replylint/replylint"
CONFIG = ".replylint.toml"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
SURVEY_BYTES = 1 << 20  # larger files are counted, not read
# files a repository of replies often has that are not replies
NOT_REPLIES = re.compile(
    r"(?i)^(readme|changelog|changes|history|contributing|license|licence|copying|authors|"
    r"code_of_conduct|security|notice)(\.[a-z]+)?$|^requirements[\w.-]*\.txt$|"
    r"^(package|package-lock|composer|tsconfig|jsconfig|renovate|\.?eslintrc|manifest)\.json$|"
    r"^(mkdocs|docker-compose|compose|environment|codecov|netlify|vercel|_config)\.ya?ml$"
)
HANDLE = re.compile(r"\A\s*(?:@\w{1,30}[ ,:]*)+\S")
# read errors meaning "not a collection of replies" (rather than "a broken one")
NOT_A_COLLECTION = ("unknown export shape", "expected a collection of replies", "no reply text")


class InitError(Exception):
    """A file cannot be set up; the message is one line naming it."""


# --------------------------------------------------------------------------------------------
# The survey
# --------------------------------------------------------------------------------------------


@dataclass
class Survey:
    """What is in the repository, as far as replylint is concerned."""

    formats: Counter[str] = field(default_factory=Counter)  # suffix -> files
    email: list[str] = field(default_factory=list)  # .eml files
    social: list[str] = field(default_factory=list)  # files with a draft opening with @handles
    macro: list[tuple[str, int]] = field(default_factory=list)  # exports: (file, replies)
    not_replies: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file, error)

    @property
    def drafts(self) -> int:
        return sum(self.formats.values())


def survey(root: Path) -> Survey:
    """Read every file replylint would lint under ``root`` (without linting it)."""
    out = Survey()
    for path, error in discover([str(root)]):
        rel = Path(path).relative_to(root).as_posix()
        if error is not None:
            out.unreadable.append((rel, error))
            continue
        name = os.path.basename(path)
        if NOT_REPLIES.match(name):
            out.not_replies.append((rel, "not a reply"))
            continue
        suffix = Path(name).suffix.lower()
        try:
            size = os.stat(path).st_size
            data = Path(path).read_bytes() if size <= SURVEY_BYTES else None
        except OSError as exc:
            out.unreadable.append((rel, exc.strerror or str(exc)))
            continue
        kind = FORMATS[suffix][1]
        collection = kind in ("read_json", "read_yaml", "read_csv")
        if data is None:  # a big file: an archive or an export
            out.formats[suffix] += 1
            if collection:
                out.macro.append((rel, -1))
            continue
        try:
            drafts = load_bytes(path, data).drafts
        except SourceError as exc:
            message = str(exc)
            if collection and suffix != ".csv" and message.startswith(NOT_A_COLLECTION):
                out.not_replies.append((rel, f"not a collection of replies ({message})"))
            else:
                out.formats[suffix] += 1
                out.unreadable.append((rel, message))
            continue
        out.formats[suffix] += 1
        if suffix == ".eml":
            out.email.append(rel)
        if collection or name.lower() in SAVED_REPLIES_NAMES:
            out.macro.append((rel, len(drafts)))
        if any(HANDLE.match(d.text) for d in drafts):
            out.social.append(rel)
    return out


# --------------------------------------------------------------------------------------------
# The configuration
# --------------------------------------------------------------------------------------------


def _toml_str(value: str) -> str:
    """A TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped) + '"'


def _some(paths: list[str], limit: int = 3) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def config_body(found: Survey, *, tables: str = "") -> str:
    """The keys (and comments) of the configuration for the surveyed repository; ``tables``
    prefixes the names of (commented) subtables: ``tool.replylint.`` in a pyproject.toml."""
    lines = [
        f"# replylint settings, written by `replylint init` (replylint {__version__}).",
        f"# Every key is described in {REPO_URL}#configuration",
        "#",
    ]
    if found.formats:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(found.formats.items()))
        lines.append(f"# Draft files found: {counts}.")
    else:
        lines.append("# No draft files found yet (.txt .md .html .json .yaml .csv .eml are read).")
    channels: list[str] = []
    if found.email:
        channels.append(f"#   email: {_n(len(found.email), '.eml file')}: {_some(found.email)}")
    if found.social:
        channels.append(
            f"#   social: drafts opening with @handles in {_n(len(found.social), 'file')}: "
            f"{_some(found.social)}"
        )
    if found.macro:
        described = [
            f"{p} ({n} {'reply' if n == 1 else 'replies'})" if n >= 0 else p for p, n in found.macro
        ]
        channels.append(
            f"#   macro: helpdesk exports or saved replies in {_n(len(found.macro), 'file')}: "
            f"{_some(described)}"
        )
    if channels:
        lines.append("# Channels (replylint picks one per draft when it lints; shown for you):")
        lines.extend(channels)
    lines += [
        "",
        '# Exit 1 (and stop a commit) at or above this severity: "info", "warning" or "error".',
        'fail-on = "warning"',
        "",
    ]
    excluded = [(p, why) for p, why in found.not_replies]
    if excluded:
        lines.append("# Files that are not replies: never linted, even when named.")
        lines.append("exclude = [")
        for path, why in excluded:
            lines.append(f"  {_toml_str(path)},  # {why}"[:200])
        lines.append("]")
    else:
        lines.append('# exclude = ["README.md", "drafts/old"]  # files that are not replies')
    for path, error in found.unreadable:
        lines.append(f"# {path} could not be read: {error}"[:200])
        if path.lower().endswith((".csv", ".tsv", ".json", ".yaml", ".yml")):
            lines.append('# text-field = "reply_text"  # the field or column holding each reply')
    lines += [
        "",
        "# ignore = []                   # rule ids not to run (`replylint rules` lists them)",
        '# rules-dir = "house-rules"     # your own rules: YAML files, data only',
        "# placeholders = ['<%=[^%\\n]*%>']  # more helpdesk placeholders (regular expressions)",
        "",
        f'# [{tables}severity]  # a rule\'s severity: "info", "warning" or "error"',
        '# no-paraphrase = "warning"',
        "",
        f"# [{tables}per-file-ignores]  # rule ids not reported in some files",
        '# "chat/**" = ["missing-greeting"]',
    ]
    return "\n".join(lines) + "\n"


def check_config(text: str, where: str, base: Path) -> None:
    """``text`` (a ``.replylint.toml`` or a ``pyproject.toml``) reads as a valid configuration."""
    data = tomllib.loads(text)
    if where.endswith(PYPROJECT):
        data = data["tool"]["replylint"]
    config_from_table(data, where=where, base=base)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def newline_of(data: bytes) -> str:
    """The file's line ending (its first one; ``\\n`` when it has none)."""
    i = data.find(b"\n")
    return "\r\n" if i > 0 and data[i - 1 : i] == b"\r" else "\n"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` through a temporary file beside ``path`` and a rename; an existing file
    keeps its mode, a new one gets the mode the umask allows."""
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _read(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
        return data, data.decode("utf-8-sig")
    except OSError as exc:
        raise InitError(f"{path.name}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InitError(f"{path.name}: cannot read it: not UTF-8") from None


def _appended(data: bytes, addition: str) -> bytes:
    """``data`` unchanged, then ``addition`` after a blank line, in the file's line endings."""
    newline = newline_of(data)
    text = addition.replace("\n", newline)
    if not data:
        return text.encode("utf-8")
    if not data.endswith(b"\n"):
        text = newline + text
    if not data.endswith(newline.encode() * 2) and data.strip():
        text = newline + text
    return data + text.encode("utf-8")


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _without_tool_table(text: str) -> str | None:
    """``text`` without its ``[tool.replylint]`` table and subtables (None when the table is
    written another way: dotted keys under ``[tool]``, an inline table)."""
    out: list[str] = []
    inside = False
    for line in text.splitlines(keepends=True):
        header = _HEADER.match(line)
        if header:
            name = re.sub(r"\s*\.\s*", ".", header.group(1)).strip()
            inside = name == "tool.replylint" or name.startswith("tool.replylint.")
        if not inside:
            out.append(line)
    rest = "".join(out)
    tool = tomllib.loads(rest).get("tool", {})
    return None if "replylint" in tool else rest


def _others(data: dict[str, Any]) -> dict[str, Any]:
    """A pyproject's tables but ``[tool.replylint]``."""
    tool = {k: v for k, v in data.get("tool", {}).items() if k != "replylint"}
    return {**{k: v for k, v in data.items() if k != "tool"}, "tool": tool}


@dataclass
class Action:
    """What init did with one file (or why not)."""

    path: str
    done: str  # "wrote", "appended to", "replaced in", "kept", "failed"
    detail: str

    def __str__(self) -> str:
        return f"{self.done} {self.path}: {self.detail}"


def write_config(root: Path, found: Survey, *, force: bool) -> Action:
    """The configuration: appended to pyproject.toml if there is one, else .replylint.toml."""
    body = config_body(found)
    own, pyproject = root / CONFIG, root / PYPROJECT
    if own.exists() or not pyproject.is_file():
        if own.exists() and not force:
            return Action(CONFIG, "kept", "it exists (--force overwrites it)")
        check_config(body, CONFIG, root)
        write_atomic(own, body.encode("utf-8"))
        keys = "fail-on, exclude" if found.not_replies else "fail-on"
        return Action(CONFIG, "wrote", f"the configuration ({keys}; the rest commented)")
    data, text = _read(pyproject)
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InitError(f"{PYPROJECT}: invalid TOML: {exc}") from None
    table = "[tool.replylint]\n" + config_body(found, tables="tool.replylint.")
    if "replylint" in parsed.get("tool", {}):
        if not force:
            why = "it has a [tool.replylint] table (--force replaces it)"
            return Action(PYPROJECT, "kept", why)
        rest = _without_tool_table(text)
        if rest is None:
            raise InitError(
                f"{PYPROJECT}: [tool.replylint] is written as dotted keys or an inline table; "
                "replace it by hand"
            )
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        new = _appended(bom + rest.encode("utf-8"), table)
        done, how = "replaced in", "the [tool.replylint] table, at the end of the file"
    else:
        new = _appended(data, table)
        done, how = "appended to", "a [tool.replylint] table (every other byte kept)"
    new_text = new.decode("utf-8-sig")
    check_config(new_text, PYPROJECT, root)
    if _others(tomllib.loads(new_text)) != _others(parsed):  # nothing else may change
        raise InitError(f"{PYPROJECT}: the [tool.replylint] table cannot be replaced safely")
    write_atomic(pyproject, new)
    return Action(PYPROJECT, done, how)


def pin(package_dir: Path | None = None) -> tuple[str, str]:
    """The ``rev`` the hook is pinned to and a note on it: the commit of the git checkout
    replylint runs from (the code that is running, whether or not a release tag exists yet),
    else the release tag of the installed version."""
    source = (package_dir or Path(__file__).resolve().parent).parent.parent
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
    data, text = _read(path)
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


# --------------------------------------------------------------------------------------------
# The whole of it
# --------------------------------------------------------------------------------------------


def init(
    root: Path, *, force: bool = False, repo: str | None = None, rev: str | None = None
) -> tuple[Survey, list[Action], list[str]]:
    """Survey ``root`` and write its configuration and pre-commit hook; the survey, what was
    done with each file and the errors (one line each; the file is left as it was)."""
    found = survey(root)
    pinned, why = (rev, "pinned with --rev") if rev else pin()
    actions: list[Action] = []
    errors: list[str] = []
    try:
        actions.append(write_config(root, found, force=force))
    except (InitError, ConfigError, OSError) as exc:
        errors.append(str(exc) if not isinstance(exc, OSError) else f"{exc.filename}: {exc}")
    entry = hook_entry(repo or REPO_URL, pinned, found, why)
    try:
        actions.append(write_pre_commit(root, entry, force=force))
    except (InitError, OSError) as exc:
        errors.append(str(exc) if not isinstance(exc, OSError) else f"{exc.filename}: {exc}")
    return found, actions, errors
