"""The extract stage's run: what the catalogue says is not yet extracted (at this version, or
with a weaker OCR mode), read in worker processes, its text stored per page beside the file."""

from __future__ import annotations

import logging
import os
import shutil
from collections import deque
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.rows import Document
from kooperacja.archive.store import (
    ocr_pdf_relpath,
    pages_of,
    read_pages,
    read_text_file,
    tmp_dir,
    write_pages,
)
from kooperacja.config import Config
from kooperacja.extract.abbreviations import abbreviation_pairs
from kooperacja.extract.extraction import EXTRACT_VERSION, page_sections, with_ocr
from kooperacja.extract.films import extract_films
from kooperacja.extract.ocr import tesseract_ready
from kooperacja.extract.recommendations import RECOMMENDATIONS_VERSION, find_recommendations
from kooperacja.extract.workers import Job, LayerJob, Limits, OcrJob, run_bounded, store_pages
from kooperacja.models import VIDEO_MEDIA
from kooperacja.progress import Progress, no_progress

logger = logging.getLogger(__name__)

OCR_RANK = {"never": 0, "auto": 1, "force": 2}
UPGRADABLE = 2  # an extraction of this version gains its abbreviations from its stored text


def run_extract(
    config: Config,
    catalog: Catalog,
    progress: Progress = no_progress,
    workers: int | None = None,
    ocr: str | None = None,
) -> dict[str, Any]:
    """Extract what is pending, and PDFs extracted with a weaker OCR mode than `ocr` (e.g. scans
    archived while OCR was off or Tesseract missing); OCR'd pages are read on every core."""
    effective = ocr or config.extract.ocr
    rows = _to_extract(catalog, effective)
    not_ready = None
    if effective != "never" and any(r.media_type == "application/pdf" for r in rows):
        not_ready = tesseract_ready(config.extract.ocr_language)  # asked only when it matters
    if not_ready:
        logger.warning("no OCR this run: %s", not_ready)
        effective = "never"
        rows = _to_extract(catalog, effective)
    counts: dict[str, int] = {}
    upgraded = _upgrade(config, catalog, rows, effective)
    rows = [r for r in rows if r.sha256 not in upgraded]
    films = [r for r in rows if r.media_type == VIDEO_MEDIA]
    if films:
        counts["ok"] = extract_films(config, catalog, films)
    rows = [r for r in rows if r.media_type != VIDEO_MEDIA]
    jobs = [
        Job(
            r.sha256,
            config.archive_dir / r.local_path,
            r.media_type,
            r.charset,
            ocr=effective,
            archive_dir=config.archive_dir,
        )
        for r in rows
    ]
    failures: list[str] = []
    ocr_pages = 0
    limits = Limits(workers=workers or min(2, os.cpu_count() or 1))
    finished = _extractions(config, jobs, limits)
    read = found = 0  # documents whose recommendations were read, and how many they have
    for job, result in progress(finished, "extract", len(jobs)):
        if result.pages:  # OCR'd, or the worker could not store them: stored here
            # A full disk stops the run here, as before (one line, exit 3); the document stays
            # pending, since its row is written after its pages, and the next run reads it.
            store_pages(config.archive_dir, job.key, result)
        recommendations = None
        has_pages = bool(result.pages) or result.stored
        if has_pages and result.text_status in ("ok", "ocr"):  # as read_recommendations reads
            recommendations = result.recommendations
            if recommendations is None:
                recommendations = find_recommendations(result.pages)
        with catalog.transaction():
            catalog.set_extracted(
                job.key,
                result.text_status,
                result.error,
                result.page_count,
                result.metadata,
                EXTRACT_VERSION,
                ocr_pages=result.ocr_pages,
                ocr_confidence=result.ocr_confidence,
                ocr_mode=effective,
            )
            if recommendations is not None:  # from the pages in hand, not read back from disk
                catalog.set_recommendations(job.key, recommendations, RECOMMENDATIONS_VERSION)
                read, found = read + 1, found + len(recommendations)
        counts[result.text_status] = counts.get(result.text_status, 0) + 1
        ocr_pages += result.ocr_pages
        if result.text_status == "failed":
            failures.append(f"{job.key[:12]}: {result.error}")
    report = {
        "documents": len(jobs) + len(films) + len(upgraded),
        "by_text_status": counts,
        "ocr_pages": ocr_pages,
        "recommendations": _added(read_recommendations(config, catalog), read, found),
    }
    if not_ready:
        report["ocr_unavailable"] = not_ready
    return {**report, "errors": failures}


def _added(counts: dict[str, int], documents: int, found: int) -> dict[str, int]:
    return {"documents": counts["documents"] + documents, "found": counts["found"] + found}


