"""Email drafts (``.eml``): the reply body, without the quoted history.

The body is the first ``text/plain`` part that is not an attachment (else the first
``text/html`` one), found by walking the MIME structure with exact offsets, and decoded from
quoted-printable (each ``=C3=A9`` an atomic segment of the offset map) or base64 (one atomic
segment: findings then cover the whole encoded body). The quoted original (``> …`` lines, a
``<blockquote>``), the "On … wrote:" attribution, an "-----Original Message-----" block and the
signature below ``-- `` are not linted; the quoted words become the customer context.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass
from email.parser import HeaderParser
from email.policy import compat32

from ..offsets import LineIndex
from . import encode
from .base import Draft, ReadOptions
from .html import reply_of
from .mapping import Builder, Mapped, lines

_HEADER_LINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*:[ \t]")
_HEX = re.compile(r"[0-9A-Fa-f]{2}")
MAX_DEPTH = 8


@dataclass
class Part:
    content_type: str
    encoding: str
    charset: str
    attachment: bool
    start: int
    stop: int


def _split(text: str, start: int, stop: int) -> tuple[str, int]:
    """The header block of the entity at ``text[start:stop]`` and where its body starts."""
    for s, ce, e in lines(text, start, stop):
        if not text[s:ce].strip():
            return text[start:s], e
    return text[start:stop], stop


def parts(text: str, start: int, stop: int, depth: int = 0) -> list[Part]:
    """The leaf parts of the MIME entity at ``text[start:stop]``, in order."""
    headers, body = _split(text, start, stop)
    msg = HeaderParser(policy=compat32).parsestr(headers)
    ctype = msg.get_content_type()
    if ctype.startswith("multipart/") and depth < MAX_DEPTH:
        boundary = msg.get_boundary()
        if not boundary:
            return []
        delimiter = "--" + boundary
        found: list[Part] = []
        part_start: int | None = None
        for s, ce, e in lines(text, body, stop):
            line = text[s:ce].rstrip()
            if line in (delimiter, delimiter + "--"):
                if part_start is not None:
                    end = s
                    if text[max(part_start, end - 2) : end] == "\r\n":
                        end -= 2
                    elif end > part_start and text[end - 1] in "\r\n":
                        end -= 1
                    found.extend(parts(text, part_start, end, depth + 1))
                if line != delimiter:  # the closing delimiter
                    break
                part_start = e
        return found
    if ctype == "message/rfc822":
        return []
    disposition = (msg.get("Content-Disposition") or "").lower()
    return [
        Part(
            content_type=ctype,
            encoding=(msg.get("Content-Transfer-Encoding") or "7bit").strip().lower(),
            charset=msg.get_content_charset() or "utf-8",
            attachment=disposition.startswith("attachment"),
            start=body,
            stop=stop,
        )
    ]


def _charset(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _quoted_printable(source: Mapped, start: int, stop: int, charset: str) -> Mapped:
    text = source.text
    b = Builder(source)
    decoder = codecs.getincrementaldecoder(_charset(charset))(errors="replace")
    pending: int | None = None  # where the bytes of an unfinished character start
    i = start
    while i < stop:
        if text[i] == "=":
            if text.startswith("\r\n", i + 1):
                i += 3
                continue
            if text.startswith("\n", i + 1) or text.startswith("\r", i + 1):
                i += 2
                continue
            if _HEX.fullmatch(text, i + 1, i + 3):
                pending = i if pending is None else pending
                out = decoder.decode(bytes([int(text[i + 1 : i + 3], 16)]))
                i += 3
                if out:
                    b.put(out, pending, i)
                    pending = None
                continue
        if pending is not None:  # an incomplete byte sequence before a literal character
            b.put(decoder.decode(b"", final=True), pending, i)
            decoder.reset()
            pending = None
        j = i + 1
        while j < stop and text[j] != "=":
            j += 1
        b.keep(i, j)
        i = j
    if pending is not None:
        b.put(decoder.decode(b"", final=True), pending, stop)
    return b.build(end=stop)


def _base64(source: Mapped, start: int, stop: int, charset: str) -> Mapped:
    raw = "".join(source.text[start:stop].split())
    try:
        decoded = base64.b64decode(raw).decode(_charset(charset), errors="replace")
    except (binascii.Error, ValueError):
        decoded = ""
    b = Builder(source)
    b.put(decoded.replace("\r\n", "\n"), start, stop)
    return b.build(end=stop)


def body(source: Mapped, part: Part) -> Mapped:
    if part.encoding == "quoted-printable":
        return _quoted_printable(source, part.start, part.stop, part.charset)
    if part.encoding == "base64":
        return _base64(source, part.start, part.stop, part.charset)
    return source.sub(part.start, part.stop)


def read_email(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    source = Mapped.identity(text)
    index = LineIndex(text)
    first = next(lines(text), (0, 0, 0))
    chosen: Part | None
    if not _HEADER_LINE.match(text[first[0] : first[1]]):  # no headers: all body
        chosen = Part("text/plain", "7bit", "utf-8", False, 0, len(text))
    else:
        leaves = [p for p in parts(text, 0, len(text)) if not p.attachment]
        chosen = next((p for p in leaves if p.content_type == "text/plain"), None) or next(
            (p for p in leaves if p.content_type == "text/html"), None
        )
        if chosen is None:
            return []
    mapped = body(source, chosen)
    encoder: encode.Encoder = encode.raw
    if chosen.encoding == "quoted-printable":
        encoder = encode.quoted_printable(encoder)
    elif chosen.encoding not in ("7bit", "8bit", "binary"):
        encoder = encode.never
    html = chosen.content_type == "text/html"
    reply, written, context = reply_of(mapped, encoder, html=html, email=True)
    return [Draft.from_mapped(reply, index, path=name, customer=context, encode=written)]
