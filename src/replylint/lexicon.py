"""The lexicon: the word lists Python code uses (greetings, sign-offs, the perspective flip …),
kept as data in ``rules/_lexicon.yaml`` next to the rules and validated like them.

Loaded once per process (the shipped file only: a ``rules-dir`` adds rules and signals, not
words) by the rule book when it loads, and by the code that reads it. Imports no spaCy.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from .ruledata import expand_phrase, read_yaml, rules_dir, validated

LEXICON_FILE = "_lexicon.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Greeting(_Strict):
    salutations: list[str]
    thanks: list[str]


class Perspective(_Strict):
    first_person: dict[str, str]
    second_person_object: dict[str, str]
    verb_after_i: dict[str, str]
    discourse: frozenset[str]
    feelings: frozenset[str]


class Restatement(_Strict):
    shared: int
    own: int
    not_content: frozenset[str]


class Lexicon(_Strict):
    greeting: Greeting
    sign_offs: list[str]
    second_person: frozenset[str]
    perspective: Perspective
    problem_nouns: frozenset[str]
    softeners: list[str]
    restatement: Restatement


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
