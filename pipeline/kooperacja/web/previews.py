"""A picture of a PDF's page for the document page: rendered with pdfium when first asked for,
then kept in a cache folder outside the archive (the server writes nothing into the archive).

Rendered on demand rather than at extraction: the page a search matched costs what the first
page costs, no page nobody looks at is ever rendered, and an archive extracted before previews
existed needs no new extraction (OCR included). The archive, which is backed up, bundled and
verified, holds no derived pictures; the cache may be deleted at any time. pdfium runs in a
process of its own (web/pagerender.py) under a memory limit and a deadline, a few at a time, so
a hostile PDF costs one failed preview, never the server; a failure is remembered for a day."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from kooperacja.text import ascii_digits
from kooperacja.web import pagerender
from kooperacja.web.reading import (
    NotFound,
    archived_file,
    content_disposition,
    download_name,
    load_document,
    open_catalogue,
)

if TYPE_CHECKING:
    from kooperacja.web.app import WebSite
    from kooperacja.web.reading import Document

logger = logging.getLogger(__name__)

CACHE_ENV = "KOOPERACJA_PREVIEW_CACHE"  # set by `serve --preview-cache` for its worker processes
RENDERING = 1  # in each cached file's name: a change in how pages are drawn makes new files
SECONDS = 20.0  # a page pdfium cannot draw in this time gets no preview
MEMORY_MB = 512
AT_ONCE = 2  # renders at once per server process (a core each)
RETRY_FAILED_AFTER = 86400.0  # seconds: a page that could not be drawn is tried again a day later
# Which archived files have pages to draw: a PDF whose text could be read (or was read by OCR).
DRAWN_STATUSES = ("ok", "ocr", "no_text_layer")
CACHE = "public, max-age=604800"  # a week: the bytes of a document id never change
# The picture may be shown by this site's pages only; it asks for nothing itself.
IMAGE_POLICY = "default-src 'none'; frame-ancestors 'self'"


def cache_folder(archive_dir: Path, environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where previews are kept: `serve --preview-cache`, else systemd's CacheDirectory
    ($CACHE_DIRECTORY), else $XDG_CACHE_HOME or ~/.cache; None (nothing kept, every preview
    drawn anew) when that is inside the archive, which the server never writes."""
    if environ.get(CACHE_ENV):
        folder = Path(environ[CACHE_ENV])
    elif environ.get("CACHE_DIRECTORY"):  # systemd may list several, separated by ':'
        folder = Path(environ["CACHE_DIRECTORY"].split(":")[0]) / "previews"
    else:
        base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "kooperacja" / "previews"
    folder = folder.expanduser().resolve()
    if folder.is_relative_to(archive_dir.resolve()):
        logger.warning("previews are not kept: %s is inside the archive", folder)
        return None
    return folder


@dataclass(frozen=True)
class PreviewChoice:
    """The preview the document page leads with."""

    url: str
    number: int  # 1-based PDF page
    count: int  # pages in the document
    matched: bool  # the page a search hit pointed at, rather than the first


def previewable(doc: Document) -> bool:
    return doc.media_type == "application/pdf" and doc.record.get("text_status") in DRAWN_STATUSES


def choose(doc: Document, request: Request) -> PreviewChoice | None:
    """The first page, or the page a search hit linked to (`?page=N`); None when the document
    has no pages to draw (a film, a web page, an office file, an encrypted PDF)."""
    if not previewable(doc):
        return None
    count = doc.record.get("pages") or 1
    asked = request.query_params.get("page", "")
    number = int(asked) if ascii_digits(asked) and len(asked) <= 6 else 1
    number = number if 1 <= number <= count else 1
    doc_id = doc.record["doc_id"]
    at = "" if number == 1 else f"/page/{number}"
    return PreviewChoice(f"/doc/{doc_id}{at}/preview.png", number, count, matched=number != 1)


