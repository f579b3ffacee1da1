"""The FastAPI app behind ``replylint serve``: the JSON API under ``/v1`` and the playground.

One base :class:`~replylint.Linter` is built at start-up, in a background thread, so
``GET /v1/health`` answers at once and ``GET /v1/ready`` says when linting can start. A request
that selects or ignores rules gets a Linter for that rule set, built once and cached: Linters
share the pipeline and the compiled rule book, so each one is cheap.

Findings use the CLI's JSON schema (``Finding.model_dump(mode="json")``), plus offsets into the
draft in code points (``start``/``end``) and in UTF-16 code units (``js_start``/``js_end``, the
indices of a JavaScript string).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..__about__ import __version__
from ..api import Linter
from ..models import (
    JSON_SCHEMA_VERSION,
    Category,
    DraftReport,
    Examples,
    Finding,
    Severity,
    Source,
    Suggestion,
)
from ..rulebook import RuleBook, RuleBookError, load_rulebook

log = logging.getLogger("replylint.server")

DEFAULT_MAX_BODY = 1_048_576  # bytes
DEFAULT_MAX_BATCH = 100  # drafts per /v1/check/batch request
LINTER_CACHE_SIZE = 32  # distinct (select, ignore) rule sets kept
STATIC_DIR = Path(__file__).resolve().parent / "static"
# the playground uses no external asset: nothing but this origin may be loaded
PLAYGROUND_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class LinterFactory(Protocol):
    """Builds a Linter; called with no argument for the base Linter, and with ``select`` and
    ``ignore`` (rule ids) for a request's rule set. ``replylint.Linter`` itself is one, and so
    is ``functools.partial(Linter, config)``."""

    def __call__(
        self, *, select: Sequence[str] | None = ..., ignore: Sequence[str] | None = ...
    ) -> Linter: ...


# --------------------------------------------------------------------------------------------
# API models
# --------------------------------------------------------------------------------------------


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckRequest(_Request):
    text: str = Field(description="The reply draft.")
    customer: str | None = Field(
        default=None,
        description="The customer's message the draft replies to; rewrites then use its words.",
    )
    select: list[str] = Field(
        default=[], description="Rule ids to run (default: every rule; `ALL` selects every rule)."
    )
    ignore: list[str] = Field(default=[], description="Rule ids not to run.")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Nope. It's our policy.",
                    "customer": "Can I return my opened kettle?",
                    "select": [],
                    "ignore": ["missing-greeting"],
                }
            ]
        },
    )


class BatchDraft(_Request):
    text: str = Field(description="The reply draft.")
    customer: str | None = Field(default=None, description="The customer's message, if any.")


class BatchRequest(_Request):
    drafts: list[BatchDraft] = Field(description="The drafts, linted in one batch.")
    select: list[str] = Field(default=[], description="Rule ids to run for every draft.")
    ignore: list[str] = Field(default=[], description="Rule ids not to run.")


_CP = "Offset into the draft text in Unicode code points (a Python string index)."
_JS = "Offset into the draft text in UTF-16 code units (a JavaScript string index)."


class ApiSuggestion(Suggestion):
    """A suggestion as in the CLI's JSON (the same model), plus its offsets into the draft."""

    start: int = Field(description=_CP)
    end: int = Field(description=_CP + " Exclusive; an insertion has start == end.")
    js_start: int = Field(description=_JS)
    js_end: int = Field(description=_JS + " Exclusive.")


class ApiFinding(Finding):
    """A finding as in the CLI's JSON (the same model), plus its offsets into the draft."""

    suggestions: list[ApiSuggestion] = Field(default_factory=list)  # type: ignore[assignment]
    start: int = Field(description=_CP)
    end: int = Field(description=_CP + " Exclusive.")
    js_start: int = Field(description=_JS)
    js_end: int = Field(description=_JS + " Exclusive.")


class DraftResult(BaseModel):
    findings: list[ApiFinding]
    rewritten: str = Field(description="The draft with every finding's first suggestion applied.")


class CheckResponse(BaseModel):
    version: str = Field(default=JSON_SCHEMA_VERSION, description="The JSON schema version.")
    findings: list[ApiFinding]
    rewritten: str = Field(description="The draft with every finding's first suggestion applied.")
    pipeline: str = Field(description="The spaCy pipeline that parsed the draft.")
    elapsed_ms: float = Field(description="Time spent linting, in milliseconds.")


class BatchResponse(BaseModel):
    version: str = JSON_SCHEMA_VERSION
    results: list[DraftResult] = Field(description="One result per draft, in request order.")
    pipeline: str
    elapsed_ms: float


class RuleSummary(BaseModel):
    id: str
    name: str
    category: Category
    severity: Severity
    summary: str
    why: str
    message: str
    source: list[Source]


