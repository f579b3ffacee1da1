"""``replylint fix`` cannot hurt: placeholders are never edited, case changes are Unicode-correct,
a written file keeps its owner, group, mode and hard links, a read-only file is left alone, and a
signal never leaves a temporary file behind nor a half-written file.

All on real files with the real command (and, for signals, a real ``replylint fix`` process).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from replylint import fix as fixing
from replylint.cli import main
from replylint.models import Applicability, Finding
from replylint.placeholders import DEFAULT_PATTERN
from replylint.rewrite import capitalised
from replylint.sources import read_path
from tests.fix.test_fix import _finding as finding_with

SENTENCE = "Obviously, {ph} can return it within 30 days."
FIXED = "{ph} can return it within 30 days."
ZENDESK = "{{ticket.requester.first_name}}"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


def placeholders(text: str) -> Counter[str]:
    return Counter(m.group() for m in DEFAULT_PATTERN.finditer(text))


def _eml(body: str) -> str:
    return (
        "From: Priya <priya@support.example.com>\nTo: Dana <dana@example.com>\n"
        "Subject: Re: your return\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{body}\n"
    )


# (file name, file text with {s} where the reply sentence goes, the placeholder)
FORMATS: list[tuple[str, str, str]] = [
    ("reply.txt", "{s}\n\nThanks,\nAna\n", ZENDESK),
    ("reply.md", "# Returns\n\n{s}\n\nThanks,\nAna\n", ZENDESK),
    ("reply.html", "<div>\n  <p>{s}</p>\n  <p>Thanks,<br>Ana</p>\n</div>\n", ZENDESK),
    ("replies.json", '[{{"key": "returns", "reply_text": "{s}"}}]\n', ZENDESK),
    ("replies.yaml", "returns: |\n  {s}\n  Thanks, Ana\nother: Hi there, thanks!\n", ZENDESK),
    ("replies.csv", 'id,reply_text\n1,"{s}"\n2,"Thanks for your order!"\n', "%NAME%"),
    ("reply.eml", _eml("{s}\n\nThanks,\nAna"), "{{customer.first_name}}"),
    ("crlf-reply.txt", "{s}\r\n\r\nThanks,\r\nAna\r\n", "[Customer Name]"),
]


@pytest.mark.parametrize(("name", "shape", "ph"), FORMATS, ids=[f[0] for f in FORMATS])
def test_a_safe_fix_next_to_a_placeholder_keeps_it_byte_for_byte(
    tmp_path: Path, name: str, shape: str, ph: str
) -> None:
    """The battery's case: "Obviously, {{…}} can return it …" lost the reply text after the
    placeholder (which came out upper-cased) and said "0 left"."""
    path = tmp_path / name
    original = shape.format(s=SENTENCE.format(ph=ph))
    path.write_bytes(original.encode("utf-8"))
    field = ["--text-field", "reply_text"] if name.endswith((".csv", ".json")) else []
    result = run("fix", *field, str(path))
    assert result.exit_code in (0, 1), result.output
    after = path.read_bytes().decode("utf-8")
    assert after == shape.format(s=FIXED.format(ph=ph)), after
    assert placeholders(after) == placeholders(original)
    assert "Fixed 1 finding in 1 file" in result.output


def test_a_placeholder_mid_sentence_and_a_template_tag_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    original = (
        "Hi {{ticket.requester.first_name}},\n\n"
        "You can, obviously, return it to %STORE% within 30 days.\n"
        "Obviously, {% if vip %}you get a free label{% endif %} as well.\n"
    )
    path.write_text(original, encoding="utf-8")
    result = run("fix", str(path))
    assert result.exit_code in (0, 1), result.output
    after = path.read_text(encoding="utf-8")
    # the tag stays where it was, and what follows it is not capitalised across it
    assert after == original.replace("Obviously, {%", "{%")
    result = run("fix", "--unsafe", str(path))
    assert result.exit_code in (0, 1), result.output
    after = path.read_text(encoding="utf-8")
    assert "obviously" not in after.lower()
    assert placeholders(after) == placeholders(original)


def _finding(start: int, end: int, replacement: str) -> Finding:
    return finding_with(start, end, replacement, Applicability.SAFE)


@pytest.mark.parametrize(
    ("find", "length", "replacement"),
    [
        ("Obviously, {{", 15, "X"),  # into the placeholder
        ("first_name}}", 0, "x"),  # an insertion inside it
        ("{{ticket", 31, "Dana"),  # the placeholder itself
        ("}} can", 2, "}}"),  # its end, put back: still a change of the placeholder's text
        (" can return", 0, "}}"),  # the replacement would join it into another
    ],
)
def test_the_fixer_never_plans_an_edit_that_changes_a_placeholder(
    tmp_path: Path, find: str, length: int, replacement: str
) -> None:
    """Whatever a builder suggests, the fixer itself refuses to touch a placeholder."""
    path = tmp_path / "reply.txt"
    path.write_text("Obviously, {{ticket.requester.first_name}} can return it.\n")
    text = path.read_text()
    drafts = read_path(str(path))
    at = drafts[0].text.index(find)
    f = _finding(at, at + length, replacement)
    edits, skipped, _ = fixing.plan_edits(str(path), text, drafts, [(0, f)], unsafe=True)
    if find == " can return":  # "{{…}}}} can": the masker still finds "{{…}}" as written
        assert edits or skipped
        if edits:
            new = fixing.apply(text, edits)
            assert placeholders(new)["{{ticket.requester.first_name}}"] == 1
        return
    assert not edits
    assert [s.reason for s in skipped] == ["it would change a placeholder"]


def test_an_edit_beside_a_placeholder_is_planned(tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text("Obviously, {{ticket.requester.first_name}} can return it.\n")
    text = path.read_text()
    drafts = read_path(str(path))
    f = _finding(0, len("Obviously, "), "")  # up to the placeholder, not into it
    edits, skipped, _ = fixing.plan_edits(str(path), text, drafts, [(0, f)], unsafe=True)
    assert len(edits) == 1 and not skipped


# --------------------------------------------------------------------------------------------
# case
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "capital"),
    [
        ("you", "Y"),
        ("élan", "É"),
        ("ǆungla", "ǅ"),  # a digraph's title case, not its upper case (Ǆ)
        ("ßtraße", None),  # "ß".upper() is "SS": two characters, left alone
        ("iPhones", None),
        ("eBay", None),
        ("iOS", None),
        ("You", None),
        ("3-day", None),
        ("ﬁle", None),  # the ligature's capital is two characters ("Fi")
    ],
)
def test_capitalisation_is_one_code_point_to_one(word: str, capital: str | None) -> None:
    assert capitalised(word) == capital


@pytest.mark.parametrize(
    ("rest", "fixed"),
    [
        ("iPhones can be returned within 30 days.", "iPhones can be returned within 30 days."),
        ("eBay orders ship from the seller.", "eBay orders ship from the seller."),
        ("ßtraße is the street name.", "ßtraße is the street name."),
        ("élan is what we need here.", "Élan is what we need here."),
        ("you need to restart the router first.", "You need to restart the router first."),
    ],
)
def test_the_safe_fix_capitalises_only_what_it_can(tmp_path: Path, rest: str, fixed: str) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(f"Hi Sam,\n\nObviously, {rest}\n", encoding="utf-8")
    result = run("fix", str(path))
    assert result.exit_code in (0, 1), result.output
    assert path.read_text(encoding="utf-8") == f"Hi Sam,\n\n{fixed}\n"


# --------------------------------------------------------------------------------------------
# owner, mode, links, read-only
# --------------------------------------------------------------------------------------------

REPLY = "Hi Sam,\n\nObviously, you need to restart the router first.\n"
REPLY_FIXED = "Hi Sam,\n\nYou need to restart the router first.\n"
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")


@root_only
def test_fix_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(REPLY)
    os.chown(path, 1234, 1234)
    path.chmod(0o640)
    result = run("fix", str(path))
    assert result.exit_code in (0, 1), result.output
    assert path.read_text() == REPLY_FIXED
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 1234, 0o640)
    assert not list(tmp_path.glob(".*.tmp"))


def test_fix_keeps_hard_links(tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(REPLY)
    path.chmod(0o604)
    other = tmp_path / "macros" / "same-reply.txt"
    other.parent.mkdir()
    os.link(path, other)
    inode = path.stat().st_ino
    result = run("fix", str(path))
    assert result.exit_code in (0, 1), result.output
    assert path.read_text() == REPLY_FIXED
    assert other.read_text() == REPLY_FIXED  # the other name sees the fix: one file still
    st = path.stat()
    assert (st.st_ino, st.st_nlink, stat.S_IMODE(st.st_mode)) == (inode, 2, 0o604)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_read_only_file_is_reported_and_not_rewritten_others_are_fixed(tmp_path: Path) -> None:
    """Root may write a 0444 file: the check is on the mode bits, not on a failed open."""
    locked = tmp_path / "locked.txt"
    locked.write_text(REPLY)
    locked.chmod(0o444)
    before = locked.stat()
    other = tmp_path / "other.txt"
    other.write_text(REPLY)
    result = run("fix", str(locked), str(other))
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors == [
        f"replylint: error: {locked}: read-only (its owner has no write permission); not rewritten"
    ]
    assert locked.read_text() == REPLY
    after = locked.stat()
    assert (after.st_ino, after.st_mtime_ns, stat.S_IMODE(after.st_mode)) == (
        before.st_ino,
        before.st_mtime_ns,
        0o444,
    )
    assert other.read_text() == REPLY_FIXED
    assert not list(tmp_path.glob(".*.tmp"))


def test_write_refuses_a_file_made_read_only_after_it_was_read(tmp_path: Path, linter: Any) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(REPLY)
    done = fixing.fix_file(linter, str(path))
    assert done.changed
    path.chmod(0o400)
    with pytest.raises(fixing.ReadOnlyError):
        fixing.write(done)
    assert path.read_text() == REPLY


# --------------------------------------------------------------------------------------------
# signals
# --------------------------------------------------------------------------------------------


def _big_reply(path: Path) -> bytes:
    """A reply with a long fenced log (not linted, but written back): ~6 MB, so that the
    temporary file lives long enough to be caught."""
    log = "\n".join(
        f"    line {i} of the router's log output, pasted for the engineers" for i in range(90_000)
    )
    text = f"Hi Sam,\n\nObviously, you need to restart the router first.\n\n```\n{log}\n```\n"
    data = text.encode("utf-8")
    path.write_bytes(data)
    return data


def _default_signals() -> None:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.slow  # real fix processes, signalled
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_while_writing_leaves_no_temporary_file_and_the_original_whole(
    tmp_path: Path, sig: signal.Signals
) -> None:
    path = tmp_path / "reply.md"
    original = _big_reply(path)
    fixed = original.replace(b"Obviously, you", b"You", 1)
    env = {**os.environ, "PYTHONPATH": str(Path(fixing.__file__).parents[2])}
    landed = 0
    for _ in range(3):  # until a signal lands while the temporary file exists
        path.write_bytes(original)
        proc = subprocess.Popen(
            [sys.executable, "-m", "replylint.cli", "fix", "-q", str(path)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            # the default disposition of each signal, as in a terminal: a test run in the
            # background (nohup … &) inherits SIGINT ignored, and then the fix, rightly, goes on
            preexec_fn=_default_signals,
        )
        sent = False
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if any(n.endswith(".tmp") for n in os.listdir(tmp_path)):
                proc.send_signal(sig)
                sent = True
                break
            time.sleep(0.0005)
        _, err = proc.communicate(timeout=300)
        assert b"Traceback" not in err, err
        assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
        data = path.read_bytes()
        if sent and proc.returncode != 0:  # it landed before the file was replaced
            assert data == original  # byte for byte
            expected = 1 if sig == signal.SIGINT else -sig  # SIGINT: click's "Aborted!"
            assert proc.returncode == expected, (proc.returncode, err)
            landed += 1
            break
        assert data == fixed  # not caught in time: it finished, the whole fix written
    assert landed, "no signal landed while the temporary file existed"


# --------------------------------------------------------------------------------------------
# only changed drafts are linted again
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SAVED_REPLIES.md", "zendesk-macros.json", "replies.csv"])
def test_what_is_left_is_what_a_fresh_lint_of_the_fixed_file_finds(
    tmp_path: Path, linter: Any, name: str
) -> None:
    """A fix lints again only the drafts it changed and moves the others' findings: they must
    be exactly what linting the written file finds (rules, spans, lines and columns)."""
    from replylint.sources import ReadOptions

    source = Path(__file__).parents[1] / "fixtures" / "formats" / name
    path = tmp_path / name
    path.write_bytes(source.read_bytes())
    options = ReadOptions(text_field="reply_text") if name.endswith(".csv") else None
    done = fixing.fix_file(linter, str(path), options, unsafe=True)
    assert done.fixed and done.changed
    fixing.write(done)
    fresh = fixing.fix_file(linter, str(path), options, max_passes=0)
    dump = [f.model_dump() for f in done.remaining]
    assert dump == [f.model_dump() for f in fresh.first]


def test_findings_of_an_unchanged_draft_move_with_the_edit_before_them(
    tmp_path: Path, linter: Any
) -> None:
    path = tmp_path / "replies.json"
    path.write_text(
        '[{"reply_text": "Obviously, you need to restart the router first."}, '
        '{"reply_text": "Nope. It is company policy."}]\n'
    )
    done = fixing.fix_file(linter, str(path), _text_field())
    assert done.fixed == 1
    policy = [f for f in done.remaining if f.draft is not None and "2" in f.draft]
    before = [f for f in done.first if f.draft is not None and "2" in f.draft]
    assert policy and [f.column for f in policy] == [f.column - len("Obviously, ") for f in before]
    fixing.write(done)
    fresh = fixing.fix_file(linter, str(path), _text_field(), max_passes=0)
    assert [f.model_dump() for f in done.remaining] == [f.model_dump() for f in fresh.first]


def _text_field() -> Any:
    from replylint.sources import ReadOptions

    return ReadOptions(text_field="reply_text")
