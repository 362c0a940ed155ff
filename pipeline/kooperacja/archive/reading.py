"""Read-side operations behind show, status, changes, export, curate and the web page (no printing
here): what those rooms read of the archive, they read through this module."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kooperacja.archive.captures import warc_status
from kooperacja.archive.catalog import Catalog
from kooperacja.archive.records import document_record
from kooperacja.archive.rows import Document, Run
from kooperacja.archive.store import EXTENSIONS, read_pages
from kooperacja.config import Config
from kooperacja.errors import ArchiveError, UsageError
from kooperacja.models import PageText

__all__ = [
    "Catalog",
    "all_records",
    "archive_changes",
    "archive_status",
    "changes_since",
    "document_pages",
    "document_record",
    "file_extension",
    "find_one",
    "open_readonly",
    "records_of",
    "records_with_datestamps",
    "show_document",
]


def _open(config: Config) -> Catalog:
    return Catalog(config.archive_dir, create=False)


def open_readonly(archive_dir: Path) -> Catalog:
    """A catalogue connection that cannot write (the web page's)."""
    return Catalog(archive_dir, readonly=True)


def document_pages(archive_dir: Path, sha256: str) -> list[PageText]:
    """The stored pages of a document; [] when it has no extracted text (yet)."""
    return read_pages(archive_dir, sha256)


def file_extension(media_type: str) -> str:
    """The extension an archived file of this media type is stored (and served) with."""
    return EXTENSIONS.get(media_type, "bin")


def find_one(catalog: Catalog, doc_id: str) -> Document:
    if not re.fullmatch(r"[0-9a-fA-F]{6,64}", doc_id.strip()):
        raise UsageError(f"{doc_id!r} is not a document id: use the 12 hex digits shown by search")
    rows = catalog.find_document(doc_id)
    if not rows:
        raise UsageError(
            f"no document {doc_id} in the archive: see 'kooperacja search' or 'export'"
        )
    if len(rows) > 1:
        raise UsageError(f"{doc_id} matches {len(rows)} documents: give more digits")
    return rows[0]


def show_document(
    config: Config, doc_id: str, page: int | None, label: str | None = None
) -> tuple[dict[str, Any], PageText | None]:
    """The catalogue record of `doc_id` and, with `page` (1-based PDF page) or `label` (the page
    number printed in the document, as results show it: `s. 26`), the text of that page."""
    with _open(config) as catalog:
        row = find_one(catalog, doc_id)
        record = document_record(catalog, row)
    if page is None and label is None:
        return record, None
    pages = read_pages(config.archive_dir, row.sha256)
    if not pages:
        raise UsageError(
            f"{record['doc_id']} has no extracted text ({record['text_status']}"
            f"{': ' + record['text_error'] if record['text_error'] else ''})"
        )
    if label is not None:
        found = next((p for p in pages if p.label == label), None)
        if found is None:
            printed = [p.label for p in pages if p.label]
            span = f"{printed[0]}..{printed[-1]}" if printed else "none (give the PDF page)"
            raise UsageError(
                f"--page s. {label}: {record['doc_id']} has no page printed as {label!r}; "
                f"its printed numbers: {span}; PDF pages 1..{len(pages)}"
            )
        return record, found
    assert page is not None
    if not 1 <= page <= len(pages):
        raise UsageError(f"--page {page}: {record['doc_id']} has pages 1..{len(pages)}")
    return record, pages[page - 1]


def all_records(config: Config) -> list[dict[str, Any]]:
    with _open(config) as catalog:
        return records_of(catalog)


def records_of(catalog: Catalog) -> list[dict[str, Any]]:
    return [document_record(catalog, row) for row in catalog.documents()]


def records_with_datestamps(catalog: Catalog) -> list[tuple[dict[str, Any], str]]:
    """Each record with the moment its document last changed in the archive (first seen, new
    file, gone from its site, back again): an OAI-PMH datestamp, as an ISO time in UTC."""
    changed = catalog.last_changed()
    out = []
    for record in records_of(catalog):
        moments = (record["first_seen"], record.get("gone_since"), changed.get(record["sha256"]))
        out.append((record, max(m for m in moments if m)))
    return out


def archive_status(
    config: Config, index_state: Callable[[list[Document]], dict[str, Any]]
) -> dict[str, Any]:
    """The archive in figures; `index_state(rows)` gives the index part (search owns it)."""

    try:
        catalog = _open(config)
    except ArchiveError:
        return {"archive_dir": str(config.archive_dir), "documents": 0, "catalog": False}
    with catalog:
        counts = catalog.counts()
        last = catalog.last_run("update") or catalog.last_run("crawl")
        last_any = catalog.latest_run()
        by_type: dict[str, int] = {}
        rows = catalog.documents()
        index = index_state(rows)
        for row in rows:
            t = row.tag_values.get("type") or "untagged"
            by_type[t] = by_type.get(t, 0) + 1
        warc = warc_status(config.archive_dir, catalog)
    return {
        "archive_dir": str(config.archive_dir),
        "index_dir": str(config.index_dir),
        **counts,
        "by_type": by_type,
        "last_crawl": last.finished if last else None,
        "last_run": run_record(last_any) if last_any else None,
        "warc": warc,
        "index": index,
    }


def run_record(row: Run) -> dict[str, Any]:
    """A run as status shows it: its report an object, never JSON inside a string."""
    run = asdict(row)
    try:
        run["report"] = json.loads(run["report"]) if run.get("report") else None
    except ValueError:
        run["report"] = {"unreadable": run["report"]}
    return run


def archive_changes(config: Config, since: str) -> dict[str, Any]:
    with _open(config) as catalog:
        return changes_since(catalog, since)


def changes_since(catalog: Catalog, since: str) -> dict[str, Any]:
    """New, changed, gone and returned documents since a date (YYYY-MM-DD or an ISO time)."""
    from kooperacja.dates import parse_moment

    moment = parse_moment(since)
    if moment is None:
        raise UsageError(
            f"--since {since!r}: not a date; expected a day like 2026-01-31 (or an ISO time)"
        )
    out = []
    for change in catalog.changes_since(moment.strftime("%Y-%m-%dT%H:%M:%SZ")):
        event, tags = change.event, change.tag_values
        out.append(
            {
                "at": event.at,
                "change": event.kind,
                "doc_id": change.doc_id,
                "partner": event.partner,
                "title": tags.get("title", ""),
                "type": tags.get("type", ""),
                "url": event.url,
                "found_on": event.found_on,
                "detail": event.detail,
            }
        )
    return {"since": since, "changes": out}
