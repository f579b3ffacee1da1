"""The library API: ``Linter`` and ``check`` (stable; see README "Library")."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .config import UNUSED_SUPPRESSION, Config
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
        cfg = self.config
        self.rulebook: RuleBook = load_rulebook(tuple(Path(d) for d in cfg.rules_dir))
        book = self.rulebook
        selected = book.resolve_ids([*cfg.select, *cfg.extend_select], "select")
        ignore = [r for r in cfg.ignore if r != UNUSED_SUPPRESSION]
        ignored = set(book.resolve_ids(ignore, "ignore"))
        book.resolve_ids([r for r in cfg.severity if r != UNUSED_SUPPRESSION], "severity")
        self.rule_ids = [r for r in dict.fromkeys(selected) if r not in ignored]
        # findings the engine does not make (unused-suppression) are configured by adjust()
        self._dropped = {UNUSED_SUPPRESSION} & set(cfg.ignore)
        self.nlp = load_pipeline(cfg.model)
        placeholders = None
        if cfg.placeholders:
            from .placeholders import compile_patterns

            placeholders = compile_patterns(cfg.placeholders)
        self._engine: Engine = Engine(
            self.nlp, self.rulebook, self.rule_ids, placeholders=placeholders
        )

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
        """Lint drafts from any reader; yields ``(draft, findings)`` in input order, with the
        configuration applied (see :meth:`adjust`)."""
        with self._engine.compiled.lock:
            for draft, findings in self._engine.lint(drafts):
                yield draft, self.adjust(findings, draft.path)

    def adjust(self, findings: Iterable[Finding], path: str | None = None) -> list[Finding]:
        """The configuration applied to findings, in the one place it is applied: the rules
        ``per-file-ignores`` turns off for ``path`` are dropped, and so are ignored
        ``unused-suppression`` findings; ``severity`` overrides replace the rules' own (so
        ``fails`` and every output see them). Applying it twice changes nothing."""
        cfg = self.config
        dropped = set(self._dropped)
        if path is not None and cfg.per_file_ignores and not path.startswith("<"):
            dropped |= cfg.ignored_for(path)
        if "ALL" in dropped:
            return []
        out: list[Finding] = []
        for f in findings:
            if f.rule in dropped:
                continue
            override = cfg.severity.get(f.rule)
            if override is not None and override is not f.severity:
                f = f.model_copy(update={"severity": override})
            out.append(f)
        return out

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
