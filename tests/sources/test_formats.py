"""Every format support teams keep replies in: each finding points at the exact characters of
the original file (through JSON escapes, YAML block scalars, HTML entities, quoted-printable and
Markdown), only the agent's own words are linted, malformed files give a clear per-file error,
and suppression comments work (unused ones are reported).

Fixtures are in tests/fixtures/formats/ (written for these tests) and tests/fixtures/corpora/
(real saved-replies files, with their licences).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from replylint.cli import main
from replylint.offsets import LineIndex
from replylint.run.files import lint_paths
from replylint.sources import ReadOptions, Skipped, SourceError, discover, read_bytes, read_path
from replylint.sources.base import Draft, decode, encoding_of, sniff
from replylint.sources.csv import csv_field, csv_rows
from replylint.sources.json import _json_string, parse_json
from replylint.sources.mapping import Mapped
from replylint.sources.tree import Arr, Str
from replylint.sources.yaml import parse_yaml
from tests.positions import EOL, decoded, read_back

HERE = Path(__file__).resolve().parents[1]  # tests/
FORMATS = HERE / "fixtures" / "formats"
CORPORA = HERE / "fixtures" / "corpora"

REFUSALS = {"terse-refusal", "bare-policy"}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def line_of(text: str, fragment: str, nth: int = 0) -> int:
    """The 1-based line on which the ``nth`` occurrence of ``fragment`` starts."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(fragment, pos + 1)
    return len(EOL.findall(text[:pos])) + 1


def lint(linter, *paths: Path, **options: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    run = lint_paths(linter, [str(p) for p in paths], options=ReadOptions(**options))
    return {Path(f.path).name: f for f in run.files}


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def refusal_lines(report) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(f.rule, f.line) for f in report.findings if f.rule in REFUSALS}


# --------------------------------------------------------------------------------------------
# every format: positions read back from the file give the excerpt
# --------------------------------------------------------------------------------------------

# file -> (options, excerpts that must be among its findings, titles of its drafts or None)
CASES: dict[str, tuple[dict[str, str], set[str], list[str] | None]] = {
    "refund-reply.txt": ({}, {"it's our policy", "Nope."}, None),
    "suppressed-reply.txt": (
        {},
        {"It's company policy", "# replylint: disable-next-line=self-focus"},
        None,
    ),
    "refund-reply.md": ({}, {"it's our policy", "Nope."}, None),
    "SAVED_REPLIES.md": (
        {},
        {"it's our policy", "Nope."},
        ["Refund: opened item (v2)", "Refund: late request", "Delivery delayed"],
    ),
    "refund-reply.html": ({}, {"it&rsquo;s our policy", "Nope."}, None),
    "refund-reply.eml": ({}, {"it=E2=80=99s o=\r\nur policy", "Nope."}, None),
    "zendesk-macros.json": (
        {},
        {"it\\u2019s our policy", "Nope."},
        ["Refunds::Opened item", 'Shipping::Delay "express" 🚚', "Refunds::Late"],
    ),
    "zendesk-macro.json": ({}, {"It\\u2019s company policy", "Nope."}, ["Refund denied"]),
    "freshdesk-canned-responses.json": (
        {},
        {"it&rsquo;s our policy", "Nope."},
        ["Refund: opened item", "Plain fallback"],
    ),
    "helpscout-saved-replies.json": ({}, {"it's our policy"}, ["Refund denied", "Order status"]),
    "front-message-templates.json": (
        {},
        {"Nope.", "It's company policy"},
        ["Warranty: out of period"],
    ),
    "intercom-macros.json": (
        {},
        {"it\\u2019s our policy", "Nope."},
        ["Refund: opened item", "Plain only"],
    ),
    "gorgias-macros.json": ({}, {"it&#39;s our policy", "Nope."}, ["Return refused", "Text only"]),
    "canned-responses.yaml": (
        {},
        {"it’s our policy", "Nope.", "it''s company\n  policy", "It's company policy"},
        [
            "refund_opened_item",
            "refund_late",
            "terse_double_quoted",
            "terse_single_quoted",
            "plain_multiline",
            "suppressed",
        ],
    ),
    "title-map.yaml": (
        {},
        {"it's our policy", "Nope."},
        ["Refunds / Opened item", "Refunds / Late", "Shipping / Delayed"],
    ),
    "replies.csv": (
        {"text_field": "reply_text", "customer_field": "customer_message"},
        {"it's our policy", "Nope."},
        ["Refund: opened item", "Delivery", 'Quotes "inside"'],
    ),
    "generic-replies.json": (
        {"text_field": "reply_text"},
        {"Nope.", "It's company policy"},
        ["refund-denied", "thanks"],
    ),
}


@pytest.fixture(scope="module")
def reports(linter) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    out: dict[str, Any] = {}
    for name, (options, _, _) in CASES.items():
        out.update(lint(linter, FORMATS / name, **options))
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_positions_read_back_give_the_excerpt(reports, name: str) -> None:  # type: ignore[no-untyped-def]
    report = reports[name]
    assert report.error is None, report.error
    text = decoded(FORMATS / name)
    excerpts = {f.excerpt for f in report.findings}
    assert CASES[name][1] <= excerpts, excerpts
    for f in report.findings:
        assert read_back(text, f) == f.excerpt, f
        assert f.excerpt and f.excerpt == f.excerpt.strip()
        for s in f.suggestions:
            read_back(text, s.model_dump())  # in range and ordered