class RuleDetail(RuleSummary):
    explain: str = Field(description="The text of `replylint explain RULE`.")
    examples: Examples


class RulesResponse(BaseModel):
    version: str = JSON_SCHEMA_VERSION
    rules: list[RuleSummary]


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    replylint: str = __version__


class ReadyResponse(BaseModel):
    ready: bool
    replylint: str = __version__
    pipeline: str | None = Field(default=None, description="e.g. en_core_web_sm")
    pipeline_version: str | None = Field(default=None, description="e.g. 3.8.0")
    rules: int | None = Field(default=None, description="How many rules the base Linter runs.")
    error: str | None = Field(default=None, description="Why the pipeline failed to load.")


class ErrorDetail(BaseModel):
    field: str = Field(description="The offending field, dotted (`drafts.0.text`), or `body`.")
    message: str
    type: str


class ErrorResponse(BaseModel):
    error: str = Field(description="What went wrong, in one line.")
    detail: list[ErrorDetail] | None = None


# --------------------------------------------------------------------------------------------
# Linters
# --------------------------------------------------------------------------------------------


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


class Linters:
    """The base Linter (built in the background) and a small cache of per-rule-set Linters."""

    def __init__(self, factory: LinterFactory) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._started = False
        self._cache: OrderedDict[tuple[str, ...], Linter] = OrderedDict()
        self.loaded = threading.Event()
        self.base: Linter | None = None
        self.error: str | None = None
        self.pipeline = ""
        self.pipeline_name: str | None = None
        self.pipeline_version: str | None = None

    def start(self) -> None:
        """Build the base Linter in a background thread (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._load, name="replylint-load", daemon=True).start()

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            linter = self._factory()
        except Exception as exc:
            from ..nlp import ModelError

            if isinstance(exc, ModelError | RuleBookError):
                self.error = str(exc)
            else:
                self.error = "the linting pipeline failed to load (see the server's log)"
            log.exception("replylint: cannot build the Linter")
        else:
            meta: dict[str, Any] = linter.nlp.meta
            self.pipeline_name = f"{meta.get('lang', '?')}_{meta.get('name', '?')}"
            self.pipeline_version = str(meta.get("version", "?"))
            self.pipeline = f"{self.pipeline_name}-{self.pipeline_version}"
            self.base = linter
            log.info(
                "replylint: pipeline %s ready in %.1f s",
                self.pipeline,
                time.perf_counter() - started,
            )
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

    def for_request(self, select: Sequence[str], ignore: Sequence[str]) -> Linter:
        """The Linter running the base rule set narrowed by a request's ``select``/``ignore``."""
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
            return base
        with self._lock:
            linter = self._cache.get(wanted)
            if linter is not None:
                self._cache.move_to_end(wanted)
                return linter
        # ignoring every other rule also undoes what the base configuration adds to a select
        # (extend-select); other entries of its ignore (not rule ids) are kept
        others = [r for r in book.rules if r not in wanted]
        kept = [r for r in base.config.ignore if r not in book.rules]
        linter = self._factory(select=list(wanted), ignore=[*others, *kept])
        with self._lock:
            self._cache[wanted] = linter
            while len(self._cache) > LINTER_CACHE_SIZE:
                self._cache.popitem(last=False)
        return linter


class _Utf16:
    """Converts code-point offsets into one text to UTF-16 code units (JavaScript indices)."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)


def _result(report: DraftReport) -> DraftResult:
    js = _Utf16(report.text)
    findings = []
    for f in report.findings:
        data = f.model_dump(mode="json")  # exactly the CLI's JSON schema …
        data["suggestions"] = [
            {**s.model_dump(mode="json"), "start": s.start, "end": s.end}
            | {"js_start": js(s.start), "js_end": js(s.end)}
            for s in f.suggestions
        ]
        # … plus the offsets
        data |= {"start": f.start, "end": f.end, "js_start": js(f.start), "js_end": js(f.end)}
        findings.append(ApiFinding.model_validate(data))
    return DraftResult(findings=findings, rewritten=report.rewritten())


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
# Request size limit and the last line of defence against stack traces
# --------------------------------------------------------------------------------------------


def _json_messages(status: int, content: dict[str, Any]) -> list[Message]:
    body = json.dumps(content).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return [start, {"type": "http.response.body", "body": body}]


class GuardMiddleware:
    """Rejects bodies over ``max_body`` bytes with 413 (by Content-Length, and by counting what
    actually arrives, for chunked uploads); turns an unhandled exception into a bare 500."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def _reply(self, send: Send, status: int, content: dict[str, Any]) -> None:
        for message in _json_messages(status, content):
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
        # read the whole body (at most max_body bytes), then replay it to the app
        chunks: list[bytes] = []
        size = 0
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


