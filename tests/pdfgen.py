"""Real PDFs with Polish text (embedded DejaVu font), made in the test session with fpdf2."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def make_pdf(
    pages: Sequence[str],
    *,
    title: str | None = None,
    outline: Sequence[tuple[int, str]] = (),
    creation_date: datetime | None = None,
    landscape: bool = False,
    heading_pt: float | None = None,
) -> bytes:
    """One PDF page per string; `outline` adds bookmarks (1-based page, title); `heading_pt`
    sets each page's first line in that size, as a heading (a long one wraps)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L" if landscape else "P", format="A4")
    pdf.set_creation_date(creation_date or datetime(2021, 6, 16, tzinfo=UTC))
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    if title:
        pdf.set_title(title)
    marks = {p: t for p, t in outline}
    for number, text in enumerate(pages, 1):
        pdf.add_page()
        if number in marks:
            pdf.start_section(marks[number])
        if heading_pt:
            heading, _, text = text.partition("\n")
            pdf.set_font("DejaVu", size=heading_pt)
            pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", size=11)
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def bomb_pdf(uncompressed_mb: int) -> bytes:
    """A small PDF whose one content stream inflates to `uncompressed_mb` MB of text operators:
    a decompression bomb that costs an extractor seconds and gigabytes."""
    import zlib

    ops = b"BT /F1 12 Tf 72 712 Td (a) Tj ET\n" * (uncompressed_mb * 1024 * 1024 // 34)
    stream = zlib.compress(ops, 9)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written object by object, for files no well-behaved tool would make."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    return out + trailer % (len(objects) + 1, xref)
