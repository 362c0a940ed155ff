"""The one retry rule of the crawl, and the outcomes a fetch can have.

Asking again helps only where the server said "later" (408, 429, a 500/502/503/504) or the
connection broke; a 404 stays a 404, a slow server is not hammered, and a name that does not
resolve will not resolve a second later. Waits grow exponentially up to a ceiling and honour the
server's Retry-After, unless it asks for far longer than a crawl can wait. When the attempts are
spent, the last attempt's own outcome is the answer (an `http_error` with its status, a
`connection_error` with its reason): that says more than a generic "too many retries".

Separately, `is_transient` tells which failures say nothing about whether the thing is still
there (so a crawl that met one may not mark documents gone); it is wider than what is retried.
"""

from __future__ import annotations

import email.utils
import errno
import logging
import re
import socket
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What asking for a URL gave; the values are stored in the catalogue and shown in reports."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"  # a 304 to a conditional request
    HTTP_ERROR = "http_error"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection_error"
    NO_DNS = "no_dns"
    NO_NETWORK = "no_network"
    REDIRECT_LOOP = "redirect_loop"
    REDIRECT_REFUSED = "redirect_refused"
    EMPTY = "empty"
    REDIRECT = "redirect"  # one hop, followed by the fetcher: never the answer of a fetch


# A name that does not resolve, or no route to any network: asking again cannot help tonight.
NO_NETWORK = frozenset({Outcome.NO_DNS, Outcome.NO_NETWORK})
# Failures that say nothing about the thing asked for, only about the way to it.
TRANSIENT = frozenset({Outcome.TIMEOUT, Outcome.CONNECTION_ERROR, *NO_NETWORK})
BUSY_STATUSES = frozenset({408, 429})  # "not now": the server is busy or timed out on us
RETRY_STATUSES = BUSY_STATUSES | {500, 502, 503, 504}


class Answer(Protocol):
    """What `is_transient` reads of a fetch's result."""

    @property
    def outcome(self) -> str: ...

    @property
    def http_status(self) -> int | None: ...


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before asking a URL again."""

    retries: int = 2  # attempts after the first
    max_backoff: float = 60.0  # seconds; a Retry-After over 5x this is not waited for
    statuses: frozenset[int] = RETRY_STATUSES

    @property
    def attempts(self) -> int:
        return max(1, self.retries + 1)

    def retryable(self, outcome: str, http_status: int | None) -> bool:
        """Whether asking again can give another answer."""
        if outcome == Outcome.CONNECTION_ERROR:
            return True
        return outcome == Outcome.HTTP_ERROR and http_status in self.statuses

    def should_retry(self, attempt: int, outcome: str, http_status: int | None) -> bool:
        """Whether attempt number `attempt` (from 0) is followed by another."""
        return attempt < self.attempts - 1 and self.retryable(outcome, http_status)

    def backoff(self, attempt: int) -> float:
        """1, 2, 4 … seconds after attempts 0, 1, 2 …, up to `max_backoff`."""
        return min(self.max_backoff, 2.0**attempt)

    def wait(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after attempt `attempt`: the backoff, or the server's Retry-After."""
        return max(self.backoff(attempt), retry_after or 0.0)

    def too_long(self, retry_after: float | None) -> bool:
        """A Retry-After a crawl does not wait for: the failure stands."""
        return retry_after is not None and retry_after > self.max_backoff * 5


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date); None if absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def is_transient(answer: Answer) -> bool:
    """A failure that says nothing about whether the thing is still there."""
    return (
        answer.outcome in TRANSIENT
        or (answer.outcome == Outcome.HTTP_ERROR and (answer.http_status or 0) >= 500)
        or answer.http_status in BUSY_STATUSES
    )


def connection_failure(exc: BaseException, host: str) -> tuple[Outcome, str]:
    """(outcome, reason) of a request that got no answer: a name that does not resolve and a
    machine with no network are said in those words (and never retried)."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                return Outcome.NO_DNS, f"the name {host} does not resolve ({cause.strerror})"
            return (
                Outcome.NO_DNS,
                f"no DNS answer for {host} ({cause.strerror}): is the network up?",
            )
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.ENETDOWN):
            return Outcome.NO_NETWORK, f"no network: {host} cannot be reached ({cause.strerror})"
    return Outcome.CONNECTION_ERROR, short_reason(exc)


def short_reason(exc: BaseException) -> str:
    """The useful end of a requests/urllib3 error message, at most 200 characters."""
    text = str(exc)
    m = re.search(r"\] ([^')]+)", text)
    return (m.group(1) if m else text)[:200]


def _causes(exc: BaseException) -> list[BaseException]:
    """An exception and everything it wraps (requests → urllib3 → socket)."""
    out: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or any(current is seen for seen in out) or len(out) > 20:
            continue
        out.append(current)
        todo += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        todo += [a for a in current.args if isinstance(a, BaseException)]
    return out
