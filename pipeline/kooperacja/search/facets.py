"""Facets, in one place: how many of the matching documents have each type, partner, year and
status (counted from the index's document table), and the order a reader lists them in. The web
page only renders them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .vocab import DocFacets

FACET_FIELDS = ("type", "partner", "year", "status")


def count_facets(
    known: Mapping[int, DocFacets], doc_nums: Iterable[int]
) -> dict[str, dict[str, int]]:
    """Documents per value of each filter field among the matching documents (by their
    `engine.doc_number`); undated documents have no year."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
    for num in doc_nums:
        f = known.get(num)
        if f is None:
            continue
        counts["type"][f.type] += 1
        counts["partner"].update(f.partners)
        if f.year is not None:
            counts["year"][str(f.year)] += 1
        counts["status"][f.status] += 1
    return {name: dict(c.most_common()) for name, c in counts.items()}


@dataclass(frozen=True)
class FacetCounts:
    """The counts in reading order: most documents first (then by name), years newest first."""

    types: tuple[tuple[str, int], ...] = ()
    partners: tuple[tuple[str, int], ...] = ()
    years: tuple[tuple[int, int], ...] = ()  # newest first
    statuses: tuple[tuple[str, int], ...] = ()


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
    )
