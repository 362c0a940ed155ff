"""What the archive can mend of the checks' findings (`archive/checks.py`), by itself.

A file that is missing or whose bytes changed is downloaded again from the URLs it was found at,
and put back only when the bytes are exactly those recorded; a damaged file is moved aside to
`damaged/`, never deleted. An orphan file is moved aside to `orphans/`. A document whose text is
lost is marked for extraction again, and the repair says which stages must run (extract, index):
the runner runs them, the archive never does. What cannot be mended is named, and the command
exits 3.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.checks import (
    EXTRACT_AGAIN,
    REBUILD_INDEX,
    SET_ASIDE,
    UPDATE_INDEX,
    FileProblem,
    SanityResult,
)
from kooperacja.archive.store import file_stamp
from kooperacja.dates import now_iso
from kooperacja.output import fsync_dir

logger = logging.getLogger(__name__)

DAMAGED_DIR = "damaged"
ORPHANS_DIR = "orphans"


@dataclass
class Repair:
    """What the archive mended, what it could not, and what the stages must do next."""

    repaired: list[str] = field(default_factory=list)
    not_repaired: list[str] = field(default_factory=list)
    extract_again: list[str] = field(default_factory=list)  # sha256s, marked pending
    index: str | None = None  # "update" | "rebuild" | None

    @property
    def stages(self) -> tuple[str, ...]:
        """The stages to run after this repair (none if nothing derived needs remaking)."""
        if not (self.extract_again or self.index):
            return ()
        return (("extract",) if self.extract_again else ()) + ("tag", "index")

    def stages_ran(self) -> None:
        """Say what the stages remade, once the runner has run them."""
        self.repaired.extend(f"{sha[:12]}: re-extracted" for sha in self.extract_again)
        if self.index:
            self.repaired.append(
                "index brought up to date with the catalogue"
                + (" (rebuilt)" if self.index == "rebuild" else "")
            )


def repair_findings(
    catalog: Catalog, result: SanityResult, open_fetcher: Callable[[], Any]
) -> Repair:
    """Mend what the archive can of `result` (under the archive lock): files fetched again,
    orphans set aside, lost text marked for extraction; say which stages must run."""
    repair = Repair()
    repair.repaired, repair.not_repaired = repair_files(catalog, result.files, open_fetcher)
    for finding in result.to_fix(SET_ASIDE):
        repair.repaired.append(set_aside_orphan(catalog.archive_dir, finding.subject))
    repair.extract_again = [f.subject for f in result.to_fix(EXTRACT_AGAIN)]
    if repair.extract_again:
        with catalog.transaction():
            for sha in repair.extract_again:
                catalog.reset_extraction(sha)
    if result.to_fix(REBUILD_INDEX):
        repair.index = "rebuild"
    elif result.to_fix(UPDATE_INDEX):
        repair.index = "update"
    return repair


def set_aside_orphan(archive_dir: Path, orphan: str) -> str:
    """A file with no record (a run killed between saving it and cataloguing it, whose document
    has since left the site) is moved aside, never deleted."""
    quarantine = archive_dir / ORPHANS_DIR
    quarantine.mkdir(exist_ok=True)
    (archive_dir / orphan).replace(quarantine / Path(orphan).name)
    return f"{orphan}: moved to orphans/ (no catalogue record)"


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