def _upgrade(config: Config, catalog: Catalog, rows: list[Document], mode: str) -> set[str]:
    """Bring extractions of version UPGRADABLE to this version from their stored text: only the
    abbreviations are new, and reading the files again (OCR!) would cost hours."""
    done: set[str] = set()
    for row in rows:
        weaker = row.media_type == "application/pdf" and OCR_RANK.get(
            row.ocr_mode or "never", 0
        ) < OCR_RANK[mode]
        if row.extract_version != UPGRADABLE or row.text_status == "pending" or weaker:
            continue
        payload = read_text_file(config.archive_dir, row.sha256)
        pages = pages_of(payload)
        if pages and row.media_type == "application/pdf":  # chapters become sections too
            pages = _with_sections(pages)
        if pages:
            extra = {k: v for k, v in payload.items() if k != "pages"}
            extra["extract_version"] = EXTRACT_VERSION
            extra["abbreviations"] = abbreviation_pairs([p.text for p in pages])
            write_pages(config.archive_dir, row.sha256, pages, extra)
        with catalog.transaction():
            catalog.set_extracted(
                row.sha256, row.text_status, row.text_error, row.pages, row.pdf_metadata,
                EXTRACT_VERSION, ocr_pages=row.ocr_pages or 0,
                ocr_confidence=row.ocr_confidence, ocr_mode=row.ocr_mode or "never",
            )  # fmt: skip
        done.add(row.sha256)
    return done


def _with_sections(pages: list) -> list:
    """The pages' sections as this version finds them: the stored ones stand for the outline
    (where each begins), and chapter headings are found in the text."""
    outline = [
        (i, p.section)
        for i, p in enumerate(pages)
        if p.section and (i == 0 or pages[i - 1].section != p.section)
    ]
    found = page_sections([p.text for p in pages], outline)
    return [replace(p, section=section) for p, section in zip(pages, found, strict=True)]


def read_recommendations(config: Config, catalog: Catalog) -> dict[str, int]:
    """The numbered recommendations of every document extracted since they were last read
    (and of every document once, when the reader's version changes), from its stored pages."""
    documents = found = 0
    for row in catalog.to_read_recommendations(RECOMMENDATIONS_VERSION):
        pages = read_pages(config.archive_dir, row.sha256)
        recommendations = find_recommendations(pages) if pages else ()
        with catalog.transaction():
            catalog.set_recommendations(row.sha256, recommendations, RECOMMENDATIONS_VERSION)
        documents += 1
        found += len(recommendations)
    return {"documents": documents, "found": found}


def _to_extract(catalog: Catalog, mode: str) -> list[Document]:
    """Documents not extracted (at this version), and PDFs extracted with a weaker OCR mode."""
    weaker = [m for m, rank in OCR_RANK.items() if rank < OCR_RANK[mode]]
    return catalog.to_extract(EXTRACT_VERSION, weaker)


def _extractions(config: Config, jobs: list, limits) -> Iterable[tuple[Any, Any]]:
    """Each document with its final extraction, as it is ready: a document with pages to OCR
    comes after its pages are read and its text-layered PDF is written beside the original."""
    queue: deque = deque(jobs)
    waiting: dict[str, tuple[Job, Any, dict[int, Any]]] = {}
    for task, result in run_bounded(queue, limits):
        if isinstance(task, Job):
            if not result.ocr_wanted:
                yield task, result
                continue
            folder = _ocr_dir(config, task.key)
            waiting[task.key] = (task, result, {})
            queue.extend(
                OcrJob(task.key, task.path, n, folder, config.extract.ocr_language)
                for n in result.ocr_wanted
            )
        elif isinstance(task, OcrJob):
            job, extraction, read = waiting[task.key]
            read[task.page] = result
            if len(read) < len(extraction.ocr_wanted):
                continue
            final = with_ocr(extraction, read)
            layers = tuple((n, r.layer) for n, r in sorted(read.items()) if r.layer and r.text)
            if final.text_status != "ocr" or not layers:
                del waiting[task.key]
                shutil.rmtree(_ocr_dir(config, task.key), ignore_errors=True)
                yield job, final
                continue
            waiting[task.key] = (job, final, read)
            out = config.archive_dir / ocr_pdf_relpath(task.key)
            queue.append(LayerJob(task.key, job.path, layers, out))
        else:  # the derived PDF is written (result None) or not (the reason)
            job, final, _read = waiting.pop(task.key)
            shutil.rmtree(_ocr_dir(config, task.key), ignore_errors=True)
            if result:
                note = f"text-layered PDF not written: {result}"
                final = replace(final, error=f"{final.error}; {note}" if final.error else note)
            yield job, final


def _ocr_dir(config: Config, sha256: str):
    return tmp_dir(config.archive_dir) / f"ocr-{sha256[:16]}"
