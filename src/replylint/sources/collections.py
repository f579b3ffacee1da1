"""Collections of replies: ``.json``, ``.yaml``/``.yml`` and ``.csv`` files, one draft per reply.

JSON and YAML are read into a small tree whose strings know their exact place in the file
(through JSON escapes, YAML quoted scalars and block scalars), then recognised as one of the
helpdesk export shapes (HELPDESKS.md §1):

- Zendesk macros: ``{"macros": [{"title", "actions": [{"field": "comment_value_html" |
  "comment_value", "value"}]}]}``, a single ``{"macro": {...}}``, or a list of macros;
- Gorgias macros: ``name`` and ``actions[].arguments.body_html | body_text``;
- Freshdesk canned responses (``title``, ``content_html``, else ``content``), Help Scout saved
  replies (``name``, ``text``), Front message templates (``name``, ``body``), Intercom macros
  (``name``, ``body`` else ``body_text``), and any list of objects with a text field, chosen
  with ``--text-field`` (titled by ``title``, ``name`` or ``id``), bare or wrapped in a
  list response (``data``, ``_results``, ``_embedded`` …);
- a ``{title: text}`` mapping (groups of them nest: ``{group: {title: text}}``).

HTML-valued text goes through the HTML reader, with its offsets composed back into the file. A
CSV file has a header row; the text column is ``--text-field`` (else ``text``, ``body``,
``reply`` …) and an optional customer column (``--customer-field``) becomes each draft's
context.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from ..offsets import LineIndex
from . import encode
from .base import Draft, PositionedError, ReadOptions, SourceError
from .html import extract, looks_like_html
from .mapping import Builder, Mapped, lines
from .text import read_plain

TEXT_FIELDS = (
    "content_html", "body_html", "body", "text", "content", "body_text", "reply", "message",
    "response", "template", "chatText",
)  # fmt: skip
TITLE_FIELDS = ("title", "name", "raw_title", "subject", "id", "key")
CUSTOMER_FIELDS = ("customer", "customer_message", "customer message")
WRAPPERS = (
    "macros", "data", "_results", "results", "canned_responses", "saved_replies", "templates",
    "message_templates", "replies", "items", "responses", "records",
)  # fmt: skip
ZENDESK_FIELDS = ("comment_value_html", "comment_value")
GORGIAS_FIELDS = ("body_html", "body_text")
SHAPES = (
    'Zendesk macros ({"macros": [...]} or {"macro": {...}}), Gorgias macros, Freshdesk canned '
    "responses, Help Scout saved replies, Front message templates, Intercom macros, a "
    "{title: text} mapping, or a list of objects with a text field (choose it with --text-field)"
)


# --------------------------------------------------------------------------------------------
# a tree of values whose strings know where they are in the file
# --------------------------------------------------------------------------------------------


@dataclass
class Str:
    value: str
    start: int  # file span of the whole scalar, quotes included
    stop: int
    mapper: Callable[[], Mapped] | None = None
    _mapped: Mapped | None = field(default=None, repr=False)
    encode: encode.Encoder | None = field(default=None, repr=False)  # how to write text in it

    def mapped(self) -> Mapped:
        """The value with its offsets; if they cannot be rebuilt exactly, the whole value maps
        to the whole scalar (positions then widen to it, but stay exact)."""
        if self._mapped is None:
            m = self.mapper() if self.mapper is not None else None
            if m is None or m.text != self.value:
                whole = ((0, len(self.value), self.start, self.stop),) if self.value else ()
                m = Mapped(self.value, whole, self.stop)
            self._mapped = m
        return self._mapped


@dataclass
class Obj:
    pairs: list[tuple[str, Node]]
    start: int

    def get(self, key: str) -> Node | None:
        for k, v in self.pairs:
            if k == key:
                return v
        return None

    def get_str(self, key: str) -> Str | None:
        value = self.get(key)
        return value if isinstance(value, Str) else None


@dataclass
class Arr:
    items: list[Node]
    start: int


@dataclass
class Other:
    value: object
    start: int


Node = Str | Obj | Arr | Other


def _kind(node: Node | None) -> str:
    if isinstance(node, Str):
        return "a string"
    if isinstance(node, Other):
        return "nothing" if node.value is None else f"a {type(node.value).__name__} value"
    return "a collection"


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------

_JSON_WS = re.compile(r"[ \t\n\r]*")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
# (NaN, Infinity and -Infinity are not JSON, but Python's json reads them: values, not drafts)
_JSON_SCALAR = re.compile(
    r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity"
)
MAX_DEPTH = 100  # JSON and YAML collections nested deeper than this are refused
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


# --------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------

_YAML_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_YAML_HEX = {"x": 2, "u": 4, "U": 8}
_FLOW_SPECIAL = re.compile(r"[ \t\r\n'\\]")


def _break_end(text: str, i: int) -> int:
    return i + 2 if text.startswith("\r\n", i) else i + 1


def _fold(b: Builder, text: str, i: int, stop: int, *, escaped: bool = False) -> int:
    """Fold the line break at ``i`` of a flow scalar: a single break becomes a space, each
    further (empty) line a newline; the next line's leading white space goes. Returns where the
    content goes on."""
    first = _break_end(text, i) if not escaped else i
    j = first
    breaks: list[tuple[int, int]] = []
    while True:
        k = j
        while k < stop and text[k] in " \t":
            k += 1
        if k < stop and text[k] in "\r\n":
            breaks.append((k, _break_end(text, k)))
            j = breaks[-1][1]
            continue
        j = k
        break
    if not breaks and not escaped:
        b.put(" ", i, first)
    for bs, be in breaks:
        b.put("\n", bs, be)
    return j


def _flow_scalar(src: Mapped, start: int, stop: int, style: str | None) -> Mapped:
    """A plain (``style`` None), single- or double-quoted scalar whose content (without quotes)
    is ``src.text[start:stop]``, decoded as PyYAML does."""
    text = src.text
    b = Builder(src)
    i = start
    while i < stop:
        m = _FLOW_SPECIAL.search(text, i, stop)
        if m is None:
            b.keep(i, stop)
            break
        if m.start() > i:
            b.keep(i, m.start())
            i = m.start()
        c = text[i]
        if c in " \t":
            j = i
            while j < stop and text[j] in " \t":
                j += 1
            if j < stop and text[j] in "\r\n":
                i = j  # white space before a line break is folded away
            else:
                b.keep(i, j)
                i = j
        elif c in "\r\n":
            i = _fold(b, text, i, stop)
        elif c == "'" and style == "'" and text.startswith("''", i):
            b.put("'", i, i + 2)
            i += 2
        elif c == "\\" and style == '"' and i + 1 < stop:
            e = text[i + 1]
            if e in "\r\n":
                i = _fold(b, text, _break_end(text, i + 1), stop, escaped=True)
            elif e in _YAML_HEX:
                n = _YAML_HEX[e]
                b.put(chr(int(text[i + 2 : i + 2 + n], 16)), i, i + 2 + n)
                i += 2 + n
            else:
                b.put(_YAML_ESCAPES.get(e, e), i, i + 2)
                i += 2
        else:
            b.keep(i, i + 1)
            i += 1
    return b.build(end=stop)


def _column(text: str, i: int) -> int:
    return i - (max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1)


def _block_scalar(src: Mapped, start: int) -> Mapped:
    """A literal (``|``) or folded (``>``) block scalar whose indicator is at ``start``,
    decoded as PyYAML's scanner does: indentation removed, lines folded, the tail chomped."""
    text = src.text
    n = len(text)
    folded = text[start] == ">"
    i = start + 1
    chomping: bool | None = None
    increment: int | None = None
    for _ in range(2):
        if i < n and text[i] in "+-":
            chomping = text[i] == "+"
            i += 1
        elif i < n and text[i].isdigit():
            increment = int(text[i])
            i += 1
    while i < n and text[i] not in "\r\n":
        i += 1
    if i < n:
        i = _break_end(text, i)
    b = Builder(src)

    def scan_breaks(pos: int, indent: int) -> tuple[list[tuple[int, int]], int]:
        breaks: list[tuple[int, int]] = []
        while pos < n and text[pos] == " " and _column(text, pos) < indent:
            pos += 1
        while pos < n and text[pos] in "\r\n":
            end = _break_end(text, pos)
            breaks.append((pos, end))
            pos = end
            while pos < n and text[pos] == " " and _column(text, pos) < indent:
                pos += 1
        return breaks, pos

    if increment is None:
        breaks: list[tuple[int, int]] = []
        max_indent = 0
        pos = i
        while pos < n and text[pos] in " \r\n":
            if text[pos] == " ":
                pos += 1
                max_indent = max(max_indent, _column(text, pos))
            else:
                end = _break_end(text, pos)
                breaks.append((pos, end))
                pos = end
        indent = max(1, max_indent)
    else:
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        parent = len(text[line_start:start]) - len(text[line_start:start].lstrip(" "))
        indent = parent + increment
        breaks, pos = scan_breaks(i, indent)

    line_break: tuple[int, int] | None = None
    while pos < n and _column(text, pos) == indent:
        for bs, be in breaks:
            b.put("\n", bs, be)
        leading_non_space = text[pos] not in " \t"
        end = pos
        while end < n and text[end] not in "\r\n":
            end += 1
        b.keep(pos, end)
        line_break = (end, _break_end(text, end)) if end < n else None
        pos = line_break[1] if line_break else end
        breaks, pos = scan_breaks(pos, indent)
        if pos < n and _column(text, pos) == indent:
            if folded and line_break and leading_non_space and text[pos] not in " \t":
                if not breaks:
                    b.put(" ", *line_break)
            elif line_break:
                b.put("\n", *line_break)
        else:
            break
    if chomping is not False and line_break:
        b.put("\n", *line_break)
    if chomping is True:
        for bs, be in breaks:
            b.put("\n", bs, be)
    return b.build(end=pos)


