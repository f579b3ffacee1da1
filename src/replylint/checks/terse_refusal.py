"""terse-refusal: a sentence whose whole content is a curt negative of a few words."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ..lexicon import load_lexicon, words
from ..models import Rule
from ..params import TerseRefusal, params_of

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..engine.context import DocContext
    from ..engine.hits import Hit


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if not (t.is_space or t.is_punct)]


def terse_refusal(ctx: DocContext, rule: Rule) -> list[Hit]:
    """A sentence whose whole content is a curt negative of at most ``max_words`` words."""
    params = params_of(rule, TerseRefusal)
    starts = params.negative_starts
    openers = params.openers
    strip = params.strip_words
    max_words = params.max_words
    greetings = _greeting_words()
    hits: list[Hit] = []
    for index, sent in enumerate(ctx.sents):
        if starts.isdisjoint(ctx.sent_lowers(index)):
            continue  # no negative word at all (what the content must start with)
        tokens = [t for t in sent if not t.is_space]
        if not tokens or tokens[-1].text == "?" or len(tokens) > 3 * max_words + 6:
            continue
        i, j = 0, len(tokens)
        # a leading greeting and/or name ("Hi Sam," / "Sam,"), then leading "sorry,"
        if tokens[0].lower_ in greetings:
            k = next((n for n, t in enumerate(tokens[:5]) if t.text in {",", "!", "-"}), None)
            if k is None:
                continue
            i = k + 1
        elif (
            len(tokens) > 2
            and tokens[1].text == ","
            and tokens[0].lower_ not in starts
            and tokens[0].is_title
        ):  # "Sam, nope." (a name) or "Well, no." (an opener): either way the rest is the reply
            i = 2
        while i < j and (tokens[i].lower_ in strip or tokens[i].is_punct):
            i += 1
        while j > i and (tokens[j - 1].lower_ in strip or tokens[j - 1].is_punct):
            j -= 1
        content = tokens[i:j]
        found = _words(content)
        if not found or found[0].lower_ not in starts:
            continue
        if len(" ".join(t.text_with_ws for t in content).split()) > max_words:
            continue
        lowered = tuple(t.lower_ for t in found)
        if any(lowered[: len(o)] == o for o in openers):
            continue
        if found[0].lower_ in {"no", "nope", "nah"} and len(content) > 1 and content[1].text == ",":
            rest = _words(content[2:])
            if rest and rest[0].lower_ not in starts:
                continue  # "No, you won't be charged": a no that goes on to answer
        end = tokens[-1].idx + len(tokens[-1].text)
        hits.append(ctx.hit(content[0].idx, end))
    return hits


@cache
def _greeting_words() -> frozenset[str]:
    """The one-word salutations of the lexicon ("hi", "dear" …): a sentence may open with one."""
    return frozenset(words(load_lexicon().greeting.salutations))
