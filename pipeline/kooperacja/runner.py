"""The stage runner: crawl → extract → tag → index, each incremental, each with its report.

Every stage works on what the catalogue says is not yet done at the current stage version, so a
re-run with nothing new does no work, and a run killed half-way picks up where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, replace
from typing import Any, TypeVar

from kooperacja.archive import records
from kooperacja.archive.catalog import Catalog
from kooperacja.archive.lock import archive_lock
from kooperacja.archive.store import tmp_dir, write_pages
from kooperacja.config import Config, Partner
from kooperacja.errors import UsageError
from kooperacja.extract.extraction import EXTRACT_VERSION
from kooperacja.harvest.video import VIDEO_MEDIA

logger = logging.getLogger(__name__)
T = TypeVar("T")
Progress = Callable[[Iterable[T], str, int | None], Iterable[T]]


def no_progress(items: Iterable[T], label: str = "", total: int | None = None) -> Iterable[T]:
    return items


def select_partners(config: Config, ids: Sequence[str]) -> list[Partner]:
    known = {p.id: p for p in config.partners}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UsageError(
            f"unknown partner {', '.join(map(repr, unknown))}: the config knows "
            f"{', '.join(sorted(known))}"
        )
    if ids:
        return [known[i] for i in ids]
    return [p for p in config.partners if p.enabled]


# --- crawl ----------------------------------------------------------------------------------


def run_crawl(
    config: Config,
    catalog: Catalog,
    partners: Sequence[Partner],
    run_id: int | None,
    on_url: Callable[[str], None] = lambda url: None,
) -> dict[str, Any]:
    from kooperacja.harvest.capture import warc_capture
    from kooperacja.harvest.crawl import crawl_partner
    from kooperacja.harvest.fetch import Fetcher

    fetcher = Fetcher(config.crawl, tmp_dir(config.archive_dir))
    reports: dict[str, Any] = {}
    try:
        with warc_capture(config.archive_dir, config.crawl, catalog) as capture:
            fetcher.recorder = capture.record
            for partner in partners:
                logger.info("crawling %s", partner.id)
                report = crawl_partner(partner, config.crawl, catalog, fetcher, run_id, on_url)
                reports[partner.id] = report.as_dict()
    finally:
        fetcher.close()
    return {
        "partners": reports,
        "bytes_downloaded": fetcher.bytes_downloaded,
        "document_bytes": sum(r["document_bytes"] for r in reports.values()),
        "requests": fetcher.requests_made,
        "warc": capture.summary(),  # every answer, kept in archive/warc/
        "documents_total": catalog.counts()["documents"],
    }


# --- extract --------------------------------------------------------------------------------


OCR_RANK = {"never": 0, "auto": 1, "force": 2}


def run_extract(
    config: Config,
    catalog: Catalog,
    progress: Progress = no_progress,
    workers: int | None = None,
    ocr: str | None = None,
) -> dict[str, Any]:
    """Extract what is pending, and PDFs extracted with a weaker OCR mode than `ocr` (e.g. scans
    archived while OCR was off or Tesseract missing); OCR'd pages are read on every core."""
    from kooperacja.extract.ocr import tesseract_ready
    from kooperacja.extract.workers import Job, Limits

    effective = ocr or config.extract.ocr
    rows = _to_extract(catalog, effective)
    not_ready = None
    if effective != "never" and any(r["media_type"] == "application/pdf" for r in rows):
        not_ready = tesseract_ready(config.extract.ocr_language)  # asked only when it matters
    if not_ready:
        logger.warning("no OCR this run: %s", not_ready)
        effective = "never"
        rows = _to_extract(catalog, effective)
    counts: dict[str, int] = {}
    films = [r for r in rows if r["media_type"] == VIDEO_MEDIA]
    if films:
        counts["ok"] = _extract_films(config, catalog, films)
    rows = [r for r in rows if r["media_type"] != VIDEO_MEDIA]
    jobs = [
        Job(
            r["sha256"],
            config.archive_dir / r["local_path"],
            r["media_type"],
            r["charset"],
            ocr=effective,
        )
        for r in rows
    ]
    failures: list[str] = []
    ocr_pages = 0
    limits = Limits(workers=workers or min(2, os.cpu_count() or 1))
    finished = _extractions(config, jobs, limits)
    for job, result in progress(finished, "extract", len(jobs)):
        if result.pages:
            extra = {"extract_version": EXTRACT_VERSION, "page_sizes": result.page_sizes}
            write_pages(config.archive_dir, job.key, list(result.pages), extra)
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
        counts[result.text_status] = counts.get(result.text_status, 0) + 1
        ocr_pages += result.ocr_pages
        if result.text_status == "failed":
            failures.append(f"{job.key[:12]}: {result.error}")
    report = {
        "documents": len(jobs) + len(films),
        "by_text_status": counts,
        "ocr_pages": ocr_pages,
    }
    if not_ready:
        report["ocr_unavailable"] = not_ready
    return {**report, "errors": failures}


