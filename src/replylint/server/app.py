"""The FastAPI app behind ``replylint serve``: the JSON API under ``/v1``, the playground and the
API docs (served from this machine: no CDN).

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
import importlib.util
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ValidationError
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..__about__ import __version__
from ..api import Linter
from ..models import JSON_SCHEMA_VERSION
from ..rulebook import RuleBook, RuleBookError, load_rulebook
from .http import DEFAULT_READ_TIMEOUT
from .models import (
    BatchRequest,
    BatchResponse,
    CheckRequest,
    CheckResponse,
    ErrorDetail,
    ErrorResponse,
    HealthResponse,
    ReadyResponse,
    RuleDetail,
    RulesResponse,
    RuleSummary,
)
from .pool import Item, Lane, Outcome, Pool, PoolError, RuleSet

log = logging.getLogger("replylint.server")

DEFAULT_MAX_BODY = 1_048_576  # bytes
DEFAULT_MAX_BATCH = 100  # drafts per /v1/check/batch request
DEFAULT_MAX_DRAFT_CHARS = 50_000  # characters of a draft (and of a customer's message)
DEFAULT_TIMEOUT = 10.0  # seconds to lint a request, waiting for a worker included
DEFAULT_WORKERS = 2  # light-lane worker processes
DEFAULT_HEAVY_WORKERS = 1  # heavy-lane worker processes (long drafts)
DEFAULT_QUEUE = 64  # jobs waiting per lane before the server answers "busy"
HEAVY_CHARS = 2_000  # a draft (with its customer's message) longer than this is heavy
LIGHT_JOB_CHARS = 8_000  # a batch's light drafts go to the workers in jobs of this size …
LIGHT_JOB_DRAFTS = 32  # … or this many drafts
STATIC_DIR = Path(__file__).resolve().parent / "static"

# the playground uses no external asset: nothing but this origin may be loaded
PLAYGROUND_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Swagger UI, served from this origin, sets inline style attributes on its elements
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


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


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        kind: str = "value_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = [ErrorDetail(field=field, message=message, type=kind)] if field else None
        self.headers = headers


# --------------------------------------------------------------------------------------------
# The rule book and rule sets (in this process; the pipeline is in the workers)
# --------------------------------------------------------------------------------------------


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
        raise ApiError(
            503,
            "the linting pipeline is still loading; retry when GET /v1/ready answers 200",
            headers={"Retry-After": "1"},
        )

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


def _rule_summary(book: RuleBook, rule_id: str) -> dict[str, Any]:
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


# --------------------------------------------------------------------------------------------
# Middleware: size and time to read a body, security headers, no stack traces
# --------------------------------------------------------------------------------------------


def _json_messages(
    status: int, content: dict[str, Any], extra: Sequence[tuple[bytes, bytes]] = ()
) -> list[Message]:
    body = json.dumps(content).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *extra,
        ],
    }
    return [start, {"type": "http.response.body", "body": body}]


class GuardMiddleware:
    """Reads the whole body before the app sees it: bodies over ``max_body`` bytes get 413 (by
    Content-Length, and by counting what actually arrives, for chunked uploads), a body not
    received within ``read_timeout`` seconds gets 408 and the connection is closed; turns an
    unhandled exception into a bare 500."""

    def __init__(self, app: ASGIApp, max_body: int, read_timeout: float) -> None:
        self.app = app
        self.max_body = max_body
        self.read_timeout = read_timeout

    async def _reply(
        self,
        send: Send,
        status: int,
        content: dict[str, Any],
        extra: Sequence[tuple[bytes, bytes]] = (),
    ) -> None:
        for message in _json_messages(status, content, extra):
            await send(message)

    def _too_large(self, size: int | None) -> dict[str, Any]:
        what = f"{size} bytes" if size is not None else "larger than that"
        return {
            "error": f"request body too large: {what}; the limit is {self.max_body} bytes "
            "(replylint serve --max-body)"
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await self._reply(send, 400, {"error": "invalid Content-Length header"})
                return
            if declared > self.max_body:
                await self._reply(send, 413, self._too_large(declared))
                return
        # read the whole body (at most max_body bytes, within read_timeout), then replay it
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.read_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_body:
                        await self._reply(send, 413, self._too_large(None))
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            error = (
                f"request body not received within {self.read_timeout:g} s "
                f"({size} bytes arrived; replylint serve --read-timeout)"
            )
            await self._reply(send, 408, {"error": error}, [(b"connection", b"close")])
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, replay, tracked_send)
        except Exception:
            log.exception("replylint: unhandled error in %s %s", scope["method"], scope["path"])
            if started:
                raise
            await self._reply(send, 500, {"error": "internal error"})


class SecurityHeadersMiddleware:
    """Sets a Content-Security-Policy and the usual hardening headers on every response: the
    playground's and the docs' pages may load only this origin's files, anything else (JSON,
    static files, errors) nothing at all."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        csp = PLAYGROUND_CSP if path == "/" else DOCS_CSP if path == "/docs" else API_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-security-policy"] = csp
                for name, value in SECURITY_HEADERS:
                    headers[name.decode()] = value.decode()
                if path.startswith("/v1/"):
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {
    408: {"model": ErrorResponse, "description": "The body did not arrive in time"},
    413: {"model": ErrorResponse, "description": "Request body (or the draft) too large"},
    422: {"model": ErrorResponse, "description": "Invalid request (names the field)"},
    503: {"model": ErrorResponse, "description": "Still loading, or busy: retry"},
}
_STATUS = {"too_long": 413, "timeout": 422, "lint_failed": 422, "busy": 503}

