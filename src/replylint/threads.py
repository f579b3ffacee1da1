"""A reply split over several drafts ("1/2", "2/2"), judged as a whole.

A public reply too long for one post is posted as a thread, each part carrying a thread marker
(structure.py reads it as structure: "@AcmeHelp Sorry about the wait! … 1/2"). Each part is
linted alone, as every draft is; then, where the input gives a thread, its parts' findings and
profiles are judged as one reply here, before the run's finish step (run/finish.py).

**Where the input gives one.** Consecutive drafts of one file (the rows of a CSV/TSV file, the
records of a JSON/JSONL/YAML file, the sections of saved replies) whose thread markers number
k/n in order: a run of drafts with the same n and k going up by one from draft to draft. The
markers are the ones structure.py masks (after the @handles, at the end of the reply, or alone
on its last line). Neither the readers nor the helpdesk formats give a conversation or thread
id, so there is no such column. The library judges the texts it is given as one thread
(:meth:`replylint.Linter.check_thread`), markers or not.

**As a whole.** The document-level rules ask for a move somewhere in the reply: in a thread,
any part making the move satisfies them. A part's no-acknowledgement, no-check-back,
no-paraphrase or no-alternative finding is dropped when another part makes that move
(:data:`MOVES`), and a thread keeps at most one finding of each (on the part its rule anchors
to: the last one for no-check-back, whose anchor is the last step, the first otherwise). The
greeting opens the thread: missing-greeting is only reported on part 1. Sentence-level
findings stay on the part that has them, at their offsets in the file, so ``fix`` edits the
part where each finding is. Every part's profile gets the thread's moves (any part's; the
greeting is part 1's, the sign-off the last part's), keeping its own channel and language.

**An incomplete thread** (the input has "1/2" and no "2/2", or "2/2" alone; in the library's
``check`` and ``check_many`` every marked draft is one): its parts are
judged together as above, and a move the missing parts may make is not asked for. Missing
later parts: no no-check-back (a check-back closes the reply), no no-alternative (the
alternative follows the no), and no no-acknowledgement where the customer's message is not
given (an apology may close the reply too). Missing earlier parts: no missing-greeting,
no-acknowledgement or no-paraphrase (a reply opens with those), and no no-alternative (it may
come before the no).

This only ever removes findings: a thread whose trigger is met only by its parts together (a
problem in part 1, a fix in part 2, no check-back anywhere) is not reported, as it was not
before; a user's own absence rules are judged part by part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from .models import ApologyKind, Finding, Profile
from .structure import social_structure

Marker = tuple[int, int]  # (k, n): part k of n

_NUMBERS = re.compile(r"\(?([1-9]|1[0-9])/([1-9]|1[0-9])\)?")


def thread_marker(text: str) -> Marker | None:
    """The thread marker of a draft ("1/2" → (1, 2)), where structure.py reads one (after the
    handles, at the end, or alone on the last line), or None."""
    if "/" not in text:
        return None
    for start, end in social_structure(text).spans:
        m = _NUMBERS.search(text, start, end)
        if m is not None:
            k, n = int(m[1]), int(m[2])
            return (k, n) if 1 <= k <= n and n >= 2 else None
    return None


@dataclass(frozen=True)
class Thread:
    """Consecutive drafts (their indices) that are parts ``first`` to ``last`` of a thread of
    ``total``."""

    indices: tuple[int, ...]
    first: int
    last: int
    total: int

    @property
    def missing_before(self) -> bool:
        return self.first > 1

    @property
    def missing_after(self) -> bool:
        return self.last < self.total


def threads_of(markers: Mapping[int, Marker]) -> list[Thread]:
    """The threads among a file's drafts, given the marker of each draft that has one (by its
    index): runs of consecutive drafts with the same n and k going up by one."""
    out: list[Thread] = []
    run: list[int] = []
    for i in sorted(markers):
        k, n = markers[i]
        if run:
            pk, pn = markers[run[-1]]
            if i == run[-1] + 1 and n == pn and k == pk + 1:
                run.append(i)
                continue
            out.append(_thread(run, markers))
        run = [i]
    if run:
        out.append(_thread(run, markers))
    return out


def _thread(run: list[int], markers: Mapping[int, Marker]) -> Thread:
    return Thread(tuple(run), markers[run[0]][0], markers[run[-1]][0], markers[run[0]][1])


# the document-level rules a move of any part satisfies: the move, read off a part's profile
# (no-acknowledgement counts a scripted apology as an acknowledgement: profile.py)
MOVES: dict[str, Callable[[Profile], bool]] = {
    "no-acknowledgement": lambda p: p.acknowledges_feelings or p.apology_kind == "scripted",
    "no-check-back": lambda p: p.checks_back,
    "no-paraphrase": lambda p: p.paraphrases_issue,
    "no-alternative": lambda p: p.offers_next_step,
}
GREETING = "missing-greeting"
# moves a later part may make, and an earlier part (the alternative too: it may come before the
# no; blind review 19m). The acknowledgement opens a reply: part 1 is asked for it where the
# customer's message shows what to acknowledge (blind review 19l missed it there); with only
# the reply to go on, an apology in the missing part may be what it owes (blind review 19m
# judged it asked of a "1/2" for the channel's sake)
LATER = frozenset({"no-check-back", "no-alternative"})
LATER_UNSEEN = frozenset({"no-acknowledgement"})  # later, where the customer is not given
EARLIER = frozenset({GREETING, "no-acknowledgement", "no-paraphrase", "no-alternative"})
ANCHORED_LAST = frozenset({"no-check-back"})  # kept on the last part that has it

# the yes/no moves any part may make (the greeting and the sign-off have their own parts)
_BOOLEAN_MOVES = tuple(
    name
    for name, field in Profile.model_fields.items()
    if field.annotation is bool and name not in ("greets", "signs_off")
)
_KINDS: tuple[ApologyKind, ...] = ("owning", "scripted", "non-apology")  # the best first


def judge(
    thread: Thread,
    found: Sequence[list[Finding]],
    profiles: Sequence[Profile],
    customer: bool = False,
) -> tuple[list[list[Finding]], list[Profile]]:
    """The findings and profiles of a thread's parts (in order) judged as one reply (``customer``:
    whether a part comes with the customer's message)."""
    makes = {rule: any(move(p) for p in profiles) for rule, move in MOVES.items()}
    dropped = set(rule for rule, made in makes.items() if made)
    if thread.missing_after:
        dropped |= LATER if customer else LATER | LATER_UNSEEN
    if thread.missing_before:
        dropped |= EARLIER
    kept: list[list[Finding]] = []
    for n, findings in enumerate(found):
        first_part = n == 0 and thread.first == 1
        kept.append(
            [f for f in findings if f.rule not in dropped and (f.rule != GREETING or first_part)]
        )
    # one finding of a document-level rule per thread, on the part its anchor is in
    for rule in MOVES:
        having = [n for n, findings in enumerate(kept) if any(f.rule == rule for f in findings)]
        if len(having) < 2:
            continue
        keep = having[-1] if rule in ANCHORED_LAST else having[0]
        for n in having:
            if n != keep:
                kept[n] = [f for f in kept[n] if f.rule != rule]
    return kept, _merged(thread, profiles)


