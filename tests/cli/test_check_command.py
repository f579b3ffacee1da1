"""The command line: ``replylint check`` in-process through CliRunner, plus a few real runs of
the installed console script.

Every run goes through the real rule book and the real spaCy pipeline (loaded once per process).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from replylint.cli import main

ANSI = re.compile(r"\x1b\[[0-9;]*m")

NOPE = "Nope.\n"  # terse-refusal + no-acknowledgement (warnings)
CLEAN = "Thanks for your order! It shipped this morning and tracking is on its way to your inbox.\n"
POLICY = "Unfortunately, we can't refund opened items. It's our policy.\n"
# only no-paraphrase (severity info) fires on this one
INFO_ONLY = """Hello Grace,

I'm sorry about the mix-up with your delivery. Our courier has updated the address on the
parcel and it should now reach you on Friday. I've also refunded the delivery fee, since
you shouldn't have had to chase this. If anything else comes up, let me know.

Kind regards,
Omar
"""

FILE_KEYS = {"path", "error", "findings", "drafts"}
MOVE_KEYS = {
    "acknowledges_feelings",
    "apologizes",
    "paraphrases_issue",
    "explains",
    "offers_next_step",
    "gives_timeline",
    "checks_back",
    "takes_ownership",
    "greets",
    "signs_off",
}
PROFILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": sorted(MOVE_KEYS | {"apology_kind", "channel", "language"}),
    "properties": {
        **{k: {"type": "boolean"} for k in MOVE_KEYS},
        "apology_kind": {"enum": ["owning", "scripted", "non-apology", None]},
        "channel": {"type": ["string", "null"]},
        "language": {"type": ["string", "null"]},
    },
}
FINDING_KEYS = {
    "rule",
    "severity",
    "category",
    "message",
    "line",
    "column",
    "end_line",
    "end_column",
    "excerpt",
    "draft",
    "suggestions",
}
SUGGESTION_KEYS = {
    "replacement",
    "line",
    "column",
    "end_line",
    "end_column",
    "description",
    "applicability",
}

_POS = {"type": "integer", "minimum": 1}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "files", "summary"],
    "properties": {
        "version": {"const": "1.1"},
        "summary": {
            "type": "object",
            "additionalProperties": False,
            "required": ["files", "drafts", "findings"],
            "properties": {
                k: {"type": "integer", "minimum": 0} for k in ("files", "drafts", "findings")
            },
        },
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": sorted(FILE_KEYS),
                "properties": {
                    "path": {"type": "string"},
                    "error": {"type": ["string", "null"]},
                    "drafts": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["index", "title", "profile"],
                            "properties": {
                                "index": {"type": "integer", "minimum": 0},
                                "title": {"type": ["string", "null"]},
                                "profile": PROFILE_SCHEMA,
                            },
                        },
                    },
                    "findings": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": sorted(FINDING_KEYS),
                            "properties": {
                                "rule": {"type": "string"},
                                "severity": {"enum": ["info", "warning", "error"]},
                                "category": {"type": "string"},
                                "message": {"type": "string"},
                                "line": _POS,
                                "column": _POS,
                                "end_line": _POS,
                                "end_column": _POS,
                                "excerpt": {"type": "string"},
                                "draft": {"type": ["string", "null"]},
                                "suggestions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "additionalProperties": False,
                                        "required": sorted(SUGGESTION_KEYS),
                                        "properties": {
                                            "replacement": {"type": "string"},
                                            "description": {"type": "string"},
                                            "applicability": {
                                                "enum": ["safe", "unsafe", "display-only"]
                                            },
                                            "line": _POS,
                                            "column": _POS,
                                            "end_line": _POS,
                                            "end_column": _POS,
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """Invoke the CLI in-process; it must never die of an exception (no traceback)."""
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def rules_in(result: Result) -> set[str]:
    data = json.loads(result.stdout)
    return {f["rule"] for file in data["files"] for f in file["findings"]}


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# --------------------------------------------------------------------------------------------
# check on a directory, exit codes, --fail-on
# --------------------------------------------------------------------------------------------


def test_check_directory_of_txt_files(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "nope.txt", NOPE)
    write(tmp_path / "drafts" / "sub" / "policy.txt", POLICY)
    write(tmp_path / "drafts" / "clean.txt", CLEAN)
    write(tmp_path / "drafts" / "notes.rst", NOPE)  # not a draft format: skipped in a directory
    result = run("check", "--format", "json", str(tmp_path / "drafts"))
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert set(by_name) == {"nope.txt", "policy.txt", "clean.txt"}
    assert {f["rule"] for f in by_name["nope.txt"]["findings"]} >= {"terse-refusal"}
    assert "bare-policy" in {f["rule"] for f in by_name["policy.txt"]["findings"]}
    assert by_name["clean.txt"]["findings"] == []
    assert data["summary"]["files"] == 3
    assert data["summary"]["drafts"] == 3
    assert data["summary"]["findings"] == sum(len(f["findings"]) for f in data["files"])


def test_exit_0_when_clean(tmp_path: Path) -> None:
    path = write(tmp_path / "clean.txt", CLEAN)
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "All clear" in result.stdout
    assert result.stderr == ""


def test_exit_1_on_findings(tmp_path: Path) -> None:
    path = write(tmp_path / "nope.txt", NOPE)
    result = run("check", str(path))
    assert result.exit_code == 1
    assert "terse-refusal" in result.stdout


@pytest.mark.parametrize(
    ("text", "select", "fail_on", "code"),
    [
        (INFO_ONLY, "no-paraphrase", "info", 1),
        (INFO_ONLY, "no-paraphrase", "warning", 0),
        (INFO_ONLY, "no-paraphrase", "error", 0),
        (NOPE, "terse-refusal", "info", 1),
        (NOPE, "terse-refusal", "warning", 1),
        (NOPE, "terse-refusal", "error", 0),  # a warning is below "error"
        (CLEAN, "ALL", "info", 0),
    ],
)
def test_fail_on(tmp_path: Path, text: str, select: str, fail_on: str, code: int) -> None:
    path = write(tmp_path / "draft.txt", text)
    result = run("check", "--format", "json", "--select", select, "--fail-on", fail_on, str(path))
    assert result.exit_code == code, result.output
    severities = {f["severity"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    # findings are reported whatever --fail-on says; it only decides the exit code
    expected = {"no-paraphrase": {"info"}, "terse-refusal": {"warning"}, "ALL": set()}[select]
    assert severities == expected


@pytest.mark.parametrize("fail_on", ["info", "warning", "error"])
def test_fail_on_is_at_or_above(tmp_path: Path, fail_on: str) -> None:
    """Whatever rules fire: exit 1 exactly when a finding is at or above --fail-on."""
    for name, text in {"a": NOPE, "b": INFO_ONLY, "c": POLICY}.items():
        write(tmp_path / f"{name}.txt", text)
    result = run("check", "--format", "json", "--fail-on", fail_on, str(tmp_path))
    rank = {"info": 0, "warning": 1, "error": 2}
    severities = [
        f["severity"] for file in json.loads(result.stdout)["files"] for f in file["findings"]
    ]
    assert {"info", "warning"} <= set(severities)
    fails = any(rank[s] >= rank[fail_on] for s in severities)
    assert result.exit_code == (1 if fails else 0)


def test_default_fail_on_is_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "draft.txt", INFO_ONLY)
    result = run("check", "--select", "no-paraphrase", str(path))
    assert "no-paraphrase" in result.stdout
    assert result.exit_code == 0


def test_bad_fail_on_value_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path / "draft.txt", NOPE)
    result = run("check", "--fail-on", "critical", str(path))
    assert result.exit_code == 2


# --------------------------------------------------------------------------------------------
# --select / --ignore
# --------------------------------------------------------------------------------------------

NOPE_POLICY = "Nope. It's our policy.\n"


def test_all_rules_fire_without_select(tmp_path: Path) -> None:
    path = write(tmp_path / "d.txt", NOPE_POLICY)
    assert rules_in(run("check", "--format", "json", str(path))) >= {
        "terse-refusal",
        "bare-policy",
        "no-acknowledgement",
    }


def test_select_comma_list(tmp_path: Path) -> None:
    path = write(tmp_path / "d.txt", NOPE_POLICY)
    result = run("check", "--format", "json", "--select", "terse-refusal, bare-policy", str(path))
    assert rules_in(result) == {"terse-refusal", "bare-policy"}


def test_select_repeated(tmp_path: Path) -> None:
    path = write(tmp_path / "d.txt", NOPE_POLICY)
    result = run(
        "check",
        "--format",
        "json",
        "--select",
        "terse-refusal",
        "--select",
        "no-acknowledgement",
        str(path),
    )
    assert rules_in(result) == {"terse-refusal", "no-acknowledgement"}


def test_ignore_comma_list(tmp_path: Path) -> None:
    path = write(tmp_path / "d.txt", NOPE_POLICY)
    everything = rules_in(run("check", "--format", "json", str(path)))
    assert {"no-acknowledgement", "terse-refusal", "bare-policy"} <= everything
    result = run(
        "check", "--format", "json", "--ignore", "no-acknowledgement,terse-refusal", str(path)
    )
    assert rules_in(result) == everything - {"no-acknowledgement", "terse-refusal"}


def test_select_then_ignore(tmp_path: Path) -> None:
    path = write(tmp_path / "d.txt", NOPE_POLICY)
    result = run(
        "check",
        "--format",
        "json",
        "--select",
        "terse-refusal,bare-policy",
        "--ignore",
        "bare-policy",
        str(path),
    )
    assert rules_in(result) == {"terse-refusal"}


def test_ignoring_every_rule_is_clean(tmp_path: Path) -> None:
    path = write(tmp_path / "d.txt", NOPE_POLICY)
    result = run("check", "--ignore", "ALL", str(path))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_id_is_one_line_error(tmp_path: Path, option: str) -> None:
    path = write(tmp_path / "d.txt", NOPE)
    result = run("check", option, "terse-refusal,no-such-rule-xyz", str(path))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert "no-such-rule-xyz" in lines[0]
    assert option in lines[0]
    assert result.stdout == ""


# --------------------------------------------------------------------------------------------
# --model
# --------------------------------------------------------------------------------------------


def test_unknown_model_is_one_line_error(tmp_path: Path) -> None:
    path = write(tmp_path / "d.txt", NOPE)
    result = run("check", "--model", "nonexistent_pipeline_xyz", str(path))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert "nonexistent_pipeline_xyz" in lines[0]
    assert lines[0].startswith("replylint: error:")
    assert result.stdout == ""


# --------------------------------------------------------------------------------------------
# stdin
# --------------------------------------------------------------------------------------------


def test_stdin(tmp_path: Path) -> None:
    result = run("check", "-", input="Hi Tom,\n\nNope.\n")
    assert result.exit_code == 1
    assert "<stdin>:3:1: terse-refusal warning" in result.stdout


def test_stdin_json_with_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "clean.txt", CLEAN)
    result = run("check", "--format", "json", str(path), "-", input=NOPE_POLICY.encode())
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == [str(path), "<stdin>"]
    assert data["files"][0]["findings"] == []
    assert {f["rule"] for f in data["files"][1]["findings"]} >= {"terse-refusal", "bare-policy"}


# --------------------------------------------------------------------------------------------
# --customer
# --------------------------------------------------------------------------------------------


def test_customer_message_decides_what_is_asked(tmp_path: Path) -> None:
    """With the customer's message the reply is asked to acknowledge and say back the issue,
    each as a slot the agent fills: a sentence built from the customer's own words failed
    blind review more often than not (18j-18o), so none is."""
    customer = write(tmp_path / "customer.txt", "I was charged twice for my plan.\n")
    draft = write(tmp_path / "reply.txt", "Hi Priya, I've refunded the duplicate payment.\n")
    result = run("check", "--format", "json", "--customer", str(customer), str(draft))
    data = json.loads(result.stdout)
    findings = {f["rule"]: f for f in data["files"][0]["findings"]}
    assert {"no-acknowledgement", "no-paraphrase"} <= set(findings), findings
    offered = [s for f in findings.values() for s in f["suggestions"]]
    assert not any("charged twice" in s["replacement"] for s in offered), offered
    for rule in ("no-acknowledgement", "no-paraphrase"):
        (s,) = findings[rule]["suggestions"]
        assert "<" in s["replacement"] and s["applicability"] == "display-only", s
    assert result.exit_code == 1


def test_without_customer_no_paraphrase_is_asked(tmp_path: Path) -> None:
    draft = write(tmp_path / "reply.txt", "Hi Priya, I've refunded the duplicate payment.\n")
    result = run("check", "--format", "json", str(draft))
    rules = {f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert "no-paraphrase" not in rules


def test_customer_with_two_files_is_an_error(tmp_path: Path) -> None:
    customer = write(tmp_path / "customer.txt", "I was charged twice for my plan.\n")
    a = write(tmp_path / "a.txt", NOPE)
    b = write(tmp_path / "b.txt", NOPE)
    result = run("check", "--customer", str(customer), str(a), str(b))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert "--customer" in lines[0]
    assert result.stdout == ""


def test_missing_customer_file_is_an_error(tmp_path: Path) -> None:
    draft = write(tmp_path / "a.txt", NOPE)
    missing = tmp_path / "nobody.txt"
    result = run("check", "--customer", str(missing), str(draft))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert str(missing) in lines[0]


# --------------------------------------------------------------------------------------------
# JSON output
# --------------------------------------------------------------------------------------------


def test_json_matches_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    write(tmp_path / "d" / "a.txt", NOPE_POLICY)
    write(tmp_path / "d" / "b.txt", CLEAN)
    write(tmp_path / "d" / "c.txt", b"")  # an error entry too
    result = run("check", "--format", "json", str(tmp_path / "d"))
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    # and exactly these keys, checked by hand as well
    assert set(data) == {"version", "files", "summary"}
    assert data["version"] == "1.1"
    assert set(data["summary"]) == {"files", "drafts", "findings"}
    assert data["summary"] == {
        "files": 3,
        "drafts": 2,
        "findings": sum(len(f["findings"]) for f in data["files"]),
    }
    findings = [f for file in data["files"] for f in file["findings"]]
    assert findings
    for file in data["files"]:
        assert set(file) == FILE_KEYS
    # a draft per linted file, none for the file that could not be read
    assert [len(file["drafts"]) for file in data["files"]] == [1, 1, 0]
    for f in findings:
        assert set(f) == FINDING_KEYS
        assert f["suggestions"]
        for s in f["suggestions"]:
            assert set(s) == SUGGESTION_KEYS
    errored = [f for f in data["files"] if f["error"]]
    assert len(errored) == 1 and errored[0]["path"].endswith("c.txt")
    assert errored[0]["findings"] == []


def test_json_finding_values(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Hi Tom,\n\nNope.\n")
    data = json.loads(
        run("check", "--format", "json", "--select", "terse-refusal", str(path)).stdout
    )
    (finding,) = data["files"][0]["findings"]
    assert finding["rule"] == "terse-refusal"
    assert finding["severity"] == "warning"
    assert finding["category"] == "refusal"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        3,
        1,
        3,
        6,
    )
    assert finding["excerpt"] == "Nope."
    assert finding["draft"] is None
    (s,) = finding["suggestions"]
    assert s["applicability"] == "display-only"  # it has <slots>
    assert "<what>" in s["replacement"]


def test_json_never_coloured(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", NOPE)
    result = run("check", "--format", "json", "--color", "always", str(path))
    assert not ANSI.search(result.stdout)
    json.loads(result.stdout)


# --------------------------------------------------------------------------------------------
# colour
# --------------------------------------------------------------------------------------------


def test_color_always_has_ansi(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", NOPE)
    result = run("check", "--color", "always", str(path), env={"NO_COLOR": None})  # type: ignore[dict-item]
    assert ANSI.search(result.stdout)


def test_no_color_env_wins_over_color_always(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", NOPE)
    result = run("check", "--color", "always", str(path), env={"NO_COLOR": "1"})
    assert "terse-refusal" in result.stdout
    assert not ANSI.search(result.stdout)
    assert "\x1b" not in result.stdout


def test_color_never_and_auto_off_a_terminal(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", NOPE)
    for choice in ("never", "auto"):
        result = run("check", "--color", choice, str(path), env={"NO_COLOR": None})  # type: ignore[dict-item]
        assert "terse-refusal" in result.stdout
        assert "\x1b" not in result.stdout


# --------------------------------------------------------------------------------------------
# text output
# --------------------------------------------------------------------------------------------


def _blocks(stdout: str) -> list[list[str]]:
    return [b.splitlines() for b in stdout.split("\n\n") if re.match(r"\S+:\d+:\d+: ", b)]


def test_text_output_shape(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", POLICY)
    result = run("check", "--select", "bare-policy", "--color", "never", str(path))
    blocks = _blocks(result.stdout)
    assert len(blocks) == 1, result.stdout
    header, gutter, source, carets, suggestion = blocks[0]
    assert header == (
        f"{path}:1:46: bare-policy warning Policy used as the reason for a no, without saying "
        "how it helps the customer"
    )
    assert gutter == "   |"
    assert source == " 1 | " + POLICY.rstrip("\n")
    assert carets == "   | " + " " * 45 + "^" * len("It's our policy")
    assert suggestion.startswith("   = suggestion: ")
    assert "(review before sending)" in suggestion
    assert result.stdout.rstrip().endswith("Found 1 finding (1 warning) in 1 of 1 file.")


def test_text_carets_sit_under_the_excerpt_with_tabs(tmp_path: Path) -> None:
    text = "Hi Sam,\n\n\tNope.\tIt's company policy.\n"
    path = write(tmp_path / "a.txt", text)
    out = run("check", "--format", "json", str(path)).stdout
    findings = json.loads(out)["files"][0]["findings"]
    assert {f["rule"] for f in findings} >= {"terse-refusal", "bare-policy"}
    blocks = _blocks(run("check", "--color", "never", str(path)).stdout)
    assert len(blocks) == len(findings)
    for block, f in zip(blocks, findings, strict=True):
        assert block[0].startswith(f"{path}:{f['line']}:{f['column']}: {f['rule']} ")
        shown = block[2].split(" | ", 1)[1]
        carets = block[3].split(" | ", 1)[1]
        lead = len(carets) - len(carets.lstrip(" "))
        width = len(carets.strip())
        assert "\t" not in shown
        assert shown[lead : lead + width] == f["excerpt"]


# --------------------------------------------------------------------------------------------
# bad input: one line naming the file, exit 2, the other files still linted
# --------------------------------------------------------------------------------------------


def _bad_missing(tmp_path: Path) -> tuple[Path, str]:
    return tmp_path / "missing.txt", "no such file"


def _bad_empty_dir(tmp_path: Path) -> tuple[Path, str]:
    d = tmp_path / "emptydir"
    d.mkdir()
    write(d / "notes.rst", "Nope.")  # a file, but not a draft format
    return d, "no drafts"


def _bad_binary(tmp_path: Path) -> tuple[Path, str]:
    return write(tmp_path / "binary.txt", b"Nope.\x00\x01\x02\xff"), "binary"


def _bad_utf8(tmp_path: Path) -> tuple[Path, str]:
    return write(tmp_path / "latin1.txt", "Hello there.\nNo, café.\n".encode("latin-1")), "line 2"


def _bad_empty(tmp_path: Path) -> tuple[Path, str]:
    return write(tmp_path / "empty.txt", b""), "empty"


def _bad_blank(tmp_path: Path) -> tuple[Path, str]:
    return write(tmp_path / "blank.txt", b" \n\t\r\n"), "empty"


def _bad_long_name(tmp_path: Path) -> tuple[Path, str]:
    return tmp_path / ("a" * 300 + ".txt"), "file name too long"  # its errno, not "missing"


BAD = [
    _bad_missing,
    _bad_empty_dir,
    _bad_binary,
    _bad_utf8,
    _bad_empty,
    _bad_blank,
    _bad_long_name,
]


@pytest.mark.parametrize("make", BAD, ids=lambda f: f.__name__[5:])
def test_bad_input_text(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    good = write(tmp_path / "good" / "nope.txt", NOPE)
    bad, words = make(tmp_path)
    result = run("check", "--color", "never", str(good), str(bad))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0]
    assert words in lines[0]
    # the other file was still linted
    assert f"{good}:1:1: terse-refusal warning" in result.stdout
    assert "could not be linted" in result.stdout


def test_utf8_error_names_line_and_column(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.txt", b"Hi Sam,\n\nSorry, \xe9 not possible.\n")
    result = run("check", str(bad))
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert line.startswith(f"replylint: error: {bad}: line 3, column 8")


def test_all_bad_inputs_together(tmp_path: Path) -> None:
    good = write(tmp_path / "good" / "policy.txt", POLICY)
    made = [make(tmp_path) for make in BAD]
    bads = [path for path, _ in made]
    result = run("check", *map(str, bads), str(good))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == len(bads)
    for bad, line in zip(bads, lines, strict=True):
        assert str(bad) in line
    assert f"{good}:1:46: bare-policy warning" in result.stdout


def test_all_bad_inputs_together_json(tmp_path: Path) -> None:
    good = write(tmp_path / "good" / "nope.txt", NOPE)
    made = [make(tmp_path) for make in BAD]
    result = run("check", "--format", "json", *(str(p) for p, _ in made), str(good))
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    by_path = {f["path"]: f for f in data["files"]}
    assert len(by_path) == len(made) + 1
    for bad, words in made:
        entry = by_path[str(bad)]
        assert words in entry["error"]
        assert "\n" not in entry["error"]
        assert entry["findings"] == []
    assert by_path[str(good)]["error"] is None
    assert "terse-refusal" in {f["rule"] for f in by_path[str(good)]["findings"]}
    assert data["summary"]["files"] == len(made) + 1
    assert data["summary"]["drafts"] == 1


def test_no_paths_is_a_usage_error() -> None:
    result = run("check")
    assert result.exit_code == 2


# --------------------------------------------------------------------------------------------
# rules, version
# --------------------------------------------------------------------------------------------


def test_version() -> None:
    from replylint import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_rules_json_lists_every_rule() -> None:
    from replylint.rulebook import load_rulebook

    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert sorted(ids) == sorted(load_rulebook().rules)


# --------------------------------------------------------------------------------------------
# the installed console script, for real (three runs)
# --------------------------------------------------------------------------------------------


def _script() -> list[str]:
    beside = Path(sys.executable).with_name("replylint")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("replylint")
    if found:
        return [found]
    return [sys.executable, "-m", "replylint.cli"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(extra)
    return env


def test_subprocess_check_directory_json(tmp_path: Path) -> None:
    write(tmp_path / "d" / "nope.txt", NOPE)
    write(tmp_path / "d" / "clean.txt", CLEAN)
    proc = subprocess.run(
        [*_script(), "check", "--format", "json", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["clean.txt"]["findings"] == []
    assert "terse-refusal" in {f["rule"] for f in by_name["nope.txt"]["findings"]}


def test_subprocess_unknown_model(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", NOPE)
    proc = subprocess.run(
        [*_script(), "check", "--model", "nonexistent_pipeline_xyz", str(path)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "nonexistent_pipeline_xyz" in lines[0]


def test_subprocess_stdin_colour(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*_script(), "check", "--color", "always", "-"],
        input="Nope.\n",
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert ANSI.search(proc.stdout)
    plain = ANSI.sub("", proc.stdout)
    assert "<stdin>:1:1: terse-refusal warning" in plain


# --------------------------------------------------------------------------------------------
# --output-file, --exit-zero, --stdin-filename
# --------------------------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_output_file_gets_the_report_without_colour(tmp_path: Path) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    out = tmp_path / "reports" / "replylint.txt"
    out.parent.mkdir()
    result = run("check", "--color", "always", "--output-file", str(out), str(draft))
    assert result.exit_code == 1
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert f"{draft}:1:1: terse-refusal warning" in text
    assert not ANSI.search(text)
    assert text.endswith("in 1 of 1 file.\n")
    assert _leftovers(out.parent) == []


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_output_file_other_formats(tmp_path: Path, fmt: str) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    out = tmp_path / f"report.{fmt}"
    result = run("check", "--format", fmt, "-o", str(out), str(draft))
    assert result.exit_code == 1 and result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    if fmt == "json":
        assert "terse-refusal" in {f["rule"] for f in data["files"][0]["findings"]}
    else:
        assert "terse-refusal" in {r["ruleId"] for r in data["runs"][0]["results"]}


def test_output_file_replaces_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    draft = write(tmp_path / "clean.txt", CLEAN)
    out = write(tmp_path / "report.txt", "old report\n")
    out.chmod(0o640)
    result = run("check", "-o", str(out), str(draft))
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == "All clear: no findings in 1 file.\n"
    assert out.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_output_file_untouched_when_the_run_fails(tmp_path: Path) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    out = write(tmp_path / "report.txt", "old report\n")
    result = run("check", "--model", "nonexistent_pipeline_xyz", "-o", str(out), str(draft))
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "old report\n"
    assert _leftovers(tmp_path) == []


def test_output_file_in_a_missing_folder_is_one_line_error(tmp_path: Path) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    out = tmp_path / "no" / "such" / "report.txt"
    result = run("check", "-o", str(out), str(draft))
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1 and str(out) in lines[0] and "cannot write" in lines[0]


def test_output_file_keeps_file_errors_in_the_report(tmp_path: Path) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    out = tmp_path / "report.txt"
    result = run("check", "-o", str(out), str(draft), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "missing.txt: no such file or directory" in result.stderr
    assert out.read_text(encoding="utf-8").endswith(
        "in 1 of 2 files; 1 file could not be linted (see above).\n"
    )


def test_exit_zero_with_findings_but_not_with_errors(tmp_path: Path) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    result = run("check", "--exit-zero", str(draft))
    assert result.exit_code == 0
    assert "terse-refusal" in result.stdout
    result = run("check", "--exit-zero", "--format", "json", str(draft))
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["findings"] > 0
    result = run("check", "--exit-zero", str(draft), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    result = run("check", "--exit-zero", "--diff", str(draft))
    assert result.exit_code == 0


def test_stdin_filename_format_config_and_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / ".replylint.toml",
        'exclude = ["legacy"]\n[per-file-ignores]\n"chat/**" = ["terse-refusal"]\n',
    )
    monkeypatch.chdir(tmp_path)
    # its format: a CSV export read from standard input
    csv = "title,body\nrefund,Nope.\n"
    result = run("check", "--format", "json", "-", "--stdin-filename", "exports/m.csv", input=csv)
    assert result.exit_code == 1
    (file,) = json.loads(result.stdout)["files"]
    assert file["path"] == "exports/m.csv"
    terse = [f for f in file["findings"] if f["rule"] == "terse-refusal"]
    assert [(f["line"], f["column"], f["draft"]) for f in terse] == [(2, 8, "refund")]
    # its per-file-ignores
    result = run("check", "--format", "json", "-", "--stdin-filename", "chat/a.txt", input=NOPE)
    (file,) = json.loads(result.stdout)["files"]
    assert file["path"] == "chat/a.txt"
    assert "terse-refusal" not in {f["rule"] for f in file["findings"]}
    assert "no-alternative" in {f["rule"] for f in file["findings"]}
    # its exclude
    result = run("check", "-", "--stdin-filename", "legacy/a.txt", input=NOPE)
    assert result.exit_code == 0
    assert result.stdout == "No files to lint.\n"
    # the name in the text output; a Markdown file's code is not linted
    md = "Hi Tom,\n\n```\nNope.\n```\n\nNope.\n"
    result = run("check", "-", "--stdin-filename", "replies/a.md", input=md)
    assert "replies/a.md:7:1: terse-refusal warning" in result.stdout
    assert "replies/a.md:4:" not in result.stdout


def test_stdin_filename_needs_stdin(tmp_path: Path) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    result = run("check", str(draft), "--stdin-filename", "a.txt")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "replylint: error: --stdin-filename names standard input: give - as a path too"
    ]


# --------------------------------------------------------------------------------------------
# --diff says why it shows nothing
# --------------------------------------------------------------------------------------------


def test_diff_says_when_fixes_need_unsafe(tmp_path: Path) -> None:
    draft = write(
        tmp_path / "policy.txt",
        (Path(__file__).parents[2] / "examples/drafts/bad-policy-refund.txt").read_bytes(),
    )
    result = run("check", "--diff", str(draft))
    assert result.exit_code == 1
    assert result.stdout == ""
    hint = error_lines(result)
    assert len(hint) == 1
    assert re.fullmatch(
        r"replylint: \d+ fix(es)? needs? --unsafe .*`replylint check --diff --unsafe` shows "
        r"(it|them)",
        hint[0],
    )
    result = run("check", "--diff", "--unsafe", str(draft))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- a/{draft.as_posix()}")
    assert "--unsafe" not in result.stderr


def test_diff_says_when_no_finding_has_a_fix(tmp_path: Path) -> None:
    draft = write(tmp_path / "nope.txt", NOPE)
    result = run("check", "--diff", "--unsafe", str(draft))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert error_lines(result) == [
        "replylint: no diff: no finding has a fix that can be applied automatically "
        "(`replylint check` shows their suggestions)"
    ]
    clean = write(tmp_path / "clean.txt", CLEAN)
    result = run("check", "--diff", str(clean))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


# --------------------------------------------------------------------------------------------
# The summary line
# --------------------------------------------------------------------------------------------


# every (findings, files, files with findings, unreadable files) a run can produce, small
RUNS = [
    (findings, files, with_findings, errors)
    for files in range(4)
    for errors in range(files + 1)
    for with_findings in range(files + 1)
    for findings in (0, 1, 2, 5)
    if (findings == 0) == (with_findings == 0) and findings >= with_findings
]


@pytest.mark.parametrize(("findings", "files", "with_findings", "errors"), RUNS)
def test_summary_never_contradicts_itself(
    findings: int, files: int, with_findings: int, errors: int
) -> None:
    from replylint.models import Severity
    from replylint.output.text import _summary

    counts = {Severity.WARNING: findings - findings // 2, Severity.INFO: findings // 2}
    (line,) = _summary(counts, findings, files, with_findings, errors)
    numbers = [int(x) for x in re.findall(r"\d+", line)]
    if findings:
        assert line.startswith(f"Found {findings} finding{'s' if findings != 1 else ''} (")
        assert f" in {with_findings} of {files} file{'s' if files != 1 else ''}" in line
    else:
        assert "Found" not in line
    if errors:
        assert f"; {errors} file{'s' if errors != 1 else ''} could not be linted" in line
        assert "All clear" not in line
        if not findings:
            linted = files - errors
            assert line.startswith(f"No findings in {linted} file{'s' if linted != 1 else ''};")
    else:
        assert "could not" not in line
    if not findings and not errors:
        assert line == (
            "No files to lint."
            if files == 0
            else f"All clear: no findings in {files} file{'s' if files != 1 else ''}."
        )
    assert line.endswith(".") and line.count(".") == 1
    # every count in the line is one of the run's, singular and plural agree
    known = {findings, files, with_findings, errors, files - errors, *counts.values()}
    assert set(numbers) <= known
    assert not re.search(r"\b1 (files|findings|warnings)\b", line)
    assert not re.search(r"\b([02-9]|\d\d+) (file|finding|warning)\b", line)


def test_summary_when_every_file_fails(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert result.stdout == "No findings in 0 files; 1 file could not be linted (see above).\n"


# --------------------------------------------------------------------------------------------
# Shell completion (click's)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _replylint_completion replylint"),
        ("zsh", "compdef _replylint_completion replylint"),
        ("fish", "complete --no-files --command replylint"),
    ],
)
def test_shell_completion_source(shell: str, marker: str) -> None:
    proc = subprocess.run(
        _script(),
        capture_output=True,
        text=True,
        env=_env(_REPLYLINT_COMPLETE=f"{shell}_source"),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout
    assert "_REPLYLINT_COMPLETE" in proc.stdout


def test_shell_completion_completes_commands_and_options() -> None:
    env = _env(_REPLYLINT_COMPLETE="bash_complete", COMP_WORDS="replylint ch", COMP_CWORD="1")
    proc = subprocess.run(_script(), capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "plain,check" in proc.stdout.splitlines()
    env.update(COMP_WORDS="replylint check --exit", COMP_CWORD="2")
    proc = subprocess.run(_script(), capture_output=True, text=True, env=env, timeout=60)
    assert "plain,--exit-zero" in proc.stdout.splitlines()
