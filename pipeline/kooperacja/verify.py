"""`verify`: archive files, catalogue and index checked against each other; `--repair` mends
what can be mended from the archive itself and says what could not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kooperacja import records
from kooperacja.catalog import Catalog
from kooperacja.config import Config
from kooperacja.harvest.capture import warc_problems
from kooperacja.store import file_sha256, ocr_pdf_relpath, read_pages, text_relpath


def verify_archive(config: Config, repair: bool = False) -> dict[str, Any]:
    from kooperacja.search import SCHEMA_VERSION, index_info

    problems: list[str] = []
    repaired: list[str] = []
    unrepaired: list[str] = []
    if not (config.archive_dir / "catalog.sqlite").exists():
        return {
            "documents": 0,
            "problems": [f"no catalogue in {config.archive_dir}: run 'kooperacja update'"],
            "repaired": [],
            "all_repaired": False,
        }
    with Catalog(config.archive_dir, create=False) as catalog:
        rows = catalog.documents()
        known_files: set[str] = set()
        to_reextract: list[str] = []
        for row in rows:
            sha, doc = row["sha256"], row["doc_id"]
            path = config.archive_dir / row["local_path"]
            known_files.add(row["local_path"])
            known_files.add(text_relpath(sha))
            known_files.add(ocr_pdf_relpath(sha))  # the derived text-layered PDF, if any
            if not path.exists():
                problems.append(f"{doc}: file missing: {row['local_path']}")
                unrepaired.append(doc)
                continue
            actual = file_sha256(path)
            expected = row["blob_sha256"] or sha
            if actual != expected:
                problems.append(
                    f"{doc}: file damaged: {row['local_path']} has SHA-256 "
                    f"{actual[:12]}…, expected {expected[:12]}…"
                )
                unrepaired.append(doc)
                continue
            if row["text_status"] in ("ok", "ocr") and not read_pages(config.archive_dir, sha):
                problems.append(f"{doc}: extracted text missing: {text_relpath(sha)}")
                to_reextract.append(sha)
        problems.extend(warc_problems(config.archive_dir, catalog, rows))
        orphans = _orphans(config.archive_dir, known_files)
        for orphan in orphans:
            problems.append(f"orphan file without a catalogue record: {orphan}")
        if repair and to_reextract:
            with catalog.transaction():
                for sha in to_reextract:
                    catalog.db.execute(
                        "UPDATE documents SET text_status='pending' WHERE sha256=?", (sha,)
                    )
        info = index_info(config.index_dir)
        index_needs = None
        if not info.exists:
            problems.append(f"index missing in {config.index_dir}: run 'kooperacja index'")
            index_needs = "rebuild"
        elif info.schema_version != SCHEMA_VERSION:
            problems.append(
                f"index is schema v{info.schema_version}, this version expects "
                f"v{SCHEMA_VERSION}: run 'kooperacja index --rebuild'"
            )
            index_needs = "rebuild"
        else:
            stale, extra = index_differences(config, rows)
            if stale:
                problems.append(
                    f"index out of date for {len(stale)} documents "
                    f"({', '.join(stale[:5])}{'…' if len(stale) > 5 else ''}): "
                    "run 'kooperacja index'"
                )
                index_needs = "update"
            if extra:
                problems.append(
                    f"index holds {len(extra)} documents not in the catalogue: "
                    "run 'kooperacja index'"
                )
                index_needs = "update"
    if repair and (to_reextract or index_needs):
        from kooperacja.runner import run_update

        stages = (("extract",) if to_reextract else ()) + ("tag", "index")
        run_update(
            config, stages=stages, command="verify --repair", rebuild=index_needs == "rebuild"
        )
        repaired.extend(f"{sha[:12]}: re-extracted" for sha in to_reextract)
        if index_needs:
            repaired.append(
                "index brought up to date with the catalogue"
                + (" (rebuilt)" if index_needs == "rebuild" else "")
            )
    if repair and unrepaired:
        problems.append(
            f"could not repair {len(unrepaired)} documents whose files are missing or "
            "damaged: restore archive/blobs from a backup (their URLs are in "
            "'kooperacja show DOC_ID')"
        )
    if repair and orphans:
        # A file with no record (a run killed between saving it and cataloguing it, whose
        # document has since left the site) is moved aside, never deleted.
        quarantine = config.archive_dir / "orphans"
        quarantine.mkdir(exist_ok=True)
        for orphan in orphans:
            (config.archive_dir / orphan).replace(quarantine / Path(orphan).name)
            repaired.append(f"{orphan}: moved to orphans/ (no catalogue record)")
    return {
        "documents": len(rows),
        "problems": problems,
        "repaired": repaired,
        "all_repaired": bool(repair and not unrepaired),
    }


def index_differences(config: Config, rows) -> tuple[list[str], list[str]]:
    """Documents whose index entries are stale or missing, and entries with no document."""
    from kooperacja.search import SCHEMA_VERSION, indexed_fingerprints

    indexed = indexed_fingerprints(config.index_dir)
    wanted = {r["doc_id"]: records.index_fingerprint(r, SCHEMA_VERSION) for r in rows}
    stale = [d for d, fp in wanted.items() if indexed.get(d) != fp]
    return stale, [d for d in indexed if d not in wanted]


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
