"""A small pool of extraction workers, each with a memory limit, and a time limit per document.

A hostile PDF (decompression bomb, cyclic objects, 5,000 blank pages) may hang or balloon a
worker; the pool kills it, records the document as failed with the reason and goes on.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kooperacja.extract import Extraction, extract_file

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    key: str
    path: Path
    media_type: str
    charset: str | None = None  # an HTML page's charset as its server declared it


@dataclass(frozen=True)
class Limits:
    seconds: float = 120.0
    memory_mb: int = 1024
    workers: int = 2


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on every platform; time limit still holds
        pass


def _run(job: Job) -> Extraction:
    return extract_file(job.path, job.media_type, job.charset)


def extract_all(jobs: Iterable[Job], limits: Limits = Limits()) -> Iterator[tuple[Job, Extraction]]:
    """Yield each job with its extraction as they finish (order not kept)."""
    pending = list(jobs)
    if not pending:
        return
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        # Workers fork from a server that has already imported the extractors (~0.4 s each).
        ctx.set_forkserver_preload(["kooperacja.extract", "pypdfium2", "pypdf"])
    else:
        ctx = mp.get_context("spawn")
    make_pool: Callable[[], mp.pool.Pool] = lambda: ctx.Pool(  # noqa: E731
        processes=max(1, min(limits.workers, len(pending))),
        initializer=_limit_memory,
        initargs=(limits.memory_mb,),
        maxtasksperchild=25,
    )
    pool = make_pool()
    try:
        queue = list(reversed(pending))
        in_flight: dict[str, tuple[Job, mp.pool.AsyncResult, float]] = {}
        while queue or in_flight:
            while queue and len(in_flight) < limits.workers:
                job = queue.pop()
                in_flight[job.key] = (job, pool.apply_async(_run, (job,)), time.monotonic())
            time.sleep(0.005)
            for key, (job, result, started) in list(in_flight.items()):
                if result.ready():
                    del in_flight[key]
                    try:
                        yield job, result.get()
                    except MemoryError:
                        yield (
                            job,
                            Extraction(
                                "failed",
                                error="over the memory limit "
                                f"of {limits.memory_mb} MB while extracting",
                            ),
                        )
                    except Exception as exc:  # the worker died under the document
                        yield job, Extraction("failed", error=f"worker failed: {exc!s:.150}")
                elif time.monotonic() - started > limits.seconds:
                    logger.warning(
                        "extraction of %s over %ss: stopping its worker", key, limits.seconds
                    )
                    pool.terminate()
                    pool.join()
                    del in_flight[key]
                    yield (
                        job,
                        Extraction(
                            "failed",
                            error=f"extraction took longer than "
                            f"{limits.seconds:g}s and was stopped",
                        ),
                    )
                    for other, _r, _s in in_flight.values():
                        queue.append(other)  # lost with the killed pool: run them again
                    in_flight.clear()
                    pool = make_pool()
                    break
    finally:
        pool.terminate()
        pool.join()
