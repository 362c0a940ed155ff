"""Polish full-text search over the archive: one engine entry per page, grouped by document.

This is the interface the rest of the program uses (CLI, runner, verify, the web page); only
`engine.py` knows the engine (tantivy). Searches go through an `OpenIndex` their caller holds
(`open_index`); the schema version lives in schema.py, the index's lifecycle in run.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .build import (
    IndexInfo,
    index_info,
    indexed_fingerprints,
    rebuild_index,
    update_index,
)
from .query import QUERY_HELP, parse_query
from .schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path
    from typing import Any

    from ..models import SearchFilters, SearchResult, Snippet
    from .limits import Budget
    from .openindex import OpenIndex
    from .passages import Found, Passage, PassageMatch
    from .searching import PageMatch


def open_index(index_dir: Path) -> OpenIndex:
    """An index held open by its caller (the web app for its life, a CLI command for its run),
    reopened by itself when an update or a rebuild changes the index; share it between threads."""
    from .openindex import OpenIndex

    return OpenIndex(index_dir)


def search(
    index: OpenIndex | Path,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 10,
    *,
    require_all: bool = False,
    offset: int = 0,
    with_facets: bool = False,
    sort: str = "relevance",
    budget: Budget | None = None,
    count_words: bool = True,
) -> SearchResult:
    """Search the index, an OpenIndex or a folder (see `searching.search`) within `budget`
    (limits.py: time, and cancellation by the asker); a damaged index is reported as such
    (exit 3), never as a traceback."""
    from ..models import SearchFilters
    from .searching import opened
    from .searching import search as _search

    index = opened(index)
    with _damage_reported(index.index_dir):
        return _search(
            index,
            query,
            filters or SearchFilters(),
            limit,
            require_all=require_all,
            offset=offset,
            with_facets=with_facets,
            sort=sort,
            budget=budget,
            count_words=count_words,
        )


def highlighter(index: OpenIndex | Path, query: str) -> Callable[[str], Snippet]:
    """What marks the query's words in a text (the page view's highlighting)."""
    from .searching import highlighter as _highlighter
    from .searching import opened

    index = opened(index)
    with _damage_reported(index.index_dir):
        return _highlighter(index, query)


def search_pages(
    index: OpenIndex | Path,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 10,
    *,
    require_all: bool = False,
) -> list[PageMatch]:
    from ..models import SearchFilters
    from .searching import opened
    from .searching import search_pages as _search_pages

    index = opened(index)
    with _damage_reported(index.index_dir):
        return _search_pages(
            index, query, filters or SearchFilters(), limit, require_all=require_all
        )


def match_passages(
    index: OpenIndex | Path, query: str, passages: Sequence[Passage], *, require_all: bool = False
) -> list[PassageMatch]:
    """The passages (e.g. recommendations) matching `query` as a page would, best first: those
    holding every word, then those holding some (see passages.py)."""
    from .passages import match_passages as _match
    from .searching import opened

    index = opened(index)
    with _damage_reported(index.index_dir):
        return _match(index, query, passages, require_all=require_all)


def find_recommendations(
    index: OpenIndex | Path, query: str, records: Sequence[Mapping[str, Any]]
) -> Found:
    """The recommendation records (archive/recommendations.py) matching `query`, best first."""
    from .passages import find_records
    from .searching import opened

    index = opened(index)
    with _damage_reported(index.index_dir):
        return find_records(index, query, records)


@contextmanager
def _damage_reported(index_dir: Path) -> Iterator[None]:
    from ..errors import ArchiveError, KooperacjaError

    try:
        yield
    except KooperacjaError:
        raise
    except BaseException as exc:
        # The engine raises ValueError/OSError on damaged files, and a Rust panic comes as
        # pyo3's PanicException, a BaseException: these mean the index needs rebuilding. Any
        # other error is a bug, reported as such by the CLI.
        if not isinstance(exc, ValueError | OSError) and type(exc).__name__ != "PanicException":
            raise
        raise ArchiveError(
            f"the search index in {index_dir} is damaged ({type(exc).__name__}): "
            "run 'kooperacja index --rebuild'"
        ) from exc


__all__ = [
    "QUERY_HELP",
    "SCHEMA_VERSION",
    "IndexInfo",
    "highlighter",
    "find_recommendations",
    "index_info",
    "indexed_fingerprints",
    "match_passages",
    "open_index",
    "parse_query",
    "rebuild_index",
    "search",
    "search_pages",
    "update_index",
]
