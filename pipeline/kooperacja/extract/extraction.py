"""Text of an archived document, page by page, with page labels and sections.

pdfium gives the text (pdfpages.py: about 20x faster than pypdf with the same Polish text, and it
marks line-end hyphens with U+FFFE, which makes de-hyphenation exact), the metadata, the page
labels and the outline; pypdf is the fallback when pdfium cannot read a file.
"""

from __future__ import annotations

import logging
import re
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.etree import ElementTree

from kooperacja.extract import office
from kooperacja.extract.ocr import MIN_USABLE_CHARS, OcrPage
from kooperacja.extract.pdfpages import read_pages, upright_size
from kooperacja.extract.textrepair import repair_page_text, strip_repeated_margins
from kooperacja.models import PageText, Recommendation

logger = logging.getLogger(__name__)

EXTRACT_VERSION = 3  # v2: OCR of pages without a usable text layer; office files; v3: the
# document's own list of abbreviations beside its pages, chapters ("Rozdział 4") as sections
# (a v2 text is upgraded in place from its stored pages: run.py)
RECOMMENDATION = re.compile(
    r"^[ \t]*(Rekomendacja\s+(?:nr\s+)?\d+[a-z]?[.:)]?(?:[ \t]+\S.{0,100})?)$", re.I | re.M
)
# "Rozdział 4" or "DZIAŁ IV" alone on its line, the chapter's title on the next: how acts and
# reports number their chapters (a search for `rozdział czwarty` meets it as a section heading).
CHAPTER = re.compile(
    r"^[ \t]*((?:Rozdział|ROZDZIAŁ|Dział|DZIAŁ|Część|CZĘŚĆ)[ \t]+(?:[IVXL]+|\d{1,3}[a-z]?)\.?)"
    r"[ \t]*\n[ \t]*(\S[^\n]{0,100})$",
    re.M,
)
READ_WHOLE_BYTES = 64 * 2**20  # PDFs up to this size are read into memory for pdfium
OFFICE_METADATA = {"/Title", "/Author", "/Subject", "/Keywords"}
# A heading line this long may have wrapped: an A4 page holds 55 or more characters a line up
# to 14 pt; a shorter heading line is whole, and the line after it is text.
WRAPPED_LINE = 50
TOC_ENTRY = re.compile(r"(\.{3,}|…)\s*\d*\s*$|\S\s+\d{1,4}\s*$")
METADATA_KEYS = (
    "/Title",
    "/Author",
    "/Subject",
    "/Keywords",
    "/Creator",
    "/Producer",
    "/CreationDate",
    "/ModDate",
)


@dataclass(frozen=True)
class Extraction:
    text_status: str  # ok | ocr | no_text_layer | encrypted | failed
    pages: tuple[PageText, ...] = ()
    page_count: int | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None
    title: str = ""  # for HTML: the page's title
    page_sizes: tuple[tuple[float, float], ...] = ()  # (width, height) in points, per PDF page
    ocr_wanted: tuple[int, ...] = ()  # pages (1-based) to OCR before the extraction is final
    outline: tuple[tuple[int, str], ...] = ()  # (0-based page, title), to place OCR'd pages
    # What the worker read from the final pages (workers.Job); None: not read (yet).
    abbreviations: tuple[tuple[str, str], ...] | None = None
    recommendations: tuple[Recommendation, ...] | None = None
    stored: bool = False  # the worker wrote the final pages beside the file; `pages` left empty

    @property
    def ocr_pages(self) -> int:
        return sum(1 for p in self.pages if p.source == "ocr")

    @property
    def ocr_confidence(self) -> float | None:
        values = [p.confidence for p in self.pages if p.confidence is not None]
        return round(sum(values) / len(values), 1) if values else None


def extract_file(
    path: Path,
    media_type: str,
    charset: str | None = None,
    *,
    ocr: str = "never",
    seconds: float = 120.0,
) -> Extraction:
    """Extract one archived file. Never raises for a bad document: failures are values.

    `charset` is what the server declared for an HTML page (None for other files). `ocr` is
    auto or force for a PDF whose pages may be OCR'd: the pages to read are listed in
    `ocr_wanted`, and `with_ocr` makes the final extraction from what OCR read. `seconds` bounds
    the programs an office file is converted with."""
    try:
        if media_type == "application/pdf":
            return extract_pdf(path, ocr)
        if media_type == "text/html":
            return extract_html(path, charset)
        if media_type in office.TO_PDF or media_type in office.SPREADSHEETS:
            return extract_office(path, media_type, seconds)
        return Extraction("failed", error=f"no text extractor for {media_type} files")
    except MemoryError:
        return Extraction("failed", error="ran out of memory while extracting")
    except Exception as exc:  # one broken document never stops the batch
        logger.debug("extraction of %s failed", path, exc_info=True)
        return Extraction("failed", error=f"{type(exc).__name__}: {str(exc)[:200]}")


