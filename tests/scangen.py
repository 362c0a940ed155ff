"""Scanned pages made from real PDF pages: rendered, degraded as a cheap scanner does, wrapped
into image-only PDFs. Deterministic for a given seed (the demo is built byte for byte the same).
Used by the OCR tests, bench/ocr_quality.py and the demo's scanned report."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime
from pathlib import Path

SCANNED = datetime(2020, 1, 1, tzinfo=UTC)


def render(pdf: Path | bytes, index: int, dpi: int):
    """A page as an 8-bit grey PIL image, and its size in points."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        page = doc[index]
        size = page.get_size()
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        page.close()
    finally:
        doc.close()
    return image, size


def degrade(image, seed: int, quality: int = 30, specks: bool = False) -> bytes:
    """What a cheap scan does to a page: a skew of about a degree, a soft focus, grey paper and
    grey ink with sensor noise, JPEG loss; `specks` adds dust. Returns the JPEG bytes."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    angle = rng.choice((-1, 1)) * rng.uniform(0.6, 1.5)
    out = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(0.7))
    out = out.point(lambda v: 40 + v * 185 // 255)  # less contrast
    noise = Image.frombytes("L", out.size, rng.randbytes(out.size[0] * out.size[1]))
    out = ImageChops.add(out, noise.point(lambda v: v * 48 // 255), offset=-24)
    if specks:
        draw = ImageDraw.Draw(out)
        for _ in range(out.size[0] * out.size[1] // 2500):
            x, y, r = rng.randrange(out.size[0]), rng.randrange(out.size[1]), rng.uniform(0.6, 2)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randrange(20, 90))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def image_pdf(
    pages: list[tuple[bytes, tuple[float, float]]], scanned: datetime = SCANNED
) -> bytes:
    """An image-only PDF, one image (PNG or JPEG bytes) per page of the given size in points;
    its creation date is when it was `scanned`."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.set_creation_date(scanned)
    for data, (width, height) in pages:
        pdf.add_page(format=(width, height))
        pdf.image(io.BytesIO(data), x=0, y=0, w=width, h=height)
    return bytes(pdf.output())


def scanned_pdf(
    pdf: bytes, seed: int, dpi: int = 200, quality: int = 40, scanned: datetime = SCANNED
) -> bytes:
    """Every page of `pdf` as a poor scan: no text layer, only pixels."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    count = len(doc)
    doc.close()
    pages = []
    for index in range(count):
        image, size = render(pdf, index, dpi)
        pages.append((degrade(image, seed + index, quality), size))
    return image_pdf(pages, scanned)
