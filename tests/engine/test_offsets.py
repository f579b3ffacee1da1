"""Positions are exact: a finding's line/column, read back from the original file, gives exactly
its excerpt, whatever the line endings, tabs, emoji or BOM. Plus unit tests of the offset map,
the line index and placeholder masking."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from replylint.cli import main
from replylint.offsets import LineIndex, OffsetMap
from replylint.placeholders import NAME_WORD, VALUE_WORD, mask
from tests.positions import EOL, decoded, read_back

# Each file: its text (written as UTF-8) and excerpts that must be among its findings, so a
# file that stopped producing findings cannot pass the position checks vacuously.
FILES: dict[str, tuple[str, set[str]]] = {
    "crlf.txt": (
        "Hi Sam,\r\n\r\nNope. Can't work that out this time.\r\n\r\n"
        "Unfortunately, it's our policy.\r\nThe same thing happened to me last week.\r\n",
        {"Nope.", "it's our policy", "The same thing happened to me"},
    ),
    "tabs.txt": (
        "Hi Sam,\n\n\tNope.\tIt's company policy.\n\t\tMe too, honestly.\n",
        {"Nope.", "It's company policy", "Me too"},
    ),
    "emoji.txt": (
        "Hi 😀 Sam 👍🏽,\n\nNope. 👍🏽 It's our policy, sorry 😀.\n"
        "Me too 👍🏽 — the same thing happened to me last month. 😀😀 Per our policy, no.\n",
        # "Nope." is left out: spaCy splits 👍🏽 (see test_spans_never_split_an_emoji)
        {"It's our policy", "Me too", "Per our policy"},
    ),
    "bom.txt": (
        "\ufeffHi Sam,\n\nNope. It's our policy.\n",
        {"Nope.", "It's our policy"},
    ),
    "cr.txt": (
        "Hi Sam,\r\rNope. It's our policy.\rThe same thing happened to me last week.\r",
        {"Nope.", "It's our policy", "The same thing happened to me"},
    ),
    "mixed.txt": (
        "\ufeffHi 👍🏽 Sam,\r\n\tNope.\r😀 It's our policy.\nMe too.\r\n\r\n"
        "\tPer our policy, 😀 no.",
        {"Nope.", "It's our policy", "Me too", "Per our policy"},
    ),
    "curly.txt": (
        "Hi Marcus,\n\nI can’t extend your trial, it’s company policy. 👍🏽\n",
        {"it’s company policy"},
    ),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("offsets")
    for name, (text, _) in FILES.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    result = CliRunner().invoke(main, ["check", "--format", "json", str(folder)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    return folder, {Path(f["path"]).name: f for f in data["files"]}


@pytest.mark.parametrize("name", sorted(FILES))
def test_positions_read_back_give_the_excerpt(checked, name: str) -> None:  # type: ignore[no-untyped-def]
    folder, files = checked
    report = files[name]
    assert report["error"] is None
    text = decoded(folder / name)
    assert not text.startswith("\ufeff")
    excerpts = [f["excerpt"] for f in report["findings"]]
    assert FILES[name][1] <= set(excerpts), excerpts
    for f in report["findings"]:
        assert read_back(text, f) == f["excerpt"], f
        assert f["excerpt"] and f["excerpt"] == f["excerpt"].strip()


@pytest.mark.parametrize("name", sorted(FILES))
def test_suggestion_positions_in_range_and_match_the_api(checked, linter, name: str) -> None:  # type: ignore[no-untyped-def]
    folder, files = checked
    text = decoded(folder / name)
    cli_findings = files[name]["findings"]
    api_findings = linter.check(text).findings
    # the CLI and the library agree (a .txt draft is the whole decoded file)
    assert [(f["rule"], f["excerpt"]) for f in cli_findings] == [
        (f.rule, f.excerpt) for f in api_findings
    ]
    seen = 0
    for cf, af in zip(cli_findings, api_findings, strict=True):
        assert text[af.start : af.end] == af.excerpt
        assert len(cf["suggestions"]) == len(af.suggestions)
        for cs, s in zip(cf["suggestions"], af.suggestions, strict=True):
            piece = read_back(text, cs)  # asserts the positions are in range and ordered
            assert piece == text[s.start : s.end]
            if s.start == s.end:
                assert (cs["line"], cs["column"]) == (cs["end_line"], cs["end_column"])
            seen += 1
    assert seen, "no suggestion checked"


def test_columns_count_code_points_not_utf16_or_bytes(checked) -> None:  # type: ignore[no-untyped-def]
    _, files = checked
    (f,) = [f for f in files["emoji.txt"]["findings"] if f["excerpt"] == "It's our policy"]
    # "Nope. 👍🏽 " is 9 code points (👍🏽 is two: the thumb and a skin-tone modifier)
    assert (f["line"], f["column"], f["end_column"]) == (3, 10, 25)


def test_bom_is_not_a_column(checked) -> None:  # type: ignore[no-untyped-def]
    _, files = checked
    (f,) = [f for f in files["bom.txt"]["findings"] if f["rule"] == "terse-refusal"]
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (3, 1, 3, 6)


def test_lone_cr_ends_lines(checked) -> None:  # type: ignore[no-untyped-def]
    _, files = checked
    lines = {f["excerpt"]: f["line"] for f in files["cr.txt"]["findings"]}
    assert lines["Nope."] == 3
    assert lines["The same thing happened to me"] == 4


_MODIFIERS = {chr(c) for c in range(0x1F3FB, 0x1F400)} | {"\u200d", "\ufe0f"}


def test_spans_never_split_an_emoji(linter) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Sam,\n\nNope. 👍🏽 It's our policy.\n"
    findings = linter.check(text).findings
    assert "terse-refusal" in {f.rule for f in findings}
    for f in findings:
        for start, end in [(f.start, f.end), *((s.start, s.end) for s in f.suggestions)]:
            assert text[start : start + 1] not in _MODIFIERS
            assert text[end : end + 1] not in _MODIFIERS, (f.rule, text[start:end])


DRAFT = (
    "Hi Sam,{nl}{nl}I can't extend your trial. It's our policy.{nl}"
    "The same thing happened to me last week.{nl}{nl}Thanks,{nl}Priya{nl}"
)


def _summary(linter, nl: str) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    text = DRAFT.format(nl=nl)
    out = []
    for f in linter.check(text).findings:
        out.append(
            (
                f.rule,
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.excerpt,
                tuple(EOL.sub("\n", s.replacement) for s in f.suggestions),
                tuple(EOL.sub("\n", text[s.start : s.end]) for s in f.suggestions),
            )
        )
    return out


@pytest.mark.parametrize(
    "nl",
    [
        "\r\n",
        "\r",
    ],
    ids=["crlf", "cr"],
)
def test_line_endings_do_not_change_findings(linter, nl: str) -> None:  # type: ignore[no-untyped-def]
    expected = _summary(linter, "\n")
    assert {row[0] for row in expected} >= {"bare-policy", "self-focus"}
    assert _summary(linter, nl) == expected


# --------------------------------------------------------------------------------------------
# OffsetMap
# --------------------------------------------------------------------------------------------


def test_identity_map() -> None:
    m = OffsetMap.identity(10, base=5)
    assert [m.to_original(i) for i in range(11)] == list(range(5, 16))
    assert m.span_to_original(2, 7) == (7, 12)
    assert m.span_to_original(4, 4) == (9, 9)


def test_empty_map_is_identity() -> None:
    m = OffsetMap()
    assert m.to_original(7) == 7
    assert m.span_to_original(1, 3) == (1, 3)


def test_adjacent_linear_runs_merge() -> None:
    m = OffsetMap()
    m.add(0, 0, 5, 5)
    m.add(5, 5, 3, 3)
    assert m.segments == [(0, 0, 8, 8)]
    m.add(8, 10, 2, 2)  # not contiguous in the original: kept apart
    assert len(m.segments) == 2
    assert m.to_original(9) == 11


def test_segments_must_be_in_order() -> None:
    m = OffsetMap()
    m.add(0, 0, 5, 5)
    with pytest.raises(ValueError):
        m.add(3, 10, 1, 1)


def _masked_name_map() -> tuple[str, str, OffsetMap]:
    # original "Hi {{first_name}}, ok" (placeholder of 14 chars) -> derived "Hi Alex, ok"
    original = "Hi {{first_name}}, ok"
    derived = "Hi Alex, ok"
    m = OffsetMap()
    m.add(0, 0, 3, 3)
    m.add(3, 3, 4, 14)
    m.add(7, 17, 4, 4)
    return original, derived, m


def test_atomic_segment_widens_to_the_whole_placeholder() -> None:
    original, _, m = _masked_name_map()
    assert original[slice(*m.span_to_original(3, 7))] == "{{first_name}}"
    # a span starting or ending inside the atomic segment widens to all of it
    assert m.span_to_original(4, 6) == (3, 17)
    assert m.span_to_original(5, 9) == (3, 19)
    assert original[slice(*m.span_to_original(0, 5))] == "Hi {{first_name}}"


def test_boundaries_of_an_atomic_segment() -> None:
    original, derived, m = _masked_name_map()
    # the text either side maps exactly and never takes the placeholder with it
    assert original[slice(*m.span_to_original(0, 3))] == "Hi "
    assert original[slice(*m.span_to_original(7, 11))] == ", ok"
    assert m.to_original(3) == 3  # start of the placeholder
    assert m.to_original(7) == 17  # start of what follows it
    assert m.to_original(7, end=True) == 17  # end of the placeholder
    assert m.to_original(3, end=True) == 3  # end of "Hi "
    assert m.to_original(11, end=True) == 21
    for i, ch in enumerate(derived):
        if not 3 <= i < 7:
            assert original[m.to_original(i)] == ch


def _tag_map() -> tuple[str, str, OffsetMap]:
    # original "a{% x %}b" -> derived "ab": the tag is an empty (deleted) segment
    original = "a{% x %}b"
    m = OffsetMap()
    m.add(0, 0, 1, 1)
    m.add(1, 1, 0, 7)
    m.add(1, 8, 1, 1)
    return original, "ab", m


def test_span_ending_before_a_removed_tag_excludes_it() -> None:
    original, _, m = _tag_map()
    assert original[slice(*m.span_to_original(0, 1))] == "a"


def test_span_starting_after_a_removed_tag_excludes_it() -> None:
    original, _, m = _tag_map()
    assert original[slice(*m.span_to_original(1, 2))] == "b"


def test_span_across_a_removed_tag_includes_it() -> None:
    original, _, m = _tag_map()
    assert original[slice(*m.span_to_original(0, 2))] == "a{% x %}b"


def test_leading_and_trailing_tags() -> None:
    original = "{% if %}Hi{% endif %}"
    m = mask(original)
    assert m.text == "Hi"
    assert original[slice(*m.offsets.span_to_original(0, 2))] == "Hi"


def test_positions_past_the_last_segment_are_linear() -> None:
    m = OffsetMap()
    m.add(0, 0, 2, 6)
    assert m.to_original(2) == 6
    assert m.to_original(5) == 9


# --------------------------------------------------------------------------------------------
# LineIndex
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_index(nl: str) -> None:
    text = f"ab{nl}{nl}c😀d{nl}e"
    index = LineIndex(text)
    assert index.position(0) == (1, 1)
    assert index.position(2) == (1, 3)  # the line break itself belongs to line 1
    c = text.index("c")
    assert index.position(c) == (3, 1)
    assert index.position(text.index("d")) == (3, 3)  # the emoji is one column
    assert index.position(len(text)) == (4, 2)  # the end of the text
    for offset in range(len(text) + 1):
        line, column = index.position(offset)
        if nl == "\r\n" and offset > 0 and text[offset - 1] == "\r":
            continue  # between \r and \n: not a position a finding can have
        assert index.offset(line, column) == offset


def test_line_index_mixed_endings() -> None:
    text = "a\r\nb\rc\nd"
    index = LineIndex(text)
    assert [index.position(text.index(ch)) for ch in "abcd"] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert index.starts == [0, 3, 5, 7]


def test_line_index_only_splits_on_cr_and_lf() -> None:
    text = "a\u2028b\x0cc"
    assert LineIndex(text).position(len(text) - 1) == (1, 5)


# --------------------------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------------------------


def test_mask_name_placeholder() -> None:
    original = "Hi {{ticket.requester.first_name}}, it's fine"
    m = mask(original)
    assert m.text == "Hi Alex, it's fine"
    assert m.placeholders == ((3, 7),)
    assert m.in_placeholder(3, 7) and not m.in_placeholder(2, 7)
    assert original[slice(*m.offsets.span_to_original(3, 7))] == "{{ticket.requester.first_name}}"
    start = m.text.index("it's")
    assert original[slice(*m.offsets.span_to_original(start, len(m.text)))] == "it's fine"
    for i, ch in enumerate(m.text):
        if not m.in_placeholder(i, i + 1):
            assert original[m.offsets.to_original(i)] == ch


def test_mask_keeps_lengths_for_curly_quotes() -> None:
    original = "It’s “fine”, {{order.id}} isn’t late"
    m = mask(original)
    assert m.text == f"It's \"fine\", {VALUE_WORD} isn't late"
    start = m.text.index("isn't")
    assert original[slice(*m.offsets.span_to_original(start, start + 5))] == "isn’t"


@pytest.mark.parametrize(
    ("placeholder", "word"),
    [
        ("{{ticket.requester.first_name}}", NAME_WORD),
        ("{{customer.name}}", NAME_WORD),
        ("{%customer.firstName%}", NAME_WORD),
        ("{%customer.firstName,fallback=there%}", NAME_WORD),
        ("[Customer Name]", NAME_WORD),
        ("%NAME%", NAME_WORD),
        ("{{order.id}}", VALUE_WORD),
        ("{{ticket.url}}", VALUE_WORD),
        ("[[MISSING TOKEN]]", VALUE_WORD),
        ("<ORDER NUMBER>", VALUE_WORD),
        ("<PROJECT NAME>", VALUE_WORD),
        ("[AMOUNT]", VALUE_WORD),
        ("XXXX", VALUE_WORD),
        ("{% if vip %}", ""),
        ("[Product Name]", VALUE_WORD),
    ],
)
def test_placeholder_kinds(placeholder: str, word: str) -> None:
    original = f"Thanks {placeholder} here"
    m = mask(original)
    assert m.text == f"Thanks {word} here"
    start = len("Thanks ")
    if word:
        assert original[slice(*m.offsets.span_to_original(start, start + len(word)))] == placeholder
    after = m.text.index("here")
    assert original[slice(*m.offsets.span_to_original(after, after + 4))] == "here"


def test_text_without_placeholders_is_unchanged() -> None:
    original = "Nope. [see the link](https://x.y) 50% off"
    m = mask(original)
    assert m.text == original
    assert m.placeholders == ()
    assert m.offsets.span_to_original(0, len(original)) == (0, len(original))


@pytest.mark.parametrize(
    "hidden", ["{{nope}}", "[Nope]", "%NOPE%", "{{ we can't refund that }}", "{% if nope %}"]
)
def test_refusal_inside_a_placeholder_never_fires(linter, hidden: str) -> None:  # type: ignore[no-untyped-def]
    bare = re.sub(r"[{}%\[\]]", "", hidden).replace(" if ", " ").strip()
    assert linter.check(f"{bare.capitalize()}.").findings, "control: the bare words must fire"
    text = f"Hi Sam,\n\n{hidden}.\n"
    report = linter.check(text)
    assert report.findings == [], [(f.rule, f.excerpt) for f in report.findings]


def test_finding_spanning_a_placeholder_covers_it_whole(linter) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Sam,\n\nYour parcel {{order.id}} was delayed at the depot. It arrives Friday."
    (f,) = [f for f in linter.check(text).findings if f.rule == "no-acknowledgement"]
    assert f.excerpt == "Your parcel {{order.id}} was delayed at the depot."
    assert text[f.start : f.end] == f.excerpt
    assert (f.line, f.column) == (3, 1)


def test_finding_after_a_name_placeholder(linter) -> None:  # type: ignore[no-untyped-def]
    text = "Hi {{ticket.requester.first_name}},\n\nNope.\n"
    report = linter.check(text)
    (f,) = [f for f in report.findings if f.rule == "terse-refusal"]
    assert (f.excerpt, f.start, f.line, f.column, f.end_column) == ("Nope.", 37, 3, 1, 6)
    assert "{{ticket.requester.first_name}}" in report.rewritten()


def test_finding_before_a_template_tag_stops_before_it(linter) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Sam,\n\nNope.{% endif %}\n"
    report = linter.check(text)
    (f,) = [f for f in report.findings if f.rule == "terse-refusal"]
    assert f.excerpt == "Nope."
    assert all(s.end <= text.index("{%") for s in f.suggestions)
    assert "{% endif %}" in report.rewritten()


def test_suggestions_keep_placeholders_not_mask_words(linter) -> None:  # type: ignore[no-untyped-def]
    text = "Hi Sam,\n\nYour order {{order.id}} was delayed at the depot. It arrives Friday."
    report = linter.check(text)
    replacements = [s.replacement for f in report.findings for s in f.suggestions]
    assert replacements
    assert not any(VALUE_WORD in r for r in replacements), replacements


def test_the_first_character_guard_changes_no_placeholder_match() -> None:
    """The built-in patterns run behind a guard on their first character (placeholders.py):
    the same matches, of the same kinds, as without it, on every evaluation draft and on
    text full of placeholders and near misses."""
    import re

    from replylint.placeholders import BUILTIN_FIRST, BUILTIN_PATTERNS, compile_patterns
    from tests.engine.test_tiers import _drafts

    for pattern, _ in BUILTIN_PATTERNS:  # each starts with one of the guard's characters
        first = re.sub(r"^(\\b|\\)", "", pattern)[0]
        assert first in BUILTIN_FIRST, pattern
    extra = [r"\$\{\w+\}", r"@@\w+@@"]
    near = (
        "Hi {{ticket.requester.first_name}}, {%customer.firstName,fallback=there%} {% if x %}"
        "[Customer Name] [see](https://x.y) <PROJECT NAME> <b>bold</b> %NAME% 50% off XXXX "
        'XXXXx xXXX [[MISSING]] {single} [lower case] <attribute name="x"/> ${order} @@id@@ '
        "{%-  trim -%} {{ open < [A] X XX %20 %Ab.c% [Ab](x) ‘quoted’ ”"
    )
    texts = [d.text for d in _drafts()] + [near, near.replace(" ", "\n"), near * 3]
    for extras in ((), extra):
        guarded = compile_patterns(extras)
        plain = compile_patterns(extras, guarded=False)
        assert guarded.pattern != plain.pattern
        found = 0
        for text in texts:
            ours = [(m.span(), m.lastgroup) for m in guarded.finditer(text)]
            assert ours == [(m.span(), m.lastgroup) for m in plain.finditer(text)], text
            found += len(ours)
        assert found > 40
