"""replylint: an empathy linter for customer-service reply drafts.

Importing ``replylint`` is cheap: spaCy is imported, and the pipeline loaded, only when a
:class:`Linter` is created.

    >>> import replylint
    >>> report = replylint.check("Nope.")
    >>> [f.rule for f in report.findings]
    ['terse-refusal']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .__about__ import __version__
from .config import Config
from .models import (
    Applicability,
    Category,
    DraftReport,
    Finding,
    Report,
    Rule,
    Severity,
    Suggestion,
)

if TYPE_CHECKING:
    from .api import Linter, check

__all__ = [
    "Applicability",
    "Category",
    "Config",
    "DraftReport",
    "Finding",
    "Linter",
    "Report",
    "Rule",
    "Severity",
    "Suggestion",
    "__version__",
    "check",
]


def __getattr__(name: str) -> Any:
    if name in {"Linter", "check"}:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'replylint' has no attribute {name!r}")
