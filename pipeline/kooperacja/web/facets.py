"""Facet counts of a result, as the page lists them: documents per type, partner, year and
status among all the matching documents (the search counts them, `with_facets=True`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FacetCounts:
    types: tuple[tuple[str, int], ...] = ()
    partners: tuple[tuple[str, int], ...] = ()
    years: tuple[tuple[int, int], ...] = ()  # newest first
    statuses: tuple[tuple[str, int], ...] = ()


def _most_first(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((k, v) for k, v in counts.items() if k), key=lambda kv: (-kv[1], kv[0])))


def facet_counts(facets: Mapping[str, Mapping[str, int]] | None) -> FacetCounts:
    """The search's counts (field -> value -> documents) in the page's order; undated
    documents have no year."""
    if not facets:
        return FacetCounts()
    years = {int(y): n for y, n in facets.get("year", {}).items() if str(y).isdigit()}
    return FacetCounts(
        types=_most_first(facets.get("type", {})),
        partners=_most_first(facets.get("partner", {})),
        years=tuple(sorted(years.items(), reverse=True)),
        statuses=_most_first(facets.get("status", {})),
    )
