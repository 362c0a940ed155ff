"""OCR quality against ground truth, and OCR speed on the extraction workers.

Pages of the real acts in ../shared/testdata/pdfs/pl/ are rendered to images (clean: 300 dpi,
lossless; degraded: 200 dpi, skewed, with sensor noise and JPEG loss, as a cheap scanner gives),
wrapped into image-only PDFs and read by the pipeline's own OCR path (extraction finds no text
layer, the worker pool OCRs the pages, `with_ocr` makes the final text). The character error
rate compares that text with the act's own text layer. The real scans in pl_scanned/ have no
ground truth: for them the mean Tesseract confidence and the share of words the Polish
dictionary knows are reported. Beside each variant, Tesseract's own command reads the same
images at their own resolution with nothing around it (no cleaning): its error rate and its speed
in the same run.

    .venv/bin/python bench/ocr_quality.py [--pages 12] [--workers 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pipeline"))
sys.path.insert(0, str(ROOT))

from kooperacja.extract.extraction import Extraction, extract_file, with_ocr  # noqa: E402
from kooperacja.extract.textrepair import repair_page_text  # noqa: E402
from kooperacja.extract.workers import Limits, OcrJob, run_bounded  # noqa: E402
from tests.scangen import degrade, image_pdf, png, render  # noqa: E402

ACTS = ROOT.parent / "shared" / "testdata" / "pdfs" / "pl"
SCANS = ROOT.parent / "shared" / "testdata" / "pdfs" / "pl_scanned"


def levenshtein(a: str, b: str) -> int:
    """Edit distance (Myers/Hyyrö bit-parallel; Python's big integers hold the whole column)."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, c in enumerate(b):
        peq[c] = peq.get(c, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for c in a:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})
_QUOTES = str.maketrans({c: '"' for c in "„”“«»″"} | {c: "'" for c in "‘’‚′"})


def normalise(text: str) -> str:
    """Compare words, not layout or typography: every run of white space is one space, every
    dash a hyphen, every quotation mark a straight one (search folds them alike)."""
    return " ".join(text.translate(_DASHES).translate(_QUOTES).split())


def cer(ocr: str, truth: str) -> float:
    truth, ocr = normalise(truth), normalise(ocr)
    return levenshtein(ocr, truth) / max(1, len(truth))


def truth_text(pdf: Path, index: int) -> str:
    """The act's own text layer of one page (0-based), repaired as the pipeline repairs it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[index]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        textpage.close()
        page.close()
    finally:
        doc.close()
    return repair_page_text(text, is_word=None)


def ocr_documents(
    paths: list[Path], workers: int, work: Path
) -> tuple[dict[Path, Extraction], int]:
    """The pipeline's OCR path for each PDF: extraction (auto) lists the pages, the worker pool
    reads them, `with_ocr` gives the final text. Returns the extractions and pages read."""
    first = {p: extract_file(p, "application/pdf", ocr="auto") for p in paths}
    queue: deque = deque(
        OcrJob(str(p), p, n, work / f"{i}")
        for i, p in enumerate(paths)
        for n in first[p].ocr_wanted
    )
    read: dict[Path, dict] = {p: {} for p in paths}
    pages = len(queue)
    for job, result in run_bounded(queue, Limits(workers=workers)):
        read[job.path][job.page] = result
    return {p: with_ocr(first[p], read[p]) for p in paths}, pages


def tesseract_alone(
    images: list[tuple[Path, int]], workers: int, work: Path
) -> tuple[list[str], float]:
    """The reference: Tesseract's own command on the same page images (each at its own dpi),
    `workers` at a time, with nothing of the pipeline around it. Returns the texts and pages per
    second."""
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    from kooperacja.extract.ocr import tsv_text

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(i_image: tuple[int, tuple[Path, int]]) -> str:
        i, (image, dpi) = i_image
        out = work / f"ref-{image.stem}-{i}"
        command = ["tesseract", str(image), str(out), "-l", "pol", "--dpi", str(dpi)]
        subprocess.run([*command, "tsv"], check=True, capture_output=True, env=env)
        return tsv_text(out.with_suffix(".tsv").read_text(encoding="utf-8"))[0]

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        texts = list(pool.map(one, enumerate(images)))
    return texts, len(images) / (time.perf_counter() - started)


def pick_pages(count: int) -> list[tuple[Path, int]]:
    """Pages spread over the acts: the first page of each (stamps, headings) and inner pages."""
    import pypdfium2 as pdfium

    acts = sorted(ACTS.glob("dzu_*.pdf"))
    picked: list[tuple[Path, int]] = []
    for i, act in enumerate(acts[:count]):
        doc = pdfium.PdfDocument(str(act))
        picked.append((act, (i * 3) % len(doc)))
        doc.close()
    return picked


def own_dpi(data: bytes, size: tuple[float, float]) -> int:
    """The resolution an image has when it fills a page of `size` points."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return round(72 * image.width / size[0])


