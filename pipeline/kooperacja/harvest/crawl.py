"""The crawl of one partner: breadth-first over its in-scope pages, archiving every document.

Harvest fetches and stores bytes; extract alone makes text. A page about the project is stored
as the bytes its server sent, with the server's charset, and known by the hash of its main text
(so a new cookie banner is not a new document). Each page or document is committed to the
catalogue in its own transaction. Only a crawl that finished without transient failures (and
without hitting the page cap) may mark documents gone.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from kooperacja.archive.catalog import Catalog, UrlState
from kooperacja.archive.store import file_stamp, place_blob, write_blob_bytes
from kooperacja.config import CrawlSettings, Partner
from kooperacja.dates import parse_utc
from kooperacja.filetypes import DOCUMENT_MEDIA
from kooperacja.harvest.download import MAX_PAGE_BYTES
from kooperacja.harvest.fetch import Fetched, Fetcher
from kooperacja.harvest.pages import ParsedPage, parse_page
from kooperacja.harvest.report import PartnerReport
from kooperacja.harvest.retry import NO_NETWORK, TRANSIENT, is_transient
from kooperacja.harvest.revalidation import due_for_check
from kooperacja.harvest.urls import document_host_allowed, in_scope, may_follow
from kooperacja.harvest.video import VIDEO_MEDIA, canonical_video_url, video_sha256
from kooperacja.webpage.htmltext import decode_html
from kooperacja.webpage.pagekind import NewsRule
from kooperacja.webpage.urls import host_of, normalize_url

logger = logging.getLogger(__name__)

MAX_QUERY_VARIANTS = 30  # distinct query strings per path: calendars and filters are traps
# Failures of a linked URL that say the link is broken (or its server away), named in the report
# with the page that links it; a redirect out of scope or a size cap is not the link's fault.
LINK_FAILURES = {"http_error", *TRANSIENT}


@dataclass(frozen=True)
class QueueItem:
    url: str
    depth: int
    found_on: str | None
    link_text: str
    known_link: bool = False  # the page linked it with the same text before this run


@dataclass(frozen=True)
class Visit:
    """One queue item being handled: what the catalogue knew of its URL, and whether the URL is
    a page of the partner's own scope (else a document on one of its document hosts)."""

    item: QueueItem
    state: UrlState | None
    scoped: bool

    @property
    def url(self) -> str:
        return self.item.url


