"""What the web page reads from the archive, read-only: a document by id, a page's text, the
archived file's path (never outside the archive folder)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from kooperacja.archive.reading import (
    Catalog,
    document_pages,
    document_record,
    file_extension,
    find_one,
    open_readonly,
)
from kooperacja.errors import UsageError
from kooperacja.models import PageText
from kooperacja.text import fold, normalise


class NotFound(Exception):
    """A document, page or file that is not in the archive (the web page answers 404)."""


@contextmanager
def open_catalogue(archive_dir: Path) -> Iterator[Catalog]:
    catalog = open_readonly(archive_dir)
    try:
        yield catalog
    finally:
        catalog.close()


@dataclass(frozen=True)
class Document:
    record: dict[str, Any]
    sha256: str
    local_path: str
    media_type: str
    links: tuple[dict[str, str], ...]  # url, found_on, link_text: where each source URL was linked
    charset: str | None = None  # what the server declared for an HTML page
    filename: str | None = None  # as published: the URL's last segment or the server's name
    ocr_confidence: float | None = None  # mean word confidence (0-100) of its OCR'd pages

    @property
    def content_type(self) -> str:
        """The Content-Type the archived file is served with: an HTML page as it was sent."""
        if self.media_type == "text/html" and self.charset:
            return f"text/html; charset={self.charset}"
        return self.media_type


def load_version(catalog: Catalog, sha256: str | None) -> dict[str, Any] | None:
    """The record of another version of a document (`replaces`, `replaced_by`), if catalogued."""
    if not sha256:
        return None
    try:
        return load_document(catalog, sha256).record
    except NotFound:
        return None


def load_document(catalog: Catalog, doc_id: str) -> Document:
    """The document with this id (12 hex digits or the full SHA-256); NotFound otherwise."""
    try:
        row = find_one(catalog, doc_id)
    except UsageError as exc:  # not hex, unknown, or ambiguous
        raise NotFound(str(exc)) from None
    record = document_record(catalog, row)
    links = tuple(
        {"url": r.url, "found_on": r.found_on, "link_text": r.link_text}
        for r in catalog.links_to(record["source_urls"])
    )
    return Document(
        record, row.sha256, row.local_path, row.media_type, links, row.charset,
        row.filename, row.ocr_confidence,
    )  # fmt: skip


def document_page(archive_dir: Path, doc: Document, number: int) -> tuple[PageText, int]:
    """Page `number` (1-based) of the document's extracted text, and how many pages it has."""
    pages = document_pages(archive_dir, doc.sha256)
    if not 1 <= number <= len(pages):
        raise NotFound(f"{doc.record['doc_id']} has no page {number}")
    return pages[number - 1], len(pages)


def archived_file(archive_dir: Path, doc: Document) -> Path:
    """The document's bytes in the archive; NotFound when missing or outside the archive."""
    root = archive_dir.resolve()
    path = (root / doc.local_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(f"{doc.record['doc_id']}: archived file missing")
    return path


def file_name(doc_id: str, media_type: str) -> str:
    """The name a document's file is served under: its id and the extension of its kind."""
    return f"{doc_id}.{file_extension(media_type)}"


def download_name(doc: Document) -> str:
    """The name the file was published under ("Księga rekomendacyjna.doc"), with the extension
    of what it really is; its id and extension when it had no usable name (an HTML page)."""
    fallback = file_name(doc.record["doc_id"], doc.media_type)
    if doc.media_type == "text/html":
        return fallback
    raw = normalise(doc.filename or "").replace("\\", "/")
    name = "".join(  # printable, and nothing a Windows file name refuses
        ch if ch not in '<>:"|?*' else "_" for ch in PurePosixPath(raw).name if ch.isprintable()
    ).strip(" .")
    if not name:
        return fallback
    extension = file_extension(doc.media_type)
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.lower() != extension:
        stem = name
    return f"{stem[:150]}.{extension}"


def content_disposition(name: str, attachment: bool) -> str:
    """RFC 6266: the UTF-8 name (RFC 5987) and an ASCII one for clients that read only that."""
    ascii_name = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\;%' else "_"
        for ch in fold(name)
    )
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
