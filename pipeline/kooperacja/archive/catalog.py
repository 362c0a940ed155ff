"""The SQLite catalogue: documents, every URL and page they were found at, runs and changes.

WAL mode, one transaction per item: a crash loses at most the item in hand. The catalogue refuses
to open a database written by a newer version rather than guess at its meaning.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kooperacja.archive.store import file_sha256
from kooperacja.dates import now_iso
from kooperacja.errors import ArchiveError

# v2: urls.last_checked; v3: documents.blob_sha256 and charset; v4: documents.ocr_pages,
# ocr_confidence, ocr_mode; v5: urls.failed_nights and last_failed, events.found_on;
# v6: documents.blob_checked
SCHEMA_VERSION = 6
CATALOG_NAME = "catalog.sqlite"
OCR_COLUMNS = (("ocr_pages", "INTEGER"), ("ocr_confidence", "REAL"), ("ocr_mode", "TEXT"))

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    local_path TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'online',
    gone_since TEXT,
    replaces TEXT,
    replaced_by TEXT,
    filename TEXT,
    html_title TEXT,
    text_status TEXT NOT NULL DEFAULT 'pending',
    text_error TEXT,
    pages INTEGER,
    extract_version INTEGER,
    pdf_meta TEXT,
    tags TEXT,
    tag_version INTEGER,
    blob_sha256 TEXT,              -- SHA-256 of the stored file (an HTML page's id is its text's)
    charset TEXT,                  -- the charset the server declared for an HTML page
    blob_checked TEXT,             -- "size:mtime_ns" of the file when its hash last matched
    ocr_pages INTEGER,             -- pages whose text was read by OCR
    ocr_confidence REAL,           -- their mean word confidence (0-100)
    ocr_mode TEXT                  -- the OCR mode the extraction ran with: never | auto | force
);
CREATE INDEX IF NOT EXISTS documents_doc_id ON documents (doc_id);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    partner TEXT NOT NULL,
    kind TEXT NOT NULL,            -- page | document
    sha256 TEXT,                   -- current document at this URL
    etag TEXT,
    last_modified TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_status TEXT,
    last_error TEXT,
    last_checked TEXT,             -- when the server was last asked about it (ok or 304)
    failed_nights INTEGER NOT NULL DEFAULT 0,  -- consecutive days on which asking it failed
    last_failed TEXT               -- the day of the last failure (YYYY-MM-DD)
);
CREATE TABLE IF NOT EXISTS links (
    url TEXT NOT NULL,
    found_on TEXT NOT NULL,
    partner TEXT NOT NULL,
    link_text TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (url, found_on)
);
CREATE INDEX IF NOT EXISTS links_found_on ON links (found_on);
CREATE TABLE IF NOT EXISTS doc_urls (
    sha256 TEXT NOT NULL,
    url TEXT NOT NULL,
    partner TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (sha256, url)
);
CREATE TABLE IF NOT EXISTS doc_partners (
    sha256 TEXT NOT NULL,
    partner TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    gone_since TEXT,
    PRIMARY KEY (sha256, partner)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    pid INTEGER,
    outcome TEXT,
    report TEXT
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,            -- new | changed | gone | returned | skipped | failed
    partner TEXT,
    sha256 TEXT,
    url TEXT,
    detail TEXT,
    found_on TEXT                  -- for a failed link: the page that links it
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE TABLE IF NOT EXISTS captures (  -- where each HTTP response lies in the WARC files
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    at TEXT NOT NULL,              -- WARC-Date
    record_type TEXT NOT NULL,     -- response | revisit
    http_status INTEGER NOT NULL,
    payload_sha256 TEXT NOT NULL,  -- hex; '' for a revisit of an unknown capture
    warc TEXT NOT NULL,            -- file, relative to the archive folder
    offset INTEGER NOT NULL,
    record_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS captures_url ON captures (url);
"""


@dataclass(frozen=True)
class UrlState:
    url: str
    kind: str
    sha256: str | None
    etag: str | None
    last_modified: str | None
    last_checked: str | None = None
    last_status: str | None = None