class PartnerCrawl:
    """The crawl of one partner: its queue, what it has seen and its report, for one run."""

    def __init__(
        self,
        partner: Partner,
        settings: CrawlSettings,
        catalog: Catalog,
        fetcher: Fetcher,
        run_id: int | None,
        progress: Callable[[str], None] = lambda msg: None,
    ):
        self.partner = partner
        self.settings = settings
        self.catalog = catalog
        self.fetcher = fetcher
        self.run_id = run_id
        self.progress = progress
        self.report = PartnerReport()
        self.max_depth = partner.max_depth if partner.max_depth is not None else settings.max_depth
        self.max_pages = partner.max_pages if partner.max_pages is not None else settings.max_pages
        self.queue: deque[QueueItem] = deque(
            QueueItem(u, 0, None, "") for u in _normalized(partner.start_urls)
        )
        self.queued = {item.url for item in self.queue}
        self.seen_docs: set[str] = set()  # documents this crawl found listed (the rest may be gone)
        self.variants: dict[str, int] = {}

    # --- the whole ------------------------------------------------------------------------

    def run(self) -> PartnerReport:
        while self.queue:
            item = self.queue.popleft()
            if not self.visit(item):
                break
        if self.report.complete:
            self.mark_gone()
        return self.report

    def visit(self, item: QueueItem) -> bool:
        """Handle one queued URL; False when the crawl must stop here (the page cap)."""
        scoped = in_scope(item.url, self.partner)
        if scoped and self.report.pages_fetched >= self.max_pages:
            self.stop(f"page cap of {self.max_pages} reached; the rest waits for the next run")
            return False
        verdict = self.fetcher.robots_verdict(item.url)
        if self.cut_off(item.url):
            return False
        if verdict:
            self.refuse(item, verdict)
            return True
        visit = Visit(item, self.catalog.url_state(item.url), scoped)
        if self.trusted(visit):
            self.report.not_rechecked += 1
            self.sight(visit, "document", "not_rechecked")
            return True
        self.progress(item.url)
        fetched = self.fetch(visit)
        if fetched.outcome in NO_NETWORK and self.cut_off(item.url):
            return False
        self.handle(visit, fetched)
        return True

    def handle(self, visit: Visit, fetched: Fetched) -> None:
        """What the answer means: unchanged, a failure, a document, a page, or something else."""
        if fetched.outcome == "not_modified" and visit.state is not None:
            self.not_modified(visit)
        elif not fetched.ok:
            self.failed(visit, fetched)
        elif fetched.media_type in DOCUMENT_MEDIA:
            self.archive_document(visit, fetched)
        elif fetched.media_type == "text/html" and visit.scoped:
            self.read_page(visit, fetched)
        else:
            self.not_a_document(visit, fetched)

    def stop(self, why: str) -> None:
        self.report.complete = False
        self.report.errors.append(why)

    # --- the queue ------------------------------------------------------------------------

    def enqueue(self, url: str, depth: int, found_on: str, text: str, context: str = "") -> None:
        """Record a link, and queue its target unless it is queued already, out of bounds, or
        one query variant too many of one path (calendars and filters are traps)."""
        known = self.catalog.link_known(url, found_on, text)
        with self.catalog.transaction():
            self.catalog.record_link(url, found_on, self.partner.id, text, context)
        if canonical_video_url(url) == url:  # a film: recorded, never fetched
            self.archive_film(url, text, known)
            return
        if url in self.queued or not may_follow(url, self.partner):
            return
        if "?" in url:
            path_key = url.split("?", 1)[0]
            self.variants[path_key] = self.variants.get(path_key, 0) + 1
            if self.variants[path_key] > MAX_QUERY_VARIANTS:
                return
        self.queued.add(url)
        self.queue.append(QueueItem(url, depth, found_on, text, known))

    def follow_links(self, visit: Visit, links: Iterable[tuple[str, str, str]]) -> None:
        if visit.item.depth < self.max_depth:
            for url, text, context in links:
                self.enqueue(url, visit.item.depth + 1, visit.url, text, context)

    # --- asking the server ----------------------------------------------------------------

    def cut_off(self, url: str) -> bool:
        """The partner's own site cannot be reached (its name does not resolve, no network):
        said at once, once, and the partner's crawl ends here with nothing marked gone."""
        reason = self.fetcher.unreachable_reason(url)
        own_hosts = {host_of(u) for u in self.partner.start_urls}
        if not reason or host_of(url) not in own_hosts:
            return False
        self.report.unreachable = reason
        self.stop(f"no network or DNS: {reason}; nothing fetched, nothing marked gone")
        logger.warning("%s: no network or DNS: %s", self.partner.id, reason)
        return True

    def refuse(self, item: QueueItem, verdict: str) -> None:
        """robots.txt forbids `item`, or could not be read (then nothing is marked gone)."""
        self.report.skipped += 1
        if verdict.startswith("robots.txt of"):
            self.stop(f"{item.url}: {verdict}")
        self.event("skipped", url=item.url, detail=verdict)

    def trusted(self, visit: Visit) -> bool:
        """An archived document reached again through the same link, and not yet due a check."""
        state = visit.state
        if not (visit.item.known_link and state and state.kind == "document" and state.sha256):
            return False
        if state.last_status not in ("ok", "not_modified", "not_rechecked"):
            return False  # the last answer was an error: ask again, never assume it is back
        checked = parse_utc(state.last_checked)
        return not due_for_check(
            visit.url, checked, datetime.now(UTC), self.settings.revalidate_days
        )

    def fetch(self, visit: Visit) -> Fetched:
        state = visit.state
        return self.fetcher.fetch(
            visit.url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            allow_redirect=lambda target: self.redirect_refusal(target, visit.scoped),
        )

    def redirect_refusal(self, target: str, scoped: bool) -> str | None:
        """None if a redirect to `target` may be followed, else why not."""
        partner = self.partner
        if in_scope(target, partner) or document_host_allowed(target, partner):
            return self.fetcher.robots_verdict(target)
        return "outside the partner's scope"

    # --- what came back -------------------------------------------------------------------

    def not_modified(self, visit: Visit) -> None:
        """A 304: the content we hold is still what the server has."""
        self.report.not_modified += 1
        kind = visit.state.kind if visit.state else "document"
        if kind == "page" and not visit.scoped:
            return  # another partner's page: not ours to follow or count
        if kind == "page":
            self.report.pages_fetched += 1
            self.sight(visit, "page", "not_modified")
            links = self.catalog.links_on(visit.url)
            self.follow_links(visit, ((url, text, "") for url, text in links))
        else:
            self.sight(visit, "document", "not_modified")

    def archive_document(self, visit: Visit, fetched: Fetched) -> None:
        self.report.document_bytes += fetched.size
        sha = fetched.sha256
        rel = place_blob(self.catalog.archive_dir, fetched.path, sha, fetched.media_type)
        previous = _replaced(visit.state, sha)
        with self.catalog.transaction():
            is_new = self.catalog.add_document(
                sha,
                fetched.media_type,
                fetched.size,
                rel,
                filename=fetched.filename,
                replaces=previous,
            )
            self.catalog.note_checked(sha, file_stamp(self.catalog.archive_dir / rel))
            self.record_url(visit, "document", fetched, sha256=sha)
            self.count_sighting(visit.url, sha, is_new, previous)
        self.seen_docs.add(sha)

    def read_page(self, visit: Visit, fetched: Fetched) -> None:
        """A page of the partner's scope: its links are followed; a page about the project is
        archived as a document."""
        self.report.pages_fetched += 1
        if fetched.size > MAX_PAGE_BYTES:
            _drop(fetched)
            self.report.errors.append(f"{visit.url}: page over {MAX_PAGE_BYTES} bytes, not read")
            return
        body = fetched.path.read_bytes()
        page = parse_page(
            decode_html(body, fetched.charset),
            fetched.final_url or visit.url,
            fetched.last_modified or "",
            NewsRule.of(self.settings.project_terms, self.partner.news_scope),
        )
        # Links first: a run that dies before the page's new validators are stored reads the
        # page again next time, instead of trusting a 304 to links it never kept.
        self.follow_links(visit, ((ln.url, ln.text, ln.context) for ln in page.links_and_films()))
        news_sha = news_identity(page)
        if news_sha:
            self.archive_news_page(visit, fetched, page, news_sha)
        else:
            _drop(fetched)
            with self.catalog.transaction():
                self.record_url(visit, "page", fetched, sha256=None)

    def archive_news_page(
        self, visit: Visit, fetched: Fetched, page: ParsedPage, news_sha: str
    ) -> None:
        """Store a page about the project: the bytes as sent, the charset the server declared.
        A page whose main text is already archived keeps the bytes first stored."""
        archive_dir = self.catalog.archive_dir
        if self.catalog.document(news_sha) is None:
            rel = place_blob(archive_dir, fetched.path, news_sha, "text/html", fetched.sha256)
        else:
            _drop(fetched)
            rel = ""
        previous = _replaced(visit.state, news_sha)
        with self.catalog.transaction():  # the URL's validators with its document, or neither
            self.record_url(visit, "page", fetched, sha256=news_sha)
            is_new = self.catalog.add_document(
                news_sha,
                "text/html",
                fetched.size,
                rel,
                html_title=page.kind.heading or page.title,
                replaces=previous,
                blob_sha256=fetched.sha256,
                charset=fetched.charset,
            )
            if rel:  # just stored from bytes hashed on the way in
                self.catalog.note_checked(news_sha, file_stamp(archive_dir / rel))
            self.count_sighting(visit.url, news_sha, is_new, previous)
        self.seen_docs.add(news_sha)

    def archive_film(self, url: str, title: str, known_link: bool) -> None:
        """A film linked or embedded on a page: a document whose bytes are its canonical URL,
        never downloaded; counted once a run however many pages show it."""
        sha = video_sha256(url)
        if sha in self.seen_docs:
            if not known_link:  # a new title: its text is what the pages say of it
                with self.catalog.transaction():
                    self.catalog.reset_extraction(sha)
            return
        data = url.encode("utf-8")
        rel = write_blob_bytes(self.catalog.archive_dir, data, sha, VIDEO_MEDIA)
        with self.catalog.transaction():
            is_new = self.catalog.add_document(
                sha, VIDEO_MEDIA, len(data), rel, html_title=title or None
            )
            self.catalog.note_checked(sha, file_stamp(self.catalog.archive_dir / rel))
            if not is_new and not known_link:
                self.catalog.reset_extraction(sha)
            self.catalog.record_url(url, self.partner.id, "video", sha256=sha, status="linked")
            self.count_sighting(url, sha, is_new, None)
        self.seen_docs.add(sha)

    def not_a_document(self, visit: Visit, fetched: Fetched) -> None:
        _drop(fetched)
        self.report.skipped += 1
        reason = f"not a document ({fetched.media_type or fetched.content_type})"
        with self.catalog.transaction():
            self.catalog.record_url(
                visit.url, self.partner.id, "other", status="not_document", error=reason
            )
            self.event("skipped", url=visit.url, detail=reason)

    def failed(self, visit: Visit, fetched: Fetched) -> None:
        reason = fetched.reason or fetched.outcome
        transient = is_transient(fetched)
        if transient:
            self.report.complete = False  # we do not know what is there: mark nothing gone
        known_kind = visit.state.kind if visit.state else None  # a failure does not change it
        with self.catalog.transaction():
            self.catalog.record_url(
                visit.url,
                self.partner.id,
                known_kind or ("page" if visit.scoped else "document"),
                status=fetched.outcome,
                error=reason,
                keep_validators=True,
            )
            if visit.item.found_on is not None and fetched.outcome in LINK_FAILURES:
                self.failed_link(visit, reason, transient)
                return
            if transient or visit.item.found_on is None or fetched.outcome != "redirect_refused":
                self.report.errors.append(f"{visit.url}: {reason}")
            else:
                self.report.skipped += 1
            self.event("failed" if transient else "skipped", url=visit.url, detail=reason)

    def failed_link(self, visit: Visit, reason: str, transient: bool) -> None:
        """A link that fails (404, 410, a timeout): named with the page that links it, every
        night it fails. Its document is kept online for `gone_after_failed_nights` nights, then
        marked gone (never deleted); from then on a link the server answers 404 or 410 is a known
        dead link, listed but no longer a failure, while a server that does not answer still is."""
        nights = self.catalog.count_failed_night(visit.url)
        limit = self.settings.gone_after_failed_nights
        state = visit.state
        sha = state.sha256 if state and state.kind == "document" and state.sha256 else None
        found_on = visit.item.found_on
        self.report.failed_links.append(
            {
                "url": visit.url,
                "found_on": found_on,
                "reason": reason,
                "nights": nights,
                "gone_after_nights": limit,
                "doc_id": sha[:12] if sha else None,
            }
        )
        self.event("link_failed", sha256=sha, url=visit.url, detail=reason, found_on=found_on)
        if nights < limit:
            then = "its document is marked gone" if sha else "it is listed as a dead link"
            self.report.errors.append(
                f"{visit.url} (linked from {found_on}): {reason}; failing night {nights} of "
                f"{limit}, then {then}"
            )
            if sha:
                self.seen_docs.add(sha)  # still listed: kept online while the nights last
            return
        if transient:
            self.report.errors.append(f"{visit.url} (linked from {found_on}): {reason}")
        else:
            self.report.skipped += 1
        if sha and self.catalog.drop_partner(sha, self.partner.id):
            self.gone([sha])

    # --- the catalogue --------------------------------------------------------------------

    def record_url(self, visit: Visit, kind: str, fetched: Fetched, sha256: str | None) -> None:
        self.catalog.record_url(
            visit.url,
            self.partner.id,
            kind,
            sha256=sha256,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            status="ok",
        )

    def sight(self, visit: Visit, kind: str, status: str) -> None:
        """A known URL whose content we hold, seen again without downloading it (304, or not
        due a check)."""
        sha = visit.state.sha256 if visit.state else None
        with self.catalog.transaction():
            self.catalog.record_url(
                visit.url, self.partner.id, kind, status=status, keep_validators=True
            )
            if sha:
                self.count_sighting(visit.url, sha, False, None)
        if sha:
            self.seen_docs.add(sha)

    def count_sighting(self, url: str, sha: str, is_new: bool, previous: str | None) -> None:
        returned = self.catalog.sighting(sha, url, self.partner.id)
        report = self.report
        if is_new and previous:
            report.documents_changed += 1
            report.changed.append(sha[:12])
            self.event("changed", sha256=sha, url=url, detail=f"replaces {previous[:12]}")
        elif is_new:
            report.documents_new += 1
            report.new.append(sha[:12])
            self.event("new", sha256=sha, url=url)
        else:
            report.documents_unchanged += 1
            if returned:
                self.event("returned", sha256=sha, url=url)

    def mark_gone(self) -> None:
        """After a complete crawl: the partner's documents it no longer lists lose the partner."""
        with self.catalog.transaction():
            self.gone(self.catalog.mark_gone(self.partner.id, self.seen_docs))

    def gone(self, shas: list[str]) -> None:
        for sha in shas:
            self.event("gone", sha256=sha)
        self.report.documents_gone += len(shas)
        self.report.gone += [s[:12] for s in shas]

    def event(self, kind: str, **fields: str | None) -> None:
        self.catalog.add_event(self.run_id, kind, partner=self.partner.id, **fields)


