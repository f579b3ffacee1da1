"""What every builder returns: an :class:`Edit` of the masked text, made display-only when its
text has a ``<slot>`` for the writer to fill."""

from __future__ import annotations

from ..engine.hits import Edit, NeedParse
from ..models import SLOT_RE, Applicability

__all__ = ["Edit", "NeedParse", "edit"]


def edit(start: int, end: int, text: str, description: str, app: Applicability) -> Edit:
    if SLOT_RE.search(text):
        app = Applicability.DISPLAY_ONLY
    return Edit(start, end, text, description, app)