class Previews:
    """The previews of one archive: drawn, kept and answered."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._limiter: anyio.CapacityLimiter | None = None
        self._drawing: set[tuple[str, int]] = set()  # pages being drawn now
        self._drawn = threading.Condition()  # told when one of them is done

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        """AT_ONCE drawings; the others wait in the event loop, holding none of the threads
        the site's other pages are answered in. Made in the loop, on first use."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(AT_ONCE)
        return self._limiter

    def cached(self, sha256: str, number: int) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / sha256[:2] / f"{sha256}-{number}-r{RENDERING}.png"

    def draw(self, pdf: Path, sha256: str, number: int) -> bytes | None:
        """The PNG of the page, from the cache or drawn now (and kept); None when it cannot be
        drawn. A page asked for again while it is drawn waits for that drawing. Blocks: run it
        in a thread under `limiter`."""
        key = (sha256, number)
        with self._drawn:
            while key in self._drawing:
                self._drawn.wait()
            self._drawing.add(key)
        try:
            return self._draw(pdf, sha256, number)
        finally:
            with self._drawn:
                self._drawing.discard(key)
                self._drawn.notify_all()

    def _draw(self, pdf: Path, sha256: str, number: int) -> bytes | None:
        path = self.cached(sha256, number)
        failed = path.with_suffix(".failed") if path else None
        if failed and failed.exists() and time.time() - failed.stat().st_mtime < RETRY_FAILED_AFTER:
            return None
        if path and path.exists():  # drawn by another request meanwhile
            return path.read_bytes()
        data, problem = render(pdf, number)
        if data is None:
            logger.warning("no preview of %s page %d: %s", sha256[:12], number, problem)
        if path is not None:
            self._keep(path if data is not None else failed, data or b"")
        return data

    @staticmethod
    def _keep(path: Path, data: bytes) -> None:
        """Written beside, then renamed: another process never reads half a file."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
                out.write(data)
            os.replace(out.name, path)
        except OSError as exc:  # a full or read-only cache: the preview is still answered
            logger.warning("preview not kept in %s: %s", path.parent, exc)


def render(pdf: Path, number: int) -> tuple[bytes | None, str]:
    """pagerender.py in a process of its own: (the PNG, "") or (None, why not)."""
    script = Path(pagerender.__file__)
    command = [sys.executable, "-I", str(script), str(pdf), str(number),
               str(pagerender.WIDTH), str(MEMORY_MB)]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return None, f"not drawn within {SECONDS:.0f} s"
    if done.returncode < 0:  # pdfium aborts when an allocation fails under the memory limit
        return None, f"the drawing process was ended by {_signal_name(-done.returncode)}"
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        return None, done.stderr.decode("utf-8", "replace").strip()[-300:] or "no picture"
    return done.stdout, ""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


async def preview(site: WebSite, request: Request) -> Response:
    """GET /doc/{doc_id}/preview.png and /doc/{doc_id}/page/{number}/preview.png."""
    number_text = request.path_params.get("number", "1")
    if not ascii_digits(number_text) or len(number_text) > 6:
        raise NotFound(f"page {number_text!r}")
    number = int(number_text)
    with open_catalogue(site.config.archive_dir) as catalog:
        doc = load_document(catalog, request.path_params["doc_id"])
    if not previewable(doc) or not 1 <= number <= (doc.record.get("pages") or 1):
        raise NotFound(f"{doc.record['doc_id']}: no preview of page {number}")
    etag = f'"{doc.sha256[:32]}-{number}-r{RENDERING}"'
    stem = download_name(doc).rpartition(".")[0] or doc.record["doc_id"]
    headers = {
        "Cache-Control": CACHE,
        "ETag": etag,
        "Content-Security-Policy": IMAGE_POLICY,
        "Content-Disposition": content_disposition(f"{stem}-{number}.png", attachment=False),
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    previews: Previews = site.previews
    path = previews.cached(doc.sha256, number)
    if path is not None and path.is_file():  # the usual answer: a file, in a few milliseconds
        response = FileResponse(path, media_type="image/png", headers=headers)
        response.headers["ETag"] = etag
        return response
    pdf = archived_file(site.config.archive_dir, doc)
    data = await anyio.to_thread.run_sync(
        previews.draw, pdf, doc.sha256, number, limiter=previews.limiter
    )
    if data is None:
        raise NotFound(f"{doc.record['doc_id']}: page {number} could not be drawn")
    return Response(data, media_type="image/png", headers=headers)
