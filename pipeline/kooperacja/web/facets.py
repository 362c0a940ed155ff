"""Facet counts of a result: how many of the found documents have each type, partner, year and
status. Counted over the documents the search returned (`FacetCounts.counted`); the page says
so when that is fewer than all the matches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kooperacja.models import DocHit


@dataclass(frozen=True)
class FacetCounts:
    types: tuple[tuple[str, int], ...]
    partners: tuple[tuple[str, int], ...]
    years: tuple[tuple[int, int], ...]
    statuses: tuple[tuple[str, int], ...]
    counted: int  # documents counted
    total: int  # documents matching

    @property
    def complete(self) -> bool:
        return self.counted >= self.total


def _most_first(counter: Counter) -> tuple:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def count_facets(hits: Sequence[DocHit], total: int) -> FacetCounts:
    """Counts per value; a document linked by two partners counts once for each; undated
    documents have no year."""
    types: Counter = Counter(h.type or "other" for h in hits)
    partners: Counter = Counter(p for h in hits for p in dict.fromkeys(h.partners or (h.partner,)))
    partners.pop("", None)
    years: Counter = Counter(h.year for h in hits if isinstance(h.year, int))
    statuses: Counter = Counter(h.status for h in hits if h.status)
    return FacetCounts(
        types=_most_first(types),
        partners=_most_first(partners),
        years=tuple(sorted(years.items(), reverse=True)),
        statuses=_most_first(statuses),
        counted=len(hits),
        total=total,
    )
