"""The library API: ``Linter`` and ``check`` (stable; see README "Library").

Longer than 400 lines because ``Linter`` is one public class: its arguments' checks, the
engine and worker pool it owns, and the configuration it applies are what callers see as one
object; its workers' functions stay beside it, as they rebuild it in another process.
"""

from __future__ import annotations

import gc
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .__about__ import __version__
from .cache import Cache, code_digest, digest, folder_digest
from .channels import SETTINGS, Channel, apply_channel, channel_of, channel_table, skipped_rules
from .config import Config
from .language import Detector, Verdict
from .models import DraftReport, Finding, Profile, Severity
from .rulebook import RuleBook, load_rulebook
from .sources.base import Draft
from .sources.text import api_draft

if TYPE_CHECKING:
    from spacy.language import Language

    from .engine.batch import Engine, Items, Pending, Result

DraftInput = str | tuple[str, str | None]
RuleIds = str | Iterable[str]
PARALLEL_BATCH = 32  # drafts per task sent to a worker process


def _type_name(value: object) -> str:
    return type(value).__name__


def _rule_ids(value: object, where: str) -> tuple[str, ...]:
    """Rule ids given to the library: ``"a,b"``, ``["a", "b"]`` (items may hold commas too,
    as the command line's options do). Anything else is a :class:`TypeError` naming ``where``."""
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping):
        items = list(value)
    else:
        raise TypeError(
            f"{where} must be a string of comma-separated rule ids or a list of them, "
            f"got {_type_name(value)}"
        )
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{where} must hold strings (rule ids), got {_type_name(item)}")
        out.extend(part.strip() for part in item.split(",") if part.strip())
    return tuple(out)


def _text(value: object, where: str, *, optional: bool = False) -> None:
    if isinstance(value, str) or (optional and value is None):
        return
    wanted = "str or None" if optional else "str"
    raise TypeError(f"{where} must be {wanted}, got {_type_name(value)}")


