"""The GitHub Action (``action.yml`` at the repository's root) after replylint is installed:
``python -m replylint.action``.

It reads the action's inputs from ``INPUT_*`` variables (as ``action.yml`` passes them), runs
``replylint check`` in ``GITHUB_WORKSPACE`` and either prints annotations (``format: github``:
GitHub shows them on the pull request's diff) or writes a SARIF file (``format: sarif``, for
``github/codeql-action/upload-sarif``). The step's outputs (``exit-code``, and ``sarif-file``
once the file is written) go to ``GITHUB_OUTPUT``. The exit status is replylint's: 0 clean, 1
findings at or above ``fail-on`` (``args: --exit-zero`` makes them pass), 2 an input, a
configuration or a file that could not be read.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping

FORMATS = ("github", "sarif")
SEVERITIES = ("info", "warning", "error")
DEFAULT_SARIF = "replylint.sarif"


class InputError(Exception):
    """An input the action cannot use; the message names it."""


def _error(message: str) -> None:
    """An error annotation (and the log line) for what went wrong."""
    text = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    print(f"::error title=replylint::{text}", flush=True)


def command(env: Mapping[str, str]) -> tuple[list[str], str | None]:
    """The ``replylint check`` command line for the inputs in ``env``, and the SARIF file it
    writes (None for annotations)."""
    fmt = env.get("INPUT_FORMAT", "").strip() or "github"
    if fmt not in FORMATS:
        raise InputError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    fail_on = env.get("INPUT_FAIL_ON", "").strip()
    if fail_on and fail_on not in SEVERITIES:
        raise InputError(f"fail-on: {fail_on!r} is not one of {', '.join(SEVERITIES)} (or empty)")
    try:
        paths = shlex.split(env.get("INPUT_PATHS", ""))
        args = shlex.split(env.get("INPUT_ARGS", ""))
    except ValueError as exc:
        raise InputError(f"paths or args: {exc}") from None
    argv = [sys.executable, "-m", "replylint.cli", "check", "--format", fmt]
    if fail_on:
        argv += ["--fail-on", fail_on]
    sarif = None
    if fmt == "sarif":
        sarif = env.get("INPUT_SARIF_FILE", "").strip() or DEFAULT_SARIF
        argv += ["--output-file", sarif]
    return [*argv, *args, "--", *(paths or ["."])], sarif


def _set_outputs(env: Mapping[str, str], **outputs: str) -> None:
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as fh:
        for name, value in outputs.items():
            fh.write(f"{name}={value}\n")


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the action; its exit status."""
    env = os.environ if env is None else env
    try:
        argv, sarif = command(env)
    except InputError as exc:
        _error(f"invalid input: {exc}")
        _set_outputs(env, **{"exit-code": "2"})
        return 2
    workspace = env.get("GITHUB_WORKSPACE") or os.getcwd()
    if sarif is not None:
        os.makedirs(os.path.dirname(os.path.join(workspace, sarif)), exist_ok=True)
    print(f"replylint: {shlex.join(['replylint', *argv[3:]])}", flush=True)
    code = subprocess.run(argv, cwd=workspace, check=False).returncode
    outputs = {"exit-code": str(code)}
    if sarif is not None and os.path.isfile(os.path.join(workspace, sarif)):
        outputs["sarif-file"] = sarif
        print(f"replylint: wrote {sarif}", flush=True)
    _set_outputs(env, **outputs)
    if code == 2:
        _error("replylint could not lint every file, or an option or configuration is invalid")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
