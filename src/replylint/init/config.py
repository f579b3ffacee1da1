"""The configuration init writes: a commented ``[tool.replylint]`` table appended to
``pyproject.toml`` when there is one (every byte already there is kept), else a
``.replylint.toml``, validated as a configuration before it is written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..__about__ import __version__
from ..atomic import write_atomic
from ..config import PYPROJECT, config_from_table
from .files import Action, InitError, appended, read_file
from .survey import Survey

REPO_URL = "https://github.com/replylint/replylint"
CONFIG = ".replylint.toml"


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
    data, text = read_file(pyproject)
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
        new = appended(bom + rest.encode("utf-8"), table)
        done, how = "replaced in", "the [tool.replylint] table, at the end of the file"
    else:
        new = appended(data, table)
        done, how = "appended to", "a [tool.replylint] table (every other byte kept)"
    new_text = new.decode("utf-8-sig")
    check_config(new_text, PYPROJECT, root)
    if _others(tomllib.loads(new_text)) != _others(parsed):  # nothing else may change
        raise InitError(f"{PYPROJECT}: the [tool.replylint] table cannot be replaced safely")
    write_atomic(pyproject, new)
    return Action(PYPROJECT, done, how)
