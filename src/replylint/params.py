"""What a rule may name: the built-in checks and rewrite builders, described without their code.

A rule's ``check`` and ``rewrite.builder`` are names looked up here; each name comes with the
model of the ``params`` it takes (pydantic, ``extra="forbid"``) and the shared signals
(rules/_signals.yaml) its code reads. The rule book validates a rule against these when it
loads (a misspelled or mistyped parameter, an unknown name or a missing signal is an error
naming the file and the key), and the code (``replylint.checks``, ``replylint.rewrite``)
registers a function under each name and reads its parameters with :func:`params_of`.

This module imports pydantic only: the rule book imports it, and no code of the checks and
builders (which need spaCy's types).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from .models import Rule


class Params(BaseModel):
    """The parameters of a check or builder: what a rule's ``params`` may hold for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# -- checks -------------------------------------------------------------------------------------


class NoParams(Params):
    """Takes no parameters."""


class TerseRefusal(Params):
    max_words: int = Field(default=4, description="the most words the refusal may have")
    negative_starts: frozenset[str] = Field(
        description="a sentence fires when, after a greeting or name and strip words, its "
        "content starts with one of these words"
    )
    not_refusals: list[str] = Field(
        description="… unless it starts with one of these phrases ('no problem')"
    )
    strip_words: frozenset[str] = Field(
        description="words passed over around the content ('sorry', 'unfortunately')"
    )
    curt_openers: frozenset[str] = Field(
        default=frozenset(),
        description="a no ('nope') that fires when followed only by a short negated clause",
    )
    plain_openers: frozenset[str] = Field(
        default=frozenset(),
        description="a no ('no') that fires so only when the negated verb is in refused_verbs",
    )
    max_fact_words: int = Field(
        default=8, description="the most words the negated clause after the no may have"
    )
    refused_verbs: frozenset[str] = Field(
        default=frozenset(), description="verbs that refuse a service ('ship', 'refund')"
    )
    not_refused_verbs: frozenset[str] = Field(
        default=frozenset(),
        description="verbs whose negation is good news, not a refusal ('charge', 'need')",
    )
    closing_formulas: list[str] = Field(
        default=[],
        description="closing formulas that fire standing as a sentence ('(ticket|case) closed')",
    )
    answer_words: frozenset[str] = Field(
        default=frozenset(),
        description="a bare no of one of these words, followed in its sentence or the next by "
        "good news (signal good-news: 'Nope! Still just the $3.'), answers; it is no refusal",
    )

    @cached_property
    def openers(self) -> list[tuple[str, ...]]:
        """``not_refusals`` as word tuples."""
        return [tuple(p.split()) for p in self.not_refusals]


class SelfStory(Params):
    past_markers: list[str] = Field(
        description="phrases that put a sentence in the writer's past ('last week')"
    )
    work_nouns: frozenset[str] = Field(
        description="lemmas of nouns that are about the work, not the writer's life"
    )
    work_verbs: frozenset[str] = Field(
        description="lemmas of verbs that are about the work, not the writer's life"
    )

    @cached_property
    def markers(self) -> list[tuple[str, ...]]:
        """``past_markers`` as word tuples."""
        return [tuple(m.split()) for m in self.past_markers]


class WeFocus(Params):
    min_first: int = Field(description="the fewest first-person words that can fire")
    ratio: float = Field(description="how many times the second-person words they must exceed")
    first_person: frozenset[str] = Field(description="first-person words")
    second_person: frozenset[str] = Field(description="second-person words")


# -- gates (rule kind ``gate``: replylint/language.py) --------------------------------------------


class NotEnglish(Params):
    min_words: int = Field(
        default=4,
        ge=1,
        description="a draft with fewer words is never judged (too little evidence); in a "
        "script without spaces (Japanese, Chinese, Thai) each letter counts as a word",
    )
    script_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="the share of the letters in one script other than Latin that makes the "
        "draft that script's (lexicon `language.scripts`)",
    )
    min_share: float = Field(
        default=0.15,
        gt=0,
        le=1,
        description="the share of the words that must be another language's (its function "
        "words, or words with its own letters) to judge a Latin-script draft not English …",
    )
    margin: float = Field(
        default=1.0,
        gt=0,
        description="… and how many times the English function words they must outnumber",
    )
    unknown_words: int = Field(
        default=10,
        ge=1,
        description="a Latin-script draft of at least this many words, with almost no English "
        "function word (below `unknown_english`) and many accented words (`unknown_accented`), "
        "is not English, language unknown ('und')",
    )
    unknown_english: float = Field(default=0.05, ge=0, le=1, description="see unknown_words")
    unknown_accented: float = Field(default=0.2, ge=0, le=1, description="see unknown_words")


class NotProse(Params):
    code_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="the share of a draft's lines that are code, markup or template logic "
        "(a fenced block counts only when nothing else is written) that makes it not prose …",
    )
    min_code_lines: int = Field(default=2, ge=1, description="… with at least this many …")
    max_prose_words: int = Field(
        default=20, ge=0, description="… and at most this many words in its other lines"
    )
    internal_markers: list[str] = Field(
        description="a draft whose first line starts with one of these phrases is a note to "
        "colleagues, not a reply ('internal note')"
    )
    code_lines: list[str] = Field(
        description="regular expressions: a line one of them matches (searched) is code"
    )
    template_logic: list[str] = Field(
        description="regular expressions: template logic ({% if %}, {{#each}}); a line of "
        "logic and placeholders only is code"
    )
    symbol_share: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="a line whose characters (but spaces) are this much code symbols is code",
    )
    symbols: str = Field(description="the code symbols")


