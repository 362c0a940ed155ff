"""The reference tools on the same files: pdftotext for extraction, SQLite FTS5 for indexing and
queries.

pdftotext is called once per file (plain mode: pages separated by form feeds), with as many
files at a time as there are cores, like the pipeline's extraction workers. The FTS5 table holds
one row per page with `tokenize="unicode61 remove_diacritics 2"` (no stemming: a lower bound on
work, not an equal in recall); queries return the top 10 pages by bm25 with a snippet.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def pdftotext_available() -> bool:
    try:
        subprocess.run(["pdftotext", "-v"], capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return True


def pdftotext_all(pdfs: list[Path], out_dir: Path, jobs: int) -> dict:
    """Extract every PDF to out_dir/<name>.txt; pages/s over the whole batch."""
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(pdf: Path) -> int:
        target = out_dir / (pdf.stem + ".txt")
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), str(target)], check=True, capture_output=True
        )
        return len(_pages_of(target.read_text(encoding="utf-8", errors="replace")))

    before = _children_cpu()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pages = sum(pool.map(one, pdfs))
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - before
    return {
        "jobs": jobs,
        "files": len(pdfs),
        "pages": pages,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1),
        "cpu_seconds": round(cpu, 3),
        "pages_per_cpu_s": round(pages / cpu, 1) if cpu else None,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pages_of(text: str) -> list[str]:
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return pages


def fts5_index(txt_dir: Path, db_path: Path, partner_of: dict[str, str]) -> dict:
    """Index every page of the extracted texts; pages/s from reading the texts to commit."""
    if db_path.exists():
        db_path.unlink()
    cpu_start = time.process_time()
    start = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE VIRTUAL TABLE pages USING fts5(doc UNINDEXED, page UNINDEXED, "
        'partner UNINDEXED, text, tokenize="unicode61 remove_diacritics 2")'
    )
    pages = 0
    with db:
        for txt in sorted(txt_dir.glob("*.txt")):
            partner = partner_of.get(txt.stem, "")
            rows = [
                (txt.stem, i + 1, partner, text)
                for i, text in enumerate(
                    _pages_of(txt.read_text(encoding="utf-8", errors="replace"))
                )
            ]
            db.executemany("INSERT INTO pages(doc, page, partner, text) VALUES (?, ?, ?, ?)", rows)
            pages += len(rows)
    db.close()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {
        "pages": pages,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1),
        "pages_per_cpu_s": round(pages / cpu, 1) if cpu else None,
        "db_mb": round(os.path.getsize(db_path) / 2**20, 1),
    }


TOP10 = (
    "SELECT doc, page, snippet(pages, 3, '<b>', '</b>', '…', 12) FROM pages "
    "WHERE pages MATCH ? {extra} ORDER BY rank LIMIT 10"
)


def fts5_query_times(
    db_path: Path,
    queries: list[tuple[str, str | None]],
    repeats: int,
    cpu: list[float] | None = None,
) -> list[float]:
    """Milliseconds per query (warm: one unmeasured run first); (query, partner filter or None).
    With `cpu`, the CPU milliseconds of each run are appended to it."""
    db = sqlite3.connect(db_path)
    times = []
    for match, partner in queries:
        sql = TOP10.format(extra="AND partner = ?" if partner else "")
        args = (match, partner) if partner else (match,)
        db.execute(sql, args).fetchall()
        for _ in range(repeats):
            t, c = time.perf_counter(), time.process_time()
            db.execute(sql, args).fetchall()
            times.append((time.perf_counter() - t) * 1000)
            if cpu is not None:
                cpu.append((time.process_time() - c) * 1000)
    db.close()
    return times
