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

plus ``channel`` and ``language``, None ("not determined") until the draft's channel and
language are known to the engine.

These are word-level detections with the rule book's exceptions, not judgements of quality:
the findings say where a move was needed and missing.

The engine computes the profile once per draft, in the same pass as its findings
(``engine/batch.py``, with :func:`~replylint.engine.moves.profile_of`), from the hits that pass
found (what it still needs is evaluated then,
with the batch's parse requests): :class:`~replylint.models.DraftReport` carries it as
``.profile``, the cache keeps it beside the findings, and every output reads it from there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .engine.moves import profile_of, signs_off
from .models import ApologyKind, DraftReport, Profile

if TYPE_CHECKING:
    from .api import DraftInput, Linter

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


# the lines of ``--statistics``: (key, what that share of drafts does); a key is a move, or
# ``apology_kind:<kind>`` for the drafts whose best apology is of that kind
STATISTICS = (
    ("acknowledges_feelings", "acknowledge feelings"),
    ("apologizes", "apologize"),
    ("apology_kind:owning", "apologize and own it"),
    ("apology_kind:scripted", "apologize only with a scripted apology"),
    ("apology_kind:non-apology", "apologize only with a non-apology"),
    ("paraphrases_issue", "paraphrase the issue"),
    ("explains", "explain"),
    ("offers_next_step", "offer an alternative or a next step"),
    ("gives_timeline", "give a concrete timeline"),
    ("checks_back", "check back"),
    ("takes_ownership", "take ownership"),
    ("greets", "greet"),
    ("signs_off", "sign off"),
)


def statistics_keys(p: Profile) -> list[str]:
    """The :data:`STATISTICS` keys a profile counts towards."""
    keys = [name for name in MOVES if getattr(p, name)]
    if p.apology_kind is not None:
        keys.append(f"apology_kind:{p.apology_kind}")
    return keys


def check_with_profiles(
    linter: Linter, texts: Iterable[DraftInput]
) -> list[tuple[DraftReport, Profile]]:
    """:meth:`Linter.check_many`, each report with its profile (``report.profile``): with any
    Linter (worker processes and the cache carry profiles too)."""
    out = []
    for report in linter.check_many(texts):
        if report.profile is None:  # the engine makes one for every draft it lints
            raise RuntimeError("a draft came back without its profile")
        out.append((report, report.profile))
    return out


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


__all__ = [
    "MOVES",
    "STATISTICS",
    "ApologyKind",
    "Profile",
    "check_with_profiles",
    "profile",
    "profile_of",
    "signs_off",
    "statistics_keys",
]
