"""The server's connections: uvicorn's HTTP/1.1 protocol with a deadline for each request's
head. uvicorn closes a connection idle after an answer (its keep-alive timeout) but waits
forever for a first request, or for a head sent a byte at a time: a few hundred such
connections would hold the server. Here a connection that has not sent a complete request head
within `HEAD_SECONDS` of opening (or of its last answer) is closed."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_SECONDS = 30.0  # as long as the keep-alive a browser reuses (cli/reading.py's serve)
MAX_CONNECTIONS = 1000  # uvicorn answers 503 beyond this many connections or requests at once


class TimedH11Protocol(H11Protocol):
    HEAD_SECONDS = HEAD_SECONDS
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._wait_for_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _wait_for_head(self) -> None:
        self._stop_waiting()
        self._head_deadline = self.loop.call_later(self.HEAD_SECONDS, self._head_too_slow)

    def _stop_waiting(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being answered: its head came in time
        if not self.transport.is_closing():
            self.transport.close()