# -- builders -----------------------------------------------------------------------------------


class DropSentence(Params):
    replacement: str = Field(
        default="", description="a line about the customer offered in the sentence's place"
    )


class PolicyBenefit(Params):
    benefits: dict[str, list[str]] = Field(
        description="a benefit to lead with, by the words that select it (the first that "
        "matches the draft wins)"
    )
    default_benefit: str = Field(description="the benefit to lead with when none is selected")
    prohibiting_verbs: list[str] = Field(
        description="a policy match ending in one of these ('… doesn't allow') takes the rest "
        "of the sentence as what is refused"
    )


class CheckBack(Params):
    text: str = Field(description="the check-back put after the reply's last sentence")
    after_refusal: str = Field(
        description="the check-back where the reply refuses something (it promises nothing)"
    )
    after_diagnosis: str = Field(
        description="the check-back where the reply's only steps look at something (it fixes "
        "nothing yet)"
    )
    after_answer: str = Field(
        description="the check-back where the reply answers a question of no trouble (it fixes "
        "nothing)"
    )


class Soften(Params):
    deletable: list[str] = Field(
        description="regular expressions: a match that is one of these in full is deleted"
    )


@dataclass(frozen=True)
class Kind:
    """A check or builder as a rule sees it: its parameters and the signals it reads."""

    params: type[Params]
    signals: tuple[str, ...] = ()
    # a check that judges the whole draft (a count over it), not a sentence: the suggestion
    # gate re-lints the whole draft for its findings (rewrite/gate/)
    document: bool = False
    # a check that reads only the draft's first non-empty line (missing-greeting): the gate
    # re-lints that line for its findings
    first_line: bool = False


CHECK_KINDS: dict[str, Kind] = {
    "terse-refusal": Kind(TerseRefusal, ("good-news", "acknowledgement")),
    "self-story": Kind(SelfStory),
    "missing-greeting": Kind(NoParams, first_line=True),
    "we-focus": Kind(WeFocus, document=True),
}

# the built-in gates: evaluated before every other rule, without parsing (replylint/language.py)
GATE_KINDS: dict[str, Kind] = {
    "language": Kind(NotEnglish),
    "prose": Kind(NotProse),
}

# detectors a match spec names in ``checks:`` (replylint.checks.DETECTORS): no parameters, the
# signals they read
DETECTOR_KINDS: dict[str, Kind] = {
    "restates-issue": Kind(NoParams, ("acknowledgement",)),
    "quiet-turn": Kind(NoParams, ("complaint",)),
    "answer-turn": Kind(NoParams, ("complaint", "trouble")),
    "question-turn": Kind(NoParams, ("complaint", "trouble")),
    "plain-request": Kind(NoParams, ("complaint", "problem")),
    "calm-resolution": Kind(NoParams, ("complaint", "trouble", "felt-loss", "refusal")),
    "calm-report": Kind(NoParams),
    "calm-question": Kind(NoParams, ("bare-refusal",)),
    "quotes-customer": Kind(NoParams),
}

# the acknowledgement reads "complaint" and "problem" in the customer's message (is there trouble
# to name?), the reply's own issue "problem" in the draft
BUILDER_KINDS: dict[str, Kind] = {
    "acknowledge": Kind(NoParams, ("complaint", "problem")),
    "paraphrase": Kind(NoParams, ("acknowledgement",)),
    "drop-sentence": Kind(DropSentence),
    "policy-benefit": Kind(PolicyBenefit, ("refusal",)),
    "specific-apology": Kind(NoParams, ("problem", "acknowledgement")),
    "soften": Kind(Soften),
    "greeting": Kind(NoParams),
    "check-back": Kind(CheckBack, ("refusal",)),
}


def kinds_of(rule: Rule) -> list[tuple[str, str, Kind]]:
    """The check and builder ``rule`` names, as ``(what, name, kind)`` ("check", "builder" or
    for a gate rule "gate"), among the registered ones (the rule book refuses others)."""
    out: list[tuple[str, str, Kind]] = []
    if rule.kind == "gate":
        if rule.check is not None and rule.check in GATE_KINDS:
            out.append(("gate", rule.check, GATE_KINDS[rule.check]))
        return out
    if rule.check is not None and rule.check in CHECK_KINDS:
        out.append(("check", rule.check, CHECK_KINDS[rule.check]))
    builder = rule.rewrite.builder if rule.rewrite is not None else None
    if builder is not None and builder in BUILDER_KINDS:
        out.append(("builder", builder, BUILDER_KINDS[builder]))
    return out


P = TypeVar("P", bound=Params)
# a rule's params dict (kept alive here, so that its id is not reused) -> its typed params
_TYPED: dict[tuple[int, type[Params]], tuple[dict[str, Any], Params]] = {}


def params_of(rule: Rule, model: type[P]) -> P:
    """``rule``'s ``params`` as ``model``: the keys the model declares (a rule's check and its
    builder share ``params``), validated once per rule (the rule book validated them at load,
    so this does not fail for a loaded rule)."""
    key = (id(rule.params), model)
    found = _TYPED.get(key)
    if found is None or found[0] is not rule.params:
        mine = {k: v for k, v in rule.params.items() if k in model.model_fields}
        found = _TYPED[key] = (rule.params, model.model_validate(mine))
    typed = found[1]
    assert isinstance(typed, model)
    return typed
