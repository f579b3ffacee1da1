"""`replylint explain RULE`: what a rule flags, why (quoting its seed article), an example with
its rewrite, a passing example, and how to turn it off. Never imports spaCy: the example's
rewrite is stored in the rule file (and checked against the engine by the tests)."""

from __future__ import annotations

import re
import textwrap

from .models import Rule, Source
from .rulebook import seeds_dir

QUOTE_CHARS = 320
SECTION_CHARS = 3000
_BOILERPLATE = re.compile(r"Posted on|Please leave a comment")
_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")
_WORD = re.compile(r"[a-z’']{4,}")
_STOP = {
    "that",
    "this",
    "with",
    "they",
    "them",
    "their",
    "what",
    "when",
    "your",
    "from",
    "have",
    "will",
    "would",
    "there",
    "about",
    "into",
    "more",
    "than",
    "even",
    "just",
    "which",
    "customer",
    "customers",
    "service",
}


_DATED_HEADING = re.compile(r"\s[-–]\s\d{1,2}/\d{1,2}/\d{2}\b")


def _is_heading(line: str) -> bool:
    """A short line of its own with no closing punctuation (the seeds' section titles)."""
    text = line.strip()
    return (
        bool(text)
        and line[:1] not in " \t•*"
        and len(text.split()) <= 8
        and text[-1] not in '.!?:,;”")'
    )


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def seed_text(name: str) -> str:
    """A seed article, with no-break spaces read as spaces (the articles use both)."""
    return (seeds_dir() / name).read_text(encoding="utf-8").replace("\u00a0", " ")


def seed_quote(source: Source, topic: str = "") -> str | None:
    """A short quote from the passage under ``source.heading`` in its seed file: the sentence
    (and its neighbour) sharing most words with ``topic``, or the first one."""
    try:
        text = seed_text(source.file)
    except OSError:
        return None
    at = text.find(source.heading)
    if at < 0:
        return None
    section = text[at + len(source.heading) : at + len(source.heading) + SECTION_CHARS]
    lines: list[str] = []
    raw_lines = section.splitlines()
    if raw_lines and re.fullmatch(r"[\s.:\-–—\d/TOW]*", raw_lines[0]):
        raw_lines = raw_lines[1:]  # the heading was a line of its own (maybe with a date)
    elif raw_lines:
        raw_lines[0] = " " + raw_lines[0].lstrip(" .:")  # the heading opened a paragraph
    for raw in raw_lines:
        line = re.sub(r"\s*Read more\s*$", "", raw.strip())
        if lines and (_DATED_HEADING.search(line) or _is_heading(raw)):
            break  # the next article or section
        line = line.lstrip("•* ")
        if line and not _BOILERPLATE.search(line) and not re.fullmatch(r"[-–\s\d/TOW]*", line):
            lines.append(line)
    sentences = [s for s in _SENTENCE.split(" ".join(lines)) if len(s) > 20]
    if not sentences:
        return None
    wanted = _words(topic)
    best = max(range(len(sentences)), key=lambda k: (len(_words(sentences[k]) & wanted), -k))
    quote = sentences[best].lstrip(" .:-–—0123456789/")
    nxt = sentences[best + 1] if best + 1 < len(sentences) else ""
    if nxt and len(quote) + len(nxt) < QUOTE_CHARS and _words(nxt) & wanted:
        quote = f"{quote} {nxt}"
    return quote if len(quote) <= QUOTE_CHARS else quote[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"


BUILT_IN = 'Source: built into replylint (README, "Suppression comments").'
BUILT_IN_GATE = (
    "Source: built into replylint: a gate asked before every rule (replylint/language.py)."
)
NO_REWRITE_GATE = (
    "    (none: the draft is not linted; translate it, move it out of the replies, or ignore it)"
)
NO_REWRITE = "    (none: remove the comment, or the rule ids in it that suppress nothing)"


def _block(text: str) -> str:
    return textwrap.indent(text.rstrip("\n"), "    ")


def explain(rule: Rule) -> str:
    fail = rule.examples.fail[0]
    ok = rule.examples.pass_[0]
    out = [
        f"{rule.id} ({rule.name}) — {rule.category.value}, {rule.severity.value}",
        "",
        "## What it flags",
        textwrap.fill(rule.summary, 96),
        "",
        "## Why is this bad?",
        textwrap.fill(rule.why, 96),
        "",
    ]
    if not rule.source:
        out += [BUILT_IN_GATE if rule.kind == "gate" else BUILT_IN, ""]
    for source in rule.source:
        quote = seed_quote(source, f"{rule.summary} {rule.why}")
        where = f'seeds/{source.file}, "{source.heading}"'
        if quote:
            out.append(textwrap.fill(f"“{quote}”", 96, initial_indent="> ", subsequent_indent="> "))
            out.append(f">   — {where}")
        else:
            out.append(f"Source: {where}")
        out.append("")
    out += ["## Example", ""]
    if fail.customer:
        out += ["Customer wrote:", _block(fail.customer), "", "Reply:"]
    out += [_block(fail.text), ""]
    if fail.rewrite is not None:
        out += ["## Suggested rewrite", "", _block(fail.rewrite), ""]
    elif rule.kind == "suppression":
        out += ["## Suggested rewrite", "", NO_REWRITE, ""]
    elif rule.kind == "gate":
        out += ["## Suggested rewrite", "", NO_REWRITE_GATE, ""]
    elif rule.rewrite is None:  # no edit could be verified: the message says what to change
        out += ["## Suggested rewrite", "", f"    (none: {rule.message})", ""]
    out += ["## Passes", "", _block(ok.text), ""]
    out += [
        "## How to disable it",
        f"    replylint check --ignore {rule.id} PATH...",
        "",
    ]
    return "\n".join(out)
