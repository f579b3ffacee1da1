"""Regex needles (engine/matches.py): what every match of a rule's regex must hold, so that a
sentence or draft without it is not searched. A needle that a match could lack would lose a
finding: these tests check the needles against the regex package itself."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from replylint import Linter
from replylint.config import Config
from replylint.engine.compiled import compiled_for
from replylint.engine.searches import DIGIT, _holds, _holds_lowered, needles
from replylint.nlp import load_pipeline
from replylint.rulebook import budgeted, load_rulebook
from tests.rules.test_rulebook import VALID

ROOT = Path(__file__).resolve().parents[2]


def _sentences() -> list[str]:
    """Sentences of the shipped examples and the eval corpus, and a few made to match."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/corpus").glob("*"))]
    texts += [
        "It'll be with you by Friday 3rd, or 12/3 at 9:30 am.",
        "Unfortunately, we don't ship there. I'm afraid we can't.",
        "Your refund has been processed. Is that right?",
        "I'll call you tomorrow to make sure it worked. See issue #12.",
        "ＫＥＹ İstanbul ſtill KEY",  # letters that match ASCII ones ignoring case
        "Within 2-3 business days, in 48 hours, after a few weeks.",
    ]
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+|\n", t) if s.strip()]


def test_every_match_of_a_shipped_regex_holds_its_needles() -> None:
    book = load_rulebook()
    compiled = compiled_for(load_pipeline(), book)
    assert compiled.regexes, "the shipped rules have regexes"
    sentences = _sentences()
    checked = 0
    for patterns in compiled.regexes.values():
        for pattern in patterns:
            wanted = compiled.searches.needles[pattern]
            for sentence in sentences:
                if pattern.search(sentence):
                    checked += 1
                    assert not wanted or _holds_lowered(sentence, wanted), (
                        pattern.pattern,
                        sentence,
                    )
    assert checked > 50  # the sentences do exercise the regexes


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\bcolou?r\b", (("colo",), ("r",))),
        (r"\b(?:refund|credit)\b", (("credit", "refund"),)),
        (r"\b\d{1,2}(?:st|nd|rd|th)\b", ((DIGIT,), ("nd", "rd", "st", "th"))),
        (r"\bas (?:if|when)?\b", (("as ",),)),  # an optional group holds nothing for sure
        (r"x*", None),
        # a repeated letter carries on the run by its fewest copies, ending it unless exact
        (r"\b(?:oh+|uh+)\W{0,2}\s*no{2,}\b", (("noo",), ("oh", "uh"))),
        (r"ab{2}c", (("abbc",),)),
        (r"a{0,3}b", (("b",),)),
    ],
)
def test_needles_of_a_regex(source: str, expected: object) -> None:
    assert needles(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "(?:foo){e<=1}",  # a fuzzy match of the regex package: 'fou' matches
        "[[:alpha:]]+x",  # a POSIX class of the regex package: re reads a set and a ']'
        r"\p{L}+ok",  # the regex package's syntax alone
        r"a\{2\}",  # a brace, escaped or not: no needles (the fuzzy case above)
    ],
)
def test_no_needles_where_re_and_regex_read_differently(source: str) -> None:
    assert needles(source) is None


def test_fuzzy_regex_still_matches() -> None:
    assert budgeted("(?:refund){e<=1}", re.IGNORECASE).search("a refind please")
    assert needles("(?:refund){e<=1}") is None


def test_letters_matching_ascii_ignoring_case_are_searched() -> None:
    """The long s matches 's' ignoring case: a text holding one is searched, needles or not."""
    pattern = budgeted(r"\bso\b", re.IGNORECASE)
    text = "\u017fo then"
    assert pattern.search(text)
    wanted = needles(r"\bso\b")
    assert wanted == (("so",),)
    assert not _holds(text.lower(), wanted)  # lower() alone would have passed it over
    assert _holds_lowered(text, wanted)


def test_a_rule_regex_finds_across_the_prefilter(tmp_path: Path) -> None:
    """A user's rule with a regex: found where its needles are, and where a letter matches an
    ASCII one ignoring case only (the long s)."""
    data = copy.deepcopy(VALID)
    data["match"] = {"regex": [r"\bso sorry\b"]}
    (tmp_path / "my-rule.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    linter = Linter(Config(rules_dir=(str(tmp_path),), select=("my-rule",)))
    assert [f.excerpt for f in linter.check("I am so sorry. Thanks.").findings] == ["so sorry"]
    long_s = "I am \u017fo \u017forry. Thanks."
    assert [f.excerpt for f in linter.check(long_s).findings] == ["\u017fo \u017forry"]
    assert linter.check("I am sorry.").findings == []


def test_sentences_holding_needles_are_those_each_sentence_holds() -> None:
    """The sentences a draft's :class:`Matches` searches for a regex (its needles looked up as
    runs of letters in a set, the others searched for in the whole lowered draft) are those
    each sentence holds the needles of: none across the space between two sentences."""
    import random
    from types import SimpleNamespace

    from replylint.engine.matches import Matches
    from replylint.engine.searches import Searches, _lower

    searches = Searches()
    sources = [r"a", r"ab|b a", r"a b.*ba", r"\d.*b", r"(?:cab|abc)d", r"it's a", r"ab+a", r"ba"]
    patterns = [re.compile(source) for source in sources]
    for pattern in patterns:
        searches.add(pattern, "test", pattern.pattern)
    rng = random.Random(7)
    alphabet = "abcd ,'its\x00\x011"
    for _ in range(500):
        sents = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in "xyz"]
        matches = Matches.__new__(Matches)
        matches.compiled = SimpleNamespace(searches=searches)  # type: ignore[assignment]
        matches.sent_texts = sents
        matches._regex_sentences = {}
        matches._held_other = {}
        for pattern in patterns:
            wanted = searches.needles[pattern]
            assert wanted, pattern.pattern
            expected = [i for i, s in enumerate(sents) if _holds(_lower(s), wanted)]
            got = matches._sentences_for(pattern, wanted)
            assert list(got) == expected, (sents, pattern.pattern)
