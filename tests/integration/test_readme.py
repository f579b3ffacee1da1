"""Every fenced block of README.md is tested by its kind, so the README cannot drift.

Kinds handled (``classify``):

- ``console`` blocks: each ``$ command`` line (``\\`` continues it) and the output shown under
  it. ``replylint …`` runs for real (in-process) in a fresh temporary copy of ``examples/``,
  from the first of the copy, ``examples/canned-responses`` or ``examples`` where its paths
  exist, in the block's order (so ``fix`` sees what came before); the output shown must
  appear in order in the real output (a line ending in ``…`` is a prefix, a line of ``…`` skips
  anything), and the exit status must be 0 or 1. A command whose paths are only examples
  (``macros.json``), or that keeps running (``serve``, ``lsp``), is parsed by the real command
  line instead: every option must exist and every value must be accepted. ``python
  examples/….py`` runs the same way (or its ``--help`` is checked for the options used).
  ``pip install`` is not run (it installs): the extras it names must exist. ``curl`` is not run
  (it needs a server; tests/server/test_server.py runs one): the endpoints it calls must exist.
  ``pre-commit``, ``git``, ``pytest``, ``ruff`` and ``mypy`` are not run here (they are the
  development tools and the suite itself).
- plain blocks: the command synopsis (every option listed must be in that command's ``--help``,
  and a ``--opt a|b`` list must be exactly the option's choices); shell lines joined by
  ``&&`` (each command as above); ``replylint: error: …`` lines (configuration errors are
  reproduced from a real file and compared; others must be one line naming a file).
- ``python``: ``>>>`` examples run as doctests; other code is executed.
- ``json``: replylint's JSON output (its keys, at every level, must be those of a real run);
  editor settings (dotted keys) are parsed only.
- ``toml``: replylint configuration (``.replylint.toml``, ``[tool.replylint]``, ``#:schema``)
  validated against the shipped schema and loaded by the real loader; editor settings are
  parsed only.
- ``yaml``: a pre-commit configuration (its hook ids must be replylint's), a GitHub workflow
  (its ``replylint`` commands are parsed), a GitHub Action definition (parsed), a rule file or
  a rule file's head (validated against the rule schema), a reply export with suppression
  comments (linted: see markdown).
- ``markdown``/``html``: a draft; linted for real, and the rules its ``replylint: disable…``
  comments name must not fire, nor ``unused-suppression``.
- ``js``: browser code for a helpdesk app (not run here): the endpoints it calls must exist.
- ``diff``: must be a well-formed unified diff.
- editor configuration in ``lua``, ``vim``, ``elisp``, ``jsonc``, ``rust`` (a Zed extension): not
  run (needs the editor).

Any other block fails the test: add its kind here, or list it in ``NOT_RUN`` with the reason.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from replylint.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)[^\n`]*$")
LONG_RUNNING = {"serve", "lsp"}  # parsed, never run
EDITOR_LANGS = {"lua", "vim", "viml", "elisp", "emacs-lisp", "lisp", "jsonc", "vimscript", "rust"}
NOT_RUN_TOOLS = {
    "pre-commit": "installs hooks into a git repository "
    "(tests/integration/test_precommit.py drives it)",
    "git": "acts on a repository",
    "pytest": "the test suite itself",
    "ruff": "a development tool run by CI",
    "mypy": "a development tool run by CI",
    "cd": "changes directory",
}
# Blocks that cannot be run or checked here, by a string only they hold, with the reason.
NOT_RUN: dict[str, str] = {
    "replies-2025.parquet --text-field": "needs a helpdesk archive; "
    "tests/archive/test_archive.py runs replylint scan on real Parquet and CSV archives",
    "support.zendesk_public_comments": "a Databricks notebook (its `spark` and tables); "
    "tests/archive/test_spark_dask.py runs lint_dataframe on a local[2] Spark session",
    'dd.read_parquet("replies-2025/")': "starts a cluster over an archive; "
    "tests/archive/test_spark_dask.py runs lint_dataframe on a two-process LocalCluster",
}


@dataclass
class Block:
    line: int  # 1-based line of the opening fence
    lang: str
    text: str

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.lang or 'plain'}"


def readme_blocks(text: str) -> list[Block]:
    """Every fenced code block (``` or ~~~, any length, indented up to 3 spaces)."""
    out: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m["fence"], len(m["indent"])
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            close = lines[j].strip()
            if close.startswith(fence[0] * len(fence)) and not close.strip(fence[0]):
                break
            body.append(lines[j][indent:] if lines[j][:indent].isspace() else lines[j])
            j += 1
        else:
            raise AssertionError(f"README.md:{i + 1}: a code block is never closed")
        out.append(Block(i + 1, m["lang"].lower(), "\n".join(body) + "\n"))
        i = j + 1
    return out


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def test_the_readme_has_blocks_of_every_main_kind() -> None:
    langs = {b.lang for b in BLOCKS}
    assert {"console", "python", "toml", "yaml", "json", ""} <= langs
    assert len(BLOCKS) >= 15


# --------------------------------------------------------------------------------------------
# Running commands
# --------------------------------------------------------------------------------------------


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of examples/ (commands may write to it: fix, the cache)."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


@dataclass
class Command:
    argv: list[str]
    output: list[str]


def commands(text: str) -> list[Command]:
    """``$ `` lines (``\\`` continues them) and the output lines under each."""
    out: list[Command] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("$ "):
            if out:
                out[-1].output.append(line)
            elif line.strip():
                raise AssertionError(f"output before any command: {line!r}")
            i += 1
            continue
        cmd = line[2:]
        while True:
            if cmd.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd.rstrip()[:-1] + " " + lines[i].strip()
                continue
            try:
                argv = shlex.split(cmd, comments=True)
            except ValueError:  # a quoted string goes on over the next line
                assert i + 1 < len(lines), f"unclosed quote in {cmd!r}"
                i += 1
                cmd += "\n" + lines[i]
                continue
            break
        out.append(Command(argv, []))
        i += 1
    return out


def _subcommand(argv: list[str]) -> tuple[click.Command, click.Context] | None:
    """Parse ``replylint …`` with the real command line (no run): every option must exist and
    every value be accepted. None for ``--version`` / ``--help`` on the group."""
    args = argv[1:]
    if not args or args[0].startswith("-"):
        return None
    group_ctx = main.make_context("replylint", [args[0]], resilient_parsing=True)
    command = main.get_command(group_ctx, args[0])
    assert command is not None, f"no command {args[0]!r}: {shlex.join(argv)}"
    try:
        ctx = command.make_context(args[0], list(args[1:]), parent=group_ctx)
    except click.ClickException as exc:
        raise AssertionError(f"{shlex.join(argv)}: {exc.format_message()}") from None
    return command, ctx


def _paths(ctx: click.Context) -> list[str]:
    found: list[str] = []
    for name in ("paths", "corpus"):
        value = ctx.params.get(name)
        if isinstance(value, str):
            found.append(value)
        elif value:
            found.extend(value)
    for name in ("customer", "config_file"):
        if ctx.params.get(name):
            found.append(ctx.params[name])
    return [p for p in found if p != "-"]


def _where(sandbox: Path, paths: list[str]) -> Path | None:
    for cwd in (sandbox, sandbox / "examples" / "canned-responses", sandbox / "examples"):
        if all((cwd / p).exists() for p in paths):
            return cwd
    return None


def _shape(line: str) -> re.Pattern[str]:
    """A line with any numbers (and the plural that follows one)."""
    out = ""
    for part in re.split(r"(\d+(?: \w+?)?)(?=s?\b)", line):
        if part and part[0].isdigit():
            _, _, word = part.partition(" ")
            out += r"\d+" + (rf" {re.escape(word)}s?" if word else "")
        else:
            out += re.escape(part)
    return re.compile(out)


def _matches(expected: list[str], actual: str, *, numbers: bool = True) -> None:
    """Each expected line occurs in order in ``actual``; ``…`` at the end makes it a prefix,
    a line of ``…`` stands for anything. ``numbers=False``: numbers may differ (the README's
    files are illustrative; the examples only share their names)."""
    got = [line.rstrip() for line in actual.replace(os.sep, "/").splitlines()]
    at = 0
    for want in (w.rstrip() for w in expected):
        if not want.strip() or want.strip() == "…":
            continue
        prefix = want.endswith("…")
        want = want.rstrip("…").rstrip() if prefix else want
        shape = _shape(want)
        for k in range(at, len(got)):
            if got[k] == want or (prefix and got[k].startswith(want)):
                at = k + 1
                break
            if not numbers and (shape.fullmatch(got[k]) or (prefix and shape.match(got[k]))):
                at = k + 1
                break
        else:
            raise AssertionError(f"not in the output (in order): {want!r}\n--- output:\n{actual}")


def run_replylint(argv: list[str], expected: list[str], sandbox: Path) -> str:
    """Run it (or parse it); return what was done."""
    parsed = _subcommand(argv)
    if parsed is None:  # replylint --version / --help
        result = CliRunner().invoke(main, argv[1:])
        assert result.exit_code == 0, result.output
        _matches(expected, result.output)
        return "ran"
    command, ctx = parsed
    paths = _paths(ctx)
    cwd = _where(sandbox, paths)
    if command.name in LONG_RUNNING or cwd is None:
        assert not [e for e in expected if e.strip() and not e.startswith(("{", " ", "["))] or (
            command.name in LONG_RUNNING
        ), f"output shown for a command that cannot run here: {shlex.join(argv)}"
        return "parsed"
    if command.name == "init":  # in a repository like the README says: no configuration yet
        cwd = _fresh_repository(sandbox)
    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, argv[1:])
    finally:
        os.chdir(here)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), (
        f"{shlex.join(argv)}: exit {result.exit_code}\n{result.output}"
    )
    _matches(expected, result.output, numbers=cwd == sandbox)
    return "ran"


def _fresh_repository(sandbox: Path) -> Path:
    """A git repository laid out like examples/canned-responses, with a pyproject.toml and no
    replylint configuration (what the README's `replylint init` runs in)."""
    repo = sandbox / "fresh-repository"
    if not repo.exists():
        shutil.copytree(sandbox / "examples" / "canned-responses", repo)
        (repo / ".replylint.toml").unlink()
        (repo / ".pre-commit-config.yaml").unlink()
        (repo / "pyproject.toml").write_text('[project]\nname = "macros"\n', encoding="utf-8")
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def run_python(argv: list[str], expected: list[str], sandbox: Path) -> str:
    script = sandbox / argv[1]
    assert script.is_file(), f"no script {argv[1]}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    files = [a for a in argv[2:] if not a.startswith("-")]
    if all((sandbox / f).exists() for f in files):
        result = subprocess.run(
            [sys.executable, *argv[1:]],
            cwd=sandbox,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
        _matches(expected, result.stdout)
        return "ran"
    # its files are only examples: the options it uses must exist
    result = subprocess.run(
        [sys.executable, argv[1], "--help"],
        cwd=sandbox,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    for option in (a.split("=", 1)[0] for a in argv[2:] if a.startswith("--")):
        assert option in result.stdout, f"{argv[1]} has no option {option}"
    return "parsed"


def _extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return set(project.get("optional-dependencies", {}))


def check_pip(argv: list[str]) -> str:
    assert argv[:2] in (["pip", "install"], ["pip3", "install"]), argv
    for arg in argv[2:]:
        extras = re.search(r"\[([\w,-]+)\]", arg)
        if extras and (arg.startswith((".", "replylint")) or "replylint" in arg):
            assert set(extras[1].split(",")) <= _extras(), arg
    return "not run (installs)"


def _server_routes() -> set[str]:
    from replylint.server import create_app

    return {route.path for route in create_app().routes if hasattr(route, "path")}


def check_endpoints(text: str) -> str:
    routes = _server_routes()
    called = set(re.findall(r"(/v1/[\w/{}.-]*\w)", text))
    assert called, "no endpoint named"
    for path in called:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"
        assert any(
            re.match(pattern, r) or re.match("^" + re.sub(r"\{[^}]+\}", "[^/]+", r) + "$", path)
            for r in routes
        ), f"no endpoint {path} (routes: {sorted(routes)})"
    return "not run (needs a server): endpoints exist"


def check_completion(line: str) -> str:
    """A shell completion line: click must print that shell's completion script."""
    found = re.search(r"_REPLYLINT_COMPLETE=(\w+)_source", line)
    assert found, f"not a completion command: {line}"
    env = {**os.environ, "_REPLYLINT_COMPLETE": f"{found[1]}_source"}
    result = CliRunner(env=env).invoke(main, [], prog_name="replylint")
    assert result.exit_code == 0 and "replylint" in result.output, result.output
    return f"ran: {found[1]} completion script"


def run_command(cmd: Command, sandbox: Path) -> str:
    program = cmd.argv[0]
    if program == "replylint":
        return run_replylint(cmd.argv, cmd.output, sandbox)
    if program in ("python", "python3"):
        return run_python(cmd.argv, cmd.output, sandbox)
    if program in ("pip", "pip3"):
        return check_pip(cmd.argv)
    if program == "curl":
        return check_endpoints(" ".join(cmd.argv))
    if program == "eval" or program.startswith("_REPLYLINT_COMPLETE="):
        return check_completion(" ".join(cmd.argv))
    if program in NOT_RUN_TOOLS:
        return f"not run: {NOT_RUN_TOOLS[program]}"
    raise AssertionError(f"unknown program in a README command: {shlex.join(cmd.argv)}")


def _shell(line: str) -> list[list[str]]:
    """A shell line's commands: split on && and ||, redirections dropped."""
    out: list[list[str]] = []
    for part in re.split(r"&&|\|\|", line):
        argv = shlex.split(part, comments=True)
        if ">" in argv:
            argv = argv[: argv.index(">")]
        argv = [a for a in argv if not a.startswith(">")]
        if argv and argv[0] != "test":
            out.append(argv)
    return out


# --------------------------------------------------------------------------------------------
# The kinds of block
# --------------------------------------------------------------------------------------------


def check_console(block: Block, sandbox: Path) -> None:
    cmds = commands(block.text)
    assert cmds, "a console block without a `$ ` command"
    for cmd in cmds:
        run_command(cmd, sandbox)


def _synopsis_groups(text: str) -> Iterator[str]:
    current = ""
    for line in text.splitlines():
        if line.startswith("replylint"):
            if current:
                yield current
            current = line
        elif line.strip():
            current += " " + line.strip()
    if current:
        yield current


def check_synopsis(block: Block, sandbox: Path) -> None:
    for entry in _synopsis_groups(block.text):
        words = entry.split()
        sub = words[1] if len(words) > 1 and not words[1].startswith("-") else None
        command = main if sub is None else main.get_command(click.Context(main), sub)
        assert command is not None, f"no command {sub!r}"
        ctx = click.Context(command, info_name=sub or "replylint")
        help_text = command.get_help(ctx)
        params = {opt: p for p in command.params for opt in p.opts + p.secondary_opts}
        for m in re.finditer(
            r"(?<![\w-])(--?[a-zA-Z][\w-]*)(?:[ =]([\w.-]+(?:\|[\w.-]+)+))?", entry
        ):
            option, choices = m[1], m[2]
            assert option in help_text, f"`replylint {sub or ''}` has no option {option}"
            param = params.get(option)
            if choices and param is not None and isinstance(param.type, click.Choice):
                assert set(choices.split("|")) == set(param.type.choices), entry
        for m in re.finditer(r"^replylint \w+ ((?:[\w-]+\|)+[\w-]+)", entry):
            arguments = [p for p in command.params if isinstance(p, click.Argument)]
            assert arguments and isinstance(arguments[0].type, click.Choice), entry
            assert set(m[1].split("|")) == set(arguments[0].type.choices), entry


def _config_for_error(message: str) -> tuple[str, str] | None:
    """The configuration file and its content that give a README's error line."""
    m = re.match(
        r"(?P<file>\.replylint\.toml|pyproject\.toml)(?: \[tool\.replylint\])?: (?P<rest>.*)",
        message,
    )
    if not m:
        return None
    rest = m["rest"]
    if key := re.match(r"unknown key '([\w-]+)'", rest):
        body = f'{key[1]} = "warning"\n'
    elif bad := re.match(r"([\w-]+): invalid value '([^']*)'", rest):
        body = f'{bad[1]} = "{bad[2]}"\n'
    elif rid := re.match(r"([\w-]+): unknown rule id '([\w-]+)'", rest):
        body = (
            f'[severity]\n"{rid[2]}" = "warning"\n'
            if rid[1] == "severity"
            else f'{rid[1]} = ["{rid[2]}"]\n'
        )
    else:
        return None
    if m["file"] == "pyproject.toml":
        lines = body.splitlines()
        if lines[0].startswith("["):
            body = f"[tool.replylint.{lines[0][1:-1]}]\n" + "\n".join(lines[1:]) + "\n"
        else:
            body = "[tool.replylint]\n" + body
    return m["file"], body


def check_error_lines(block: Block, sandbox: Path) -> None:
    for line in block.text.splitlines():
        if not line.strip():
            continue
        assert line.startswith("replylint: error: "), line
        message = line.removeprefix("replylint: error: ")
        config = _config_for_error(message)
        if config is None:  # not reproducible from the line alone: its shape at least
            assert re.match(r"[^:]+: ", message), f"an error should name its file: {line}"
            continue
        name, body = config
        folder = sandbox / f"case-{abs(hash(line))}"
        folder.mkdir()
        (folder / name).write_text(body, encoding="utf-8")
        (folder / "reply.txt").write_text("Thanks!\n", encoding="utf-8")
        here = Path.cwd()
        os.chdir(folder)
        try:
            result = CliRunner().invoke(main, ["check", "--no-cache", "reply.txt"])
        finally:
            os.chdir(here)
        assert result.exit_code == 2, result.output
        (got,) = [x for x in result.stderr.splitlines() if x.strip()]
        got = got.replace(str(folder / name), name).replace(str(folder) + os.sep, "")
        if line.endswith("…"):
            assert got.startswith(line[:-1].rstrip()), (got, line)
        else:
            assert got == line


def check_plain(block: Block, sandbox: Path) -> None:
    lines = [x for x in block.text.splitlines() if x.strip()]
    if all(x.startswith("replylint: error: ") for x in lines):
        return check_error_lines(block, sandbox)
    if sum(x.startswith("replylint ") and "[" in x for x in lines) >= 2:
        return check_synopsis(block, sandbox)
    for line in lines:  # shell lines: commands joined by &&
        for argv in _shell(line):
            run_command(Command(argv, []), sandbox)
    return None


def check_python(block: Block, sandbox: Path) -> None:
    if ">>>" in block.text:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(
            block.text, {}, f"README.md:{block.line}", str(README), block.line
        )
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test)
        result = runner.summarize(verbose=False)
        assert result.attempted > 0 and result.failed == 0, (
            f"README.md:{block.line}: doctest failed"
        )
        return
    code = compile(block.text, f"README.md:{block.line}", "exec")
    exec(code, {"__name__": "readme_block"})  # our own README's example


def _keys(value: Any, path: str = "$") -> Iterator[tuple[str, frozenset[str]]]:
    if isinstance(value, dict):
        yield path, frozenset(value)
        for k, v in value.items():
            yield from _keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v, f"{path}[]")


def check_json(block: Block, sandbox: Path) -> None:
    data = json.loads(block.text)
    if isinstance(data, dict) and {"version", "files"} <= set(data):
        result = CliRunner().invoke(main, ["check", "--format", "json", "examples/drafts"])
        real = json.loads(result.stdout)
        shapes: dict[str, set[frozenset[str]]] = {}
        for path, keys in _keys(real):
            shapes.setdefault(path, set()).add(keys)
        for path, keys in _keys(data):
            assert keys in shapes.get(path, set()), (
                f"{path}: keys {sorted(keys)} not in real output"
            )
        return
    assert isinstance(data, dict) and any("." in k for k in data), "unknown JSON block"


def _schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    return data


def _validate(data: Any, schema_name: str, *, fragment: bool = False) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft7Validator(_schema(schema_name)).iter_errors(data)
        if not (fragment and e.validator in ("required", "allOf"))
    ]
    assert errors == []


def check_toml(block: Block, sandbox: Path) -> None:
    data = tomllib.loads(block.text)
    first = block.text.splitlines()[0]
    if {"language-server", "language", "language_servers"} & set(data):
        return  # editor settings (Helix languages.toml, a Zed extension.toml): parsed
    if isinstance(data.get("tool"), dict) and "replylint" in data["tool"]:
        table, name = data["tool"]["replylint"], "pyproject.toml"
    else:
        from replylint.config import KEYS

        named = first.startswith("#:schema") and "config.schema.json" in first
        assert named or ".replylint.toml" in first or set(data) <= set(KEYS), "unknown TOML"
        table, name = data, ".replylint.toml"
    _validate(table, "config.schema.json")
    # and the real loader takes it (folders it names exist in a project)
    from replylint.config import load_config

    folder = sandbox / f"config-{block.line}"
    folder.mkdir()
    dirs = table.get("rules-dir", [])
    for d in [dirs] if isinstance(dirs, str) else dirs:
        (folder / d).mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(block.text, encoding="utf-8")
    load_config(folder / name)


def _lint_draft(text: str, suffix: str, sandbox: Path) -> None:
    path = sandbox / f"draft{suffix}"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(path)])
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["files"][0]["findings"]
    disabled = set(re.findall(r"replylint: disable(?:-next-line|-file)?=([\w,-]+)", text))
    off = {i for ids in disabled for i in ids.split(",")}
    fired = {f["rule"] for f in findings}
    assert not (fired & off), f"suppressed rules fired: {fired & off}"
    assert "unused-suppression" not in fired


def check_yaml(block: Block, sandbox: Path) -> None:
    data = yaml.safe_load(block.text)
    head = block.text.splitlines()[0]
    if "yaml-language-server: $schema=" in head:
        name = head.rsplit("/", 1)[-1].split("=", 1)[-1]
        assert (ROOT / "schemas" / name).is_file(), head
        _validate(data, name, fragment=True)
        return
    if isinstance(data, dict) and "repos" in data:
        hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
        for repo in data["repos"]:
            if "replylint" in repo["repo"]:
                assert {h["id"] for h in repo["hooks"]} <= hooks
        return
    if isinstance(data, dict) and "jobs" in data:
        for job in data["jobs"].values():
            for step in job.get("steps", []):
                for line in str(step.get("run", "")).splitlines():
                    for argv in _shell(line):
                        if argv[0] == "replylint":
                            assert _subcommand(argv) is not None or argv[1:2] == ["--version"]
        return
    if isinstance(data, dict) and "runs" in data:
        return  # an action definition: parsed
    if isinstance(data, dict) and {"id", "kind"} <= set(data):
        _validate(data, "rule.schema.json")
        return
    assert "replylint:" in block.text, "unknown YAML block"
    _lint_draft(block.text, ".yaml", sandbox)


def check_markup(block: Block, sandbox: Path) -> None:
    _lint_draft(block.text, ".md" if block.lang in ("markdown", "md") else ".html", sandbox)


def check_js(block: Block, sandbox: Path) -> None:
    check_endpoints(block.text)


def check_diff(block: Block, sandbox: Path) -> None:
    lines = block.text.splitlines()
    assert any(x.startswith("--- ") for x in lines) and any(x.startswith("+++ ") for x in lines)
    assert any(x.startswith("@@ ") for x in lines)
    for x in lines:
        assert x[:1] in ("", " ", "+", "-", "@", "\\") or x.startswith("diff "), x


def classify(block: Block) -> str | None:
    for marker, reason in NOT_RUN.items():
        if marker in block.text:
            return f"not run: {reason}"
    lang = block.lang
    if lang in ("console", "shell-session", "sh-session"):
        return "console"
    if lang in ("", "text", "sh", "shell", "bash"):
        return "plain"
    if lang in ("python", "py", "pycon"):
        return "python"
    if lang in ("json", "toml", "yaml", "yml", "js", "javascript", "diff"):
        return {"yml": "yaml", "javascript": "js"}.get(lang, lang)
    if lang in ("markdown", "md", "html"):
        return "markup"
    if lang in EDITOR_LANGS:
        return "not run: editor configuration (needs the editor)"
    if lang == "draft":  # a rule's before/after: tests/rules/test_rule_examples.py runs it
        return "not run: a reply draft"
    return None


CHECKS = {
    "console": check_console,
    "plain": check_plain,
    "python": check_python,
    "json": check_json,
    "toml": check_toml,
    "yaml": check_yaml,
    "markup": check_markup,
    "js": check_js,
    "diff": check_diff,
}


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.id)
def test_readme_block(block: Block, sandbox: Path) -> None:
    kind = classify(block)
    assert kind is not None, (
        f"README.md:{block.line}: a ```{block.lang} block of no known kind; handle it in "
        "tests/integration/test_readme.py or list it in NOT_RUN with the reason"
    )
    if kind.startswith("not run"):
        return
    CHECKS[kind](block, sandbox)