@pytest.mark.parametrize("name", sorted(CASES))
def test_drafts_are_titled(name: str) -> None:
    options, _, titles = CASES[name]
    drafts = read_path(str(FORMATS / name), ReadOptions(**options))  # type: ignore[arg-type]
    assert [d.title for d in drafts] == (titles if titles is not None else [None])


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_kept_character_comes_from_the_file(name: str) -> None:
    """Linear segments of each draft's offset map copy the file (a folded YAML line break may
    stand for a space)."""
    options = CASES[name][0]
    text = decoded(FORMATS / name)
    for draft in read_path(str(FORMATS / name), ReadOptions(**options)):  # type: ignore[arg-type]
        assert draft.lines.text == text
        for src, dst, slen, dlen in draft.offsets.segments:
            if slen == dlen:
                for a, b in zip(draft.text[src : src + slen], text[dst : dst + dlen], strict=True):
                    assert a == b or (a.isspace() and b.isspace()), (draft.title, a, b)


def test_findings_carry_the_draft_title(reports) -> None:  # type: ignore[no-untyped-def]
    by_title = {(f.draft, f.rule) for f in reports["zendesk-macros.json"].findings}
    assert ("Refunds::Opened item", "bare-policy") in by_title
    assert ("Refunds::Late", "terse-refusal") in by_title
    assert ('Shipping::Delay "express" 🚚', "self-focus") in by_title


def test_cli_json_positions_for_every_format(tmp_path: Path) -> None:
    """The same check through the command line's JSON output (one run, a directory)."""
    folder = tmp_path / "replies"
    shutil.copytree(FORMATS, folder)
    for name in ("replies.csv", "generic-replies.json"):
        (folder / name).unlink()  # they need --text-field
    result = CliRunner().invoke(main, ["check", "--format", "json", str(folder)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert {Path(f["path"]).name for f in data["files"]} == set(CASES) - {
        "replies.csv",
        "generic-replies.json",
    }
    seen = 0
    for file in data["files"]:
        assert file["error"] is None, file
        text = decoded(Path(file["path"]))
        for f in file["findings"]:
            assert read_back(text, f) == f["excerpt"], f
            seen += 1
    assert seen > 50


# --------------------------------------------------------------------------------------------
# only the agent's words: code, comments, quotes and placeholders never fire
# --------------------------------------------------------------------------------------------


def test_text_quoted_customer_and_attribution_are_not_linted(reports) -> None:  # type: ignore[no-untyped-def]
    text = decoded(FORMATS / "refund-reply.txt")
    assert refusal_lines(reports["refund-reply.txt"]) == {
        ("bare-policy", line_of(text, "Unfortunately it's our policy")),
        ("terse-refusal", line_of(text, "Nope. The same")),
    }
    (draft,) = read_path(str(FORMATS / "refund-reply.txt"))
    assert draft.customer is not None and "burning plastic" in draft.customer
    assert "wrote:" not in draft.text and "burning plastic" not in draft.text


def test_markdown_code_comments_front_matter_quotes_are_not_linted(reports) -> None:  # type: ignore[no-untyped-def]
    text = decoded(FORMATS / "refund-reply.md")
    # "Nope. It's company policy." is in the front matter, a quote, inline code, a link title,
    # a fenced block, an HTML comment and an indented block: none of them fires
    assert refusal_lines(reports["refund-reply.md"]) == {
        ("bare-policy", line_of(text, "Unfortunately it's our policy")),
        ("terse-refusal", line_of(text, "Nope. The same")),
    }
    (draft,) = read_path(str(FORMATS / "refund-reply.md"))
    assert "company policy" not in draft.text
    assert draft.customer is not None and "leaks" in draft.customer


def test_html_skips_comments_scripts_head_and_blockquote(reports) -> None:  # type: ignore[no-untyped-def]
    text = decoded(FORMATS / "refund-reply.html")
    assert refusal_lines(reports["refund-reply.html"]) == {
        ("bare-policy", line_of(text, "Unfortunately it&rsquo;s our policy")),
        ("terse-refusal", line_of(text, "<p>Nope.<br>")),
    }
    (draft,) = read_path(str(FORMATS / "refund-reply.html"))
    assert "company policy" not in draft.text
    assert draft.customer is not None and "charger stopped working" in draft.customer
    # entities decoded, placeholders kept as text for the masker
    assert (
        "it’s our policy" in draft.text and "can't refund opened items & accessories" in draft.text
    )
    assert (
        "<ORDER NUMBER>" in draft.text
        and '<attribute key="user.name" default="there"/>' in draft.text
    )


def test_html_block_elements_break_sentences(linter) -> None:  # type: ignore[no-untyped-def]
    (draft,) = read_path(str(FORMATS / "refund-reply.html"))
    assert "Nope.\n\nThe same thing" in draft.text  # <br> ends the sentence
    report = linter.check("x")  # warm
    assert report is not None


def test_email_body_quoted_history_and_signature(reports) -> None:  # type: ignore[no-untyped-def]
    text = decoded(FORMATS / "refund-reply.eml")
    assert refusal_lines(reports["refund-reply.eml"]) == {
        ("bare-policy", line_of(text, "Unfortunately it=E2=80=99s o=")),
        ("terse-refusal", line_of(text, "Nope. The same")),
    }
    (draft,) = read_path(str(FORMATS / "refund-reply.eml"))
    assert "blender’s jug. Unfortunately it’s our policy that opened items" in draft.text
    assert "café grinder" in draft.text
    assert "Acme Support" not in draft.text  # the signature
    assert "wrote:" not in draft.text and "burning plastic" not in draft.text
    assert draft.customer is not None and "burning plastic" in draft.customer


def test_zendesk_blockquote_in_html_is_customer_context(reports) -> None:  # type: ignore[no-untyped-def]
    drafts = read_path(str(FORMATS / "zendesk-macros.json"))
    shipping = drafts[1]
    assert shipping.customer == "Nope. It's company policy."
    assert "company policy" not in shipping.text
    assert 'Café orders ship "express" 🚚 on Mondays.' in shipping.text
    rules = {f.rule for f in reports["zendesk-macros.json"].findings if f.draft == shipping.title}
    assert "bare-policy" not in rules


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fence.md", "Hi Sam,\n\n```\nNope. It's company policy.\n```\n\nThanks for waiting!\n"),
        ("tilde.md", "Hi Sam,\n\n~~~~\nNope. It's company policy.\n~~~~\n\nThanks for waiting!\n"),
        ("comment.md", "Hi Sam,\n\n<!-- Nope. It's company policy. -->\nThanks for waiting!\n"),
        ("multiline-comment.md", "Hi Sam,\n\n<!--\nNope.\nIt's company policy.\n-->\nThanks!\n"),
        ("inline.md", "Hi Sam,\n\nType `Nope. It's company policy.` to test. Thanks!\n"),
        ("quote.md", "Hi Sam,\n\n> Nope. It's company policy.\n\nThanks for waiting!\n"),
        ("quote.txt", "Hi Sam,\n\n> Nope. It's company policy.\n\nThanks for waiting!\n"),
        ("comment.html", "<p>Hi Sam,</p><!-- Nope. It's company policy. --><p>Thanks!</p>"),
        ("quote.html", "<p>Hi Sam,</p><blockquote>Nope. It's company policy.</blockquote>"),
        ("placeholder.txt", "Hi Sam,\n\n[[Nope. It's company policy.]]\n\nThanks for waiting!\n"),
        ("liquid.txt", 'Hi Sam,\n\n{{ "Nope. It\'s company policy." }}\n\nThanks for waiting!\n'),
    ],
)
def test_refusal_in_skipped_text_never_fires(
    linter, tmp_path: Path, name: str, content: str
) -> None:  # type: ignore[no-untyped-def]
    report = lint(linter, write(tmp_path / name, content))[name]
    assert report.error is None
    assert not refusal_lines(report), [(f.rule, f.excerpt) for f in report.findings]


