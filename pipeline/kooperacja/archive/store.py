"""Content-addressed files of the archive: blobs/ab/<sha256>.<ext>, text beside them.

Every file is written to a temporary file in the archive, fsynced, then renamed, so a power cut
leaves either the old state or the new one, never half a file under a real name.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kooperacja.models import VIDEO_MEDIA, PageText
from kooperacja.output import atomic_writer, fsync_dir

EXTENSIONS = {
    "application/pdf": "pdf",
    "text/html": "html",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/rtf": "rtf",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    VIDEO_MEDIA: "uri",
}


def blob_relpath(sha256: str, media_type: str) -> str:
    """Path of a document's bytes relative to the archive folder."""
    return f"blobs/{sha256[:2]}/{sha256}.{EXTENSIONS.get(media_type, 'bin')}"


def text_relpath(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256}.pages.json"


def ocr_pdf_relpath(sha256: str) -> str:
    """The derived PDF with an OCR text layer; the original bytes stay the document."""
    return f"blobs/{sha256[:2]}/{sha256}.ocr.pdf"


def tmp_dir(archive_dir: Path) -> Path:
    d = archive_dir / "tmp"
    d.mkdir(parents=True, exist_ok=True)
    return d


def place_blob(
    archive_dir: Path,
    tmp_file: Path,
    sha256: str,
    media_type: str,
    blob_sha256: str | None = None,
) -> str:
    """Move a downloaded, already fsynced temp file to its content address; return its relpath.

    `blob_sha256` is the hash of the file's bytes when the document's identity is another hash
    (an HTML page is known by its text's)."""
    rel = blob_relpath(sha256, media_type)
    dest = archive_dir / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and file_sha256(dest) == (blob_sha256 or sha256):
        tmp_file.unlink(missing_ok=True)
    else:
        os.replace(tmp_file, dest)
        fsync_dir(dest.parent)
    return rel


def write_blob_bytes(archive_dir: Path, data: bytes, sha256: str, media_type: str) -> str:
    """Store small bytes made here (a film's URL) at their content address; return its relpath."""
    rel = blob_relpath(sha256, media_type)
    dest = archive_dir / rel
    if not (dest.exists() and file_sha256(dest) == sha256):
        with atomic_writer(dest) as fh:
            fh.write(data)
    return rel


def file_stamp(path: Path) -> str:
    """Size and modification time of a file: unchanged since a good check, it is not hashed
    again (see `kooperacja.archive.checks`)."""
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_pages(archive_dir: Path, sha256: str, pages: list[PageText], extra: dict) -> str:
    rel = text_relpath(sha256)
    payload = {
        **extra,
        "pages": [
            {
                "number": p.number,
                "label": p.label,
                "section": p.section,
                "text": p.text,
                **({"source": p.source, "confidence": p.confidence} if p.source else {}),
            }
            for p in pages
        ],
    }
    with atomic_writer(archive_dir / rel, "w") as fh:  # dumps: json.dump encodes in Python
        fh.write(json.dumps(payload, ensure_ascii=False))
    return rel


def read_pages(archive_dir: Path, sha256: str) -> list[PageText]:
    """The stored pages of a document; [] when it has no extracted text (yet)."""
    return pages_of(read_text_file(archive_dir, sha256))


def read_text_file(archive_dir: Path, sha256: str) -> dict[str, Any]:
    """The stored extraction of a document (pages and what extract recorded beside them); {}
    when it has none (yet)."""
    path = archive_dir / text_relpath(sha256)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def pages_of(payload: dict[str, Any]) -> list[PageText]:
    return [
        PageText(
            number=p["number"],
            text=p["text"],
            label=p.get("label", ""),
            section=p.get("section", ""),
            source=p.get("source", ""),
            confidence=p.get("confidence"),
        )
        for p in payload.get("pages", [])
    ]
