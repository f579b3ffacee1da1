"""uvicorn, run so that a stalled or slow client cannot hold a connection.

uvicorn's h11 protocol times out only an idle keep-alive connection (``timeout_keep_alive``,
armed after a response): a client that opens a connection and sends half a request line or
half its headers, or a byte every few seconds, holds it for ever. :class:`GuardedH11Protocol`
closes a connection whose request headers are not complete ``read_timeout`` seconds after it
opened (or after its previous response). The body is the app's to time out (``GuardMiddleware``
in guard.py answers 408), and h11 bounds the size of the headers.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_READ_TIMEOUT = 10.0  # seconds for a request's headers, and again for its body
KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open
MAX_HEADER_BYTES = 16 * 1024  # h11's limit on a request line and headers not yet complete
MAX_CONNECTIONS = 256  # open connections and tasks; beyond that uvicorn answers 503


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    read_timeout: float = DEFAULT_READ_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self._header_timer is not None and self.conn.their_state is not h11.IDLE:
            self._header_timer.cancel()  # the request's headers are in
            self._header_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request's headers have the same bound

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.read_timeout, self._headers_late)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        idle = self.cycle is None or self.cycle.response_complete
        if idle and self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.info("replylint: closed a connection whose request headers were late")
            self.transport.close()


def protocol(read_timeout: float) -> type[GuardedH11Protocol]:
    """The protocol class with this header deadline."""
    return type("GuardedH11", (GuardedH11Protocol,), {"read_timeout": read_timeout})


def run(app: Any, host: str, port: int, *, read_timeout: float = DEFAULT_READ_TIMEOUT) -> None:
    """Serve ``app`` with uvicorn until interrupted."""
    import uvicorn

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol(read_timeout),
        timeout_keep_alive=KEEP_ALIVE,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_graceful_shutdown=5,
        log_level="info",
    )
    uvicorn.Server(config).run()
