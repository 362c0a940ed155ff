"""Facets, in one place: how many of the matching documents have each type, partner, year and
status (counted from the index's document table), and the order a reader lists them in. The web
page only renders them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..models import SearchFilters
from .vocab import DocFacets

FACET_FIELDS = ("type", "partner", "year", "status", "format")
NO_FILTERS = SearchFilters()


Check = Callable[[DocFacets], bool]


def _checks(filters: SearchFilters) -> list[tuple[str, Check]]:
    """For each field with a filter, whether a document passes it (fields without one pass
    every document and are left out)."""
    checks: list[tuple[str, Check]] = []
    if filters.types:
        types = frozenset(filters.types)
        checks.append(("type", lambda f: f.type in types))
    if filters.partners:
        partners = frozenset(filters.partners)
        checks.append(("partner", lambda f: not partners.isdisjoint(f.partners)))
    low, high = filters.year_from, filters.year_to
    if low is not None or high is not None:
        checks.append((
            "year",
            lambda f: f.year is not None and (low is None or f.year >= low)
            and (high is None or f.year <= high),
        ))  # fmt: skip
    if filters.statuses:
        statuses = frozenset(filters.statuses)
        checks.append(("status", lambda f: f.status in statuses))
    if filters.formats:
        formats = frozenset(filters.formats)
        checks.append(("format", lambda f: f.format in formats))
    return checks


def count_facets(
    known: Mapping[int, DocFacets], doc_nums: Iterable[int], filters: SearchFilters = NO_FILTERS
) -> dict[str, dict[str, int]]:
    """Documents per value of each filter field among the matching documents (by their
    `engine.doc_number`); undated documents have no year.

    Disjunctive: `doc_nums` are the documents matching the query without `filters`, and each
    field is counted under the other fields' filters only, so the other values of a field stay
    on offer (choosing one adds it with "or") and each count is what choosing it would give."""
    rows = [f for f in map(known.get, doc_nums) if f is not None]
    checks = _checks(filters)
    if not checks:
        return _counted({name: rows for name in FACET_FIELDS})
    # Each document's one failed field (None: it passes all); failing two, it counts nowhere.
    failed: list[str | None] = []
    for f in rows:
        miss = None
        for name, passes in checks:
            if not passes(f):
                if miss is not None:
                    miss = ""
                    break
                miss = name
        failed.append(miss)
    return _counted({
        name: [f for f, miss in zip(rows, failed, strict=True) if miss is None or miss == name]
        for name in FACET_FIELDS
    })  # fmt: skip


def _counted(rows: Mapping[str, list[DocFacets]]) -> dict[str, dict[str, int]]:
    """Each field's values counted over its documents, most first (equals in the documents'
    order). Counter's C loop over generators: a Python loop per document was most of a
    faceted search's time at 20,000 pages."""
    counts = {
        "type": Counter(f.type for f in rows["type"]),
        "partner": Counter(p for f in rows["partner"] for p in f.partners),
        "year": Counter(str(f.year) for f in rows["year"] if f.year is not None),
        "status": Counter(f.status for f in rows["status"]),
        "format": Counter(f.format for f in rows["format"] if f.format),
    }
    return {name: dict(counts[name].most_common()) for name in FACET_FIELDS}


@dataclass(frozen=True)
class FacetCounts:
    """The counts in reading order: most documents first (then by name), years newest first."""

    types: tuple[tuple[str, int], ...] = ()
    partners: tuple[tuple[str, int], ...] = ()
    years: tuple[tuple[int, int], ...] = ()  # newest first
    statuses: tuple[tuple[str, int], ...] = ()
    formats: tuple[tuple[str, int], ...] = ()


def _most_first(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((k, v) for k, v in counts.items() if k), key=lambda kv: (-kv[1], kv[0])))


def facet_counts(facets: Mapping[str, Mapping[str, int]] | None) -> FacetCounts:
    """A result's counts (`SearchResult.facets`: field -> value -> documents) in reading order."""
    if not facets:
        return FacetCounts()
    years = {int(y): n for y, n in facets.get("year", {}).items() if str(y).isdigit()}
    return FacetCounts(
        types=_most_first(facets.get("type", {})),
        partners=_most_first(facets.get("partner", {})),
        years=tuple(sorted(years.items(), reverse=True)),
        statuses=_most_first(facets.get("status", {})),
        formats=_most_first(facets.get("format", {})),
    )