def test_the_extractor_finds_every_fence() -> None:
    text = (
        "a\n```console\n$ replylint --version\n```\n\n  ~~~~yaml\n  a: 1\n  ~~~~\n"
        "````markdown\n```python\nx\n```\n````\n```\nplain\n```\n"
    )
    found = readme_blocks(text)
    assert [(b.line, b.lang) for b in found] == [
        (2, "console"),
        (6, "yaml"),
        (9, "markdown"),
        (14, ""),
    ]
    assert found[1].text == "a: 1\n"
    assert found[2].text == "```python\nx\n```\n"
    with pytest.raises(AssertionError, match="never closed"):
        readme_blocks("```python\nx = 1\n")
    assert classify(Block(1, "brainfuck", "+")) is None


# --------------------------------------------------------------------------------------------
# The checks fail on a drifted block
# --------------------------------------------------------------------------------------------


def test_every_configuration_error_line_in_the_readme_is_reproduced() -> None:
    lines = [
        line
        for b in BLOCKS
        if classify(b) == "plain"
        for line in b.text.splitlines()
        if line.startswith(("replylint: error: .replylint.toml", "replylint: error: pyproject"))
    ]
    assert len(lines) >= 3
    assert all(_config_for_error(x.removeprefix("replylint: error: ")) for x in lines)


