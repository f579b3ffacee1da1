"""HTML drafts, and HTML-valued fields of helpdesk exports.

Text content only: tags are dropped, entities decoded (each an atomic segment of the offset
map, so a finding covers the whole ``&rsquo;``), comments (suppression comments among them),
``<script>``, ``<style>``, ``<head>``, ``<pre>`` and other non-prose elements skipped. A
``<blockquote>`` (or a mail client's quote ``<div class="gmail_quote">``) is the customer's
message: left out of the linted text, it becomes the draft's context. Block elements (p, div,
br, li, h1–h6, tr …) end sentences: a blank line is inserted there, mapped to an empty span of
the file. ``<code>`` becomes a neutral placeholder word. Placeholders that look like tags stay
text: Intercom's ``<attribute key="user.name" default="there"/>`` and ``<PROJECT NAME>``.
"""

from __future__ import annotations

import html
import re

from ..offsets import LineIndex
from . import encode
from .base import Draft, PositionedError, ReadOptions, SourceError
from .mapping import Builder, Mapped
from .text import read_plain

CODE_STANDIN = "XXX"

_TAG = re.compile(
    r"<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]*)"
    r"(?P<attrs>(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
    r"\s*(?P<self>/)?>"
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_QUOTE_CLASS = re.compile(
    r"""\b(?:class|id)\s*=\s*["']?[^"'>]*\b(?:gmail_quote|yahoo_quoted|moz-cite-prefix|"""
    r"""divRplyFwdMsg|appendonsend)\b""",
    re.IGNORECASE,
)
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:p|div|br|span|a|b|strong|em|i|u|ul|ol|li|h[1-6]|table|tr|td|blockquote|img|font|"
    r"hr|html|body)\b[^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);",
    re.IGNORECASE,
)

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param", "keygen",
}  # fmt: skip
# elements whose end tag may be left out: never reported as unclosed
OPTIONAL_END = {
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "html", "body",
    "head", "option", "optgroup", "colgroup", "caption", "rp", "rt",
}  # fmt: skip
BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "body", "html", "center", "caption",
}  # fmt: skip
SKIP = {"script", "style", "head", "title", "template", "noscript", "pre", "textarea", "svg",
        "math", "object", "iframe", "select"}  # fmt: skip
RAW_TEXT = {"script", "style", "title", "textarea"}
QUOTE = {"blockquote"}
KNOWN = VOID | OPTIONAL_END | BLOCK | SKIP | {
    "a", "abbr", "b", "bdi", "bdo", "button", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "ins", "kbd", "label", "legend", "mark", "meter", "output", "picture",
    "progress", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
    "tt", "u", "var", "video", "audio", "canvas", "details", "summary", "dialog", "map",
    "menu", "o:p", "st1", "v:shape",
}  # fmt: skip


def looks_like_html(text: str) -> bool:
    return _LOOKS_LIKE_HTML.search(text) is not None


def _is_placeholder_tag(name: str) -> bool:
    """``<attribute …/>`` (Intercom) and ``<PROJECT NAME>``-style fill-ins are text, not tags."""
    if name.lower() == "attribute":
        return True
    return name.lower() not in KNOWN and name.isupper()


