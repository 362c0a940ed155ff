"""The index and query stages alone at a large scale (default 200,000 pages), to show how their
cost grows with the archive. Page texts are reused from the real acts in
../shared/testdata/pdfs/pl/ (pdftotext), cut into documents of 40 pages, each page given a
document-specific number line so no two pages are identical.

    python bench/scale.py [--pages 200000] [--repeats 20] [--json bench/work/scale.json]

Indexing runs as its own process (`rebuild_index` of every page; wall time and peak RSS); SQLite
FTS5 indexes the same page texts in the same run. Queries are the kinds of bench/run.py, timed
in-process with `kooperacja.search.search()` (warm) and against FTS5.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import source_pdfs  # noqa: E402
from bench.fts5 import fts5_index, fts5_query_times  # noqa: E402
from bench.procs import median, percentile, run_measured  # noqa: E402
from bench.run import QUERIES  # noqa: E402

PAGES_PER_DOC = 40


def source_pages() -> list[str]:
    pages: list[str] = []
    for pdf, _n in source_pdfs():
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8", errors="replace")
        pages += [p for p in out.split("\f") if p.strip()]
    return pages


def write_texts(folder: Path, total: int) -> int:
    """Documents of PAGES_PER_DOC pages as pdftotext-style files (pages split by form feeds)."""
    pages = source_pages()
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    doc = 0
    while written < total:
        n = min(PAGES_PER_DOC, total - written)
        texts = [
            f"{pages[(written + i) % len(pages)]}\nDokument {doc} strona {i + 1}" for i in range(n)
        ]
        (folder / f"{doc:06x}{'0' * 6}.txt").write_text("\f".join(texts), encoding="utf-8")
        written += n
        doc += 1
    return written


def index_child(texts: Path, index_dir: Path) -> None:
    """Runs in its own process: index every text file as one document."""
    from kooperacja.models import IndexDoc, PageText
    from kooperacja.search import rebuild_index

    def docs():
        for i, txt in enumerate(sorted(texts.glob("*.txt"))):
            pages = txt.read_text(encoding="utf-8").split("\f")
            yield IndexDoc(
                doc_id=txt.stem,
                sha256=txt.stem,
                title=f"Dokument {i}",
                type="other",
                partners=("rops-torun",),
                year=2019 + i % 3,
                status="online",
                url=f"http://127.0.0.1/{txt.stem}.pdf",
                media_type="application/pdf",
                pages=tuple(PageText(n + 1, t) for n, t in enumerate(pages)),
                fingerprint=txt.stem,
            )

    rebuild_index(index_dir, docs())


def time_queries(index_dir: Path, repeats: int) -> dict:
    from kooperacja.search import open_index, search

    index = open_index(index_dir)  # held across the searches, as the web server holds it
    out: dict = {}
    for kind in ("word", "three_words", "phrase", "no_diacritics"):
        times = []
        for q in QUERIES[kind]:
            search(index, q)
            for _ in range(repeats):
                t = time.perf_counter()
                search(index, q)
                times.append((time.perf_counter() - t) * 1000)
        out[f"{kind}_p50_ms"] = round(median(times), 2)
        out[f"{kind}_p95_ms"] = round(percentile(times, 95), 2)
    return out


def fts5_times(db: Path, repeats: int) -> dict:
    out: dict = {}
    for kind in ("word", "three_words", "phrase", "no_diacritics"):
        times = fts5_query_times(db, [(q, None) for q in QUERIES[kind]], repeats)
        out[f"fts5_{kind}_p95_ms"] = round(percentile(times, 95), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child-index", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_index:
        index_child(*args.child_index)
        return 0
    with tempfile.TemporaryDirectory(prefix="kooperacja-scale-") as tmp:
        work = Path(tmp)
        pages = write_texts(work / "texts", args.pages)
        print(f"scale: {pages} pages in {len(list((work / 'texts').glob('*.txt')))} documents")
        m = run_measured(
            [sys.executable, __file__, "--child-index", str(work / "texts"), str(work / "index")]
        )
        if m.returncode:
            raise SystemExit(f"scale: indexing failed:\n{m.stderr[-2000:]}")
        fts5 = fts5_index(work / "texts", work / "fts5.sqlite", {})
        res = {
            "pages": pages,
            "index": {
                "seconds": round(m.seconds, 2),
                "pages_per_s": round(pages / m.seconds, 1),
                "peak_rss_mb": m.peak_rss_mb,
                "fts5_pages_per_s": fts5["pages_per_s"],
                "ratio": round(pages / m.seconds / fts5["pages_per_s"], 3),
            },
            "search": time_queries(work / "index", args.repeats)
            | fts5_times(work / "fts5.sqlite", args.repeats),
        }
    print(json.dumps(res, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