def _block_indent(text: str, start: int) -> int:
    """The content indentation of the block scalar whose indicator is at ``start``."""
    n = len(text)
    i = start + 1
    increment: int | None = None
    while i < n and text[i] not in "\r\n":
        if text[i].isdigit() and increment is None:
            increment = int(text[i])
        i += 1
    if increment is not None:
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        head = text[line_start:start]
        return len(head) - len(head.lstrip(" ")) + increment
    best = 1
    for s, ce, _ in lines(text, min(n, _break_end(text, i)) if i < n else n):
        line = text[s:ce]
        if line.strip(" "):
            return max(best, len(line) - len(line.lstrip(" ")))
        best = max(best, len(line))
    return best


MAX_ALIAS_NODES = 10_000  # nodes a YAML file may repeat through aliases ("billion laughs")


class _Loader(yaml.SafeLoader):
    """Composes nodes only (no construction: no code runs), at most :data:`MAX_DEPTH` deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.nodes = 0  # nodes composed (aliases not counted)

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        self.nodes += 1
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def parse_yaml(text: str, lines_index: LineIndex) -> Node:
    try:
        loader = _Loader(text)  # (a character YAML does not allow is an error here)
    except yaml.reader.ReaderError as exc:
        where = exc.position if isinstance(exc.position, int) else 0
        problem = f"character #x{exc.character:04x} is not allowed in YAML"
        raise SourceError.at(lines_index, where, f"invalid YAML: {problem}") from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise SourceError(f"invalid YAML: {problem}") from None
        raise SourceError.at(lines_index, mark.index, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {str(exc).splitlines()[0]}") from None
    finally:
        loader.dispose()
    if node is None:
        raise SourceError("no YAML document found, expected a collection of replies")
    src = Mapped.identity(text)
    # aliases make the node graph a DAG (or, "a: &a [*a]", a cycle): it is unfolded into a
    # tree, refusing a cycle, and more than MAX_ALIAS_NODES nodes beyond those composed
    budget = loader.nodes + MAX_ALIAS_NODES
    inside: set[int] = set()  # the collections being converted (the path from the root)

    def convert(node: yaml.Node) -> Node:
        nonlocal budget
        start = node.start_mark.index
        budget -= 1
        if budget < 0:
            raise SourceError.at(
                lines_index,
                start,
                f"invalid YAML: aliases repeat more than {MAX_ALIAS_NODES:,} nodes "
                '(a "billion laughs" file)',
            )
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in inside:
                raise SourceError.at(
                    lines_index, start, "invalid YAML: an alias refers to a collection it is in"
                )
            if len(inside) >= MAX_DEPTH:
                raise SourceError.at(
                    lines_index,
                    start,
                    f"invalid YAML: nested more than {MAX_DEPTH} levels deep (through aliases)",
                )
            inside.add(id(node))
            try:
                return collection(node, start)
            finally:
                inside.discard(id(node))
        return scalar(node, start)

    def collection(node: yaml.MappingNode | yaml.SequenceNode, start: int) -> Node:
        if isinstance(node, yaml.MappingNode):
            pairs: list[tuple[str, Node]] = []
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else ""
                pairs.append((str(name), convert(value)))
            return Obj(pairs, start)
        return Arr([convert(v) for v in node.value], start)

    def scalar(node: yaml.Node, start: int) -> Node:
        assert isinstance(node, yaml.ScalarNode)
        if node.tag.endswith(":null"):
            return Other(None, start)
        stop = node.end_mark.index
        style = node.style

        def mapper() -> Mapped:
            if style in ("|", ">"):
                return _block_scalar(src, start)
            if style in ("'", '"'):
                return _flow_scalar(src, start + 1, stop - 1, style)
            return _flow_scalar(src, start, stop, None)

        encoder: encode.Encoder
        if style in ("|", ">"):
            encoder = encode.yaml_block(_block_indent(text, start), folded=style == ">")
        elif style == "'":
            encoder = encode.yaml_single
        elif style == '"':
            encoder = encode.yaml_double
        else:
            encoder = encode.yaml_plain
        return Str(str(node.value), start, stop, mapper, encode=encoder)

    return convert(node)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

Field = tuple[int, int, bool]  # content start, stop, quoted


def csv_rows(text: str, delimiter: str) -> list[list[Field]]:
    """Rows of fields with their spans (RFC 4180: quoted fields, "" escapes, line breaks
    inside quotes); empty lines are skipped."""
    rows: list[list[Field]] = []
    n = len(text)
    i = 0
    while i < n:
        row, i = csv_record(text, i, delimiter)
        if not csv_blank(row):
            rows.append(row)
    return rows


def csv_record(text: str, i: int, delimiter: str) -> tuple[list[Field], int]:
    """The fields of the record that starts at ``i`` (``i < len(text)``), and where the next
    record starts: past this one's line break (\\r\\n, \\r or \\n), else at the end of the text.
    An unclosed quote raises a PositionedError at the quote."""
    ends = delimiter + "\r\n"
    n = len(text)
    row: list[Field] = []
    while True:
        if i < n and text[i] == '"':
            j = i + 1
            while True:
                q = text.find('"', j)
                if q < 0:
                    raise PositionedError(i, "a quoted field is never closed")
                if text.startswith('""', q):
                    j = q + 2
                    continue
                break
            row.append((i + 1, q, True))
            i = q + 1
            while i < n and text[i] not in ends:  # stray text after the closing quote
                i += 1
        else:
            j = i
            while j < n and text[j] not in ends:
                j += 1
            row.append((i, j, False))
            i = j
        if i < n and text[i] == delimiter:
            i += 1
            continue
        break
    if i < n:
        i = _break_end(text, i)
    return row, i


def csv_blank(row: list[Field]) -> bool:
    """Whether a record is an empty line (which :func:`csv_rows` skips)."""
    return len(row) == 1 and row[0][0] == row[0][1] and not row[0][2]


def csv_field(src: Mapped, f: Field) -> Mapped:
    start, stop, quoted = f
    if not quoted:
        return src.sub(start, stop)
    text = src.text
    b = Builder(src)
    i = start
    while i < stop:
        q = text.find('""', i, stop)
        if q < 0:
            b.keep(i, stop)
            break
        b.keep(i, q)
        b.put('"', q, q + 2)
        i = q + 2
    return b.build(end=stop)


def _delimiter(text: str, name: str) -> str:
    if name.lower().endswith(".tsv"):
        return "\t"
    first = next(lines(text), (0, 0, 0))
    header = re.sub(r'"[^"]*"', "", text[first[0] : first[1]])
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column_named(names: list[str], wanted: tuple[str, ...]) -> int | None:
    lowered = [n.strip().lower() for n in names]
    for w in wanted:
        if w.lower() in lowered:
            return lowered.index(w.lower())
    return None


# --------------------------------------------------------------------------------------------
# export shapes
# --------------------------------------------------------------------------------------------


@dataclass
class Item:
    title: str | None
    text: Mapped
    customer: str | None = None
    encode: encode.Encoder | None = None


def _scalar_text(node: Node | None) -> str | None:
    if isinstance(node, Str):
        return node.value
    if isinstance(node, Other) and node.value is not None:
        return str(node.value)
    return None


def _text_of(node: Node | None) -> Str | None:
    """A string, or the last string of a list (Zendesk's ``["channel:all", "text"]``)."""
    if isinstance(node, Str):
        return node
    if isinstance(node, Arr):
        strings = [v for v in node.items if isinstance(v, Str)]
        return strings[-1] if strings else None
    return None


def _records(root: Node, options: ReadOptions) -> list[Node] | None:
    if isinstance(root, Arr):
        return root.items
    if not isinstance(root, Obj):
        return None
    macro = root.get("macro")
    if isinstance(macro, Obj):
        return [macro]
    if _is_record(root, options):
        return [root]
    for key in WRAPPERS:
        found = root.get(key)
        if isinstance(found, Arr):
            return found.items
    embedded = root.get("_embedded")
    if isinstance(embedded, Obj):
        for _, value in embedded.pairs:
            if isinstance(value, Arr):
                return value.items
    return None


def _is_record(obj: Obj, options: ReadOptions) -> bool:
    if options.text_field is not None:
        return obj.get(options.text_field) is not None
    if isinstance(obj.get("actions"), Arr):
        return True
    return any(isinstance(obj.get(f), Str) for f in TEXT_FIELDS)


def _record_texts(obj: Obj, options: ReadOptions) -> list[Str]:
    if options.text_field is not None:
        found = _text_of(obj.get(options.text_field))
        return [found] if found is not None else []
    actions = obj.get("actions")
    if isinstance(actions, Arr):
        by_field: dict[str, Str] = {}
        for action in actions.items:
            if not isinstance(action, Obj):
                continue
            name = _scalar_text(action.get("field"))
            if name in ZENDESK_FIELDS:
                value = _text_of(action.get("value"))
                if value is not None:
                    by_field.setdefault(name, value)
            arguments = action.get("arguments")
            if isinstance(arguments, Obj):
                for f in GORGIAS_FIELDS:
                    value = arguments.get_str(f)
                    if value is not None and value.value.strip():
                        by_field.setdefault(f, value)
                        break
        for f in (*ZENDESK_FIELDS, *GORGIAS_FIELDS):
            if f in by_field:
                return [by_field[f]]
        return []
    for f in TEXT_FIELDS:
        value = obj.get_str(f)
        if value is not None and value.value.strip():
            return [value]
    return []


def _string_map(node: Obj, prefix: str = "") -> list[tuple[str, Str]] | None:
    """``{title: text}`` (or ``{group: {title: text}}``) pairs, or None for another shape."""
    out: list[tuple[str, Str]] = []
    for key, value in node.pairs:
        title = f"{prefix}{key}"
        if isinstance(value, Str):
            out.append((title, value))
        elif isinstance(value, Obj):
            inner = _string_map(value, f"{title} / ")
            if inner is None:
                return None
            out.extend(inner)
        elif not (isinstance(value, Other) and value.value is None):
            return None
    return out


def items(root: Node, options: ReadOptions) -> list[Item]:
    """The replies of a JSON or YAML collection, or a SourceError naming the accepted shapes."""
    if not isinstance(root, Obj | Arr):
        raise SourceError(
            "expected a collection of replies (a list, or a mapping of title: text), "
            f"found {_kind(root)}"
        )
    records = _records(root, options)
    if records is None:
        assert isinstance(root, Obj)
        pairs = _string_map(root)
        if pairs is None or not pairs:
            keys = ", ".join(k for k, _ in root.pairs[:8]) or "none"
            raise SourceError(f"unknown export shape (top-level keys: {keys}); expected {SHAPES}")
        return [Item(title, s.mapped(), encode=s.encode) for title, s in pairs]
    out: list[Item] = []
    fields: dict[str, None] = {}
    for n, record in enumerate(records, 1):
        if isinstance(record, Str):
            out.append(Item(f"item {n}", record.mapped(), encode=record.encode))
            continue
        if not isinstance(record, Obj):
            continue
        fields.update(dict.fromkeys(k for k, _ in record.pairs))
        title = next(
            (t for t in (_scalar_text(record.get(f)) for f in TITLE_FIELDS) if t), f"item {n}"
        )
        customer = None
        for f in (options.customer_field,) if options.customer_field else CUSTOMER_FIELDS:
            customer = _scalar_text(record.get(f)) or customer
        for text in _record_texts(record, options):
            out.append(Item(title, text.mapped(), customer, text.encode))
    if records and not out and "actions" not in fields:  # (macros that only set fields: fine)
        if not fields:
            raise SourceError(
                f"unknown export shape (a list of neither objects nor texts); expected {SHAPES}"
            )
        found = ", ".join(list(fields)[:12])
        if options.text_field is not None:
            raise SourceError(
                f"no object has the text field {options.text_field!r} (fields found: {found})"
            )
        raise SourceError(f"no reply text found (fields found: {found}); expected {SHAPES}")
    return out


# --------------------------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------------------------


def _drafts(name: str, found: list[Item], index: LineIndex, *, yaml_comments: bool) -> list[Draft]:
    drafts: list[Draft] = []
    for item in found:
        text = item.text
        encoder = item.encode
        quoted: list[str] = []
        if looks_like_html(text.text):
            encoder = encode.in_html(encoder) if encoder is not None else None
            text, from_html = extract(text)
            if from_html:
                quoted.append(from_html)
        text, from_text = read_plain(text, directives=yaml_comments)
        if from_text:
            quoted.append(from_text)
        if not text.text.strip():
            continue
        customer = item.customer or "\n\n".join(quoted).strip() or None
        drafts.append(
            Draft.from_mapped(
                text, index, path=name, title=item.title, customer=customer, encode=encoder
            )
        )
    return drafts


def read_json(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    index = LineIndex(text)
    root = parse_json(text, index)
    return _drafts(name, items(root, options or ReadOptions()), index, yaml_comments=False)


def read_yaml(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    index = LineIndex(text)
    root = parse_yaml(text, index)
    return _drafts(name, items(root, options or ReadOptions()), index, yaml_comments=True)


def read_csv(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    options = options or ReadOptions()
    index = LineIndex(text)
    src = Mapped.identity(text)
    delimiter = _delimiter(text, name)
    plain = encode.csv_plain(delimiter)
    try:
        rows = csv_rows(text, delimiter)
    except PositionedError as exc:
        raise SourceError.at(index, exc.offset, f"invalid CSV: {exc.message}") from None
    if not rows:
        raise SourceError("empty CSV, expected a header row")
    columns = csv_columns(src, rows[0], options)
    return _drafts(name, csv_items(src, rows[1:], columns, plain), index, yaml_comments=False)


@dataclass(frozen=True)
class CsvColumns:
    """Which columns of a CSV file hold the reply text, the title and the customer's words."""

    text: int
    title: int | None
    customer: int | None


def csv_columns(src: Mapped, header: list[Field], options: ReadOptions) -> CsvColumns:
    """The columns named by the ``header`` row, or a SourceError naming the columns found."""
    names = [csv_field(src, f).text.strip() for f in header]
    shown = ", ".join(names)
    wanted = (
        (options.text_field,)
        if options.text_field
        else ("text", "body", "reply", "content", "message", "response", "template")
    )
    text_col = _column_named(names, wanted)
    if text_col is None:
        expected = (
            f"a column named {options.text_field!r}"
            if options.text_field
            else "a text column (text, body, reply, …; choose it with --text-field)"
        )
        raise SourceError(f"no text column: expected {expected}; found columns: {shown}")
    title_col = _column_named(names, TITLE_FIELDS)
    customer_col = _column_named(
        names, (options.customer_field,) if options.customer_field else CUSTOMER_FIELDS
    )
    if options.customer_field and customer_col is None:
        raise SourceError(
            f"no customer column: expected a column named {options.customer_field!r}; "
            f"found columns: {shown}"
        )
    return CsvColumns(text_col, title_col, customer_col)


def csv_items(
    src: Mapped,
    rows: list[list[Field]],
    columns: CsvColumns,
    plain: encode.Encoder,
    first: int = 1,
) -> list[Item]:
    """The replies of the data ``rows`` (numbered from ``first`` in default titles)."""
    text_col, title_col, customer_col = columns.text, columns.title, columns.customer
    found: list[Item] = []
    for n, row in enumerate(rows, first):
        if text_col >= len(row):
            continue
        title = (
            csv_field(src, row[title_col]).text.strip()
            if title_col is not None and (title_col < len(row))
            else ""
        )
        customer = (
            csv_field(src, row[customer_col]).text.strip()
            if customer_col is not None and customer_col < len(row)
            else ""
        )
        cell = row[text_col]
        found.append(
            Item(
                title or f"row {n}",
                csv_field(src, cell),
                customer or None,
                encode.csv_quoted if cell[2] else plain,
            )
        )
    return found
