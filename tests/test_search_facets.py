"""Disjunctive facets and result orders on the web page's real test index (tests/web_archive.py):
a field's counts ignore that field's own filter, so its other values stay on offer."""

from __future__ import annotations

from kooperacja.config import load_config
from kooperacja.models import SearchFilters
from kooperacja.search import search


def test_facet_counts_are_disjunctive(web_archive) -> None:
    index = load_config(web_archive.config_path).index_dir
    plain = search(index, "policja", with_facets=True)
    types = plain.facets["type"]
    assert len(types) >= 2, types
    first, second = list(types)[:2]
    one = search(index, "policja", SearchFilters(types=(first,)), with_facets=True)
    assert one.total == types[first] < plain.total
    assert one.facets["type"] == types  # the other types stay, with their own counts
    both = search(index, "policja", SearchFilters(types=(first, second)), with_facets=True)
    assert both.total == types[first] + types[second]  # each count: what choosing it adds
    # The other fields are counted among the chosen type's documents only.
    assert sum(one.facets["status"].values()) == one.total
    years = one.facets["year"]
    assert years and sum(years.values()) <= one.total
    year = int(next(iter(years)))
    by_year = SearchFilters(year_from=year, year_to=year)
    both_ways = search(
        index, "policja", SearchFilters(types=(first,), year_from=year, year_to=year),
        with_facets=True,
    )  # fmt: skip
    assert both_ways.total == years[str(year)]
    assert both_ways.facets["year"] == years  # the year ignores the year, keeps the type
    assert both_ways.facets["type"] == search(index, "policja", by_year, with_facets=True).facets[
        "type"
    ]  # the type ignores the type, keeps the year


def test_orders_sort_the_whole_result(web_archive) -> None:
    index = load_config(web_archive.config_path).index_dir
    best = search(index, "rodziny", limit=50)
    assert len(best.hits) >= 3
    for order in ("newest", "oldest", "title"):
        ordered = search(index, "rodziny", limit=50, sort=order)
        assert sorted(h.doc_id for h in ordered.hits) == sorted(h.doc_id for h in best.hits)
        years = [h.year for h in ordered.hits]
        dated = [y for y in years if y is not None]
        if order == "title":
            titles = [h.title.casefold() for h in ordered.hits]
            assert titles == sorted(titles)
        else:
            assert years[: len(dated)] == dated
            assert dated == sorted(dated, reverse=order == "newest") and len(set(dated)) > 1
        # Paging walks the same order.
        second = search(index, "rodziny", limit=2, offset=2, sort=order)
        assert [h.doc_id for h in second.hits] == [h.doc_id for h in ordered.hits[2:4]]
