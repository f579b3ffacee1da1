"""Rewrites: what a finding suggests, built from the parse and the draft's own words.

A rule's ``rewrite`` gives a template or names a builder, one module each here (their
parameters and the signals they read are declared in :mod:`replylint.params`). Builders use
the Doc: the reply's own issue (issue.py), a benefit-led policy clause that keeps the writer's
limitation. Never a clause of the customer's said back: blind reviews found it unsendable more
often than not (acknowledge.py, paraphrase.py).
Where content cannot be known they leave a visible ``<slot>``, which makes the suggestion
display-only (edit.py). To add a builder: a module here, its entry in :data:`BUILDERS`, its
description in ``params.BUILDER_KINDS``.

The engine asks :func:`suggest` for each finding.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import regex

from ..models import SLOT_RE, Rule
from ..rulebook import REGEX_BUDGET, budgeted
from .acknowledge import acknowledge
from .check_back import check_back
from .drop_sentence import drop_sentence
from .edit import NeedParse, edit
from .greeting import greeting
from .paraphrase import paraphrase
from .placement import capitalised
from .policy_benefit import policy_benefit
from .sentence_guard import carries_more, name_said, own_end, with_name
from .soften import soften
from .specific_apology import specific_apology

if TYPE_CHECKING:
    from ..engine.context import DocContext
    from ..engine.hits import Edit, Hit

__all__ = ["BUILDERS", "Builder", "capitalised", "suggest"]

Builder = Callable[["DocContext", Rule, "Hit"], list["Edit"]]

BUILDERS: dict[str, Builder] = {
    "specific-apology": specific_apology,
    "soften": soften,
    "greeting": greeting,
    "check-back": check_back,
    "acknowledge": acknowledge,
    "paraphrase": paraphrase,
    "drop-sentence": drop_sentence,
    "policy-benefit": policy_benefit,
}


def suggest(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    """The rule's suggestions for ``hit``. A rewrite that fails never loses the finding: it is
    reported without a suggestion (set REPLYLINT_DEBUG=1 to raise instead)."""
    try:
        return _suggest(ctx, rule, hit)
    except NeedParse:
        raise  # the engine parses the sentence and asks again
    except Exception:
        if os.environ.get("REPLYLINT_DEBUG"):
            raise
        return []


def _suggest(ctx: DocContext, rule: Rule, hit: Hit) -> list[Edit]:
    spec = rule.rewrite
    if spec is None:
        return []
    if spec.template is not None:
        start, end = hit.start, hit.end
        text = spec.template
        if spec.mode == "replace-sentence":
            start, end = ctx.sentence_span(hit.sent)
            end = own_end(ctx.text, start, end)
            sentence = ctx.text[start:end]
            if carries_more(sentence, ctx.text[hit.start : hit.end], len(SLOT_RE.findall(text))):
                return []  # its other content (a rule, a diagnosis, a reason) would be lost
            if spec.when is not None and not _when(spec.when).search(
                sentence, timeout=REGEX_BUDGET
            ):
                return []  # the template would say what the draft does not
            text = with_name(text, name_said(sentence))
        elif spec.mode == "append":
            start = end = ctx.sentence_span(hit.sent)[1]
            # after the reason that follows the no, not between them ("… we are not allowed to
            # access it. We have to follow privacy laws." : blind review 18g)
            if hit.sent + 1 < len(ctx.sents):
                a, b = ctx.sentence_span(hit.sent + 1)
                if _REASON.match(ctx.text, a, b) and not ctx.text[end:a].strip():
                    start = end = own_end(ctx.text, a, b)
            if spec.unless is not None and _when(spec.unless).search(
                ctx.text, ctx.sentence_span(hit.sent)[0], timeout=REGEX_BUDGET
            ):
                return []  # the draft already offers it (or what it would add)
            # after a sentence with no full stop of its own ("… Industrial Action ^JH"): one
            # first, or the new sentence runs on from it (blind review 18f)
            before = ctx.text[:start].rstrip()
            stop = "" if not before or before[-1] in ".!?:;…)\"'’”" else "."
            if stop:
                start = end = len(before)  # right after its last word ("weekends.")
            text = stop + " " + text
        elif spec.mode == "adverbial":
            if spec.unless is not None and _when(spec.unless).search(
                ctx.text, *ctx.sentence_span(hit.sent), timeout=REGEX_BUDGET
            ):
                return []  # the sentence states an aim, not a commitment a time could fill
            several = " " in ctx.text[hit.start : hit.end].strip()  # one word: no parse needed
            span = ctx.parsed_span(hit.start, hit.end) if several else None
            if span is not None and len(span) and span[0].pos_ in {"VERB", "AUX"}:
                return []  # "try again later": the time would replace the verb, not an adverb
            # "try checking at a later time": a time after which, not by which (blind review
            # 18g: "by <day/time>" turned "after" into "before")
            if _LATER.fullmatch(ctx.text, hit.start, hit.end):
                text = text.replace("by <", "after <", 1)
            # "very soon": the time replaces the intensifier too, not "very by <day/time>"
            lead = _INTENSIFIER.search(ctx.text, ctx.sentence_span(hit.sent)[0], hit.start)
            moved = _after_the_verb(ctx, hit, text)
            if moved is not None:
                start, end, text = moved
            if lead is not None:
                start = lead.start()
        elif spec.when is not None and not _when(spec.when).search(
            ctx.text, hit.start, hit.end, timeout=REGEX_BUDGET
        ):
            return []  # (replace) the match is not what the template replaces
        return [edit(start, end, text, spec.description, spec.applicability)]
    assert spec.builder is not None
    return BUILDERS[spec.builder](ctx, rule, hit)


@cache
def _when(pattern: str) -> Any:
    """A template's ``when`` (rule data, from a user's rule too), under the regex budget."""
    return budgeted(pattern, regex.IGNORECASE)


_AUXILIARY = re.compile(
    r"(?:\b(?:will|would|shall|should|can|could|may|might|must|is|are|am|be|been|was|were)"
    r"|['’](?:ll|d|s|re|m))\s+$",
    re.IGNORECASE,
)
# a vague time that means "not before then": "later", "at a later time"
_LATER = re.compile(r"(?:at\s+a\s+)?later(?:\s+(?:on|time|date|stage))?", re.IGNORECASE)
# a sentence giving the reason for the no before it
_REASON = re.compile(
    r"\s*(?:(?:we|i)\s+(?:have|need|are\s+required|must)\s+to\s+(?:follow|comply|abide|protect)"
    r"|this\s+is\s+(?:because|to|for|due)|it['’]?s\s+(?:because|to\s+protect|for\s+your)"
    r"|that['’]?s\s+(?:because|to\s+protect|for\s+your)|because\b|due\s+to\b"
    r"|for\s+(?:your\s+)?(?:security|safety|privacy)\b)",
    re.IGNORECASE,
)
_INTENSIFIER = re.compile(r"\b(?:very|really|pretty|quite|fairly|super|so|real)\s+$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.,;:!?…\n]|\s(?:but|so|because|if|as|when|once)\s|$")


def _after_the_verb(ctx: DocContext, hit: Hit, adverbial: str) -> tuple[int, int, str] | None:
    """An adverbial template for a match between an auxiliary and its verb ("we will soon have
    an update for you"): the span from the match to the end of its clause and its words with
    the adverbial after them ("have an update for you by <day/time>"). None where the match is
    not there, or the clause holds a placeholder (its words are kept as typed or not at all)."""
    sent_start, sent_end = ctx.sentence_span(hit.sent)
    if not _AUXILIARY.search(ctx.text[sent_start : hit.start]):
        return None
    after = ctx.text[hit.end : sent_end]
    if not re.match(r"\s+[a-z]", after):  # a verb follows ("soon have"), not "soon." / "soon,"
        return None
    stop = _CLAUSE_END.search(after, 1)  # its last branch, the end, always matches
    end = hit.end + (stop.start() if stop is not None else len(after))
    words = ctx.source(hit.end, end).strip()
    if not words or words != ctx.text[hit.end : end].strip():
        return None
    while end > hit.end and ctx.text[end - 1].isspace():
        end -= 1
    return hit.start, end, f"{words} {adverbial}"
