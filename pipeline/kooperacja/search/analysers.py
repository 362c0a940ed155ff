"""Analysing documents for the index in worker processes, while the engine writes.

The Polish analysis is pure Python and most of the cost of indexing; a second core makes it
run beside the parent, which reads the archive and feeds the engine. Workers are started with
`spawn` (the parent may hold the engine's threads, which `fork` does not copy safely), only for
batches large enough to repay their start-up, and at most a few documents are in flight, so a
first index of 20,000 pages still never sits in memory.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..models import IndexDoc
from . import vocab
from .analysis import FormCache
from .docterms import DocTerms, document_terms
from .words import make_stemmer

POOL_FROM_DOCS = 8  # fewer documents are analysed in the parent: a worker takes ~0.3 s to start
IN_FLIGHT_PER_WORKER = 4
# As many workers as cores, at most 2: on 2 cores two workers beat one on a quiet machine (the
# parent mostly waits for them), measured with bench/run.py's index stage.
MAX_WORKERS = 2

Lemmas = Callable[[set[str]], dict[str, str]]


def lemma_source(conn: sqlite3.Connection | None) -> Lemmas:
    """Lemma terms from the index's stored vocabulary, then Morfeusz; remembered per process."""
    table: dict[str, str] = {}

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


# Per worker process, made by its initializer (never in the parent): its FormCache, and the
# forms whose lemma it has sent (the parent gathers each form's lemma once, not per document).
_worker: tuple[FormCache, set[str]] | None = None


def _start_worker(vocab_path: str | None) -> None:
    global _worker
    conn = None
    if vocab_path and Path(vocab_path).exists():
        conn = sqlite3.connect(f"file:{vocab_path}?mode=ro", uri=True, timeout=30)
    _worker = (FormCache(lemma_source(conn), make_stemmer()), set())


def _analyse(doc: IndexDoc) -> DocTerms:
    assert _worker is not None
    cache, sent = _worker
    terms = document_terms(cache, doc, sent)
    sent.update(terms.lemma_of)
    return terms


def analysed(
    docs: Iterable[IndexDoc], cache: FormCache, vocab_path: Path | None
) -> Iterator[tuple[IndexDoc, DocTerms]]:
    """Each document with its terms, in order: in worker processes for a large batch on a
    machine with more than one core, else with `cache` in this process."""
    docs = iter(docs)
    head = list(itertools.islice(docs, POOL_FROM_DOCS))
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    if len(head) < POOL_FROM_DOCS or workers < 2:
        for doc in itertools.chain(head, docs):
            yield doc, document_terms(cache, doc)
        return
    ctx = mp.get_context("spawn")
    with ctx.Pool(
        workers, initializer=_start_worker, initargs=(str(vocab_path) if vocab_path else None,)
    ) as pool:
        pending: deque[tuple[IndexDoc, Any]] = deque()
        for doc in itertools.chain(head, docs):
            pending.append((doc, pool.apply_async(_analyse, (doc,))))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()
