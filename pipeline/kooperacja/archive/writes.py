"""What the stages record in the catalogue: runs and their events, URLs and links, WARC
captures, documents, their sightings, extraction and tags. Each write is a statement of a
transaction the caller opens (`with catalog.transaction():`), one per item.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from kooperacja.dates import now_iso
from kooperacja.models import Recommendation


class CatalogWrites:
    """The writing half of `Catalog` (which adds the connection and the named queries)."""

    db: sqlite3.Connection

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

    def add_capture(
        self,
        *,
        url: str,
        at: str,
        record_type: str,
        http_status: int,
        payload_sha256: str,
        warc: str,
        offset: int,
        record_id: str,
    ) -> None:
        """Record where a response (or revisit) record of `url` lies in the WARC files."""
        self.db.execute(
            "INSERT INTO captures (url, at, record_type, http_status, payload_sha256, warc, "
            "offset, record_id) VALUES (?,?,?,?,?,?,?,?)",
            (url, at, record_type, http_status, payload_sha256, warc, offset, record_id),
        )

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
                 extract_version=?, ocr_pages=?, ocr_confidence=?, ocr_mode=?,
                 recommendations_version=NULL WHERE sha256=?""",
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

    def set_recommendations(
        self, sha256: str, found: Sequence[Recommendation], version: int
    ) -> None:
        """The document's recommendations are `found` (read with `version` of the reader): the
        ones it had before are replaced, so a document read again never keeps stale ones."""
        self.db.execute("DELETE FROM recommendations WHERE sha256=?", (sha256,))
        doc_id = sha256[:12]
        self.db.executemany(
            "INSERT OR REPLACE INTO recommendations (id, sha256, number, title, addressees, "
            "addressee_kinds, text, page, page_label, last_page) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    f"{doc_id}-{r.number}",
                    sha256,
                    r.number,
                    r.title,
                    json.dumps(list(r.addressees), ensure_ascii=False),
                    json.dumps(list(r.addressee_kinds), ensure_ascii=False),
                    r.text,
                    r.page,
                    r.page_label,
                    r.last_page or r.page,
                )
                for r in found
            ],
        )
        self.db.execute(
            "UPDATE documents SET recommendations_version=? WHERE sha256=?", (version, sha256)
        )
