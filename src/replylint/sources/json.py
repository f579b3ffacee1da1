"""``.json`` collections of replies: parsed into a :mod:`.tree` whose strings map back through
JSON escapes, then read as one of the helpdesk export shapes (:mod:`.helpdesk`).
"""

from __future__ import annotations

import json
import re

from ..offsets import LineIndex
from . import encode
from .base import Draft, ReadOptions, SourceError
from .helpdesk import items, to_drafts
from .mapping import Builder, Mapped
from .tree import MAX_DEPTH, Arr, Node, Obj, Other, Str

_JSON_WS = re.compile(r"[ \t\n\r]*")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
# (NaN, Infinity and -Infinity are not JSON, but Python's json reads them: values, not drafts)
_JSON_SCALAR = re.compile(
    r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity"
)
_JSON_ESCAPES = {
    '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
}  # fmt: skip


def _json_string(src: Mapped, start: int, stop: int) -> Mapped:
    """The decoded JSON string whose content (without quotes) is ``src.text[start:stop]``."""
    text = src.text
    b = Builder(src)
    i = start
    while i < stop:
        j = text.find("\\", i, stop)
        if j < 0:
            b.keep(i, stop)
            break
        b.keep(i, j)
        c = text[j + 1]
        if c == "u":
            code = int(text[j + 2 : j + 6], 16)
            k = j + 6
            if 0xD800 <= code < 0xDC00 and text.startswith("\\u", k):
                low = int(text[k + 2 : k + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
            b.put(chr(code), j, k)
            i = k
        else:
            b.put(_JSON_ESCAPES[c], j, j + 2)
            i = j + 2
    return b.build(end=stop)


def _too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The offset of the first ``[`` or ``{`` more than ``limit`` deep in the JSON ``text``
    (strings skipped), or None: checked before parsing, so that no parser recurses that deep."""
    depth = 0
    for m in _JSON_NESTING.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif c in "]}":
            depth -= 1
    return None


_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def _json_scalar(token: str) -> object:
    """The value of a JSON number, literal or NaN/Infinity; an integer too long for Python to
    convert (over 4,300 digits) stays its text."""
    if len(token) > 4000 and token.lstrip("-").isdigit():
        return token
    return json.loads(token)


def parse_json(text: str, lines_index: LineIndex) -> Node:
    deep = _too_deep(text)
    if deep is not None:
        raise SourceError.at(
            lines_index, deep, f"invalid JSON: nested more than {MAX_DEPTH} levels deep"
        )
    try:
        json.loads(text, parse_int=len)  # (validation only: no huge int is converted)
    except json.JSONDecodeError as exc:
        raise SourceError.at(lines_index, exc.pos, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise SourceError("invalid JSON: nested too deeply") from None
    src = Mapped.identity(text)
    in_string = encode.json_string(ascii_only=text.isascii())

    def value(i: int) -> tuple[Node, int]:
        i = _JSON_WS.match(text, i).end()  # type: ignore[union-attr]
        c = text[i]
        if c == "{":
            obj = Obj([], i)
            i = _JSON_WS.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] == "}":
                return obj, i + 1
            while True:
                key, i = value(i)
                i = _JSON_WS.match(text, i).end() + 1  # type: ignore[union-attr]  # ":"
                item, i = value(i)
                obj.pairs.append((key.value if isinstance(key, Str) else "", item))
                i = _JSON_WS.match(text, i).end()  # type: ignore[union-attr]
                if text[i] == "}":
                    return obj, i + 1
                i += 1  # ","
        if c == "[":
            arr = Arr([], i)
            i = _JSON_WS.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] == "]":
                return arr, i + 1
            while True:
                item, i = value(i)
                arr.items.append(item)
                i = _JSON_WS.match(text, i).end()  # type: ignore[union-attr]
                if text[i] == "]":
                    return arr, i + 1
                i += 1
        if c == '"':
            m = _JSON_STRING.match(text, i)
            assert m is not None
            s, e = m.start() + 1, m.end() - 1
            decoded = _json_string(src, s, e)
            return Str(decoded.text, m.start(), m.end(), lambda: decoded, encode=in_string), m.end()
        m = _JSON_SCALAR.match(text, i)
        assert m is not None
        return Other(_json_scalar(m.group()), i), m.end()

    root, _ = value(0)
    return root


def read_json(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    index = LineIndex(text)
    root = parse_json(text, index)
    return to_drafts(name, items(root, options or ReadOptions()), index, yaml_comments=False)
