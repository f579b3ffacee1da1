"""The composer: a draft's suggestions applied together, as one reply (issue 18 item 3).

``DraftReport.rewritten()``, ``replylint fix`` (and ``fix --unsafe``), ``check --diff``, the
server's rewritten text and the playground's "Apply all" all go through :func:`arrange` (one
pass) and :func:`compose` (the passes).

One pass (:func:`arrange`) takes each finding's chosen suggestion and:

1. places it by the draft's shape (:mod:`.placement`): an opening sentence after the handles,
   greeting and opening thanks, a check-back after the body's last sentence and before the
   sign-off, initials or quoted text; an edit that would change the handles, the closing
   structure, the sign-off block or quoted text is skipped;
2. orders the edits (by position; at one position the greeting, then the acknowledgement, then
   the rest, then the check-back) and lets an edit that overlaps one already kept wait for the
   next pass (ruff's way);
3. keeps the reply to one acknowledgement and one apology, never repeats a sentence or a
   ``<slot>`` already there, and keeps a channel's length budget (an edit that would push the
   reply over it is skipped);
4. fixes the seams: one space (or the line break that is there) between an inserted sentence
   and its neighbours, no double space or space before punctuation where text was deleted,
   no doubled full stop, a capital where a deletion leaves a sentence start.

:func:`compose` applies the pass, re-lints the result (when given a way to) and drops the edit
that brought a new warning (then composes again); the findings whose edit waited get their
turn in the next pass, on the re-linted text, at most :data:`MAX_PASSES` times.

Edits are of the draft's own text (offsets into it), so the fixer maps them into the file
exactly as before. Only asked for when a rewritten text is: ``check`` never runs it.

Longer than 400 lines because the seams (spaces, line breaks, capitals and full stops at each
join) are much of it, kept next to the pass that makes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..structure import salutation
from .placement import Layout, capitalised, layout, sentence_capital

if TYPE_CHECKING:
    from ..models import Finding, Suggestion

__all__ = ["MAX_PASSES", "Change", "Composition", "apply_changes", "arrange", "compose"]

MAX_PASSES = 3
MAX_RETRIES = 3  # compositions tried per pass when re-linting finds a new warning

_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e[sd]?|apologies)\b", re.IGNORECASE)
_ACKNOWLEDGES = re.compile(
    r"\b(?:sorry|apologi[sz]e[sd]?|apologies|I can see why|I understand|I can imagine|"
    r"that sounds|must (?:be|have been)|frustrating|annoying|to make sure I understand)\b",
    re.IGNORECASE,
)
_SLOT = re.compile(r"<[a-z][^<>]*>")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]+(?=\s|$)")
_PUNCT = ".,;:!?"

Choose = Callable[["Finding"], "Suggestion | None"]
Relint = Callable[[str], "list[Finding]"]

# an edit's kind decides its place among edits at one position, and which are kept
GREETING, ACKNOWLEDGEMENT, OTHER, CLOSING = 0, 1, 2, 3


@dataclass(frozen=True)
class Change:
    """One edit of the draft's text, placed and with its seams fixed: [start, end) becomes
    ``text``."""

    start: int
    end: int
    text: str
    finding: Finding
    suggestion: Suggestion


@dataclass(frozen=True)
class Skip:
    """A suggestion not applied in this pass, and why (``waits``: it overlaps an edit kept,
    and may be applied in the next pass)."""

    finding: Finding
    suggestion: Suggestion
    reason: str
    waits: bool = False


@dataclass
class Composition:
    """What :func:`compose` made: the text, the passes it took, the suggestions left out."""

    text: str
    passes: int = 0
    applied: int = 0
    skipped: list[Skip] | None = None


def first_suggestion(finding: Finding) -> Suggestion | None:
    return finding.suggestions[0] if finding.suggestions else None


def _kind(f: Finding, s: Suggestion, text: str) -> int:
    new = s.replacement.strip()
    if f.rule == "no-check-back":
        return CLOSING
    if s.start == s.end and (
        f.rule == "missing-greeting"
        or (s.replacement.endswith("\n") and new.endswith(",") and salutation().match(new))
    ):
        return GREETING
    old = text[s.start : s.end]
    if _ACKNOWLEDGES.search(new) and not _ACKNOWLEDGES.search(old):
        return ACKNOWLEDGEMENT
    return OTHER


def _place(lay: Layout, kind: int, start: int, end: int) -> tuple[int, int] | None:
    """Where the edit goes, or None when it would change the reply's fixed structure."""
    if start != end:
        return None if lay.in_fixed(start, end) else (start, end)
    at = start
    if kind == GREETING:
        return (lay.head, lay.head)
    if kind == CLOSING:
        return (lay.closing, lay.closing)
    if at <= lay.body or (kind == ACKNOWLEDGEMENT and at <= lay.opening):
        at = lay.opening if kind == ACKNOWLEDGEMENT else lay.body
    elif at > lay.closing or lay.in_fixed(at, at):
        at = lay.closing
    return (at, at)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+|<[^<>]*>", text.lower()))


