"""The value tree JSON and YAML collections are read into: its strings know their exact place
in the file (through JSON escapes, YAML quoted scalars and block scalars) and how text is written
back into them. :mod:`.helpdesk` finds the replies in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import encode
from .mapping import Mapped

MAX_DEPTH = 100  # JSON and YAML collections nested deeper than this are refused


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


def kind(node: Node | None) -> str:
    if isinstance(node, Str):
        return "a string"
    if isinstance(node, Other):
        return "nothing" if node.value is None else f"a {type(node.value).__name__} value"
    return "a collection"