class Catalog:
    """A connection to the catalogue; create one per run and close it (or use `with`)."""

    def __init__(self, archive_dir: Path, *, create: bool = True, readonly: bool = False):
        self.archive_dir = archive_dir
        path = archive_dir / CATALOG_NAME
        if not path.exists() and (readonly or not create):
            raise ArchiveError(f"no catalogue at {path}: run 'kooperacja update' (or crawl) first")
        if readonly:
            self._open_readonly(path)
            return
        try:
            archive_dir.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(f"cannot open the catalogue {path}: {exc}") from None
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise ArchiveError(
                f"the catalogue {path} is damaged ({exc}): restore it from a backup"
            ) from None

    def _open_readonly(self, path: Path) -> None:
        """A connection that cannot write (the web page): no schema created, no migration."""
        try:
            self.db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30, isolation_level=None
            )
            self.db.row_factory = sqlite3.Row
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read the catalogue {path}: {exc}") from None
        if row is None or int(row[0]) != SCHEMA_VERSION:
            self.db.close()
            raise ArchiveError(
                f"the catalogue {path} is schema v{row[0] if row else '?'}, this version reads "
                f"v{SCHEMA_VERSION}: run 'kooperacja update' with this version first"
            )

    def _migrate(self) -> None:
        self.db.executescript(SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        elif int(row[0]) > SCHEMA_VERSION:
            raise ArchiveError(
                f"the catalogue is schema v{row[0]}, written by a newer kooperacja; this version "
                f"reads v{SCHEMA_VERSION}: upgrade kooperacja"
            )
        elif int(row[0]) < SCHEMA_VERSION:
            with self.transaction():
                self._add_missing_columns()
                self.db.execute(
                    "UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),)
                )

    def _add_missing_columns(self) -> None:
        urls = {r[1] for r in self.db.execute("PRAGMA table_info(urls)")}
        if "last_checked" not in urls:
            # NULL: every archived document is asked for once more, then spread out.
            self.db.execute("ALTER TABLE urls ADD COLUMN last_checked TEXT")
        if "failed_nights" not in urls:
            self.db.execute(
                "ALTER TABLE urls ADD COLUMN failed_nights INTEGER NOT NULL DEFAULT 0"
            )
            self.db.execute("ALTER TABLE urls ADD COLUMN last_failed TEXT")
        events = {r[1] for r in self.db.execute("PRAGMA table_info(events)")}
        if "found_on" not in events:
            self.db.execute("ALTER TABLE events ADD COLUMN found_on TEXT")
        documents = {r[1] for r in self.db.execute("PRAGMA table_info(documents)")}
        if "charset" not in documents:
            self.db.execute("ALTER TABLE documents ADD COLUMN charset TEXT")
        if "blob_checked" not in documents:
            self.db.execute("ALTER TABLE documents ADD COLUMN blob_checked TEXT")
        for column, kind in OCR_COLUMNS:
            if column not in documents:
                self.db.execute(f"ALTER TABLE documents ADD COLUMN {column} {kind}")
        if "blob_sha256" not in documents:
            self.db.execute("ALTER TABLE documents ADD COLUMN blob_sha256 TEXT")
            # A file's bytes are its identity, except an HTML page's (its text's hash), whose
            # stored bytes are taken as they are now: from here on verify checks them unchanged.
            self.db.execute(
                "UPDATE documents SET blob_sha256=sha256 WHERE media_type != 'text/html'"
            )
            self._hash_stored_pages()

    def _hash_stored_pages(self) -> None:
        rows = self.db.execute(
            "SELECT sha256, local_path FROM documents WHERE blob_sha256 IS NULL"
        ).fetchall()
        for sha, rel in rows:
            path = self.archive_dir / rel
            if path.is_file():
                self.db.execute(
                    "UPDATE documents SET blob_sha256=? WHERE sha256=?", (file_sha256(path), sha)
                )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- runs and events -------------------------------------------------------------------

    def start_run(self, command: str, pid: int) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (command, started, pid) VALUES (?, ?, ?)", (command, now_iso(), pid)
        )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, outcome: str, report: Mapping[str, Any]) -> None:
        self.db.execute(
            "UPDATE runs SET finished=?, outcome=?, report=? WHERE id=?",
            (now_iso(), outcome, json.dumps(report, ensure_ascii=False), run_id),
        )

    def add_event(
        self,
        run_id: int | None,
        kind: str,
        *,
        partner: str | None = None,
        sha256: str | None = None,
        url: str | None = None,
        detail: str = "",
        found_on: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO events (run_id, at, kind, partner, sha256, url, detail, found_on) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (run_id, now_iso(), kind, partner, sha256, url, detail, found_on),
        )

    def events_since(self, since: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT e.*, d.doc_id, d.tags FROM events e LEFT JOIN documents d USING (sha256) "
            "WHERE e.at >= ? AND e.kind IN ('new','changed','gone','returned','link_failed') "
            "ORDER BY e.id",
            (since,),
        ).fetchall()

    def latest_run(self) -> sqlite3.Row | None:
        """The run started last, finished or not (a run killed outright never finishes)."""
        return self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()

    def last_run(self, command: str | None = None) -> sqlite3.Row | None:
        sql = "SELECT * FROM runs WHERE finished IS NOT NULL"
        args: tuple = ()
        if command:
            sql += " AND command = ?"
            args = (command,)
        return self.db.execute(sql + " ORDER BY id DESC LIMIT 1", args).fetchone()

    # --- URLs ------------------------------------------------------------------------------

    def url_state(self, url: str) -> UrlState | None:
        row = self.db.execute(
            "SELECT url, kind, sha256, etag, last_modified, last_checked, last_status "
            "FROM urls WHERE url=?",
            (url,),
        ).fetchone()
        return UrlState(**dict(row)) if row else None

    def last_modified(self, url: str) -> str:
        """The Last-Modified its server last gave for `url`; "" if none."""
        row = self.db.execute("SELECT last_modified FROM urls WHERE url=?", (url,)).fetchone()
        return (row[0] or "") if row else ""

    def record_url(
        self,
        url: str,
        partner: str,
        kind: str,
        *,
        sha256: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        status: str = "ok",
        error: str | None = None,
        keep_validators: bool = False,
    ) -> None:
        now = now_iso()
        asked = now if status in ("ok", "not_modified") else None  # the server answered
        self.db.execute(
            """INSERT INTO urls (url, partner, kind, sha256, etag, last_modified, first_seen,
                                 last_seen, last_status, last_error, last_checked)
               VALUES (?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(url) DO UPDATE SET
                 last_checked=COALESCE(excluded.last_checked, urls.last_checked),
                 failed_nights=CASE WHEN excluded.last_checked IS NULL
                                    THEN urls.failed_nights ELSE 0 END,
                 kind=excluded.kind,
                 sha256=COALESCE(excluded.sha256, urls.sha256),
                 etag=CASE WHEN ? THEN urls.etag ELSE excluded.etag END,
                 last_modified=CASE WHEN ? THEN urls.last_modified ELSE excluded.last_modified END,
                 last_seen=excluded.last_seen, last_status=excluded.last_status,
                 last_error=excluded.last_error""",
            (
                url,
                partner,
                kind,
                sha256,
                etag,
                last_modified,
                now,
                now,
                status,
                error,
                asked,
                keep_validators,
                keep_validators,
            ),
        )

    def count_failed_night(self, url: str) -> int:
        """Count today as a failing night of `url` (once a day, however often cron runs) and
        return how many consecutive nights it has failed; an answer from the server resets it."""
        today = now_iso()[:10]
        self.db.execute(
            """UPDATE urls SET failed_nights = CASE WHEN last_failed = ? THEN failed_nights
                                                     ELSE failed_nights + 1 END,
                               last_failed = ? WHERE url = ?""",
            (today, today, url),
        )
        row = self.db.execute("SELECT failed_nights FROM urls WHERE url=?", (url,)).fetchone()
        return int(row[0]) if row else 1

    def record_link(
        self, url: str, found_on: str, partner: str, link_text: str, context: str = ""
    ) -> None:
        now = now_iso()
        self.db.execute(
            """INSERT INTO links (url, found_on, partner, link_text, context, first_seen, last_seen)
               VALUES (?,?,?,?,?,?,?)
               ON CONFLICT(url, found_on) DO UPDATE SET
                 link_text=CASE WHEN excluded.link_text != '' THEN excluded.link_text
                                ELSE links.link_text END,
                 context=CASE WHEN excluded.context != '' THEN excluded.context
                              ELSE links.context END,
                 last_seen=excluded.last_seen""",
            (url, found_on, partner, link_text, context, now, now),
        )

    def link_known(self, url: str, found_on: str, link_text: str) -> bool:
        """Whether this page already linked `url` with this text (before this run recorded it)."""
        row = self.db.execute(
            "SELECT link_text FROM links WHERE url=? AND found_on=?", (url, found_on)
        ).fetchone()
        return row is not None and (row[0] == link_text or not link_text)

    def links_on(self, page_url: str) -> list[tuple[str, str]]:
        """Links last seen on a page: what a 304 answer lets the crawl follow again."""
        return [
            (r["url"], r["link_text"])
            for r in self.db.execute(
                "SELECT url, link_text FROM links WHERE found_on=? ORDER BY rowid", (page_url,)
            )
        ]

    # --- WARC captures ---------------------------------------------------------------------

    def add_capture(self, capture: Any) -> None:
        """Record where a `harvest.warc.Capture` lies."""
        self.db.execute(
            "INSERT INTO captures (url, at, record_type, http_status, payload_sha256, warc, "
            "offset, record_id) VALUES (?,?,?,?,?,?,?,?)",
            (
                capture.url,
                capture.date,
                capture.record_type,
                capture.http_status,
                capture.payload_sha256,
                capture.filename,
                capture.offset,
                capture.record_id,
            ),
        )

    def last_response_capture(self, url: str) -> sqlite3.Row | None:
        """The latest full answer (200 and the like) recorded for `url`: what a 304 confirms."""
        return self.db.execute(
            "SELECT * FROM captures WHERE url=? AND record_type='response' AND http_status < 300 "
            "ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()

    def captures(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM captures ORDER BY id").fetchall()

    # --- documents -------------------------------------------------------------------------

    def document(self, sha256: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM documents WHERE sha256=?", (sha256,)).fetchone()

    def find_document(self, doc_id: str) -> list[sqlite3.Row]:
        key = doc_id.strip().lower()
        if len(key) == 64:
            return self.db.execute("SELECT * FROM documents WHERE sha256=?", (key,)).fetchall()
        return self.db.execute(
            "SELECT * FROM documents WHERE doc_id=? OR sha256 LIKE ?", (key, key + "%")
        ).fetchall()

    def documents(self, where: str = "1=1", args: tuple = ()) -> list[sqlite3.Row]:
        return self.db.execute(
            f"SELECT * FROM documents WHERE {where} ORDER BY first_seen, sha256", args
        ).fetchall()

    def add_document(
        self,
        sha256: str,
        media_type: str,
        size_bytes: int,
        local_path: str,
        *,
        filename: str | None = None,
        html_title: str | None = None,
        replaces: str | None = None,
        blob_sha256: str | None = None,
        charset: str | None = None,
    ) -> bool:
        """Insert a document; False if it was already catalogued. `blob_sha256` is the hash of
        the stored file when it is not the document's identity (an HTML page)."""
        now = now_iso()
        cur = self.db.execute(
            """INSERT OR IGNORE INTO documents (sha256, doc_id, media_type, size_bytes, local_path,
                 first_seen, last_seen, filename, html_title, replaces, blob_sha256, charset)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                sha256,
                sha256[:12],
                media_type,
                size_bytes,
                local_path,
                now,
                now,
                filename,
                html_title,
                replaces,
                blob_sha256 or sha256,
                charset,
            ),
        )
        if cur.rowcount and replaces:
            self.db.execute("UPDATE documents SET replaced_by=? WHERE sha256=?", (sha256, replaces))
        return bool(cur.rowcount)

    def note_checked(self, sha256: str, stamp: str) -> None:
        """The document's file holds its recorded bytes, with this size and time (`file_stamp`)."""
        self.db.execute("UPDATE documents SET blob_checked=? WHERE sha256=?", (stamp, sha256))

    def sighting(self, sha256: str, url: str, partner: str) -> bool:
        """Record that a document was seen at `url` for `partner`; True if it had been gone."""
        now = now_iso()
        db = self.db
        db.execute(
            """INSERT INTO doc_urls (sha256, url, partner, first_seen, last_seen) VALUES (?,?,?,?,?)
               ON CONFLICT(sha256, url) DO UPDATE SET last_seen=excluded.last_seen""",
            (sha256, url, partner, now, now),
        )
        db.execute(
            """INSERT INTO doc_partners (sha256, partner, first_seen, last_seen) VALUES (?,?,?,?)
               ON CONFLICT(sha256, partner) DO UPDATE SET last_seen=excluded.last_seen,
                 gone_since=NULL""",
            (sha256, partner, now, now),
        )
        was_gone = db.execute(
            "SELECT status='gone' FROM documents WHERE sha256=?", (sha256,)
        ).fetchone()
        db.execute(
            "UPDATE documents SET last_seen=?, status='online', gone_since=NULL WHERE sha256=?",
            (now, sha256),
        )
        return bool(was_gone and was_gone[0])

    def mark_gone(self, partner: str, seen: set[str]) -> list[str]:
        """After a complete crawl of `partner`: its documents not in `seen` lose this partner.

        A document becomes `gone` when no partner lists it any more. Returns those newly gone.
        """
        rows = self.db.execute(
            "SELECT sha256 FROM doc_partners WHERE partner=? AND gone_since IS NULL", (partner,)
        ).fetchall()
        return [sha for (sha,) in rows if sha not in seen and self.drop_partner(sha, partner)]

    def drop_partner(self, sha256: str, partner: str) -> bool:
        """`partner` no longer lists the document; True if that made it `gone` (never deleted)."""
        now = now_iso()
        self.db.execute(
            "UPDATE doc_partners SET gone_since=? WHERE sha256=? AND partner=? "
            "AND gone_since IS NULL",
            (now, sha256, partner),
        )
        still = self.db.execute(
            "SELECT COUNT(*) FROM doc_partners WHERE sha256=? AND gone_since IS NULL", (sha256,)
        ).fetchone()[0]
        if still:
            return False
        cur = self.db.execute(
            "UPDATE documents SET status='gone', gone_since=? WHERE sha256=? AND status!='gone'",
            (now, sha256),
        )
        return bool(cur.rowcount)

    def set_extracted(
        self,
        sha256: str,
        text_status: str,
        text_error: str | None,
        pages: int | None,
        pdf_meta: Mapping[str, str],
        version: int,
        *,
        ocr_pages: int = 0,
        ocr_confidence: float | None = None,
        ocr_mode: str = "never",
    ) -> None:
        self.db.execute(
            """UPDATE documents SET text_status=?, text_error=?, pages=?, pdf_meta=?,
                 extract_version=?, ocr_pages=?, ocr_confidence=?, ocr_mode=? WHERE sha256=?""",
            (
                text_status,
                text_error,
                pages,
                json.dumps(dict(pdf_meta), ensure_ascii=False),
                version,
                ocr_pages,
                ocr_confidence,
                ocr_mode,
                sha256,
            ),
        )

    def reset_extraction(self, sha256: str) -> None:
        """Have the next extract read this document again."""
        self.db.execute("UPDATE documents SET text_status='pending' WHERE sha256=?", (sha256,))

    def set_tags(self, sha256: str, tags: Mapping[str, Any], version: int) -> None:
        self.db.execute(
            "UPDATE documents SET tags=?, tag_version=? WHERE sha256=?",
            (json.dumps(dict(tags), ensure_ascii=False), version, sha256),
        )

    def urls_of(self, sha256: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT url, partner, first_seen, last_seen FROM doc_urls WHERE sha256=? "
            "ORDER BY rowid",
            (sha256,),
        ).fetchall()

    def partners_of(self, sha256: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT partner FROM doc_partners WHERE sha256=? ORDER BY rowid",
                (sha256,),
            )
        ]

    def links_to(self, urls: list[str]) -> list[sqlite3.Row]:
        if not urls:
            return []
        marks = ",".join("?" * len(urls))
        return self.db.execute(
            f"SELECT url, found_on, link_text, context FROM links WHERE url IN ({marks}) "
            "ORDER BY rowid",
            urls,
        ).fetchall()

    def counts(self) -> dict[str, Any]:
        q = self.db.execute
        return {
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "by_status": dict(
                q("SELECT status, COUNT(*) FROM documents GROUP BY status").fetchall()
            ),
            "by_text_status": dict(
                q("SELECT text_status, COUNT(*) FROM documents GROUP BY text_status").fetchall()
            ),
            "by_partner": dict(
                q("SELECT partner, COUNT(*) FROM doc_partners GROUP BY partner").fetchall()
            ),
            "pages": q("SELECT COALESCE(SUM(pages), 0) FROM documents").fetchone()[0],
            "ocr_pages": q("SELECT COALESCE(SUM(ocr_pages), 0) FROM documents").fetchone()[0],
            "bytes": q("SELECT COALESCE(SUM(size_bytes), 0) FROM documents").fetchone()[0],
        }
