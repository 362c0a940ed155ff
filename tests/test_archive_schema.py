"""The catalogue's schema: made from the row types, older catalogues brought up by numbered steps
recorded in PRAGMA user_version, a newer one refused untouched."""

from __future__ import annotations

import sqlite3

import pytest

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.rows import Document, Url, column_names
from kooperacja.archive.schema import CATALOG_NAME, MIGRATIONS, SCHEMA_VERSION, migrate
from kooperacja.archive.store import file_sha256
from kooperacja.errors import ArchiveError

ADDED_SINCE_V1 = {
    "urls": ("last_checked", "failed_nights", "last_failed"),
    "events": ("found_on",),
    "documents": (
        "blob_sha256",
        "charset",
        "ocr_pages",
        "ocr_confidence",
        "ocr_mode",
        "blob_checked",
        "recommendations_version",
    ),
}


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def _version_1_catalogue(archive_dir) -> tuple[str, str]:
    """A catalogue as kooperacja v1 left it (no user_version, the version in `meta`), holding a
    PDF and an HTML page; returns the page's id and the hash of its stored bytes."""
    page = archive_dir / "blobs/aa/page.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(b"<html><body>Strona projektu</body></html>")
    with Catalog(archive_dir) as catalog, catalog.transaction():
        catalog.add_document("a" * 64, "text/html", 42, "blobs/aa/page.html")
        catalog.add_document("b" * 64, "application/pdf", 9, "blobs/bb/b.pdf")
    with sqlite3.connect(archive_dir / CATALOG_NAME) as db:
        for table, names in ADDED_SINCE_V1.items():
            for name in names:
                db.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
        db.execute("DROP TABLE recommendations")  # v7
        db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
        db.execute("PRAGMA user_version = 0")
    return "a" * 64, file_sha256(page)


def test_a_new_catalogue_has_every_column_of_its_row_types_and_the_current_version(tmp_path):
    with Catalog(tmp_path):
        pass
    db = sqlite3.connect(tmp_path / CATALOG_NAME)
    assert _columns(db, "documents") == list(column_names(Document))
    assert _columns(db, "urls") == list(column_names(Url))
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    db.close()


def test_the_steps_are_numbered_one_after_another():
    numbers = [n for n, _ in MIGRATIONS]
    assert numbers == list(range(2, SCHEMA_VERSION + 1))


def test_a_version_1_catalogue_gets_every_step_in_order(tmp_path):
    page_sha, page_bytes_sha = _version_1_catalogue(tmp_path)
    db = sqlite3.connect(tmp_path / CATALOG_NAME, isolation_level=None)
    assert migrate(db, tmp_path) == [2, 3, 4, 5, 6, 7]
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    for table, names in ADDED_SINCE_V1.items():
        assert set(names) <= set(_columns(db, table)), table
    blob = dict(db.execute("SELECT sha256, blob_sha256 FROM documents").fetchall())
    assert blob == {page_sha: page_bytes_sha, "b" * 64: "b" * 64}  # step 3 hashed the page
    assert _columns(db, "recommendations")[:3] == ["id", "sha256", "number"]  # step 7
    assert migrate(db, tmp_path) == []  # once up to date, nothing more
    db.close()
    with Catalog(tmp_path, readonly=True) as catalog:  # the web page reads it
        assert [d.doc_id for d in catalog.documents()] == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]


def test_a_catalogue_of_the_previous_numbering_is_read_by_its_meta_version(tmp_path):
    with Catalog(tmp_path):
        pass
    with sqlite3.connect(tmp_path / CATALOG_NAME) as db:
        db.execute("PRAGMA user_version = 0")  # as kooperacja wrote v6 before user_version
    db = sqlite3.connect(tmp_path / CATALOG_NAME, isolation_level=None)
    assert migrate(db, tmp_path) == []
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_newer_catalogue_is_refused_and_left_as_it_is(tmp_path):
    with Catalog(tmp_path):
        pass
    with sqlite3.connect(tmp_path / CATALOG_NAME) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ArchiveError, match=f"schema v{SCHEMA_VERSION + 1}.*upgrade kooperacja"):
        Catalog(tmp_path)
    db = sqlite3.connect(tmp_path / CATALOG_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    db.close()
