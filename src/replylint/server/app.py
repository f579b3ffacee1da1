"""The FastAPI app behind ``replylint serve``: the JSON API under ``/v1``, the playground and the
API docs (served from this machine: no CDN). This module builds the app and its routes; the
middleware is in guard.py, the error shape and request bodies in errors.py, the rule sets in
linters.py, the jobs for the workers in jobs.py, the pages in pages.py.

Drafts are linted in worker processes (pool.py), each with its own Linter; this process keeps a
lazy Linter of the same factory (no pipeline) for the rule book and to resolve a request's
``select``/``ignore``. ``GET /v1/health`` answers at once; ``GET /v1/ready`` says when the
workers can lint.

Every request has budgets: its body's size (``max_body_bytes``, 413) and the time to receive it
(``read_timeout``, 408); each draft's length (``max_draft_chars``: 413 for ``/v1/check``, a
``too_long`` error for a batch's draft); the time to lint it (``timeout``: a worker still busy
then is killed and replaced). A batch answers each draft: its findings or why it has none.

Findings use the CLI's JSON schema (``Finding.model_dump(mode="json")``), plus offsets into the
draft in code points (``start``/``end``) and in UTF-16 code units (``js_start``/``js_end``, the
indices of a JavaScript string).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from pydantic import BaseModel

from ..__about__ import __version__
from ..api import Linter
from ..models import JSON_SCHEMA_VERSION
from ..rulebook import RuleBook, load_rulebook
from . import jobs
from .errors import (
    ERRORS,
    STATUS,
    ApiError,
    add_body_schemas,
    add_error_handlers,
    parse_body,
    request_body,
)
from .guard import GuardMiddleware, SecurityHeadersMiddleware
from .http import DEFAULT_READ_TIMEOUT
from .linters import STILL_LOADING, LinterFactory, Linters, rule_summary
from .models import (
    BatchRequest,
    BatchResponse,
    CheckRequest,
    CheckResponse,
    ErrorResponse,
    HealthResponse,
    ReadyResponse,
    RuleDetail,
    RulesResponse,
    RuleSummary,
)
from .pages import add_pages
from .pool import Pool
from .worker import Item, Outcome, RuleSet

Endpoint = Callable[[Request], Awaitable[Response]]

DEFAULT_MAX_BODY = 1_048_576  # bytes
DEFAULT_MAX_BATCH = 100  # drafts per /v1/check/batch request
DEFAULT_MAX_DRAFT_CHARS = 50_000  # characters of a draft (and of a customer's message)
DEFAULT_TIMEOUT = 10.0  # seconds to lint a request, waiting for a worker included
DEFAULT_WORKERS = 2  # light-lane worker processes
DEFAULT_HEAVY_WORKERS = 1  # heavy-lane worker processes (long drafts)
DEFAULT_QUEUE = 64  # jobs waiting per lane before the server answers "busy"


def create_app(
    linter_factory: LinterFactory = Linter,
    *,
    cors_origins: Sequence[str] = (),
    max_body_bytes: int = DEFAULT_MAX_BODY,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_draft_chars: int = DEFAULT_MAX_DRAFT_CHARS,
    timeout: float = DEFAULT_TIMEOUT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    heavy_workers: int = DEFAULT_HEAVY_WORKERS,
    queue: int = DEFAULT_QUEUE,
) -> FastAPI:
    """The replylint HTTP app.

    ``linter_factory`` builds the Linters (``Linter`` by default; pass
    ``functools.partial(Linter, model=...)`` for another pipeline); it must pickle, as worker
    processes build their Linters with it. ``cors_origins`` lists the browser origins allowed to
    call the API (none by default; ``"*"`` allows any). Request bodies over ``max_body_bytes``
    get 413, and so do drafts over ``max_draft_chars``; batches over ``max_batch`` drafts get
    422; a body not received within ``read_timeout`` seconds gets 408; linting a request may
    take ``timeout`` seconds. ``workers`` processes lint drafts up to 2,000 characters and
    ``heavy_workers`` the longer ones; ``queue`` jobs may wait for each.
    """
    linters = Linters(linter_factory)
    pool = Pool(
        linter_factory, workers=workers, heavy_workers=heavy_workers, queue=queue, timeout=timeout
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        linters.start()  # in the background: /v1/health answers at once
        pool.start()
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, pool.close)

    app = FastAPI(
        title="replylint",
        version=__version__,
        summary="An empathy linter for customer-service reply drafts.",
        description=(
            "Findings use the same schema as `replylint check --format json`, plus `start`/`end` "
            "(code points) and `js_start`/`js_end` (UTF-16 code units: JavaScript string "
            'indices) into the draft text. Errors are `{"error": "…"}`, with `detail` naming '
            "the fields for 422. A batch answers every draft: its findings, or an `error` and "
            "its `type`. The playground is at `/`."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.linters = linters
    app.state.pool = pool

    add_error_handlers(app)  # one JSON shape, no stack traces

    # -- linting --------------------------------------------------------------------------------

    def pipeline() -> str:
        return "-".join(pool.pipeline) if pool.pipeline else ""

    def require_ready() -> None:
        linters.require_base()
        if pool.error is not None:
            raise ApiError(503, f"the linting pipeline failed to load: {pool.error}")
        if not pool.ready:
            raise ApiError(503, STILL_LOADING, headers={"Retry-After": "1"})

    async def lint(rules: RuleSet, items: list[Item]) -> dict[int, Outcome]:
        return await jobs.lint(pool, rules, items, timeout=timeout, max_draft_chars=max_draft_chars)

    def respond(content: dict[str, Any], started: float) -> Response:
        """A linting answer: ``content`` between the schema version and the pipeline and time."""
        answer = {
            "version": JSON_SCHEMA_VERSION,
            **content,
            "pipeline": pipeline(),
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
        }
        return Response(
            json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            media_type="application/json",
        )

    def post_lint(
        path: str, body: type[BaseModel], answer: type[BaseModel]
    ) -> Callable[[Endpoint], Endpoint]:
        """The route of a linting endpoint, which parses its own ``body``."""
        return app.post(
            path,
            tags=["lint"],
            response_model=answer,
            responses=ERRORS,
            openapi_extra=request_body(body),
        )

    # -- the API --------------------------------------------------------------------------------

    @app.get("/v1/health", tags=["status"])
    def health() -> HealthResponse:
        """The server is up (the pipeline may still be loading: see `/v1/ready`)."""
        return HealthResponse()

    @app.get(
        "/v1/ready",
        tags=["status"],
        responses={503: {"model": ReadyResponse, "description": "Not ready yet (or failed)"}},
    )
    def ready(response: Response) -> ReadyResponse:
        """200 once the workers can lint drafts; 503 until then."""
        base = linters.base
        error = linters.error or pool.error
        if base is None or not pool.ready or error is not None:
            response.status_code = 503
            response.headers["Retry-After"] = "1"
            return ReadyResponse(ready=False, error=error)
        name, version = pool.pipeline or (None, None)
        return ReadyResponse(
            ready=True, pipeline=name, pipeline_version=version, rules=len(base.rule_ids)
        )

    @post_lint("/v1/check", CheckRequest, CheckResponse)
    async def check(request: Request) -> Response:
        """Lint one draft (optionally with the customer's message it replies to).

        A draft over the server's length limit gets 413; one the linter fails on, or that takes
        longer than the time budget, 422; 503 when no worker is free in time (retry)."""
        body = parse_body(CheckRequest, await request.body())
        require_ready()
        rules = linters.for_request(body.select, body.ignore)
        started = time.perf_counter()
        result = (await lint(rules, [(0, body.text, body.customer, body.channel)]))[0]
        if "error" in result:
            kind = result["type"]
            headers = {"Retry-After": "1"} if kind == "busy" else None
            field = "customer" if result["error"].startswith("customer") else "text"
            raise ApiError(STATUS[kind], result["error"], field, kind, headers)
        return respond(result, started)

    @post_lint("/v1/check/batch", BatchRequest, BatchResponse)
    async def check_batch(request: Request) -> Response:
        """Lint many drafts in one request (at most the server's batch limit, 100 by default).

        Each draft gets its findings, or an `error` and its `type` (`too_long`, `timeout`,
        `busy`, `lint_failed`) while the others are answered. 503 when none could be linted
        because no worker was free in time."""
        body = parse_body(BatchRequest, await request.body())
        if len(body.drafts) > max_batch:
            raise ApiError(
                422,
                f"too many drafts: {len(body.drafts)}; the limit is {max_batch} per request",
                field="drafts",
                kind="too_long",
            )
        require_ready()
        rules = linters.for_request(body.select, body.ignore)
        started = time.perf_counter()
        outcomes = await lint(
            rules,
            [(i, d.text, d.customer, d.channel or body.channel) for i, d in enumerate(body.drafts)],
        )
        results = [outcomes[i] for i in range(len(body.drafts))]
        if results and all(r.get("type") == "busy" for r in results):
            raise ApiError(503, results[0]["error"], headers={"Retry-After": "1"})
        return respond({"results": results}, started)

    def rulebook() -> RuleBook:
        """The base Linter's rule book (with a configuration's extra rules) once it is built;
        the shipped one until then (loading it needs no pipeline)."""
        return linters.base.rulebook if linters.base is not None else load_rulebook()

    @app.get("/v1/rules", tags=["rules"])
    def rules() -> RulesResponse:
        """Every rule: id, name, category, severity, summary, why, message and sources."""
        book = rulebook()
        return RulesResponse(rules=[RuleSummary(**rule_summary(book, r)) for r in book.rules])

    @app.get(
        "/v1/rules/{rule_id}",
        tags=["rules"],
        responses={404: {"model": ErrorResponse, "description": "Unknown rule id"}},
    )
    def rule(rule_id: str) -> RuleDetail:
        """One rule, with its examples and the text of `replylint explain RULE`."""
        from ..explain import explain

        book = rulebook()
        if rule_id not in book.rules:
            known = ", ".join(sorted(book.rules))
            raise ApiError(404, f"unknown rule id {rule_id!r} (known: {known})")
        found = book.rules[rule_id]
        return RuleDetail(
            **rule_summary(book, rule_id), explain=explain(found), examples=found.examples
        )

    add_body_schemas(app)
    add_pages(app)

    # -- middleware: the last added runs first, so CORS and security headers reach 413s and 500s

    app.add_middleware(GuardMiddleware, max_body=max_body_bytes, read_timeout=read_timeout)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    return app
