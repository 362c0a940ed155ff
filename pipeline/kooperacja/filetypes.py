"""Media types of the files the archive holds, and how a file is recognised by its bytes, shared
by the crawl (which recognises a file by what it sent, whatever the server or the link text
claims) and extract (which reads it by its type), so neither imports the other."""

from __future__ import annotations

import zipfile
from pathlib import Path

PDF = "application/pdf"
HTML = "text/html"
ZIP = "application/zip"
DOC = "application/msword"
RTF = "application/rtf"
PPT = "application/vnd.ms-powerpoint"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
# What the crawl archives as a document (an HTML page only when it is about the project).
DOCUMENT_MEDIA = frozenset({PDF, DOC, RTF, DOCX, ODT, PPT, PPTX, XLS, XLSX})

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream that makes an OLE2 compound file a Word, PowerPoint or Excel file.
OLE2_STREAMS = (
    ("WordDocument", DOC),
    ("PowerPoint Document", PPT),
    ("Workbook", XLS),
    ("Book", XLS),  # Excel 5/95
)
OLE2_BY_EXTENSION = {".ppt": PPT, ".xls": XLS}
# The member that makes an Office Open XML zip a Word, PowerPoint or Excel file.
OOXML_MEMBERS = (
    ("word/document.xml", DOCX),
    ("ppt/presentation.xml", PPTX),
    ("xl/workbook.xml", XLSX),
)


def sniff_media_type(head: bytes, content_type: str, filename: str) -> str:
    """What the first bytes of a file are, whatever the server or the link text claims."""
    name = filename.lower()
    if head.lstrip()[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") != -1:
        return PDF
    if head.startswith(OLE2_MAGIC):
        # .doc, .ppt or .xls: `office_file_type` reads the stream names once the file is here.
        return OLE2_BY_EXTENSION.get(name[name.rfind(".") :], DOC)
    if head.startswith(b"{\\rtf"):
        return RTF
    if head.startswith(b"PK\x03\x04"):
        return _zip_media_type(head, name)
    lowered = head[:2048].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or "html" in content_type:
        return HTML
    return content_type or "application/octet-stream"


def _zip_media_type(head: bytes, name: str) -> str:
    """A zip's office format, guessed from its first member names (or the file's name)."""
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:200] or name.endswith(".odt"):
        return ODT
    if b"word/" in head or name.endswith(".docx"):
        return DOCX
    if b"ppt/" in head or name.endswith(".pptx"):
        return PPTX
    if b"xl/" in head or name.endswith(".xlsx"):
        return XLSX
    return ZIP


def office_file_type(path: Path, sniffed: str) -> str | None:
    """The office format of a whole OLE2 or zip file, from what is inside it."""
    if sniffed == ZIP or sniffed in (DOCX, PPTX, XLSX, ODT):
        return _zip_office_type(path)
    if sniffed in {media for _, media in OLE2_STREAMS}:
        return _ole2_office_type(path)
    return None


def _zip_office_type(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" in names:
        for member, media in OOXML_MEMBERS:
            if member in names:
                return media
    if "content.xml" in names and "mimetype" in names:
        return ODT
    return None


def _ole2_office_type(path: Path) -> str | None:
    """Directory entries name their streams in UTF-16LE; the first known one decides. Reads the
    file in chunks (the directory may sit anywhere in it)."""
    wanted = [(n.encode("utf-16-le") + b"\x00\x00", media) for n, media in OLE2_STREAMS]
    tail = b""
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                window = tail + chunk
                for needle, media in wanted:
                    if needle in window:
                        return media
                tail = window[-64:]
    except OSError:
        return None
    return None


# What a reader calls a document's kind of file (`format:` in a query, the Format column):
# by its media type, and "scan" when its text was read by OCR (it may hold errors).
FORMATS: tuple[str, ...] = ("pdf", "word", "powerpoint", "excel", "scan", "film", "web", "other")
_FORMAT_OF_MEDIA = {
    PDF: "pdf", DOC: "word", DOCX: "word", RTF: "word", ODT: "word", PPT: "powerpoint",
    PPTX: "powerpoint", XLS: "excel", XLSX: "excel", HTML: "web", "application/xhtml+xml": "web",
    "text/uri-list": "film",
}  # fmt: skip
# Names staff type after `format:` (compared lowercased, without Polish letters).
FORMAT_ALIASES = {
    "pdf": "pdf", "word": "word", "doc": "word", "docx": "word", "rtf": "word", "odt": "word",
    "powerpoint": "powerpoint", "ppt": "powerpoint", "pptx": "powerpoint",
    "prezentacja": "powerpoint", "excel": "excel", "xls": "excel", "xlsx": "excel",
    "arkusz": "excel", "skan": "scan", "scan": "scan", "ocr": "scan", "film": "film",
    "wideo": "film", "video": "film", "strona": "web", "www": "web", "web": "web", "html": "web",
    "inny": "other", "inne": "other", "other": "other",
}  # fmt: skip


def document_format(media_type: str, text_status: str | None = None) -> str:
    """The format code of a document: one of FORMATS."""
    if text_status == "ocr":
        return "scan"
    return _FORMAT_OF_MEDIA.get((media_type or "").split(";")[0].strip().lower(), "other")
