"""The search engine: tantivy. The only module that imports it.

One entry per page. The Polish analysis happens in Python (analysis.py) and reaches tantivy as
whitespace-separated terms, one per position, which tantivy's whitespace tokenizer reads as is.
Everything a result shows is stored as one blob per page (`stored_blob`); type, partners, status
and year are fast fields for filters, doc_id one for grouping pages into documents.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import os
import re
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from ..errors import ArchiveLocked
from .querytree import Bool, Const, Everything, Node, Nothing, Phrase, Term, TermSet, YearRange

ENGINE_DIR = "tantivy"
TEXT_FIELDS = ("exact", "lemma", "stem", "title", "section")
KEYWORD_FIELDS = ("doc_id", "type", "partners", "status", "format")
# Bytes; tantivy flushes a segment when it is full. The indexing process's peak memory is this
# heap plus the files of the largest background merge, which tantivy maps while it reads them:
# 32 MB makes segments of ~5,000 pages, merged 8 at a time into ~38,000 (at 64 MB, 8 x 14,000
# were merged at 112,000 pages: 370 MB of mapped files). See bench/RESULTS.md.
WRITER_HEAP = 32_000_000
MAX_BUCKETS = 1_000_000
# A search's document counts run on these threads beside its ranking and snippets when it is the
# reader's only search and its caller has a core to spare: the engine counts without the
# interpreter's lock, so they take that core instead of adding to the search's time. Two: a
# search has two counts (pages with every word, pages with some).
COUNTING_THREADS = 2


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("doc_num", fast=True)  # doc_id as a number: grouping pages
    builder.add_bytes_field("stored", stored=True)
    return builder.build()


SCHEMA = _schema()


@dataclass(frozen=True)
class Page:
    """One index entry: the analysed fields, the filter values, and what a hit shows."""

    doc_id: str
    type: str
    partners: tuple[str, ...]
    status: str
    year: int | None
    terms: Mapping[str, str]  # field of TEXT_FIELDS → whitespace-separated terms
    stored: bytes  # stored_blob(what a hit shows)
    format: str = ""  # pdf, word, scan, … (filetypes.FORMATS): the `format:` filter


class Writer:
    """Adds and deletes pages; nothing is visible to searches before `commit`."""

    def __init__(self, folder: Path, create: bool):
        folder = Path(folder) / ENGINE_DIR
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        self._index = tantivy.Index(SCHEMA, path=str(folder), reuse=not create)
        try:
            # One indexing thread: Python's analysis keeps the other core busy.
            self._writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError as exc:
            raise ArchiveLocked(
                f"the search index is being written by another run ({exc})"
            ) from exc

    def add(self, page: Page) -> None:
        doc = tantivy.Document()
        doc.add_text("doc_id", page.doc_id)
        doc.add_integer("doc_num", doc_number(page.doc_id))
        doc.add_text("type", page.type)
        doc.add_text("status", page.status)
        if page.format:
            doc.add_text("format", page.format)
        for partner in page.partners:
            doc.add_text("partners", partner)
        if page.year is not None:
            doc.add_integer("year", page.year)
        for name in TEXT_FIELDS:
            terms = page.terms.get(name)
            if terms:
                doc.add_text(name, terms)
        doc.add_bytes("stored", page.stored)
        self._writer.add_document(doc)

    def delete_document(self, doc_id: str) -> None:
        self._writer.delete_documents_by_term("doc_id", doc_id)

    def commit(self) -> None:
        self._writer.commit()
        self._writer.wait_merging_threads()

    def rollback(self) -> None:
        self._writer.rollback()


def stored_head(fields: Mapping[str, Any]) -> bytes:
    """A document's fields, as each of its pages' `stored_blob` begins."""
    return json.dumps(fields, ensure_ascii=False).encode()


def stored_blob(head: bytes, page: Mapping[str, Any], text: str) -> bytes:
    """What a hit shows, as the engine stores it (made where the page is analysed): the
    document's fields (`stored_head`), the page's, then its text, on lines of their own (JSON
    holds no raw line break). The text is read back without JSON's escaping, which was most of
    the cost of writing and reading a hit, and a document's fields are read once for its pages."""
    return b"\n".join((head, json.dumps(page, ensure_ascii=False).encode(), text.encode()))


_decode = json.JSONDecoder().decode  # json.loads without its checks of bytes and options


@functools.lru_cache(maxsize=4096)
def _head_fields(head: bytes) -> dict[str, Any]:
    return json.loads(head)  # shared: merged into a new dict by Reader.stored, never changed


