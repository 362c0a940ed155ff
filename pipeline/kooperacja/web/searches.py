"""How the web page runs a search: in a worker thread, within its budget (search/limits.py),
stopped when its client goes away, and at most `size` at once for clients still waiting. One
more is refused within a second (`Busy`: 503 with Retry-After) instead of queueing for minutes:
an office server stays answerable for plain searches however many costly ones were asked and
abandoned."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
from starlette.requests import Request

from kooperacja.errors import SearchCancelled
from kooperacja.search.limits import Budget

T = TypeVar("T")

# Searches running at once per server process, for clients still waiting: two per core. A
# search is mostly Python under one lock (the GIL): more threads only share the same cores, and
# slow each other's noticing that their clients went away.
SEARCHES_PER_CORE = 4
RETRY_AFTER_SECONDS = 2
# A full server waits this long for a slot before answering 503: abandoned searches give theirs
# back within a poll of their disconnect, so a burst of them does not turn away the next person,
# and twenty people searching back to back on one process queue well under it (bench/web_load.py:
# p99 0.4 s at 20,000 pages), so a busy office is served, not refused.
SLOT_WAIT_SECONDS = 1.0


class Busy(Exception):
    """Every search slot is taken: the answer is 503 with Retry-After, at once."""


class SearchSlots:
    """The searches of one server process: a bounded number at once, each cancelled when its
    client disconnects. A cancelled search gives its slot back at once; its thread stops at its
    next phase (limits.Budget.check)."""

    def __init__(self, size: int | None = None):
        size = size or SEARCHES_PER_CORE * (os.cpu_count() or 1)
        self._free = threading.BoundedSemaphore(size)

    async def _acquire(self, request: Request) -> None:
        """A slot, waited for a moment; a client gone meanwhile waits no more (else the
        requests asked and abandoned in a burst would take the slots their searches freed)."""
        deadline = anyio.current_time() + SLOT_WAIT_SECONDS
        while not self._free.acquire(blocking=False):
            if await request.is_disconnected():
                raise SearchCancelled("the client went away while its search waited")
            if anyio.current_time() >= deadline:
                raise Busy()
            await anyio.sleep(0.01)

    async def run(self, request: Request, search: Callable[[Budget], T]) -> T:
        """`search(budget)` in a worker thread; Busy when no slot is free, SearchCancelled when
        the client went away (before or during the search)."""
        # Asked and abandoned before its turn came? uvicorn reads a connection again only once
        # asked (the first call), so one turn of the loop later an end already sent is seen.
        await request.is_disconnected()
        await anyio.sleep(0)
        if await request.is_disconnected():
            raise SearchCancelled("the client went away before its search started")
        await self._acquire(request)
        budget = Budget()
        released = threading.Event()

        def release() -> None:
            if not released.is_set():
                released.set()
                self._free.release()

        # The search's result or error, raised outside the task group (which would wrap it).
        outcome: list[T | Exception] = []

        async def searching() -> None:
            try:
                outcome.append(await anyio.to_thread.run_sync(search, budget))
            except Exception as exc:
                outcome.append(exc)
            finally:
                group.cancel_scope.cancel()  # the watcher's work is done

        async def watching() -> None:
            # Woken by the server when the connection ends (its receive() waits for that once
            # the request is read), not polled: polls of every running search every 20 ms were
            # a measurable share of the server's CPU under load (bench/RESULTS.md, 17.5).
            while (await request.receive())["type"] != "http.disconnect":
                pass
            budget.cancel()
            release()  # nobody waits for this search any more: its slot is free

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(watching)
                group.start_soon(searching)
        finally:
            release()
        if not outcome:
            raise SearchCancelled("the search was cancelled")
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        return outcome[0]  # type: ignore[return-value]

    def run_if_free(self, search: Callable[[Budget], T]) -> T | None:
        """`search(budget)` here, in a handler's worker thread, if a slot frees within a moment;
        else None: for a search a page can do without ("Podobne dokumenty")."""
        if not self._free.acquire(timeout=SLOT_WAIT_SECONDS):
            return None
        try:
            return search(Budget())
        finally:
            self._free.release()
