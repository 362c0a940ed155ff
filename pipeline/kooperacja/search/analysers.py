"""Making a document's index entries in worker processes, while the engine writes.

The Polish analysis is pure Python and most of the cost of indexing; a second core makes it
run beside the parent, which reads the catalogue and feeds the engine. Workers are started with
`spawn` (the parent may hold the engine's threads, which `fork` does not copy safely), only for
batches large enough to repay their start-up, and at most a few documents are in flight, so a
first index of 20,000 pages still never sits in memory.

A worker reads a document's pages from the archive itself, hands back finished entries (terms
and the stored blob as bytes) and keeps the vocabulary counts itself, sending them once at the
end: what crosses between the processes was a third of the indexing's CPU (pickling the text
both ways, every document's forms).
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import multiprocessing as mp
import os
import queue
import sqlite3
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..filetypes import document_format
from ..models import IndexDoc
from . import engine, vocab
from .analysis import FormCache
from .docterms import DocTerms, document_terms
from .words import make_stemmer

# A worker's pipe out holds this many bytes, where the kernel's default (64 KiB) is less than
# most documents' entries: results are read in order, so a worker done with a document while the
# parent waits for the other's would sit blocked on its pipe instead of starting its next one.
PIPE_BYTES = 1 << 20
POOL_FROM_DOCS = 8  # fewer documents are analysed in the parent: a worker takes ~0.3 s to start
IN_FLIGHT_PER_WORKER = 4
# As many workers as cores, at most 2: on 2 cores two workers beat one on a quiet machine (the
# parent mostly waits for them), measured with bench/run.py's index stage.
MAX_WORKERS = 2

Lemmas = Callable[[set[str]], dict[str, str]]
Reading = Callable[[IndexDoc], IndexDoc] | None  # a document made without its pages → with them


def lemma_source(conn: sqlite3.Connection | None, table: dict[str, str] | None = None) -> Lemmas:
    """Lemma terms from `table`, the index's stored vocabulary, then Morfeusz; remembered in
    `table` (a new one by default)."""
    table = {} if table is None else table

    def lemmas(forms: set[str]) -> dict[str, str]:
        missing = forms - table.keys()
        if missing and conn is not None:
            table.update(vocab.known_lemmas(conn, missing))
            missing -= table.keys()
        if missing:
            from .lemmas import lemmatize_forms

            table.update(lemmatize_forms(missing))
        return table

    return lemmas


def entries(doc: IndexDoc, terms: DocTerms) -> list[engine.Page]:
    """The engine's entries of `doc`, one per page of `terms`."""
    doc_format = doc.format or document_format(doc.media_type)
    head = engine.stored_head(
        {
            "doc_id": doc.doc_id,
            "title": doc.title,
            "type": doc.type,
            "partners": list(doc.partners),
            "year": doc.year,
            "status": doc.status,
            "url": doc.url,
            "media_type": doc.media_type,
            "format": doc_format,
            "ocr_confidence": doc.ocr_confidence,
        }
    )
    return [
        engine.Page(
            doc_id=doc.doc_id,
            type=doc.type,
            partners=doc.partners,
            status=doc.status,
            year=doc.year,
            format=doc_format,
            terms={
                "exact": page.exact,
                "lemma": page.lemma,
                "stem": page.stem,
                "title": terms.title,
                "section": page.section,
            },
            stored=engine.stored_blob(
                head,
                {"page": page.page.number, "label": page.page.label, "section": page.page.section},
                page.page.text,
            ),
        )
        for page in terms.pages
    ]


def analysed(
    docs: Iterable[IndexDoc],
    cache: FormCache,
    vocab_path: Path | None,
    counts: Counter[str],
    lemma_of: dict[str, str],
    read: Reading = None,
) -> Iterator[tuple[IndexDoc, list[engine.Page]]]:
    """Each document with its entries, in order: in worker processes for a large batch on a
    machine with more than one core, else with `cache` in this process. Every document's forms
    are counted once in `counts` and their lemma terms put in `lemma_of` (by the end).

    `read` (a picklable function) gives a document its pages where it is analysed, so the text
    is read from the archive by the workers, not read by the parent and pickled to them; the
    documents yielded carry the abbreviations read with the pages."""
    docs = iter(docs)
    head = list(itertools.islice(docs, POOL_FROM_DOCS))
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    if len(head) < POOL_FROM_DOCS or workers < 2:
        for doc in itertools.chain(head, docs):
            doc, pages, _found = _analysed(doc, cache, read, counts, lemma_of)
            yield doc, pages
        return
    pool = _Workers(workers, vocab_path, read)
    try:
        yield from pool.run(itertools.chain(head, docs), counts, lemma_of)
    finally:
        pool.close()


def _analysed(
    doc: IndexDoc, cache: FormCache, read: Reading, counts: Counter[str], lemma_of: dict[str, str]
) -> tuple[IndexDoc, list[engine.Page], dict[str, str]]:
    """`doc` (read, when `read` is given), its entries, and the lemma terms of its forms not in
    `lemma_of` before; its forms counted in `counts`, their lemma terms put in `lemma_of`."""
    if read is not None:
        doc = read(doc)
    terms = document_terms(cache, doc, lemma_of.keys())
    counts.update(terms.forms)
    lemma_of.update(terms.lemma_of)
    return doc, entries(doc, terms), terms.lemma_of


