"""A draft's empathy moves, read off its :class:`DocContext` once the engine has evaluated its
rules: the profile (``replylint.profile`` says what each move is and how it is found). Here, in
the engine, so that the engine needs nothing of the library's convenience functions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from ..lexicon import alternation, load_lexicon
from ..models import ApologyKind, Profile

if TYPE_CHECKING:
    from .context import DocContext
    from .hits import Hit


@cache
def _sign_off() -> re.Pattern[str]:
    """A closing line: a sign-off of the lexicon (rules/_lexicon.yaml) and a little more."""
    return re.compile(alternation(load_lexicon().sign_offs) + r"\b[^\n]{0,40}$", re.IGNORECASE)


def _overlaps(hit: Hit, others: Sequence[Hit]) -> bool:
    return any(o.start < hit.end and hit.start < o.end for o in others)


# a line that is only the agent's name or signature as a helpdesk placeholder ("{{agent.name}}",
# "{{current_user.first_name}}", "[Agent Name]", "%SIGNATURE%"): the helpdesk signs there
_SIGNATURE_SLOT = re.compile(
    r"\s*(?:\{\{\s*[\w.]*(?:agent|assignee|current_user|sender|signature|staff)[\w.]*\s*\}\}"
    r"|\[(?:agent|your|rep|representative)(?:['’]s)?\s+name\]|%(?:agent|signature)\w*%"
    r"|<(?:agent|your)\s+name>)\s*",
    re.IGNORECASE,
)


def signs_off(text: str) -> bool:
    """Whether one of the last three non-blank lines of ``text`` is a closing line, or the
    agent's name or signature as a placeholder (read from the end: a long draft's other lines
    are never split)."""
    size = 512
    while True:
        whole = size >= len(text)
        lines = text[-size:].splitlines() if not whole else text.splitlines()
        if not whole:
            lines = lines[1:]  # the first may be cut
        kept = [line.strip() for line in lines if line.strip()]
        if whole or len(kept) >= 3:
            return any(
                _sign_off().match(line) or _SIGNATURE_SLOT.fullmatch(line) for line in kept[-3:]
            )
        size *= 4


# a thank-you sentence as a block's last line ("Thank you for your understanding.", "Thank you
# in advance."): the body's last words, not a sign-off that makes the block a whole reply
_THANKS_SENTENCE = re.compile(
    r"(?:many\s+|and\s+)?thank(?:s|\s+you)\b(?:\s+(?:so|very)\s+much)?\s+(?:for|in\s+advance)\b"
    r"[^\n]*[.!]\s*",
    re.IGNORECASE,
)


def is_whole_reply(text: str) -> bool:
    """Whether a macro block is a whole reply: it signs off (:func:`signs_off`) with more than a
    thank-you sentence as its very last line. A block ending "Thank you for your
    understanding." is pasted into a reply the helpdesk greets and signs (blind review 19j)."""
    if not signs_off(text):
        return False
    kept = [line.strip() for line in text[-512:].splitlines() if line.strip()]
    if not kept or not _THANKS_SENTENCE.fullmatch(kept[-1]):
        return True
    return any(
        _sign_off().match(line) or _SIGNATURE_SLOT.fullmatch(line)
        for line in kept[-3:-1]
        if not _THANKS_SENTENCE.fullmatch(line)
    )


# a draft the gates stopped (not English, not prose): no rule read it, so no move is seen
NO_MOVES = Profile(
    acknowledges_feelings=False,
    apologizes=False,
    apology_kind=None,
    paraphrases_issue=False,
    explains=False,
    offers_next_step=False,
    gives_timeline=False,
    checks_back=False,
    takes_ownership=False,
    greets=False,
    signs_off=False,
)


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
