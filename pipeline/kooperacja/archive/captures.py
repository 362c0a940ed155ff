"""The WARC files as the catalogue knows them: how much of the partner sites they keep, and which
files hold the captures of some URLs (what a bundle carries beside its documents)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.rows import Document
from kooperacja.archive.warcfiles import OPEN_SUFFIX, check_warc_file, open_warc_files, warc_files
from kooperacja.models import VIDEO_MEDIA

logger = logging.getLogger(__name__)


def warc_status(archive_dir: Path, catalog: Catalog) -> dict[str, object]:
    """How much of the partner sites is kept as WARC: files, bytes, answers, the last one."""
    files = warc_files(archive_dir)
    summary = catalog.capture_summary()
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "captures": summary.captures,
        "last_capture": summary.last_capture,
    }


def warc_files_holding(archive_dir: Path, catalog: Catalog, urls: Sequence[str]) -> list[Path]:
    """The closed WARC files with a capture of any of `urls`, oldest first."""
    wanted = set(urls)
    names = {c.warc for c in catalog.captures() if c.url in wanted}
    return [p for p in warc_files(archive_dir) if f"{p.parent.name}/{p.name}" in names]


def warc_problems(archive_dir: Path, catalog: Catalog, rows: Sequence[Document]) -> list[str]:
    """Every WARC file read to its end with its digests checked; every capture the catalogue
    records found where it says; every document downloaded since capture began present, with
    the same bytes, in a response record."""
    problems: list[str] = []
    by_file: dict[str, dict[int, str]] = {}  # warc -> offset -> payload sha256
    recorded: set[str] = set()  # payloads of the response records present
    still_open = open_warc_files(archive_dir)  # a crawl running now, or killed (closed next run)
    for path in [*warc_files(archive_dir), *still_open]:
        check = check_warc_file(path)
        if path not in still_open:
            problems.extend(check.problems)
        name = f"{path.parent.name}/{path.name.removesuffix(OPEN_SUFFIX)}"
        by_file[name] = {r.offset: r.payload_sha256 for r in check.records}
        recorded.update(r.payload_sha256 for r in check.records if r.record_type == "response")
    captures = catalog.captures()
    missing: dict[str, int] = {}
    misplaced: dict[str, int] = {}
    for cap in captures:
        offsets = by_file.get(cap.warc)
        if offsets is None:
            missing[cap.warc] = missing.get(cap.warc, 0) + 1
        elif offsets.get(cap.offset) != cap.payload_sha256:
            misplaced[cap.warc] = misplaced.get(cap.warc, 0) + 1
    for name, count in missing.items():
        problems.append(
            f"WARC file missing: {name} (held {count} captures): restore it from a backup"
        )
    for name, count in misplaced.items():
        problems.append(
            f"{name}: {count} captures not where the catalogue says (file replaced or cut?)"
        )
    if not captures:
        return problems
    began = captures[0].at
    for row in rows:
        if row.first_seen[:19] < began[:19] or row.media_type == VIDEO_MEDIA:
            continue  # archived before WARC capture began; a film is never downloaded
        stored = row.stored_sha256  # a page is known by its text's hash
        if stored not in recorded:
            problems.append(
                f"{row.doc_id}: no WARC response record holds the bytes of {row.local_path}"
            )
    return problems
