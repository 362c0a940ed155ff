"""A film's text: it is never downloaded, so its text is what the pages that show it say: its
title, and the words around it."""

from __future__ import annotations

from collections.abc import Sequence

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.rows import Document
from kooperacja.archive.store import write_pages
from kooperacja.config import Config
from kooperacja.extract.extraction import EXTRACT_VERSION
from kooperacja.models import PageText


def video_text(titles: list[str], contexts: list[str]) -> str:
    """The searchable text of a film: its title on the first line, then what the pages say
    around it (each distinct context once)."""
    title = next((t for t in titles if t), "")
    lines = [title] if title else []
    for context in dict.fromkeys(c for c in contexts if c):
        lines.append(context)
    return "\n".join(lines)


def extract_films(config: Config, catalog: Catalog, rows: Sequence[Document]) -> int:
    """A film's text is what the pages that show it say: its title, the words around it."""
    for row in rows:
        links = catalog.links_to([u.url for u in catalog.urls_of(row.sha256)])
        text = video_text([r.link_text for r in links], [r.context for r in links])
        write_pages(
            config.archive_dir,
            row.sha256,
            [PageText(1, text)],
            {"extract_version": EXTRACT_VERSION},
        )
        with catalog.transaction():
            catalog.set_extracted(row.sha256, "ok", None, 1, {}, EXTRACT_VERSION)
    return len(rows)
