"""Every HTTP exchange of the crawl as WARC records (ISO 28500, WARC/1.1), so the partner sites
can be replayed as they were on each date by pywb or any WARC tool.

One gzip member per record (readers can seek to any record), a `request` record beside each
`response`, SHA-256 block and payload digests (the payload digest of a document's response is
the document's own SHA-256), a 304 answer as a `revisit` record (profile server-not-modified)
pointing at the capture it confirms. A file is written as `NAME.warc.gz.open` and renamed when
closed; files are rotated by size. A file left open by a killed run is cut back to its last
whole record and closed by the next writer (`recover_open_files`).
"""

from __future__ import annotations

import base64
import io
import logging
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import GzippingWrapper, WARCWriter

from kooperacja.archive.warcfiles import OPEN_SUFFIX, WARC_DIR, hex_of_digest

logger = logging.getLogger(__name__)

GZIP_LEVEL = 6
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Headers describing how the bytes travelled, not what they are: the recorded payload is the
# entity as received after de-chunking, so these are kept under the name pywb reads them by.
TRANSPORT_HEADERS = ("transfer-encoding", "content-encoding")


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response the server gave to it."""

    url: str
    request_headers: tuple[tuple[str, str], ...]
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: tuple[tuple[str, str], ...]
    body_path: Path | None = None  # the payload in a file (documents, pages) …
    body: bytes = b""  # … or in memory (redirects, error pages)
    truncated: str = ""  # WARC-Truncated: "length" or "time" when the body was not all read
    decoded: bool = False  # the client undid a Content-Encoding the server applied
    method: str = "GET"


@dataclass(frozen=True)
class Capture:
    """Where a response (or revisit) record of a URL lies."""

    url: str
    date: str  # WARC-Date
    record_type: str  # response | revisit
    http_status: int
    payload_sha256: str  # hex; "" for a revisit that refers to no known capture
    filename: str  # relative to the archive folder
    offset: int
    record_id: str


def sha256_digest(hex_digest: str) -> str:
    """A hex SHA-256 in the WARC form, `sha256:BASE32` (as warcio and pywb write it)."""
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_digest)).decode("ascii")


class _Sha256Writer(WARCWriter):
    """warcio's writer with SHA-256 digests (its default is SHA-1), gzip level 6 per record:
    level 9, warcio's, costs about twice the time on PDFs for the same size."""

    def __init__(self, out: io.BufferedWriter):
        super().__init__(out, gzip=False, warc_version="1.1")

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")

    def _write_warc_record(self, out, record) -> None:
        member = GzippingWrapper(out)
        member.compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        super()._write_warc_record(member, record)  # its last flush ends the gzip member


def _now() -> datetime:
    return datetime.now(UTC)


