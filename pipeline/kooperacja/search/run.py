"""The index stage's run: the documents whose index fingerprint changed analysed again, those no
longer in the archive removed; an index of another schema version rebuilt."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from kooperacja.archive import records
from kooperacja.archive.catalog import Catalog
from kooperacja.archive.checks import IndexSnapshot
from kooperacja.archive.rows import Document
from kooperacja.config import Config
from kooperacja.progress import Progress, no_progress
from kooperacja.search import (
    SCHEMA_VERSION,
    index_info,
    indexed_fingerprints,
    rebuild_index,
    update_index,
)

logger = logging.getLogger(__name__)


def run_index(
    config: Config, catalog: Catalog, progress: Progress = no_progress, rebuild: bool = False
) -> dict[str, Any]:
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
    wanted = {r.doc_id: r for r in rows}
    stale = [
        r for r in rows if current.get(r.doc_id) != records.index_fingerprint(r, SCHEMA_VERSION)
    ]
    removed = [doc_id for doc_id in current if doc_id not in wanted]
    if not stale and not removed:
        return {"documents": len(rows), "indexed": 0, "removed": 0, "rebuilt": False}
    docs = (records.index_doc(catalog, r, SCHEMA_VERSION) for r in stale)
    n = update_index(config.index_dir, progress(docs, "index", len(stale)), removed)
    return {"documents": len(rows), "indexed": n, "removed": len(removed), "rebuilt": False}


def index_differences(config: Config, rows: Sequence[Document]) -> tuple[list[str], list[str]]:
    """Documents whose index entries are stale or missing, and entries with no document."""
    indexed = indexed_fingerprints(config.index_dir)
    wanted = {r.doc_id: records.index_fingerprint(r, SCHEMA_VERSION) for r in rows}
    stale = [d for d, fp in wanted.items() if indexed.get(d) != fp]
    return stale, [d for d in indexed if d not in wanted]


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
