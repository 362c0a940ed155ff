"""Polish full-text search over the archive: one whoosh entry per PDF page.

Importing this package is cheap; whoosh (≈170 ms) is imported only when an index is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .build import IndexInfo, index_info, indexed_fingerprints, rebuild_index, update_index
from .query import QUERY_HELP, parse_query
from .schema import SCHEMA_VERSION
from .searching import PageMatch, search_pages
from .searching import search as _search

if TYPE_CHECKING:
    from pathlib import Path

    from ..models import SearchFilters, SearchResult


def search(
    index_dir: Path,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 10,
    *,
    partial: bool = False,
) -> SearchResult:
    """Search the index; a damaged index is reported as such (exit 3), never as a traceback."""
    from ..errors import ArchiveError, KooperacjaError
    from ..models import SearchFilters

    try:
        return _search(index_dir, query, filters or SearchFilters(), limit, partial=partial)
    except KooperacjaError:
        raise
    except Exception as exc:  # whoosh raises many kinds on damaged files
        raise ArchiveError(
            f"the search index in {index_dir} is damaged ({type(exc).__name__}): "
            "run 'kooperacja index --rebuild'"
        ) from exc


__all__ = [
    "QUERY_HELP",
    "SCHEMA_VERSION",
    "IndexInfo",
    "PageMatch",
    "index_info",
    "indexed_fingerprints",
    "parse_query",
    "rebuild_index",
    "search",
    "search_pages",
    "update_index",
]
