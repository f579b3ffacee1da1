"""Bounded cost (issue 17): what a draft or a repository's rules and configuration can make the
engine do. Sizes past spaCy's max_length, empty drafts, runs of punctuation, work that grew
with the square of a draft's length, and regexes or phrase groups that could hang a run.

These tests count work or check results, never time it (benchmarks/size_scaling.py times).
"""

from __future__ import annotations

import bisect
import copy
import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from replylint import Linter
from replylint.cli import main
from replylint.config import Config
from replylint.engine.hits import Hit, Windows, merge
from replylint.engine.limits import DraftTooLarge
from replylint.placeholders import RUN_KEEP, compile_patterns, mask
from replylint.rulebook import RuleBookError, catastrophic, load_rulebook
from tests.rules.test_rulebook import VALID

ROOT = Path(__file__).resolve().parents[2]
CUSTOMER = "My order is late and nobody has told me why. I was charged twice for it."

RULE: dict[str, Any] = VALID  # a valid rule file, as tests/rules/test_rulebook.py writes them


def _rule(folder: Path, **match: Any) -> Path:
    data = copy.deepcopy(RULE)
    data["match"] = match
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my-rule.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output + result.stderr
    return result


def _errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _body(sentences: int) -> str:
    """A long reply of real corpus sentences, several findings among them."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from make_corpus import drafts
    finally:
        sys.path.pop(0)
    out: list[str] = []
    count = 0
    for text in drafts(10 * sentences):
        out.append(text)
        count += text.count(". ") + 1
        if count >= sentences:
            break
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# empty drafts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "  \n ", "\n\n", "\t"])
@pytest.mark.parametrize("customer", [None, CUSTOMER, ""])
def test_empty_and_blank_drafts_have_no_findings(
    linter: Linter, text: str, customer: str | None
) -> None:
    report = linter.check(text, customer=customer)  # raised IndexError with a customer
    assert report.findings == []
    assert report.text == text


def test_many_empty_drafts_in_one_batch(linter: Linter) -> None:
    reports = linter.check_many([("", CUSTOMER), "Nope.", (" ", CUSTOMER), ("", None)])
    assert [len(r.findings) > 0 for r in reports] == [False, True, False, False]


# --------------------------------------------------------------------------------------------
# size: past spaCy's max_length, and replylint's own limit
# --------------------------------------------------------------------------------------------


def test_draft_longer_than_spacys_max_length_is_linted_exactly(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """spaCy refuses texts over nlp.max_length (1,000,000 by default): lowered here so the
    test stays small; replylint tokenizes past it and parses sentence by sentence."""
    nlp = linter.nlp
    text = "Hi Sam,\n\n" + "Your parcel left our depot this morning. " * 200 + "\n\nNope.\n"
    monkeypatch.setattr(nlp, "max_length", len(text) // 4)
    findings = [f for f in linter.check(text).findings if f.rule == "terse-refusal"]
    assert [(f.start, f.excerpt) for f in findings] == [(text.index("Nope."), "Nope.")]


def test_draft_over_the_limit_raises_a_one_line_error() -> None:
    small = Linter(Config(max_draft_chars=100))
    with pytest.raises(DraftTooLarge) as info:
        small.check("Nope. " * 40)
    assert "\n" not in str(info.value)
    assert "240 characters, over the limit of 100 (max-draft-chars)" in str(info.value)
    with pytest.raises(DraftTooLarge, match="customer message"):
        small.check("Nope.", customer="x" * 101)
    assert small.check("Nope.").findings  # under the limit: linted as ever


def test_zero_is_no_limit() -> None:
    assert Linter(Config(max_draft_chars=0)).check("Nope. " * 40).findings


def test_cli_reports_a_too_large_draft_and_lints_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "big.txt").write_text("Hi Sam,\n\n" + "Nope. " * 100, encoding="utf-8")
    (folder / "small.txt").write_text("Nope.\n", encoding="utf-8")
    (folder / "macros.json").write_text(
        json.dumps({"short one": "Nope.", "long one": "No. " * 200}), encoding="utf-8"
    )
    args = ["check", str(tmp_path / "d"), "--format", "json", "--max-draft-chars", "500"]
    cached = ["--cache-dir", str(tmp_path / "c")]
    for extra in (["--no-cache"], cached, cached):  # the last answered from the cache
        result = _run(*args, *extra)
        assert result.exit_code == 2
        errors = _errors(result.stderr)
        assert len(errors) == 2, errors
        big = next(e for e in errors if "big.txt" in e)
        assert "the draft has 609 characters, over the limit of 500 (max-draft-chars)" in big
        macros = next(e for e in errors if "macros.json" in e)
        assert "draft 'long one' has 800 characters" in macros
        files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
        assert files["big.txt"]["findings"] == []
        assert {f["draft"] for f in files["macros.json"]["findings"]} == {"short one"}
        assert files["small.txt"]["findings"]


def test_limit_from_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Nope. " * 100, encoding="utf-8")
    config = tmp_path / ".replylint.toml"
    config.write_text("max-draft-chars = 100\n", encoding="utf-8")
    result = _run("check", str(tmp_path / "big.txt"), "--config", str(config), "--no-cache")
    assert result.exit_code == 2
    assert "over the limit of 100 (max-draft-chars)" in result.stderr
    config.write_text("max-draft-chars = -1\n", encoding="utf-8")
    result = _run("check", str(tmp_path / "big.txt"), "--config", str(config), "--no-cache")
    assert result.exit_code == 2
    [line] = _errors(result.stderr)
    assert "max-draft-chars" in line and ".replylint.toml" in line


# --------------------------------------------------------------------------------------------
# runs the tokenizer handles in quadratic time
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("run", ["?!" * 4000, "😀" * 3000, "." * 10_000, "(-)" * 500])
def test_long_runs_are_cut_for_the_parser_with_an_exact_offset_map(run: str) -> None:
    draft = "Hi Sam,\n\n" + run + " Nope."
    masked = mask(draft)
    assert len(masked.text) == len(draft) - len(run) + 2 * RUN_KEEP
    cut = masked.text.index("Nope.")
    assert masked.offsets.span_to_original(cut, cut + 5) == (draft.index("Nope."), len(draft))
    # the run's ends are kept, its middle maps to nothing
    start = draft.index(run)
    assert masked.text[start : start + RUN_KEEP] == run[:RUN_KEEP]
    assert masked.offsets.span_to_original(start, start + 2 * RUN_KEEP) == (start, start + len(run))


def test_short_runs_are_untouched() -> None:
    draft = "Wait... what?!?! " + "-" * (2 * RUN_KEEP) + " ok"
    assert mask(draft).text == draft


def test_findings_after_a_long_run_point_at_the_original(linter: Linter) -> None:
    text = "Hi Sam,\n\n" + "?!" * 4000 + "\n\nNope.\n"
    [finding] = [f for f in linter.check(text).findings if f.rule == "terse-refusal"]
    assert (finding.start, finding.excerpt, finding.line) == (text.index("Nope."), "Nope.", 5)


def test_a_run_without_sentence_ends_is_cut_into_bounded_sentences(linter: Linter) -> None:
    from replylint.nlp import MAX_SENTENCE_TOKENS, segment

    doc = segment(linter.nlp.tokenizer("so and " * 3000))
    lengths = [b - a for a, b in doc.user_data["sents"]]
    assert max(lengths) <= MAX_SENTENCE_TOKENS and sum(lengths) == len(doc)


# --------------------------------------------------------------------------------------------
# work that grew with the square of a draft's length: counted, not timed
# --------------------------------------------------------------------------------------------


class _Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from replylint import rewrite
        from replylint.engine.batch import Engine
        from replylint.engine.context import DocContext

        self.calls = {"rounds": 0, "suggest": 0, "parsed_span": 0}
        real_parse, real_suggest = Engine._parse, rewrite.suggest
        real_span = DocContext.parsed_span

        def parse(this: Any, wanted: Any) -> None:
            self.calls["rounds"] += 1
            real_parse(this, wanted)

        def suggest(*args: Any) -> Any:
            self.calls["suggest"] += 1
            return real_suggest(*args)

        def parsed_span(this: Any, *args: Any) -> Any:
            self.calls["parsed_span"] += 1
            return real_span(this, *args)

        monkeypatch.setattr(Engine, "_parse", parse)
        monkeypatch.setattr(rewrite, "suggest", suggest)
        monkeypatch.setattr(DocContext, "parsed_span", parsed_span)


def test_work_per_finding_does_not_grow_with_the_draft(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = _Counter(monkeypatch)
    counts = []
    for n in (150, 600):
        counter.calls = dict.fromkeys(counter.calls, 0)
        report = linter.check(_body(n), customer=CUSTOMER)
        counts.append((len(report.findings), dict(counter.calls)))
    (few, small), (many, large) = counts
    assert many > 2 * few > 0
    # parse rounds: a handful, however many findings (it was one round per finding or so)
    assert large["rounds"] <= 12, counts
    # each finding's suggestion is made once (every round redid every earlier one)
    assert large["suggest"] <= 2 * many, counts
    # the issue a rewrite names is found once per draft, not by reading every hit per finding
    assert large["parsed_span"] <= 4 * many + small["parsed_span"], counts


SHAPES = {
    "apologies": "Sorry for any inconvenience this may have caused. The delay with your order "
    "was our mistake. ",
    "policy": "Unfortunately it's our policy that we can't refund opened items, so I'm unable "
    "to process a return. ",
    "condescending": "Obviously, as I already explained, you need to restart the router. ",
    "blame": "You should have read the terms. That's not our department, contact the courier. ",
    "story": "I had a terrible week, my cat was sick yesterday. Me too, I hate that. ",
    "terse": "Nope. No. Can't. Not possible. ",
}


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("customer", [None, CUSTOMER])
def test_work_grows_linearly_with_repeated_findings(
    linter: Linter, monkeypatch: pytest.MonkeyPatch, shape: str, customer: str | None
) -> None:
    """The same paragraph 40 and 160 times: the Python-level work (calls of the functions a
    quadratic spot ran through: suggestions, parse rounds, the issue's candidate sentences,
    window tests) grows about 4 times, not 16."""
    from replylint import rewrite
    from replylint.engine.batch import Engine
    from replylint.engine.context import DocContext
    from replylint.rewrite import issue

    counts = {"calls": 0}

    def counting(owner: Any, name: str) -> None:
        real = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts["calls"] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    for owner, name in [
        (rewrite, "suggest"),
        (issue, "_askable"),
        (issue, "_issue_at"),
        (Engine, "_parse"),
        (DocContext, "parsed_span"),
        (DocContext, "sentence_span"),
        (Windows, "near"),
    ]:
        counting(owner, name)
    work = []
    for times in (40, 160):
        counts["calls"] = 0
        findings = linter.check("Hi Sam,\n\n" + SHAPES[shape] * times, customer=customer).findings
        work.append((len(findings), counts["calls"]))
    (few, small), (many, large) = work
    assert many >= 3 * few > 0
    assert large <= 5 * small, work


def _old_windows(
    spans: list[tuple[int, int]], sents: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The windows as they were found before: each span cut at sentences, pieces merged."""
    starts = [a for a, _ in sents]
    pieces = []
    for a, b in spans:
        k = bisect.bisect_right(starts, a) - 1
        while k < len(sents) and sents[k][0] < b:
            pieces.append((max(a, sents[k][0]), min(b, sents[k][1])))
            k += 1
    out: list[tuple[int, int]] = []
    for a, b in sorted(pieces):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def test_unbounded_word_patterns_are_matched_within_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's pattern with ``*`` kept a partial match open from every anchor to the end of
    a long draft (quadratic in spaCy's Matcher): it is matched sentence by sentence."""
    from spacy.matcher import Matcher

    from replylint.nlp import MAX_SENTENCE_TOKENS

    _rule(tmp_path, patterns=[[{"LOWER": "sorry"}, {"OP": "*"}, {"LOWER": "policy"}]])
    linter = Linter(Config(rules_dir=(str(tmp_path),), select=("my-rule",)))
    check = linter.check
    assert [f.excerpt for f in check("Sorry, but it's our policy.").findings] == [
        "Sorry, but it's our policy"
    ]
    assert check("Sorry. It's our policy.").findings == []  # not across sentences
    scanned: list[int] = []
    matchers = linter._engine.compiled.matcher.matchers
    real: Matcher = matchers["rule:my-rule/match"]

    def spy(doclike: Any) -> Any:
        scanned.append(len(doclike))  # the tokens each Matcher call scans
        return real(doclike)

    monkeypatch.setitem(matchers, "rule:my-rule/match", spy)
    text = "sorry and then some more words " * 2000 + "sorry about our policy."  # one run
    [finding] = check(text).findings
    assert finding.excerpt.startswith("sorry") and finding.excerpt.endswith("our policy")
    assert scanned and max(scanned) <= MAX_SENTENCE_TOKENS + 1


def test_matcher_windows_are_the_same_and_few(linter: Linter) -> None:
    from replylint.matching import AnchoredMatcher

    matcher = AnchoredMatcher(linter.nlp.vocab, within_sentence=True)
    rng = random.Random(17)
    for _ in range(300):
        n = rng.randint(1, 60)
        cuts = sorted(rng.sample(range(1, n), rng.randint(0, min(8, n - 1)))) if n > 1 else []
        bounds = [0, *cuts, n]
        sents = list(itertools.pairwise(bounds))
        spans = []
        for _ in range(rng.randint(1, 12)):
            a = rng.randint(0, n - 1)
            spans.append((a, rng.randint(a + 1, n)))
        assert matcher._clip(spans, sents, bounds[:-1]) == _old_windows(spans, sents)
    # a '*' pattern's windows reach over the whole draft from each anchor: one per sentence
    sents = [(i, i + 10) for i in range(0, 1000, 10)]
    windows = matcher._clip([(0, 1000)] * 2000, sents, [a for a, _ in sents])
    assert windows == sents


def test_unless_windows_index_answers_as_a_scan(linter: Linter) -> None:
    def scan(window: str, hit: Hit, others: list[Hit]) -> bool:
        for o in others:
            if window == "overlap" and o.start < hit.end and hit.start < o.end:
                return True
            if window == "sentence" and o.sent == hit.sent:
                return True
            if window == "sentence+next" and o.sent in (hit.sent, hit.sent + 1):
                return True
            if window == "sentence+previous" and o.sent in (hit.sent - 1, hit.sent):
                return True
            if window == "document":
                return True
        return False

    rng = random.Random(3)
    for _ in range(300):

        def hit() -> Hit:
            a = rng.randint(0, 80)
            b = a + rng.randint(0, 6)
            return Hit(a, b, a // 10)

        others = merge([hit() for _ in range(rng.randint(0, 8))])
        index = Windows(others)
        for _ in range(10):
            h = hit()
            for window in ("overlap", "sentence", "sentence+next", "sentence+previous", "document"):
                assert index.near(window, h) == scan(window, h, others), (window, h, others)


def test_in_placeholder_answers_as_a_scan() -> None:
    draft = "Hi {{first_name}}, your [ORDER ID] and %CODE% and {{x}}{{y}} ok"
    masked = mask(draft)
    assert len(masked.placeholders) == 5
    n = len(masked.text)
    for start in range(n + 1):
        for end in range(start, n + 1):
            expected = any(ps <= start and end <= pe for ps, pe in masked.placeholders)
            assert masked.in_placeholder(start, end) == expected


# --------------------------------------------------------------------------------------------
# a repository's rules and configuration cannot hang the run
# --------------------------------------------------------------------------------------------


def test_phrase_alternatives_are_capped_at_load(tmp_path: Path) -> None:
    bomb = " ".join("(" + "|".join(f"w{g}x{k}" for k in range(10)) + ")" for g in range(20))
    path = _rule(tmp_path, phrases=[bomb])
    with pytest.raises(RuleBookError) as info:
        load_rulebook(extra_dirs=(tmp_path,))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path.resolve()}: match.phrases: ")
    assert "expands to 100,000,000,000,000,000,000 phrases, over the limit of 20,000" in message


def test_many_phrases_are_capped_in_all(tmp_path: Path) -> None:
    phrase = (
        "("
        + "|".join(f"a{k}" for k in range(100))
        + ") ("
        + "|".join(f"b{k}" for k in range(100))
        + ")"
    )
    _rule(tmp_path, phrases=[phrase + f" c{i}" for i in range(11)])
    with pytest.raises(RuleBookError, match=r"match\.phrases: the phrases expand to 110,000"):
        load_rulebook(extra_dirs=(tmp_path,))


@pytest.mark.parametrize("regex", ["(a+)+$", "(a|aa)*b", "^(\\w+\\s?)+$"])
def test_catastrophic_token_regex_is_refused_at_load(tmp_path: Path, regex: str) -> None:
    path = _rule(tmp_path, patterns=[[{"LOWER": "per"}, {"LOWER": {"REGEX": regex}}]])
    with pytest.raises(RuleBookError) as info:
        load_rulebook(extra_dirs=(tmp_path,))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path.resolve()}: match.patterns: REGEX {regex!r}")


