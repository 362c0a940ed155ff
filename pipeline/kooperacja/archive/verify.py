"""`verify`: archive files, catalogue and index checked against each other; `--repair` mends,
under the archive lock, what can be mended (files fetched again from their still-online URLs,
text, index, orphans) and says what could not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kooperacja.archive.captures import warc_problems
from kooperacja.archive.catalog import CATALOG_NAME, Catalog
from kooperacja.archive.lock import archive_lock
from kooperacja.archive.repair import FileProblem, check_files, repair_files
from kooperacja.archive.store import ocr_pdf_relpath, read_pages, text_relpath
from kooperacja.config import Config


def _refetcher(config):
    from kooperacja.runner import refetcher

    return refetcher(config)


def verify_archive(config: Config, repair: bool = False) -> dict[str, Any]:
    """Check everything; with `repair`, mend under the archive lock what can be mended: files
    fetched again from their URLs, text re-extracted, the index brought up to date, orphans
    moved aside. `all_repaired` says whether nothing is left for a person."""
    if not (config.archive_dir / CATALOG_NAME).exists():
        return {
            "documents": 0,
            "problems": [f"no catalogue in {config.archive_dir}: run 'kooperacja update'"],
            "repaired": [],
            "all_repaired": False,
        }
    if not repair:
        with Catalog(config.archive_dir, create=False) as catalog:
            return _findings(config, catalog, repair=False).result([], [])
    with archive_lock(config.archive_dir, "verify --repair"):
        with Catalog(config.archive_dir, create=False) as catalog:
            found = _findings(config, catalog, repair=True)
            repaired, unrepaired = repair_files(catalog, found.files, _refetcher(config))
            _set_aside_orphans(config, found.orphans, repaired)
        if found.to_reextract or found.index_needs:
            _rebuild_derived(config, found, repaired)
        return found.result(repaired, unrepaired, repair=True)


@dataclass
class _Findings:
    documents: int
    problems: list[str]
    files: list[FileProblem]
    to_reextract: list[str]
    orphans: list[str]
    index_needs: str | None

    def result(
        self, repaired: list[str], unrepaired: list[str], *, repair: bool = False
    ) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "problems": self.problems,
            "repaired": repaired,
            "not_repaired": unrepaired,
            "all_repaired": repair and not unrepaired,
        }


def _findings(config: Config, catalog: Catalog, *, repair: bool) -> _Findings:
    rows = catalog.documents()
    files = check_files(catalog, full=True, record=repair)
    problems = [p.line for p in files]
    broken = {p.sha256 for p in files}
    known_files: set[str] = set()
    to_reextract: list[str] = []
    for row in rows:
        sha = row.sha256
        known_files.update((row.local_path, text_relpath(sha), ocr_pdf_relpath(sha)))
        if sha in broken:
            continue
        if row.text_status in ("ok", "ocr") and not read_pages(config.archive_dir, sha):
            problems.append(f"{row.doc_id}: extracted text missing: {text_relpath(sha)}")
            to_reextract.append(sha)
    problems.extend(warc_problems(config.archive_dir, catalog, rows))
    orphans = _orphans(config.archive_dir, known_files)
    problems.extend(f"orphan file without a catalogue record: {o}" for o in orphans)
    index_needs, index_problems = _index_state(config, rows)
    problems.extend(index_problems)
    return _Findings(len(rows), problems, files, to_reextract, orphans, index_needs)


def _index_state(config: Config, rows) -> tuple[str | None, list[str]]:
    """What the index needs ("rebuild", "update" or None) and the problems saying so."""
    from kooperacja.search import SCHEMA_VERSION, index_info

    info = index_info(config.index_dir)
    if not info.exists:
        return "rebuild", [f"index missing in {config.index_dir}: run 'kooperacja index'"]
    if info.schema_version != SCHEMA_VERSION:
        return "rebuild", [
            f"index is schema v{info.schema_version}, this version expects "
            f"v{SCHEMA_VERSION}: run 'kooperacja index --rebuild'"
        ]
    stale, extra = _index_differences(config, rows)
    problems = []
    if stale:
        problems.append(
            f"index out of date for {len(stale)} documents "
            f"({', '.join(stale[:5])}{'…' if len(stale) > 5 else ''}): run 'kooperacja index'"
        )
    if extra:
        problems.append(
            f"index holds {len(extra)} documents not in the catalogue: run 'kooperacja index'"
        )
    return ("update" if problems else None), problems


def _set_aside_orphans(config: Config, orphans: list[str], repaired: list[str]) -> None:
    """A file with no record (a run killed between saving it and cataloguing it, whose document
    has since left the site) is moved aside, never deleted."""
    quarantine = config.archive_dir / "orphans"
    for orphan in orphans:
        quarantine.mkdir(exist_ok=True)
        (config.archive_dir / orphan).replace(quarantine / Path(orphan).name)
        repaired.append(f"{orphan}: moved to orphans/ (no catalogue record)")


def _rebuild_derived(config: Config, found: _Findings, repaired: list[str]) -> None:
    """Text re-extracted and the index brought up to date, still under the caller's lock."""
    from kooperacja.runner import run_update  # verify-helper: the CLI composes this

    with Catalog(config.archive_dir, create=False) as catalog, catalog.transaction():
        for sha in found.to_reextract:
            catalog.reset_extraction(sha)
    stages = (("extract",) if found.to_reextract else ()) + ("tag", "index")
    run_update(
        config,
        stages=stages,
        command="verify --repair",
        rebuild=found.index_needs == "rebuild",
        locked=True,
    )
    repaired.extend(f"{sha[:12]}: re-extracted" for sha in found.to_reextract)
    if found.index_needs:
        repaired.append(
            "index brought up to date with the catalogue"
            + (" (rebuilt)" if found.index_needs == "rebuild" else "")
        )


def _orphans(archive_dir: Path, known: set[str]) -> list[str]:
    blobs = archive_dir / "blobs"
    if not blobs.exists():
        return []
    out = []
    for path in sorted(blobs.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            rel = path.relative_to(archive_dir).as_posix()
            if rel not in known:
                out.append(rel)
    return out


def _index_differences(config: Config, rows):
    from kooperacja.search.run import index_differences  # verify-helper: injected by the CLI

    return index_differences(config, rows)