def _to_extract(catalog: Catalog, mode: str) -> list:
    """Documents not extracted (at this version), and PDFs extracted with a weaker OCR mode."""
    weaker = [m for m, rank in OCR_RANK.items() if rank < OCR_RANK[mode]]
    marks = ",".join("?" * len(weaker)) or "NULL"
    return catalog.documents(
        "text_status = 'pending' OR extract_version IS NULL OR extract_version < ? OR "
        f"(media_type = 'application/pdf' AND COALESCE(ocr_mode, 'never') IN ({marks}))",
        (EXTRACT_VERSION, *weaker),
    )


def _extractions(config: Config, jobs: list, limits) -> Iterable[tuple[Any, Any]]:
    """Each document with its final extraction, as it is ready: a document with pages to OCR
    comes after its pages are read and its text-layered PDF is written beside the original."""
    from collections import deque

    from kooperacja.archive.store import ocr_pdf_relpath
    from kooperacja.extract.extraction import with_ocr
    from kooperacja.extract.workers import Job, LayerJob, OcrJob, run_bounded

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


def _extract_films(config: Config, catalog: Catalog, rows) -> int:
    """A film's text is what the pages that show it say: its title, the words around it."""
    from kooperacja.harvest.video import video_text
    from kooperacja.models import PageText

    for row in rows:
        links = catalog.links_to([u["url"] for u in catalog.urls_of(row["sha256"])])
        text = video_text([r["link_text"] for r in links], [r["context"] for r in links])
        write_pages(
            config.archive_dir,
            row["sha256"],
            [PageText(1, text)],
            {"extract_version": EXTRACT_VERSION},
        )
        with catalog.transaction():
            catalog.set_extracted(row["sha256"], "ok", None, 1, {}, EXTRACT_VERSION)
    return len(rows)


# --- tag ------------------------------------------------------------------------------------


def run_tag(
    config: Config, catalog: Catalog, progress: Progress = no_progress, force: bool = False
) -> dict[str, Any]:
    from kooperacja.tag.curation import apply_overrides, load_overrides
    from kooperacja.tag.rules import rules_from_config
    from kooperacja.tag.tagging import TAG_VERSION, tag_document

    rules = rules_from_config(config.tagging)
    overrides = load_overrides(config.overrides_path)
    regions = {p.id: p.region for p in config.partners}
    rules_key = _digest([TAG_VERSION, config.tagging, regions])
    changed = 0
    rows = catalog.documents()
    for row in progress(rows, "tag", len(rows)):
        facts = _tag_facts(catalog, row, regions)
        key = _digest([rules_key, _input_key(facts, row), overrides.get(row["doc_id"])])
        old = records.tags_of(row)
        if not force and old.get("fingerprint") == key:
            continue
        tag_input = _with_pages(config, facts)
        tags = apply_overrides(tag_document(tag_input, rules), row["doc_id"], overrides)
        data = asdict(tags)
        data["reasons"] = dict(tags.reasons)
        data["partners"] = list(tags.partners)
        data["fingerprint"] = key
        with catalog.transaction():
            catalog.set_tags(row["sha256"], data, TAG_VERSION)
        changed += 1
    return {"documents": len(rows), "tagged": changed}


def _tag_facts(catalog: Catalog, row, regions: dict[str, str]):
    """Everything tagging reads except the page texts, which are read only when tagging runs."""
    from kooperacja.tag.tagging import TagInput

    urls = catalog.urls_of(row["sha256"])
    links = catalog.links_to([u["url"] for u in urls])
    # The text around each link, with the date of the page it is on ("br." needs its year).
    around = {r["context"]: catalog.last_modified(r["found_on"]) for r in links if r["context"]}
    meta = json.loads(row["pdf_meta"]) if row["pdf_meta"] else {}
    return TagInput(
        sha256=row["sha256"],
        media_type=row["media_type"],
        link_texts=tuple(dict.fromkeys(r["link_text"] for r in links if r["link_text"])),
        urls=tuple(u["url"] for u in urls),
        partners=tuple(catalog.partners_of(row["sha256"])),
        partner_regions=regions,
        found_on_texts=tuple(around),
        found_on_dates=tuple(around.values()),
        pdf_metadata=meta,
        pages=(),
        html_title=row["html_title"] or "",
        last_modified=next((m for u in urls if (m := catalog.last_modified(u["url"]))), ""),
    )


def _with_pages(config: Config, facts):
    """The facts with the document's page texts and page sizes, as extract stored them."""
    from kooperacja.archive.store import pages_of, read_text_file

    stored = read_text_file(config.archive_dir, facts.sha256)
    sizes = tuple((float(w), float(h)) for w, h in stored.get("page_sizes", ()))
    return replace(facts, pages=tuple(p.text for p in pages_of(stored)), page_sizes=sizes)


