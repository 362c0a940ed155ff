"""A PDF's pages read with pdfium's C functions: text layer, upright size, whether to OCR.

pypdfium2's helper objects (a page and a text page, each with a weakref finalizer) cost more
Python time per page than reading the text does; the loop calls the functions the helpers
call, in the same order and with the same errors, so the text is the same to the character.
"""

from __future__ import annotations

import ctypes
from codecs import decode
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from kooperacja.extract.ocr import text_usable

# FPDFPage_GetRotation's values (pypdfium2.internal.RotationToDegrees)
_DEGREES = {0: 0, 1: 90, 2: 180, 3: 270}
MIN_DRAWN_PATHS = 50  # a page without text but with this many paths shows outlined text


@dataclass(frozen=True)
class PdfPages:
    texts: list[str]
    sizes: list[tuple[float, float]]  # (width, height) in points, as a reader sees the page
    wanted: list[int]  # pages (1-based) to OCR


def read_pages(doc: pdfium.PdfDocument, ocr: str) -> PdfPages:
    """Every page's text as `PdfTextPage.get_text_range()` gives it, its size, and the pages to
    OCR: all with ocr force; with auto, a page without usable text that `_shows` something."""
    texts: list[str] = []
    sizes: list[tuple[float, float]] = []
    wanted: list[int] = []
    handle = doc.raw
    buffer = _Utf16Buffer()
    for i in range(pdfium_c.FPDF_GetPageCount(handle)):
        page = pdfium_c.FPDF_LoadPage(handle, i)
        if not page:
            raise pdfium.PdfiumError("Failed to load page.")
        try:
            textpage = pdfium_c.FPDFText_LoadPage(page)
            if not textpage:
                raise pdfium.PdfiumError("Failed to load text page.")
            try:
                texts.append(_text(textpage, buffer))
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
            width = pdfium_c.FPDF_GetPageWidthF(page)
            height = pdfium_c.FPDF_GetPageHeightF(page)
            rotation = pdfium_c.FPDFPage_GetRotation(page)
            if rotation == -1:
                raise pdfium.PdfiumError("Failed to get page rotation.")
            sizes.append(upright_size((width, height), _DEGREES[rotation]))
        finally:
            pdfium_c.FPDF_ClosePage(page)
        if ocr == "force" or (ocr == "auto" and not text_usable(texts[-1]) and _shows(doc, i)):
            wanted.append(i + 1)
    return PdfPages(texts, sizes, wanted)


def upright_size(size: tuple[float, float], rotation: int) -> tuple[float, float]:
    """A page's (width, height) as a reader sees it: a page turned by 90° swaps them."""
    width, height = size
    return (height, width) if rotation % 180 == 90 else (width, height)


def _shows(doc: pdfium.PdfDocument, index: int) -> bool:
    """Whether a page without usable text shows something OCR could read: an image, or many
    drawn paths (text converted to outlines). Blank pages are not worth two seconds each.
    The page is loaded again, as a helper object (rare: pages without text)."""
    page = doc[index]
    try:
        paths = 0
        for obj in page.get_objects(max_depth=4):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                return True
            if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                paths += 1
                if paths >= MIN_DRAWN_PATHS:
                    return True
        return False
    finally:
        page.close()


class _Utf16Buffer:
    """One UTF-16 buffer for a document's pages, grown as a page needs: a ctypes array type per
    page length (`c_ushort * n`) is created and cached anew for nearly every page."""

    def __init__(self) -> None:
        self.array = (ctypes.c_ushort * 4096)()

    def at_least(self, size: int) -> ctypes.Array:
        if len(self.array) < size:
            self.array = (ctypes.c_ushort * max(size, 2 * len(self.array)))()
        return self.array


def _text(textpage, buffer: _Utf16Buffer) -> str:
    """`PdfTextPage.get_text_range()`: all the text, characters pdfium leaves out of the text
    at either end of the range excluded (pypdfium2 issue 261)."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count == -1:
        raise pdfium.PdfiumError("Failed to get character count.")
    index, last = 0, count - 1
    while index <= last:
        t_start = pdfium_c.FPDFText_GetTextIndexFromCharIndex(textpage, index)
        if t_start == -1:
            index += 1
            continue
        t_end = pdfium_c.FPDFText_GetTextIndexFromCharIndex(textpage, last)
        if t_end == -1:
            last -= 1
            continue
        break
    else:
        return ""
    size = t_end + 2 - t_start  # with the NUL at the end
    array = buffer.at_least(size)
    ctypes.memset(array, 0, 2 * size)  # as a new buffer of `size` is, should pdfium write less
    out_count = pdfium_c.FPDFText_GetText(textpage, index, last - index + 1, array)
    assert size >= out_count, f"Buffer too small: {size} vs {out_count}"
    return decode(memoryview(array)[:size][: out_count - 1], "utf-16-le", errors="ignore")
