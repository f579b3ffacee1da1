"""Fixes: ``replylint fix`` and ``replylint check --diff``, on real files with the real Linter.

Every round trip checks that only reply text changed (byte comparison against the drafts'
spans, ``git diff``), that the fixed findings are gone when re-linted, and that encodings,
BOMs, line endings and file modes are kept.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from replylint import fix as fixing
from replylint.cli import main
from replylint.models import SLOT_RE, Applicability, Finding, Severity, Suggestion
from replylint.sources import read_path, reader_for
from replylint.sources.encode import (
    csv_plain,
    csv_quoted,
    html_text,
    in_html,
    json_string,
    yaml_block,
    yaml_plain,
    yaml_single,
)

FORMATS = Path(__file__).parents[1] / "fixtures" / "formats"
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


def git(repo: Path, *args: str) -> str:
    assert GIT is not None
    done = subprocess.run(
        [GIT, "-c", "core.autocrlf=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)},
    )
    return done.stdout


def make_repo(path: Path, *files: Path) -> Path:
    path.mkdir()
    for f in files:
        shutil.copy(f, path / f.name)
    git(path, "init", "-q")
    git(path, "config", "user.email", "t@example.com")
    git(path, "config", "user.name", "t")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "replies")
    return path


def regions(path: Path) -> list[tuple[int, int]]:
    """The decoded-file spans of the drafts of ``path`` (the reply text)."""
    out = []
    for d in read_path(str(path)):
        out.append(d.offsets.span_to_original(0, len(d.text)))
    return out


def assert_only_reply_text_changed(before: str, after: str, spans: list[tuple[int, int]]) -> None:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert changes, "nothing changed"
    for _, i1, i2, _, _ in changes:
        assert any(s <= i1 and i2 <= e for s, e in spans), (before[i1:i2], i1, i2)


def changed_lines(repo: Path, name: str) -> set[int]:
    """Old line numbers that ``git diff`` shows as removed or changed in ``name``."""
    lines: set[int] = set()
    for line in git(repo, "diff", "-U0", "--", name).splitlines():
        if line.startswith("@@"):
            old = line.split()[1][1:]
            start, _, count = old.partition(",")
            n = int(count) if count else 1
            lines.update(range(int(start), int(start) + n))
    return lines


def reply_lines(path: Path) -> set[int]:
    text = path.read_bytes().decode("utf-8-sig")
    out: set[int] = set()
    for s, e in regions(path):
        first = text.count("\n", 0, s) + 1
        last = text.count("\n", 0, max(s, e - 1)) + 1
        out.update(range(first, last + 1))
    return out


def findings(linter: Any, path: Path, **options: Any) -> list[Finding]:
    from replylint.sources import ReadOptions

    done = fixing.fix_file(linter, str(path), ReadOptions(**options), max_passes=0)
    assert done.error is None, done.error
    return done.first


def keys(found: list[Finding]) -> set[tuple[str, str | None, str]]:
    return {(f.rule, f.draft, f.excerpt) for f in found}


# --------------------------------------------------------------------------------------------
# encoders
# --------------------------------------------------------------------------------------------


def test_encoders_write_text_for_their_context() -> None:
    assert json_string(ascii_only=True)('a "b"\n\u2019', "\r\n") == 'a \\"b\\"\\n\\u2019'
    assert json_string(ascii_only=False)("\u2019\\", "\n") == "\u2019\\\\"
    assert html_text("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert html_text('Hi <attribute key="user.name"/> & co') == (
        'Hi <attribute key="user.name"/> &amp; co'
    )
    assert in_html(json_string(ascii_only=True))('<b> & "q"', "\n") == '&lt;b&gt; &amp; \\"q\\"'
    assert csv_quoted('say "hi"\nthere', "\r\n") == 'say ""hi""\r\nthere'
    assert csv_plain(",")("a, b", "\n") is None
    assert csv_plain(",")("a; b", "\n") == "a; b"
    assert yaml_plain("note: this", "\n") is None
    assert yaml_plain("fine text", "\n") == "fine text"
    assert yaml_single("it's", "\n") == "it''s"
    assert yaml_single("a\nb", "\n") is None
    assert yaml_block(2, folded=False)("a\nb", "\r\n") == "a\r\n  b"
    assert yaml_block(4, folded=True)("a\nb", "\n") == "a\n\n    b"


def test_never_applies_display_only_or_slots() -> None:
    def suggestion(replacement: str, applicability: Applicability) -> Suggestion:
        return Suggestion(
            replacement=replacement,
            line=1,
            column=1,
            end_line=1,
            end_column=1,
            description="d",
            applicability=applicability,
            start=0,
            end=0,
        )

    assert not fixing.eligible(suggestion("x", Applicability.DISPLAY_ONLY), unsafe=True)
    assert not fixing.eligible(suggestion("Hi <name>,", Applicability.UNSAFE), unsafe=True)
    assert not fixing.eligible(suggestion("x", Applicability.UNSAFE), unsafe=False)
    assert fixing.eligible(suggestion("x", Applicability.UNSAFE), unsafe=True)
    assert fixing.eligible(suggestion("X", Applicability.SAFE), unsafe=False)


def _finding(
    start: int,
    end: int,
    replacement: str,
    applicability: Applicability = Applicability.UNSAFE,
) -> Finding:
    """A finding whose one suggestion replaces [start, end) of its draft (tests/fix/test_fix_safety
    uses it too)."""
    s = Suggestion(
        replacement=replacement,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        description="d",
        applicability=applicability,
        start=start,
        end=end,
    )
    return Finding(
        rule="r",
        severity=Severity.WARNING,
        category="tone",
        message="m",
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        excerpt="",
        suggestions=[s],
        start=start,
        end=end,
    )


def _fix_text(path: Path, find: str, replacement: str, delete: str = "") -> str:
    """Apply one synthetic edit (replace ``delete`` found at ``find`` in the draft) in memory."""
    text = path.read_bytes().decode("utf-8-sig")
    drafts = read_path(str(path))
    (index,) = [i for i, d in enumerate(drafts) if find in d.text]
    at = drafts[index].text.index(find)
    f = _finding(at, at + len(delete), replacement)
    edits, skipped, _ = fixing.plan_edits(str(path), text, drafts, [(index, f)], unsafe=True)
    assert not skipped, skipped
    new, applied, rejected = fixing.apply_checked(
        str(path), text, drafts, edits, lambda t: reader_for(str(path))(str(path), t, None)
    )
    assert applied and not rejected, rejected
    return new


def test_a_line_break_is_written_with_the_files_line_ending(tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_bytes(b"\xef\xbb\xbfHi Sam,\r\n\r\nYour order ships today.\r\n")
    new = _fix_text(path, "Your order", "Thanks for waiting.\n\n")
    assert new == "Hi Sam,\r\n\r\nThanks for waiting.\r\n\r\nYour order ships today.\r\n"


def test_a_line_break_in_a_yaml_block_scalar_is_indented(tmp_path: Path) -> None:
    path = tmp_path / "replies.yaml"
    path.write_text("# hi\nlate: |\n  Hi Sam,\n  Your order ships today.\nother: x\n")
    new = _fix_text(path, "Your order", "Thanks for waiting.\n")
    assert (
        new
        == "# hi\nlate: |\n  Hi Sam,\n  Thanks for waiting.\n  Your order ships today.\nother: x\n"
    )
    assert yaml.safe_load(new)["late"] == "Hi Sam,\nThanks for waiting.\nYour order ships today.\n"


def test_a_replacement_a_plain_yaml_scalar_cannot_hold_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "replies.yaml"
    path.write_text("late: Your order ships today\n")
    text = path.read_text()
    drafts = read_path(str(path))
    f = _finding(0, 4, "Note: your")
    edits, skipped, _ = fixing.plan_edits(str(path), text, drafts, [(0, f)], unsafe=True)
    assert not edits
    assert "cannot be written safely" in skipped[0].reason


# --------------------------------------------------------------------------------------------
# real files
# --------------------------------------------------------------------------------------------


def test_fix_applies_the_safe_fix_keeping_bom_and_crlf(tmp_path: Path, linter: Any) -> None:
    path = tmp_path / "reply.txt"
    path.write_bytes(
        b"\xef\xbb\xbfHi Sam,\r\n\r\nObviously, you need to restart the router first.\r\n"
        b"\r\nThanks,\r\nAna\r\n"
    )
    path.chmod(0o640)
    before = findings(linter, path)
    assert any(s.applicability is Applicability.SAFE for f in before for s in f.suggestions), before
    result = run("fix", str(path))
    assert result.exit_code in (0, 1), result.output
    assert path.read_bytes() == (
        b"\xef\xbb\xbfHi Sam,\r\n\r\nYou need to restart the router first.\r\n"
        b"\r\nThanks,\r\nAna\r\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "Fixed 1 finding in 1 file" in result.output
    assert "condescending" not in {f.rule for f in findings(linter, path)}
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


@needs_git
@pytest.mark.parametrize("name", ["zendesk-macros.json", "SAVED_REPLIES.md"])
def test_fix_round_trips_changing_only_reply_text(tmp_path: Path, linter: Any, name: str) -> None:
    repo = make_repo(tmp_path / "repo", FORMATS / name)
    path = repo / name
    original = path.read_text(encoding="utf-8")
    spans = regions(path)
    lines = reply_lines(path)
    before = findings(linter, path)

    unchanged = run("fix", str(path))  # the safe fixes only: none here
    assert path.read_text(encoding="utf-8") == original
    assert "more fixable with --unsafe" in unchanged.output

    result = run("fix", "--unsafe", str(path))
    assert result.exit_code in (0, 1), result.output
    after_text = path.read_text(encoding="utf-8")
    assert after_text != original
    assert_only_reply_text_changed(original, after_text, spans)
    assert changed_lines(repo, name) <= lines
    inserted = [
        after_text[j1:j2]
        for op, _, _, j1, j2 in difflib.SequenceMatcher(
            None, original, after_text, autojunk=False
        ).get_opcodes()
        if op != "equal"
    ]
    assert not any(SLOT_RE.search(t) for t in inserted), inserted  # no display-only text

    after = findings(linter, path)
    fixed = [
        f
        for f in before
        if any(fixing.eligible(s, unsafe=True) for s in f.suggestions)
        and f.rule in ("bare-policy", "self-focus")
    ]
    assert fixed
    assert not keys(fixed) & keys(after)  # the fixed findings are gone
    assert len(after) < len(before)
    assert result.output.rstrip().endswith(f"({len(after)} left)")
    if name.endswith(".json"):
        old, new = json.loads(original), json.loads(after_text)
        for macros in (old, new):
            for m in macros["macros"]:
                for a in m.get("actions", []):
                    if a["field"].startswith("comment_value"):
                        a["value"] = None
        assert old == new


def test_yaml_block_scalar_round_trip(tmp_path: Path, linter: Any) -> None:
    path = tmp_path / "canned-responses.yaml"
    shutil.copy(FORMATS / "canned-responses.yaml", path)
    original = path.read_text(encoding="utf-8")
    spans = regions(path)
    result = run("fix", "--unsafe", str(path))
    assert result.exit_code in (0, 1), result.output
    after = path.read_text(encoding="utf-8")
    assert_only_reply_text_changed(original, after, spans)
    old, new = yaml.safe_load(original), yaml.safe_load(after)
    assert old.keys() == new.keys()
    assert new["refund_opened_item"] == old["refund_opened_item"].replace(
        "Unfortunately it’s our policy that opened",
        "To keep things fair for every customer, opened",
    )
    changed = {k for k in old if old[k] != new[k]}
    assert "refund_opened_item" in changed
    assert {f.rule for f in findings(linter, path) if f.draft == "refund_opened_item"}.isdisjoint(
        {"bare-policy"}
    )


def test_csv_round_trip(tmp_path: Path, linter: Any) -> None:
    path = tmp_path / "replies.csv"
    shutil.copy(FORMATS / "replies.csv", path)
    raw = path.read_bytes()
    original = raw.decode("utf-8-sig")
    spans = regions_csv = [
        d.offsets.span_to_original(0, len(d.text))
        for d in read_path(str(path), _options(text_field="reply_text"))
    ]
    result = run("fix", "--unsafe", "--text-field", "reply_text", str(path))
    assert result.exit_code in (0, 1), result.output
    after = path.read_bytes().decode("utf-8-sig")
    assert_only_reply_text_changed(original, after, spans)
    assert regions_csv
    old = list(csv.reader(io.StringIO(original, newline="")))
    new = list(csv.reader(io.StringIO(after, newline="")))
    assert len(old) == len(new)
    col = old[0].index("reply_text")
    for o, n in zip(old, new, strict=True):
        assert o[:col] + o[col + 1 :] == n[:col] + n[col + 1 :]
    assert any(o[col] != n[col] for o, n in zip(old, new, strict=True))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")


def _options(**kw: Any) -> Any:
    from replylint.sources import ReadOptions

    return ReadOptions(**kw)


def test_a_file_changed_after_it_was_read_is_not_overwritten(
    tmp_path: Path, linter: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "SAVED_REPLIES.md"
    shutil.copy(FORMATS / "SAVED_REPLIES.md", path)
    done = fixing.fix_file(linter, str(path), unsafe=True)
    assert done.changed
    edited = path.read_text(encoding="utf-8") + "\n## New reply\n\nHi there, thanks!\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(fixing.FileChangedError):
        fixing.write(done)
    assert path.read_text(encoding="utf-8") == edited
    assert not list(tmp_path.glob(".*.tmp"))

    # the command: a one-line error and exit status 2
    shutil.copy(FORMATS / "SAVED_REPLIES.md", path)
    real = fixing.fix_file

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        path.write_text(edited, encoding="utf-8")
        return outcome

    monkeypatch.setattr(fixing.files, "fix_file", meanwhile)
    result = run("fix", "--unsafe", str(path))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors == [
        f"replylint: error: {path}: changed on disk since it was read; not overwritten"
    ]
    assert path.read_text(encoding="utf-8") == edited


@needs_git
def test_check_diff_applies_to_exactly_what_fix_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crlf = tmp_path / "crlf-reply.txt"
    crlf.write_bytes(
        b"\xef\xbb\xbfHi Sam,\r\n\r\nObviously, you need to restart the router first.\r\n"
    )
    files = [FORMATS / "zendesk-macros.json", FORMATS / "SAVED_REPLIES.md", crlf]
    repo = make_repo(tmp_path / "repo", *files)
    names = [f.name for f in files]
    monkeypatch.chdir(repo)

    diff = run("check", "--no-cache", "--diff", "--unsafe", *names)
    assert diff.exit_code == 1  # as check: there are warnings
    patch = diff.stdout_bytes.decode("utf-8")  # (.stdout would turn \r\n into \n)
    assert [line for line in patch.splitlines() if line.startswith("--- ")] == [
        f"--- a/{n}" for n in names
    ]
    for line in patch.splitlines():
        assert line[:1] in ("-", "+", " ", "@", "\\"), line
    patch_file = tmp_path / "fix.patch"
    patch_file.write_bytes(diff.stdout_bytes)
    git(repo, "apply", "--check", str(patch_file))

    fixed = run("fix", "--unsafe", *names)
    assert fixed.exit_code in (0, 1), fixed.output
    written = {n: (repo / n).read_bytes() for n in names}
    assert all(written[n] != f.read_bytes() for n, f in zip(names, files, strict=True))
    git(repo, "checkout", "--", ".")
    git(repo, "apply", str(patch_file))
    for n in names:
        assert (repo / n).read_bytes() == written[n], n

    git(repo, "checkout", "--", ".")
    only_safe = run("check", "--no-cache", "--diff", *names)
    assert "-Obviously, you need" in only_safe.stdout
    assert "+You need" in only_safe.stdout
    assert "zendesk" not in only_safe.stdout  # its fixes are all unsafe