def arrange(
    text: str,
    findings: Iterable[Finding],
    *,
    choose: Choose = first_suggestion,
    budget: int | None = None,
) -> tuple[list[Change], list[Skip]]:
    """One pass: the changes to make to ``text`` (in text order, not overlapping) from the
    ``choose``-n suggestion of each of ``findings`` (offsets into ``text``), and the
    suggestions left out, with why."""
    lay = layout(text)
    skipped: list[Skip] = []
    candidates: list[tuple[int, int, int, int, Finding, Suggestion]] = []
    for n, f in enumerate(findings):
        s = choose(f)
        if s is None:
            continue
        kind = _kind(f, s, text)
        where = _place(lay, kind, s.start, s.end)
        if where is None:
            skipped.append(Skip(f, s, "it would change the handles, sign-off or quoted text"))
            continue
        candidates.append((*where, kind, n, f, s))
    candidates.sort(key=lambda c: (c[0], c[1] > c[0], c[2], c[1], c[3]))

    # overlaps first, in text order: an edit overlapping one before it waits for the next pass
    placed: list[tuple[int, int, int, str, Finding, Suggestion]] = []
    cursor = 0
    for start, end, kind, _, f, s in candidates:
        if start < cursor or (placed and start == end and placed[-1][0] < start < placed[-1][1]):
            skipped.append(Skip(f, s, "it overlaps another fix", waits=True))
            continue
        new = s.replacement
        if start == end and not new.endswith("\n"):  # a sentence: the seams decide its spaces
            new = new.strip()
        placed.append((start, end, kind, _tidy(new), f, s))
        cursor = max(cursor, end)
    # then what the reply may hold: replacements first (they fix what is there), then the
    # insertions, each kind in text order
    body = _outside_fixed(text, lay)
    length = len(text)
    apologies = len(_APOLOGY.findall(body))
    acknowledged = False
    seen_sentences = Counter(_norm(m.group()) for m in _SENTENCE.finditer(text))
    seen_slots = set(_SLOT.findall(text))
    kept: list[tuple[int, int, str, Finding, Suggestion]] = []
    for start, end, _, new, f, s in sorted(placed, key=lambda p: (p[0] == p[1], p[2])):
        old = text[start:end]
        added_apologies = len(_APOLOGY.findall(new)) - len(_APOLOGY.findall(old))
        if _APOLOGY.search(new) and apologies + added_apologies > 1:
            if start != end and _APOLOGY.search(old) and _whole_sentences(text, start, end):
                # a second apology in place of a stock one: the stock one just goes
                new, added_apologies = "", -len(_APOLOGY.findall(old))
            elif added_apologies > 0:
                skipped.append(Skip(f, s, "the reply already apologises"))
                continue
            # (else one apology swapped for another inside a sentence: "We're sorry you feel
            # this way, however …" made "I'm sorry that <what happened>. However …" adds none;
            # blind review 18h's W14 came back unchanged)
        acknowledges = bool(_ACKNOWLEDGES.search(new))
        if acknowledges and acknowledged:
            skipped.append(Skip(f, s, "the reply already has an acknowledgement"))
            continue
        removed = Counter(_norm(m.group()) for m in _SENTENCE.finditer(old))
        sentences = [_norm(m.group()) for m in _SENTENCE.finditer(new)]
        if any(seen_sentences[x] - removed[x] > 0 for x in sentences if x.count(" ") >= 2):
            skipped.append(Skip(f, s, "it repeats a sentence already there"))
            continue
        slots = set(_SLOT.findall(new))
        if slots & (seen_slots - set(_SLOT.findall(old))):
            skipped.append(Skip(f, s, "it repeats a blank already there"))
            continue
        grown = len(new) - (end - start) + (1 if start == end and new else 0)
        if budget is not None and grown > 0 and length + grown > budget:
            skipped.append(Skip(f, s, f"the reply would be over its {budget} characters"))
            continue
        length += grown
        apologies += max(added_apologies, 0)
        acknowledged = acknowledged or acknowledges
        seen_sentences.update(sentences)
        seen_slots |= slots
        kept.append((start, end, new, f, s))
    order = {id(p[4]): k for k, p in enumerate(placed)}
    kept.sort(key=lambda k: order[id(k[3])])
    return _seams(text, kept), skipped


