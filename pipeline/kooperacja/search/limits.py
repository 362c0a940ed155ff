"""The cost budget of one search, the same for `kooperacja search`, the web page and
`/api/search`: how long a query may be, how many words it may hold, how many word forms its
words and prefixes may expand to, and how long it may run. Each limit, when reached, is a
one-line message saying which and what to do (a QueryTooCostly, shown like a query error).

The time limit and the asker going away are checked between the phases of a search (plan,
ranking, snippets, each suggestion), so a search stops within one phase of either."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from ..errors import QueryTooCostly, SearchCancelled
from ..i18n import N_

MAX_QUERY_CHARS = 1000
MAX_WORDS = 50  # every word counts: each one joined by OR, each one of a phrase
MAX_EXPANSIONS = 10_000  # index terms a query may expand to (spellings, inflections, prefixes)
SEARCH_SECONDS = 5.0  # a search over its time stops with a message, not a page a minute later


# sched_yield lets go of the lock as sleep(0) does, without sleep's timer: sleep(0) cost each
# search more than a millisecond of its time (bench/RESULTS.md, 17.6).
_yield = getattr(os, "sched_yield", lambda: time.sleep(0))


@dataclass(frozen=True)
class Budget:
    """One search's allowance of time, and its cancellation flag (set by whoever asked, e.g.
    the web page when its client disconnects)."""

    seconds: float = SEARCH_SECONDS
    started: float = field(default_factory=time.monotonic)
    cancelled: threading.Event = field(default_factory=threading.Event, compare=False)
    # The web server's searches share their process with its event loop: at each check they let
    # it have the interpreter's lock. Elsewhere (the CLI, the library) nothing waits for it, and
    # on a busy machine each yield may give the CPU away to another process for a while.
    yields: bool = False
    # Whether the search may count its documents on another core, beside its ranking and
    # snippets (engine.Reader.document_numbers_soon). A web server with other searches waiting
    # says no: its cores are busy with them, and handing the counts to a thread and back only
    # adds to each search's CPU (bench/RESULTS.md, issue 17, eighth session).
    spare_core: bool = True

    def cancel(self) -> None:
        self.cancelled.set()

    def expired(self) -> bool:
        return time.monotonic() - self.started > self.seconds

    def check(self) -> None:
        """Raise when the asker went away or the time is up; called between phases. If the
        budget `yields`, gives up the interpreter's lock for a moment first: the thread that
        notices an asker going away (the web server's event loop) gets its turn even while
        many searches run."""
        if self.yields:
            _yield()
        if self.cancelled.is_set():
            raise SearchCancelled("the search was cancelled: its asker went away")
        if self.expired():
            raise QueryTooCostly(
                N_("the search took longer than {seconds} s and was stopped: use fewer words, "
                   "longer prefixes (asyst* rather than as*) or a filter such as type:model"),
                seconds=f"{self.seconds:g}",
            )  # fmt: skip


def check_length(query: str) -> None:
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooCostly(
            N_("the query is {length} characters long; the limit is {limit}"),
            length=len(query),
            limit=MAX_QUERY_CHARS,
        )


def check_words(count: int) -> None:
    if count > MAX_WORDS:
        raise QueryTooCostly(
            N_("the query has {count} words (each word joined by OR or in a phrase counts); "
               "the limit is {limit}: keep the few words that matter most"),
            count=count,
            limit=MAX_WORDS,
        )  # fmt: skip


def check_expansions(count: int) -> None:
    if count > MAX_EXPANSIONS:
        raise QueryTooCostly(
            N_("the query's words and prefixes stand for more than {limit} word forms: "
               "make prefixes longer (asyst* rather than as*) or use fewer of them"),
            limit=MAX_EXPANSIONS,
        )  # fmt: skip