@pytest.mark.parametrize("name", ["own.md", "own.txt", "own.html"])
def test_the_same_words_in_the_agents_text_fire(linter, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    content = "Hi Sam,\n\nNope. It's company policy.\n\nThanks for waiting!\n"
    if name.endswith(".html"):
        content = "<p>Hi Sam,</p><p>Nope. It's company policy.</p><p>Thanks for waiting!</p>"
    report = lint(linter, write(tmp_path / name, content))[name]
    assert {f.rule for f in report.findings} >= REFUSALS
    text = content
    for f in report.findings:
        assert read_back(text, f) == f.excerpt


def test_placeholder_greeting_is_a_greeting(linter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    content = json.dumps(
        {"Order shipped": "Hi {{ticket.requester.first_name}},\n\nYour order shipped today!"}
    )
    report = lint(linter, write(tmp_path / "map.json", content))["map.json"]
    assert "missing-greeting" not in {f.rule for f in report.findings}


# --------------------------------------------------------------------------------------------
# saved replies (GitHub SAVED_REPLIES.md), on real files
# --------------------------------------------------------------------------------------------


def _headings(text: str, min_level: int = 2) -> list[str]:
    out = []
    fence = False
    for line in EOL.split(text):
        if line.startswith("```") or line.startswith("~~~"):
            fence = not fence
        m = re.match(r"^(#{1,6})\s+(.*?)\s*$", line)
        if m and not fence and len(m.group(1)) >= min_level:
            out.append(m.group(2))
    return out


@pytest.mark.parametrize(
    "name", ["angular-cli/SAVED_REPLIES.md", "prometheus-docs/saved_replies.md"]
)
def test_saved_replies_corpora(linter, name: str) -> None:  # type: ignore[no-untyped-def]
    path = CORPORA / name
    text = decoded(path)
    drafts = read_path(str(path))
    assert [d.title for d in drafts] == _headings(text)
    for d in drafts:
        assert "```" not in d.text and "](http" not in d.text
    report = lint(linter, path)[path.name]
    assert report.error is None
    for f in report.findings:
        assert read_back(text, f) == f.excerpt, f
        assert f.draft in _headings(text)
        # nothing from the files' introductions (before the first "## " reply)
        assert f.line > line_of(text, "\n## ") if "angular" in name else True


def test_saved_replies_reply_is_the_untagged_block(tmp_path: Path) -> None:
    drafts = read_path(str(FORMATS / "SAVED_REPLIES.md"))
    first, late, delivery = drafts
    assert first.text.startswith("Hi {{ticket.requester.first_name}},")
    assert "Used when" not in late.text  # the comment describing the reply
    assert delivery.text.strip().startswith("Hi {{ticket.requester.first_name}},")
    assert "curl" not in delivery.text  # a tagged block in prose is code
    # "Account closed" holds only a tagged (code) block: no reply


def test_saved_replies_prose_with_a_small_code_block_keeps_the_prose() -> None:
    drafts = read_path(str(CORPORA / "prometheus-docs" / "saved_replies.md"))
    dco = next(d for d in drafts if d.title == "DCO")
    assert "git commit --amend" not in dco.text
    assert "As always, be careful when force-pushing." in dco.text


def test_layout_option_reads_any_markdown_file_as_saved_replies(tmp_path: Path) -> None:
    path = tmp_path / "macros.md"
    shutil.copy(FORMATS / "SAVED_REPLIES.md", path)
    assert [d.title for d in read_path(str(path))] == [None]
    titles = [d.title for d in read_path(str(path), ReadOptions(layout="saved-replies"))]
    assert titles == ["Refund: opened item (v2)", "Refund: late request", "Delivery delayed"]


def test_layout_cli_option(tmp_path: Path) -> None:
    path = tmp_path / "macros.md"
    shutil.copy(FORMATS / "SAVED_REPLIES.md", path)
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "--layout", "saved-replies", str(path)]
    )
    data = json.loads(result.stdout)
    # "Delivery delayed" restates the issue ("I'm sorry your parcel is late"), and a saved
    # reply is a macro with no customer message: no-paraphrase is quiet on it
    assert {f["draft"] for f in data["files"][0]["findings"]} == {
        "Refund: opened item (v2)",
        "Refund: late request",
    }


