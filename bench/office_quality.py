"""Which extractor reads office files most faithfully: antiword, catdoc, catppt, xls2csv or the
XML inside OOXML files, against LibreOffice to PDF (the pipeline's way), on the same files.

The files are written by LibreOffice from real Polish text (the text layer of the acts in
../shared/testdata/pdfs/pl/): Word 97, RTF and .docx documents of 3 pages, PowerPoint 97 and
.pptx presentations of 4 slides, Excel 97 and .xlsx workbooks of 2 sheets. Each extractor's text
is compared with the text the file was written from (character error rate after folding white
space), and its pages with the pages, slides or sheets the file has.

    .venv/bin/python bench/office_quality.py [--json out.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pipeline"))
sys.path.insert(0, str(ROOT))

from kooperacja.extract.extraction import extract_file, extract_office_zip  # noqa: E402
from tests.officegen import make_office_file  # noqa: E402

ACTS = ROOT.parent / "shared" / "testdata" / "pdfs" / "pl"
MEDIA = {
    "doc": "application/msword",
    "rtf": "application/rtf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _quality():
    spec = importlib.util.spec_from_file_location(
        "bench_ocr_quality", ROOT / "bench" / "ocr_quality.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def act_texts(count: int, chars: int) -> list[str]:
    """Text of `count` act pages without the journal's masthead (the same on every first page:
    the pipeline would rightly drop it as a running header), cut at a line end near `chars`."""
    quality = _quality()
    out = []
    for act in sorted(ACTS.glob("dzu_*.pdf"))[:count]:
        text = "\n".join(quality.truth_text(act, 0).splitlines()[5:])
        out.append(text[: text.rfind("\n", 0, chars)] if len(text) > chars else text)
    return out


def contents() -> dict[str, tuple[list, list[str]]]:
    """Per kind: what the file is written from, and the text of each page, slide or sheet."""
    pages = act_texts(3, 1400)
    slides = ["\n".join(line[:90] for line in t.splitlines()[:4]) for t in act_texts(4, 600)]
    words = re.findall(r"[^\W\d_]{4,}", " ".join(act_texts(6, 2000)))
    sheets = [
        (name, [words[i : i + 4] for i in range(start, start + 60, 4)])
        for name, start in (("Gminy", 0), ("Źródła", 60))
    ]
    sheet_texts = ["\n".join(" ".join(row) for row in rows) for _, rows in sheets]
    return {"text": (pages, pages), "slides": (slides, slides), "sheets": (sheets, sheet_texts)}


def run(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, check=True, timeout=120).stdout.decode(
        "utf-8", "replace"
    )


def pptx_xml(path: Path) -> list[str]:
    """Slide texts from the .pptx XML (a:t runs, paragraph by paragraph), as python-pptx reads."""
    out = []
    with zipfile.ZipFile(path) as zf:
        names = sorted(
            (n for n in zf.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
            key=lambda n: int(re.sub(r"\D", "", n)),
        )
        for name in names:
            root = ElementTree.fromstring(zf.read(name))
            paras = [
                "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                for p in root.iter()
                if p.tag.endswith("}p")
            ]
            out.append("\n".join(p for p in paras if p))
    return out


def pipeline(path: Path, fmt: str) -> list[str]:
    result = extract_file(path, MEDIA[fmt])
    if result.text_status != "ok":
        raise RuntimeError(result.error)
    return [p.text for p in result.pages]


EXTRACTORS = {
    "doc": {
        "antiword": lambda p: run(["antiword", "-w", "0", str(p)]).split("\f"),
        "catdoc": lambda p: run(["catdoc", "-d", "utf-8", "-w", str(p)]).split("\f"),
        "LibreOffice→PDF": lambda p: pipeline(p, "doc"),
    },
    "rtf": {
        "catdoc": lambda p: run(["catdoc", "-d", "utf-8", "-w", str(p)]).split("\f"),
        "LibreOffice→PDF": lambda p: pipeline(p, "rtf"),
    },
    "docx": {
        "document.xml": lambda p: [x.text for x in extract_office_zip(p).pages],
        "LibreOffice→PDF": lambda p: pipeline(p, "docx"),
    },
    "ppt": {
        "catppt": lambda p: run(["catppt", "-d", "utf-8", str(p)]).split("\f"),
        "LibreOffice→PDF": lambda p: pipeline(p, "ppt"),
    },
    "pptx": {
        "slide XML (python-pptx's view)": pptx_xml,
        "LibreOffice→PDF": lambda p: pipeline(p, "pptx"),
    },
    "xls": {
        "xls2csv": lambda p: run(["xls2csv", "-d", "utf-8", str(p)]).split("\f"),
        "LibreOffice→xlsx→openpyxl": lambda p: pipeline(p, "xls"),
    },
    "xlsx": {"openpyxl": lambda p: pipeline(p, "xlsx")},
}
KIND = {"doc": "text", "rtf": "text", "docx": "text", "ppt": "slides", "pptx": "slides"}
KIND.update({"xls": "sheets", "xlsx": "sheets"})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    quality = _quality()
    material = contents()
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="office-bench-") as tmp:
        for fmt, extractors in EXTRACTORS.items():
            source, truth_pages = material[KIND[fmt]]
            path = make_office_file(Path(tmp) / f"plik.{fmt}", source)
            truth = "\n".join(truth_pages)
            report[fmt] = {}
            for name, extractor in extractors.items():
                started = time.perf_counter()
                try:
                    pages = [p for p in extractor(path) if p.strip()]
                except Exception as exc:  # an extractor that cannot read the file is a result
                    report[fmt][name] = {"failed": f"{type(exc).__name__}: {str(exc)[:100]}"}
                    continue
                got = "\n".join(pages)
                if KIND[fmt] == "sheets":  # CSV quoting and commas are not the cells' text
                    got = got.replace('"', "").replace(",", " ")
                report[fmt][name] = {
                    "cer": round(quality.cer(got, truth), 4),
                    "pages": len(pages),
                    "expected_pages": len(truth_pages),
                    "seconds": round(time.perf_counter() - started, 2),
                }
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
