"""The SQLite catalogue: documents, every URL and page they were found at, runs and changes.

WAL mode, one transaction per item: a crash loses at most the item in hand. The catalogue refuses
to open a database written by a newer version rather than guess at its meaning (see `schema`).
Callers get frozen rows (`archive/rows.py`) from named queries, never SQL or database rows: the
catalogue's SQL stays in this folder.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kooperacja.archive.rows import (
    CaptureEntry,
    CaptureSummary,
    Change,
    Document,
    DocUrl,
    Event,
    Link,
    RecommendationRow,
    Run,
    UrlState,
    select_list,
)
from kooperacja.archive.schema import CATALOG_NAME, SCHEMA_VERSION, migrate, stored_version
from kooperacja.archive.writes import CatalogWrites
from kooperacja.errors import ArchiveError

__all__ = ["CATALOG_NAME", "SCHEMA_VERSION", "Catalog", "UrlState"]

logger = logging.getLogger(__name__)

DOCUMENTS = f"SELECT {select_list(Document)} FROM documents"
DOCUMENT_ORDER = " ORDER BY first_seen, sha256"
CHANGE_KINDS = ("new", "changed", "gone", "returned", "link_failed")


class Catalog(CatalogWrites):
    """A connection to the catalogue and its named queries (the writes are `CatalogWrites`);
    create one per run and close it (or use `with`)."""

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
            migrate(self.db, archive_dir)
        except ArchiveError:
            self.db.close()
            raise
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
            version = stored_version(self.db)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read the catalogue {path}: {exc}") from None
        if version != SCHEMA_VERSION:
            self.db.close()
            raise ArchiveError(
                f"the catalogue {path} is schema v{version or '?'}, this version reads "
                f"v{SCHEMA_VERSION}: run 'kooperacja update' with this version first"
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

    def changes_since(self, since: str) -> list[Change]:
        """Documents new, changed, gone or returned, and links failing, at or after `since`
        (an ISO time in UTC), oldest first."""
        marks = ",".join("?" * len(CHANGE_KINDS))
        rows = self.db.execute(
            f"SELECT {select_list(Event, 'e')}, d.doc_id, d.tags "
            "FROM events e LEFT JOIN documents d USING (sha256) "
            f"WHERE e.at >= ? AND e.kind IN ({marks}) ORDER BY e.id",
            (since, *CHANGE_KINDS),
        ).fetchall()
        return [Change(Event(*r[:-2]), r[-2], r[-1]) for r in rows]

    def last_changed(self) -> dict[str, str]:
        """sha256 -> when its document was last new, changed, gone or returned (ISO, UTC)."""
        kinds = CHANGE_KINDS[:4]
        rows = self.db.execute(
            f"SELECT sha256, MAX(at) FROM events WHERE sha256 IS NOT NULL "
            f"AND kind IN ({','.join('?' * len(kinds))}) GROUP BY sha256",
            kinds,
        ).fetchall()
        return {sha: at for sha, at in rows}

    def latest_run(self) -> Run | None:
        """The run started last, finished or not (a run killed outright never finishes)."""
        row = self.db.execute(
            f"SELECT {select_list(Run)} FROM runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return Run(*row) if row else None

    def last_run(self, command: str | None = None) -> Run | None:
        """The run finished last (of `command`, when given)."""
        sql = f"SELECT {select_list(Run)} FROM runs WHERE finished IS NOT NULL"
        args: tuple = ()
        if command:
            sql += " AND command = ?"
            args = (command,)
        row = self.db.execute(sql + " ORDER BY id DESC LIMIT 1", args).fetchone()
        return Run(*row) if row else None

    # --- URLs ------------------------------------------------------------------------------

    def url_state(self, url: str) -> UrlState | None:
        row = self.db.execute(
            "SELECT url, kind, sha256, etag, last_modified, last_checked, last_status "
            "FROM urls WHERE url=?",
            (url,),
        ).fetchone()
        return UrlState(*row) if row else None

    def last_modified(self, url: str) -> str:
        """The Last-Modified its server last gave for `url`; "" if none."""
        row = self.db.execute("SELECT last_modified FROM urls WHERE url=?", (url,)).fetchone()
        return (row[0] or "") if row else ""

    def link_known(self, url: str, found_on: str, link_text: str) -> bool:
        """Whether this page already linked `url` with this text (before this run recorded it)."""
        row = self.db.execute(
            "SELECT link_text FROM links WHERE url=? AND found_on=?", (url, found_on)
        ).fetchone()
        return row is not None and (row[0] == link_text or not link_text)

    def links_on(self, page_url: str) -> list[tuple[str, str]]:
        """Links last seen on a page: what a 304 answer lets the crawl follow again."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT url, link_text FROM links WHERE found_on=? ORDER BY rowid", (page_url,)
            )
        ]

    # --- WARC captures ---------------------------------------------------------------------

    def last_response_capture(self, url: str) -> CaptureEntry | None:
        """The latest full answer (200 and the like) recorded for `url`: what a 304 confirms."""
        row = self.db.execute(
            f"SELECT {select_list(CaptureEntry)} FROM captures WHERE url=? "
            "AND record_type='response' AND http_status < 300 ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()
        return CaptureEntry(*row) if row else None

    def captures(self) -> list[CaptureEntry]:
        """Every capture recorded, in the order they were written."""
        rows = self.db.execute(f"SELECT {select_list(CaptureEntry)} FROM captures ORDER BY id")
        return [CaptureEntry(*r) for r in rows]

    def capture_summary(self) -> CaptureSummary:
        count, last = self.db.execute("SELECT COUNT(*), MAX(at) FROM captures").fetchone()
        return CaptureSummary(captures=count, last_capture=last)

    # --- documents -------------------------------------------------------------------------

    def _documents(self, where: str, args: Sequence[Any] = ()) -> list[Document]:
        rows = self.db.execute(f"{DOCUMENTS} WHERE {where}{DOCUMENT_ORDER}", tuple(args))
        return [Document(*r) for r in rows]

    def document(self, sha256: str) -> Document | None:
        found = self._documents("sha256=?", (sha256,))
        return found[0] if found else None

    def find_document(self, doc_id: str) -> list[Document]:
        """The documents a short id (or a prefix, or the full SHA-256) may mean."""
        key = doc_id.strip().lower()
        if len(key) == 64:
            return self._documents("sha256=?", (key,))
        return self._documents("doc_id=? OR sha256 LIKE ?", (key, key + "%"))

    def documents(self) -> list[Document]:
        """Every document, in the order they were first seen."""
        return self._documents("1=1")

    def to_extract(self, extract_version: int, weaker_modes: Sequence[str]) -> list[Document]:
        """Documents not extracted (at `extract_version`), and PDFs extracted with an OCR mode
        among `weaker_modes` (weaker than this run's)."""
        marks = ",".join("?" * len(weaker_modes)) or "NULL"
        return self._documents(
            "text_status = 'pending' OR extract_version IS NULL OR extract_version < ? OR "
            f"(media_type = 'application/pdf' AND COALESCE(ocr_mode, 'never') IN ({marks}))",
            (extract_version, *weaker_modes),
        )

    def to_read_recommendations(self, version: int) -> list[Document]:
        """Documents with text whose recommendations were not read (at `version`) since their
        last extraction."""
        return self._documents(
            "text_status IN ('ok', 'ocr') AND "
            "(recommendations_version IS NULL OR recommendations_version < ?)",
            (version,),
        )

    def unread_recommendations(self) -> int:
        """Documents with text whose recommendations were never read."""
        return self.db.execute(
            "SELECT COUNT(*) FROM documents WHERE text_status IN ('ok', 'ocr') "
            "AND recommendations_version IS NULL"
        ).fetchone()[0]

    def recommendation_rows(self, kind: str | None = None) -> list[RecommendationRow]:
        """Every recommendation (addressed to `kind`, when given), by document in the order
        they were first seen, then in page order."""
        where, args = "1=1", ()
        if kind is not None:
            where = "EXISTS (SELECT 1 FROM json_each(r.addressee_kinds) WHERE value = ?)"
            args = (kind,)
        rows = self.db.execute(
            f"SELECT {select_list(RecommendationRow, 'r')} FROM recommendations r "
            f"JOIN documents d USING (sha256) WHERE {where} "
            "ORDER BY d.first_seen, d.sha256, r.page, r.number",
            args,
        )
        return [RecommendationRow(*r) for r in rows]

    def recommendation_row(self, rec_id: str) -> RecommendationRow | None:
        row = self.db.execute(
            f"SELECT {select_list(RecommendationRow)} FROM recommendations WHERE id=?",
            (rec_id.strip().lower(),),
        ).fetchone()
        return RecommendationRow(*row) if row else None

    def urls_of(self, sha256: str) -> list[DocUrl]:
        """The URLs a document was found at, in the order they were first recorded."""
        rows = self.db.execute(
            f"SELECT {select_list(DocUrl)} FROM doc_urls WHERE sha256=? ORDER BY rowid",
            (sha256,),
        )
        return [DocUrl(*r) for r in rows]

    def partners_of(self, sha256: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT partner FROM doc_partners WHERE sha256=? ORDER BY rowid",
                (sha256,),
            )
        ]

    def links_to(self, urls: Sequence[str]) -> list[Link]:
        """The links seen to any of `urls`, in the order they were first recorded."""
        if not urls:
            return []
        marks = ",".join("?" * len(urls))
        rows = self.db.execute(
            f"SELECT {select_list(Link)} FROM links WHERE url IN ({marks}) ORDER BY rowid",
            tuple(urls),
        )
        return [Link(*r) for r in rows]

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