# --------------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "Invalid request (names the field)"},
    503: {"model": ErrorResponse, "description": "The pipeline is still loading"},
}


def _field(loc: Iterable[int | str]) -> str:
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def create_app(
    linter_factory: LinterFactory = Linter,
    *,
    cors_origins: Sequence[str] = (),
    max_body_bytes: int = DEFAULT_MAX_BODY,
    max_batch: int = DEFAULT_MAX_BATCH,
) -> FastAPI:
    """The replylint HTTP app.

    ``linter_factory`` builds the Linters (``Linter`` by default; pass
    ``functools.partial(Linter, model=...)`` for another pipeline). ``cors_origins`` lists the
    browser origins allowed to call the API (none by default; ``"*"`` allows any).
    Request bodies over ``max_body_bytes`` get 413; batches over ``max_batch`` drafts get 422.
    """
    linters = Linters(linter_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        linters.start()  # in the background: /v1/health answers at once
        yield

    app = FastAPI(
        title="replylint",
        version=__version__,
        summary="An empathy linter for customer-service reply drafts.",
        description=(
            "Findings use the same schema as `replylint check --format json`, plus `start`/`end` "
            "(code points) and `js_start`/`js_end` (UTF-16 code units: JavaScript string "
            'indices) into the draft text. Errors are `{"error": "…"}`, with `detail` naming '
            "the fields for 422. The playground is at `/`."
        ),
        lifespan=lifespan,
    )
    app.state.linters = linters

    # -- errors: one JSON shape, no stack traces ------------------------------------------------

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        content = ErrorResponse(error=exc.message, detail=exc.detail)
        return JSONResponse(
            content.model_dump(exclude_none=True), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = []
        for err in exc.errors():
            field, message = _field(err.get("loc", ())), str(err.get("msg", "invalid"))
            if err.get("type") == "json_invalid":
                field = "body"
                reason = (err.get("ctx") or {}).get("error", "")
                message = f"invalid JSON{': ' + str(reason) if reason else ''}"
            details.append(ErrorDetail(field=field, message=message, type=str(err.get("type"))))
        first = details[0] if details else ErrorDetail(field="body", message="invalid", type="")
        more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
        content = ErrorResponse(
            error=f"invalid request: {first.field}: {first.message}{more}", detail=details
        )
        return JSONResponse(content.model_dump(), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"not found: {request.method} {request.url.path}"
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "internal error"}, status_code=500)

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
        """200 once the pipeline is loaded and drafts can be checked; 503 until then."""
        base = linters.base
        if base is None:
            response.status_code = 503
            response.headers["Retry-After"] = "1"
            return ReadyResponse(ready=False, error=linters.error)
        return ReadyResponse(
            ready=True,
            pipeline=linters.pipeline_name,
            pipeline_version=linters.pipeline_version,
            rules=len(base.rule_ids),
        )

    @app.post("/v1/check", tags=["lint"], responses=_ERRORS)
    def check(request: CheckRequest) -> CheckResponse:
        """Lint one draft (optionally with the customer's message it replies to)."""
        linter = linters.for_request(request.select, request.ignore)
        started = time.perf_counter()
        report = linter.check(request.text, request.customer)
        result = _result(report)
        return CheckResponse(
            findings=result.findings,
            rewritten=result.rewritten,
            pipeline=linters.pipeline,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    @app.post("/v1/check/batch", tags=["lint"], responses=_ERRORS)
    def check_batch(request: BatchRequest) -> BatchResponse:
        """Lint many drafts in one batch (at most the server's batch limit, 100 by default)."""
        if len(request.drafts) > max_batch:
            raise ApiError(
                422,
                f"too many drafts: {len(request.drafts)}; the limit is {max_batch} per request",
                field="drafts",
                kind="too_long",
            )
        linter = linters.for_request(request.select, request.ignore)
        started = time.perf_counter()
        reports = linter.check_many([(d.text, d.customer) for d in request.drafts])
        return BatchResponse(
            results=[_result(r) for r in reports],
            pipeline=linters.pipeline,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
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

    # -- the playground -------------------------------------------------------------------------

    index_html = (STATIC_DIR / "index.html").read_bytes()

    @app.get("/", include_in_schema=False)
    def playground() -> Response:
        return Response(
            index_html,
            media_type="text/html; charset=utf-8",
            headers={
                "Content-Security-Policy": PLAYGROUND_CSP,
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-cache",
            },
        )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # -- middleware: the last added runs first, so CORS headers reach 413s and 500s too ---------

    app.add_middleware(GuardMiddleware, max_body=max_body_bytes)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            max_age=600,
        )
    return app
