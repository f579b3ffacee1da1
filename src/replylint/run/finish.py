"""The one finish step every path takes from the engine's findings to the findings it reports.

``check`` (:mod:`.files`), ``fix`` and ``check --diff`` (:mod:`replylint.fix`), the language
server, the library (:meth:`replylint.Linter.lint_drafts`) and the HTTP server (through the
library) all end here: the engine's findings of a draft or of a file, already placed in the
file's text (the engine does that), get

1. the configuration (:meth:`~replylint.Linter.configurer`: ``per-file-ignores``, ``severity``),
2. for a file, its suppression comments (:func:`~replylint.suppress.apply_suppressions`,
   which adds a finding of the rule ``unused-suppression``, when it is selected, for each
   comment that suppressed nothing, configured in turn), and
3. for a file, the file order (:meth:`~replylint.models.Finding.sort_key`); a draft's come
   sorted from the engine.

The configuration comes first so that a comment about a rule ``per-file-ignores`` turns off
is reported as unused, as it always was. Every finding is configured exactly once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..models import Finding, Profile
from ..offsets import LineIndex
from ..sources import comment_styles
from ..sources.base import Draft
from ..suppress import UNUSED_RULE, Style, apply_suppressions
from ..threads import judge_drafts, thread_marker

if TYPE_CHECKING:
    from ..api import Linter

DRAFTLESS = -1  # the owner of a finding about the file's comments (in no draft)


@dataclasses.dataclass(frozen=True)
class FileText:
    """What the finish step needs of a file (or chunk): its decoded text, the line index of
    that text, and its comment styles."""

    text: str
    lines: LineIndex
    comments: tuple[Style, ...] = ()


def finish(
    linter: Linter, path: str | None, found: Iterable[Finding], file: FileText | None = None
) -> list[Finding]:
    """The findings of one draft (``file`` None) or one file (or chunk) as reported."""
    return [f for _, f in finish_owned(linter, path, ((0, f) for f in found), file)]


def finish_owned(
    linter: Linter,
    path: str | None,
    found: Iterable[tuple[int, Finding]],
    file: FileText | None = None,
) -> list[tuple[int, Finding]]:
    """:func:`finish` for findings that each carry their owner (a draft's index): each kept
    finding with its owner, :data:`DRAFTLESS` for those about the file's comments."""
    configure = linter.configurer(path)
    owner: dict[int, int] = {}
    configured: list[Finding] = []
    for index, f in found:
        g = configure(f)
        if g is not None:
            owner[id(g)] = index
            configured.append(g)
    if file is None:
        return [(owner[id(f)], f) for f in configured]
    kept = apply_suppressions(
        configured,
        file.text,
        file.comments,
        lines=file.lines,
        known=set(linter.rulebook.rules),
        selected=linter.rule_ids,
        unused=linter.rulebook.rules[UNUSED_RULE] if UNUSED_RULE in linter.rule_ids else None,
    )
    out: list[tuple[int, Finding]] = []
    for f in kept:
        if id(f) in owner:
            out.append((owner[id(f)], f))
        else:  # a comment's finding (sorted with its default severity, as it always was)
            g = configure(f)
            if g is not None:
                out.append((DRAFTLESS, g))
    return out


def lint_by_index(
    linter: Linter,
    path: str,
    drafts: list[Draft],
    customer: str | None = None,
    only: Iterable[int] | None = None,
    profiles: dict[int, Profile] | None = None,
) -> dict[int, list[Finding]]:
    """The engine's findings of a file's drafts (all, or those at the indices ``only``) by
    index, not yet finished (see :func:`finish_file`); ``profiles`` gets their profiles (by
    index), which :func:`finish_file` needs to judge a thread as a whole."""
    indices = list(range(len(drafts))) if only is None else sorted(set(only))
    shown = [
        dataclasses.replace(
            drafts[i], path=path, customer=customer if customer is not None else drafts[i].customer
        )
        for i in indices
    ]
    position = {id(d): i for d, i in zip(shown, indices, strict=True)}
    out: dict[int, list[Finding]] = {i: [] for i in indices}
    for n, (draft, findings, profile) in enumerate(linter.engine_results(shown)):
        index = position.get(id(draft), indices[n])
        out[index] = list(findings)
        if profiles is not None:
            profiles[index] = profile
    return out


def finish_file(
    linter: Linter,
    path: str,
    text: str,
    drafts: list[Draft],
    found: dict[int, list[Finding]],
    lines: LineIndex | None = None,
    profiles: dict[int, Profile] | None = None,
) -> list[tuple[int, Finding]]:
    """The findings of a file's drafts (``found``, by index) finished, each with the index of
    its draft (:data:`DRAFTLESS` for findings about the file's comments). ``lines`` index
    ``text`` (a chunk's, from its file line) when it has no draft to take them from. With the
    drafts' ``profiles`` (from :func:`lint_by_index`), a thread among them ("1/2", "2/2") is
    judged as a whole first (:mod:`replylint.threads`)."""
    index = drafts[0].lines if drafts else lines or LineIndex(text)
    if profiles:
        markers = {i: m for i in found if (m := thread_marker(drafts[i].text)) is not None}
        if markers:
            customers = {i for i in markers if drafts[i].customer is not None}
            found, _ = judge_drafts(markers, found, profiles, customers)
    pairs = ((i, f) for i in sorted(found) for f in found[i])
    return finish_owned(linter, path, pairs, FileText(text, index, tuple(comment_styles(path))))


def lint_text(
    linter: Linter,
    path: str,
    text: str,
    drafts: list[Draft],
    customer: str | None = None,
) -> list[tuple[int, Finding]]:
    """The findings of a file's drafts (read from its decoded ``text``) as reported, each with
    the index of its draft (:data:`DRAFTLESS` for findings about the file's comments)."""
    profiles: dict[int, Profile] = {}
    found = lint_by_index(linter, path, drafts, customer, profiles=profiles)
    return finish_file(linter, path, text, drafts, found, profiles=profiles)
