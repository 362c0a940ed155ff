"""Writing the index: a full rebuild into a new generation, or an incremental update in place."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import DEFAULT_ABBREVIATIONS
from ..filetypes import document_format
from ..models import IndexDoc
from . import analysers, engine, generations, vocab
from .analysis import FormCache
from .querytree import Term
from .schema import SCHEMA_VERSION, check_version
from .words import make_stemmer

if TYPE_CHECKING:
    import sqlite3

logger = logging.getLogger(__name__)

Progress = Callable[[Iterable[IndexDoc]], Iterable[IndexDoc]]


def _identity(items: Iterable[IndexDoc]) -> Iterable[IndexDoc]:
    return items


@dataclass(frozen=True)
class IndexInfo:
    exists: bool
    schema_version: int | None = None
    documents: int = 0
    pages: int = 0
    built_at: str | None = None  # ISO 8601, UTC, of the last full rebuild
    updated_at: str | None = None  # of the last change (rebuild or update)
    path: Path | None = None  # the live generation folder


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Indexer:
    """Adds documents to an open engine writer and keeps vocabulary counts (one per run)."""

    def __init__(self, writer: engine.Writer, conn: sqlite3.Connection):
        self.writer = writer
        self.conn = conn
        self.stem = make_stemmer()
        self.lemma_of: dict[str, str] = {}
        self.delta: Counter[str] = Counter()
        self.removed: set[str] = set()
        self.forms = FormCache(analysers.lemma_source(conn), self.stem)

    def add_all(
        self, docs: Iterable[IndexDoc], vocab_path: Path | None, read: analysers.Reading
    ) -> int:
        """Add every document (analysed in worker processes when there are many)."""
        count = 0
        # A form's count is the number of documents holding it (enough to order spellings and
        # suggestions, and a tenth of the work of counting every occurrence).
        for doc, pages in analysers.analysed(
            docs, self.forms, vocab_path, self.delta, self.lemma_of, read
        ):
            self.add(doc, pages)
            count += 1
        return count

    def add(self, doc: IndexDoc, pages: list[engine.Page]) -> None:
        for page in pages:
            self.writer.add(page)
        doc_format = doc.format or document_format(doc.media_type)
        facets = vocab.DocFacets(doc.type, doc.partners, doc.year, doc.status, doc_format)
        vocab.set_doc(self.conn, doc.doc_id, doc.fingerprint, len(pages), facets)
        if doc.abbreviations:  # a document re-added had its old pairs dropped with it
            vocab.set_abbreviations(self.conn, doc.doc_id, doc.abbreviations)

    def remove(self, reader: engine.Reader | None, doc_id: str) -> None:
        """Delete every page of `doc_id` and take its words out of the vocabulary counts."""
        if doc_id in self.removed:
            return
        self.removed.add(doc_id)
        if reader is not None:
            forms: set[str] = set()
            for hit in reader.top(Term("doc_id", doc_id), limit=100_000):
                pieces = self.forms.pieces(reader.stored(hit).get("text", ""))
                self.forms.prepare(pieces)
                forms.update(self.forms.forms(pieces))
            self.delta.subtract(forms)
        self.writer.delete_document(doc_id)
        vocab.drop_doc(self.conn, doc_id)

    def finish(self) -> None:
        vocab.apply_counts(self.conn, self.delta, self.lemma_of, self.stem)


def _commit_beside(writer: engine.Writer, work: Callable[[], None]) -> None:
    """Commit the engine on a thread while `work` (the vocabulary's rows, not yet committed)
    runs here: the engine writes its last segment without the interpreter's lock, and the
    vocabulary's transaction still commits after it, as the callers need."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        committed = pool.submit(writer.commit)
        try:
            work()
        finally:
            wait([committed])
        committed.result()


def rebuild_index(
    index_dir: Path,
    docs: Iterable[IndexDoc],
    progress: Progress = _identity,
    abbreviations: Sequence[tuple[str, str]] = DEFAULT_ABBREVIATIONS,
    read: analysers.Reading = None,
) -> int:
    """Build a complete new index generation and swap it in; returns the number of documents.
    `abbreviations`: the config's (short, long) pairs, beside those the documents list;
    `read`: gives documents made without their pages their pages (see analysers.analysed)."""
    index_dir = Path(index_dir)
    generation = generations.new_generation(index_dir)
    try:
        writer = engine.Writer(generation, create=True)
        conn = vocab.connect(generation, write=True)
        try:
            indexer = _Indexer(writer, conn)
            try:
                count = indexer.add_all(progress(docs), None, read)
            except BaseException:
                writer.rollback()
                raise
            _commit_beside(writer, indexer.finish)
            vocab.set_abbreviations(conn, "", abbreviations)
            now = _now()
            vocab.set_meta(conn, schema_version=SCHEMA_VERSION, built_at=now, updated_at=now)
            conn.commit()
        finally:
            conn.close()
    except BaseException:
        generations.discard(generation)
        raise
    generations.activate(index_dir, generation)
    logger.info("index rebuilt in %s: %d documents", generation, count)
    return count


def update_index(
    index_dir: Path,
    add: Iterable[IndexDoc],
    remove: Iterable[str],
    progress: Progress = _identity,
    abbreviations: Sequence[tuple[str, str]] = DEFAULT_ABBREVIATIONS,
    read: analysers.Reading = None,
) -> int:
    """Remove the documents `remove` and re-add every document of `add`; create the index if
    missing. Returns the number of documents added (`read`: as for rebuild_index).

    The engine commits before the vocabulary: a run killed in between leaves fingerprints that
    no longer match, so the next run indexes those documents again (each delete-then-add is
    idempotent)."""
    index_dir = Path(index_dir)
    generation = generations.current_generation(index_dir)
    if generation is None:  # streamed: a first index of 20,000 pages never sits in memory
        return rebuild_index(index_dir, add, progress, abbreviations, read)
    conn = vocab.connect(generation, write=True)
    try:
        check_version(conn)
        reader = engine.Reader(generation) if engine.exists(generation) else None
        writer = engine.Writer(generation, create=False)
        indexer = _Indexer(writer, conn)
        try:
            for doc_id in dict.fromkeys(remove):
                indexer.remove(reader, doc_id)

            def replaced(docs: Iterable[IndexDoc]) -> Iterator[IndexDoc]:
                for doc in docs:
                    indexer.remove(reader, doc.doc_id)
                    yield doc

            count = indexer.add_all(replaced(progress(add)), generation / vocab.FILENAME, read)
        except BaseException:
            writer.rollback()
            conn.rollback()
            raise
        _commit_beside(writer, indexer.finish)
        vocab.set_abbreviations(conn, "", abbreviations)
        vocab.set_meta(conn, updated_at=_now())
        conn.commit()
    finally:
        conn.close()
    return count


def set_index_abbreviations(index_dir: Path, pairs: Sequence[tuple[str, str]]) -> bool:
    """Make `pairs` the config's abbreviations in the live index (a config edited since the
    last update); whether anything changed. The pairs only widen queries: no page is re-read."""
    generation = generations.current_generation(Path(index_dir))
    if generation is None:
        return False
    conn = vocab.connect(generation, write=True)
    try:
        check_version(conn)
        changed = vocab.set_abbreviations(conn, "", pairs)
        conn.commit()
        return changed
    finally:
        conn.close()


def indexed_fingerprints(index_dir: Path) -> dict[str, str]:
    """doc_id → IndexDoc.fingerprint of every indexed document; {} when there is no index."""
    generation = generations.current_generation(Path(index_dir))
    if generation is None:
        return {}
    conn = vocab.connect(generation)
    try:
        return vocab.fingerprints(conn)
    finally:
        conn.close()


def index_info(index_dir: Path) -> IndexInfo:
    generation = generations.current_generation(Path(index_dir))
    if generation is None:
        return IndexInfo(exists=False)
    conn = vocab.connect(generation)
    try:
        meta = vocab.get_meta(conn)
        documents, pages = vocab.counts(conn)
    finally:
        conn.close()
    version = meta.get("schema_version", "")
    return IndexInfo(
        exists=True,
        schema_version=int(version) if version.isdigit() else None,
        documents=documents,
        pages=pages,
        built_at=meta.get("built_at"),
        updated_at=meta.get("updated_at"),
        path=generation,
    )