def test_safe_token_regex_loads_and_runs(tmp_path: Path) -> None:
    _rule(tmp_path, patterns=[[{"LOWER": "per"}, {"LOWER": {"REGEX": "^polic(y|ies)$"}}]])
    config = Config(rules_dir=(str(tmp_path),), select=("my-rule",))
    assert [f.excerpt for f in Linter(config).check("Sorry, per policy.").findings] == [
        "per policy"
    ]


@pytest.mark.parametrize(
    ("pattern", "risky"),
    [
        ("(a+)+$", True),
        ("(x+x+)+y", True),
        ("(a*)*", True),
        ("(ab|cd)+", True),
        ("^[a-z]+$", False),
        ("colou?r", False),
        ("(?:foo)+bar", False),
        ("^(?:ok|okay)$", False),
        ("(?>a+)+", False),
    ],
)
def test_catastrophic(pattern: str, risky: bool) -> None:
    assert catastrophic(pattern) is risky


def test_shipped_rules_pass_the_cost_checks() -> None:
    book = load_rulebook()  # raises if a shipped phrase or pattern were over the limits
    assert len(book.rules) >= 18


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A real run, stopped if it hangs (the catastrophic patterns hung: these end in a second)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-c", "from replylint.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=90,
    )


@pytest.mark.slow  # CLI processes, a regex time budget
def test_catastrophic_rule_regex_ends_in_a_one_line_error(tmp_path: Path) -> None:
    path = _rule(tmp_path / "rules", regex=["(a|aa)+$"])
    (tmp_path / "draft.txt").write_text("a" * 60 + "b\n", encoding="utf-8")
    (tmp_path / ".replylint.toml").write_text('rules-dir = "rules"\n', encoding="utf-8")
    proc = _cli("check", "draft.txt", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    [line] = _errors(proc.stderr)
    assert "Traceback" not in proc.stderr
    assert str(path.resolve()) in line and "match.regex" in line
    assert "'(a|aa)+$' took over 0.25 s on one sentence" in line


@pytest.mark.slow  # CLI processes, a regex time budget
def test_nested_quantifier_rule_regex_ends_in_a_one_line_error(tmp_path: Path) -> None:
    """(a+)+$ backtracks exponentially in Python's re (it hung); the regex package is
    quadratic on it, and its budget ends the run on a long enough run of a's."""
    path = _rule(tmp_path / "rules", regex=["(a+)+$"])
    (tmp_path / "draft.txt").write_text("Nope. " + "a" * 50_000 + "b\n", encoding="utf-8")
    (tmp_path / ".replylint.toml").write_text('rules-dir = "rules"\n', encoding="utf-8")
    proc = _cli("check", "draft.txt", "--no-cache", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    [line] = _errors(proc.stderr)
    assert str(path.resolve()) in line and "'(a+)+$' took over 0.25 s" in line


@pytest.mark.slow  # CLI processes, a regex time budget
def test_catastrophic_placeholder_pattern_ends_in_a_one_line_error(tmp_path: Path) -> None:
    config = tmp_path / ".replylint.toml"
    config.write_text("placeholders = ['(a|aa)+$']\n", encoding="utf-8")
    (tmp_path / "draft.txt").write_text("Nope. " + "a" * 60 + "b\n", encoding="utf-8")
    proc = _cli("check", "draft.txt", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    [line] = _errors(proc.stderr)
    assert f"{config.resolve()}: placeholders" in line or f"{config}: placeholders" in line
    assert "the regular expression '(a|aa)+$' took over 0.25 s on one draft" in line


def test_configured_placeholders_still_mask(linter: Linter) -> None:
    pattern = compile_patterns(["@@[a-z]+@@"])
    masked = mask("Hi @@first@@, see {{ticket.id}}.", pattern)
    assert masked.text == "Hi Alex, see ITEM."
    assert masked.placeholders == ((3, 7), (13, 17))