class WarcWriter:
    """Writes the records of one run into `archive_dir/warc/`, rotating files at `max_bytes`.

    Not thread-safe: the crawl makes one request at a time."""

    def __init__(
        self,
        archive_dir: Path,
        max_bytes: int,
        *,
        info: dict[str, str],
        clock: Callable[[], datetime] = _now,
    ):
        self.archive_dir = archive_dir
        self.folder = archive_dir / WARC_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.info = info
        self.clock = clock
        self._fh: io.BufferedWriter | None = None
        self._path: Path | None = None
        self._writer: _Sha256Writer | None = None
        self._serial = 0
        self.files_written: list[str] = []
        for name in recover_open_files(self.folder):
            logger.warning("closed WARC file left open by an earlier run: %s", name)

    # --- records -----------------------------------------------------------------------------

    def write(self, exchange: Exchange, refers_to: Capture | None = None) -> Capture:
        """Write the response (or, for a 304, the revisit) and its request; return where."""
        writer = self._open()
        date = self._warc_date()
        if exchange.status == 304:
            record = self._revisit(writer, exchange, date, refers_to)
        else:
            record = self._response(writer, exchange, date)
        request = self._request(writer, exchange, date)
        assert self._fh is not None and self._path is not None
        offset = self._fh.tell()
        try:
            writer.write_request_response_pair(request, record)
        finally:
            record.raw_stream.close()  # the body file, opened for this record
        self._fh.flush()
        capture = Capture(
            url=exchange.url,
            date=date,
            record_type=record.rec_type,
            http_status=exchange.status,
            payload_sha256=hex_of_digest(record.rec_headers.get_header("WARC-Payload-Digest")),
            filename=self._final_name(self._path),
            offset=offset,
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
        )
        if self._fh.tell() >= self.max_bytes:
            self.close()
        return capture

    def _response(self, writer: _Sha256Writer, ex: Exchange, date: str):
        if ex.body_path is not None:
            stream = ex.body_path.open("rb")
            length = ex.body_path.stat().st_size
        else:
            stream = io.BytesIO(ex.body)
            length = len(ex.body)
        headers = {"WARC-Date": date}
        if ex.truncated:
            headers["WARC-Truncated"] = ex.truncated
        try:
            return writer.create_warc_record(
                ex.url,
                "response",
                payload=stream,
                length=length,
                http_headers=self._http_headers(ex, length),
                warc_headers_dict=headers,
            )
        except BaseException:
            stream.close()
            raise

    def _revisit(self, writer: _Sha256Writer, ex: Exchange, date: str, refers_to: Capture | None):
        headers = {"WARC-Date": date, "WARC-Profile": NOT_MODIFIED_PROFILE}
        if refers_to is not None:
            headers["WARC-Refers-To-Target-URI"] = refers_to.url
            headers["WARC-Refers-To-Date"] = refers_to.date
            headers["WARC-Refers-To"] = refers_to.record_id
            if refers_to.payload_sha256:
                headers["WARC-Payload-Digest"] = sha256_digest(refers_to.payload_sha256)
        return writer.create_warc_record(
            ex.url,
            "revisit",
            http_headers=self._http_headers(ex, None),
            warc_headers_dict=headers,
        )

    def _request(self, writer: _Sha256Writer, ex: Exchange, date: str):
        parts = urlsplit(ex.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        names = {k.lower() for k, _ in ex.request_headers}
        headers = ([] if "host" in names else [("Host", parts.netloc)]) + list(ex.request_headers)
        http = StatusAndHeaders(
            f"{ex.method} {target} {ex.http_version}", headers, is_http_request=True
        )
        return writer.create_warc_record(
            ex.url, "request", http_headers=http, warc_headers_dict={"WARC-Date": date}
        )

    @staticmethod
    def _http_headers(ex: Exchange, length: int | None) -> StatusAndHeaders:
        headers: list[tuple[str, str]] = []
        for name, value in ex.response_headers:
            low = name.lower()
            if low in TRANSPORT_HEADERS and (low == "transfer-encoding" or ex.decoded):
                headers.append((f"X-Archive-Orig-{name}", value))
            elif low == "content-length" and length is not None and not ex.truncated:
                continue  # set below from the payload actually recorded
            else:
                headers.append((name, value))
        if length is not None and not ex.truncated:
            headers.append(("Content-Length", str(length)))
        return StatusAndHeaders(
            f"{ex.status} {ex.reason}".strip(), headers, protocol=ex.http_version
        )

    # --- files -------------------------------------------------------------------------------

    def _open(self) -> _Sha256Writer:
        if self._writer is not None:
            return self._writer
        now = self.clock()
        while True:
            self._serial += 1
            name = f"kooperacja-{now:%Y%m%d%H%M%S}-{os.getpid()}-{self._serial:05d}.warc.gz"
            path = self.folder / (name + OPEN_SUFFIX)
            if not path.exists() and not (self.folder / name).exists():
                break
        self._path = path
        self._fh = path.open("xb")
        self._writer = _Sha256Writer(self._fh)
        self._writer.write_record(self._writer.create_warcinfo_record(name, self.info))
        return self._writer

    def _warc_date(self) -> str:
        return self.clock().strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def _final_name(self, path: Path) -> str:
        name = path.name.removesuffix(OPEN_SUFFIX)
        return f"{WARC_DIR}/{name}"

    def close(self) -> None:
        """Close the current file: fsync, then drop the `.open` suffix."""
        if self._fh is None or self._path is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        final = self._path.with_name(self._path.name.removesuffix(OPEN_SUFFIX))
        os.replace(self._path, final)
        self.files_written.append(self._final_name(final))
        self._fh = self._path = self._writer = None


def recover_open_files(folder: Path) -> list[str]:
    """Close the `.open` files a killed run left: cut each after its last whole gzip member (a
    record is one member, so a whole member is a whole record) and drop the suffix."""
    recovered = []
    for path in sorted(folder.glob(f"*.warc.gz{OPEN_SUFFIX}")):
        end = _end_of_whole_members(path)
        with path.open("r+b") as fh:
            fh.truncate(end)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(path, path.with_name(path.name.removesuffix(OPEN_SUFFIX)))
        recovered.append(path.name.removesuffix(OPEN_SUFFIX))
    return recovered


def _end_of_whole_members(path: Path) -> int:
    data = path.read_bytes()
    pos = 0
    while pos < len(data):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            inflater.decompress(data[pos:])
        except zlib.error:
            break
        if not inflater.eof:
            break
        pos = len(data) - len(inflater.unused_data)
    return pos
