"""The table of stages: crawl → extract → tag → index, under the archive lock, recorded as a run
in the catalogue, with one report. Each stage's own run lives in its package (`harvest/run.py`,
`extract/run.py`, `tag/run.py`, `search/run.py`); what needs two stages is composed here.

Every stage works on what the catalogue says is not yet done at the current stage version, so a
re-run with nothing new does no work, and a run killed half-way picks up where it stopped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.checks import SanityResult, check_files, run_checks
from kooperacja.archive.lock import archive_lock
from kooperacja.archive.repair import repair_files, repair_findings
from kooperacja.archive.schema import CATALOG_NAME
from kooperacja.archive.store import tmp_dir
from kooperacja.config import Config, Partner
from kooperacja.errors import UsageError
from kooperacja.progress import Progress, no_progress

if TYPE_CHECKING:
    from kooperacja.harvest.fetch import Fetcher

# A command loads only the stages it runs (`kooperacja tag` never loads the crawl's HTTP stack,
# the PDF readers or the search engine): each stage's run is imported where it is run below.
STAGES = ("crawl", "extract", "tag", "index")


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


def check_and_refetch(config: Config, catalog: Catalog, *, full: bool) -> dict:
    """The archive's files checked and, where possible, fetched again (harvest fetches, the
    archive checks and stores): the report's `files` part."""
    problems = check_files(catalog, full=full, record=True)
    repaired, unrepaired = repair_files(catalog, problems, refetcher(config))
    return {"problems": [p.line for p in problems], "repaired": repaired, "unrepaired": unrepaired}


def refetcher(config: Config) -> Callable[[], Fetcher]:
    """How the archive gets a fetcher to download a damaged file again (made only if needed)."""

    def open_fetcher() -> Fetcher:
        from kooperacja.harvest.fetch import Fetcher

        return Fetcher(config.crawl, tmp_dir(config.archive_dir))

    return open_fetcher


def verify_archive(
    config: Config, repair: bool = False, progress: Progress = no_progress
) -> dict[str, Any]:
    """verify: the archive's checks; with `repair`, under the archive lock, what the archive can
    mend (files fetched again, orphans set aside) and then the stages it asks for (text read
    again, the index brought up to date). `all_repaired`: nothing is left for a person."""
    from kooperacja.search.run import index_snapshot

    if not (config.archive_dir / CATALOG_NAME).exists():
        return {
            "documents": 0,
            "problems": [f"no catalogue in {config.archive_dir}: run 'kooperacja update'"],
            "repaired": [],
            "all_repaired": False,
        }
    if not repair:
        with Catalog(config.archive_dir, create=False) as catalog:
            found = run_checks(catalog, index_snapshot(config), progress=progress)
        return _verify_result(found, [], [], repair=False)
    with archive_lock(config.archive_dir, "verify --repair"):
        with Catalog(config.archive_dir, create=False) as catalog:
            found = run_checks(catalog, index_snapshot(config), record=True, progress=progress)
            mended = repair_findings(catalog, found, refetcher(config))
        if mended.stages:
            rebuild = mended.index == "rebuild"
            run_update(
                config,
                stages=mended.stages,
                command="verify --repair",
                rebuild=rebuild,
                locked=True,
            )
            mended.stages_ran()
    return _verify_result(found, mended.repaired, mended.not_repaired, repair=True)


def _verify_result(
    found: SanityResult, repaired: list[str], unrepaired: list[str], *, repair: bool
) -> dict:
    return {
        "documents": found.documents,
        "problems": found.problems,
        "repaired": repaired,
        "not_repaired": unrepaired,
        "all_repaired": repair and not unrepaired,
        "findings": [f.as_dict() for f in found.findings],
    }


def run_update(
    config: Config,
    partner_ids: Sequence[str] = (),
    *,
    stages: Sequence[str] = STAGES,
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
                from kooperacja.harvest.run import run_crawl

                report["files"] = check_and_refetch(config, catalog, full=False)
                report.update(run_crawl(config, catalog, partners, run_id, on_url))
            if "extract" in stages:
                from kooperacja.extract.run import run_extract

                report["extract"] = run_extract(config, catalog, progress)
            if "tag" in stages:
                from kooperacja.tag.run import run_tag

                report["tag"] = run_tag(config, catalog, progress, force=force_tag)
            if "index" in stages:
                from kooperacja.search.run import run_index

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
