"""The WARC files as the catalogue knows them: how much of the partner sites they keep, and which
files hold the captures of some URLs (what a bundle carries beside its documents)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.warcfiles import warc_files

logger = logging.getLogger(__name__)


def warc_status(archive_dir: Path, catalog: Catalog) -> dict[str, object]:
    """How much of the partner sites is kept as WARC: files, bytes, answers, the last one."""
    files = warc_files(archive_dir)
    summary = catalog.capture_summary()
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "captures": summary.captures,
        "last_capture": summary.last_capture,
    }


def warc_files_holding(archive_dir: Path, catalog: Catalog, urls: Sequence[str]) -> list[Path]:
    """The closed WARC files with a capture of any of `urls`, oldest first."""
    wanted = set(urls)
    names = {c.warc for c in catalog.captures() if c.url in wanted}
    return [p for p in warc_files(archive_dir) if f"{p.parent.name}/{p.name}" in names]
