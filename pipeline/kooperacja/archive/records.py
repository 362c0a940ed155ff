"""Catalogue rows as the records the outside world sees (the contract's export fields) and as
what the index and the tagger need."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.rows import Document
from kooperacja.archive.store import ocr_pdf_relpath, pages_of, read_text_file
from kooperacja.filetypes import document_format
from kooperacja.models import IndexDoc, PageText


def tags_of(row: Document) -> dict[str, Any]:
    return row.tag_values


def document_record(catalog: Catalog, row: Document) -> dict[str, Any]:
    tags = tags_of(row)
    urls = catalog.urls_of(row.sha256)
    source_urls = [u.url for u in urls]
    found_on = list(dict.fromkeys(r.found_on for r in catalog.links_to(source_urls)))
    partners = tags.get("partners") or catalog.partners_of(row.sha256)
    record = {
        "doc_id": row.doc_id,
        "sha256": row.sha256,
        "title": tags.get("title") or row.html_title or row.filename or row.doc_id,
        "type": tags.get("type", "other"),
        "partner": tags.get("partner") or (partners[0] if partners else ""),
        "partners": list(partners),
        "region": tags.get("region", ""),
        "year": tags.get("year"),
        "date": tags.get("date"),
        "language": tags.get("language", ""),
        "pages": row.pages,
        "size_bytes": row.size_bytes,
        "media_type": row.media_type,
        "url": source_urls[0] if source_urls else "",
        "source_urls": source_urls,
        "found_on": found_on,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "status": row.status,
        "local_path": row.local_path,
        "tag_reasons": dict(tags.get("reasons", {})),
        # The same as message codes, for readers in other languages (catalogues tagged before
        # codes were stored have none); never a column of the exports.
        "tag_reason_codes": dict(tags.get("reason_codes", {})),
        "text_status": row.text_status,
        "text_error": row.text_error,
        "ocr_pages": row.ocr_pages or 0,
        "ocr_confidence": row.ocr_confidence,
        "ocr_pdf": ocr_pdf_relpath(row.sha256) if row.text_status == "ocr" else None,
        "gone_since": row.gone_since,
        "replaces": row.replaces,
        "replaced_by": row.replaced_by,
        "municipality_type": tags.get("municipality_type", ""),
    }
    return record


# The tags the index holds of a document (through document_record). The others (the reasons,
# the tag stage's digest of its input) change whenever a page linking to the document does,
# and an update re-indexed two documents in three for one new document on the partners' lists
# (bench/RESULTS.md, issue 17, eighth session).
INDEXED_TAGS = ("title", "type", "partner", "partners", "year")


def index_fingerprint(row: Document, schema_version: int) -> str:
    """Changes whenever anything the index holds of the document changes; cheap to compute,
    so an update re-indexes only what changed."""
    tags = row.tag_values
    return hashlib.sha256(
        json.dumps(
            [schema_version, [tags.get(name) for name in INDEXED_TAGS], row.status,
             row.extract_version, row.text_status, row.ocr_confidence]
        ).encode()
    ).hexdigest()[:16]


def index_doc(
    catalog: Catalog, row: Document, schema_version: int, with_text: bool = True
) -> IndexDoc:
    """What the index holds of a document: its pages (one empty page when it has no text, so
    it is still found by its title) and the fields search filters on. Without `with_text` the
    pages are left to `with_pages` (read where the document is analysed)."""
    record = document_record(catalog, row)
    doc = IndexDoc(
        doc_id=row.doc_id,
        sha256=row.sha256,
        title=record["title"],
        type=record["type"],
        partners=tuple(record["partners"]),
        year=record["year"],
        status=row.status,
        url=record["url"],
        media_type=row.media_type,
        pages=(),
        fingerprint=index_fingerprint(row, schema_version),
        format=document_format(row.media_type, row.text_status),
        ocr_confidence=row.ocr_confidence,
    )
    return with_pages(catalog.archive_dir, doc) if with_text else doc


def with_pages(archive_dir: Path, doc: IndexDoc) -> IndexDoc:
    """`doc` with its stored pages and its own list of abbreviations."""
    payload = read_text_file(archive_dir, doc.sha256)
    pages = pages_of(payload) or [PageText(number=1, text="")]
    return replace(
        doc,
        pages=tuple(pages),
        abbreviations=tuple(
            (str(short), str(long)) for short, long in payload.get("abbreviations") or ()
        ),
    )
