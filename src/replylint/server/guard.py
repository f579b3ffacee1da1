"""The middleware of the HTTP app: the size of a request body and the time to receive it, no
stack traces in answers, and the security headers of every response."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("replylint.server")

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
