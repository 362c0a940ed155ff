"""One page of an archived PDF as a small PNG, made in a process of its own: web/previews.py runs
this file as a script (`python -I pagerender.py PDF PAGE`), so it imports nothing of the web
page, and pdfium parsing a file sent by others runs under a memory limit and a deadline there: a
page that takes too much of either ends this process, never the server."""

from __future__ import annotations

import io
import sys

WIDTH = 600  # pixels: sharp at the ~300 px the page shows it, on a screen of twice the density
MAX_HEIGHT = 2400  # an odd page box (a banner, a long strip) is scaled down to fit this
COLOURS = 64  # a page of text is a few greys: a palette PNG is a third of a full-colour one


def render_png(pdf_path: str, number: int, width: int = WIDTH) -> bytes:
    """Page `number` (1-based) of the PDF, `width` pixels wide (narrower for a very tall page),
    as a palette PNG. ValueError for a page it does not have; pdfium's errors as they come."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        if not 1 <= number <= len(pdf):
            raise ValueError(f"the PDF has {len(pdf)} pages, not page {number}")
        page = pdf[number - 1]
        page_width, page_height = page.get_size()  # points, as the page is shown (turned)
        if page_width <= 0 or page_height <= 0:
            raise ValueError(f"page {number} has no size")
        scale = min(width / page_width, MAX_HEIGHT / page_height)
        image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
        out = io.BytesIO()
        image.quantize(COLOURS).save(out, "PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> int:
    """PDF PAGE WIDTH MEMORY_MB: the PNG on stdout, exit 0; one line on stderr, exit 1."""
    try:
        pdf_path, number, width, memory_mb = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
        _limit_memory(memory_mb)
        data = render_png(pdf_path, number, width)
    except Exception as exc:  # what pdfium or Pillow raise (MemoryError too), as one line
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