# --------------------------------------------------------------------------------------------
# collections: JSON escapes, YAML scalars, CSV quoting, options
# --------------------------------------------------------------------------------------------

JSON_STRINGS = [
    "plain",
    "line\nbreak",
    'quote "inside" and \\ backslash / slash',
    "café ünïcode",
    "emoji 🚚 and 👍🏽",
    "tab\tand\r\nCRLF \b \f",
    "\u2019curly\u2019",
    "lone \ud83d surrogate",
]


@pytest.mark.parametrize("value", JSON_STRINGS)
@pytest.mark.parametrize("ascii_only", [True, False])
def test_json_string_offsets(value: str, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only)
    text = f'{{"k": {raw}}}'
    src = Mapped.identity(text)
    start = text.index(raw) + 1
    m = _json_string(src, start, start + len(raw) - 2)
    assert m.text == value
    # each character maps to its own escape (or itself) in the file
    for i, ch in enumerate(value):
        a, b = m.file_span(i, i + 1)
        assert json.loads('"' + text[a:b] + '"') == ch


def test_json_tree_values_match_json_loads() -> None:
    text = decoded(FORMATS / "zendesk-macros.json")
    root = parse_json(text, LineIndex(text))
    expected = json.loads(text)

    def walk(node: Any, value: Any) -> None:
        if isinstance(node, Str):
            assert node.value == value
            assert node.mapped().text == value
            assert len(node.mapped().segments) > 0 or not value
        elif hasattr(node, "pairs"):
            assert [k for k, _ in node.pairs] == list(value)
            for (_, v), w in zip(node.pairs, value.values(), strict=True):
                walk(v, w)
        elif hasattr(node, "items"):
            for v, w in zip(node.items, value, strict=True):
                walk(v, w)

    walk(root, expected)


YAML_SCALARS = [
    "k: plain value\n",
    "k: plain value\n  folded over\n\n  two lines\n",
    "k: 'it''s single'\n",
    "k: 'single\n  folded\n\n  para'\n",
    'k: "double \\"esc\\" \\u00e9 \\x41 \\U0001F69A \\t tab"\n',
    'k: "double\n  folded \\\n  escaped break"\n',
    "k: |\n  literal\n    more indented\n\n  last\n",
    "k: |-\n  stripped\n  literal\n\n",
    "k: |+\n  kept\n\n\n",
    "k: >\n  folded\n  block\n\n  para\n    indented\n  back\n",
    "k: >-\n  folded strip\n",
    "k: |2\n   indented by indicator\n  \n",
    "- |\n  in a list\n  item\n- >\n  folded\n  item\n",
    "k: |\r\n  crlf\r\n  literal\r\n",
    "k: >\r\n  crlf\r\n  folded\r\n\r\n  para\r\n",
]


@pytest.mark.parametrize("source", YAML_SCALARS)
def test_yaml_scalar_offsets_rebuild_the_value(source: str) -> None:
    """The decoded scalar equals PyYAML's value without falling back to a whole-scalar span."""
    root = parse_yaml(source, LineIndex(source))
    loaded = yaml.safe_load(source)
    values = list(loaded.values()) if isinstance(loaded, dict) else loaded
    nodes = [v for _, v in root.pairs] if hasattr(root, "pairs") else root.items  # type: ignore[union-attr]
    for node, value in zip(nodes, values, strict=True):
        assert isinstance(node, Str)
        assert node.value == value
        assert node.mapper is not None
        rebuilt = node.mapper()
        assert rebuilt.text == value, (rebuilt.text, value)
        for i, ch in enumerate(value):
            if ch.isalnum():  # a word character maps to itself in the file
                a, b = rebuilt.file_span(i, i + 1)
                assert source[a:b] == ch or b - a > 1, (i, ch, source[a:b])


CSV_TEXT = (
    'id,title,reply\r\n1,"Quoted, with comma","Line one\r\nline ""two"""\r\n'
    '2,plain,plain reply\r\n\r\n3,,\n4,"",last\n'
)


def test_csv_rows_match_the_csv_module() -> None:
    src = Mapped.identity(CSV_TEXT)
    ours = [[csv_field(src, f).text for f in row] for row in csv_rows(CSV_TEXT, ",")]
    theirs = [row for row in csv.reader(io.StringIO(CSV_TEXT, newline="")) if row]
    assert ours == theirs


