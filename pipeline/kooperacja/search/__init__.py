"""Polish full-text search over the archive: one whoosh entry per PDF page.

Importing this package is cheap; whoosh (≈170 ms) is imported only when an index is opened.
"""

from __future__ import annotations

from .build import IndexInfo, index_info, indexed_fingerprints, rebuild_index, update_index
from .query import QUERY_HELP, parse_query
from .schema import SCHEMA_VERSION
from .searching import PageMatch, search, search_pages

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
