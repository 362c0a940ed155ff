"""Running a query: plan it with the index vocabulary, rank pages with the engine, group them by
document, make snippets, count documents and facets, and fall back to the closest words."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import QuerySyntaxError
from ..filetypes import document_format
from ..models import DocHit, PageHit, SearchFilters, SearchResult, Snippet
from ..text import fold
from . import engine, vocab
from .facets import count_facets
from .limits import Budget
from .openindex import OpenIndex, Session
from .query import ParsedQuery, parse_query
from .querytree import Node, matching
from .ranking import Plan, plan
from .request import MAX_RESULTS
from .snippets import Matcher, WordMatcher, make_snippet, mark_words
from .suggest import suggest
from .words import make_stemmer

logger = logging.getLogger(__name__)

NO_FILTERS = SearchFilters()  # frozen, so a shared default is safe
PAGES_PER_DOC = 3


@dataclass(frozen=True)
class PageMatch:
    """One ranked index entry (a page): what `search_pages` returns."""

    doc_id: str
    page: int
    score: float
    fields: dict[str, Any] = field(default_factory=dict, compare=False)


def opened(index: OpenIndex | Path) -> OpenIndex:
    """`index` itself, or a short-lived OpenIndex on a folder (one search's worth)."""
    return index if isinstance(index, OpenIndex) else OpenIndex(index)


Grouped = dict[int, list[engine.Hit]]


def _top_documents(reader: engine.Reader, node: Node, wanted: int, skip: set[int]) -> Grouped:
    """The `wanted` best documents (by doc number) with up to PAGES_PER_DOC best pages each,
    best first. Asks the engine for the top pages and widens the window while a few documents
    hog them."""
    n = max(wanted * PAGES_PER_DOC * 2, 20)
    while True:
        hits = reader.top(node, n)
        grouped: Grouped = {}
        for hit in hits:
            if hit.doc_num in skip:
                continue
            pages = grouped.setdefault(hit.doc_num, [])
            if len(pages) < PAGES_PER_DOC:
                pages.append(hit)
        if len(grouped) >= wanted or len(hits) < n:
            return dict(list(grouped.items())[:wanted])
        n *= 4


def search(
    index: OpenIndex | Path,
    query: str,
    filters: SearchFilters = NO_FILTERS,
    limit: int = 10,
    *,
    require_all: bool = False,
    offset: int = 0,
    with_facets: bool = False,
    sort: str = "relevance",
    budget: Budget | None = None,
    count_words: bool = True,
) -> SearchResult:
    """Documents matching `query`, best first (or in the order `sort` names: newest, oldest,
    title; equals stay best first), each with its best pages and snippets.

    Documents with a page holding every word come first; unless `require_all`, documents with
    only some of the words follow them. `offset` skips that many documents (paging). When
    nothing matches, the results of the closest spelling are given, with the suggestion.
    The search keeps to `budget` (limits.py): stopped, with a message, when over its time or
    cancelled; suggestions are left out when the time runs short for them. `count_words`: see
    ranking.plan."""
    budget = budget or Budget()
    parsed = parse_query(query)
    limit, offset = max(1, limit), max(0, offset)
    with opened(index).session() as session:
        conn = session.conn

        def planned(parsed: ParsedQuery, filters: SearchFilters) -> Plan:
            return plan(conn, parsed, filters, budget, count_words=count_words)

        p = planned(parsed, filters)
        how = _How(limit, offset, require_all, with_facets, sort, filters, budget)
        if with_facets and filters != NO_FILTERS:  # facets count without the page's filters
            how = replace(how, unfiltered=planned(parsed, NO_FILTERS))
        result = _run(session, p, query, how)
        fixes = _corrections(conn, p.words, budget)
        if not fixes:
            return result
        suggestion = " ".join(fixes.get(w, w) for w in p.words)
        astray = _astray(conn, fixes)
        # No page holds every typed word, or a typo met only other words through its stem
        # (`koperacja` → Kopernika): the corrected words' results are given instead.
        if result.complete == 0 or astray:
            try:
                fixed = parse_query(_corrected_query(query, fixes))
                closest_plan = planned(fixed, filters)
            except QuerySyntaxError:  # e.g. a correction that is a common word: no second try
                return replace(result, suggestion=suggestion)
            if how.unfiltered is not None:
                how = replace(how, unfiltered=planned(fixed, NO_FILTERS))
            budget.check()
            closest = _run(session, closest_plan, query, how)
            if closest.complete if astray and result.complete else closest.total:
                note = f"nothing matched as typed; showing results for: {suggestion}"
                return replace(closest, suggestion=suggestion, notes=(note,), corrected=True)
        return replace(result, suggestion=suggestion)


def highlighter(index: OpenIndex | Path, query: str) -> Callable[[str], Snippet]:
    """What marks the query's words in a text, every form the search matches (`policja` marks
    "policją", `wspolpraca` "współpracy"), as the snippets mark them; a query that cannot be
    parsed marks nothing."""
    try:
        parsed = parse_query(query)
        with opened(index).session() as session:
            p = plan(session.conn, parsed, NO_FILTERS, Budget())
    except QuerySyntaxError:
        return lambda text: mark_words(text, ())
    matchers = (WordMatcher(p.highlight, p.prefixes), WordMatcher(p.weak_highlight, frozenset()))
    return lambda text: mark_words(text, matchers)


def _corrections(
    conn: sqlite3.Connection, words: tuple[str, ...], budget: Budget
) -> dict[str, str]:
    """Each unknown word's correction, word by word while the budget's time lasts (the
    suggestion is a help: a search short of time gives its results without it)."""
    fixes: dict[str, str] = {}
    for word in dict.fromkeys(words):
        if budget.cancelled.is_set():
            budget.check()
        if budget.expired():
            logger.info("suggestions left out: the search's time is up")
            break
        fixed = suggest(conn, [word])
        if fixed is not None and fixed != word:
            fixes[word] = fixed
    return fixes


def _astray(conn: sqlite3.Connection, fixes: Mapping[str, str]) -> bool:
    """Whether a typo's own matches are other words: a word the archive does not hold matches
    only through its truncation stem, and when that is not its correction's stem, what it meets
    is something else (`koperacja` meets Kopernika, while `policjq` still meets policja). A rare
    word the archive holds meets itself: its correction is offered, not applied."""
    stem = make_stemmer()
    return any(
        stem(word) != stem(fixed) and not vocab.spellings(conn, fold(word))
        for word, fixed in fixes.items()
    )


def _corrected_query(query: str, fixes: Mapping[str, str]) -> str:
    """The query as typed with each corrected word replaced: its ORs, phrases, exclusions and
    filters kept (a filter's value is never taken for a word)."""
    for word, fixed in fixes.items():
        pattern = rf"(?<![\w:*-]){re.escape(word)}(?![\w*:])"
        query = re.sub(pattern, lambda _m, fixed=fixed: fixed, query, flags=re.IGNORECASE)
    return query


@dataclass(frozen=True)
class _How:
    """How a search runs besides its plan: the window, the order, the facets."""

    limit: int
    offset: int
    require_all: bool
    with_facets: bool
    sort: str
    filters: SearchFilters
    budget: Budget
    unfiltered: Plan | None = None  # the plan without `filters`, for disjunctive facets


def _run(session: Session, p: Plan, query: str, how: _How) -> SearchResult:
    with session.reader.searching():
        return _result(session, p, query, how)


def _result(session: Session, p: Plan, query: str, how: _How) -> SearchResult:
    reader = session.reader
    limit, offset, require_all = how.limit, how.offset, how.require_all
    wanted = offset + limit
    if how.sort != "relevance":  # every document (up to the deepest result) is ordered
        wanted = MAX_RESULTS
    relaxed = None if require_all else p.relaxed

    # The documents are counted beside the ranking and the snippets (on a core the search has
    # to spare), and waited for at the end.
    def counting(node: Node) -> Future[list[int]]:
        return reader.document_numbers_soon(matching(node), how.budget.spare_core)

    counting_strict = counting(p.strict)
    counting_relaxed = None if relaxed is None else counting(relaxed)
    counting_unfiltered = None  # the facets' counts, without the filters (see search)
    if how.with_facets and how.unfiltered is not None:
        unfiltered = how.unfiltered
        some = None if require_all else unfiltered.relaxed
        counting_unfiltered = counting(some if some is not None else unfiltered.strict)
    top = _top_documents(reader, p.strict, wanted, set())
    strict_nums = set(top)  # found by the strict query: they have a page with every word
    if relaxed is not None and len(top) < wanted:
        # Short of documents with every word, so `top` holds all of them: those with only some
        # of the words follow (none, when the relaxed query matches no other document).
        top.update(_top_documents(reader, relaxed, wanted - len(top), set(top)))
    matchers = (
        WordMatcher(p.highlight, p.prefixes),
        WordMatcher(p.weak_highlight, frozenset()),
    )
    # Documents with every word first; equal scores ordered by the document's number, so two
    # archives of the same site answer alike (index order differs between them).
    ranked = sorted(
        top.items(),
        key=lambda item: (item[0] not in strict_nums, -round(item[1][0].score, 6), item[0]),
    )
    if how.sort != "relevance":
        ranked = _ordered(ranked, how.sort, session)
    how.budget.check()
    hits = []
    for _, pages in ranked[offset : offset + limit]:  # the time is checked between documents
        hits.append(_doc_hit([(h, reader.stored(h)) for h in pages], matchers, p.has_words))
        how.budget.check()
    strict_ids = counting_strict.result()
    matched = strict_ids if counting_relaxed is None else counting_relaxed.result()
    notes: tuple[str, ...] = ()
    if len(matched) > len(strict_ids):
        notes = (f"{len(strict_ids)} documents contain all the words; the others only some",)
    facets = None
    if counting_unfiltered is not None:
        facets = count_facets(session.doc_table(), counting_unfiltered.result(), how.filters)
    elif how.with_facets:
        facets = count_facets(session.doc_table(), matched)
    return SearchResult(
        query=query,
        total=len(matched),
        complete=len(strict_ids),
        hits=tuple(hits),
        notes=notes,
        facets=facets,
    )


def _ordered(
    ranked: list[tuple[int, list[engine.Hit]]], sort: str, session: Session
) -> list[tuple[int, list[engine.Hit]]]:
    """The documents in the order `sort` names; equals keep their order (best first).
    Undated documents come last by date, untitled ones last by title."""
    if sort == "title":
        titles = {num: session.reader.stored(pages[0]).get("title") or "" for num, pages in ranked}
        return sorted(ranked, key=lambda item: _title_key(titles[item[0]]))
    table = session.doc_table()
    years = {num: getattr(table.get(num), "year", None) for num, _ in ranked}
    sign = -1 if sort == "newest" else 1
    return sorted(ranked, key=lambda item: (years[item[0]] is None, sign * (years[item[0]] or 0)))


def _title_key(title: str) -> tuple[bool, str, str]:
    """Alphabetical without regard to case, a Polish letter beside its plain one."""
    text = title.strip().casefold()
    return (not text, fold(text), text)


def search_pages(
    index: OpenIndex | Path,
    query: str,
    filters: SearchFilters = NO_FILTERS,
    limit: int = 10,
    *,
    require_all: bool = False,
) -> list[PageMatch]:
    """The best index entries (pages) for `query`, best first, not grouped by document: pages
    with every word, then (unless `require_all`) pages with some."""
    parsed = parse_query(query)
    with opened(index).session() as session:
        reader = session.reader
        p = plan(session.conn, parsed, filters)
        hits = reader.top(p.strict, limit)
        if not require_all and p.relaxed is not None and len(hits) < limit:
            seen = {(h.address.segment_ord, h.address.doc) for h in hits}
            hits += [
                h
                for h in reader.top(p.relaxed, limit + len(hits))
                if (h.address.segment_ord, h.address.doc) not in seen
            ]
        out = []
        for hit in hits[:limit]:
            stored = reader.stored(hit)
            out.append(PageMatch(stored["doc_id"], stored["page"], hit.score, stored))
        return out


def _doc_hit(
    pages: list[tuple[engine.Hit, Mapping[str, Any]]],
    matchers: tuple[Matcher, ...],
    with_pages: bool,
) -> DocHit:
    best, first = pages[0]
    partners = tuple(first.get("partners") or ())
    page_hits: tuple[PageHit, ...] = ()
    if with_pages:
        page_hits = tuple(
            PageHit(
                page=stored["page"],
                excerpt=make_snippet(stored.get("text", ""), matchers),
                label=stored.get("label", ""),
                section=stored.get("section", ""),
                score=hit.score,
            )
            for hit, stored in pages
            if stored["page"] > 0
        )
    return DocHit(
        doc_id=first["doc_id"],
        title=first.get("title", ""),
        type=first.get("type", ""),
        partner=partners[0] if partners else "",
        partners=partners,
        year=first.get("year"),
        url=first.get("url", ""),
        status=first.get("status", ""),
        score=best.score,
        media_type=first.get("media_type") or "application/pdf",
        pages=page_hits,
        format=first.get("format") or document_format(first.get("media_type") or ""),
        ocr_confidence=first.get("ocr_confidence"),
    )
