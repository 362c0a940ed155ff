"""The crawl of one partner: breadth-first over its in-scope pages, archiving every document.

Each page or document is committed to the catalogue in its own transaction. Only a crawl that
finished without transient failures (and without hitting the page cap) may mark documents gone.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kooperacja.catalog import Catalog, parse_utc
from kooperacja.config import CrawlSettings, Partner
from kooperacja.extract import EXTRACT_VERSION
from kooperacja.harvest.fetch import MAX_PAGE_BYTES, Fetched, Fetcher
from kooperacja.harvest.pages import ParsedPage, decode_html, parse_page
from kooperacja.harvest.revalidation import due_for_check
from kooperacja.harvest.urls import (
    document_host_allowed,
    host_of,
    in_scope,
    is_private_host,
    looks_like_document,
)
from kooperacja.harvest.video import VIDEO_MEDIA, canonical_video_url, video_sha256
from kooperacja.models import PageText
from kooperacja.store import place_blob, write_blob_bytes, write_pages

logger = logging.getLogger(__name__)

DOCUMENT_MEDIA = {
    "application/pdf",
    "application/msword",
    "application/rtf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
}
MAX_QUERY_VARIANTS = 30  # distinct query strings per path: calendars and filters are traps
TRANSIENT = {"timeout", "connection_error", "too_many_retries"}


@dataclass
class PartnerReport:
    pages_fetched: int = 0
    documents_new: int = 0
    documents_changed: int = 0
    documents_unchanged: int = 0
    documents_gone: int = 0
    not_modified: int = 0
    not_rechecked: int = 0  # archived documents reached through known links, not asked for
    skipped: int = 0
    document_bytes: int = 0
    errors: list[str] = field(default_factory=list)
    complete: bool = True
    new: list[str] = field(default_factory=list)  # doc ids, for the human report
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "pages_fetched": self.pages_fetched,
            "documents_new": self.documents_new,
            "documents_changed": self.documents_changed,
            "documents_unchanged": self.documents_unchanged,
            "documents_gone": self.documents_gone,
            "not_modified": self.not_modified,
            "not_rechecked": self.not_rechecked,
            "skipped": self.skipped,
            "document_bytes": self.document_bytes,
            "complete": self.complete,
            "errors": list(self.errors),
            "new": list(self.new),
            "changed": list(self.changed),
            "gone": list(self.gone),
        }


@dataclass(frozen=True)
class QueueItem:
    url: str
    depth: int
    found_on: str | None
    link_text: str
    known_link: bool = False  # the page linked it with the same text before this run


def crawl_partner(
    partner: Partner,
    settings: CrawlSettings,
    catalog: Catalog,
    fetcher: Fetcher,
    run_id: int | None,
    progress: Callable[[str], None] = lambda msg: None,
) -> PartnerReport:
    report = PartnerReport()
    max_depth = partner.max_depth if partner.max_depth is not None else settings.max_depth
    max_pages = partner.max_pages if partner.max_pages is not None else settings.max_pages
    queue: deque[QueueItem] = deque(
        QueueItem(u, 0, None, "") for u in _normalized(partner.start_urls)
    )
    queued = {item.url for item in queue}
    seen_docs: set[str] = set()
    variants: dict[str, int] = {}

    def enqueue(url: str, depth: int, found_on: str, text: str, context: str = "") -> None:
        known = catalog.link_known(url, found_on, text)
        with catalog.transaction():
            catalog.record_link(url, found_on, partner.id, text, context)
        if canonical_video_url(url) == url:  # a film: recorded, never fetched
            _archive_video(catalog, partner, url, text, known, seen_docs, report, run_id)
            return
        if url in queued:
            return
        if not may_follow(url, partner):
            return
        path_key = url.split("?", 1)[0]
        if "?" in url:
            variants[path_key] = variants.get(path_key, 0) + 1
            if variants[path_key] > MAX_QUERY_VARIANTS:
                return
        queued.add(url)
        queue.append(QueueItem(url, depth, found_on, text, known))

    while queue:
        item = queue.popleft()
        scoped = in_scope(item.url, partner)
        if scoped and report.pages_fetched >= max_pages:
            report.complete = False
            report.errors.append(
                f"page cap of {max_pages} reached; the rest waits for the next run"
            )
            break
        verdict = fetcher.robots_verdict(item.url)
        if verdict:
            report.skipped += 1
            if verdict.startswith("robots.txt of"):
                report.complete = False
                report.errors.append(f"{item.url}: {verdict}")
            with catalog.transaction():
                catalog.add_event(
                    run_id, "skipped", partner=partner.id, url=item.url, detail=verdict
                )
            continue
        state = catalog.url_state(item.url)
        if _trusted(item, state, settings.revalidate_days):
            report.not_rechecked += 1
            _sight(
                catalog,
                partner,
                item.url,
                "document",
                state.sha256,
                "not_rechecked",
                seen_docs,
                report,
                run_id,
            )
            continue
        progress(item.url)

        def refuse_redirect(target: str, scoped: bool = scoped) -> str | None:
            if in_scope(target, partner) or (not scoped and document_host_allowed(target, partner)):
                return fetcher.robots_verdict(target)
            if document_host_allowed(target, partner):
                return fetcher.robots_verdict(target)
            return "outside the partner's scope"

        fetched = fetcher.fetch(
            item.url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            allow_redirect=refuse_redirect,
        )
        if fetched.outcome == "not_modified" and state is not None:
            report.not_modified += 1
            if state.kind == "page" and not scoped:
                continue  # another partner's page: not ours to follow or count
            if state.kind == "page":
                report.pages_fetched += 1
                _sight(
                    catalog,
                    partner,
                    item.url,
                    "page",
                    state.sha256,
                    "not_modified",
                    seen_docs,
                    report,
                    run_id,
                )
                if item.depth < max_depth:
                    for url, text in catalog.links_on(item.url):
                        enqueue(url, item.depth + 1, item.url, text)
            else:
                _sight(
                    catalog,
                    partner,
                    item.url,
                    "document",
                    state.sha256,
                    "not_modified",
                    seen_docs,
                    report,
                    run_id,
                )
            continue
        if not fetched.ok:
            _record_failure(catalog, partner, item, fetched, report, run_id, scoped)
            continue
        if fetched.media_type in DOCUMENT_MEDIA:
            _archive_document(catalog, partner, item, fetched, seen_docs, report, run_id, state)
        elif fetched.media_type == "text/html" and scoped:
            report.pages_fetched += 1
            body, page = _read_page(item, fetched, report)
            if page is not None:
                # Links first: a run that dies before the page's new validators are stored
                # reads the page again next time, instead of trusting a 304 to links never kept.
                if item.depth < max_depth:
                    for link in page.links_and_films():
                        enqueue(link.url, item.depth + 1, item.url, link.text, link.context)
                _archive_page(
                    catalog, partner, item, fetched, body, page, seen_docs, report, run_id, state
                )
        else:
            fetched.path and fetched.path.unlink(missing_ok=True)
            report.skipped += 1
            reason = f"not a document ({fetched.media_type or fetched.content_type})"
            with catalog.transaction():
                catalog.record_url(
                    item.url, partner.id, "other", status="not_document", error=reason
                )
                catalog.add_event(
                    run_id, "skipped", partner=partner.id, url=item.url, detail=reason
                )

    if report.complete:
        with catalog.transaction():
            gone = catalog.mark_gone(partner.id, seen_docs)
            for sha in gone:
                catalog.add_event(run_id, "gone", partner=partner.id, sha256=sha)
        report.documents_gone = len(gone)
        report.gone = [s[:12] for s in gone]
    return report


def may_follow(url: str, partner: Partner) -> bool:
    """Pages only within the scope; documents only from the document hosts; private or loopback
    addresses only when the partner's own site is on one (a public page linking there is a
    trap or a mistake)."""
    if not in_scope(url, partner) and not (
        document_host_allowed(url, partner) and looks_like_document(url)
    ):
        return False
    own_private = any(is_private_host(host_of(u)) for u in partner.start_urls)
    return own_private or not is_private_host(host_of(url))


def _normalized(urls: Iterable[str]) -> list[str]:
    from kooperacja.harvest.urls import normalize_url

    return [n for n in (normalize_url(u) for u in urls) if n]


def _archive_document(catalog, partner, item, fetched: Fetched, seen_docs, report, run_id, state):
    report.document_bytes += fetched.size
    sha = fetched.sha256
    archive_dir = catalog.archive_dir
    rel = place_blob(archive_dir, fetched.path, sha, fetched.media_type)
    previous = _replaced(state, sha)
    with catalog.transaction():
        is_new = catalog.add_document(
            sha, fetched.media_type, fetched.size, rel, filename=fetched.filename, replaces=previous
        )
        catalog.record_url(
            item.url,
            partner.id,
            "document",
            sha256=sha,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            status="ok",
        )
        _count_sighting(catalog, partner, item.url, sha, is_new, previous, report, run_id)
    seen_docs.add(sha)


def _replaced(state, sha: str) -> str | None:
    """The document this URL held before, when its content has changed to `sha`."""
    return state.sha256 if state and state.sha256 and state.sha256 != sha else None


def _read_page(item: QueueItem, fetched: Fetched, report) -> tuple[bytes, ParsedPage | None]:
    if fetched.size > MAX_PAGE_BYTES:
        fetched.path.unlink(missing_ok=True)
        report.errors.append(f"{item.url}: page over {MAX_PAGE_BYTES} bytes, not read")
        return b"", None
    body = fetched.path.read_bytes()
    fetched.path.unlink(missing_ok=True)
    page = parse_page(
        decode_html(body, fetched.charset),
        fetched.final_url or item.url,
        fetched.last_modified or "",
    )
    return body, page


def _archive_page(
    catalog, partner, item, fetched: Fetched, body, page, seen_docs, report, run_id, state
) -> None:
    news_sha = None
    if page.is_news:  # an article however short, or a page about the project; no list
        news_sha = hashlib.sha256(page.main_text.encode("utf-8")).hexdigest()
        rel = write_blob_bytes(catalog.archive_dir, body, news_sha, "text/html")
    # The page's new validators and its document in one transaction: a run that dies between
    # them must not leave a 304 pointing at a document never catalogued.
    with catalog.transaction():
        catalog.record_url(
            item.url,
            partner.id,
            "page",
            sha256=news_sha,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            status="ok",
        )
        if news_sha:
            previous = _replaced(state, news_sha)
            is_new = catalog.add_document(
                news_sha,
                "text/html",
                len(body),
                rel,
                html_title=page.kind.heading or page.title,
                replaces=previous,
            )
            if is_new:
                # The page's text is its identity (doc_id), so it is stored now, as decoded here.
                write_pages(
                    catalog.archive_dir,
                    news_sha,
                    [PageText(1, page.main_text)],
                    {"extract_version": EXTRACT_VERSION},
                )
                catalog.set_extracted(
                    news_sha, "ok", None, 1, page.kind.metadata(), EXTRACT_VERSION
                )
            _count_sighting(catalog, partner, item.url, news_sha, is_new, previous, report, run_id)
    if news_sha:
        seen_docs.add(news_sha)


def _archive_video(catalog, partner, url, title, known, seen_docs, report, run_id) -> None:
    """A film linked or embedded on a page: a document whose bytes are its canonical URL."""
    sha = video_sha256(url)
    if sha in seen_docs:  # shown again on another page of this run: counted once
        if not known:
            with catalog.transaction():
                catalog.reset_extraction(sha)
        return
    data = url.encode("utf-8")
    rel = write_blob_bytes(catalog.archive_dir, data, sha, VIDEO_MEDIA)
    with catalog.transaction():
        is_new = catalog.add_document(sha, VIDEO_MEDIA, len(data), rel, html_title=title or None)
        if not is_new and not known:
            catalog.reset_extraction(sha)  # its text is what the pages say of it: read again
        catalog.record_url(url, partner.id, "video", sha256=sha, status="linked")
        _count_sighting(catalog, partner, url, sha, is_new, None, report, run_id)
    seen_docs.add(sha)


def _count_sighting(catalog, partner, url, sha, is_new, previous, report, run_id) -> None:
    returned = catalog.sighting(sha, url, partner.id)
    if is_new and previous:
        report.documents_changed += 1
        report.changed.append(sha[:12])
        catalog.add_event(
            run_id,
            "changed",
            partner=partner.id,
            sha256=sha,
            url=url,
            detail=f"replaces {previous[:12]}",
        )
    elif is_new:
        report.documents_new += 1
        report.new.append(sha[:12])
        catalog.add_event(run_id, "new", partner=partner.id, sha256=sha, url=url)
    else:
        report.documents_unchanged += 1
        if returned:
            catalog.add_event(run_id, "returned", partner=partner.id, sha256=sha, url=url)


def _trusted(item: QueueItem, state, revalidate_days: int) -> bool:
    """An archived document reached again through the same link, and not yet due a check."""
    if not (item.known_link and state and state.kind == "document" and state.sha256):
        return False
    if state.last_status not in ("ok", "not_modified", "not_rechecked"):
        return False  # the last answer was an error: ask again, never assume it is back
    checked = parse_utc(state.last_checked)
    return not due_for_check(item.url, checked, datetime.now(UTC), revalidate_days)


def _sight(catalog, partner, url, kind, sha, status, seen_docs, report, run_id) -> None:
    """A known URL whose content we hold, seen again without downloading it (304, or not due)."""
    with catalog.transaction():
        catalog.record_url(url, partner.id, kind, status=status, keep_validators=True)
        if sha:
            _count_sighting(catalog, partner, url, sha, False, None, report, run_id)
    if sha:
        seen_docs.add(sha)


def _record_failure(catalog, partner, item, fetched: Fetched, report, run_id, scoped) -> None:
    reason = fetched.reason or fetched.outcome
    transient = (
        fetched.outcome in TRANSIENT
        or (fetched.outcome == "http_error" and (fetched.http_status or 0) >= 500)
        or fetched.http_status in (408, 429)
    )
    if transient:
        report.complete = False  # we do not know what is there: mark nothing gone
    is_start = item.found_on is None
    if transient or is_start or fetched.outcome not in ("http_error", "redirect_refused"):
        report.errors.append(f"{item.url}: {reason}")
    else:
        report.skipped += 1
    with catalog.transaction():
        catalog.record_url(
            item.url,
            partner.id,
            "page" if scoped else "document",
            status=fetched.outcome,
            error=reason,
            keep_validators=True,
        )
        catalog.add_event(
            run_id,
            "failed" if transient else "skipped",
            partner=partner.id,
            url=item.url,
            detail=reason,
        )
