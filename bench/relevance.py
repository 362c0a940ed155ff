"""Relevance benchmark of the production Polish search against SQLite FTS5 on the same texts.

    python bench/relevance.py DATASET_DIR [--json PATH] [--limit 10]

DATASET_DIR is a BEIR folder: corpus.jsonl ({_id, title, text}), queries.jsonl ({_id, text}),
qrels/test.tsv (header; query-id, corpus-id, score). Each corpus entry becomes one IndexDoc with
one page (and its title, and the abbreviations its text lists, as extract reads them), indexed
with `rebuild_index` into a temporary folder and ranked with `search_pages` (the same analysis and
query path as `kooperacja search`). Every query runs as written and with its Polish letters
stripped. Systems:
  production      the default: pages with every word first, then pages with some of them
  production_all  `--all`: only pages with every word
  fts5_all / fts5_any   SQLite FTS5 (unicode61, diacritics removed, BM25) over the same texts,
                  the query's words joined by AND / OR (no stemming: the reference tool)

strict@1, the staff's rule: the first hit is the right document and its first listed page is a
right page (one of the query's highest-graded entries). It goes through `search`, the function
the CLI and the web page use: the corpus is indexed again as documents, entries with ids
`<doc>#p<N>` becoming page N of document <doc> (each page's section heading found as extraction
finds it), any other id a one-page document. FTS5's strict@1 is its first page's.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kooperacja.errors import QuerySyntaxError
from kooperacja.extract.abbreviations import abbreviation_pairs
from kooperacja.extract.extraction import page_sections
from kooperacja.models import IndexDoc, PageText
from kooperacja.search import rebuild_index, search, search_pages
from kooperacja.search.words import fold

K = 10
Ranker = Callable[[str], list[str]]
PAGE_ID = re.compile(r"^(.+)#p(\d+)$")


@dataclass(frozen=True)
class Dataset:
    corpus: dict[str, tuple[str, str]]  # _id → (title, text)
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]  # query id → corpus id → graded relevance


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_dataset(folder: Path) -> Dataset:
    corpus = {
        str(r["_id"]): (r.get("title", ""), r.get("text", ""))
        for r in read_jsonl(folder / "corpus.jsonl")
    }
    queries = {str(r["_id"]): r["text"] for r in read_jsonl(folder / "queries.jsonl")}
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(folder / "qrels" / "test.tsv", encoding="utf-8") as fh:
        next(fh)  # header
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and int(parts[2]) > 0:
                qrels[parts[0]][parts[1]] = int(parts[2])
    return Dataset(corpus, {q: t for q, t in queries.items() if q in qrels}, dict(qrels))


def ndcg(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    return len(set(ranked[:k]) & relevant.keys()) / len(relevant) if relevant else 0.0


def mrr(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    return next((1 / (i + 1) for i, d in enumerate(ranked[:k]) if d in relevant), 0.0)


def evaluate(data: Dataset, rank: Ranker, transform: Callable[[str], str]) -> dict[str, float]:
    totals = {"ndcg@10": 0.0, "recall@10": 0.0, "mrr@10": 0.0}
    for qid, text in data.queries.items():
        ranked = rank(transform(text))
        relevant = data.qrels[qid]
        totals["ndcg@10"] += ndcg(ranked, relevant)
        totals["recall@10"] += recall(ranked, relevant)
        totals["mrr@10"] += mrr(ranked, relevant)
    n = max(1, len(data.queries))
    return {name: round(value / n, 4) for name, value in totals.items()}


def strict_misses(
    data: Dataset, first: Callable[[str], str | None], transform: Callable[[str], str]
) -> list[tuple[str, str | None]]:
    """The queries (as asked) whose first answer (a corpus id, or None) is not one of their
    highest-graded entries, with that answer."""
    misses = []
    for qid, text in data.queries.items():
        relevant = data.qrels[qid]
        answer = first(transform(text))
        if relevant.get(answer or "", 0) != max(relevant.values()):
            misses.append((transform(text), answer))
    return misses


def _index_doc(doc_id: str, title: str, pages: tuple[PageText, ...]) -> IndexDoc:
    """A corpus entry as a document, with the pairs its own "Wykaz skrótów" lists, as extract
    reads them."""
    return IndexDoc(
        doc_id=doc_id,
        sha256="",
        title=title,
        type="other",
        partners=(),
        year=None,
        status="online",
        url="",
        media_type="application/pdf",
        pages=pages,
        abbreviations=abbreviation_pairs([p.text for p in pages]),
    )


def grouped_documents(data: Dataset) -> tuple[list[IndexDoc], dict[tuple[str, int], str]]:
    """The corpus as documents of pages (see the module's docstring), and the corpus id of each
    (document, page)."""
    pages: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    ids: dict[tuple[str, int], str] = {}
    for cid, (title, text) in data.corpus.items():
        m = PAGE_ID.match(cid)
        doc, number = (m.group(1), int(m.group(2))) if m else (cid, 1)
        if (doc, number) in ids:  # an id that only looks like a page: a document of its own
            doc, number = cid, 1
        pages[doc].append((number, title, text))
        ids[(doc, number)] = cid
    docs = []
    for doc, entries in pages.items():
        entries.sort()
        sections = page_sections([t for _, _, t in entries], [])
        docs.append(
            _index_doc(
                doc,
                entries[0][1],
                tuple(
                    PageText(n, t, section=s)
                    for (n, _, t), s in zip(entries, sections, strict=True)
                ),
            )
        )
    return docs, ids


def production_first(
    data: Dataset, folder: Path, pages: Path
) -> Callable[[str, bool], str | None]:
    """The corpus id of the first hit's first listed page through `search`, or None. A corpus
    of one-page documents is searched in `pages`, the index of its entries (built already)."""
    docs, ids = grouped_documents(data)
    if any(len(d.pages) > 1 for d in docs):
        rebuild_index(folder, docs)
    else:
        folder = pages

    def first(query: str, require_all: bool = False) -> str | None:
        try:
            hits = search(folder, query, limit=1, require_all=require_all).hits
        except QuerySyntaxError:
            return None
        if not hits:
            return None
        page = hits[0].pages[0].page if hits[0].pages else 1
        return ids.get((hits[0].doc_id, page))

    return first


def production_ranker(data: Dataset, folder: Path) -> Ranker:
    docs = (
        _index_doc(cid, title, (PageText(1, text),)) for cid, (title, text) in data.corpus.items()
    )
    rebuild_index(folder, docs)

    def rank(query: str) -> list[str]:
        try:
            return [m.doc_id for m in search_pages(folder, query, limit=K)]
        except QuerySyntaxError:
            return []

    return rank


def _all_words(folder: Path, query: str) -> list[str]:
    try:
        return [m.doc_id for m in search_pages(folder, query, limit=K, require_all=True)]
    except QuerySyntaxError:
        return []


def fts5_ranker(data: Dataset, folder: Path, operator: str) -> Ranker:
    import sqlite3

    db = sqlite3.connect(folder / "fts5.sqlite")
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS pages USING fts5"
        "(id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')"
    )
    if not db.execute("SELECT 1 FROM pages LIMIT 1").fetchone():
        db.executemany(
            "INSERT INTO pages (id, title, text) VALUES (?, ?, ?)",
            [(cid, title, text) for cid, (title, text) in data.corpus.items()],
        )
        db.commit()

    def rank(query: str) -> list[str]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split()]
        if not words:
            return []
        match = f" {operator} ".join(f'"{w}"' for w in words)
        rows = db.execute(
            "SELECT id FROM pages WHERE pages MATCH ? ORDER BY bm25(pages) LIMIT ?", (match, K)
        )
        return [r[0] for r in rows]

    return rank


def run(folder: Path) -> dict:
    data = load_dataset(folder)
    report: dict = {"queries": len(data.queries), "documents": len(data.corpus)}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        production = production_ranker(data, Path(tmp) / "production")
        rankers = {
            "production": production,
            "production_all": lambda q: _all_words(Path(tmp) / "production", q),
            "fts5_all": fts5_ranker(data, Path(tmp), "AND"),
            "fts5_any": fts5_ranker(data, Path(tmp), "OR"),
        }
        report["index_seconds"] = round(time.perf_counter() - started, 2)
        for name, rank in rankers.items():
            report[name] = {
                "as_written": evaluate(data, rank, lambda q: q),
                "no_diacritics": evaluate(data, rank, fold),
            }
        first = production_first(data, Path(tmp) / "documents", Path(tmp) / "production")
        firsts: dict[str, Callable[[str], str | None]] = {
            "production": first,
            "production_all": lambda q: first(q, True),
            "fts5_all": lambda q: next(iter(rankers["fts5_all"](q)), None),
            "fts5_any": lambda q: next(iter(rankers["fts5_any"](q)), None),
        }
        n = max(1, len(data.queries))
        misses = {
            name: {
                "as_written": strict_misses(data, top, lambda q: q),
                "no_diacritics": strict_misses(data, top, fold),
            }
            for name, top in firsts.items()
        }
        report["strict@1"] = {
            name: {variant: round(1 - len(m) / n, 4) for variant, m in by_variant.items()}
            for name, by_variant in misses.items()
        }
        report["strict_misses"] = misses["production"]
    return report


LEMMATISERS = ("morfeusz2_all", "morfeusz2_first", "simplemma")


def use_lemmatiser(name: str) -> None:
    """For measuring only: index and query with another lemmatiser in the lemma field (the
    production one is Morfeusz 2 with every lemma of a form)."""
    import kooperacja.search.lemmas as lemmas

    if name == "morfeusz2_all":
        return
    every = lemmas.lemma_keys

    def keys(form: str) -> tuple[str, ...]:
        if not form.replace("-", "").isalpha():
            return (fold(form),)
        if name == "morfeusz2_first":
            return every(form)[:1]
        import simplemma

        parts = [p for p in form.split("-") if p]
        return tuple(
            sorted(
                {fold(simplemma.lemmatize(p, lang="pl", low_memory=True).lower()) for p in parts}
            )
        )

    lemmas.lemma_keys = keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "dataset", type=Path, help="BEIR folder: corpus.jsonl, queries.jsonl, qrels/"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument(
        "--lemmatiser",
        choices=LEMMATISERS,
        default="morfeusz2_all",
        help="measure another lemmatiser in the lemma field (default: the production one)",
    )
    args = parser.parse_args(argv)
    use_lemmatiser(args.lemmatiser)
    report = run(args.dataset)
    report["lemmatiser"] = args.lemmatiser
    print(f"{args.dataset}: {report['queries']} queries, {report['documents']} documents")
    print(
        f"{'':18s} {'queries':14s} {'NDCG@10':>8s} {'R@10':>8s} {'MRR@10':>8s} {'strict@1':>9s}"
    )
    for system in ("production", "production_all", "fts5_all", "fts5_any"):
        for variant in ("as_written", "no_diacritics"):
            m = report[system][variant]
            print(
                f"{system:18s} {variant:14s} {m['ndcg@10']:8.4f} {m['recall@10']:8.4f}"
                f" {m['mrr@10']:8.4f} {report['strict@1'][system][variant]:9.4f}"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