class _Workers:
    """Worker processes, each with a pipe in and a pipe out. A thread of the parent feeds the
    pipes in, so a worker blocked handing back a large result never waits for a parent blocked
    handing it the next document; results are read in the order the documents were given."""

    def __init__(self, n: int, vocab_path: Path | None, read: Reading = None):
        ctx = mp.get_context("spawn")
        self._procs: list[Any] = []
        self._ins: list[Any] = []
        self._outs: list[Any] = []
        for _ in range(n):
            job_r, job_w = ctx.Pipe(duplex=False)
            out_r, out_w = ctx.Pipe(duplex=False)
            _widen(out_r)
            proc = ctx.Process(
                target=_serve,
                args=(job_r, out_w, str(vocab_path) if vocab_path else None, read),
                daemon=True,
            )
            proc.start()
            job_r.close()
            out_w.close()
            self._procs.append(proc)
            self._ins.append(job_w)
            self._outs.append(out_r)
        self._jobs: queue.SimpleQueue[tuple[int, Any] | None] = queue.SimpleQueue()
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()
        self._finished = False

    def _feed(self) -> None:
        while (job := self._jobs.get()) is not None:
            worker, doc = job
            # A worker gone: the parent learns it from the worker's pipe out.
            with contextlib.suppress(OSError):
                self._ins[worker].send(doc)

    def _receive(self, worker: int) -> Any:
        try:
            kind, value = self._outs[worker].recv()
        except EOFError:
            raise RuntimeError("an analysis worker process stopped unexpectedly") from None
        if kind == "error":
            raise value
        return value

    def run(
        self, docs: Iterable[IndexDoc], counts: Counter[str], lemma_of: dict[str, str]
    ) -> Iterator[tuple[IndexDoc, list[engine.Page]]]:
        n = len(self._procs)
        in_flight = [0] * n
        pending: deque[tuple[IndexDoc, int]] = deque()
        # The lemma terms one worker found, passed on to the others with their next document:
        # Morfeusz is asked once per form, not once per worker.
        relay: list[dict[str, str]] = [{} for _ in range(n)]

        def take() -> tuple[IndexDoc, list[engine.Page]]:
            doc, worker = pending.popleft()
            in_flight[worker] -= 1
            pages, found, abbreviations = self._receive(worker)
            for other in range(n):
                if other != worker:
                    relay[other].update(found)
            if abbreviations is not None:  # read by the worker with the pages
                doc = replace(doc, abbreviations=abbreviations)
            return doc, pages

        for doc in docs:
            worker = in_flight.index(min(in_flight))
            self._jobs.put((worker, (doc, relay[worker])))
            relay[worker] = {}
            in_flight[worker] += 1
            pending.append((doc, worker))
            if len(pending) >= n * IN_FLIGHT_PER_WORKER:
                yield take()
        while pending:
            yield take()
        for worker in range(n):
            self._jobs.put((worker, None))
        for worker in range(n):
            worker_counts, worker_lemmas = self._receive(worker)
            counts.update(worker_counts)
            lemma_of.update(worker_lemmas)
        self._finished = True

    def close(self) -> None:
        """Stop the workers (at once when the run did not finish: one may be blocked handing
        back a result nobody will read) and the feeder."""
        for proc in self._procs:
            proc.join(timeout=5 if self._finished else 0)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        self._jobs.put(None)
        self._feeder.join()
        for conn in (*self._ins, *self._outs):
            conn.close()


def _widen(conn: Any) -> None:
    """Let the pipe of `conn` hold PIPE_BYTES, where the system allows it (Linux)."""
    with contextlib.suppress(AttributeError, OSError):  # another system, or above its limit
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _serve(jobs: Any, out: Any, vocab_path: str | None, read: Reading = None) -> None:
    """A worker process: the entries of each document it is sent; at the end (None), every
    form it saw with the number of its documents holding it, and the forms' lemma terms."""
    conn = None
    if vocab_path and Path(vocab_path).exists():
        conn = sqlite3.connect(f"file:{vocab_path}?mode=ro", uri=True, timeout=30)
    known: dict[str, str] = {}  # form → lemma term, found here or by the other workers
    cache = FormCache(lemma_source(conn, known), make_stemmer())
    counts: Counter[str] = Counter()
    lemma_of: dict[str, str] = {}
    try:
        while (job := jobs.recv()) is not None:
            doc, relayed = job
            known.update(relayed)
            try:
                doc, pages, found = _analysed(doc, cache, read, counts, lemma_of)
                read_abbreviations = doc.abbreviations if read is not None else None
                out.send(("entries", (pages, found, read_abbreviations)))
            except Exception as exc:  # the parent raises it; this worker stays usable
                out.send(("error", _portable(exc)))
        out.send(("counts", (counts, lemma_of)))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):  # the parent stopped
        pass


def _portable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