M = TypeVar("M", bound=BaseModel)


def _field(loc: Iterable[int | str]) -> str:
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _invalid(errors: Iterable[Any]) -> JSONResponse:
    details = []
    for err in errors:
        field, message = _field(err.get("loc", ())), str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            field = "body"
            reason = (err.get("ctx") or {}).get("error", "") or message.removeprefix(
                "Invalid JSON: "
            )
            message = f"invalid JSON{': ' + str(reason) if reason else ''}"
        details.append(ErrorDetail(field=field, message=message, type=str(err.get("type"))))
    first = details[0] if details else ErrorDetail(field="body", message="invalid", type="")
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    content = ErrorResponse(
        error=f"invalid request: {first.field}: {first.message}{more}", detail=details
    )
    return JSONResponse(content.model_dump(), status_code=422)


class _Invalid(Exception):
    def __init__(self, errors: list[Any]) -> None:
        self.errors = errors


def _parse(model: type[M], body: bytes) -> M:
    """The request body as ``model``, by pydantic's JSON parser: malformed JSON, NaN,
    lone surrogates, numbers out of range and nesting too deep are all a 422 naming the body."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise _Invalid(exc.errors(include_url=False, include_input=False)) from None


def _request_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an endpoint that parses its own body."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def _docs_assets() -> Path | None:
    """Swagger UI's files, from the ``fastapi-offline`` package (the server extra)."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


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

    # -- errors: one JSON shape, no stack traces ------------------------------------------------

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        content = ErrorResponse(error=exc.message, detail=exc.detail)
        return JSONResponse(
            content.model_dump(exclude_none=True), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(_Invalid)
    async def invalid_body(request: Request, exc: _Invalid) -> JSONResponse:
        return _invalid(exc.errors)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid(exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"not found: {request.method} {request.url.path}"
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "internal error"}, status_code=500)

    # -- linting --------------------------------------------------------------------------------

    def pipeline() -> str:
        return "-".join(pool.pipeline) if pool.pipeline else ""

    def require_ready() -> None:
        linters.require_base()
        if pool.error is not None:
            raise ApiError(503, f"the linting pipeline failed to load: {pool.error}")
        if not pool.ready:
            raise ApiError(
                503,
                "the linting pipeline is still loading; retry when GET /v1/ready answers 200",
                headers={"Retry-After": "1"},
            )

    def too_long(items: Sequence[Item]) -> dict[int, Outcome]:
        out = {}
        for index, text, customer in items:
            for name, value in (("draft", text), ("customer's message", customer or "")):
                if len(value) > max_draft_chars:
                    out[index] = {
                        "error": f"{name} too long: {len(value)} characters; the limit is "
                        f"{max_draft_chars} (replylint serve --max-draft-chars)",
                        "type": "too_long",
                    }
                    break
        return out

    async def lint(rules: RuleSet, items: list[Item]) -> dict[int, Outcome]:
        """Every item's outcome, linted in the workers within the time budget: light drafts
        in jobs of a few thousand characters, heavy ones (longest last) in one job."""
        deadline = asyncio.get_running_loop().time() + timeout
        out = too_long(items)
        todo = sorted(
            (item for item in items if item[0] not in out),
            key=lambda item: len(item[1]) + len(item[2] or ""),
        )
        jobs: list[tuple[Lane, list[Item]]] = []
        light: list[Item] = []
        size = 0
        heavy: list[Item] = []
        for item in todo:
            length = len(item[1]) + len(item[2] or "")
            if length > HEAVY_CHARS:
                heavy.append(item)
                continue
            if light and (size + length > LIGHT_JOB_CHARS or len(light) >= LIGHT_JOB_DRAFTS):
                jobs.append(("light", light))
                light, size = [], 0
            light.append(item)
            size += length
        if light:
            jobs.append(("light", light))
        if heavy:
            jobs.append(("heavy", heavy))
        try:
            done = await asyncio.gather(
                *(pool.run(lane, rules, job, deadline) for lane, job in jobs)
            )
        except PoolError as exc:
            raise ApiError(503, f"the linting pipeline failed to load: {exc}") from None
        for part in done:
            out |= part
        return out

    def respond(content: dict[str, Any]) -> Response:
        return Response(
            json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            media_type="application/json",
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

    @app.post(
        "/v1/check",
        tags=["lint"],
        response_model=CheckResponse,
        responses=_ERRORS,
        openapi_extra=_request_body(CheckRequest),
    )
    async def check(request: Request) -> Response:
        """Lint one draft (optionally with the customer's message it replies to).

        A draft over the server's length limit gets 413; one the linter fails on, or that takes
        longer than the time budget, 422; 503 when no worker is free in time (retry)."""
        body = _parse(CheckRequest, await request.body())
        require_ready()
        rules = linters.for_request(body.select, body.ignore)
        started = time.perf_counter()
        result = (await lint(rules, [(0, body.text, body.customer)]))[0]
        if "error" in result:
            kind = result["type"]
            headers = {"Retry-After": "1"} if kind == "busy" else None
            field = "customer" if result["error"].startswith("customer") else "text"
            raise ApiError(_STATUS[kind], result["error"], field, kind, headers)
        return respond(
            {
                "version": JSON_SCHEMA_VERSION,
                **result,
                "pipeline": pipeline(),
                "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
            }
        )

    @app.post(
        "/v1/check/batch",
        tags=["lint"],
        response_model=BatchResponse,
        responses=_ERRORS,
        openapi_extra=_request_body(BatchRequest),
    )
    async def check_batch(request: Request) -> Response:
        """Lint many drafts in one request (at most the server's batch limit, 100 by default).

        Each draft gets its findings, or an `error` and its `type` (`too_long`, `timeout`,
        `busy`, `lint_failed`) while the others are answered. 503 when none could be linted
        because no worker was free in time."""
        body = _parse(BatchRequest, await request.body())
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
        outcomes = await lint(rules, [(i, d.text, d.customer) for i, d in enumerate(body.drafts)])
        results = [outcomes[i] for i in range(len(body.drafts))]
        if results and all(r.get("type") == "busy" for r in results):
            raise ApiError(503, results[0]["error"], headers={"Retry-After": "1"})
        return respond(
            {
                "version": JSON_SCHEMA_VERSION,
                "results": results,
                "pipeline": pipeline(),
                "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
            }
        )

    def rulebook() -> RuleBook:
        """The base Linter's rule book (with a configuration's extra rules) once it is built;
        the shipped one until then (loading it needs no pipeline)."""
        return linters.base.rulebook if linters.base is not None else load_rulebook()

    @app.get("/v1/rules", tags=["rules"])
    def rules() -> RulesResponse:
        """Every rule: id, name, category, severity, summary, why, message and sources."""
        book = rulebook()
        return RulesResponse(rules=[RuleSummary(**_rule_summary(book, r)) for r in book.rules])

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
            **_rule_summary(book, rule_id), explain=explain(found), examples=found.examples
        )

    # the request bodies these endpoints parse themselves, in the schema's components
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = default_openapi()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (CheckRequest, BatchRequest):
                found = model.model_json_schema(ref_template="#/components/schemas/{model}")
                for name, sub in found.pop("$defs", {}).items():
                    components.setdefault(name, sub)
                components[model.__name__] = found
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    # -- the playground and the docs ------------------------------------------------------------

    index_html = (STATIC_DIR / "index.html").read_bytes()
    docs_html = (STATIC_DIR / "docs.html").read_bytes()

    @app.get("/", include_in_schema=False)
    def playground() -> Response:
        return Response(
            index_html,
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    assets = _docs_assets()

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        if assets is None:
            raise ApiError(
                404, "the API docs need Swagger UI's files: pip install 'replylint[server]'"
            )
        return Response(
            docs_html, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"}
        )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

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
