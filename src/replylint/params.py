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


class Soften(Params):
    deletable: list[str] = Field(
        description="regular expressions: a match that is one of these in full is deleted"
    )


@dataclass(frozen=True)
class Kind:
    """A check or builder as a rule sees it: its parameters and the signals it reads."""

    params: type[Params]
    signals: tuple[str, ...] = ()


CHECK_KINDS: dict[str, Kind] = {
    "terse-refusal": Kind(TerseRefusal),
    "self-story": Kind(SelfStory),
    "missing-greeting": Kind(NoParams),
    "we-focus": Kind(WeFocus),
}

# detectors a match spec names in ``checks:`` (replylint.checks.DETECTORS): no parameters, the
# signals they read
DETECTOR_KINDS: dict[str, Kind] = {
    "restates-issue": Kind(NoParams, ("acknowledgement",)),
}

# the customer's complaint reads "complaint" and "problem" in the customer's message, the
# reply's own issue "problem" in the draft
_COMPLAINT = ("complaint", "problem")
BUILDER_KINDS: dict[str, Kind] = {
    "acknowledge": Kind(NoParams, _COMPLAINT),
    "paraphrase": Kind(NoParams, (*_COMPLAINT, "acknowledgement")),
    "drop-sentence": Kind(DropSentence),
    "policy-benefit": Kind(PolicyBenefit, ("refusal",)),
    "specific-apology": Kind(NoParams, _COMPLAINT),
    "soften": Kind(Soften),
    "greeting": Kind(NoParams),
}


def kinds_of(rule: Rule) -> list[tuple[str, str, Kind]]:
    """The check and builder ``rule`` names, as ``(what, name, kind)`` ("check" or "builder"),
    among the registered ones (the rule book refuses others)."""
    out: list[tuple[str, str, Kind]] = []
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
