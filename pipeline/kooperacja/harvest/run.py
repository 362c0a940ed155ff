"""The crawl stage's run: each partner crawled in turn through one polite fetcher, every answer
kept in the WARC files."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.store import tmp_dir
from kooperacja.config import Config, Partner
from kooperacja.harvest.capture import warc_capture
from kooperacja.harvest.crawl import crawl_partner
from kooperacja.harvest.fetch import Fetcher

logger = logging.getLogger(__name__)


def run_crawl(
    config: Config,
    catalog: Catalog,
    partners: Sequence[Partner],
    run_id: int | None,
    on_url: Callable[[str], None] = lambda url: None,
) -> dict[str, Any]:
    fetcher = Fetcher(config.crawl, tmp_dir(config.archive_dir))
    reports: dict[str, Any] = {}
    try:
        with warc_capture(config.archive_dir, config.crawl, catalog) as capture:
            fetcher.recorder = capture.record
            for partner in partners:
                logger.info("crawling %s", partner.id)
                report = crawl_partner(partner, config.crawl, catalog, fetcher, run_id, on_url)
                reports[partner.id] = report.as_dict()
    finally:
        fetcher.close()
    return {
        "partners": reports,
        "bytes_downloaded": fetcher.bytes_downloaded,
        "document_bytes": sum(r["document_bytes"] for r in reports.values()),
        "requests": fetcher.requests_made,
        "warc": capture.summary(),  # every answer, kept in archive/warc/
        "documents_total": catalog.counts()["documents"],
    }


# --- extract --------------------------------------------------------------------------------


# --- tag ------------------------------------------------------------------------------------
