"""A scanned page's own image, read at the resolution it was scanned at, and dust taken off it.

Re-rendering a 200 dpi scan at 300 dpi resamples its JPEG noise into letter shapes; Tesseract
reads the stored pixels better when told their real resolution. Dust is the scan's other
defect: specks the size of a full stop, away from any letter, that Tesseract reads as
punctuation or that break its lines. Only those are taken off: a small mark near a letter
(a full stop, an i's dot, a diacritic) stays. Pillow decodes and draws; the component search is
run-length union-find in Python (a quarter of a second on a 200 dpi page, a tenth of
Tesseract's time). Figures: bench/RESULTS.md, "OCR quality and speed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_NATIVE_DPI = 150  # below this the page is rendered at 300 dpi, as for any other page
EDGE_TOLERANCE = 0.01  # share of the page's side an image's edge may miss the crop box by
SPECK_SIDE_MM = 0.8  # a speck fits in this square (a full stop in 10 pt type does too)
SPECK_GAP_MM = 1.2  # a small mark within this of a larger one belongs to it (an i's dot)
# Runs of ink per million pixels past which an image is a photograph or noise, not dust on a
# page (a dusty 200 dpi page has ~14,000; pure noise ~240,000, which would cost seconds here).
MAX_RUNS_PER_MPX = 60_000
_INK_RUN = re.compile(rb"\x01+")


@dataclass(frozen=True)
class ScanImage:
    image: object  # PIL.Image.Image, 8-bit grey, upright as the page is shown
    dpi: int


def page_scan(page) -> ScanImage | None:
    """The page's one image at its own resolution when the page is nothing but that image,
    upright and covering the page (invisible text, such as an old OCR layer, may lie over it);
    None when the page has to be rendered instead."""
    import pypdfium2.raw as raw

    if page.get_rotation() % 360:
        return None
    images = []
    for obj in page.get_objects(max_depth=1):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            images.append(obj)
        elif not (
            obj.type == raw.FPDF_PAGEOBJ_TEXT
            and raw.FPDFTextObj_GetTextRenderMode(obj.raw) == raw.FPDF_TEXTRENDERMODE_INVISIBLE
        ):
            return None
    if len(images) != 1:
        return None
    image = images[0]
    matrix = image.get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return None  # turned or mirrored: the render shows it as the page does
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    x0, y0, x1, y1 = image.get_bounds()
    tolerance = EDGE_TOLERANCE * max(width, height)
    edges = (x0 - left, y0 - bottom, x1 - right, y1 - top)
    if any(abs(edge) > tolerance for edge in edges):
        return None  # the text layer is laid over the crop box, so the image must fill it
    if image.get_metadata().colorspace == raw.FPDF_COLORSPACE_UNKNOWN:
        return None  # a stencil mask: its colour comes from the page, not the pixels
    pixels = image.get_bitmap(render=False).to_pil().convert("L")
    dpi = round(72 * pixels.width / width)
    if dpi < MIN_NATIVE_DPI:
        return None
    return ScanImage(pixels, dpi)


def despeckle(image, dpi: int):
    """The image with isolated specks painted over in the paper's grey: dark components that
    fit in a SPECK_SIDE_MM square with no larger component within SPECK_GAP_MM. An image of
    too many ink runs to be a page is returned as it is."""
    from PIL import ImageDraw

    histogram = image.histogram()
    threshold = otsu_threshold(histogram)
    paper = max(range(threshold + 1, 256), key=histogram.__getitem__, default=255)
    ink = image.point(lambda v: 1 if v <= threshold else 0)
    if ink.tobytes().count(b"\x00\x01") > MAX_RUNS_PER_MPX * image.width * image.height / 1e6:
        return image
    per_mm = dpi / 25.4
    side, gap = SPECK_SIDE_MM * per_mm, max(1, round(SPECK_GAP_MM * per_mm))
    small = [
        box for box in ink_components(ink) if box[2] - box[0] <= side and box[3] - box[1] <= side
    ]
    anchors = ink.copy()  # ink a small mark may belong to: larger marks, then the marks kept
    erase = ImageDraw.Draw(anchors)
    for x0, y0, x1, y1 in small:
        erase.rectangle((x0, y0, x1 - 1, y1 - 1), fill=0)
    width, height = image.size
    kept = True
    while kept and small:  # a full stop after a closing quote is kept through the quote
        kept, alone = False, []
        for x0, y0, x1, y1 in small:
            near = (max(0, x0 - gap), max(0, y0 - gap), min(width, x1 + gap), min(height, y1 + gap))
            if anchors.crop(near).getbbox() is None:
                alone.append((x0, y0, x1, y1))
            else:
                erase.rectangle((x0, y0, x1 - 1, y1 - 1), fill=1)
                kept = True
        small = alone
    out = image.copy()
    paint = ImageDraw.Draw(out)
    for x0, y0, x1, y1 in small:
        paint.rectangle((x0 - 1, y0 - 1, x1, y1), fill=paper)  # and its blurred rim
    return out


def ink_components(ink) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1; ends exclusive) of the 8-connected components of a 0/1
    image: runs of ink per row, joined with the touching runs of the row above."""
    width, height = ink.size
    data = ink.tobytes()
    parent: list[int] = []
    runs: list[tuple[int, int, int]] = []

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    above: list[int] = []
    for y in range(height):
        row: list[int] = []
        first = 0
        for match in _INK_RUN.finditer(data, y * width, (y + 1) * width):
            x0, x1 = match.start() - y * width, match.end() - y * width
            index = len(runs)
            runs.append((y, x0, x1))
            parent.append(index)
            row.append(index)
            while first < len(above) and runs[above[first]][2] < x0:
                first += 1
            k = first
            while k < len(above) and runs[above[k]][1] <= x1:
                a, b = root(index), root(above[k])
                if a != b:
                    parent[a] = b
                k += 1
        above = row
    boxes: dict[int, list[int]] = {}
    for index, (y, x0, x1) in enumerate(runs):
        box = boxes.setdefault(root(index), [x0, y, x1, y + 1])
        box[0], box[1] = min(box[0], x0), min(box[1], y)
        box[2], box[3] = max(box[2], x1), max(box[3], y + 1)
    return [(b[0], b[1], b[2], b[3]) for b in boxes.values()]


def otsu_threshold(histogram: list[int]) -> int:
    """The grey level that best splits ink from paper (Otsu's between-class variance)."""
    total = sum(histogram)
    weighted = sum(level * count for level, count in enumerate(histogram))
    below = below_weighted = 0
    best, best_level = -1.0, 127
    for level, count in enumerate(histogram):
        below += count
        below_weighted += level * count
        above = total - below
        if below == 0 or above == 0:
            continue
        spread = below * above * (below_weighted / below - (weighted - below_weighted) / above) ** 2
        if spread > best:
            best, best_level = spread, level
    return best_level
