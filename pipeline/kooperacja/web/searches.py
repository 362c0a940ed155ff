"""How the web page runs a search: in a worker thread, within its budget (search/limits.py),
stopped when its client goes away, and at most `size` at once. One more is refused at once
(`Busy`: 503 with Retry-After) instead of queueing behind the others: an office server stays
answerable for plain searches however many costly ones were asked and abandoned."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
from starlette.requests import Request

from kooperacja.errors import SearchCancelled
from kooperacja.search.limits import Budget

T = TypeVar("T")

MAX_SEARCHES = 8  # searches running at once per server process
RETRY_AFTER_SECONDS = 2
DISCONNECT_POLL_SECONDS = 0.05


class Busy(Exception):
    """Every search slot is taken: the answer is 503 with Retry-After, at once."""


class SearchSlots:
    """The searches of one server process: a bounded number at once, each cancelled when its
    client disconnects."""

    def __init__(self, size: int = MAX_SEARCHES):
        self._free = threading.BoundedSemaphore(size)

    async def run(self, request: Request, search: Callable[[Budget], T]) -> T:
        """`search(budget)` in a worker thread; Busy when no slot is free. The budget is
        cancelled when the client goes away, so the thread stops at its next phase."""
        if not self._free.acquire(blocking=False):
            raise Busy()
        budget = Budget()
        # The search's result or error, raised outside the task group (which would wrap it).
        outcome: list[T | Exception] = []

        async def searching() -> None:
            try:
                outcome.append(await anyio.to_thread.run_sync(search, budget))
            except Exception as exc:
                outcome.append(exc)
            finally:
                group.cancel_scope.cancel()  # the watcher's work is done

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(_cancel_on_disconnect, request, budget)
                group.start_soon(searching)
        finally:
            self._free.release()
        if not outcome:
            raise SearchCancelled("the search was cancelled")
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        return outcome[0]  # type: ignore[return-value]


async def _cancel_on_disconnect(request: Request, budget: Budget) -> None:
    while not budget.cancelled.is_set():
        if await request.is_disconnected():
            budget.cancel()
            return
        await anyio.sleep(DISCONNECT_POLL_SECONDS)