def overall(rows: list[dict], key: str) -> float:
    """Character error rate over all pages: edits summed over characters summed."""
    edits = sum(r[key] * len(normalise(r["truth"])) for r in rows)
    return round(edits / sum(len(normalise(r["truth"])) for r in rows), 4)


def dictionary_share(text: str) -> float:
    """Share of the words (3+ letters) that simplemma's Polish dictionary knows."""
    import simplemma

    words = re.findall(r"[^\W\d_]{3,}", text)
    if not words:
        return 0.0
    return sum(bool(simplemma.is_known(w.lower(), lang="pl")) for w in words) / len(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, default=12, help="act pages, each clean and degraded")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    report: dict = {"workers": args.workers, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as tmp:
        work = Path(tmp)
        rows = []
        docs: dict[str, list[Path]] = {"clean": [], "degraded": [], "degraded_dust": []}
        images: dict[str, list[tuple[Path, int]]] = {kind: [] for kind in docs}
        for k, (act, index) in enumerate(pick_pages(args.pages)):
            clean, size = render(act, index, 300)
            low, _ = render(act, index, 200)
            variants = (
                ("clean", png(clean), ".png"),
                ("degraded", degrade(low, seed=k), ".jpg"),
                ("degraded_dust", degrade(low, seed=k, specks=True), ".jpg"),
            )
            for kind, data, suffix in variants:
                path = work / f"{kind}-{k}.pdf"
                path.write_bytes(image_pdf([(data, size)]))
                docs[kind].append(path)
                image = path.with_suffix(suffix)
                image.write_bytes(data)
                images[kind].append((image, own_dpi(data, size)))
            rows.append({"act": act.name, "page": index + 1, "truth": truth_text(act, index)})
        for kind, paths in docs.items():
            started = time.perf_counter()
            results, pages = ocr_documents(paths, args.workers, work / kind)
            seconds = time.perf_counter() - started
            rates = []
            for row, path in zip(rows, paths, strict=True):
                result = results[path]
                text = "\n".join(p.text for p in result.pages)
                row[f"{kind}_cer"] = round(cer(text, row["truth"]), 4)
                row[f"{kind}_confidence"] = result.ocr_confidence
                rates.append(row[f"{kind}_cer"])
            texts, reference = tesseract_alone(images[kind], args.workers, work)
            alone = [{**r, "ref": cer(t, r["truth"])} for r, t in zip(rows, texts, strict=True)]
            report[kind] = {
                "pages": pages,
                "seconds": round(seconds, 1),
                "pages_per_s": round(pages / seconds, 2),
                "cer": overall(rows, f"{kind}_cer"),
                "mean_page_cer": round(sum(rates) / len(rates), 4),
                "max_page_cer": max(rates),
                "tesseract_alone": {
                    "cer": overall(alone, "ref"),
                    "pages_per_s": round(reference, 2),
                },
                "ratio_to_tesseract_alone": round(pages / seconds / reference, 2),
            }
        report["tesseract_alone_pages_per_s"] = report["clean"]["tesseract_alone"]["pages_per_s"]
        scans = sorted(SCANS.glob("*.pdf"))
        started = time.perf_counter()
        results, pages = ocr_documents(scans, args.workers, work / "scans")
        seconds = time.perf_counter() - started
        report["real_scans"] = {
            "pages": pages,
            "seconds": round(seconds, 1),
            "pages_per_s": round(pages / seconds, 2),
            "documents": {
                p.name: {
                    "pages": results[p].ocr_pages,
                    "confidence": results[p].ocr_confidence,
                    "dictionary_words": round(
                        dictionary_share(" ".join(x.text for x in results[p].pages)), 3
                    ),
                }
                for p in scans
            },
        }
        report["pages"] = [{k: v for k, v in r.items() if k != "truth"} for r in rows]
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