def test_csv_customer_column_is_the_context() -> None:
    drafts = read_path(
        str(FORMATS / "replies.csv"),
        ReadOptions(text_field="reply_text", customer_field="customer_message"),
    )
    assert drafts[0].customer is not None and drafts[0].customer.startswith("I opened the blender")
    assert drafts[2].text.endswith('Nope. The "same thing" happened to me last week.')


def test_csv_customer_field_feeds_the_rewrite(linter) -> None:  # type: ignore[no-untyped-def]
    report = lint(
        linter, FORMATS / "replies.csv", text_field="reply_text", customer_field="customer_message"
    )["replies.csv"]
    assert report.error is None
    # the customer's message is context, never linted: "It's company policy" in row 2's
    # customer column does not fire
    text = decoded(FORMATS / "replies.csv")
    assert ("bare-policy", line_of(text, "Where is my parcel")) not in refusal_lines(report)


def test_json_customer_field(tmp_path: Path) -> None:
    drafts = read_path(str(FORMATS / "generic-replies.json"), ReadOptions(text_field="reply_text"))
    assert drafts[0].customer == "Can I return my opened kettle?"
    assert drafts[0].title == "refund-denied"


def test_cli_text_and_customer_field_options(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "check", "--format", "json", "--text-field", "reply_text",
            "--customer-field", "customer_message", str(FORMATS / "replies.csv"),
        ],
    )  # fmt: skip
    data = json.loads(result.stdout)
    (file,) = data["files"]
    assert file["error"] is None
    assert {f["draft"] for f in file["findings"]} >= {"Refund: opened item", 'Quotes "inside"'}


def test_zendesk_prefers_html_and_skips_macros_without_a_comment() -> None:
    drafts = read_path(str(FORMATS / "zendesk-macros.json"))
    assert "Close: solved" not in [d.title for d in drafts]
    assert "<p>" not in drafts[1].text


def test_freshdesk_prefers_content_html_and_falls_back_to_content() -> None:
    first, second = read_path(str(FORMATS / "freshdesk-canned-responses.json"))
    assert "Nope. It's company policy." not in first.text  # that is the plain `content`
    assert "Nope. The same thing" in second.text


def test_intercom_prefers_body_and_falls_back_to_body_text() -> None:
    first, second = read_path(str(FORMATS / "intercom-macros.json"))
    assert "<attribute" in first.text
    assert second.text.startswith('Hi {{first_name | fallback: "there"}},')


# --------------------------------------------------------------------------------------------
# malformed input: a clear per-file error, the other files are still linted
# --------------------------------------------------------------------------------------------

BAD: dict[str, tuple[str, str]] = {
    "broken.json": (
        '{\n  "macros": [\n    {"title": "Refund", "actions": [}\n  ]\n}\n',
        r"^line 3, column 37: invalid JSON: Expecting value$",
    ),
    "scalar.yaml": ("Just one reply, not a collection.\n", r"expected a collection of replies"),
    "broken.yaml": ("replies:\n  - title: a\n   text: b\n", r"^line 3, column 4: invalid YAML: "),
    "unclosed.html": (
        '<div class="reply">\n<p>Hi Sam,</p>\n<div>\n<p>Nope.</p>\n</div>\n',
        r"^line 1, column 1: <div> is never closed \(expected </div>\)$",
    ),
    "no-text.csv": (
        "id,subject,body_markdown\n1,Refund,Nope.\n",
        r"no text column: .*found columns: id, subject, body_markdown$",
    ),
    "unknown.json": (
        '{"settings": {"theme": "dark", "size": 3}}\n',
        r"unknown export shape \(top-level keys: settings\); expected Zendesk macros",
    ),
    "numbers.json": ("[1, 2, 3]\n", r"no reply text found|unknown export shape"),
}


def test_malformed_inputs_give_one_line_errors_and_others_are_linted(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    for name, (content, _) in BAD.items():
        write(folder / name, content)
    shutil.copy(FORMATS / "zendesk-macro.json", folder / "good.json")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(folder)])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    for name, (_, pattern) in BAD.items():
        error = by_name[name]["error"]
        assert error and "\n" not in error, (name, error)
        assert re.search(pattern, error), (name, error)
        assert f"replylint: error: {by_name[name]['path']}: {error}" in result.stderr
    assert by_name["good.json"]["error"] is None
    assert {f["rule"] for f in by_name["good.json"]["findings"]} >= REFUSALS


def test_unclosed_html_variants(tmp_path: Path) -> None:
    for content, expected in [
        ("<p>Hi</p>\n<!-- never closed\n", "comment '<!--' is never closed"),
        ("<p>Hi</p>\n<blockquote>quoted\n", "<blockquote> is never closed"),
        ("<div>Hi <b>Sam</b>\n", "<div> is never closed"),
        ('<p>Hi</p><div class="x"', "a tag is never closed"),
    ]:
        path = write(tmp_path / "x.html", content)
        with pytest.raises(SourceError, match=re.escape(expected)):
            read_path(str(path))
    # end tags HTML lets you leave out are fine
    path = write(tmp_path / "ok.html", "<p>Hi Sam,<p>Thanks!<ul><li>one<li>two</ul>")
    assert "Thanks!" in read_path(str(path))[0].text


def test_text_field_missing_from_every_object(tmp_path: Path) -> None:
    with pytest.raises(
        SourceError,
        match=r"no object has the text field 'answer' \(fields found: key, reply_text, customer\)",
    ):
        read_path(str(FORMATS / "generic-replies.json"), ReadOptions(text_field="answer"))


# --------------------------------------------------------------------------------------------
# suppression comments
# --------------------------------------------------------------------------------------------


