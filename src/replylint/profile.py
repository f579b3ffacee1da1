"""A reply's empathy profile: which moves it makes (a first version, from the rule book).

Each move is read off what the engine already detects on the draft, evaluated whether or not
a rule needed it (a reply can paraphrase a customer who had no complaint):

========================  ==================================================================
move                      detected by
========================  ==================================================================
acknowledges_feelings     signal ``acknowledgement`` (rules/_signals.yaml), not counting a
                          scripted apology ("sorry for any inconvenience")
apologizes                signal ``apology`` ("sorry", "apologise" …, not "sorry for the
                          wait"); ``apology_kind`` grades it: ``non-apology`` where rule
                          non-apology matches it, ``scripted`` where scripted-apology does,
                          else ``owning`` (the best kind present wins)
paraphrases_issue         what rule no-paraphrase requires ("just to confirm", "it sounds
                          like", "you mentioned" …)
explains                  signal ``explanation`` ("because", "the reason is", "due to" …)
offers_next_step          what rule no-alternative requires (an alternative or a next step:
                          "instead", "I can offer", "you could" …)
gives_timeline            a concrete day or time (what excuses rule vague-timeline: "by
                          Friday", "within 2 working days", "at 3pm" …)
checks_back               what rule no-check-back requires ("let me know if", "does that
                          work?", or any sentence ending in a question mark)
takes_ownership           signal ``ownership`` ("I've refunded", "I'll send", "let me fix")
                          and neither passing-the-buck nor blame-others fires
greets                    a greeting line (the one definition missing-greeting uses:
                          the lexicon's greeting)
signs_off                 a closing line among the last three ("Best,", "Kind regards",
                          "Thanks again", "Have a great day" …: the lexicon's sign_offs)
========================  ==================================================================

These are word-level detections with the rule book's exceptions, not judgements of quality:
the findings say where a move was needed and missing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from .lexicon import alternation, load_lexicon
from .models import DraftReport

if TYPE_CHECKING:
    from .api import DraftInput, Linter
    from .engine.context import DocContext
    from .engine.hits import Hit

ApologyKind = Literal["owning", "scripted", "non-apology"]

# the moves, in the order of the archive schema's columns (the README's "Helpdesk archives")
MOVES = (
    "acknowledges_feelings",
    "apologizes",
    "paraphrases_issue",
    "explains",
    "offers_next_step",
    "gives_timeline",
    "checks_back",
    "takes_ownership",
    "greets",
    "signs_off",
)


@cache
def _sign_off() -> re.Pattern[str]:
    """A closing line: a sign-off of the lexicon (rules/_lexicon.yaml) and a little more."""
    return re.compile(alternation(load_lexicon().sign_offs) + r"\b[^\n]{0,40}$", re.IGNORECASE)


class Profile(BaseModel):
    """The empathy moves one reply makes (see the module's table for how each is found)."""

    model_config = ConfigDict(frozen=True)

    acknowledges_feelings: bool
    apologizes: bool
    apology_kind: ApologyKind | None
    paraphrases_issue: bool
    explains: bool
    offers_next_step: bool
    gives_timeline: bool
    checks_back: bool
    takes_ownership: bool
    greets: bool
    signs_off: bool


# a draft the gates stopped (not English, not prose): no rule read it, so no move is seen
NO_MOVES = Profile(**{move: False for move in MOVES}, apology_kind=None)


def _overlaps(hit: Hit, others: Sequence[Hit]) -> bool:
    return any(o.start < hit.end and hit.start < o.end for o in others)


def signs_off(text: str) -> bool:
    """Whether one of the last three non-blank lines of ``text`` is a closing line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return any(_sign_off().match(line) for line in lines[-3:])


def profile_of(ctx: DocContext) -> Profile:
    """The profile of the draft an engine has evaluated (its :class:`DocContext`)."""
    book = ctx.compiled.book
    key = ctx.compiled.key

    def rule_hits(rule_id: str) -> list[Hit]:
        rule = book.rules.get(rule_id)
        return ctx.rule_hits(rule) if rule is not None else []

    def present(rule_id: str, slot: str) -> bool:
        return rule_id in book.rules and ctx.present(key(f"rule:{rule_id}", slot))

    def signal(name: str) -> list[Hit]:
        return ctx.signal(name) if name in book.signals else []

    scripted = rule_hits("scripted-apology")
    non_apologies = rule_hits("non-apology")
    kinds: set[ApologyKind] = set()
    apologies = signal("apology")
    for hit in apologies:
        if _overlaps(hit, non_apologies):
            kinds.add("non-apology")
        elif _overlaps(hit, scripted):
            kinds.add("scripted")
        else:
            kinds.add("owning")
    kind = next((k for k in ("owning", "scripted", "non-apology") if k in kinds), None)
    passes_buck = rule_hits("passing-the-buck") or rule_hits("blame-others")
    return Profile(
        acknowledges_feelings=any(not _overlaps(h, scripted) for h in signal("acknowledgement")),
        apologizes=bool(apologies),
        apology_kind=kind,
        paraphrases_issue=present("no-paraphrase", "require"),
        explains=bool(signal("explanation")),
        offers_next_step=present("no-alternative", "require"),
        gives_timeline=present("vague-timeline", "unless0"),
        checks_back=present("no-check-back", "require"),
        takes_ownership=bool(signal("ownership")) and not passes_buck,
        greets=ctx.greeting is not None,
        signs_off=signs_off(ctx.text),
    )


def check_with_profiles(
    linter: Linter, texts: Iterable[DraftInput]
) -> list[tuple[DraftReport, Profile]]:
    """:meth:`Linter.check_many` (batched through the pipeline), with each draft's profile.

    The profile is read off the same evaluation as the findings (an engine hook), so it costs
    a few matcher look-ups per draft. The Linter must lint in this process (``jobs=1``) and
    without a cache: a draft answered by a worker process or the cache is never evaluated
    here, so it would have no profile (a :class:`ValueError`)."""
    if linter.jobs > 1 or linter.cache is not None:
        raise ValueError("check_with_profiles() needs a Linter with jobs=1 and no cache_dir")
    engine = linter._get_engine()
    found: list[Profile] = []
    with engine.compiled.lock:  # the hook is the engine's: nobody else lints with it meanwhile
        engine.observe = lambda ctx: found.append(profile_of(ctx) if ctx else NO_MOVES)
        try:
            reports = linter.check_many(texts)
        finally:
            engine.observe = None
    if len(found) != len(reports):
        raise RuntimeError(f"{len(reports)} drafts linted but {len(found)} profiles made")
    return list(zip(reports, found, strict=True))


def profile(text: str, customer: str | None = None, linter: Linter | None = None) -> Profile:
    """The profile of one draft (with a default Linter, or ``linter``).

    >>> p = profile("Hi Dana,\\n\\nI'm so sorry your parcel is late. I've sent a new one today;"
    ...             " let me know if it hasn't arrived by Friday.\\n\\nBest,\\nSam")
    >>> p.apologizes, p.apology_kind, p.takes_ownership, p.checks_back, p.greets, p.signs_off
    (True, 'owning', True, True, True, True)
    >>> p.gives_timeline, p.paraphrases_issue
    (True, False)
    """
    from .api import Linter

    global _default
    if linter is None:
        with _default_lock:
            if _default is None:
                _default = Linter()
            linter = _default
    ((_, result),) = check_with_profiles(linter, [(text, customer)])
    return result


_default: Linter | None = None
_default_lock = threading.Lock()