def _channel(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{where} must be str, got {_type_name(value)}")
    if value not in SETTINGS:
        raise ValueError(f"{where} must be one of {', '.join(SETTINGS)}, got {value!r}")
    return value


def _drafts_in(
    texts: object, where: str = "Linter.check_many()"
) -> Iterator[tuple[str, str | None]]:
    """``check_many``'s (or ``where``'s) items as ``(text, customer)``, each checked as it
    comes (``texts`` may be a generator)."""
    if isinstance(texts, str | bytes) or not isinstance(texts, Iterable):
        raise TypeError(
            f"{where}: texts must be a list (or any iterable) of str or (text, customer) "
            f"pairs, got {_type_name(texts)}"
        )
    for n, item in enumerate(texts):
        if isinstance(item, str):
            yield item, None
            continue
        if isinstance(item, tuple) and len(item) == 2:
            text, customer = item
            _text(text, f"{where}: item {n}: text")
            _text(customer, f"{where}: item {n}: customer", optional=True)
            yield text, customer
            continue
        raise TypeError(
            f"{where}: item {n} must be str or a (text, customer) pair, got {_type_name(item)}"
        )


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
        select: RuleIds | None = None,
        ignore: RuleIds | None = None,
        extend_select: RuleIds | None = None,
        cache_dir: str | Path | None = None,
        jobs: int = 1,
        lazy: bool = False,
        channel: str | None = None,
    ) -> None:
        """``config``: a :class:`~replylint.Config` (default: ``Config()``, every rule).
        ``model``, ``select``, ``ignore`` and ``extend_select`` override it; the rule ids are a
        list or a comma-separated string (``select="bare-policy,terse-refusal"``), and an
        unknown one is a :class:`~replylint.rulebook.RuleBookError`. ``cache_dir``: keep
        findings on disk there and reuse them (off by default in the library; the CLI uses
        ``.replylint_cache``). ``jobs``: lint large runs in that many worker processes, each
        loading the pipeline once. ``lazy``: load the pipeline only when a draft needs it (a
        run answered from the cache never does). ``channel``: ``"auto"`` (per draft, from its
        format and shape), ``"email"``, ``"chat"``, ``"social"``, ``"macro"`` or ``"thread"``; it
        decides which rules apply and how long a rewrite may be (rules/_channels.yaml).

        >>> Linter(select="bare-policy").rule_ids
        ['bare-policy']
        >>> Linter(select=["terse-refusal", "bare-policy"], ignore="bare-policy").rule_ids
        ['terse-refusal']
        """
        from .nlp import resolve_model

        if config is not None and not isinstance(config, Config):
            raise TypeError(
                f"Linter(): config must be a replylint.Config or None, got {_type_name(config)}"
            )
        _text(model, "Linter(): model", optional=True)
        if isinstance(jobs, bool) or not isinstance(jobs, int):
            raise TypeError(f"Linter(): jobs must be int, got {_type_name(jobs)}")
        base = config or Config()
        updates: dict[str, object] = {}
        if model is not None:
            updates["model"] = model
        if select is not None:
            updates["select"] = _rule_ids(select, "Linter(): select")
        if ignore is not None:
            updates["ignore"] = _rule_ids(ignore, "Linter(): ignore")
        if extend_select is not None:
            updates["extend_select"] = _rule_ids(extend_select, "Linter(): extend_select")
        if channel is not None:
            updates["channel"] = _channel(channel, "Linter(): channel")
        self.config = base.model_copy(update=updates)
        cfg = self.config
        self.rulebook: RuleBook = load_rulebook(tuple(Path(d) for d in cfg.rules_dir))
        book = self.rulebook
        selected = book.resolve_ids([*cfg.select, *cfg.extend_select], "select")
        ignored = set(book.resolve_ids(list(cfg.ignore), "ignore"))
        book.resolve_ids(list(cfg.severity), "severity")
        self.rule_ids = [r for r in dict.fromkeys(selected) if r not in ignored]
        channel_table()  # the channel table is valid (a RuleBookError now, otherwise)
        self._placeholders = None
        if cfg.placeholders:
            from .placeholders import compile_patterns

            self._placeholders = compile_patterns(cfg.placeholders)
        self._model = resolve_model(cfg.model)  # fails now if no pipeline is installed
        self._engine_: Engine | None = None
        self._detector: Detector | None = None
        self._engine_lock = threading.Lock()
        self.jobs = max(1, jobs)
        self._pool: Any = None
        self._shared: Any = None  # removes the workers' shared parses (weakref.finalize)
        self._cache: Cache | None = None
        self._config_key: tuple[Config, str] | None = None
        if cache_dir is not None:
            self._cache = Cache(cache_dir, self._salt())
        if not lazy:
            self._get_engine()

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (loaded on first use when the Linter is lazy)."""
        return self._get_engine().nlp

    @property
    def cache(self) -> Cache | None:
        """Where findings are kept for re-runs (None: not kept)."""
        return self._cache

    @property
    def config_key(self) -> str:
        """The configuration, as part of a cache key (the salt covers the rest); dumped once
        per Config (frozen), not once per file."""
        if self._config_key is None or self._config_key[0] is not self.config:
            self._config_key = (self.config, self.config.model_dump_json())
        return self._config_key[1]

    @property
    def _engine(self) -> Engine:
        return self._get_engine()

    def _get_engine(self) -> Engine:
        from .engine.batch import Engine
        from .nlp import load_pipeline

        with self._engine_lock:
            if self._engine_ is None:
                nlp = load_pipeline(self._model)
                where = self.config.config_file or "configuration"
                self._engine_ = Engine(
                    nlp,
                    self.rulebook,
                    self.rule_ids,
                    placeholders=self._placeholders,
                    placeholders_where=f"{where}: placeholders",
                    placeholder_patterns=self.config.placeholders,
                )
                if _owned:
                    gc.freeze()
            return self._engine_

    def _salt(self) -> str:
        """Everything besides the draft that decides its findings (see cache.py)."""
        from importlib.metadata import version

        from .nlp import model_id
        from .rulebook import rules_dir

        folders = [rules_dir(), *(Path(d) for d in self.config.rules_dir)]
        return digest(
            [
                __version__,
                code_digest(),
                version("spacy"),
                model_id(self._model),
                folder_digest(folders),
                ",".join(self.rule_ids),
                "\n".join(self.config.placeholders),
            ]
        )

    def _start_pool(self) -> None:
        """Start the worker processes, each with a Linter built from this one's config.

        In a single-threaded process they are forked before linting starts, so they share the
        loaded pipeline (copy-on-write) and start at once; otherwise they are spawned and load
        it themselves."""
        import multiprocessing
        import shutil
        import tempfile
        import weakref
        from concurrent.futures import ProcessPoolExecutor

        from .analysis import SHARED_LIMIT, shareable

        shared = None
        if shareable(self.nlp):  # the workers share the sentences they parse (analysis.py)
            shared = tempfile.mkdtemp(prefix="replylint-parses-")
            self._shared = weakref.finalize(self, shutil.rmtree, shared, ignore_errors=True)
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        self._pool = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_start_worker,
            initargs=(
                self.config.model_dump_json(by_alias=False),
                shared,
                SHARED_LIMIT // self.jobs,
            ),
        )
        list(self._pool.map(_ready, range(self.jobs)))  # every worker started and loaded

    def _submit(self, items: Items) -> Pending:
        """Send drafts to the worker processes; they start on the first drafts the cache
        cannot answer."""
        if self._pool is None:
            self._get_engine()  # workers forked from here share the loaded pipeline
            self._start_pool()
        assert self._pool is not None
        future: Pending = self._pool.submit(_work, items)
        return future

    def close(self) -> None:
        """Stop the worker processes, if any, and close the cache."""
        if self._cache is not None:
            self._cache.close()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._shared is not None:
            self._shared()  # the folder of shared parses goes with them
            self._shared = None

    def check(
        self, text: str, customer: str | None = None, *, channel: str | None = None
    ) -> DraftReport:
        """Lint one draft; ``customer`` is the customer's message it replies to; ``channel``
        (default: the Linter's) the channel it is written for (``report.channel`` says which
        one it was linted for).

        >>> report = Linter(select="bare-policy").check("Sorry, it's our policy.")
        >>> [(f.rule, f.excerpt) for f in report.findings]
        [('bare-policy', "it's our policy")]
        """
        _text(text, "Linter.check(): text")
        _text(customer, "Linter.check(): customer", optional=True)
        return next(iter(self.check_many([(text, customer)], channel=channel)))

    def check_many(
        self, texts: Iterable[DraftInput], *, channel: str | None = None
    ) -> list[DraftReport]:
        """Lint many drafts (strings, or ``(text, customer)`` pairs) batched through nlp.pipe.

        >>> reports = Linter(select="terse-refusal").check_many(["Nope.", ("Thanks!", None)])
        >>> [[f.rule for f in r.findings] for r in reports]
        [['terse-refusal'], []]
        """
        from .threads import judge_alone

        setting = None if channel is None else _channel(channel, "Linter.check_many(): channel")
        drafts = (api_draft(t, c) for t, c in _drafts_in(texts))
        # a draft marked as part of a thread ("2/2") is an incomplete thread: the moves its
        # other parts may make are not asked of it (threads.py)
        return self._reports(
            (d, *judge_alone(d.text, f, p, d.customer is not None))
            for d, f, p in self.engine_results(drafts, channel=setting)
        )

    def check_thread(
        self, texts: Iterable[DraftInput], *, channel: str | None = None
    ) -> list[DraftReport]:
        """Lint the parts of one reply posted as a thread (strings, or ``(text, customer)``
        pairs, in order), judged as a whole (:mod:`replylint.threads`): a move one part makes
        (an acknowledgement, a check-back …) satisfies the rules that ask for it in the
        others, the greeting is asked of the first part only, and each report's profile has
        the thread's moves. Each report's findings are its own part's, at offsets into its
        text. Thread markers ("1/2") are not needed; ``replylint check`` finds threads in a
        file by them.

        >>> parts = ["@Acme Sorry for the mix-up! I've refunded the charge.",
        ...          "@Acme Let us know if it hasn't shown up by Friday."]
        >>> linter = Linter(select="no-check-back")
        >>> [[f.rule for f in r.findings] for r in linter.check_many(parts)]
        [['no-check-back'], []]
        >>> [[f.rule for f in r.findings] for r in linter.check_thread(parts)]
        [[], []]
        """
        from .threads import Thread, judge

        where = "Linter.check_thread(): channel"
        setting = None if channel is None else _channel(channel, where)
        items = _drafts_in(texts, "Linter.check_thread()")
        drafts = [api_draft(t, c) for t, c in items]
        results = list(self.engine_results(drafts, channel=setting))
        if len(results) < 2:
            return self._reports(results)
        count = len(results)
        found, profiles = judge(
            Thread(tuple(range(count)), 1, count, count),
            [f for _, f, _ in results],
            [p for *_, p in results],
        )
        return self._reports(
            (d, f, p) for (d, *_), f, p in zip(results, found, profiles, strict=True)
        )

    def _reports(
        self, results: Iterable[tuple[Draft, list[Finding], Profile]]
    ) -> list[DraftReport]:
        """The library's reports of drafts the engine linted (:meth:`engine_results`), each
        finished (the run's finish step, :func:`replylint.run.finish.finish`)."""
        from .run.finish import finish

        out = []
        # both gates ran in the engine: its verdict is in the profile and the findings
        gated = {"not-english", "not-prose"} <= set(self.rule_ids)
        for d, f, p in results:
            if gated and p.language is not None:
                language, prose = p.language, not any(x.rule == "not-prose" for x in f)
            else:
                verdict = self.language_of(d.text)
                language, prose = verdict.language, verdict.prose
                p = p.model_copy(update={"language": language})
            report = DraftReport(
                text=d.text,
                customer=d.customer,
                title=d.title,
                channel=p.channel,
                findings=finish(self, d.path, f),
                language=language,
                prose=prose,
                profile=p,
            )
            report._linter = self  # rewritten() composes and re-lints with it
            out.append(report)
        return out

    def findings_of(self, text: str, customer: str | None, channel: str | None) -> list[Finding]:
        """The findings of one draft, as :meth:`check` has them (the composer re-lints a
        rewritten draft with it: the engine's own path, whatever a subclass does to
        :meth:`check_many`)."""
        from .run.finish import finish
        from .threads import judge_alone

        draft = api_draft(text, customer)
        ((_, found, profile),) = list(self.engine_results([draft], channel=channel))
        # a part of a thread ("2/2") as check() judges it alone (threads.py): the re-lint must
        # not find a move missing that check() does not ask of it
        found, _ = judge_alone(text, found, profile, customer is not None)
        return finish(self, draft.path, found)

    def budget(self, channel: str) -> int | None:
        """The most characters a reply of ``channel`` may have once rewritten (None: no
        limit), from the channel table (rules/_channels.yaml)."""
        entry = channel_table().channels.get(channel)  # type: ignore[call-overload]
        return None if entry is None else entry.budget.reply_chars

    def language_of(self, text: str) -> Verdict:
        """Whether ``text`` is English prose, and its language (``language.py``): what the
        gates not-english and not-prose judge, whether or not they are selected.

        >>> Linter(select="not-english").language_of("Спасибо, мы уже отправили ваш заказ.")
        Verdict(language='ru', prose=True, why='29 letters in cyrillic script')
        """
        if self._detector is None:
            self._detector = Detector.for_book(self.rulebook, self._placeholders)
        return self._detector.verdict(text)

    def channel_of(self, draft: Draft, setting: str | None = None) -> Channel:
        """The channel ``draft`` is linted for: ``setting`` (default: the configuration's
        ``channel``), and for ``auto`` the one its format and shape say
        (:func:`replylint.channels.detect`)."""
        return channel_of(draft, setting or self.config.channel)

    def lint_drafts(
        self, drafts: Iterable[Draft], *, channel: str | None = None
    ) -> Iterator[tuple[Draft, list[Finding]]]:
        """Lint drafts from any reader; yields ``(draft, findings)`` in input order, with the
        configuration applied (the run's finish step, :func:`replylint.run.finish.finish`)."""
        from .run.finish import finish

        for draft, findings in self.engine_findings(drafts, channel=channel):
            yield draft, finish(self, draft.path, findings)

    def engine_findings(
        self, drafts: Iterable[Draft], *, channel: str | None = None
    ) -> Iterator[tuple[Draft, list[Finding]]]:
        """The engine's findings of drafts, placed in their files, in input order, as each
        draft's channel has them: not yet finished (see :mod:`replylint.run.finish`)."""
        for draft, findings, _ in self.engine_results(drafts, channel=channel):
            yield draft, findings

    def engine_results(
        self, drafts: Iterable[Draft], *, channel: str | None = None
    ) -> Iterator[tuple[Draft, list[Finding], Profile]]:
        """:meth:`engine_findings`, each with the draft's empathy profile. The channel
        (``channel``, default the configuration's; for ``auto`` the draft's own) is applied
        here, on every path: the rules it turns off are not evaluated for the draft,
        severities and the rewrite budget are set (:func:`replylint.channels.apply_channel`);
        the profile names it."""
        chosen: deque[Channel] = deque()  # asked for in input order, and yielded so

        def skip_of(draft: Draft) -> tuple[str, ...]:
            ch = self.channel_of(draft, channel)
            chosen.append(ch)
            return skipped_rules(ch, draft.text, draft.customer)

        for draft, findings, profile in self._engine_results(drafts, skip_of):
            ch = chosen.popleft()
            kept = apply_channel(ch, draft.text, draft.customer, findings)
            yield draft, kept, profile.model_copy(update={"channel": ch})

    def _engine_results(
        self, drafts: Iterable[Draft], skip_of: Callable[[Draft], tuple[str, ...]]
    ) -> Iterator[tuple[Draft, list[Finding], Profile]]:
        from .engine.batch import BATCH_SIZE, lint_batched

        parallel = self.jobs > 1
        yield from lint_batched(
            drafts,
            self._analyse,
            submit=self._submit if parallel else None,
            ahead=2 * self.jobs if parallel else 0,
            cache=self._cache,
            batch_size=PARALLEL_BATCH if parallel else BATCH_SIZE,
            max_chars=self.config.max_draft_chars,
            skip_of=skip_of,
        )

    def _analyse(self, items: Items) -> list[Result]:
        engine = self._get_engine()
        with engine.compiled.lock:
            return engine.analyse(items)

    def configurer(self, path: str | None = None) -> Callable[[Finding], Finding | None]:
        """The configuration for the file ``path``, as a function of one finding: None when the
        finding is dropped (its rule is ignored there by ``per-file-ignores``), else the finding
        with its ``severity`` override (so ``fails`` and every output see it). The run's finish step
        applies it once to each finding (:mod:`replylint.run.finish`); applying it twice changes
        nothing."""
        cfg = self.config
        dropped: set[str] = set()
        if path is not None and cfg.per_file_ignores and not path.startswith("<"):
            dropped |= cfg.ignored_for(path)
        everything = "ALL" in dropped
        severity = cfg.severity

        def configure(f: Finding) -> Finding | None:
            if everything or f.rule in dropped:
                return None
            override = severity.get(f.rule)
            if override is not None and override is not f.severity:
                return f.model_copy(update={"severity": override})
            return f

        return configure

    def fails(self, findings: Iterable[Finding]) -> bool:
        """Whether any finding is at or above the configured ``fail-on`` severity."""
        return any(f.severity.rank >= self.config.fail_on.rank for f in findings)


_owned = False  # see own_process()


def own_process() -> None:
    """Say that replylint owns this process (its command line and server do; a library caller
    does not): once a pipeline is loaded, everything alive then (pipeline, rule book, compiled
    matchers, kept to the end) moves to the garbage collector's permanent generation
    (``gc.freeze``). Full collections stop walking those objects (they took 0.64 s of a
    2,000-draft run, 0.09 s frozen), and forked workers stop copying their memory pages when
    the collector touches them. What is alive when this is called is frozen at once too.
    Process-wide, hence not the library's default."""
    global _owned
    if not _owned:
        # what is imported by now (modules, click, the pydantic schemas) lives to the end too,
        # and a run the cache answers makes ~13,000 findings with their suggestions in a
        # burst, while collections walked every import (a warm 2,000-file run 0.70 s, 0.63 s
        # frozen, A/B medians of 8). Collecting less often gained 0.02 s more, but garbage
        # waiting for a collection showed as memory that grows with the run: not done.
        gc.freeze()
    _owned = True


_worker: Linter | None = None


def _start_worker(config_json: str, shared: str | None, limit: int) -> None:
    global _worker
    _worker = Linter(Config.model_validate_json(config_json))
    if shared is not None:
        from .analysis import SharedParses

        _worker._engine.compiled.shared = SharedParses(shared, limit)


def _ready(_: int) -> bool:
    return _worker is not None


def _work(items: Items) -> list[Result]:
    assert _worker is not None
    with _worker._engine.compiled.lock:
        return _worker._engine.analyse(items)


_default: Linter | None = None
_default_lock = threading.Lock()


def check(text: str, customer: str | None = None, *, channel: str | None = None) -> DraftReport:
    """Lint one draft with a default :class:`Linter` (every rule, the pipeline loaded once),
    created on first use; ``customer`` is the customer's message it replies to, ``channel``
    the channel it is written for (default ``auto``)."""
    global _default
    _text(text, "replylint.check(): text")
    _text(customer, "replylint.check(): customer", optional=True)
    with _default_lock:
        if _default is None:
            _default = Linter()
    return _default.check(text, customer, channel=channel)


__all__ = ["Linter", "Severity", "check"]
