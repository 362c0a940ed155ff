"""Polite HTTP for one run, composed of one module per concern (the shape of Scrapy's downloader
middlewares): robots.txt (`robots`), the per-host delay (`pacing`), the retry rule and the
outcomes (`retry`), the body under caps and a deadline (`download`), what the bytes are
(`kooperacja.filetypes`). Here: the session, redirects, conditional requests and the WARC
record of every answer. Every outcome is a value (`Fetched`), never None."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import requests

from kooperacja.config import CrawlSettings
from kooperacja.filetypes import office_file_type, sniff_media_type
from kooperacja.harvest.download import Limits, describe, read_small_body, stream_body
from kooperacja.harvest.pacing import HostPacer
from kooperacja.harvest.retry import (
    NO_NETWORK,
    Outcome,
    RetryPolicy,
    connection_failure,
    parse_retry_after,
)
from kooperacja.harvest.revalidation import conditional_headers
from kooperacja.harvest.robots import MAX_ROBOTS_BYTES, RobotsFile, RobotsRules, RobotsSettings
from kooperacja.harvest.warc import Exchange
from kooperacja.webpage.urls import host_of, normalize_url

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 10
HTTP_VERSIONS = {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}
DECODED_CODINGS = frozenset({"gzip", "x-gzip", "deflate", "br", "zstd"})  # undone by requests


@dataclass(frozen=True)
class Fetched:
    """What asking for a URL gave: its body in a temp file when `ok`, else why not."""

    url: str
    outcome: Outcome
    final_url: str = ""
    http_status: int | None = None
    media_type: str = ""  # sniffed from the bytes: application/pdf, text/html, application/msword…
    content_type: str = ""
    charset: str | None = None
    path: Path | None = None  # the body, in a temp file inside the archive
    sha256: str = ""
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None
    filename: str = ""  # from Content-Disposition, or the URL's last segment
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


class Fetcher:
    """HTTP for one run: a session, a pacer and robots.txt rules cached per host."""

    def __init__(
        self,
        settings: CrawlSettings,
        tmp_dir: Path,
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_backoff: float = 60.0,
    ):
        self.settings = settings
        self.tmp_dir = tmp_dir
        self.sleep = sleep
        self.retry = RetryPolicy(retries=settings.retries, max_backoff=max_backoff)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = settings.user_agent
        self.session.headers["Accept-Language"] = "pl,en;q=0.5"
        # The bytes on the wire are then the bytes archived and the WARC payload, digest for
        # digest; a server that compresses anyway is still read (and recorded as decoded).
        self.session.headers["Accept-Encoding"] = "identity"
        self.recorder: Callable[[Exchange], None] | None = None  # every response, for the WARC
        self.pacer = HostPacer(settings.delay_seconds, sleep=sleep)
        self.robots = RobotsRules(
            RobotsSettings(settings.user_agent, settings.respect_robots_txt),
            self._robots_file,
            self.pacer.set_host_delay,
        )
        self.unreachable: dict[str, str] = {}  # host -> why: no DNS answer, or no network
        self.bytes_downloaded = 0
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    def unreachable_reason(self, url: str) -> str | None:
        """Why `url`'s host cannot be reached this run (no DNS, no network), if it cannot."""
        return self.unreachable.get(host_of(url))

    # --- robots.txt ------------------------------------------------------------------------

    def robots_verdict(self, url: str) -> str | None:
        """None if `url` may be fetched, else the reason it may not (see `RobotsRules`)."""
        return self.robots.verdict(url)

    def _robots_file(self, url: str) -> RobotsFile:
        result = self._get(url, cap=MAX_ROBOTS_BYTES, headers={}, follow=True)
        text = None
        if result.path is not None:
            if result.ok:
                text = result.path.read_bytes().decode("utf-8", errors="replace")
            result.path.unlink(missing_ok=True)
        return RobotsFile(text, result.http_status or 0, result.reason or result.outcome)

    # --- fetching --------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_redirect: Callable[[str], str | None] = lambda u: None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET `url`, following redirects only where `allow_redirect` returns None; with `etag`
        or `last_modified`, a conditional request (a 304 is `not_modified`)."""
        headers = conditional_headers(etag, last_modified)
        cap = max_bytes or self.settings.max_document_bytes
        return self._get(url, cap=cap, headers=headers, follow=False, allow_redirect=allow_redirect)

    def _get(
        self,
        url: str,
        *,
        cap: int,
        headers: dict[str, str],
        follow: bool,
        allow_redirect: Callable[[str], str | None] = lambda u: None,
    ) -> Fetched:
        visited = [url]
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            result = self._get_with_retries(current, cap, headers)
            if result.outcome != Outcome.REDIRECT:
                return replace(result, url=url, final_url=current)
            target = normalize_url(result.reason, current)
            if target is None:
                return Fetched(
                    url,
                    Outcome.REDIRECT_REFUSED,
                    final_url=current,
                    http_status=result.http_status,
                    reason=f"redirect to a non-http(s) location {result.reason!r}",
                )
            if target in visited:
                return Fetched(
                    url,
                    Outcome.REDIRECT_LOOP,
                    final_url=current,
                    http_status=result.http_status,
                    reason=f"redirect loop via {target}",
                )
            refusal = None if follow else allow_redirect(target)
            if refusal:
                return Fetched(
                    url,
                    Outcome.REDIRECT_REFUSED,
                    final_url=current,
                    http_status=result.http_status,
                    reason=f"redirect to {target}: {refusal}",
                )
            visited.append(target)
            current = target
        return Fetched(
            url,
            Outcome.REDIRECT_LOOP,
            final_url=current,
            reason=f"more than {MAX_REDIRECTS} redirects",
        )

    def _get_with_retries(self, url: str, cap: int, headers: dict[str, str]) -> Fetched:
        policy = self.retry
        result = Fetched(url, Outcome.CONNECTION_ERROR)
        for attempt in range(policy.attempts):
            result, retry_after = self._get_once(url, cap, headers)
            if not policy.should_retry(attempt, result.outcome, result.http_status):
                return result
            if policy.too_long(retry_after):
                return replace(
                    result, reason=f"{result.reason}; Retry-After {retry_after:.0f}s too long"
                )
            wait = policy.wait(attempt, retry_after)
            logger.info("retrying %s in %.1fs (%s)", url, wait, result.reason)
            self.sleep(wait)
        return result

    def _get_once(
        self, url: str, cap: int, headers: dict[str, str]
    ) -> tuple[Fetched, float | None]:
        """One request, its answer, and the Retry-After the server asked for (if it did)."""
        timeout = self.settings.timeout_seconds
        limits = Limits.starting_now(cap, timeout)
        self.pacer.wait(host_of(url))
        self.requests_made += 1
        try:
            resp = self.session.get(
                url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            )
        except requests.exceptions.Timeout:
            return Fetched(url, Outcome.TIMEOUT, reason=f"no answer within {timeout:g}s"), None
        except requests.exceptions.RequestException as exc:
            outcome, reason = connection_failure(exc, host_of(url))
            if outcome in NO_NETWORK:
                self.unreachable.setdefault(host_of(url), reason)
            return Fetched(url, outcome, reason=reason), None
        with resp:
            status = resp.status_code
            if status in (301, 302, 303, 307, 308):
                self._record_small(url, resp)
                location = resp.headers.get("Location", "")
                return Fetched(url, Outcome.REDIRECT, http_status=status, reason=location), None
            if status == 304:
                self._record(url, resp)
                return Fetched(url, Outcome.NOT_MODIFIED, http_status=304), None
            if status >= 400 or status < 200:
                self._record_small(url, resp)
                return (
                    Fetched(url, Outcome.HTTP_ERROR, http_status=status, reason=f"HTTP {status}"),
                    parse_retry_after(resp.headers.get("Retry-After")),
                )
            return self._download(url, resp, limits), None

    def _download(self, url: str, resp: requests.Response, limits: Limits) -> Fetched:
        """A 2xx: its body into a temp file, recognised by its bytes."""
        described = describe(resp, url)
        body = stream_body(resp, self.tmp_dir, limits, described)
        self.bytes_downloaded += body.received
        status = resp.status_code
        ctype = described.content_type
        if body.path is None:
            self._record(url, resp, truncated=body.truncated)
            return Fetched(
                url, body.outcome, http_status=status, content_type=ctype, reason=body.reason
            )
        self._record(url, resp, body_path=body.path)
        if body.received == 0:
            body.path.unlink(missing_ok=True)
            return Fetched(
                url, Outcome.EMPTY, http_status=status, content_type=ctype, reason="empty body"
            )
        media = sniff_media_type(body.head, ctype, described.filename)
        return Fetched(
            url,
            Outcome.OK,
            http_status=status,
            media_type=office_file_type(body.path, media) or media,
            content_type=ctype,
            charset=described.charset,
            path=body.path,
            sha256=body.sha256,
            size=body.received,
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            filename=described.filename,
        )

    def _record(self, url: str, resp: requests.Response, **body) -> None:
        if self.recorder is not None:
            self.recorder(exchange_of(url, resp, **body))

    def _record_small(self, url: str, resp: requests.Response) -> None:
        """Record a response whose body the crawl does not use (a redirect, an error page)."""
        if self.recorder is not None:
            body, truncated = read_small_body(resp)
            self._record(url, resp, body=body, truncated=truncated)


def exchange_of(url: str, resp: requests.Response, **body) -> Exchange:
    """The request as sent and the response as received, for the WARC."""
    coding = resp.headers.get("Content-Encoding", "").strip().lower()
    return Exchange(
        url=url,
        method=resp.request.method or "GET",
        request_headers=tuple(resp.request.headers.items()),
        http_version=HTTP_VERSIONS.get(getattr(resp.raw, "version", 11), "HTTP/1.1"),
        status=resp.status_code,
        reason=resp.reason or "",
        response_headers=tuple(resp.raw.headers.items()),
        decoded=coding in DECODED_CODINGS,
        **body,
    )