def test_suppressions_in_text(reports) -> None:  # type: ignore[no-untyped-def]
    text = decoded(FORMATS / "suppressed-reply.txt")
    report = reports["suppressed-reply.txt"]
    got = {(f.rule, f.line) for f in report.findings}
    assert ("terse-refusal", line_of(text, "Nope.")) not in got  # disable-next-line
    assert ("bare-policy", line_of(text, "Unfortunately")) not in got  # disable … enable
    assert ("bare-policy", line_of(text, "It's company policy")) in got  # after enable
    (unused,) = [f for f in report.findings if f.rule == "unused-suppression"]
    assert unused.severity.value == "info"
    assert unused.line == line_of(text, "disable-next-line=self-focus")
    assert unused.excerpt == "# replylint: disable-next-line=self-focus"
    assert read_back(text, unused) == unused.excerpt
    (draft,) = read_path(str(FORMATS / "suppressed-reply.txt"))
    assert "replylint" not in draft.text  # comment lines are not linted


def test_suppressions_in_markdown_and_yaml(reports) -> None:  # type: ignore[no-untyped-def]
    md = decoded(FORMATS / "refund-reply.md")
    got = {(f.rule, f.line) for f in reports["refund-reply.md"].findings}
    assert ("terse-refusal", line_of(md, "Nope.\n\nNope. The same")) not in got
    assert not [f for f in reports["refund-reply.md"].findings if f.rule == "unused-suppression"]
    yml = decoded(FORMATS / "canned-responses.yaml")
    findings = reports["canned-responses.yaml"].findings
    suppressed_line = line_of(yml, "Nope.\n  # replylint: disable-next-line=bare-policy")
    assert ("terse-refusal", suppressed_line) not in {(f.rule, f.line) for f in findings}
    (unused,) = [f for f in findings if f.rule == "unused-suppression"]
    assert unused.excerpt == "# replylint: disable-next-line=bare-policy"


SUPPRESSION_CASES: list[tuple[str, str, set[str], set[str]]] = [
    # name, content, rules that must not fire, unused-suppression excerpts expected
    (
        "file.txt",
        "# replylint: disable-file=terse-refusal,bare-policy\nNope. It's company policy.\n",
        REFUSALS,
        set(),
    ),
    (
        "all.md",
        "<!-- replylint: disable -->\nNope. It's company policy.\n<!-- replylint: enable -->\n",
        REFUSALS,
        set(),
    ),
    (
        "html.html",
        "<!-- replylint: disable-next-line=terse-refusal -->\n<p>Nope.</p>\n"
        "<!-- replylint: disable-next-line=bare-policy -->\n<p>Thanks!</p>\n",
        {"terse-refusal"},
        {"<!-- replylint: disable-next-line=bare-policy -->"},
    ),
    (
        "unknown.txt",
        "# replylint: disable-next-line=no-such-rule\nNope.\n",
        set(),
        {"# replylint: disable-next-line=no-such-rule"},
    ),
    (
        "typo.md",
        "<!-- replylint: disabel=terse-refusal -->\nNope.\n",
        set(),
        {"<!-- replylint: disabel=terse-refusal -->"},
    ),
    (
        "unused-file.yaml",
        "# replylint: disable-file=self-focus\nreply: Thanks, your refund is on its way!\n",
        set(),
        {"# replylint: disable-file=self-focus"},
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "quiet", "unused"), SUPPRESSION_CASES, ids=[c[0] for c in SUPPRESSION_CASES]
)
def test_suppression_comments(
    linter, tmp_path: Path, name: str, content: str, quiet: set[str], unused: set[str]
) -> None:  # type: ignore[no-untyped-def]
    report = lint(linter, write(tmp_path / name, content))[name]
    assert report.error is None
    rules = {f.rule for f in report.findings}
    assert not rules & quiet, rules
    assert {f.excerpt for f in report.findings if f.rule == "unused-suppression"} == unused
    for f in report.findings:
        assert read_back(content, f) == f.excerpt


def test_suppression_of_a_rule_that_did_not_run_is_not_unused(tmp_path: Path) -> None:
    from replylint import Linter

    path = write(tmp_path / "a.txt", "# replylint: disable-next-line=bare-policy\nNope.\n")
    only = Linter(select=["terse-refusal"])
    run = lint_paths(only, [str(path)])
    assert [f.rule for f in run.files[0].findings] == ["terse-refusal"]


def test_unused_suppression_in_cli_json(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.md", "<!-- replylint: disable=self-focus -->\nThanks for your order!\n"
    )
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output  # info is below the default --fail-on
    (finding,) = json.loads(result.stdout)["files"][0]["findings"]
    assert finding["rule"] == "unused-suppression"
    assert finding["severity"] == "info"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        1, 1, 1, 39)  # fmt: skip


def test_text_original_message_block_is_customer_context(tmp_path: Path) -> None:
    path = write(
        tmp_path / "outlook.txt",
        "Hi Sam,\r\n\r\nYour refund is on its way.\r\n\r\n-----Original Message-----\r\n"
        "From: Sam <sam@example.com>\r\nSent: Monday\r\nTo: Support\r\n\r\n"
        "Nope. It's company policy, you said.\r\n",
    )
    (draft,) = read_path(str(path))
    assert "company policy" not in draft.text
    assert draft.customer is not None and "company policy" in draft.customer


def test_text_wrapped_attribution(tmp_path: Path) -> None:
    path = write(
        tmp_path / "gmail.txt",
        "Thanks, Sam!\n\nOn Mon, 3 Jun 2024 at 18:40, Sam Lee <sam@example.com>\nwrote:\n"
        "> Where is my parcel?\n",
    )
    (draft,) = read_path(str(path))
    assert draft.text.strip() == "Thanks, Sam!"
    assert draft.customer == "Where is my parcel?"


