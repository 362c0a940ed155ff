"""The catalogue's tables, and the numbered steps that bring an older catalogue up to them.

A new catalogue is made whole from the row types (`archive/rows.py`) and marked with the current
version. An older one gets each step above its version, in order, in one transaction; the
version is recorded in `PRAGMA user_version` (and, for versions of kooperacja that read it
there, in `meta.schema_version`). A catalogue written before the numbering has user_version 0:
its version is the one `meta` holds. Each step adds only what its table lacks, so a catalogue
that already has part of a step (one restored mid-upgrade, one made by hand) is mended, not
broken.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kooperacja.archive.rows import (
    CaptureEntry,
    DocPartner,
    Document,
    DocUrl,
    Event,
    Link,
    RecommendationRow,
    Run,
    Url,
    column_names,
    column_sql,
)
from kooperacja.archive.store import file_sha256
from kooperacja.errors import ArchiveError

logger = logging.getLogger(__name__)

CATALOG_NAME = "catalog.sqlite"

# table -> (row type, table constraints after the columns)
TABLES: dict[str, tuple[type, str]] = {
    "documents": (Document, ""),
    "urls": (Url, ""),
    "links": (Link, "PRIMARY KEY (url, found_on)"),
    "doc_urls": (DocUrl, "PRIMARY KEY (sha256, url)"),
    "doc_partners": (DocPartner, "PRIMARY KEY (sha256, partner)"),
    "runs": (Run, ""),
    "events": (Event, ""),
    "captures": (CaptureEntry, ""),  # where each HTTP response lies in the WARC files
    "recommendations": (RecommendationRow, ""),  # numbered recommendations of the documents
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS documents_doc_id ON documents (doc_id)",
    "CREATE INDEX IF NOT EXISTS links_found_on ON links (found_on)",
    "CREATE INDEX IF NOT EXISTS events_at ON events (at)",
    "CREATE INDEX IF NOT EXISTS captures_url ON captures (url)",
    "CREATE INDEX IF NOT EXISTS recommendations_sha256 ON recommendations (sha256)",
)


def _create_table(db: sqlite3.Connection, table: str) -> None:
    row_type, constraints = TABLES[table]
    parts = [column_sql(row_type, name) for name in column_names(row_type)]
    if constraints:
        parts.append(constraints)
    db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(parts)})")


def create_tables(db: sqlite3.Connection) -> None:
    """Every table and index that is missing, as this version writes them."""
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for table in TABLES:
        _create_table(db, table)
    for index in INDEXES:
        db.execute(index)


def _add_columns(db: sqlite3.Connection, table: str, *names: str) -> None:
    have = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
    row_type = TABLES[table][0]
    for name in names:
        if name not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column_sql(row_type, name)}")


# --- the steps: step N brings a catalogue of version N-1 to version N ---------------------------


def _v2_urls_last_checked(db: sqlite3.Connection, archive_dir: Path) -> None:
    # NULL: every archived document is asked for once more, then spread out over the cycle.
    _add_columns(db, "urls", "last_checked")


def _v3_stored_file_hash_and_charset(db: sqlite3.Connection, archive_dir: Path) -> None:
    had_blob_sha256 = "blob_sha256" in {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    _add_columns(db, "documents", "blob_sha256", "charset")
    if had_blob_sha256:
        return
    # A file's bytes are its identity, except an HTML page's (its text's hash), whose stored
    # bytes are taken as they are now: from here on verify checks them unchanged.
    db.execute("UPDATE documents SET blob_sha256=sha256 WHERE media_type != 'text/html'")
    rows = db.execute(
        "SELECT sha256, local_path FROM documents WHERE blob_sha256 IS NULL"
    ).fetchall()
    for sha, rel in rows:
        path = archive_dir / rel
        if path.is_file():
            db.execute(
                "UPDATE documents SET blob_sha256=? WHERE sha256=?", (file_sha256(path), sha)
            )


def _v4_ocr(db: sqlite3.Connection, archive_dir: Path) -> None:
    _add_columns(db, "documents", "ocr_pages", "ocr_confidence", "ocr_mode")


def _v5_failing_links(db: sqlite3.Connection, archive_dir: Path) -> None:
    _add_columns(db, "urls", "failed_nights", "last_failed")
    _add_columns(db, "events", "found_on")


def _v6_file_check_stamp(db: sqlite3.Connection, archive_dir: Path) -> None:
    _add_columns(db, "documents", "blob_checked")


def _v7_recommendations(db: sqlite3.Connection, archive_dir: Path) -> None:
    # The table itself is made by create_tables; NULL: every document's recommendations are
    # read by the next extract from its stored text (no document is extracted again).
    _add_columns(db, "documents", "recommendations_version")


Step = Callable[[sqlite3.Connection, Path], None]
MIGRATIONS: tuple[tuple[int, Step], ...] = (
    (2, _v2_urls_last_checked),
    (3, _v3_stored_file_hash_and_charset),
    (4, _v4_ocr),
    (5, _v5_failing_links),
    (6, _v6_file_check_stamp),
    (7, _v7_recommendations),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def stored_version(db: sqlite3.Connection) -> int | None:
    """The catalogue's schema version; None for an empty database (a new catalogue)."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    has_meta = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
    ).fetchone()
    if not has_meta:
        return None
    row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else None


def _record_version(db: sqlite3.Connection, version: int) -> None:
    db.execute(f"PRAGMA user_version = {int(version)}")
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (str(version),),
    )


def migrate(db: sqlite3.Connection, archive_dir: Path) -> list[int]:
    """Make a new catalogue, or bring an older one up to `SCHEMA_VERSION`; return the steps
    applied. A catalogue of a newer version is refused, never touched. `db` is in autocommit
    mode (isolation_level None): the whole migration is one transaction, and a catalogue
    already up to date is only read (no write lock taken while a run is writing)."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return []
    db.execute("BEGIN IMMEDIATE")
    try:
        version = stored_version(db)
        if version is not None and version > SCHEMA_VERSION:
            raise ArchiveError(
                f"the catalogue is schema v{version}, written by a newer kooperacja; this "
                f"version reads v{SCHEMA_VERSION}: upgrade kooperacja"
            )
        create_tables(db)  # whole tables that are missing (a new catalogue: all of them)
        applied = []
        if version is not None:
            for number, step in MIGRATIONS:
                if number > version:
                    step(db, archive_dir)
                    applied.append(number)
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            _record_version(db, SCHEMA_VERSION)  # also moves a version from meta to here
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    if applied:
        logger.info("catalogue upgraded from schema v%s to v%s", version, SCHEMA_VERSION)
    return applied
