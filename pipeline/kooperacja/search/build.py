"""Writing the index: full rebuild into a new generation, or an incremental update in place."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArchiveLocked, IndexOutdated
from ..models import IndexDoc, PageText
from . import generations, vocab
from .counting import FIRST_FIELD, FIRST_VALUE
from .schema import SCHEMA_VERSION, make_schema
from .words import make_stemmer, normalise

if TYPE_CHECKING:
    import sqlite3

logger = logging.getLogger(__name__)

WHOOSH_DIR = "whoosh"
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


def outdated_message(found: int | None) -> str:
    return (
        f"index is schema v{found}, this version expects v{SCHEMA_VERSION}: "
        "run 'kooperacja index --rebuild'"
    )


class _Indexer:
    """Adds documents to an open whoosh writer and keeps vocabulary counts (one per run)."""

    def __init__(self, writer: Any, conn: sqlite3.Connection):
        from . import analysis  # imports whoosh: only when writing

        self.analysis = analysis
        self.writer = writer
        self.conn = conn
        self.stem = make_stemmer()
        self.lemma_of: dict[str, str] = {}
        self.delta: Counter[str] = Counter()
        self.removed: set[str] = set()
        self.forms = analysis.FormCache(self._lemmas, self.stem)

    def _lemmas(self, forms: set[str]) -> dict[str, str]:
        """Lemma keys of `forms`: from this run, the stored vocabulary, then simplemma."""
        lemma_of = self.lemma_of
        missing = forms - lemma_of.keys()
        if missing:
            lemma_of.update(vocab.known_lemmas(self.conn, missing))
            missing -= lemma_of.keys()
            if missing:
                from .lemmas import lemmatize_forms

                lemma_of.update(lemmatize_forms(missing))
        return lemma_of

    def add(self, doc: IndexDoc) -> None:
        cache = self.forms
        pages = [p for p in doc.pages if p.text.strip()]
        texts = [normalise(p.text) for p in pages]
        words = [cache.words(t) for t in texts]
        cache.prepare(w for page_words in words for w in page_words)
        for i, (page, text, page_words) in enumerate(zip(pages, texts, words, strict=True)):
            self._add_page(doc, page, text, cache.analyze(page_words), first=i == 0)
        vocab.set_doc(self.conn, doc.doc_id, doc.fingerprint, len(pages))

    def _add_page(
        self, doc: IndexDoc, page: PageText, text: str, analyzed: Any, first: bool
    ) -> None:
        self.delta.update(analyzed.forms)
        fields: dict[str, Any] = {
            "pid": f"{doc.doc_id}#{page.number}",
            "doc_id": doc.doc_id,
            "title": doc.title,
            "type": doc.type,
            "partners": ",".join(doc.partners),
            "status": doc.status,
            "url": doc.url,
            "media_type": doc.media_type,
            "sha256": doc.sha256,
            "fingerprint": doc.fingerprint,
            "page": page.number,
            "label": page.label,
            "section": page.section,
            "text": text,
            "exact": analyzed.exact,
            "lemma": analyzed.lemma,
            "stem": analyzed.stem,
        }
        if doc.year is not None:
            fields["year"] = doc.year
        if first:
            fields[FIRST_FIELD] = FIRST_VALUE
        self.writer.add_document(**fields)

    def remove(self, searcher: Any, doc_id: str) -> None:
        """Delete every page of `doc_id` and take its words out of the vocabulary counts."""
        if doc_id in self.removed:
            return
        self.removed.add(doc_id)
        for stored in searcher.documents(doc_id=doc_id):
            words = self.forms.words(stored.get("text", ""))
            self.forms.prepare(words)
            self.delta.subtract(self.forms.analyze(words).forms)
        self.writer.delete_by_term("doc_id", doc_id)
        vocab.drop_doc(self.conn, doc_id)

    def finish(self) -> None:
        vocab.apply_counts(self.conn, self.delta, self.lemma_of, self.stem)


def _writer(ix: Any) -> Any:
    from whoosh.index import LockError

    try:
        # Separate files, not one compound file: opening a compound segment copies each of its
        # parts into memory (tens of MB per search at 20,000 pages).
        return ix.writer(limitmb=128, compound=False)
    except LockError as exc:
        raise ArchiveLocked(f"the search index is being written by another run ({exc})") from exc


def rebuild_index(index_dir: Path, docs: Iterable[IndexDoc], progress: Progress = _identity) -> int:
    """Build a complete new index generation and swap it in; returns the number of documents."""
    from whoosh import index as windex

    index_dir = Path(index_dir)
    generation = generations.new_generation(index_dir)
    try:
        (generation / WHOOSH_DIR).mkdir()
        ix = windex.create_in(str(generation / WHOOSH_DIR), make_schema())
        conn = vocab.connect(generation, write=True)
        try:
            writer = _writer(ix)
            indexer = _Indexer(writer, conn)
            count = 0
            try:
                for doc in progress(docs):
                    indexer.add(doc)
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            indexer.finish()
            now = _now()
            vocab.set_meta(conn, schema_version=SCHEMA_VERSION, built_at=now, updated_at=now)
            conn.commit()
        finally:
            conn.close()
            ix.close()
    except BaseException:
        generations.discard(generation)
        raise
    generations.activate(index_dir, generation)
    logger.info("index rebuilt in %s: %d documents", generation, count)
    return count


def _check_version(conn: sqlite3.Connection) -> None:
    found = vocab.get_meta(conn).get("schema_version")
    version = int(found) if found and found.isdigit() else None
    if version != SCHEMA_VERSION:
        raise IndexOutdated(outdated_message(version))


def update_index(
    index_dir: Path,
    add: Iterable[IndexDoc],
    remove: Iterable[str],
    progress: Progress = _identity,
) -> int:
    """Remove the documents `remove` and re-add every document of `add`; create the index if
    missing. Returns the number of documents added."""
    from whoosh import index as windex

    index_dir = Path(index_dir)
    generation = generations.current_generation(index_dir)
    if generation is None:  # streamed: a first index of 20,000 pages never sits in memory
        return rebuild_index(index_dir, add, progress)
    conn = vocab.connect(generation, write=True)
    try:
        _check_version(conn)
        ix = windex.open_dir(str(generation / WHOOSH_DIR))
        writer = _writer(ix)
        indexer = _Indexer(writer, conn)
        count = 0
        try:
            with ix.searcher() as searcher:
                for doc_id in dict.fromkeys(remove):
                    indexer.remove(searcher, doc_id)
                for doc in progress(add):
                    indexer.remove(searcher, doc.doc_id)
                    indexer.add(doc)
                    count += 1
        except BaseException:
            writer.cancel()
            conn.rollback()
            raise
        writer.commit()
        indexer.finish()
        vocab.set_meta(conn, updated_at=_now())
        conn.commit()
        ix.close()
    finally:
        conn.close()
    return count


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