def _input_key(facts, row) -> Any:
    # The page texts follow from the document's bytes (its sha256, in `facts`) and the
    # extraction that read them, so a night with nothing new reads no page file.
    return [asdict(facts), row["extract_version"], row["text_status"], row["pages"]]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


# --- index ----------------------------------------------------------------------------------


def run_index(
    config: Config, catalog: Catalog, progress: Progress = no_progress, rebuild: bool = False
) -> dict[str, Any]:
    from kooperacja.search import (
        SCHEMA_VERSION,
        index_info,
        indexed_fingerprints,
        rebuild_index,
        update_index,
    )

    rows = catalog.documents()
    info = index_info(config.index_dir)
    if info.exists and info.schema_version != SCHEMA_VERSION:
        # The index is derived data: a new kooperacja rebuilds it rather than stopping cron.
        logger.warning(
            "index is schema v%s, this version writes v%s: rebuilding it",
            info.schema_version,
            SCHEMA_VERSION,
        )
        rebuild = True
    if rebuild:
        docs = (records.index_doc(catalog, r, SCHEMA_VERSION) for r in rows)
        n = rebuild_index(config.index_dir, progress(docs, "index", len(rows)))
        return {"documents": len(rows), "indexed": n, "removed": 0, "rebuilt": True}
    current = indexed_fingerprints(config.index_dir)
    wanted = {r["doc_id"]: r for r in rows}
    stale = [
        r for r in rows if current.get(r["doc_id"]) != records.index_fingerprint(r, SCHEMA_VERSION)
    ]
    removed = [doc_id for doc_id in current if doc_id not in wanted]
    if not stale and not removed:
        return {"documents": len(rows), "indexed": 0, "removed": 0, "rebuilt": False}
    docs = (records.index_doc(catalog, r, SCHEMA_VERSION) for r in stale)
    n = update_index(config.index_dir, progress(docs, "index", len(stale)), removed)
    return {"documents": len(rows), "indexed": n, "removed": len(removed), "rebuilt": False}


# --- update ---------------------------------------------------------------------------------


def run_update(
    config: Config,
    partner_ids: Sequence[str] = (),
    *,
    stages: Sequence[str] = ("crawl", "extract", "tag", "index"),
    progress: Progress = no_progress,
    on_url: Callable[[str], None] = lambda url: None,
    command: str = "update",
    rebuild: bool = False,
    force_tag: bool = False,
    locked: bool = False,
) -> dict[str, Any]:
    """Run the stages under the archive lock (`locked`: the caller holds it), recording the
    run in the catalogue. A crawl first checks the archived files it relies on and fetches
    missing or damaged ones again (`report["files"]`)."""
    partners = select_partners(config, partner_ids) if "crawl" in stages else []
    lock = nullcontext() if locked else archive_lock(config.archive_dir, command)
    with lock, Catalog(config.archive_dir) as catalog:
        _clear_partial_downloads(config)
        run_id = catalog.start_run(command, os.getpid())
        report: dict[str, Any] = {}
        outcome = "interrupted"
        try:
            if "crawl" in stages:
                from kooperacja.archive.repair import check_and_repair

                report["files"] = check_and_repair(config, catalog, full=False)
                report.update(run_crawl(config, catalog, partners, run_id, on_url))
            if "extract" in stages:
                report["extract"] = run_extract(config, catalog, progress)
            if "tag" in stages:
                report["tag"] = run_tag(config, catalog, progress, force=force_tag)
            if "index" in stages:
                report["index"] = run_index(config, catalog, progress, rebuild=rebuild)
            report["documents_total"] = catalog.counts()["documents"]
            outcome = (
                "archive_problems"
                if report.get("files", {}).get("unrepaired")
                else "failed_items"
                if report_failures(report)
                else "ok"
            )
        finally:
            catalog.finish_run(run_id, outcome, report)
        report["run_id"] = run_id
        return report


def _clear_partial_downloads(config: Config) -> None:
    """Temp files of a killed run: never part of the archive, safe to drop under the lock."""
    leftovers = [
        *tmp_dir(config.archive_dir).glob("*.part"),
        *config.archive_dir.glob("blobs/*/.*.part"),
    ]
    for part in leftovers:
        part.unlink(missing_ok=True)
    for pages in tmp_dir(config.archive_dir).glob("ocr-*"):  # OCR layers of a killed run
        shutil.rmtree(pages, ignore_errors=True)


def report_failures(report: dict[str, Any]) -> list[str]:
    """Every failed item of a report, each named, for the exit code 1 rule."""
    out = []
    for pid, p in report.get("partners", {}).items():
        out.extend(f"{pid}: {e}" for e in p.get("errors", []))
    out.extend(f"extract: {e}" for e in report.get("extract", {}).get("errors", []))
    return out
