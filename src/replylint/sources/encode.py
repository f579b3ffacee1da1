"""Writing text back where a draft came from: each reader's context, as an encoder.

A reader knows how the characters of a draft are written in its file (raw in a text file,
entity-escaped in HTML, JSON-escaped inside a JSON string, indented in a YAML block scalar …).
It records that on the draft as an :data:`Encoder`: a function from plain replacement text and
the file's line ending to the text to write into the file there, or None when the text cannot
be written safely in that context (the fixer then skips the suggestion and says so).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from ..offsets import LINE_BREAK

Encoder = Callable[[str, str], str | None]

_BREAKS = re.compile(r"((?:\r\n|\r|\n)+)")


def _lines(text: str, newline: str) -> str:
    return LINE_BREAK.sub(newline, text)


def raw(text: str, newline: str) -> str | None:
    """Plain text, Markdown: as is, with the file's line ending."""
    return _lines(text, newline)


# Intercom's <attribute …/> and <PROJECT NAME>-like placeholders are text the HTML reader keeps
_PLACEHOLDER_TAG = re.compile(r"<attribute\b[^<>]*>|<[A-Z][A-Z0-9 _-]*>")


def html_text(text: str) -> str:
    """Text for an HTML context: ``&``, ``<`` and ``>`` entity-escaped (placeholders kept)."""
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER_TAG.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        out.append(m.group())
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def in_html(inner: Encoder) -> Encoder:
    """``inner``'s context holding HTML: the text is entity-escaped first."""

    def encode(text: str, newline: str) -> str | None:
        return inner(html_text(text), newline)

    return encode


def json_string(*, ascii_only: bool) -> Encoder:
    """Inside a JSON string literal (``ascii_only``: escape non-ASCII, as the file does)."""

    def encode(text: str, newline: str) -> str | None:
        return json.dumps(text, ensure_ascii=ascii_only)[1:-1]

    return encode


def yaml_double(text: str, newline: str) -> str | None:
    """Inside a double-quoted YAML scalar: JSON escapes are YAML escapes."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def yaml_single(text: str, newline: str) -> str | None:
    """Inside a single-quoted YAML scalar: ``'`` doubled; a line break cannot be written."""
    if "\n" in text or "\r" in text:
        return None
    return text.replace("'", "''")


_PLAIN_BAD = re.compile(r"[\r\n\t]|: |:$| #|^#")


def yaml_plain(text: str, newline: str) -> str | None:
    """Inside a plain YAML scalar: only text that cannot end it or start a comment."""
    if _PLAIN_BAD.search(text):
        return None
    return text


def yaml_block(indent: int, *, folded: bool) -> Encoder:
    """Inside a literal (``|``) or folded (``>``) block scalar indented by ``indent``: each line
    break starts an indented line (folded: a break is written as an empty line)."""

    def encode(text: str, newline: str) -> str | None:
        out: list[str] = []
        for part in _BREAKS.split(text):
            if part and part[0] in "\r\n":
                breaks = len(LINE_BREAK.findall(part))
                out.append(newline * (breaks + 1 if folded else breaks) + " " * indent)
            else:
                out.append(part)
        return "".join(out)

    return encode


def csv_quoted(text: str, newline: str) -> str | None:
    """Inside a quoted CSV field: quotes doubled, line breaks allowed."""
    return _lines(text, newline).replace('"', '""')


def csv_plain(delimiter: str) -> Encoder:
    """Inside an unquoted CSV field: no delimiter, quote or line break."""

    def encode(text: str, newline: str) -> str | None:
        if any(c in text for c in (delimiter, '"', "\r", "\n")):
            return None
        return text

    return encode


def quoted_printable(inner: Encoder) -> Encoder:
    """A quoted-printable email body: only printable ASCII without ``=`` is written as is."""

    def encode(text: str, newline: str) -> str | None:
        if "=" in text or any(not (" " <= c <= "~") and c not in "\r\n" for c in text):
            return None
        return inner(text, newline)

    return encode


def never(text: str, newline: str) -> str | None:
    """A context nothing can be written into (a base64 body)."""
    return None