def extract(source: Mapped, *, strict: bool = False) -> tuple[Mapped, str | None]:
    """The text content of the HTML ``source`` and the customer's quoted words (or None).

    ``strict``: an element left open at the end (other than those whose end tag HTML lets you
    omit), an unterminated comment or tag is an error (:class:`PositionedError`, at the file
    offset of the element).
    """
    text = source.text
    b = Builder(source)
    customer: list[str] = []
    stack: list[tuple[str, int]] = []  # open elements and where they start (file offsets)
    i = 0
    n = len(text)

    def block_break(at: int) -> None:
        if not len(b) or b.ends_with("\n\n"):
            return
        b.insert("\n" if b.ends_with("\n") else "\n\n", at)

    lt = amp = -1
    while i < n:
        if lt < i:
            lt = text.find("<", i)
            lt = n if lt < 0 else lt
        if amp < i:
            amp = text.find("&", i)
            amp = n if amp < 0 else amp
        nxt = min(lt, amp)
        if nxt > i:
            b.keep(i, nxt)
            i = nxt
            continue
        if text[i] == "&":
            m = _ENTITY.match(text, i)
            decoded = html.unescape(m.group()) if m else None
            if m is None or decoded is None or decoded == m.group():
                b.keep(i, i + 1)
                i += 1
            else:
                b.put(decoded.replace("\xa0", " "), i, m.end())
                i = m.end()
            continue
        # text[i] == "<"
        if text.startswith("<!--", i):
            close = text.find("-->", i + 4)
            if close < 0:
                if strict:
                    raise PositionedError(source.file_pos(i), "comment '<!--' is never closed")
                break
            i = close + 3
            continue
        if text.startswith("<![CDATA[", i):
            close = text.find("]]>", i)
            i = n if close < 0 else close + 3
            continue
        if text.startswith("<!", i) or text.startswith("<?", i):
            close = text.find(">", i)
            i = n if close < 0 else close + 1
            continue
        m = _TAG.match(text, i)
        if m is None:
            if strict and re.match(r"</?[A-Za-z]", text[i : i + 3]) and text.find(">", i) < 0:
                raise PositionedError(source.file_pos(i), "a tag is never closed with '>'")
            b.keep(i, i + 1)  # a lone "<" ("a < b")
            i += 1
            continue
        raw_name = m.group("name")
        name = raw_name.lower()
        closing = m.group("close") is not None
        if _is_placeholder_tag(raw_name):
            if not closing or name != "attribute":
                b.keep(i, m.end())
            i = m.end()
            continue
        if closing:
            if name in BLOCK:
                block_break(i)
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
            i = m.end()
            continue
        self_closing = m.group("self") is not None or name in VOID
        quote = name in QUOTE or (name == "div" and _QUOTE_CLASS.search(m.group("attrs")))
        if (name in SKIP or quote or name == "code") and not self_closing:
            end_start, end_stop = _find_end(text, name, m.end())
            if end_start < 0:
                if strict:
                    raise PositionedError(
                        source.file_pos(i), f"<{name}> is never closed (expected </{name}>)"
                    )
                end_start = end_stop = n
            if name == "code":
                b.put(CODE_STANDIN, i, end_stop)
            else:
                block_break(i)
                if quote:
                    inner, _ = extract(source.sub(m.end(), end_start))
                    if inner.text.strip():
                        customer.append(inner.text.strip())
                block_break(end_stop)
            i = end_stop
            continue
        if name in BLOCK:
            block_break(i)
        if not self_closing:
            stack.append((name, source.file_pos(i)))
        i = m.end()
    if strict:
        unclosed = [(name, pos) for name, pos in stack if name not in OPTIONAL_END]
        if unclosed:
            name, pos = unclosed[-1]
            raise PositionedError(pos, f"<{name}> is never closed (expected </{name}>)")
    found = "\n\n".join(customer).strip()
    return b.build(), found or None


def _find_end(text: str, name: str, start: int) -> tuple[int, int]:
    """Where the end tag of the element ``name`` opened before ``start`` is: (start, stop), or
    (-1, -1). Nested elements of the same name are counted."""
    if name in RAW_TEXT:
        m = re.compile(r"</" + re.escape(name) + r"\s*>", re.IGNORECASE).search(text, start)
        return (m.start(), m.end()) if m else (-1, -1)
    depth = 1
    i = start
    while True:
        lt = text.find("<", i)
        if lt < 0:
            return -1, -1
        if text.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            if close < 0:
                return -1, -1
            i = close + 3
            continue
        m = _TAG.match(text, lt)
        if m is None:
            i = lt + 1
            continue
        if m.group("name").lower() == name:
            if m.group("close"):
                depth -= 1
                if depth == 0:
                    return m.start(), m.end()
            elif not m.group("self"):
                depth += 1
        i = m.end()


def reply_of(
    source: Mapped,
    encoder: encode.Encoder | None,
    *,
    html: bool,
    directives: bool = True,
    email: bool = False,
) -> tuple[Mapped, encode.Encoder | None, str | None]:
    """The agent's own text of ``source`` (an HTML body when ``html``: its text content first),
    the encoder that writes into it, and the customer's words quoted in it (or None): the step
    the e-mail and collection readers share."""
    quoted: list[str] = []
    if html:
        encoder = encode.in_html(encoder) if encoder is not None else None
        source, from_html = extract(source)
        if from_html:
            quoted.append(from_html)
    text, from_text = read_plain(source, directives=directives, email=email)
    if from_text:
        quoted.append(from_text)
    return text, encoder, "\n\n".join(quoted).strip() or None


def read_html(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    index = LineIndex(text)
    try:
        body, customer = extract(Mapped.identity(text), strict=True)
    except PositionedError as exc:
        raise SourceError.at(index, exc.offset, exc.message) from None
    return [
        Draft.from_mapped(
            body, index, path=name, customer=customer, encode=encode.in_html(encode.raw)
        )
    ]