def test_email_base64_body_maps_to_the_encoded_block(linter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import base64

    body = base64.encodebytes(b"Hi Sam,\n\nNope. It's company policy.\n").decode()
    content = (
        "From: a@example.com\nSubject: Re: refund\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body
    )
    path = write(tmp_path / "b64.eml", content)
    (draft,) = read_path(str(path))
    assert "Nope. It's company policy." in draft.text
    report = lint(linter, path)["b64.eml"]
    assert {f.rule for f in report.findings} >= REFUSALS
    for f in report.findings:
        assert read_back(content, f) == f.excerpt  # the whole encoded body, exactly


def test_invalid_utf8_after_a_bom_names_the_right_place() -> None:
    from replylint.sources.base import decode

    with pytest.raises(SourceError, match=r"line 2, column 3: not valid UTF-8 \(byte 0xff\)"):
        decode(b"\xef\xbb\xbfab\ncd\xff")


@pytest.mark.parametrize(
    "name",
    [
        "a.txt",
        "A.MD",
        ".txt",
        "a.",
        "a.b.csv",
        "dir.d/file",
        "x/.hidden.md",
        "a..md",
        "a/b.",
        "c.Yaml",
    ],
)
def test_the_reader_is_chosen_by_the_suffix_pathlib_sees(name: str) -> None:
    from replylint.sources import FORMATS, comment_styles, reader_for

    module, function, comments = FORMATS.get(Path(name).suffix.lower(), FORMATS[".txt"])
    assert reader_for(name).__name__ == function
    assert reader_for(name).__module__ == f"replylint.sources.{module}"
    assert comment_styles(name) == comments


def test_a_reply_with_nothing_to_leave_out_is_kept_whole_as_line_by_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """read_plain keeps a text whole when no line can be quoted, an attribution, a separator,
    a header or a comment; that gives exactly what reading it line by line gives."""
    import random

    from replylint.sources import text as text_reader
    from replylint.sources.mapping import Mapped

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "examples").rglob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "tests").rglob("*.txt"))]
    rng = random.Random(6)
    harmless = ["\r\n", "\r", "\n", "\x0c", "--", "#", "From: a", " wrote: "]
    special = [  # each makes a line the reader leaves out
        "\n> quoted\n",
        "\nOn Monday, Sam wrote:\n",
        "\n-----Original Message-----\n",
        "\nFrom: Sam Lee\nSent: Monday\nTo: Support\n",
        "\n# replylint: disable\n",
    ]
    for base in list(texts):
        for mark in (*special, *rng.sample(harmless, 3)):
            at = rng.randint(0, len(base))
            texts.append(base[:at] + mark + base[at:])
    quick = text_reader._all_own
    whole = 0
    for text in texts:
        for directives in (True, False):
            monkeypatch.setattr(text_reader, "_all_own", quick)
            got = text_reader.read_plain(Mapped.identity(text), directives=directives)
            whole += quick(text, directives)
            monkeypatch.setattr(text_reader, "_all_own", lambda *_: False)
            assert got == text_reader.read_plain(Mapped.identity(text), directives=directives)
    assert len(texts) > 100 and 0 < whole < 2 * len(texts)  # both ways were taken


# --------------------------------------------------------------------------------------------
# Encodings and hostile inputs at the reader level (issue 17; the CLI battery is in
# tests/sources/test_hostile_inputs.py)
# --------------------------------------------------------------------------------------------


UTF16_REPLY = "Hi Zoë,\r\n\r\nNope. It's our policy that we can't refund opened items 😀.\r\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_encodings_are_decoded_whole(codec: str) -> None:
    data = UTF16_REPLY.encode(codec)
    assert decode(data) == UTF16_REPLY
    assert encoding_of(data).encode(UTF16_REPLY) == data  # written back byte for byte


