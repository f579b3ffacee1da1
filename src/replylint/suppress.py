"""Inline suppression comments (README, "Suppression comments"), applied to a file's findings.

In each format's comment syntax — ``<!-- replylint: … -->`` in Markdown and HTML, a
``# replylint: …`` line in plain text and YAML::

    replylint: disable=terse-refusal,bare-policy   … until …   replylint: enable
    replylint: disable-next-line=bare-policy
    replylint: disable-file

``disable`` and ``disable-file`` without ``=IDS`` cover every rule; ``enable`` without ids ends
every ``disable``, ``enable=ID`` ends ``disable=ID``. A comment that suppresses nothing is
reported as a finding of the built-in rule ``unused-suppression`` (rules/unused-suppression.yaml;
ruff's RUF100), pointing at the comment, so stale ones get cleaned up. The readers leave these
comments out of the linted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .models import Finding, Rule
from .offsets import LINE_BREAK, LineIndex

UNUSED_RULE = "unused-suppression"
Style = Literal["hash", "html"]
Action = Literal["disable", "enable", "disable-next-line", "disable-file"]
ALL = "*"

HASH_LINE = re.compile(r"^[ \t]*#[ \t]*replylint:(?P<body>.*)$")
HTML_COMMENT = re.compile(r"<!--[ \t\r\n]*replylint:(?P<body>.*?)-->", re.DOTALL)
_BODY = re.compile(
    r"^\s*(?P<action>disable-file|disable-next-line|disable|enable)"
    r"\s*(?:=\s*(?P<ids>[A-Za-z0-9_,\s-]*?))?\s*$"
)


def is_directive_line(line: str) -> bool:
    """Whether a line (without its line break) is a ``# replylint: …`` comment."""
    return HASH_LINE.match(line) is not None


@dataclass
class Directive:
    """One suppression comment: what it does, to which rules, and where it is in the file."""

    action: Action | None  # None: a replylint comment that does not parse
    rules: tuple[str, ...]  # empty: every rule
    start: int
    end: int
    body: str
    used: set[str] = field(default_factory=set)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.rules or (ALL,)


def find_directives(text: str, styles: Iterable[Style]) -> list[Directive]:
    """The suppression comments of a file's text, in file order."""
    found: list[Directive] = []
    styles = set(styles)
    if "hash" in styles:
        pos = 0
        for line in LINE_BREAK.split(text):
            m = HASH_LINE.match(line)
            if m:
                lead = len(line) - len(line.lstrip(" \t"))
                found.append(_directive(m.group("body"), pos + lead, pos + len(line.rstrip())))
            pos += len(line)
            nl = LINE_BREAK.match(text, pos)
            pos = nl.end() if nl else pos
    if "html" in styles:
        for m in HTML_COMMENT.finditer(text):
            found.append(_directive(m.group("body"), m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def _directive(body: str, start: int, end: int) -> Directive:
    m = _BODY.match(body)
    if m is None:
        return Directive(None, (), start, end, body.strip())
    ids = tuple(dict.fromkeys(p.strip() for p in (m.group("ids") or "").split(",") if p.strip()))
    action: Action = m.group("action")  # type: ignore[assignment]
    return Directive(action, ids, start, end, body.strip())


def apply_suppressions(
    findings: list[Finding],
    text: str,
    styles: Iterable[Style],
    *,
    lines: LineIndex | None = None,
    known: Iterable[str] | None = None,
    selected: Iterable[str] | None = None,
    unused: Rule | None = None,
) -> list[Finding]:
    """``findings`` (of a file whose decoded text is ``text``) less the suppressed ones, plus,
    when the rule ``unused`` (unused-suppression) is given, a finding of it for each comment
    that suppressed nothing.

    ``known`` are the rule ids of the rule book (others are reported as unknown), ``selected``
    the ones that ran (a comment about a rule that did not run is not reported as unused).
    """
    directives = find_directives(text, styles)
    if not directives:
        return sorted(findings, key=Finding.sort_key)
    index = lines if lines is not None else LineIndex(text)
    known_ids = set(known) if known is not None else None
    ran = set(selected) if selected is not None else None

    # disable … enable ranges, as file offsets: (start, end, rule or ALL, directive)
    ranges: list[tuple[int, int, str, Directive]] = []
    open_: dict[str, tuple[int, Directive]] = {}
    for d in directives:
        if d.action == "disable":
            for key in d.keys:
                open_.setdefault(key, (d.end, d))
        elif d.action == "enable":
            for key in d.rules or tuple(open_):
                if key in open_:
                    begin, owner = open_.pop(key)
                    ranges.append((begin, d.start, key, owner))
    for key, (begin, owner) in open_.items():
        ranges.append((begin, len(text), key, owner))

    kept: list[Finding] = []
    for f in findings:
        offset = index.offset(f.line, f.column)
        if not _suppressed(f, offset, index, directives, ranges):
            kept.append(f)

    for d in directives:
        if unused is None:
            break
        message = _unused_message(d, known_ids, ran)
        if message is None:
            continue
        line, column = index.position(d.start)
        end_line, end_column = index.position(d.end)
        kept.append(
            Finding(
                rule=unused.id,
                severity=unused.severity,
                category=unused.category,
                message=message,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                excerpt=text[d.start : d.end],
                start=d.start,  # a comment is in no draft: offsets into the file text
                end=d.end,
            )
        )
    kept.sort(key=Finding.sort_key)
    return kept


def _suppressed(
    f: Finding,
    offset: int,
    index: LineIndex,
    directives: list[Directive],
    ranges: list[tuple[int, int, str, Directive]],
) -> bool:
    hit = False
    for d in directives:
        if d.action == "disable-file" or (
            d.action == "disable-next-line" and f.line == index.position(d.end)[0] + 1
        ):
            for key in (f.rule, ALL):
                if key in d.keys:
                    d.used.add(key)
                    hit = True
    for begin, end, key, d in ranges:
        if key in (f.rule, ALL) and begin <= offset < end:
            d.used.add(key)
            hit = True
    return hit


def _unused_message(d: Directive, known: set[str] | None, ran: set[str] | None) -> str | None:
    if d.action is None:
        return (
            f"Unknown replylint comment {d.body!r}: expected disable=ID[,ID], enable, "
            "disable-next-line=ID or disable-file"
        )
    if d.action == "enable":
        return None
    unknown = [r for r in d.rules if known is not None and r not in known]
    if unknown:
        listed = ", ".join(unknown)
        return f"Unknown rule id{'s' if len(unknown) > 1 else ''} in replylint comment: {listed}"
    unused = [
        key for key in d.keys if key not in d.used and (key == ALL or ran is None or key in ran)
    ]
    if not unused:
        return None
    if unused == [ALL]:
        return "Unused suppression: there is no finding here to suppress; remove the comment"
    listed = ", ".join(unused)
    return f"Unused suppression: no {listed} finding here to suppress; remove it from the comment"
