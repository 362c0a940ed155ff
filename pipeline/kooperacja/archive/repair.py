"""Archived files checked against the catalogue, and fetched again where they are still online.

`update` checks every night what it relies on (cheaply: a file whose size and modification time
are those of its last good check is not hashed again); `verify` hashes every file. A file that is
missing or whose bytes changed is downloaded again from the URLs it was found at, and put back
only when the bytes are exactly those recorded; a damaged file is moved aside to `damaged/`,
never deleted. What cannot be mended that way is named, and the command exits 3.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.store import file_sha256, file_stamp, fsync_dir
from kooperacja.dates import now_iso

DAMAGED_DIR = "damaged"


@dataclass(frozen=True)
class FileProblem:
    sha256: str
    doc_id: str
    local_path: str
    expected: str  # SHA-256 the stored file must have
    what: str  # missing | damaged
    detail: str = ""  # for damaged: the hash found

    @property
    def line(self) -> str:
        if self.what == "missing":
            return f"{self.doc_id}: file missing: {self.local_path}"
        return (
            f"{self.doc_id}: file damaged: {self.local_path} has SHA-256 {self.detail[:12]}…, "
            f"expected {self.expected[:12]}…"
        )


def check_files(catalog: Catalog, *, full: bool, record: bool = False) -> list[FileProblem]:
    """Every catalogued file missing or not holding its recorded bytes. Without `full`, a file
    unchanged (size, mtime) since its last good check is trusted; `record` notes good checks."""
    problems = []
    for row in catalog.documents():
        path = catalog.archive_dir / row.local_path
        expected = row.stored_sha256
        problem = FileProblem(row.sha256, row.doc_id, row.local_path, expected, "missing")
        try:
            stamp = file_stamp(path)
        except FileNotFoundError:
            problems.append(problem)
            continue
        if not full and stamp == row.blob_checked:
            continue
        actual = file_sha256(path)
        if actual != expected:
            problems.append(replace(problem, what="damaged", detail=actual))
        elif record and stamp != row.blob_checked:
            with catalog.transaction():
                catalog.note_checked(row.sha256, stamp)
    return problems


def repair_files(
    catalog: Catalog, problems: list[FileProblem], open_fetcher: Callable[[], Any]
) -> tuple[list[str], list[str]]:
    """Fetch each problem file again from its URLs; (repaired, not repaired), each in words.
    Run under the archive lock. `open_fetcher` gives the crawl's fetcher (the archive never
    imports the crawl): something with `robots_verdict(url)`, `fetch(url)` and `close()`."""
    repaired: list[str] = []
    unrepaired: list[str] = []
    if not problems:
        return repaired, unrepaired
    fetcher = open_fetcher()
    try:
        for problem in problems:
            tried = []
            for url, outcome in _fetch_each(fetcher, catalog, problem):
                if outcome is None:
                    repaired.append(f"{problem.doc_id}: {problem.what} file fetched again: {url}")
                    break
                tried.append(f"{url}: {outcome}")
            else:
                unrepaired.append(
                    f"{problem.line}; not repaired: "
                    f"{'; '.join(tried) or 'no URL is known for it'}: restore it from a backup"
                )
    finally:
        fetcher.close()
    return repaired, unrepaired


def _fetch_each(
    fetcher, catalog: Catalog, problem: FileProblem
) -> Iterator[tuple[str, str | None]]:
    """Try the document's URLs in turn; yield (url, why it failed), or (url, None) once the
    right bytes are back in place."""
    for row in catalog.urls_of(problem.sha256):
        url = row.url
        verdict = fetcher.robots_verdict(url)
        if verdict:
            yield url, verdict
            continue
        got = fetcher.fetch(url)
        if not got.ok or got.path is None:
            yield url, got.reason or got.outcome
            continue
        if got.sha256 != problem.expected:
            got.path.unlink(missing_ok=True)
            yield url, "the server now sends other bytes (see 'kooperacja update')"
            continue
        _put_back(catalog, problem, got.path)
        yield url, None
        return


def _put_back(catalog: Catalog, problem: FileProblem, downloaded: Path) -> None:
    archive_dir = catalog.archive_dir
    dest = archive_dir / problem.local_path
    if dest.exists():  # damaged bytes are set aside, never deleted
        aside = archive_dir / DAMAGED_DIR / f"{dest.name}.{now_iso().replace(':', '')}"
        aside.parent.mkdir(exist_ok=True)
        os.replace(dest, aside)
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(downloaded, dest)
    fsync_dir(dest.parent)
    with catalog.transaction():
        catalog.note_checked(problem.sha256, file_stamp(dest))