def doc_number(doc_id: str) -> int:
    """A 56-bit number standing for a doc_id in the `doc_num` fast field."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=7).digest(), "big")


@dataclass(frozen=True)
class Hit:
    score: float
    address: Any  # tantivy.DocAddress
    doc_num: int = 0


def last_commit(folder: Path) -> tuple[int, int]:
    """What changes with every commit to the index in `folder` (its meta.json's time and size):
    a searcher opened before it is out of date. FileNotFoundError when there is no index."""
    try:
        meta = os.stat(Path(folder) / ENGINE_DIR / "meta.json")
    except FileNotFoundError:
        raise FileNotFoundError(Path(folder) / ENGINE_DIR) from None
    return meta.st_mtime_ns, meta.st_size


class Reader:
    """A searcher over the last committed state of one index folder. Read-only: one Reader may
    serve several threads at once (the web page's OpenIndex shares it)."""

    def __init__(self, folder: Path):
        path = Path(folder) / ENGINE_DIR
        if not (path / "meta.json").exists():
            raise FileNotFoundError(path)
        self._searcher = tantivy.Index.open(str(path)).searcher()
        # Threads start at the first count and end when the Reader is dropped.
        self._counting = ThreadPoolExecutor(COUNTING_THREADS, thread_name_prefix="counting")
        self._lock = threading.Lock()
        self._searches = 0

    @property
    def pages(self) -> int:
        return self._searcher.num_docs

    def top(self, node: Node, limit: int) -> list[Hit]:
        if isinstance(node, Nothing):
            return []
        hits = self._searcher.search(_query(node), limit=limit, count=False).hits
        if not hits:
            return []
        nums = self._searcher.fast_field_values("doc_num", [a for _, a in hits])
        return [
            Hit(float(score), address, num or 0)
            for (score, address), num in zip(hits, nums, strict=True)
        ]

    def stored(self, hit: Hit) -> dict[str, Any]:
        blob = self._searcher.doc(hit.address).get_first("stored")
        if not blob:
            return {}
        head, page, text = blob.split(b"\n", 2)
        return {**_head_fields(head), **_decode(page.decode()), "text": text.decode()}

    def document_numbers(self, node: Node) -> list[int]:
        """`doc_number` of every document with a page matching `node` (pages counted once
        each): an aggregation on the numeric field, cheaper than on the doc_id text."""
        if isinstance(node, Nothing):
            return []
        agg = {"docs": {"terms": {"field": "doc_num", "size": MAX_BUCKETS}}}
        buckets = self._searcher.aggregate(_query(node), agg)["docs"]["buckets"]
        return [int(b["key"]) for b in buckets]

    @contextmanager
    def searching(self) -> Iterator[None]:
        """Marks one search in progress on this reader (see `document_numbers_soon`)."""
        with self._lock:
            self._searches += 1
        try:
            yield
        finally:
            with self._lock:
                self._searches -= 1

    def document_numbers_soon(self, node: Node, spare_core: bool = True) -> Future[list[int]]:
        """`document_numbers(node)`, worked out on a counting thread while the caller goes on
        when the caller has a core to spare and is the reader's only search; else here and
        now. Searches side by side (a busy web server) keep the cores busy already, and more
        threads only take turns."""
        if spare_core and self._searches <= 1:
            return self._counting.submit(self.document_numbers, node)
        done: Future[list[int]] = Future()
        done.set_result(self.document_numbers(node))
        return done

    def doc_freq(self, field: str, term: str) -> int:
        return self._searcher.doc_freq(field, term)


def _query(node: Node) -> tantivy.Query:
    q = tantivy.Query
    if isinstance(node, Term):
        query = q.term_query(SCHEMA, node.field, node.value)
        return query if node.boost == 1.0 else q.boost_query(query, node.boost)
    if isinstance(node, TermSet):
        return _term_set(node)
    if isinstance(node, Phrase):
        return _phrase(node)
    if isinstance(node, YearRange):
        return q.range_query(
            SCHEMA,
            "year",
            tantivy.FieldType.Integer,
            node.start if node.start is not None else -(2**62),
            node.end if node.end is not None else 2**62,
        )
    if isinstance(node, Const):
        return q.const_score_query(_query(node.query), node.score)
    if isinstance(node, Bool):
        return _bool(node)
    if isinstance(node, Everything):
        return q.all_query()
    if isinstance(node, Nothing):
        return q.empty_query()
    raise TypeError(f"not a query node: {node!r}")


def _bool(node: Bool) -> tantivy.Query:
    occur = tantivy.Occur
    clauses = [(occur.Must, _query(n)) for n in node.must]
    clauses += [(occur.Should, _query(n)) for n in node.should]
    clauses += [(occur.MustNot, _query(n)) for n in node.must_not]
    if not node.must and not node.should:
        clauses.append((occur.Must, tantivy.Query.all_query()))
    query = tantivy.Query.boolean_query(clauses)
    return query if node.boost == 1.0 else tantivy.Query.boost_query(query, node.boost)


def _term_set(node: TermSet) -> tantivy.Query:
    """Any of the values, each page scoring 1 as tantivy's term-set query scores it. Not that
    query: it builds an automaton of its values at every run, several times a filtered search,
    which cost more than the rest of the filter (bench/RESULTS.md, issue 17, ninth session)."""
    q = tantivy.Query
    terms = [q.term_query(SCHEMA, node.field, value) for value in node.values]
    if not terms:
        return q.empty_query()
    either = (
        terms[0] if len(terms) == 1 else q.boolean_query([(tantivy.Occur.Should, t) for t in terms])
    )
    return q.const_score_query(either, 1.0)


MAX_PHRASE_VARIANTS = 16


def _phrase(node: Phrase) -> tantivy.Query:
    q = tantivy.Query
    variants = math.prod(len(alternatives) for alternatives in node.positions)
    if variants == 1:
        query = q.phrase_query(SCHEMA, node.field, [a[0] for a in node.positions], slop=node.slop)
    elif variants <= MAX_PHRASE_VARIANTS:  # a few plain phrases beat one regex phrase
        phrases = [
            (tantivy.Occur.Should, q.phrase_query(SCHEMA, node.field, list(words), slop=node.slop))
            for words in itertools.product(*node.positions)
        ]
        query = q.boolean_query(phrases)
    else:
        patterns = ["|".join(re.escape(a) for a in alts) for alts in node.positions]
        query = q.regex_phrase_query(SCHEMA, node.field, patterns, slop=node.slop)
    return query if node.boost == 1.0 else q.boost_query(query, node.boost)


def exists(folder: Path) -> bool:
    return tantivy.Index.exists(str(Path(folder) / ENGINE_DIR))
