"""Markdown drafts, and saved-replies files (GitHub's ``SAVED_REPLIES.md`` layout).

Only the agent's prose is linted. Fenced and indented code blocks, HTML comments (suppression
comments among them), YAML front matter and quoted lines (``> …``, which become the customer
context) are left out; their line breaks stay, so the sentences around them still end. Inline
code becomes a neutral placeholder word (no rule fires on it), a link keeps its text and loses
its address, an image disappears, a heading keeps its words and ends its sentence.

A saved-replies file holds one reply per ``##`` (or deeper) heading: the reply is the section's
untagged fenced block when the section is essentially that block, else the section's prose.
Text under a ``#`` heading, and before the first heading, introduces the file and is not a reply.
A quote in a saved reply is left out too, but is the customer's message only where the file
labels it so (in a saved reply a quote is usually a guideline or doc quoted to the reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..offsets import LineIndex
from ..quoting import quote_depth
from . import encode
from .base import Draft, ReadOptions
from .mapping import Builder, Mapped, lines

# Inline code stands for a value: the masker treats "XXX" as a placeholder, so no rule fires on
# it and no rewrite changes it, while "use XXX to …" still parses as a noun.
CODE_STANDIN = "XXX"
# a saved reply's quote is the customer's message only where the file says so
_CUSTOMER_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?:the\s+)?customer(?:'s\s+message|\s+wrote|\s+says)?\s*:(?:\*\*|__)?\s*",
    re.IGNORECASE,
)
_SAID_BEFORE = re.compile(
    r"\b(?:customer|requester|user)(?:'s\s+message|\s+wrote|\s+writes|\s+says|\s+asked)\s*:\s*\**\s*$",
    re.IGNORECASE,
)
SAVED_REPLIES_NAMES = {"saved_replies.md", "saved-replies.md", "savedreplies.md"}

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<title>.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE_LINE = re.compile(r"^ {0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_LINK_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*\S+.*$")
_INLINE = re.compile(
    r"(?P<comment><!--)"
    r"|(?P<code>`+)"
    r"|(?P<image>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<link>\[(?P<label>[^\[\]\n]*)\](?:\([^()\s]*(?:\([^()\s]*\))?[^()\s]*"
    r"(?:\s+\"[^\"\n]*\")?\)|\[[^\]\n]*\]))"
    r"|(?P<tag></?(?P<tagname>[a-z][a-z0-9]*)(?:\s[^<>\n]*)?/?>)"
)
_BREAK_TAGS = {"br", "p", "div", "li", "ul", "ol", "tr", "table", "hr", "h1", "h2", "h3", "h4"}
_KEEP_TAGS = {"attribute"}  # Intercom's <attribute key="…"/> placeholder


def is_saved_replies(name: str, options: ReadOptions | None) -> bool:
    if options is not None and options.layout == "saved-replies":
        return True
    return Path(name).name.lower() in SAVED_REPLIES_NAMES


@dataclass
class _State:
    in_comment: bool = False


def render(
    source: Mapped,
    start: int = 0,
    stop: int | None = None,
    *,
    front_matter: bool = False,
    labelled_quotes: bool = False,
) -> tuple[Mapped, str | None]:
    """The prose of ``source.text[start:stop]`` and the customer's words quoted in it: every
    quote, or with ``labelled_quotes`` (a saved reply, where a quote is usually a guideline or
    a doc quoted to the reader) only a quote labelled as the customer's ("Customer: …" as its
    first words, or "The customer wrote:" as the line before it)."""
    text = source.text
    stop = len(text) if stop is None else stop
    rows = list(lines(text, start, stop))
    b = Builder(source)
    customer: list[str] = []
    quote: list[str] = []  # the quote being read
    said_before = False  # the line before it says the customer's words follow
    previous = ""  # the last line that was not blank

    def end_quote() -> None:
        if quote and (not labelled_quotes or said_before or _CUSTOMER_LABEL.match(quote[0])):
            first = _CUSTOMER_LABEL.sub("", quote[0], count=1) if labelled_quotes else quote[0]
            customer.extend([first, *quote[1:]] if first.strip() else quote[1:])
        quote.clear()

    state = _State()
    k = 0
    if front_matter and rows and text[rows[0][0] : rows[0][1]].rstrip() == "---":
        close = next(
            (
                n
                for n in range(1, len(rows))
                if text[rows[n][0] : rows[n][1]].rstrip() in ("---", "...")
            ),
            None,
        )
        if close is not None:
            for _, ce, e in rows[: close + 1]:
                b.keep(ce, e)
            k = close + 1
    blank_before = True
    in_list = False
    in_quote = False
    while k < len(rows):
        s, ce, e = rows[k]
        line = text[s:ce]
        if state.in_comment:
            _inline(b, text, s, ce, state)
            b.keep(ce, e)
            k += 1
            continue
        fence = _FENCE.match(line)
        if fence and not (fence.group("fence")[0] == "`" and "`" in fence.group("info")):
            k = _skip_fence(b, text, rows, k, fence.group("fence"))
            blank_before, in_quote = True, False
            continue
        if not line.strip():
            b.keep(s, e)
            blank_before, in_quote = True, False
            k += 1
            continue
        indented = line.startswith("\t") or line.startswith("    ")
        if indented and blank_before and not in_list:
            while k < len(rows):  # an indented code block runs over indented and blank lines
                s, ce, e = rows[k]
                line = text[s:ce]
                if line.strip() and not (line.startswith("\t") or line.startswith("    ")):
                    break
                b.keep(ce, e)
                k += 1
            blank_before = True
            continue
        depth, inner = quote_depth(line)
        lazy = in_quote and not _HEADING.match(line) and not _LIST_ITEM.match(line)
        if depth or lazy:  # a quote, or the lazy continuation of its paragraph
            if not in_quote:
                end_quote()
                said_before = _SAID_BEFORE.search(previous) is not None
            if depth <= 1:
                quote.append(inner)
            b.keep(ce, e)
            in_quote, blank_before = True, False
            k += 1
            continue
        previous = line
        heading = _HEADING.match(line)
        if heading:
            title = heading.group("title")
            if title:
                at = s + heading.start("title")
                _inline(b, text, at, at + len(title), state)
            b.keep(ce, e)
            b.insert("\n", e)  # a heading ends its sentence like a paragraph does
            blank_before, in_list = True, False
            k += 1
            continue
        if _RULE_LINE.match(line) or _LINK_DEF.match(line):
            b.keep(ce, e)
            blank_before = True
            k += 1
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif not indented:
            in_list = False
        _inline(b, text, s, ce, state)
        b.keep(ce, e)
        blank_before = False
        k += 1
    end_quote()
    found = "\n".join(customer).strip()
    return b.build(), found or None


def _skip_fence(b: Builder, text: str, rows: list[tuple[int, int, int]], k: int, fence: str) -> int:
    """Leave a fenced block out (its line breaks stay); the row after it."""
    b.keep(rows[k][1], rows[k][2])
    k += 1
    closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
    while k < len(rows):
        s, ce, e = rows[k]
        b.keep(ce, e)
        k += 1
        if closing.match(text[s:ce]):
            break
    return k


def _inline(b: Builder, text: str, start: int, stop: int, state: _State) -> None:
    """Copy ``text[start:stop]`` (one line) without comments, code, link targets and tags."""
    i = start
    if state.in_comment:
        close = text.find("-->", i, stop)
        if close < 0:
            return
        i = close + 3
        state.in_comment = False
    while i < stop:
        m = _INLINE.search(text, i, stop)
        if m is None:
            b.keep(i, stop)
            return
        b.keep(i, m.start())
        if m.group("comment"):
            close = text.find("-->", m.end(), stop)
            if close < 0:
                state.in_comment = True
                return
            i = close + 3
        elif m.group("code"):
            ticks = m.group("code")
            end = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(text, m.end(), stop)
            if end is None:
                b.keep(m.start(), m.end())
                i = m.end()
            else:
                b.put(CODE_STANDIN, m.start(), end.end())
                i = end.end()
        elif m.group("image"):
            i = m.end()
        elif m.group("link"):
            label_start = m.start("label")
            _inline(b, text, label_start, label_start + len(m.group("label")), state)
            i = m.end()
        else:
            name = m.group("tagname")
            if name in _KEEP_TAGS:
                b.keep(m.start(), m.end())
            elif name in _BREAK_TAGS:
                b.put("\n", m.start(), m.end())
            else:
                b.put(" ", m.start(), m.end())
            i = m.end()


# --------------------------------------------------------------------------------------------
# saved replies
# --------------------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    level: int
    start: int  # the first character after the heading line
    stop: int


def sections(text: str) -> list[Section]:
    """The heading-delimited sections of a Markdown text (headings inside fences do not count)."""
    found: list[Section] = []
    fence: str | None = None
    for s, ce, e in lines(text):
        line = text[s:ce]
        f = _FENCE.match(line)
        if fence is not None:
            if (
                f
                and f.group("fence")[0] == fence[0]
                and len(f.group("fence")) >= len(fence)
                and not f.group("info").strip()
            ):
                fence = None
            continue
        if f:
            fence = f.group("fence")
            continue
        h = _HEADING.match(line)
        if h:
            if found:
                found[-1].stop = s
            found.append(Section((h.group("title") or "").strip(), len(h.group("marks")), e, e))
    if found:
        found[-1].stop = len(text)
    return found


def _reply_block(text: str, section: Section) -> tuple[int, int] | None:
    """The content of the section's untagged fenced block when the reply is that block: the
    section's only untagged block, with fewer words of prose around it than inside it."""
    rows = list(lines(text, section.start, section.stop))
    blocks: list[tuple[int, int, int, int]] = []  # (first row, last row, content start, stop)
    outside_words = 0
    k = 0
    while k < len(rows):
        s, ce, _ = rows[k]
        f = _FENCE.match(text[s:ce])
        if f:
            fence = f.group("fence")
            closing = re.compile(
                r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$"
            )
            end = next(
                (
                    n
                    for n in range(k + 1, len(rows))
                    if closing.match(text[rows[n][0] : rows[n][1]])
                ),
                len(rows),
            )
            if not f.group("info").strip():
                content_start = rows[k][2]
                content_stop = rows[end][0] if end < len(rows) else section.stop
                blocks.append((k, end, content_start, content_stop))
            k = end + 1
            continue
        outside = re.sub(r"<!--.*?-->", " ", text[s:ce])
        outside_words += len(outside.split())
        k += 1
    if len(blocks) != 1:
        return None
    _, _, cs, cstop = blocks[0]
    if outside_words >= len(text[cs:cstop].split()):
        return None
    return cs, cstop


def read_saved_replies(name: str, text: str) -> list[Draft]:
    source = Mapped.identity(text)
    index = LineIndex(text)
    drafts: list[Draft] = []
    for section in sections(text):
        if section.level < 2:
            continue
        block = _reply_block(text, section)
        start, stop = block if block else (section.start, section.stop)
        body, customer = render(source, start, stop, labelled_quotes=True)
        if not body.text.strip():
            continue
        drafts.append(
            Draft.from_mapped(
                body,
                index,
                path=name,
                title=section.title or None,
                customer=customer,
                encode=encode.raw,
            )
        )
    return drafts


def read_markdown(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    if is_saved_replies(name, options):
        return read_saved_replies(name, text)
    body, customer = render(Mapped.identity(text), front_matter=True)
    return [
        Draft.from_mapped(body, LineIndex(text), path=name, customer=customer, encode=encode.raw)
    ]
