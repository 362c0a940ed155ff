"""How the web page runs a search: in a worker thread, within its budget (search/limits.py),
stopped when its client goes away, and at most `size` at once for clients still waiting. One
more is refused within a second (`Busy`: 503 with Retry-After) instead of queueing for minutes:
an office server stays answerable for plain searches however many costly ones were asked and
abandoned."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

from starlette.requests import Request

from kooperacja.errors import SearchCancelled
from kooperacja.search.limits import Budget

T = TypeVar("T")

# Searches running at once per server process, for clients still waiting. A search is mostly
# Python under the process's one lock (the GIL), so a process runs one at a time however many
# cores there are. While it is in tantivy (which lets go of the lock) the event loop and the
# search's own counting threads (search/engine.py) go on beside it; a second search would only
# take turns with it, evicting its data from the CPU caches, and would count its documents in
# its own thread instead: one at a time costs less CPU a request and answers sooner under load
# (bench/RESULTS.md, issue 17, seventh session). The others wait, woken in turn.
SEARCHES_PER_PROCESS = 1
RETRY_AFTER_SECONDS = 2
# A full server waits this long for a slot before answering 503: abandoned searches give theirs
# back within a poll of their disconnect, so a burst of them does not turn away the next person,
# and twenty people searching back to back on one process queue well under it (bench/web_load.py:
# p99 0.4 s at 20,000 pages), so a busy office is served, not refused.
SLOT_WAIT_SECONDS = 1.0
DISCONNECT_CHECK_SECONDS = 0.1  # how often a request waiting for a slot looks at its client


class Busy(Exception):
    """Every search slot is taken: the answer is 503 with Retry-After, at once."""


class SearchSlots:
    """The searches of one server process: a bounded number at once, each cancelled when its
    client disconnects. A cancelled search gives its slot back at once; its thread stops at its
    next phase (limits.Budget.check).

    Nothing polls: a request waiting for a slot is woken when one is given back (or every
    DISCONNECT_CHECK_SECONDS, to see whether its client left), and a running search learns of
    its client leaving from the server. Polling every waiting request every 10 ms, and anyio's
    task group per search, cost 14–22% of a request's CPU under load (bench/RESULTS.md, 17.5)."""

    def __init__(self, size: int | None = None):
        size = size or SEARCHES_PER_PROCESS
        self._free = threading.BoundedSemaphore(size)
        self._pool = ThreadPoolExecutor(size, thread_name_prefix="search")
        self._lock = threading.Lock()  # guards _waiting: slots are given back from any thread
        self._waiting: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

    def _give_back(self) -> None:
        self._free.release()
        self._wake_next()

    def _crowded(self) -> bool:
        """Whether other requests wait for a slot: then the cores have their work, and a
        search counts its documents in its own thread (limits.Budget.spare_core)."""
        with self._lock:
            return any(not waiter.done() for _, waiter in self._waiting)

    def _wake_next(self) -> None:
        """Wake the longest-waiting request (from any thread): a slot may be free."""
        with self._lock:
            while self._waiting:
                loop, waiter = self._waiting.popleft()
                if not waiter.done():
                    loop.call_soon_threadsafe(_wake, waiter)
                    return

    async def _acquire(self, budget: Budget) -> None:
        """A slot, waited for a moment; a client gone meanwhile (its budget cancelled) waits no
        more (else the requests asked and abandoned in a burst would take the slots their
        searches freed)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SLOT_WAIT_SECONDS
        queued = False
        while not self._free.acquire(blocking=False):
            left = deadline - loop.time()
            if left <= 0:
                self._wake_next()  # a wake this request had goes to the next one
                raise Busy()
            waiter: asyncio.Future[None] = loop.create_future()
            with self._lock:  # waiting again (a newcomer took the slot first): keep its place
                if queued:
                    self._waiting.appendleft((loop, waiter))
                else:
                    self._waiting.append((loop, waiter))
            queued = True
            timer = loop.call_later(min(left, DISCONNECT_CHECK_SECONDS), _wake, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
            if budget.cancelled.is_set():
                self._wake_next()
                raise SearchCancelled("the client went away while its search waited")

    async def run(self, request: Request, search: Callable[[Budget], T]) -> T:
        """`search(budget)` in a worker thread; Busy when no slot is free, SearchCancelled when
        the client went away (before or during the search)."""
        budget = Budget(yields=True)
        holding = False  # a slot, not yet given back

        def give_back() -> None:  # on the event loop's thread only: no lock needed
            nonlocal holding
            if holding:
                holding = False
                self._give_back()

        async def watching() -> None:
            # Woken by the server when the connection ends (its receive() waits for that once
            # the request is read), not polled; from the start, so a request abandoned while it
            # waits for a slot is seen too. (starlette's is_disconnected() asks the same through
            # an anyio cancel scope each time, a cost seen under load: bench/RESULTS.md.)
            while (await request.receive())["type"] != "http.disconnect":
                pass
            budget.cancel()
            give_back()  # nobody waits for this search any more: its slot is free

        loop = asyncio.get_running_loop()
        watcher = loop.create_task(watching())
        try:
            # Asked and abandoned before its turn came? The watcher's first turn sees an end
            # the server has already read.
            await asyncio.sleep(0)
            if budget.cancelled.is_set():
                raise SearchCancelled("the client went away before its search started")
            await self._acquire(budget)
            holding = True
            if self._crowded():  # the same budget (its cancellation shared), counting in line
                return await loop.run_in_executor(
                    self._pool, search, replace(budget, spare_core=False)
                )
            return await loop.run_in_executor(self._pool, search, budget)
        finally:
            watcher.cancel()
            give_back()

    def run_if_free(self, search: Callable[[Budget], T]) -> T | None:
        """`search(budget)` here, in a handler's worker thread, if a slot frees within a moment;
        else None: for a search a page can do without ("Podobne dokumenty")."""
        if not self._free.acquire(timeout=SLOT_WAIT_SECONDS):
            return None
        try:
            return search(Budget(yields=True))
        finally:
            self._give_back()


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
