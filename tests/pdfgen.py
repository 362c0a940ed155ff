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
) -> bytes:
    """One PDF page per string; `outline` adds bookmarks (1-based page, title)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
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
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