def crawl_partner(
    partner: Partner,
    settings: CrawlSettings,
    catalog: Catalog,
    fetcher: Fetcher,
    run_id: int | None,
    progress: Callable[[str], None] = lambda msg: None,
) -> PartnerReport:
    """Crawl one partner and return its report (see `PartnerCrawl`)."""
    return PartnerCrawl(partner, settings, catalog, fetcher, run_id, progress).run()


def news_identity(page: ParsedPage) -> str | None:
    """The identity of a page kept as news (the hash of its main text): an article about the
    project however short, or a substantial page about it; None for lists, navigation pages
    and pages off the project (see `kooperacja.webpage.pagekind`)."""
    if page.is_news:
        return hashlib.sha256(page.main_text.encode("utf-8")).hexdigest()
    return None


def _normalized(urls: Iterable[str]) -> list[str]:
    return [n for n in (normalize_url(u) for u in urls) if n]


def _replaced(state: UrlState | None, sha: str) -> str | None:
    """The document this URL held before, when its content has changed to `sha`."""
    return state.sha256 if state and state.sha256 and state.sha256 != sha else None


def _drop(fetched: Fetched) -> None:
    """Forget a downloaded body that is not archived."""
    if fetched.path is not None:
        fetched.path.unlink(missing_ok=True)
