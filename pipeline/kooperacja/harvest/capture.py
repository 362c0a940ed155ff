"""The crawl's WARC capture tied to the catalogue: each response written to the WARC files and
its place recorded, a 304 pointing at the capture it confirms. (Reading the files back, and
verify's checks of them, are the archive's: `archive/warcfiles.py`, `archive/checks.py`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kooperacja.archive.catalog import Catalog
from kooperacja.config import CrawlSettings
from kooperacja.harvest.warc import Capture, Exchange, WarcWriter

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
            known = self.catalog.last_response_capture(exchange.url)
            if known is not None:
                refers_to = Capture(
                    known.url,
                    known.at,
                    known.record_type,
                    known.http_status,
                    known.payload_sha256,
                    known.warc,
                    known.offset,
                    known.record_id,
                )
        capture = self.writer.write(exchange, refers_to)
        with self.catalog.transaction():
            self.catalog.add_capture(
                url=capture.url,
                at=capture.date,
                record_type=capture.record_type,
                http_status=capture.http_status,
                payload_sha256=capture.payload_sha256,
                warc=capture.filename,
                offset=capture.offset,
                record_id=capture.record_id,
            )
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
