"""replylint: an empathy linter for customer-service reply drafts.

Importing ``replylint`` is cheap: spaCy is imported, and the pipeline loaded, only when a
:class:`Linter` is created.

    >>> import replylint
    >>> report = replylint.check("Nope.")
    >>> [f.rule for f in report.findings]
    ['no-acknowledgement', 'no-alternative', 'terse-refusal', 'missing-greeting']
    >>> linter = replylint.Linter(select="terse-refusal")
    >>> finding, = linter.check("Nope.").findings
    >>> finding.rule, finding.line, finding.column, finding.excerpt
    ('terse-refusal', 1, 1, 'Nope.')

The public API: :class:`Linter` (rules and pipeline, loaded once), :func:`check` (on a default
Linter), :class:`Config` (the configuration), and the models every result is made of:
:class:`DraftReport`, :class:`Finding`, :class:`Suggestion`, :class:`Report`, :class:`Rule`,
and the string enums :class:`Severity`, :class:`Category` and :class:`Applicability`.
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
_LAZY = {"Linter", "check"}  # from .api, imported on first use (it is cheap; spaCy is not)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import api

        value = getattr(api, name)
        globals()[name] = value  # looked up once
        return value
    raise AttributeError(f"module 'replylint' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API (what ``from replylint import *`` gives), not the helpers imported to
    build it."""
    return sorted(__all__)