def test_binary_and_broken_utf16_are_errors_with_their_line() -> None:
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") is None
    with pytest.raises(SourceError, match="binary file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    broken = "line one\nline two \n".encode("utf-16") + b"\x00\xd8" + "x".encode("utf-16-le")
    with pytest.raises(SourceError, match=r"^line 3, column 1: not valid UTF-16 LE"):
        decode(broken)


def test_utf16_findings_point_into_the_decoded_text(tmp_path: Path, linter: Any) -> None:
    for codec in ("utf-8", "utf-16"):
        (tmp_path / f"{codec}.txt").write_bytes(UTF16_REPLY.encode(codec))
    run = lint_paths(linter, [str(tmp_path / "utf-8.txt"), str(tmp_path / "utf-16.txt")])
    plain, wide = run.files
    assert wide.error is None and wide.findings
    assert [(f.rule, f.line, f.column, f.excerpt) for f in wide.findings] == [
        (f.rule, f.line, f.column, f.excerpt) for f in plain.findings
    ]


def test_fix_keeps_a_utf16_file_utf16(tmp_path: Path) -> None:
    for codec in ("utf-8", "utf-16"):
        (tmp_path / codec).mkdir()
        (tmp_path / codec / "reply.txt").write_bytes(UTF16_REPLY.encode(codec))
        result = CliRunner().invoke(main, ["fix", "--unsafe", str(tmp_path / codec / "reply.txt")])
        assert result.exit_code in (0, 1), result.output
    fixed = (tmp_path / "utf-16" / "reply.txt").read_bytes()
    assert fixed.startswith(b"\xff\xfe")  # the BOM, and UTF-16 LE after it
    text = fixed[2:].decode("utf-16-le")
    assert text != UTF16_REPLY and text.count("\r\n") == UTF16_REPLY.count("\r\n")
    assert text == (tmp_path / "utf-8" / "reply.txt").read_bytes().decode("utf-8")


def test_json_nan_and_infinity_are_values_not_drafts() -> None:
    text = '[{"title": "a", "body": NaN}, {"title": "b", "body": "Nope."}, {"id": -Infinity}]'
    root = parse_json(text, LineIndex(text))
    assert isinstance(root, Arr) and len(root.items) == 3
    drafts = read_bytesless("x.json", text)
    assert [d.title for d in drafts] == ["b"]


def read_bytesless(name: str, text: str) -> list[Draft]:
    return read_bytes(name, text.encode())


def test_a_lone_surrogate_escape_becomes_one_replacement_character() -> None:
    text = '{"a": "Nope \\ud800 we can\'t \\ud83d\\ude00!"}'
    (draft,) = read_bytesless("x.json", text)
    assert draft.text == "Nope \ufffd we can't 😀!"
    start = draft.text.index("we")
    _, column, _, _ = draft.locate(start, start + 2)
    assert text[column - 1 : column + 1] == "we"  # still exact after it


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("deep.json", "[" * 10_000, "line 1, column 101: invalid JSON: nested more than 100"),
        ("deep.yaml", "[" * 10_000, "line 1, column 101: invalid YAML: nested more than 100"),
        ("loop.yaml", "a: &a [*a]\n", "line 1, column 4: invalid YAML: an alias refers to"),
        ("map.yaml", "a: &a {b: *a}\n", "line 1, column 4: invalid YAML: an alias refers to"),
        ("ctl.yaml", 'a: "Nope\x1b"\n', "line 1, column 9: invalid YAML: character #x001b"),
        ("big.json", '[{"n": 1' + "0" * 5000 + ', "body": 5}]', "no reply text found"),
    ],
)
def test_hostile_collections_are_one_line_errors(name: str, text: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        read_bytesless(name, text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_billion_laughs_is_refused_before_it_is_expanded() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(SourceError, match="aliases repeat more than 10,000 nodes"):
        read_bytesless("laughs.yaml", "\n".join(lines) + "\n")
    # a few aliases, as exports use them, are fine
    ok = "base: &b Sorry, we can't refund opened items.\nrefund: *b\nother: *b\n"
    assert len(read_bytesless("ok.yaml", ok)) == 3


def test_special_files_in_a_folder_are_skipped_and_named_ones_are_errors(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("Nope.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    (tmp_path / "c.txt").symlink_to("c.txt")
    (tmp_path / "d.md").symlink_to("gone.md")
    found = dict(discover([str(tmp_path)]))
    assert found[str(tmp_path / "a.txt")] is None
    assert isinstance(found[str(tmp_path / "b.txt")], Skipped)
    assert "symbolic link loop" in str(found[str(tmp_path / "c.txt")])
    assert "broken symbolic link" in str(found[str(tmp_path / "d.md")])
    named = dict(discover([str(tmp_path / "b.txt"), "/dev/zero"]))
    assert named[str(tmp_path / "b.txt")] == "a named pipe (FIFO), not a regular file: not read"
    assert named["/dev/zero"] == "a character device, not a regular file: not read"
    assert not isinstance(named["/dev/zero"], Skipped)


# a blockquote in a saved reply quotes guidelines or docs to the reader: not the customer's
# message (issue 18: an acknowledgement was built from a quoted forum rule), unless the file
# labels it as the customer's; in a plain Markdown draft or an e-mail, a quote is the customer's
SAVED_WITH_QUOTES = """\
# Forum replies

## Topic moved

Hi {{username}},

I have moved your topic to a better category. As the guidelines put it:

> Nope, cross-posting is against the rules and will be removed.

Thanks for understanding!

## Refund reply

> Customer: my order arrived broken and I want my money back

Hi {{username}}, I'm sorry your order arrived broken. I've refunded it today.

## Labelled above

The customer wrote:

> the app crashes every time I open it

Hi {{username}}, sorry about the crashes! Version 4.2 fixes them.
"""


def test_saved_replies_blockquote_is_the_customer_only_where_labelled(tmp_path: Path) -> None:
    path = tmp_path / "SAVED_REPLIES.md"
    path.write_text(SAVED_WITH_QUOTES, encoding="utf-8")
    moved, refund, labelled = read_path(str(path))
    assert moved.customer is None  # a quoted guideline is nobody's message
    assert "cross-posting" not in moved.text  # and it is not linted as the agent's words
    assert refund.customer == "my order arrived broken and I want my money back"
    assert labelled.customer == "the app crashes every time I open it"
    # a plain Markdown draft keeps every quote as the customer's message (as e-mails do)
    draft = tmp_path / "reply.md"
    draft.write_text("> my parcel is late\n\nHi Sam, sorry it's late!\n", encoding="utf-8")
    (only,) = read_path(str(draft))
    assert only.customer == "my parcel is late"


def test_saved_replies_quoted_guideline_gets_no_acknowledgement_built_from_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "SAVED_REPLIES.md"
    path.write_text(SAVED_WITH_QUOTES, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    data = json.loads(result.output)
    for f in data["files"][0]["findings"]:
        for s in f["suggestions"]:
            assert "cross-posting" not in s["replacement"]
            assert "Nope" not in s["replacement"]