def _merged(thread: Thread, profiles: Sequence[Profile]) -> list[Profile]:
    kinds = {p.apology_kind for p in profiles}
    moves: dict[str, object] = {m: any(getattr(p, m) for p in profiles) for m in _BOOLEAN_MOVES}
    moves["apology_kind"] = next((k for k in _KINDS if k in kinds), None)
    moves["greets"] = thread.first == 1 and profiles[0].greets
    moves["signs_off"] = thread.last == thread.total and profiles[-1].signs_off
    return [p.model_copy(update=moves) for p in profiles]


def judge_drafts(
    markers: Mapping[int, Marker],
    found: Mapping[int, list[Finding]],
    profiles: Mapping[int, Profile],
    with_customer: Collection[int] = (),
) -> tuple[dict[int, list[Finding]], dict[int, Profile]]:
    """A file's findings and profiles by draft index, each thread among its drafts (given by
    the ``markers`` of its linted drafts; ``with_customer``: the drafts given with the
    customer's message) judged as a whole; the other drafts' as they were."""
    out_found, out_profiles = dict(found), dict(profiles)
    for thread in threads_of({i: m for i, m in markers.items() if i in profiles}):
        parts = thread.indices
        kept, merged = judge(
            thread,
            [found.get(i, []) for i in parts],
            [profiles[i] for i in parts],
            customer=any(i in with_customer for i in parts),
        )
        for i, f, p in zip(parts, kept, merged, strict=True):
            out_found[i], out_profiles[i] = f, p
    return out_found, out_profiles


def judge_alone(
    text: str, findings: list[Finding], profile: Profile, customer: bool = False
) -> tuple[list[Finding], Profile]:
    """The findings and profile of one draft given alone (the library's ``check``): a draft
    marked as part k of n is an incomplete thread (the moves of its missing parts are not asked
    of it); any other draft's as they are."""
    marker = thread_marker(text)
    if marker is None:
        return findings, profile
    k, n = marker
    (kept,), (merged,) = judge(Thread((0,), k, k, n), [findings], [profile], customer)
    return kept, merged


__all__ = [
    "MOVES",
    "Marker",
    "Thread",
    "judge",
    "judge_alone",
    "judge_drafts",
    "thread_marker",
    "threads_of",
]