def _whole_sentences(text: str, start: int, end: int) -> bool:
    """Whether [start, end) is one or more whole sentences of ``text``."""
    before = text[:start].rstrip(" \t")
    return (not before or before[-1] in ".!?\n") and text[:end].rstrip()[-1:] in (".", "!", "?")


def _tidy(new: str) -> str:
    """A replacement without a doubled full stop, a space before punctuation or a double
    space inside it (an ellipsis stays)."""
    new = re.sub(r"(?<![.])\.\s*\.(?![.])", ".", new)
    new = re.sub(r"(?<=\S) +(?=[.,;:!?](?:\s|$))", "", new)
    return re.sub(r"(?<=\S)  +(?=\S)", " ", new)


def _outside_fixed(text: str, lay: Layout) -> str:
    parts, cursor = [], 0
    for s, e in lay.fixed:
        if s >= cursor:
            parts.append(text[cursor:s])
            cursor = e
    parts.append(text[cursor:])
    return " ".join(parts)


def _seams(text: str, kept: list[tuple[int, int, str, Finding, Suggestion]]) -> list[Change]:
    """The kept edits with their seams fixed (spans widened over the spaces they join)."""
    out: list[Change] = []
    before = ""  # the character just before the edit in the result being built
    cursor = 0
    for i, (start, end, new, f, s) in enumerate(kept):
        nxt = kept[i + 1][0] if i + 1 < len(kept) else len(text)
        if start > cursor:
            before = text[start - 1]
        elif out:
            last = out[-1].text or (text[out[-1].start - 1] if out[-1].start > 0 else "")
            before = last[-1:] if last else before
        else:
            before = ""
        if start == end:  # an insertion: spaces decided here
            line = new.endswith("\n")
            # (not before a full stop that ends the sentence before it: "weekends. What …")
            if before and not before.isspace() and not new.startswith((" ", "\n", ".")):
                new = " " + new
            after = text[end] if end < len(text) else ""
            if after and not after.isspace() and not line and after not in _PUNCT:
                new = new + " "
            elif line and after in (" ", "\t"):
                while end < nxt and text[end] in " \t":
                    end += 1
            # a sentence inserted before a clause's lower-case start ("Good afternoon, I'm sorry
            # about the wait. can you …") starts a new sentence there: its first word capitalised
            if new.rstrip(" ")[-1:] in (".", "!", "?") and not line:
                word = re.match(r"\w+", text[end:nxt])
                capital = sentence_capital(text, end, word.group()) if word else None
                if capital is not None:
                    new, end = new + capital, end + 1
        elif not new:  # a deletion: join its neighbours with one space, or drop its line
            while end < nxt and text[end] in " \t" and (not before or before.isspace()):
                end += 1
            after = text[end] if end < len(text) else ""
            if before in ("\n", "") and after in ("\r", "\n", ""):  # the whole line goes
                rest = end
                while rest < nxt and text[rest] in " \t\r\n":
                    rest += 1
                if rest < len(text):
                    end = rest  # the next paragraph moves up into its place
                else:
                    start = max(cursor, len(text[:start].rstrip()))
                out.append(Change(start, end, new, f, s))
                cursor = end
                continue
            if before == " " and (not after or after in _PUNCT + "\n" or after == " "):
                if start > cursor:
                    start -= 1
                    before = text[start - 1] if start > 0 else ""
                elif after == " ":
                    end += 1
            if _sentence_starts(text, start, out, cursor):
                word = re.match(r"\w+", text[end:nxt])
                capital = capitalised(word.group()) if word else None
                if capital is not None:
                    new, end = capital, end + 1
        else:
            after = text[end] if end < len(text) else ""
            if new[-1:] in ".!?" and after in ".!?" and after:
                end = min(end + 1, nxt) if end < nxt else end
                if end == kept[i][1]:  # (the next edit starts there: drop ours)
                    new = new[:-1]
            if new.startswith(" ") and (not before or before.isspace()):
                new = new.lstrip(" ")
            if new.endswith(" ") and (not after or after.isspace()):
                new = new.rstrip(" ")
        out.append(Change(start, end, new, f, s))
        cursor = end
    return out


