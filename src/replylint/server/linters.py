"""The rule book and rule sets in the server's own process (the pipeline is in the workers,
pool.py): a lazy base Linter, built in the background, resolves a request's
``select``/``ignore`` and answers the rule endpoints."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from ..api import Linter
from ..rulebook import RuleBook, RuleBookError
from .errors import ApiError
from .worker import RuleSet

log = logging.getLogger("replylint.server")

STILL_LOADING = "the linting pipeline is still loading; retry when GET /v1/ready answers 200"


class LinterFactory(Protocol):
    """Builds a Linter; called with no argument for the base Linter (in each worker process;
    with ``lazy=True`` in the server's own), and with ``select`` and ``ignore`` (rule ids) for
    a request's rule set. It is sent to the worker processes, so it must pickle:
    ``replylint.Linter`` itself is one, and so is ``functools.partial(Linter, config)``."""

    def __call__(
        self,
        *,
        select: Sequence[str] | None = ...,
        ignore: Sequence[str] | None = ...,
        lazy: bool = ...,
    ) -> Linter: ...


class Linters:
    """The base Linter, lazy (its rule book, rule ids and configuration; no pipeline), built in
    the background, and the rule set a request's ``select``/``ignore`` asks for."""

    def __init__(self, factory: LinterFactory) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._started = False
        self.loaded = threading.Event()
        self.base: Linter | None = None
        self.error: str | None = None

    def start(self) -> None:
        """Build the base Linter in a background thread (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._load, name="replylint-load", daemon=True).start()

    def _load(self) -> None:
        try:
            self.base = self._factory(lazy=True)
        except Exception as exc:
            from ..nlp import ModelError

            if isinstance(exc, ModelError | RuleBookError):
                self.error = str(exc)
            else:
                self.error = "the linting pipeline failed to load (see the server's log)"
            log.exception("replylint: cannot build the Linter")
        finally:
            self.loaded.set()

    def require_base(self) -> Linter:
        if self.base is not None:
            return self.base
        if self.error is not None:
            raise ApiError(503, f"the linting pipeline failed to load: {self.error}")
        raise ApiError(503, STILL_LOADING, headers={"Retry-After": "1"})

    def for_request(self, select: Sequence[str], ignore: Sequence[str]) -> RuleSet:
        """The rule set running the base rule set narrowed by a request's ``select``/``ignore``,
        as the ``select`` and ``ignore`` a worker builds its Linter with; None: the base."""
        base = self.require_base()
        book = base.rulebook
        try:
            chosen = set(book.resolve_ids(list(select), "select")) if select else set(base.rule_ids)
            dropped = set(book.resolve_ids(list(ignore), "ignore"))
        except RuleBookError as exc:
            field = "select" if "in select" in str(exc) else "ignore"
            raise ApiError(422, str(exc), field=field, kind="unknown_rule") from None
        wanted = tuple(r for r in book.rules if r in chosen and r not in dropped)
        if set(wanted) == set(base.rule_ids):
            return None
        # ignoring every other rule also undoes what the base configuration adds to a select
        # (extend-select); other entries of its ignore (not rule ids) are kept
        others = [r for r in book.rules if r not in wanted]
        kept = [r for r in base.config.ignore if r not in book.rules]
        return wanted, (*others, *kept)


def rule_summary(book: RuleBook, rule_id: str) -> dict[str, Any]:
    rule = book.rules[rule_id]
    return {
        "id": rule.id,
        "name": rule.name,
        "category": rule.category,
        "severity": rule.severity,
        "summary": rule.summary,
        "why": rule.why,
        "message": rule.message,
        "source": rule.source,
    }
