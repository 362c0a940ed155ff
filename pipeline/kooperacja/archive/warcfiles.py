"""Reading the archive's WARC files: every record read to its end with its digests checked,
one record's payload read back. The files are archive content (the crawl writes them, through
`harvest/warc.py`; verify and the bundle export read them), so reading them lives here.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

logger = logging.getLogger(__name__)

WARC_DIR = "warc"  # the WARC files' folder in the archive
OPEN_SUFFIX = ".open"  # a file still being written (or left by a killed run)


def hex_of_digest(warc_digest: str) -> str:
    """`sha256:BASE32` (or hex) back to hex; "" for other algorithms."""
    algo, _, value = (warc_digest or "").partition(":")
    if algo.lower() != "sha256" or not value:
        return ""
    if len(value) == 64:
        return value.lower()
    try:
        return base64.b32decode(value.upper()).hex()
    except ValueError:
        return ""


@dataclass(frozen=True)
class WarcRecordInfo:
    record_type: str
    url: str
    date: str
    offset: int
    http_status: int | None
    payload_sha256: str  # hex, from the WARC-Payload-Digest header
    record_id: str


@dataclass(frozen=True)
class WarcFileCheck:
    path: Path
    records: tuple[WarcRecordInfo, ...]
    problems: tuple[str, ...]


def warc_files(archive_dir: Path) -> list[Path]:
    """The closed WARC files of an archive, oldest first."""
    folder = archive_dir / WARC_DIR
    return sorted(folder.glob("*.warc.gz")) if folder.exists() else []


def open_warc_files(archive_dir: Path) -> list[Path]:
    folder = archive_dir / WARC_DIR
    return sorted(folder.glob(f"*.warc.gz{OPEN_SUFFIX}")) if folder.exists() else []


def check_warc_file(path: Path) -> WarcFileCheck:
    """Read every record to its end, checking the block and payload digests."""
    records: list[WarcRecordInfo] = []
    problems: list[str] = []
    try:
        with path.open("rb") as fh:
            iterator = ArchiveIterator(fh, check_digests=True)
            for record in iterator:
                stream = record.content_stream()
                while stream.read(1 << 16):
                    pass
                headers = record.rec_headers
                offset = iterator.get_record_offset()
                if record.digest_checker.passed is False:
                    problems.extend(
                        f"{path.name} @ {offset}: {p}" for p in record.digest_checker.problems
                    )
                status = record.http_headers.get_statuscode() if record.http_headers else None
                records.append(
                    WarcRecordInfo(
                        record_type=record.rec_type,
                        url=headers.get_header("WARC-Target-URI") or "",
                        date=headers.get_header("WARC-Date") or "",
                        offset=offset,
                        http_status=int(status) if status and status.isdigit() else None,
                        payload_sha256=hex_of_digest(headers.get_header("WARC-Payload-Digest")),
                        record_id=headers.get_header("WARC-Record-ID") or "",
                    )
                )
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        problems.append(f"{path.name}: unreadable after {len(records)} records ({reason})")
    return WarcFileCheck(path, tuple(records), tuple(problems))


def iter_payload(path: Path, offset: int) -> Iterator[bytes]:
    """The payload (HTTP entity) of the record at `offset`, in chunks."""
    with path.open("rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            stream = record.content_stream()
            while chunk := stream.read(1 << 16):
                yield chunk
            return


def payload_sha256(path: Path, offset: int) -> str:
    digest = hashlib.sha256()
    for chunk in iter_payload(path, offset):
        digest.update(chunk)
    return digest.hexdigest()
