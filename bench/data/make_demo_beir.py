"""Build the BEIR-format page corpus of the demo PDFs.

    python bench/data/make_demo_beir.py [--out bench/data/demo-pl]

Builds the demo site into a temporary folder (demo/build_site.py), extracts the text of
every page with pypdfium2 - i.e. what an extractor really sees - and writes corpus.jsonl:
{"_id": "<pdf file stem>#p<N>", "title": "<document title>", "text": "<page text>"},
N counted from 1 (physical page). A PDF served under several paths appears once; its id
uses the stem of the first path in demo/expected.yaml. queries.jsonl and qrels/test.tsv
are written by hand (judged against the corpus) and are not touched by this script.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import tempfile

import pypdfium2 as pdfium

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "demo"))

from build_site import build_site, load_corpus  # noqa: E402


def page_texts(path: pathlib.Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            tp.close()
            page.close()
        return out
    finally:
        doc.close()


def make_corpus(out_dir: pathlib.Path) -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        site = pathlib.Path(tmp)
        build_site(site)
        for meta in sorted(load_corpus(), key=lambda m: m["stem"]):
            first = pathlib.PurePosixPath(meta["paths"][0])
            stem = first.stem if first.suffix == ".pdf" else first.name
            for n, text in enumerate(page_texts(site / first), start=1):
                rows.append({"_id": f"{stem}#p{n}", "title": meta["title"], "text": text})
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "corpus.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "data" / "demo-pl")
    args = ap.parse_args()
    n = make_corpus(args.out)
    print(f"wrote {n} pages to {args.out / 'corpus.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
