"""The library API: ``Linter`` and ``check`` (stable; see README "Library")."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .config import Config
from .models import DraftReport, Finding, Severity
from .rulebook import RuleBook, load_rulebook
from .sources.base import Draft

if TYPE_CHECKING:
    from .engine import Engine

DraftInput = str | tuple[str, str | None]


class Linter:
    """Loads the configuration, the rule book and the spaCy pipeline once.

    Safe to share between threads after construction: linting is serialised on a lock held by
    the shared pipeline (spaCy's pipeline and matchers are not documented as re-entrant), so
    several Linters on one pipeline are safe together too. Use processes for parallel work.
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        model: str | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
    ) -> None:
        from .engine import Engine
        from .nlp import load_pipeline

        base = config or Config()
        updates: dict[str, object] = {}
        if model is not None:
            updates["model"] = model
        if select is not None:
            updates["select"] = tuple(select)
        if ignore is not None:
            updates["ignore"] = tuple(ignore)
        self.config = base.model_copy(update=updates)
        self.rulebook: RuleBook = load_rulebook()
        selected = self.rulebook.resolve_ids(list(self.config.select), "select")
        ignored = set(self.rulebook.resolve_ids(list(self.config.ignore), "ignore"))
        self.rule_ids = [r for r in dict.fromkeys(selected) if r not in ignored]
        self.nlp = load_pipeline(self.config.model)
        self._engine: Engine = Engine(self.nlp, self.rulebook, self.rule_ids)

    def check(self, text: str, customer: str | None = None) -> DraftReport:
        """Lint one draft; ``customer`` is the customer's message it replies to."""
        return next(iter(self.check_many([(text, customer)])))

    def check_many(self, texts: Iterable[DraftInput]) -> list[DraftReport]:
        """Lint many drafts (strings, or ``(text, customer)`` pairs) batched through nlp.pipe."""
        drafts = (
            Draft.from_text(t) if isinstance(t, str) else Draft.from_text(t[0], customer=t[1])
            for t in texts
        )
        return [
            DraftReport(text=d.text, customer=d.customer, title=d.title, findings=f)
            for d, f in self.lint_drafts(drafts)
        ]

    def lint_drafts(self, drafts: Iterable[Draft]) -> Iterator[tuple[Draft, list[Finding]]]:
        """Lint drafts from any reader; yields ``(draft, findings)`` in input order."""
        with self._engine.compiled.lock:
            yield from self._engine.lint(drafts)

    def fails(self, findings: Iterable[Finding]) -> bool:
        """Whether any finding is at or above the configured ``fail-on`` severity."""
        return any(f.severity.rank >= self.config.fail_on.rank for f in findings)


_default: Linter | None = None
_default_lock = threading.Lock()


def check(text: str, customer: str | None = None) -> DraftReport:
    """Lint one draft with a default :class:`Linter`, created on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Linter()
    return _default.check(text, customer)


__all__ = ["Linter", "Severity", "check"]
