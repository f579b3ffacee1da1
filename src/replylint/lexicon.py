"""The lexicon: the word lists Python code uses (greetings, sign-offs, problem nouns …),
kept as data in ``rules/_lexicon.yaml`` next to the rules and validated like them.

Loaded once per process (the shipped file only: a ``rules-dir`` adds rules and signals, not
words) by the rule book when it loads, and by the code that reads it. Imports no spaCy.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .ruledata import expand_phrase, read_yaml, rules_dir, validated

LEXICON_FILE = "_lexicon.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Greeting(_Strict):
    salutations: list[str]
    thanks: list[str]


class Script(_Strict):
    """A script other than Latin: its letters (code point ranges) and what it says alone."""

    code: str = Field(pattern=r"^([a-z]{2}|und)$")
    ranges: list[str] = Field(min_length=1)
    spaced: bool = True  # False: no spaces between words (each letter counts as one)

    @field_validator("ranges")
    @classmethod
    def _ranges(cls, value: list[str]) -> list[str]:
        for item in value:
            low, _, high = item.partition("-")
            try:
                if int(low, 16) > int(high or low, 16):
                    raise ValueError
            except ValueError:
                raise ValueError(f"{item!r} is not a range of hexadecimal code points") from None
        return value

    def spans(self) -> list[tuple[int, int]]:
        """The ranges as ``(first, last)`` code points."""
        out = []
        for item in self.ranges:
            low, _, high = item.partition("-")
            out.append((int(low, 16), int(high or low, 16)))
        return out


class Language(_Strict):
    """A language's most frequent function words and the letters only it uses (of these)."""

    script: str
    words: frozenset[str] = frozenset()
    letters: str = ""


class Languages(_Strict):
    scripts: dict[str, Script]
    languages: dict[str, Language]

    @model_validator(mode="after")
    def _known(self) -> Languages:
        if "en" not in self.languages or self.languages["en"].script != "latin":
            raise ValueError("languages: 'en' (script latin) is required")
        for code, lang in self.languages.items():
            if not re.fullmatch(r"[a-z]{2}", code):
                raise ValueError(f"languages: {code!r} is not an ISO 639-1 code")
            if lang.script != "latin" and lang.script not in self.scripts:
                raise ValueError(f"languages.{code}.script: unknown script {lang.script!r}")
        return self


class Restatement(_Strict):
    shared: int
    own: int
    not_content: frozenset[str]


class GateWords(_Strict):
    """The suggestion gate's word lists (rewrite/gate/static.py), lower case."""

    profanity: frozenset[str]
    interjections: frozenset[str]
    after_sorry: frozenset[str]


class Lexicon(_Strict):
    greeting: Greeting
    sign_offs: list[str]
    second_person: frozenset[str]
    problem_nouns: frozenset[str]
    softeners: list[str]
    language: Languages
    restatement: Restatement
    gate: GateWords


def alternation(phrases: list[str]) -> str:
    """A regular expression (a non-capturing group) matching any of ``phrases``, expanded, in
    their order; a space between words matches any white space."""
    words = [p.split() for phrase in phrases for p in expand_phrase(phrase)]
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in p) for p in words) + ")"


def words(phrases: list[str]) -> set[str]:
    """The one-word phrases of ``phrases``, expanded."""
    return {p for phrase in phrases for p in expand_phrase(phrase) if " " not in p}


@cache
def load_lexicon() -> Lexicon:
    """The shipped lexicon (a :class:`~replylint.rulebook.RuleBookError` if it is invalid)."""
    path = rules_dir() / LEXICON_FILE
    return validated(Lexicon, path, read_yaml(path))
