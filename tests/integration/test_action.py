"""The GitHub Action: ``action.yml`` is well-formed, its steps run as GitHub runs them (bash, the
inputs and step outputs substituted, ``GITHUB_*`` variables set) on fresh git repositories, and
the workflow the README documents is valid and uses the action's inputs and outputs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from replylint import __version__
from tests.integration.test_precommit import (
    BAD,
    GOOD,
    ROOT,
    Source,
    _env,
    git_repo,
    replylint_source,  # noqa: F401 (the session fixture)
)

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
SCHEMA = ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json"
pytestmark = pytest.mark.slow  # the action's bash steps on fresh git repositories, one pip install


def steps() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in ACTION["runs"]["steps"]}


def evaluate(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    """GitHub's ``${{ inputs.x }}`` and ``${{ steps.id.outputs.x }}`` (all the action uses)."""

    def value(match: re.Match[str]) -> str:
        expr = match.group(1)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        assert found, f"an expression this test does not know: {expr}"
        return outputs[found.group(1)].get(found.group(2), "")

    return EXPRESSION.sub(value, text)


def read_outputs(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())


def run_action(
    workspace: Path,
    tmp_path: Path,
    with_: dict[str, str],
    *,
    only: tuple[str, ...] = ("run",),
    python: str = sys.executable,
    action_path: Path = ROOT,
    timeout: int = 300,
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run the action's steps (``only`` some of them) as a runner does; the last step's process
    and its outputs. Without the install step, ``python`` stands for the installed one."""
    unknown = set(with_) - set(ACTION["inputs"])
    assert not unknown, f"inputs action.yml does not declare: {unknown}"
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(with_)
    outputs: dict[str, dict[str, str]] = {"install": {"python": python}}
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    proc = None
    for step_id in only:
        step = steps()[step_id]
        assert step["shell"] == "bash"
        out_file = tmp_path / f"output-{step_id}"
        env = _env(tmp_path)
        env.update(
            GITHUB_ACTIONS="true",
            GITHUB_WORKSPACE=str(workspace),
            GITHUB_ACTION_PATH=str(action_path),
            GITHUB_OUTPUT=str(out_file),
            RUNNER_TEMP=str(temp),
            PYTHONPATH=os.environ.get("PYTHONPATH", ""),
        )
        env.update({k: evaluate(str(v), inputs, outputs) for k, v in step.get("env", {}).items()})
        script = tmp_path / f"step-{step_id}.sh"
        script.write_text(evaluate(step["run"], inputs, outputs), encoding="utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        outputs[step_id] = read_outputs(out_file)
        if proc.returncode != 0:
            break
    assert proc is not None
    return proc, outputs.get(only[-1], {})


def replies(tmp_path: Path) -> Path:
    repo = git_repo(tmp_path / "replies", _env(tmp_path))
    (repo / "replies").mkdir()
    (repo / "replies" / "refund.txt").write_text(BAD, encoding="utf-8")
    (repo / "replies" / "shipped.md").write_text(GOOD, encoding="utf-8")
    return repo


# --------------------------------------------------------------------------------------------
# action.yml
# --------------------------------------------------------------------------------------------


def test_action_yml_is_a_composite_action_using_its_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {
        "paths",
        "format",
        "fail-on",
        "args",
        "sarif-file",
        "extras",
        "version",
        "python",
    }
    for spec in ACTION["inputs"].values():
        assert spec["description"] and "default" in spec and spec["required"] is False
    used: set[str] = set()
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"  # composite run steps need one
        text = json.dumps(step)
        used |= set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", text))
        for ref in re.findall(r"steps\.([\w-]+)\.outputs", text):
            assert ref in steps()
    assert used == set(ACTION["inputs"])  # every input is used, none is undeclared
    for name, spec in ACTION["outputs"].items():
        (ref,) = re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", spec["value"])
        assert ref == ("run", name)
    # installed from the action's own checkout unless a version is asked for
    install = steps()["install"]["run"]
    assert 'spec="${GITHUB_ACTION_PATH}${extras}"' in install


def test_annotations_on_a_fresh_repository(tmp_path: Path) -> None:
    repo = replies(tmp_path)
    proc, outputs = run_action(repo, tmp_path, {"format": "github"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "replylint: replylint check --format github -- ."
    assert any(
        line.startswith(
            "::warning file=replies/refund.txt,line=1,col=46,endLine=1,endColumn=61,"
            "title=replylint (bare-policy)::"
        )
        for line in lines
    ), proc.stdout
    assert "replies/shipped.md" not in proc.stdout
    assert outputs == {"exit-code": "1"}


def test_fail_on_and_args(tmp_path: Path) -> None:
    repo = replies(tmp_path)
    proc, outputs = run_action(repo, tmp_path, {"fail-on": "error"})
    assert proc.returncode == 0, proc.stdout + proc.stderr  # only warnings: they pass
    assert "::warning file=replies/refund.txt" in proc.stdout
    assert outputs == {"exit-code": "0"}
    proc, outputs = run_action(repo, tmp_path, {"args": "--select terse-refusal"})
    assert proc.returncode == 0 and "::" not in proc.stdout.split("\n", 1)[1]
    proc, outputs = run_action(repo, tmp_path, {"args": "--exit-zero", "paths": "replies"})
    assert proc.returncode == 0 and "bare-policy" in proc.stdout


def test_sarif_file_for_code_scanning(tmp_path: Path) -> None:
    repo = replies(tmp_path)
    with_ = {"format": "sarif", "sarif-file": "reports/replylint.sarif", "paths": "replies\n"}
    proc, outputs = run_action(repo, tmp_path, with_)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert outputs == {"exit-code": "1", "sarif-file": "reports/replylint.sarif"}
    sarif = json.loads((repo / "reports" / "replylint.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    locations = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert locations == {"replies/refund.txt"}  # relative to the workspace, as GitHub needs
    assert "bare-policy" in {r["ruleId"] for r in results}
    assert "::warning" not in proc.stdout  # no annotations in this format
    # --exit-zero: the SARIF file still, and a green step
    proc, outputs = run_action(repo, tmp_path, {**with_, "args": "--exit-zero"})
    assert proc.returncode == 0
    assert outputs["sarif-file"] == "reports/replylint.sarif"


def test_bad_inputs_and_unreadable_files_fail_with_an_annotation(tmp_path: Path) -> None:
    repo = replies(tmp_path)
    proc, outputs = run_action(repo, tmp_path, {"format": "junit"})
    assert proc.returncode == 2
    assert proc.stdout.startswith(
        "::error title=replylint::invalid input: format: 'junit' is not one of github, sarif"
    )
    assert outputs == {"exit-code": "2"}
    proc, outputs = run_action(repo, tmp_path, {"fail-on": "fatal"})
    assert proc.returncode == 2 and "fail-on: 'fatal'" in proc.stdout
    proc, outputs = run_action(repo, tmp_path, {"paths": "replies missing.txt"})
    assert proc.returncode == 2
    assert "::error file=missing.txt,title=replylint::missing.txt: no such file" in proc.stdout
    assert "::error title=replylint::replylint could not lint every file" in proc.stdout
    proc, outputs = run_action(repo, tmp_path, {"format": "sarif", "args": "--select no-such-rule"})
    assert proc.returncode == 2
    assert outputs == {"exit-code": "2"}  # no SARIF file to upload
    assert "unknown rule id 'no-such-rule'" in proc.stderr


@pytest.mark.slow
def test_the_whole_action_installs_from_its_checkout(
    tmp_path: Path,
    replylint_source: Source,  # noqa: F811 (the fixture imported above)
) -> None:
    """Both steps as written: replylint installed into a virtualenv from the action's path."""
    repo = replies(tmp_path)
    proc, outputs = run_action(
        repo,
        tmp_path,
        {"format": "sarif"},
        only=("install", "run"),
        action_path=replylint_source.path,
        timeout=900,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert outputs == {"exit-code": "1", "sarif-file": "replylint.sarif"}, proc.stdout + proc.stderr
    assert (tmp_path / "runner-temp" / "replylint-action" / "bin" / "replylint").exists()
    sarif = json.loads((repo / "replylint.sarif").read_text(encoding="utf-8"))
    assert "bare-policy" in {r["ruleId"] for r in sarif["runs"][0]["results"]}


# --------------------------------------------------------------------------------------------
# The README's workflow
# --------------------------------------------------------------------------------------------


def readme_workflow() -> dict[Any, Any]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.github/workflows/[^\n]*\n.*?)```", readme, re.S)
    assert len(blocks) == 1
    workflow = yaml.safe_load(blocks[0])
    assert isinstance(workflow, dict)
    return workflow


def test_readme_workflow_uses_the_action_as_declared() -> None:
    workflow = readme_workflow()
    assert workflow[True] == ["push", "pull_request"]  # `on:` (YAML 1.1 reads it as true)
    uses = []
    for job in workflow["jobs"].values():
        assert job["runs-on"]
        ids = {s["id"]: s for s in job["steps"] if "id" in s}
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step)
            name = step.get("uses", "")
            if not name.startswith("replylint/replylint@"):
                continue
            uses.append(step)
            assert name == f"replylint/replylint@v{__version__}"  # the release tag
            given = step.get("with", {})
            assert set(given) <= set(ACTION["inputs"])
            assert given.get("format", "github") in ("github", "sarif")
        for step in job["steps"]:
            for ref, output in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", json.dumps(step)):
                assert ref in ids and output in ACTION["outputs"]
            if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"):
                (sarif_step,) = [
                    s for s in ids.values() if s.get("with", {}).get("format") == "sarif"
                ]
                default = ACTION["inputs"]["sarif-file"]["default"]
                assert step["with"]["sarif_file"] == sarif_step["with"].get("sarif-file", default)
                assert job["permissions"]["security-events"] == "write"
    assert {s.get("with", {}).get("format", "github") for s in uses} == {"github", "sarif"}