def extract_pdf(path: Path, ocr: str = "never") -> Extraction:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(_pdf_source(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            return Extraction("encrypted", error="the PDF needs a password to open")
        return _extract_with_pypdf(path, f"pdfium: {message}")
    try:
        read = read_pages(doc, ocr)
        raw, sizes, wanted = read.texts, read.sizes, read.wanted
        meta, labels, outline = _pdfium_structure(doc, len(raw))
    finally:
        doc.close()
    extraction = _finish(raw, meta, labels, outline, bool(wanted))
    return replace(extraction, page_sizes=tuple(sizes), ocr_wanted=tuple(wanted))


def _pdf_source(path: Path) -> bytes | str:
    """The file's bytes for pdfium when it is not large: reading a file by path, pdfium asks
    its size (fstat) for every block it reads (bench/RESULTS.md). Large files stay on disk, so
    the worker's memory limit holds."""
    try:
        if path.stat().st_size <= READ_WHOLE_BYTES:
            return path.read_bytes()
    except OSError:
        pass  # pdfium names the problem as it always did
    return str(path)


def _pdfium_structure(doc, count: int) -> tuple[dict[str, str], list[str], list[tuple[int, str]]]:
    """Metadata, page labels and outline, read by pdfium from the open document (no second
    parse of the file by pypdf, which costs more than the text itself on big files)."""
    meta: dict[str, str] = {}
    labels: list[str] = []
    outline: list[tuple[int, str]] = []
    try:
        meta = {f"/{k}": str(v) for k, v in doc.get_metadata_dict().items() if v}
        labels = [doc.get_page_label(i) for i in range(count)]
        for bookmark in doc.get_toc(max_depth=8):
            dest = bookmark.get_dest()
            index = dest.get_index() if dest is not None else None
            title = " ".join((bookmark.get_title() or "").split())
            if index is not None and index >= 0 and title:
                outline.append((index, title))
    except Exception as exc:  # structure is a bonus; text is what matters
        logger.debug("no structure: %s", exc)
    if not any(labels) or all(label == str(i + 1) for i, label in enumerate(labels)):
        labels = []  # absent, or equal to the index: they tell the reader nothing
    return meta, labels, sorted(outline, key=lambda x: x[0])


def _extract_with_pypdf(path: Path, why: str) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            return Extraction("encrypted", error="the PDF needs a password to open")
        raw = [page.extract_text() or "" for page in reader.pages]
        sizes = tuple(
            upright_size((float(p.mediabox.width), float(p.mediabox.height)), p.rotation or 0)
            for p in reader.pages
        )
    except FileNotDecryptedError:
        return Extraction("encrypted", error="the PDF needs a password to open")
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError) as exc:
        return Extraction("failed", error=f"unreadable PDF ({why}; pypdf: {str(exc)[:120]})")
    meta, labels, outline = _pypdf_structure(path, len(raw))
    return replace(_finish(raw, meta, labels, outline), page_sizes=sizes)


def _finish(raw: list[str], meta, labels, outline, keep_pages: bool = False) -> Extraction:
    """The extraction of a PDF's text layer; `keep_pages`: keep them even when empty, for OCR
    to fill in."""
    count = len(raw)
    if count == 0:
        return Extraction("failed", page_count=0, metadata=meta, error="the PDF has no pages")
    # is_word=None: a worker must not load a 400 MB dictionary for a rare hyphen case.
    repaired = strip_repeated_margins([repair_page_text(t, is_word=None) for t in raw])
    pages = _pages(repaired, labels, outline)
    if all(len(re.sub(r"\s", "", t)) < MIN_USABLE_CHARS for t in repaired):  # a scan
        return Extraction(
            "no_text_layer",
            pages=pages if keep_pages else (),
            page_count=count,
            metadata=meta,
            error="no text layer: the pages are images, OCR is needed",
            outline=tuple(outline),
        )
    return Extraction("ok", pages=pages, page_count=count, metadata=meta, outline=tuple(outline))


def _pages(
    texts: list[str], labels, outline, old: tuple[PageText, ...] = ()
) -> tuple[PageText, ...]:
    sections = page_sections(texts, list(outline))
    return tuple(
        PageText(
            number=i + 1,
            text=t,
            label=labels[i] if i < len(labels) else "",
            section=sections[i],
            source=old[i].source if i < len(old) else "",
            confidence=old[i].confidence if i < len(old) else None,
        )
        for i, t in enumerate(texts)
    )


def with_ocr(extraction: Extraction, read: Mapping[int, OcrPage]) -> Extraction:
    """The final extraction once OCR has read the wanted pages: a page whose OCR found words
    takes that text (marked as OCR, with its confidence); the document is `ocr` when any did."""
    old = list(extraction.pages)
    found = {n: r for n, r in read.items() if r.text.strip() and 1 <= n <= len(old)}
    errors = sorted({r.error for r in read.values() if r.error})
    if not found:
        why = errors[0] if errors else f"OCR found no text on {len(read)} page(s)"
        note = f"{extraction.error}; {why}" if extraction.error else why
        pages = extraction.pages if extraction.text_status == "ok" else ()
        return replace(extraction, pages=pages, ocr_wanted=(), error=note)
    for n, r in found.items():
        old[n - 1] = replace(
            old[n - 1],
            text=repair_page_text(r.text, is_word=None),
            source="ocr",
            confidence=r.confidence,
        )
    labels = [p.label for p in old]
    pages = _pages([p.text for p in old], labels, extraction.outline, tuple(old))
    note = f"{len(errors)} page(s) not read by OCR: {errors[0]}" if errors else None
    return replace(extraction, text_status="ocr", pages=pages, ocr_wanted=(), error=note)


def _pypdf_structure(
    path: Path, count: int
) -> tuple[dict[str, str], list[str], list[tuple[int, str]]]:
    """Metadata, page labels and outline from pypdf; empty where the file does not say."""
    meta: dict[str, str] = {}
    labels: list[str] = []
    outline: list[tuple[int, str]] = []
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt("")
        info = reader.metadata or {}
        for key in METADATA_KEYS:
            value = info.get(key)
            if value:
                meta[key] = str(value)
        if "/PageLabels" in reader.trailer["/Root"]:
            labels = [str(label) for label in reader.page_labels]
        outline = _flatten_outline(reader, reader.outline)
    except Exception as exc:  # structure is a bonus; text is what matters
        logger.debug("no structure from %s: %s", path, exc)
    if labels and all(label == str(i + 1) for i, label in enumerate(labels)):
        labels = []  # labels that equal the index tell the reader nothing
    return meta, labels[:count], outline


def _flatten_outline(reader, items, depth: int = 0) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    if depth > 8:
        return out
    for item in items:
        if isinstance(item, list):
            out.extend(_flatten_outline(reader, item, depth + 1))
            continue
        try:
            index = reader.get_destination_page_number(item)
        except Exception:
            continue
        title = " ".join(str(getattr(item, "title", "") or "").split())
        if index is not None and index >= 0 and title:
            out.append((index, title))
    return sorted(out, key=lambda x: x[0])


def page_sections(pages: list[str], outline: list[tuple[int, str]]) -> list[str]:
    """The section each page belongs to: the last outline entry or numbered recommendation
    that starts on or before it (a recommendation heading on the page itself wins)."""
    starts: dict[int, str] = {}
    for index, title in outline:
        starts[index] = title  # the last entry starting on a page is the one running on
    sections = []
    current = ""
    for i, text in enumerate(pages):
        headings = recommendation_headings(text) or chapter_headings(text)
        if i in starts:
            current = starts[i]
        if headings:
            sections.append(headings[0])
            current = headings[-1]
        else:
            sections.append(current)
    return sections


def recommendation_headings(text: str) -> list[str]:
    """ "Rekomendacja 3. …" headings on a page; table-of-contents lines (ending in a page number
    or dot leaders) are not headings."""
    found = []
    for m in RECOMMENDATION.finditer(text):
        more = heading_continuation(m.group(1), text, m.end())
        line = " ".join((m.group(1) + " " + more).split())
        if not TOC_ENTRY.search(line) or re.fullmatch(
            r"Rekomendacja\s+(nr\s+)?\d+\w?[.:)]?", line, re.I
        ):
            found.append(line[:120])
    return found


def chapter_headings(text: str) -> list[str]:
    """ "Rozdział 4 Rozliczenia finansowe …" headings on a page (the number's line and the title
    under it); a table of contents' entries, ending in a page number, are none."""
    return [
        " ".join(f"{m.group(1)} {m.group(2)}".split())[:120]
        for m in CHAPTER.finditer(text)
        if not TOC_ENTRY.search(m.group(2))
    ]


def heading_continuation(heading: str, text: str, end: int) -> str:
    """The line after a heading when it carries the heading on (a heading wrapped in the PDF:
    "… z dzielnicowymi" / "Policji"): the heading's line is long enough to have wrapped, the
    next is shorter, as the rest of a wrapped line is, with no label ("Adresaci: …") and no
    sentence end; empty otherwise."""
    heading = heading.strip()
    following = text[end:].lstrip(" \t")
    if (
        len(heading) < WRAPPED_LINE
        or not following.startswith("\n")
        or heading.endswith((".", ":", "!", "?"))
    ):
        return ""
    line = following[1:].split("\n", 1)[0].strip()
    if (
        not line
        or len(line) >= len(heading)
        or ":" in line
        or line.endswith((".", ";", "!", "?"))
        or RECOMMENDATION.match(line)
    ):
        return ""
    return line


def extract_html(path: Path, charset: str | None = None) -> Extraction:
    """A page's main text, decoded with the charset its server sent (recorded at crawl time),
    and what kind of page it is: an article's heading is its title, its printed date is kept
    for tagging."""
    # Imported here: BeautifulSoup is slow to import, in the parent and in the forkserver, and
    # a run of PDFs never needs it (run_bounded preloads it when a run has pages).
    from kooperacja.webpage.htmltext import read_html

    title, text, kind = read_html(path.read_bytes(), charset)
    return Extraction(
        "ok",
        pages=(PageText(number=1, text=text),),
        page_count=1,
        metadata=kind.metadata(),
        title=kind.heading or title,
    )


def extract_office(path: Path, media_type: str, seconds: float) -> Extraction:
    """Office files: see kooperacja.extract.office. The PDF LibreOffice writes is read like any PDF,
    keeping only the document's own metadata (its dates would be the conversion's)."""
    with tempfile.TemporaryDirectory(prefix="kooperacja-office-") as tmp:
        try:
            if media_type in office.SPREADSHEETS:
                pages = office.spreadsheet_pages(path, media_type, Path(tmp), seconds)
                if not any(p.text for p in pages):
                    return Extraction(
                        "no_text_layer", page_count=len(pages), error="the sheets are empty"
                    )
                return Extraction("ok", pages=tuple(pages), page_count=len(pages))
            pdf = office.office_to_pdf(path, media_type, Path(tmp), seconds)
        except office.OfficeError as exc:
            if media_type in (office.DOCX, office.ODT):
                return extract_office_zip(path)  # their XML is readable without LibreOffice
            return Extraction("failed", error=str(exc))
        result = extract_pdf(pdf)
    meta = {k: v for k, v in result.metadata.items() if k in OFFICE_METADATA}
    if result.text_status == "no_text_layer":
        return replace(result, metadata=meta, error="the document has no text (images only?)")
    if media_type in (office.PPT, office.PPTX):
        # LibreOffice's bookmarks say "Slide 2"; the slide's own title tells the reader more.
        pages = tuple(replace(p, section=_first_line(p.text)) for p in result.pages)
        return replace(result, metadata=meta, pages=pages)
    return replace(result, metadata=meta)


def _first_line(text: str) -> str:
    return next((line.strip()[:120] for line in text.splitlines() if line.strip()), "")


def extract_office_zip(path: Path) -> Extraction:
    """Paragraph text of .docx and .odt files (both are zipped XML); one page, as they have no
    fixed pages."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        member = "word/document.xml" if "word/document.xml" in names else "content.xml"
        info = zf.getinfo(member)
        if info.file_size > 200 * 1024 * 1024:
            return Extraction("failed", error="document XML over 200 MB unpacked")
        root = ElementTree.fromstring(zf.read(member))
    paragraphs = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("p", "h"):
            text = "".join(el.itertext()).strip()
            if text:
                paragraphs.append(text)
    text = repair_page_text("\n".join(paragraphs), is_word=None)
    if not text.strip():
        return Extraction("no_text_layer", page_count=1, error="the document has no text")
    return Extraction("ok", pages=(PageText(number=1, text=text),), page_count=1)
