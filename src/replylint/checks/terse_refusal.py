"""terse-refusal: a sentence whose whole content is a curt negative of a few words."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ..lexicon import load_lexicon, words
from ..models import Rule
from ..params import TerseRefusal, params_of
from ..ruledata import expand_phrase

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..engine.context import DocContext
    from ..engine.hits import Hit


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if not (t.is_space or t.is_punct)]


def terse_refusal(ctx: DocContext, rule: Rule) -> list[Hit]:
    """A sentence whose whole content is a curt negative of at most ``max_words`` words, a
    curt no followed only by the fact refused ("Nope, we don't ship to Canada."), or a
    telegraphic closing formula ("Ticket closed."); not a bare no of ``answer_words`` that goes
    on with good news ("Nope! Still just the $3.")."""
    params = params_of(rule, TerseRefusal)
    strip = params.strip_words
    closings, triggers, longest = _prepared(
        tuple(params.closing_formulas),
        params.negative_starts | params.curt_openers | params.plain_openers,
        max(params.max_words, params.max_fact_words + 2),
    )
    greetings = _greeting_words()
    openers = _openers(
        params.negative_starts | params.curt_openers | params.plain_openers, closings
    )
    hits: list[Hit] = []
    for index, sent in enumerate(ctx.sents):
        lowers = ctx.sent_lowers(index)
        if triggers.isdisjoint(lowers) or not _may_open(lowers, openers, strip):
            continue  # no negative word where the content can start
        tokens = [t for t in sent if not t.is_space]
        # a social reply's leading @handles address it: they are not its content
        handles = next((n for n, t in enumerate(tokens) if not _is_handle(t.text)), len(tokens))
        tokens = tokens[handles:]
        if not tokens or tokens[-1].text == "?" or len(tokens) > longest:
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
            and tokens[0].lower_ not in triggers
            and tokens[0].lower_ not in strip
            and tokens[0].is_title
        ):  # "Sam, nope." (a name) or "Well, no." (an opener): either way the rest is the reply
            i = 2
        lead = i  # where the sentence starts after a greeting or a name
        while i < j and (tokens[i].lower_ in strip or tokens[i].is_punct):
            i += 1
        while j > i and (tokens[j - 1].lower_ in strip or tokens[j - 1].is_punct):
            j -= 1
        content = tokens[i:j]
        found = _words(content)
        if not found:
            continue
        lowered = tuple(t.lower_ for t in found)
        refuses = _bare_negative(content, found, params) or _refused_fact(content, params)
        if not (refuses or lowered in closings):
            continue
        if not refuses and ctx.signal("acknowledgement"):
            continue  # "Sorry you're running into this. … Closing this as not a bug.": the
            # closing is a status line after the reply's answer, not a curt no (blind 19s, 18m)
        if len(found) == 1 and lowered[0] in params.answer_words and _good_news(ctx, index):
            continue  # "Nope! Still just the $3.": the no answers, with good news
        end = tokens[-1].idx + len(tokens[-1].text)
        # a leading "Sorry but" is part of the curt no: the span takes it, so the template
        # replaces it too (not "Sorry but Unfortunately, we're not able to …": blind 18o)
        words_before = any(t.is_alpha for t in tokens[lead:i])
        hits.append(ctx.hit((tokens[lead] if words_before else content[0]).idx, end))
    return hits


@cache
def _openers(starts: frozenset[str], closings: frozenset[tuple[str, ...]]) -> frozenset[str]:
    """The words a terse sentence's content starts with: a negative start, an opener, or the
    first word of a closing formula."""
    return starts | frozenset(c[0] for c in closings if c)


def _may_open(lowers: list[str], openers: frozenset[str], strip: frozenset[str]) -> bool:
    """Whether a word of ``openers`` is where the content of a sentence (its lower-case
    words) may start, on its words alone (no Token made): the content starts after the
    leading @handles, within the next six tokens (after a greeting or a name) or at the first
    word after them that is no strip word (punctuation, skipped too, has no letter or digit).
    What fails here fails in :func:`terse_refusal` too."""
    words = [w for w in lowers if not w.isspace()]
    handles = next((n for n, w in enumerate(words) if not w.startswith("@")), len(words))
    for n, word in enumerate(words[handles:]):
        if word in openers:
            return True
        if n >= 5 and word not in strip and any(c.isalnum() for c in word):
            return False
    return False


def _good_news(ctx: DocContext, index: int) -> bool:
    """Whether sentence ``index`` or the next tells good news (signal good-news)."""
    return any(h.sent in (index, index + 1) for h in ctx.signal("good-news"))


def _bare_negative(content: list[Token], found: list[Token], params: TerseRefusal) -> bool:
    """Whether the content is a bare negative of at most ``max_words`` words ("Nope.",
    "Can't do that."), not an opener that is no refusal ("No problem")."""
    starts = params.negative_starts
    if found[0].lower_ not in starts:
        return False
    if any(t.like_url or t.like_email for t in content):
        return False  # "No <link>": the link answers (blind review 19v)
    if len(" ".join(t.text_with_ws for t in content).split()) > params.max_words:
        return False
    lowered = tuple(t.lower_ for t in found)
    if any(lowered[: len(o)] == o for o in params.openers):
        return False
    if found[0].lower_ in {"no", "nope", "nah"} and len(content) > 1 and content[1].text == ",":
        rest = _words(content[2:])
        if rest and rest[0].lower_ not in starts:
            return False  # "No, you won't be charged": a no that goes on to answer
    return True


_SUBJECTS = frozenset({"we", "i"})
_AUXILIARIES = frozenset({"do", "does", "ca", "can", "wo", "will", "are", "'re", "am", "'m"})
_NEGATIONS = frozenset({"not", "n't", "nt"})


def _refused_fact(content: list[Token], params: TerseRefusal) -> bool:
    """Whether the content is a curt no followed only by the fact refused: "Nope, we don't ship
    to Canada." ("no" only with a refused service: "No, we don't need the box" is an answer)."""
    opener = content[0].lower_
    if opener not in params.curt_openers and opener not in params.plain_openers:
        return False
    k = 1
    while k < len(content) and (content[k].is_punct or content[k].lower_ in params.strip_words):
        k += 1
    rest = content[k:]
    if not rest or any(t.is_punct and t.text not in {"'", "’"} for t in rest):
        return False  # one clause only: "Nope, we don't ship there, but …" goes on
    if len(" ".join(t.text for t in rest).split()) > params.max_fact_words + 2:
        return False
    words = [t.lower_.replace("’", "'") for t in rest]
    n = 1 if words[0] in _SUBJECTS else 0
    if n + 1 < len(words) and words[n] in _AUXILIARIES and words[n + 1] in _NEGATIONS:
        n += 2
    elif n < len(words) and words[n] in _NEGATIONS and n == 0:
        n += 1  # "nope not today"
    else:
        return False
    if len(" ".join(t.text_with_ws for t in rest[n:]).split()) > params.max_fact_words:
        return False
    verb = words[n] if n < len(words) else ""
    if opener in params.plain_openers and opener not in params.curt_openers:
        return verb in params.refused_verbs
    return verb not in params.not_refused_verbs


@cache
def _prepared(
    formulas: tuple[str, ...], starts: frozenset[str], words: int
) -> tuple[frozenset[tuple[str, ...]], frozenset[str], int]:
    """What the check derives from its params, once: the closing formulas as word tuples, the
    words a sentence must hold one of (``starts`` and the formulas'), and the most tokens a
    terse sentence of at most ``words`` words can have."""
    closings = _closings(formulas)
    triggers = starts | frozenset(w for c in closings for w in c)
    return closings, triggers, 3 * words + 6


@cache
def _closings(formulas: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The closing formulas, expanded, as lower-case word tuples."""
    return frozenset(
        tuple(text.split()) for formula in formulas for text in expand_phrase(formula.lower())
    )


def _is_handle(text: str) -> bool:
    """Whether ``text`` is a social @handle ("@AcmeHelp", "@318204")."""
    return len(text) > 1 and text[0] == "@" and text[1:].replace("_", "").isalnum()


@cache
def _greeting_words() -> frozenset[str]:
    """The one-word salutations of the lexicon ("hi", "dear" …): a sentence may open with one."""
    return frozenset(words(load_lexicon().greeting.salutations))
