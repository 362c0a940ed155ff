"""The crawl's WARC capture tied to the catalogue: each response written to the WARC files and
its place recorded, a 304 pointing at the capture it confirms; and the checks `verify` runs on
what was written (every record whole, every digest right, every document's bytes in a record).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kooperacja.archive.catalog import Catalog
from kooperacja.config import CrawlSettings
from kooperacja.harvest.video import VIDEO_MEDIA
from kooperacja.harvest.warc import (
    OPEN_SUFFIX,
    Capture,
    Exchange,
    WarcWriter,
    check_warc_file,
    open_warc_files,
    warc_files,
)

SOFTWARE = "kooperacja (https://github.com/ROPS-Torun/kooperacja)"


class WarcCapture:
    """The recorder for `Fetcher.recorder` during one crawl run: each answer written to the WARC
    files and its place recorded in the catalogue."""

    def __init__(self, writer: WarcWriter, catalog: Catalog):
        self.writer = writer
        self.catalog = catalog
        self.records = 0

    def record(self, exchange: Exchange) -> None:
        refers_to = None
        if exchange.status == 304:
            row = self.catalog.last_response_capture(exchange.url)
            if row is not None:
                refers_to = Capture(
                    row["url"],
                    row["at"],
                    row["record_type"],
                    row["http_status"],
                    row["payload_sha256"],
                    row["warc"],
                    row["offset"],
                    row["record_id"],
                )
        capture = self.writer.write(exchange, refers_to)
        with self.catalog.transaction():
            self.catalog.add_capture(capture)
        self.records += 1

    def summary(self) -> dict[str, object]:
        """For the run's report: how many answers were kept, in which files."""
        return {"records": self.records, "files": list(self.writer.files_written)}


@contextmanager
def warc_capture(
    archive_dir: Path, settings: CrawlSettings, catalog: Catalog
) -> Iterator[WarcCapture]:
    """A `WarcCapture` open for one crawl run; its last file is closed at the end."""
    writer = WarcWriter(
        archive_dir,
        settings.warc_max_bytes,
        info={
            "software": SOFTWARE,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "isPartOf": "Archiwum publikacji projektu Kooperacja – efektywna i skuteczna",
            "http-header-user-agent": settings.user_agent,
            "robots": "obey" if settings.respect_robots_txt else "ignore",
        },
    )
    try:
        yield WarcCapture(writer, catalog)
    finally:
        writer.close()


def warc_status(archive_dir: Path, catalog: Catalog) -> dict[str, object]:
    """How much of the partner sites is kept as WARC: files, bytes, answers, the last one."""
    files = warc_files(archive_dir)
    row = catalog.db.execute("SELECT COUNT(*), MAX(at) FROM captures").fetchone()
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "captures": row[0],
        "last_capture": row[1],
    }


def warc_files_holding(archive_dir: Path, catalog: Catalog, urls: Sequence[str]) -> list[Path]:
    """The closed WARC files with a capture of any of `urls`, oldest first."""
    wanted = set(urls)
    names = {c["warc"] for c in catalog.captures() if c["url"] in wanted}
    return [p for p in warc_files(archive_dir) if f"{p.parent.name}/{p.name}" in names]


def warc_problems(archive_dir: Path, catalog: Catalog, rows: Sequence) -> list[str]:
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
        offsets = by_file.get(cap["warc"])
        if offsets is None:
            missing[cap["warc"]] = missing.get(cap["warc"], 0) + 1
        elif offsets.get(cap["offset"]) != cap["payload_sha256"]:
            misplaced[cap["warc"]] = misplaced.get(cap["warc"], 0) + 1
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
    began = captures[0]["at"]
    for row in rows:
        if row["first_seen"][:19] < began[:19] or row["media_type"] == VIDEO_MEDIA:
            continue  # archived before WARC capture began; a film is never downloaded
        stored = row["blob_sha256"] or row["sha256"]  # a page is known by its text's hash
        if stored not in recorded:
            problems.append(
                f"{row['doc_id']}: no WARC response record holds the bytes of {row['local_path']}"
            )
    return problems
