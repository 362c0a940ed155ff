"""The index stage's run, and the index's lifecycle decided here: an index of another schema
version rebuilt (`must_rebuild`), the documents whose index fingerprint changed analysed again
and those no longer in the archive removed (`differences`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from kooperacja.archive import records
from kooperacja.archive.catalog import Catalog
from kooperacja.archive.checks import IndexSnapshot
from kooperacja.archive.rows import Document
from kooperacja.config import Config
from kooperacja.progress import Progress, no_progress
from kooperacja.search import (
    SCHEMA_VERSION,
    IndexInfo,
    index_info,
    indexed_fingerprints,
    rebuild_index,
    update_index,
)
from kooperacja.search.build import set_index_abbreviations
from kooperacja.search.generations import remove_unused

logger = logging.getLogger(__name__)

def must_rebuild(info: IndexInfo) -> bool:
    """An index of another schema version is rebuilt, not updated: it is derived data, and a
    new kooperacja rebuilds it rather than stopping cron."""
    return info.exists and info.schema_version != SCHEMA_VERSION


def differences(
    indexed: Mapping[str, str], rows: Sequence[Document]
) -> tuple[list[Document], list[str]]:
    """The catalogue rows whose index entries are stale or missing (their fingerprint differs
    from the indexed one), and the indexed doc_ids no longer in the catalogue."""
    wanted = {r.doc_id for r in rows}
    stale = [
        r for r in rows if indexed.get(r.doc_id) != records.index_fingerprint(r, SCHEMA_VERSION)
    ]
    return stale, [doc_id for doc_id in indexed if doc_id not in wanted]


def run_index(
    config: Config, catalog: Catalog, progress: Progress = no_progress, rebuild: bool = False
) -> dict[str, Any]:
    rows = catalog.documents()
    abbreviations = config.search.abbreviations
    info = index_info(config.index_dir)
    if must_rebuild(info):
        logger.warning(
            "index is schema v%s, this version writes v%s: rebuilding it",
            info.schema_version,
            SCHEMA_VERSION,
        )
        rebuild = True
    # The pages are read where they are analysed (the workers), not here.
    read = partial(records.with_pages, catalog.archive_dir)
    if rebuild:
        docs = (records.index_doc(catalog, r, SCHEMA_VERSION, with_text=False) for r in rows)
        n = rebuild_index(
            config.index_dir,
            progress(docs, "index", len(rows)),
            abbreviations=abbreviations,
            read=read,
        )
        return {"documents": len(rows), "indexed": n, "removed": 0, "rebuilt": True}
    stale, removed = differences(indexed_fingerprints(config.index_dir), rows)
    if not stale and not removed:
        set_index_abbreviations(config.index_dir, abbreviations)  # the config may be new
        return {"documents": len(rows), "indexed": 0, "removed": 0, "rebuilt": False}
    docs = (records.index_doc(catalog, r, SCHEMA_VERSION, with_text=False) for r in stale)
    n = update_index(
        config.index_dir,
        progress(docs, "index", len(stale)),
        removed,
        abbreviations=abbreviations,
        read=read,
    )
    remove_unused(config.index_dir)  # generations a search still read at the last rebuild
    return {"documents": len(rows), "indexed": n, "removed": len(removed), "rebuilt": False}


def index_differences(config: Config, rows: Sequence[Document]) -> tuple[list[str], list[str]]:
    """Documents whose index entries are stale or missing, and entries with no document."""
    stale, removed = differences(indexed_fingerprints(config.index_dir), rows)
    return [r.doc_id for r in stale], removed


def index_snapshot(config: Config) -> IndexSnapshot:
    """The index as verify's checks need it: whether it exists, its schema, and (when it is
    of this version) the fingerprint of every document it holds."""
    info = index_info(config.index_dir)
    current = info.exists and info.schema_version == SCHEMA_VERSION
    return IndexSnapshot(
        folder=config.index_dir,
        exists=info.exists,
        schema_version=info.schema_version,
        expected_version=SCHEMA_VERSION,
        fingerprints=indexed_fingerprints(config.index_dir) if current else {},
    )


def index_state(config: Config, rows: Sequence[Document]) -> dict[str, Any]:
    """The index as `status` shows it: whether it exists, its schema, size, age, and how many
    documents it is behind the catalogue."""
    info = index_info(config.index_dir)
    stale: list[str] = []
    if info.exists:
        stale, extra = index_differences(config, rows)
        stale += extra
    return {
        "exists": info.exists,
        "schema_version": info.schema_version,
        "documents": info.documents,
        "pages": info.pages,
        "built_at": info.built_at,
        "up_to_date": bool(info.exists and not stale),
        "stale_documents": len(stale),
    }
