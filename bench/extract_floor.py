"""Where extraction's floor is: CPU seconds over the same PDFs, one process at a time, in
interleaved rounds (a loaded machine moves every figure; the ratios in one round hold better).

- pdftotext: one process per file, as bench/fts5.py runs it.
- pdfium's calls alone: load each page, load its text page, get its text, close both.
- the worker's whole job (`workers.Job.run`: pdfium, text repair, sections, abbreviations,
  recommendations), once for each `--pythonpath` given (e.g. the code before and after).

    PYTHONPATH=pipeline .venv/bin/python bench/extract_floor.py bench/work/run-5000/archive/blobs \
        --pythonpath pipeline --rounds 3
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

PDFIUM_ONLY = r"""
import ctypes, sys
import pypdfium2 as pdfium, pypdfium2.raw as c
for p in sys.argv[1:]:
    d = pdfium.PdfDocument(p); h = d.raw
    for i in range(c.FPDF_GetPageCount(h)):
        pg = c.FPDF_LoadPage(h, i); tp = c.FPDFText_LoadPage(pg); k = c.FPDFText_CountChars(tp)
        buf = (ctypes.c_ushort * (k + 1))(); c.FPDFText_GetText(tp, 0, k, buf)
        c.FPDFText_ClosePage(tp); c.FPDF_ClosePage(pg)
    d.close()
"""
WORKER_JOB = r"""
import sys
from pathlib import Path
from kooperacja.extract.workers import Job
for p in sys.argv[1:]:
    Job("k", Path(p), "application/pdf", None, ocr="auto").run(120)
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu(command: list[str], env: dict | None = None) -> float:
    before = _children_cpu()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return _children_cpu() - before


def _pdftotext(pdfs: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        return sum(
            _cpu(["pdftotext", "-enc", "UTF-8", p, str(Path(tmp) / "out.txt")]) for p in pdfs
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a folder with the PDFs (searched recursively)")
    ap.add_argument("--pythonpath", action="append", default=[], help="code to time Job.run of")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    pdfs = sorted(str(p) for p in args.folder.rglob("*.pdf"))
    py = sys.executable
    for _ in range(args.rounds):
        ref = _pdftotext(pdfs)
        figures = {"pdftotext": ref, "pdfium calls": _cpu([py, "-c", PDFIUM_ONLY, *pdfs])}
        for path in args.pythonpath:
            env = dict(os.environ, PYTHONPATH=path)
            figures[f"Job.run {path}"] = _cpu([py, "-c", WORKER_JOB, *pdfs], env)
        print(
            " | ".join(f"{k} {v:.2f} s ({ref / v:.3f}x)" for k, v in figures.items())
            + f" | {len(pdfs)} PDFs, load {os.getloadavg()[0]:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
