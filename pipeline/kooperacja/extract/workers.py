"""A small pool of extraction workers, each with a memory limit, and a time limit per document.

A hostile PDF (decompression bomb, cyclic objects, 5,000 blank pages) may hang or balloon a
worker; the pool kills it, records the document as failed with the reason and goes on. OCR runs
here too, one page per task, so the pages of one scanned document are read on every core.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kooperacja.archive.store import write_pages
from kooperacja.extract.abbreviations import abbreviation_pairs
from kooperacja.extract.extraction import EXTRACT_VERSION, Extraction, extract_file
from kooperacja.extract.ocr import DEFAULT_LANGUAGE, OcrPage, layer_pdf, ocr_page
from kooperacja.extract.recommendations import find_recommendations

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """Extract one archived document (`ocr`: auto or force lists pages for OCR)."""

    key: str
    path: Path
    media_type: str
    charset: str | None = None  # an HTML page's charset as its server declared it
    ocr: str = "never"
    archive_dir: Path | None = None  # given: final pages are stored here, by the worker

    def run(self, seconds: float) -> Extraction:
        """The extraction, with the abbreviations and recommendations of its pages when they are
        final (pages still to OCR change): read here, on every core, not in the parent. With
        `archive_dir`, final pages are stored by the worker too, and the parent gets the
        extraction without them: it neither unpickles nor encodes their text."""
        result = extract_file(
            self.path, self.media_type, self.charset, ocr=self.ocr, seconds=seconds
        )
        if not result.pages or result.ocr_wanted:
            return result
        result = replace(
            result,
            abbreviations=abbreviation_pairs([p.text for p in result.pages]),
            recommendations=find_recommendations(result.pages),
        )
        if self.archive_dir is None or result.ocr_pages or result.ocr_confidence is not None:
            return result
        try:
            store_pages(self.archive_dir, self.key, result)
        except OSError:  # handed to the parent, which stores them or stops as it always did
            logger.debug("pages of %s not stored by the worker", self.key[:12], exc_info=True)
            return result
        return replace(result, pages=(), page_sizes=(), outline=(), stored=True)

    def failed(self, reason: str) -> Extraction:
        return Extraction("failed", error=reason)


@dataclass(frozen=True)
class OcrJob:
    """OCR one page of a PDF, leaving its text layer in `out_dir`."""

    key: str
    path: Path
    page: int
    out_dir: Path
    language: str = DEFAULT_LANGUAGE

    def run(self, seconds: float) -> OcrPage:
        return ocr_page(self.path, self.page, self.out_dir, language=self.language, seconds=seconds)

    def failed(self, reason: str) -> OcrPage:
        return OcrPage(self.page, error=f"page {self.page}: {reason}")


@dataclass(frozen=True)
class LayerJob:
    """Write the derived PDF: the original with the OCR text layers over its pages."""

    key: str
    path: Path
    layers: tuple[tuple[int, str], ...]
    out_path: Path

    def run(self, seconds: float) -> str | None:
        layer_pdf(self.path, dict(self.layers), self.out_path)
        return None

    def failed(self, reason: str) -> str:
        return reason


def store_pages(archive_dir: Path, key: str, result: Extraction) -> None:
    """Write the extraction's final pages beside its file, with what extract records beside them
    (the abbreviations: read from the pages when the worker did not)."""
    abbreviations = result.abbreviations
    if abbreviations is None:  # OCR'd: its final pages are made in the parent
        abbreviations = abbreviation_pairs([p.text for p in result.pages])
    extra = {
        "extract_version": EXTRACT_VERSION,
        "page_sizes": result.page_sizes,
        "abbreviations": abbreviations,
    }
    write_pages(archive_dir, key, list(result.pages), extra)


Task = Job | OcrJob | LayerJob
CHECK_SECONDS = 0.05  # how often running tasks are checked against their time limit
MALLOC_TUNABLES = "glibc.malloc.tcache_count=1000"


@dataclass(frozen=True)
class Limits:
    seconds: float = 120.0  # per document, per OCR'd page
    memory_mb: int = 1024
    workers: int = 2


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on every platform; time limit still holds
        pass


@contextmanager
def _malloc_cache() -> Iterator[None]:
    """Start worker processes with a larger cache of freed small blocks in glibc's malloc (7 of
    each size by default; 1,000 here, still within a worker's memory limit): pdfium allocates
    and frees small blocks by the million as it loads pages, and the cache saves the workers
    CPU (bench/RESULTS.md). An administrator's own GLIBC_TUNABLES are kept."""
    if "GLIBC_TUNABLES" in os.environ:
        yield
        return
    os.environ["GLIBC_TUNABLES"] = MALLOC_TUNABLES  # read by the dynamic loader of a new process
    try:
        yield
    finally:
        del os.environ["GLIBC_TUNABLES"]