@pytest.mark.parametrize(
    ("lang", "text", "message"),
    [
        (
            "",
            "replylint check PATH... [--colour auto]\nreplylint rules [--format text]\n",
            "no option --colour",
        ),
        (
            "",
            "replylint check PATH... [--format text|xml]\nreplylint rules [--format text]\n",
            "text|xml",
        ),
        (
            "console",
            "$ replylint check examples/drafts/bad-policy-refund.txt\n"
            "examples/drafts/bad-policy-refund.txt:3:65: blame-customer warning\n",
            "not in the output",
        ),
        ("console", "$ replylint check --no-such-option examples/drafts\n", "no-such-option"),
        ("console", "$ frobnicate examples\n", "unknown program"),
        ("toml", '# .replylint.toml\nfail-on = "fatal"\n', "fatal"),
        (
            "yaml",
            "# yaml-language-server: $schema=../schemas/rule.schema.json\nseverity: loud\n",
            "loud",
        ),
        ("python", ">>> 1 + 1\n3\n", "doctest failed"),
        (
            "markdown",
            "<!-- replylint: disable-next-line=bare-policy -->\nThanks for your order!\n",
            "unused-suppression",
        ),
        (
            "",
            "replylint: error: .replylint.toml: fail-on: invalid value 'fatal'; expected two\n",
            "",
        ),
    ],
)
def test_a_drifted_block_fails(lang: str, text: str, message: str, sandbox: Path) -> None:
    block = Block(1, lang, text)
    kind = classify(block)
    assert kind is not None
    with pytest.raises(AssertionError, match=re.escape(message) if message else None):
        CHECKS[kind](block, sandbox)
