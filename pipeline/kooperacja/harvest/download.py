"""One response's body, streamed to a temp file under a size cap and a total deadline.

A server may announce more than we take, send more than it announced, compress a bomb, or
trickle a byte at a time so that no socket timeout ever trips. So the body is counted and hashed
while it streams, abandoned past its cap (a lower one once its first bytes show an HTML page),
and cut at a total deadline by a watchdog that shuts the socket down, since a blocked read
would otherwise wait for a full chunk. What came of it is a value (`Body`), never an exception.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from kooperacja.filetypes import HTML, sniff_media_type
from kooperacja.harvest.retry import Outcome, short_reason

logger = logging.getLogger(__name__)

MAX_PAGE_BYTES = 10 * 1024 * 1024  # an HTML page: a page, not a document
CHUNK = 64 * 1024
HEAD_BYTES = 4096  # what file-type sniffing reads
SMALL_BODY = 256 * 1024  # what is kept of a redirect's or an error's body for the WARC
DEADLINE_FACTOR = 4  # the total deadline, in socket timeouts: a trickling server can't hold us
PAST_DEADLINE = "body not received within the total deadline"


@dataclass(frozen=True)
class Limits:
    """How much of one body is read, and until when."""

    max_bytes: int
    deadline: float  # on the time.monotonic() clock
    page_bytes: int = MAX_PAGE_BYTES  # the cap once the first bytes show an HTML page

    @classmethod
    def starting_now(cls, max_bytes: int, timeout: float) -> Limits:
        return cls(max_bytes, time.monotonic() + timeout * DEADLINE_FACTOR)


@dataclass(frozen=True)
class Described:
    """What a response's headers say of its body."""

    content_type: str  # the media type alone, lower case
    charset: str | None
    filename: str  # from Content-Disposition, or the URL's last segment


@dataclass(frozen=True)
class Body:
    """A body streamed to a temp file (`outcome` ok), or why it was not (too_large, timeout,
    connection_error)."""

    outcome: Outcome
    received: int = 0  # bytes read off the wire, also of a body abandoned
    path: Path | None = None  # only when ok; the caller owns (and removes) the file
    sha256: str = ""
    head: bytes = b""  # the first HEAD_BYTES, for sniffing
    reason: str = ""
    truncated: str = ""  # for the WARC record: length | time | disconnect


def describe(resp: requests.Response, url: str) -> Described:
    header = resp.headers.get("Content-Type", "")
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", header, re.I)
    filename = content_disposition_filename(resp.headers.get("Content-Disposition", ""))
    return Described(
        content_type=header.split(";")[0].strip().lower(),
        charset=m.group(1) if m else None,
        filename=filename or unquote(urlsplit(url).path.rsplit("/", 1)[-1]),
    )


def content_disposition_filename(header: str) -> str:
    m = re.search(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", header, re.I)
    if m:
        return unquote(
            m.group(2).strip().strip('"'), encoding=m.group(1) or "utf-8", errors="replace"
        )
    m = re.search(r'filename\s*=\s*"?([^";]+)"?', header, re.I)
    return m.group(1).strip() if m else ""


def stream_body(
    resp: requests.Response, tmp_dir: Path, limits: Limits, described: Described
) -> Body:
    """Stream `resp`'s body into a new file in `tmp_dir`, hashing it on the way."""
    declared = resp.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        return Body(
            Outcome.TOO_LARGE,
            reason=f"{int(declared)} bytes announced, over the cap of {limits.max_bytes} bytes",
            truncated="length",
        )
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="dl-", suffix=".part")
    path = Path(tmp)
    fired = threading.Event()
    wait = max(0.0, limits.deadline - time.monotonic())
    watchdog = threading.Timer(wait, _shut_down, (resp, fired))
    watchdog.daemon = True
    watchdog.start()
    reading = _Reading(limits.max_bytes)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in resp.iter_content(CHUNK):
                reading.take(chunk, limits, described)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except _Abandon as abandon:
        path.unlink(missing_ok=True)
        cut = "length" if abandon.outcome == Outcome.TOO_LARGE else "time"
        return Body(abandon.outcome, reading.size, reason=abandon.reason, truncated=cut)
    except (requests.exceptions.RequestException, OSError) as exc:
        path.unlink(missing_ok=True)
        # The watchdog may still be running when the read fails, so ask whether it fired,
        # not whether it finished: a cut at the deadline is a timeout, never retried.
        if fired.is_set():
            return Body(Outcome.TIMEOUT, reading.size, reason=PAST_DEADLINE, truncated="time")
        timed_out = "timed out" in str(exc).lower()
        outcome = Outcome.TIMEOUT if timed_out else Outcome.CONNECTION_ERROR
        return Body(outcome, reading.size, reason=short_reason(exc), truncated="disconnect")
    finally:
        watchdog.cancel()
    return Body(Outcome.OK, reading.size, path, reading.hash.hexdigest(), reading.head)


def read_small_body(resp: requests.Response) -> tuple[bytes, str]:
    """The body of a response the crawl does not use (a redirect, an error page), up to
    SMALL_BODY bytes, for the WARC; with why it is cut ("length", "disconnect"), if it is."""
    body = b""
    try:
        for chunk in resp.iter_content(CHUNK):
            body += chunk
            if len(body) > SMALL_BODY:
                return body[:SMALL_BODY], "length"
    except (requests.exceptions.RequestException, OSError):
        return body, "disconnect"
    return body, ""


class _Reading:
    """The running count, hash and head of a body being streamed, and its cap."""

    def __init__(self, cap: int):
        self.cap = cap
        self.size = 0
        self.head = b""
        self.hash = hashlib.sha256()

    def take(self, chunk: bytes, limits: Limits, described: Described) -> None:
        self.size += len(chunk)
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
            if sniff_media_type(self.head, described.content_type, described.filename) == HTML:
                self.cap = min(self.cap, limits.page_bytes)
        if self.size > self.cap:
            raise _Abandon(Outcome.TOO_LARGE, f"body over the cap of {self.cap} bytes")
        if time.monotonic() > limits.deadline:
            raise _Abandon(Outcome.TIMEOUT, PAST_DEADLINE)
        self.hash.update(chunk)


class _Abandon(Exception):
    def __init__(self, outcome: Outcome, reason: str):
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


def _shut_down(resp: requests.Response, fired: threading.Event) -> None:
    """The watchdog's work at the deadline: end the blocked read."""
    fired.set()
    logger.debug("total deadline reached for %s: closing the connection", resp.url)
    try:
        sock = resp.raw.connection.sock  # urllib3 2.x
        sock.shutdown(socket.SHUT_RDWR)
    except (AttributeError, OSError):
        resp.close()
