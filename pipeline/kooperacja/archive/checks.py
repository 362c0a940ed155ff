"""`verify`'s sanity checks: archive files, catalogue, WARC files and index against each other.

Many small `_check_*` functions, each adding *findings* (a level, the document, the message, the
fix) to one `SanityResult` (the shape of paperless-ngx's sanity checker). Nothing here mends
anything (that is `archive/repair.py`) or runs a stage (the runner does): the index's side is
handed in as an `IndexSnapshot`, made by `search/`.

`update` checks every night what it relies on (`check_files` without `full`: a file whose size
and modification time are those of its last good check is not hashed again); `verify` hashes
every file.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.records import index_fingerprint
from kooperacja.archive.rows import Document
from kooperacja.archive.store import (
    file_sha256,
    file_stamp,
    ocr_pdf_relpath,
    read_pages,
    text_relpath,
)
from kooperacja.archive.warcfiles import OPEN_SUFFIX, check_warc_file, open_warc_files, warc_files
from kooperacja.models import VIDEO_MEDIA
from kooperacja.progress import Progress, no_progress

logger = logging.getLogger(__name__)

ERROR, WARNING = "error", "warning"
# What mends a finding: the archive fetches a file again or sets one aside; the stages extract
# again or bring the index up to date; a person restores from a backup.
FETCH_AGAIN, SET_ASIDE = "fetch_again", "set_aside"
EXTRACT_AGAIN, UPDATE_INDEX, REBUILD_INDEX = "extract_again", "update_index", "rebuild_index"
RESTORE = "restore_from_backup"


@dataclass(frozen=True)
class Finding:
    level: str  # error | warning
    doc_id: str | None  # the document concerned, if one is
    message: str  # the line verify prints
    fix: str  # one of the fixes above
    subject: str = ""  # what the fix works on: the document's sha256, or a file's path

    def as_dict(self) -> dict[str, str | None]:
        return {
            "level": self.level,
            "doc_id": self.doc_id,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class FileProblem:
    """A catalogued file missing, or not holding its recorded bytes."""

    sha256: str
    doc_id: str
    local_path: str
    expected: str  # SHA-256 the stored file must have
    what: str  # missing | damaged
    detail: str = ""  # for damaged: the hash found

    @property
    def line(self) -> str:
        if self.what == "missing":
            return f"{self.doc_id}: file missing: {self.local_path}"
        return (
            f"{self.doc_id}: file damaged: {self.local_path} has SHA-256 {self.detail[:12]}…, "
            f"expected {self.expected[:12]}…"
        )


@dataclass(frozen=True)
class IndexSnapshot:
    """What verify needs to know of the search index (given by `search/`, which owns it)."""

    folder: Path
    exists: bool
    schema_version: int | None
    expected_version: int  # the schema this kooperacja writes
    fingerprints: Mapping[str, str]  # doc_id -> fingerprint of what the index holds of it


@dataclass
class SanityResult:
    """The findings of one run of the checks, in the order they were found."""

    documents: int = 0
    findings: list[Finding] = field(default_factory=list)
    files: list[FileProblem] = field(default_factory=list)  # the file findings, in full

    def add(
        self, level: str, message: str, fix: str, doc_id: str | None = None, subject: str = ""
    ) -> None:
        self.findings.append(Finding(level, doc_id, message, fix, subject))

    @property
    def problems(self) -> list[str]:
        return [f.message for f in self.findings]

    def to_fix(self, fix: str) -> list[Finding]:
        return [f for f in self.findings if f.fix == fix]


def check_files(catalog: Catalog, *, full: bool, record: bool = False) -> list[FileProblem]:
    """Every catalogued file missing or not holding its recorded bytes. Without `full`, a file
    unchanged (size, mtime) since its last good check is trusted; `record` notes good checks."""
    problems = []
    for row in catalog.documents():
        path = catalog.archive_dir / row.local_path
        expected = row.stored_sha256
        problem = FileProblem(row.sha256, row.doc_id, row.local_path, expected, "missing")
        try:
            stamp = file_stamp(path)
        except FileNotFoundError:
            problems.append(problem)
            continue
        if not full and stamp == row.blob_checked:
            continue
        actual = file_sha256(path)
        if actual != expected:
            problems.append(replace(problem, what="damaged", detail=actual))
        elif record and stamp != row.blob_checked:
            with catalog.transaction():
                catalog.note_checked(row.sha256, stamp)
    return problems


def run_checks(
    catalog: Catalog,
    index: IndexSnapshot,
    *,
    record: bool = False,
    progress: Progress = no_progress,
) -> SanityResult:
    """Every check, in verify's order; `record` notes the files found good (under the lock)."""
    rows = catalog.documents()
    result = SanityResult(documents=len(rows))
    _check_files(result, catalog, record)
    _check_text(result, catalog, progress(rows, "verify", len(rows)))
    _check_warc(result, catalog, rows)
    _check_orphans(result, catalog.archive_dir, rows)
    _check_index(result, index, rows)
    return result


