"""Facets, in one place: how many of the matching documents have each type, partner, year and
status (counted from the index's document table), and the order a reader lists them in. The web
page only renders them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..models import SearchFilters
from .vocab import DocFacets

FACET_FIELDS = ("type", "partner", "year", "status", "format")
NO_FILTERS = SearchFilters()


def _passes(f: DocFacets, filters: SearchFilters) -> dict[str, bool]:
    """Whether the document passes each field's filter (an empty filter passes all)."""
    low, high = filters.year_from, filters.year_to
    dated = low is None and high is None or f.year is not None and (
        (low is None or f.year >= low) and (high is None or f.year <= high)
    )  # fmt: skip
    return {
        "type": not filters.types or f.type in filters.types,
        "partner": not filters.partners or bool(set(f.partners) & set(filters.partners)),
        "year": dated,
        "status": not filters.statuses or f.status in filters.statuses,
        "format": not filters.formats or f.format in filters.formats,
    }


def count_facets(
    known: Mapping[int, DocFacets], doc_nums: Iterable[int], filters: SearchFilters = NO_FILTERS
) -> dict[str, dict[str, int]]:
    """Documents per value of each filter field among the matching documents (by their
    `engine.doc_number`); undated documents have no year.

    Disjunctive: `doc_nums` are the documents matching the query without `filters`, and each
    field is counted under the other fields' filters only, so the other values of a field stay
    on offer (choosing one adds it with "or") and each count is what choosing it would give."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
    for num in doc_nums:
        f = known.get(num)
        if f is None:
            continue
        passes = _passes(f, filters)
        failed = [name for name, ok in passes.items() if not ok]
        if len(failed) > 1:
            continue
        counted = set(FACET_FIELDS) if not failed else set(failed)
        if "type" in counted:
            counts["type"][f.type] += 1
        if "partner" in counted:
            counts["partner"].update(f.partners)
        if "year" in counted and f.year is not None:
            counts["year"][str(f.year)] += 1
        if "status" in counted:
            counts["status"][f.status] += 1
        if "format" in counted and f.format:
            counts["format"][f.format] += 1
    return {name: dict(c.most_common()) for name, c in counts.items()}


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
