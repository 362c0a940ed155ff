"""Polish OCR of PDF pages: Tesseract reads a scanned page's own image at its own resolution,
cleared of dust (extract/scans.py), or else the page rendered by pdfium, giving its text, the mean
confidence of its words and an invisible text layer laid over the original page in a derived PDF.

Tesseract's own command (not ocrmypdf) because one run gives what the catalogue keeps per page
(words with confidences in TSV) and the text-only PDF layer; pdfium renders (already a
dependency) and pypdf grafts the layers, so no Ghostscript is needed. Every external program
runs under coreutils' `timeout`, so a killed worker never leaves one behind.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LANGUAGE = "pol"
DPI = 300
MAX_SIDE_PX = 7000  # a poster page is rendered at a lower resolution rather than 150 MB of pixels
MIN_USABLE_CHARS = 8
_RULE = re.compile(r"[|¦]+")  # a table's ruling read as a "word"
# Characters a real text layer is not made of; a broken font encoding yields mostly these.
_ODD = re.compile(r"[^\w\s.,;:!?()\[\]{}\"'„”«»/\\%&*+=<>§@#$€–—-]")


@dataclass(frozen=True)
class OcrPage:
    number: int  # 1-based page index
    text: str = ""
    confidence: float | None = None  # mean word confidence, 0–100
    layer: str | None = None  # path of the one-page text-only PDF
    error: str | None = None


def tesseract_ready(language: str = DEFAULT_LANGUAGE) -> str | None:
    """None when OCR can run; otherwise the one-line reason and fix."""
    exe = shutil.which("tesseract")
    if exe is None:
        return "tesseract is not installed: run scripts/sysdeps.sh"
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run ({exc}): reinstall it with scripts/sysdeps.sh"
    known = set(out.stdout.split())
    missing = [lang for lang in language.split("+") if lang not in known]
    if missing:
        return f"tesseract has no {'+'.join(missing)} model: install tesseract-ocr-{missing[0]}"
    return None


def text_usable(text: str) -> bool:
    """Whether a page's text layer can be trusted: enough characters, mostly plain ones (a font
    without a Unicode map gives private-use or control characters instead of letters). A table
    of figures is plain: its text layer is kept."""
    # A garbled font garbles the whole page, so its first 800 characters tell: the check then
    # costs a few percent of a page's extraction, not a tenth.
    # split() drops what `\s` matches (both are Py_UNICODE_ISSPACE), at a third of sub's cost;
    # _ODD never matches a space, so it counts the same in the text as in its characters.
    head = text[:800]
    count = sum(map(len, head.split()))
    if count < 200 < len(text):
        head = text
        count = sum(map(len, text.split()))
    if count < MIN_USABLE_CHARS:
        return False
    return len(_ODD.findall(head)) <= 0.2 * count


def ocr_page(
    pdf_path: Path,
    number: int,
    out_dir: Path,
    *,
    language: str = DEFAULT_LANGUAGE,
    seconds: float = 120.0,
) -> OcrPage:
    """OCR one page; failures are values. The text-only layer is left in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocr-", dir=out_dir) as tmp:
        image = Path(tmp) / "page.pgm"
        dpi = _page_image(pdf_path, number, image)
        base = Path(tmp) / "out"
        command = [
            "timeout",
            "--kill-after=5",
            f"{max(1, int(seconds))}",
            "tesseract",
            str(image),
            str(base),
            "-l",
            language,
            "--dpi",
            f"{dpi}",
            "-c",
            "textonly_pdf=1",
            "tsv",
            "pdf",
        ]
        # One thread per run: the pool already runs one page per core.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        if done.returncode in (124, 137):
            return OcrPage(number, error=f"OCR of page {number} took over {seconds:g}s")
        if done.returncode != 0 or not base.with_suffix(".tsv").exists():
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            return OcrPage(number, error=f"tesseract failed on page {number}: {why[0][:150]}")
        text, confidence = tsv_text(base.with_suffix(".tsv").read_text(encoding="utf-8"))
        layer = out_dir / f"page-{number}.pdf"
        os.replace(base.with_suffix(".pdf"), layer)
    return OcrPage(number, text=text, confidence=confidence, layer=str(layer))


def _page_image(pdf_path: Path, number: int, out: Path) -> int:
    """Write the page as Tesseract should read it (8-bit grey PGM) and return its dpi: a scan's
    own image despeckled, or else the page rendered at DPI."""
    import pypdfium2 as pdfium

    from kooperacja.extract.scans import despeckle, page_scan

    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        page = doc[number - 1]
        try:
            scan = page_scan(page)
        except pdfium.PdfiumError:
            scan = None  # an image pdfium cannot decode on its own: the render still shows it
        if scan is not None and max(scan.image.size) <= MAX_SIDE_PX:
            despeckle(scan.image, scan.dpi).save(out, "PPM")
            return scan.dpi
        width, height = page.get_size()
        scale = min(DPI / 72, MAX_SIDE_PX / max(width, height, 1))
        page.render(scale=scale, grayscale=True).to_pil().convert("L").save(out, "PPM")
        return round(scale * 72)
    finally:
        doc.close()  # closes its pages too


def tsv_text(tsv: str) -> tuple[str, float | None]:
    """Text (lines as Tesseract found them, blank line between blocks) and the mean confidence
    of its words from Tesseract's TSV output."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word or _RULE.fullmatch(word):
            continue
        try:
            conf = float(row["conf"])
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        except (KeyError, TypeError, ValueError):
            continue
        if conf >= 0:
            confidences.append(conf)
        lines.setdefault(key, []).append(word)
    out: list[str] = []
    last_block = None
    for (block, _par, _line), words in lines.items():
        if last_block is not None and block != last_block:
            out.append("")
        out.append(" ".join(words))
        last_block = block
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return "\n".join(out), mean


def layer_pdf(original: Path, layers: Mapping[int, str], out_path: Path) -> None:
    """Write the original PDF with each OCR'd page's invisible text laid over it (searchable
    and selectable in any viewer); the page content itself is untouched."""
    from pypdf import PdfReader, PdfWriter, Transformation

    from kooperacja.output import atomic_writer

    reader = PdfReader(str(original))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter(clone_from=reader)
    for number, layer_path in sorted(layers.items()):
        page = writer.pages[number - 1]
        if page.rotation % 360:
            page.transfer_rotation_to_content()  # the layer was read from the page as shown
        layer = PdfReader(layer_path).pages[0]
        box = page.cropbox
        sx = float(box.width) / float(layer.mediabox.width)
        sy = float(box.height) / float(layer.mediabox.height)
        transform = Transformation().scale(sx, sy).translate(float(box.left), float(box.bottom))
        page.merge_transformed_page(layer, transform)
    with atomic_writer(out_path) as fh:
        writer.write(fh)