def _check_files(result: SanityResult, catalog: Catalog, record: bool) -> None:
    for problem in check_files(catalog, full=True, record=record):
        result.files.append(problem)
        result.add(ERROR, problem.line, FETCH_AGAIN, problem.doc_id, problem.sha256)


def _check_text(result: SanityResult, catalog: Catalog, rows: Sequence[Document]) -> None:
    """Text extract said it stored must be there (a document whose file is broken is left to
    its file's finding: its text is read again once the file is back)."""
    broken = {p.sha256 for p in result.files}
    for row in rows:
        if row.sha256 in broken or row.text_status not in ("ok", "ocr"):
            continue
        if not read_pages(catalog.archive_dir, row.sha256):
            message = f"{row.doc_id}: extracted text missing: {text_relpath(row.sha256)}"
            result.add(ERROR, message, EXTRACT_AGAIN, row.doc_id, row.sha256)


def _check_warc(result: SanityResult, catalog: Catalog, rows: Sequence[Document]) -> None:
    """Every WARC file read to its end with its digests checked; every capture the catalogue
    records found where it says; every document downloaded since capture began present, with
    the same bytes, in a response record."""
    archive_dir = catalog.archive_dir
    by_file: dict[str, dict[int, str]] = {}  # warc -> offset -> payload sha256
    recorded: set[str] = set()  # payloads of the response records present
    still_open = open_warc_files(archive_dir)  # a crawl running now, or killed (closed next run)
    for path in [*warc_files(archive_dir), *still_open]:
        check = check_warc_file(path)
        if path not in still_open:
            for problem in check.problems:
                result.add(ERROR, problem, RESTORE)
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
        message = f"WARC file missing: {name} (held {count} captures): restore it from a backup"
        result.add(ERROR, message, RESTORE)
    for name, count in misplaced.items():
        message = f"{name}: {count} captures not where the catalogue says (file replaced or cut?)"
        result.add(ERROR, message, RESTORE)
    if not captures:
        return
    began = captures[0].at
    for row in rows:
        if row.first_seen[:19] < began[:19] or row.media_type == VIDEO_MEDIA:
            continue  # archived before WARC capture began; a film is never downloaded
        if row.stored_sha256 not in recorded:  # a page is known by its text's hash
            message = f"{row.doc_id}: no WARC response record holds the bytes of {row.local_path}"
            result.add(ERROR, message, RESTORE, row.doc_id, row.sha256)


def _check_orphans(result: SanityResult, archive_dir: Path, rows: Sequence[Document]) -> None:
    """A file under blobs/ that no document accounts for (its bytes, text or OCR'd PDF)."""
    blobs = archive_dir / "blobs"
    if not blobs.exists():
        return
    known: set[str] = set()
    for row in rows:
        known.update((row.local_path, text_relpath(row.sha256), ocr_pdf_relpath(row.sha256)))
    for path in sorted(blobs.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            rel = path.relative_to(archive_dir).as_posix()
            if rel not in known:
                message = f"orphan file without a catalogue record: {rel}"
                result.add(WARNING, message, SET_ASIDE, subject=rel)


def _check_index(result: SanityResult, index: IndexSnapshot, rows: Sequence[Document]) -> None:
    if not index.exists:
        message = f"index missing in {index.folder}: run 'kooperacja index'"
        result.add(ERROR, message, REBUILD_INDEX)
        return
    if index.schema_version != index.expected_version:
        message = (
            f"index is schema v{index.schema_version}, this version expects "
            f"v{index.expected_version}: run 'kooperacja index --rebuild'"
        )
        result.add(ERROR, message, REBUILD_INDEX)
        return
    wanted = {r.doc_id: index_fingerprint(r, index.expected_version) for r in rows}
    stale = [d for d, fp in wanted.items() if index.fingerprints.get(d) != fp]
    extra = [d for d in index.fingerprints if d not in wanted]
    if stale:
        message = (
            f"index out of date for {len(stale)} documents "
            f"({', '.join(stale[:5])}{'…' if len(stale) > 5 else ''}): run 'kooperacja index'"
        )
        result.add(WARNING, message, UPDATE_INDEX)
    if extra:
        message = f"index holds {len(extra)} documents not in the catalogue: run 'kooperacja index'"
        result.add(WARNING, message, UPDATE_INDEX)
