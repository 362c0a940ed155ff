"""The catalogue's rows as frozen values: what the catalogue hands out instead of database rows.

Each table's columns are written here once, as the fields of its row type with their SQL
declaration beside them: the schema's DDL, the migrations' added columns and every SELECT are
made from these fields, so a column cannot be added in one place and forgotten in another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any


def column(sql: str) -> Any:
    """A field that is a table column declared as `sql` (its type and constraints)."""
    return field(metadata={"sql": sql})


def column_names(row_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(row_type) if "sql" in f.metadata)


def column_sql(row_type: type, name: str) -> str:
    """The declaration of one column, as `ALTER TABLE ... ADD COLUMN` takes it."""
    found = next(f for f in fields(row_type) if f.name == name)
    return f"{name} {found.metadata['sql']}"


def select_list(row_type: type, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + name for name in column_names(row_type))


@dataclass(frozen=True)
class Document:
    """A catalogued document: a PDF, office file, HTML page or film, known by its SHA-256."""

    sha256: str = column("TEXT PRIMARY KEY")
    doc_id: str = column("TEXT NOT NULL")
    media_type: str = column("TEXT NOT NULL")
    size_bytes: int = column("INTEGER NOT NULL")
    local_path: str = column("TEXT NOT NULL")
    first_seen: str = column("TEXT NOT NULL")
    last_seen: str = column("TEXT NOT NULL")
    status: str = column("TEXT NOT NULL DEFAULT 'online'")
    gone_since: str | None = column("TEXT")
    replaces: str | None = column("TEXT")
    replaced_by: str | None = column("TEXT")
    filename: str | None = column("TEXT")
    html_title: str | None = column("TEXT")
    text_status: str = column("TEXT NOT NULL DEFAULT 'pending'")
    text_error: str | None = column("TEXT")
    pages: int | None = column("INTEGER")
    extract_version: int | None = column("INTEGER")
    pdf_meta: str | None = column("TEXT")  # JSON
    tags: str | None = column("TEXT")  # JSON
    tag_version: int | None = column("INTEGER")
    blob_sha256: str | None = column("TEXT")  # of the stored file (an HTML page's id: its text's)
    charset: str | None = column("TEXT")  # the charset the server declared for an HTML page
    blob_checked: str | None = column("TEXT")  # "size:mtime_ns" when its hash last matched
    ocr_pages: int | None = column("INTEGER")  # pages whose text was read by OCR
    ocr_confidence: float | None = column("REAL")  # their mean word confidence (0-100)
    ocr_mode: str | None = column("TEXT")  # the OCR mode the extraction ran with
    # the version of extract/recommendations.py its recommendations were read with (NULL: not yet)
    recommendations_version: int | None = column("INTEGER")

    @property
    def stored_sha256(self) -> str:
        """The SHA-256 the stored file must have (an HTML page is known by its text's hash)."""
        return self.blob_sha256 or self.sha256

    @property
    def tag_values(self) -> dict[str, Any]:
        return json.loads(self.tags) if self.tags else {}

    @property
    def pdf_metadata(self) -> dict[str, str]:
        return json.loads(self.pdf_meta) if self.pdf_meta else {}


@dataclass(frozen=True)
class RecommendationRow:
    """A numbered recommendation of a document (its id: `<doc_id>-<number>`); lists as JSON."""

    id: str = column("TEXT PRIMARY KEY")
    sha256: str = column("TEXT NOT NULL")  # the document
    number: int = column("INTEGER NOT NULL")
    title: str = column("TEXT NOT NULL DEFAULT ''")
    addressees: str = column("TEXT NOT NULL DEFAULT '[]'")  # JSON: as listed
    addressee_kinds: str = column("TEXT NOT NULL DEFAULT '[]'")  # JSON: models.ADDRESSEE_KINDS
    text: str = column("TEXT NOT NULL DEFAULT ''")
    page: int = column("INTEGER NOT NULL")  # 1-based PDF page where it starts
    page_label: str = column("TEXT NOT NULL DEFAULT ''")  # that page as printed
    last_page: int = column("INTEGER NOT NULL")

    @property
    def addressee_list(self) -> list[str]:
        return json.loads(self.addressees)

    @property
    def kind_list(self) -> list[str]:
        return json.loads(self.addressee_kinds)


@dataclass(frozen=True)
class Url:
    """A URL the crawl asked for: a page or a document, with what its server last said."""

    url: str = column("TEXT PRIMARY KEY")
    partner: str = column("TEXT NOT NULL")
    kind: str = column("TEXT NOT NULL")  # page | document | video
    sha256: str | None = column("TEXT")  # the current document at this URL
    etag: str | None = column("TEXT")
    last_modified: str | None = column("TEXT")
    first_seen: str = column("TEXT NOT NULL")
    last_seen: str = column("TEXT NOT NULL")
    last_status: str | None = column("TEXT")
    last_error: str | None = column("TEXT")
    last_checked: str | None = column("TEXT")  # when the server last answered about it
    failed_nights: int = column("INTEGER NOT NULL DEFAULT 0")  # consecutive failing days
    last_failed: str | None = column("TEXT")  # the day of the last failure (YYYY-MM-DD)


@dataclass(frozen=True)
class UrlState:
    """What the crawl needs to know of a URL before asking for it again."""

    url: str
    kind: str
    sha256: str | None
    etag: str | None
    last_modified: str | None
    last_checked: str | None = None
    last_status: str | None = None


@dataclass(frozen=True)
class Link:
    """A link to `url` seen on the page `found_on`."""

    url: str = column("TEXT NOT NULL")
    found_on: str = column("TEXT NOT NULL")
    partner: str = column("TEXT NOT NULL")
    link_text: str = column("TEXT NOT NULL DEFAULT ''")
    context: str = column("TEXT NOT NULL DEFAULT ''")
    first_seen: str = column("TEXT NOT NULL")
    last_seen: str = column("TEXT NOT NULL")


@dataclass(frozen=True)
class DocUrl:
    """A URL a document was found at, for a partner."""

    sha256: str = column("TEXT NOT NULL")
    url: str = column("TEXT NOT NULL")
    partner: str = column("TEXT NOT NULL")
    first_seen: str = column("TEXT NOT NULL")
    last_seen: str = column("TEXT NOT NULL")


@dataclass(frozen=True)
class DocPartner:
    """A partner listing a document (until `gone_since`)."""

    sha256: str = column("TEXT NOT NULL")
    partner: str = column("TEXT NOT NULL")
    first_seen: str = column("TEXT NOT NULL")
    last_seen: str = column("TEXT NOT NULL")
    gone_since: str | None = column("TEXT")


@dataclass(frozen=True)
class Run:
    """One run of a command over the archive, with its report (JSON) once finished."""

    id: int = column("INTEGER PRIMARY KEY")
    command: str = column("TEXT NOT NULL")
    started: str = column("TEXT NOT NULL")
    finished: str | None = column("TEXT")
    pid: int | None = column("INTEGER")
    outcome: str | None = column("TEXT")
    report: str | None = column("TEXT")


@dataclass(frozen=True)
class Event:
    """Something a run saw happen: new | changed | gone | returned | skipped | failed | …"""

    id: int = column("INTEGER PRIMARY KEY")
    run_id: int | None = column("INTEGER")
    at: str = column("TEXT NOT NULL")
    kind: str = column("TEXT NOT NULL")
    partner: str | None = column("TEXT")
    sha256: str | None = column("TEXT")
    url: str | None = column("TEXT")
    detail: str | None = column("TEXT")
    found_on: str | None = column("TEXT")  # for a failed link: the page that links it


@dataclass(frozen=True)
class Change:
    """An event that changed what the archive holds, with its document's id and tags."""

    event: Event
    doc_id: str | None
    tags: str | None

    @property
    def tag_values(self) -> dict[str, Any]:
        return json.loads(self.tags) if self.tags else {}


@dataclass(frozen=True)
class CaptureEntry:
    """Where one HTTP response (or a revisit of one) lies in the archive's WARC files."""

    id: int = column("INTEGER PRIMARY KEY")
    url: str = column("TEXT NOT NULL")
    at: str = column("TEXT NOT NULL")  # WARC-Date
    record_type: str = column("TEXT NOT NULL")  # response | revisit
    http_status: int = column("INTEGER NOT NULL")
    payload_sha256: str = column("TEXT NOT NULL")  # hex; '' for a revisit of an unknown capture
    warc: str = column("TEXT NOT NULL")  # file, relative to the archive folder
    offset: int = column("INTEGER NOT NULL")
    record_id: str = column("TEXT NOT NULL")


@dataclass(frozen=True)
class CaptureSummary:
    """How many answers the WARC files hold, and when the last was captured."""

    captures: int
    last_capture: str | None