def _run(task: Task, seconds: float) -> Any:
    return task.run(seconds)


def extract_all(jobs: Iterable[Job], limits: Limits = Limits()) -> Iterator[tuple[Job, Extraction]]:
    """Yield each job with its extraction as they finish (order not kept)."""
    yield from run_bounded(deque(jobs), limits)  # type: ignore[misc]


def run_bounded(queue: deque[Task], limits: Limits = Limits()) -> Iterator[tuple[Any, Any]]:
    """Run tasks in worker processes, yielding each with its result as it finishes. The caller
    may append tasks to `queue` between results (OCR pages found by an extraction)."""
    if not queue:
        return
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        # Workers fork from a server that has already imported the extractors (~0.4 s each)
        # and compiled their patterns (a worker is new every 25 tasks). Not pypdf: only the rare
        # PDF pdfium cannot read needs it, and the first worker waits for this import. Nor
        # BeautifulSoup when no web page is to be read.
        preload = ["kooperacja.extract.workers", "pypdfium2"]
        if any(getattr(task, "media_type", "") == "text/html" for task in queue):
            preload.append("kooperacja.webpage.htmltext")
        ctx.set_forkserver_preload(preload)
    else:
        ctx = mp.get_context("spawn")
    make_pool: Callable[[], mp.pool.Pool] = lambda: ctx.Pool(  # noqa: E731
        processes=max(1, limits.workers),
        initializer=_limit_memory,
        initargs=(limits.memory_mb,),
        maxtasksperchild=25,
    )
    # Programs a task starts get a little less time, so they end before their worker is killed.
    budget = max(1.0, limits.seconds - 5)
    # Set by the pool's result thread when a task ends: the next task is handed to the free
    # worker at once (polling every 5 ms left a worker idle ~2.5 ms per document).
    ended = threading.Event()

    def wake(_: object) -> None:
        ended.set()

    with _malloc_cache():  # the forkserver starts with the first pool
        pool = make_pool()
    # A task waits in the pool's queue for each worker: a worker that ends one starts the next
    # at once, not after a round trip through this loop (longer while the caller stores a
    # result). A waiting task's time runs from when it can start: when one ahead of it ends
    # (the queue is first in, first out); `started` is None until then.
    in_flight: dict[int, tuple[Task, mp.pool.AsyncResult, float | None]] = {}

    def fill() -> None:
        while queue and len(in_flight) < 2 * limits.workers:
            task = queue.popleft()
            result = pool.apply_async(_run, (task, budget), callback=wake, error_callback=wake)
            running = sum(1 for _t, _r, started in in_flight.values() if started is not None)
            now = time.monotonic() if running < limits.workers else None
            in_flight[id(result)] = (task, result, now)

    def start_waiting(count: int) -> None:
        for key, (task, result, started) in list(in_flight.items()):
            if count and started is None:
                in_flight[key] = (task, result, time.monotonic())
                count -= 1

    try:
        while queue or in_flight:
            fill()
            ended.wait(CHECK_SECONDS)  # a task ended, or time to check the time limits
            ended.clear()
            done: list[tuple[Task, Any]] = []
            for key, (task, result, started) in list(in_flight.items()):
                if result.ready():
                    del in_flight[key]
                    done.append((task, _outcome(task, result, limits)))
                elif started is not None and time.monotonic() - started > limits.seconds:
                    logger.warning(
                        "%s over %ss: stopping its worker", task.key[:12], limits.seconds
                    )
                    pool.terminate()
                    pool.join()
                    del in_flight[key]
                    done.append(
                        (task, task.failed(f"took longer than {limits.seconds:g}s and was stopped"))
                    )
                    for other, _r, _s in in_flight.values():
                        queue.appendleft(other)  # lost with the killed pool: run them again
                    in_flight.clear()
                    pool = make_pool()
                    break
            start_waiting(len(done))
            # The next tasks go out before the results are handed on: a worker does not wait
            # while the caller stores what it found.
            fill()
            yield from done
    finally:
        pool.terminate()
        pool.join()


def _outcome(task: Task, result: mp.pool.AsyncResult, limits: Limits) -> Any:
    try:
        return result.get()
    except MemoryError:
        return task.failed(f"over the memory limit of {limits.memory_mb} MB")
    except Exception as exc:  # the worker died under the document
        return task.failed(f"worker failed: {exc!s:.150}")
