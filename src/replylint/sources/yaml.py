"""``.yaml``/``.yml`` collections of replies: composed by PyYAML (no construction: no code
runs), converted into a :mod:`.tree` whose scalars are decoded again here with their offsets
(plain, quoted and block scalars, as PyYAML's scanner does), then read as one of the helpdesk
export shapes (:mod:`.helpdesk`).
"""

from __future__ import annotations

import re

import yaml

from ..offsets import LineIndex
from . import encode
from .base import Draft, ReadOptions, SourceError
from .helpdesk import items, to_drafts
from .mapping import Builder, Mapped, break_end, lines
from .tree import MAX_DEPTH, Arr, Node, Obj, Other, Str

_YAML_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_YAML_HEX = {"x": 2, "u": 4, "U": 8}
_FLOW_SPECIAL = re.compile(r"[ \t\r\n'\\]")


def _fold(b: Builder, text: str, i: int, stop: int, *, escaped: bool = False) -> int:
    """Fold the line break at ``i`` of a flow scalar: a single break becomes a space, each
    further (empty) line a newline; the next line's leading white space goes. Returns where the
    content goes on."""
    first = break_end(text, i) if not escaped else i
    j = first
    breaks: list[tuple[int, int]] = []
    while True:
        k = j
        while k < stop and text[k] in " \t":
            k += 1
        if k < stop and text[k] in "\r\n":
            breaks.append((k, break_end(text, k)))
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
                i = _fold(b, text, break_end(text, i + 1), stop, escaped=True)
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
        i = break_end(text, i)
    b = Builder(src)

    def scan_breaks(pos: int, indent: int) -> tuple[list[tuple[int, int]], int]:
        breaks: list[tuple[int, int]] = []
        while pos < n and text[pos] == " " and _column(text, pos) < indent:
            pos += 1
        while pos < n and text[pos] in "\r\n":
            end = break_end(text, pos)
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
                end = break_end(text, pos)
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
        line_break = (end, break_end(text, end)) if end < n else None
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
    for s, ce, _ in lines(text, min(n, break_end(text, i)) if i < n else n):
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


def read_yaml(name: str, text: str, options: ReadOptions | None = None) -> list[Draft]:
    index = LineIndex(text)
    root = parse_yaml(text, index)
    return to_drafts(name, items(root, options or ReadOptions()), index, yaml_comments=True)
