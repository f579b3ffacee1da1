"""Requests and their errors: one JSON shape for every error (``{"error": …}``, with
``detail`` naming the fields for 422), the request bodies parsed by pydantic's JSON parser, and
their schemas in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .models import BatchRequest, CheckRequest, ErrorDetail, ErrorResponse


class ApiError(Exception):
    """An answer other than 200: its status, message and (for 422) the field it names."""

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


ERRORS: dict[int | str, dict[str, Any]] = {
    408: {"model": ErrorResponse, "description": "The body did not arrive in time"},
    413: {"model": ErrorResponse, "description": "Request body (or the draft) too large"},
    422: {"model": ErrorResponse, "description": "Invalid request (names the field)"},
    503: {"model": ErrorResponse, "description": "Still loading, or busy: retry"},
}
STATUS = {"too_long": 413, "timeout": 422, "lint_failed": 422, "busy": 503}

M = TypeVar("M", bound=BaseModel)


def _field(loc: Iterable[int | str]) -> str:
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def invalid_response(errors: Iterable[Any]) -> JSONResponse:
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


class InvalidBody(Exception):
    """A request body pydantic refused: answered as a 422 naming the fields."""

    def __init__(self, errors: list[Any]) -> None:
        self.errors = errors


def parse_body(model: type[M], body: bytes) -> M:
    """The request body as ``model``, by pydantic's JSON parser: malformed JSON, NaN,
    lone surrogates, numbers out of range and nesting too deep are all a 422 naming the body."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidBody(exc.errors(include_url=False, include_input=False)) from None


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an endpoint that parses its own body."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def add_error_handlers(app: FastAPI) -> None:
    """Every error the app answers in the one JSON shape, without a stack trace."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        content = ErrorResponse(error=exc.message, detail=exc.detail)
        return JSONResponse(
            content.model_dump(exclude_none=True), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(InvalidBody)
    async def invalid_body(request: Request, exc: InvalidBody) -> JSONResponse:
        return invalid_response(exc.errors)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return invalid_response(exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"not found: {request.method} {request.url.path}"
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "internal error"}, status_code=500)


def add_body_schemas(app: FastAPI) -> None:
    """The request bodies the endpoints parse themselves, in the schema's components."""
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
