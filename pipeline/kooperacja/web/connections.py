"""The server's connections: uvicorn's HTTP/1.1 protocol with a deadline for each request's
head, and the connections spread evenly over the server's processes.

uvicorn closes a connection idle after an answer (its keep-alive timeout) but waits forever for
a first request, or for a head sent a byte at a time: a few hundred such connections would hold
the server. Here a connection that has not sent a complete request head within `HEAD_SECONDS`
of opening (or of its last answer) is closed.

A process answers only the connections it accepted, and which process accepts a new one is the
kernel's race: twenty clients may well split 14/6, and then the fourteen queue behind one
process while the other has time to spare (bench/RESULTS.md). So the processes of one `serve`
keep their counts of open connections in a small shared file; a busy process (answering other
requests) holding more than its share (two or more than another) answers the next request with
"Connection: close", and the client's next connection (browsers and HTTP libraries open one at
once) may land on the other. It goes on until the split is even within one."""

from __future__ import annotations

import asyncio
import fcntl
import functools
import logging
import mmap
import os
import struct
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from uvicorn.protocols.http.flow_control import CLOSE_HEADER
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_SECONDS = 30.0  # as long as the keep-alive a browser reuses (cli/reading.py's serve)
MAX_CONNECTIONS = 1000  # uvicorn answers 503 beyond this many connections or requests at once
COUNTS_ENV = "KOOPERACJA_CONNECTION_COUNTS"  # "<processes>:<path>", set by `serve`
_COUNT = struct.Struct("=q")
_LOCK_NOW = fcntl.LOCK_EX | fcntl.LOCK_NB

log = logging.getLogger(__name__)


def over_share(counts: Sequence[int], mine: int) -> bool:
    """Whether a process holding `mine` connections, the processes holding `counts`, should
    let one go: it holds two or more than the one holding fewest, so one moved evens them."""
    return len(counts) > 1 and mine - min(counts) >= 2


@contextmanager
def shared_counts(processes: int) -> Iterator[None]:
    """For the `processes` of one `serve`: the file where they keep their counts, named to
    them in COUNTS_ENV, and removed when the server ends. Nothing for one process."""
    if processes < 2:
        yield
        return
    with tempfile.NamedTemporaryFile(prefix="kooperacja-connections-") as shared:
        shared.write(bytes(_COUNT.size * processes))
        shared.flush()
        os.environ[COUNTS_ENV] = f"{processes}:{shared.name}"
        try:
            yield
        finally:
            os.environ.pop(COUNTS_ENV, None)


class SharedCounts:
    """This process's slot in the counts file, and the others' counts. A slot is claimed with a
    lock on its bytes, which the kernel drops when its process ends, so a process uvicorn
    starts in place of a dead one takes the free slot."""

    def __init__(self, path: str, processes: int):
        with open(path, "r+b") as fh:
            self._map = mmap.mmap(fh.fileno(), _COUNT.size * processes)
            self._fd = os.dup(fh.fileno())  # the slot's lock lasts as long as this process
        self._processes = processes
        self._leaving = 0  # connections answered with "Connection: close", not closed yet
        self._slot = -1
        for slot in range(processes):
            try:
                fcntl.lockf(self._fd, _LOCK_NOW, _COUNT.size, slot * _COUNT.size)
            except OSError:
                continue
            self._slot = slot
            self.record(0)  # a dead process's count is not this one's
            break

    def record(self, open_connections: int) -> None:
        """This process's count: its open connections but those it is letting go."""
        if self._slot >= 0:
            mine = open_connections - self._leaving
            _COUNT.pack_into(self._map, self._slot * _COUNT.size, mine)

    def let_go(self, open_connections: int) -> bool:
        """Whether to let one of this process's connections go (see over_share); counted as
        gone at once, so the requests that come in before it closes do not let go more."""
        if self._slot < 0:  # more processes than slots: this one does not take part
            return False
        size = _COUNT.size
        counts = [_COUNT.unpack_from(self._map, i * size)[0] for i in range(self._processes)]
        if not over_share(counts, open_connections - self._leaving):
            return False
        self._leaving += 1
        self.record(open_connections)
        return True

    def closed(self, open_connections: int, was_let_go: bool) -> None:
        self._leaving -= was_let_go
        self.record(open_connections)


@functools.cache
def _counts() -> SharedCounts | None:
    """This process's shared counts, when `serve` runs more than one process."""
    processes, _, path = os.environ.get(COUNTS_ENV, "").partition(":")
    if not (processes.isdigit() and path):
        return None
    try:
        return SharedCounts(path, int(processes))
    except (OSError, ValueError) as exc:  # the server runs on, only not evened out
        log.warning("connections are not spread over the processes: %s", exc)
        return None


class TimedH11Protocol(H11Protocol):
    HEAD_SECONDS = HEAD_SECONDS
    _head_deadline: asyncio.TimerHandle | None = None
    _let_go = False  # answering with "Connection: close" (see SharedCounts)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        counts = _counts()
        if counts is not None:
            counts.record(len(self.connections))
        self._wait_for_head()

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        # A request came in while this process answers others: is its connection one too
        # many here? (An idle process answers at once, wherever the connection is: none moves.)
        busy = self.cycle is not cycle and self.cycle is not None and len(self.tasks) > 1
        if busy and not self._let_go:
            counts = _counts()
            if counts is not None and counts.let_go(len(self.connections)):
                # As if the client had asked for it: uvicorn answers "Connection: close" and
                # closes the connection once the answer is sent.
                self.cycle.scope["headers"].append(CLOSE_HEADER)
                self._let_go = True

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._wait_for_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)
        counts = _counts()
        if counts is not None:
            counts.closed(len(self.connections), self._let_go)

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