def _sentence_starts(text: str, at: int, out: list[Change], cursor: int) -> bool:
    """Whether a sentence starts at ``at`` (text before it ends one, or a line, or nothing)."""
    prev = text[:at].rstrip(" \t")
    if out and out[-1].end >= len(prev) and out[-1].text:
        prev = out[-1].text.rstrip(" \t")
    return not prev or prev[-1] in ".!?\n"


class Replacement(Protocol):
    """What :func:`apply_changes` reads of a change (a :class:`Change`, the fixer's edits)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


def apply_changes(text: str, changes: Iterable[Replacement]) -> str:
    """``text`` with ``changes`` (in text order, not overlapping) made."""
    parts: list[str] = []
    cursor = 0
    for c in changes:
        parts.append(text[cursor : c.start])
        parts.append(c.text)
        cursor = c.end
    parts.append(text[cursor:])
    return "".join(parts)


def _warnings(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.rule for f in findings if f.severity.rank >= 1)


def new_warnings(before: Iterable[Finding], after: Iterable[Finding]) -> list[Finding]:
    """The findings of ``after`` (warning or above) beyond those ``before`` had, rule by rule."""
    extra = _warnings(after) - _warnings(before)
    out = []
    for f in after:
        if extra[f.rule] > 0 and f.severity.rank >= 1:
            out.append(f)
    return out


def culprit(changes: list[Change], warning: Finding) -> int:
    """The change that brought ``warning`` (offsets into the composed text): the one whose new
    text it overlaps or touches, else the last one before it, else the last."""
    shift = 0
    best = len(changes) - 1
    for k, c in enumerate(changes):
        a, b = c.start + shift, c.start + shift + len(c.text)
        if a <= warning.end and warning.start <= b:
            return k
        if a <= warning.start:
            best = k
        shift += len(c.text) - (c.end - c.start)
    return best


def compose(
    text: str,
    findings: list[Finding],
    *,
    choose: Choose = first_suggestion,
    budget: int | None = None,
    relint: Relint | None = None,
    max_passes: int = MAX_PASSES,
) -> Composition:
    """``text`` with its findings' suggestions composed (see the module doc). ``relint``
    (optional) lints a text the way ``findings`` were found: with it, a composition that
    carries a new warning loses the edit that brought it, and the suggestions that waited get
    their turn on the re-linted text."""
    result = Composition(text, skipped=[])
    assert result.skipped is not None
    original = findings
    current = findings
    for n in range(max_passes):
        changes, skipped = arrange(text, current, choose=choose, budget=budget)
        if not changes:
            result.skipped += skipped
            break
        new = apply_changes(text, changes)
        after: list[Finding] | None = None
        if relint is not None:
            for _ in range(MAX_RETRIES):
                after = relint(new)
                bad = new_warnings(original, after)
                if not bad or not changes:
                    # (with no change left, a "new" warning is the text's own, as re-linted
                    # here: no edit to blame; the text stays as it is)
                    break
                k = culprit(changes, bad[0])
                c = changes[k]
                skipped.append(Skip(c.finding, c.suggestion, f"it would add {bad[0].rule}"))
                dropped = {id(c.finding)}
                current = [f for f in current if id(f) not in dropped]
                changes, more = arrange(text, current, choose=choose, budget=budget)
                skipped += [
                    m for m in more if id(m.finding) not in {id(x.finding) for x in skipped}
                ]
                new = apply_changes(text, changes)
            else:
                after = relint(new)
                if new_warnings(original, after):
                    changes, new = [], text
        result.passes = n + 1
        result.applied += len(changes)
        waiting = {x.finding.rule for x in skipped if x.waits}
        result.skipped += [x for x in skipped if not x.waits]
        text = new
        if not waiting or relint is None or after is None or not changes:
            result.skipped += [x for x in skipped if x.waits]
            break
        current = [f for f in after if f.rule in waiting and f.suggestions]
    result.text = text
    return result
