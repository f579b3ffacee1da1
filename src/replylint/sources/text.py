"""Plain-text drafts: the whole file is one reply."""

from __future__ import annotations

from .base import Draft


def read_text(name: str, text: str) -> list[Draft]:
    return [Draft.from_text(text, path=name)]
