"""Counting the documents a query matches, fast.

Scoring every matching page through whoosh's matchers costs ~30 µs a page; a common word matches
thousands of pages of a 20,000-page archive. The count only needs *which* pages match, so it is
done with set algebra over the posting id lists (read a block at a time), and pages map to
documents through the `first` marker each document's first index entry carries (a document's
pages are added together, so they have consecutive docnums in every segment and after merges).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

FIRST_FIELD = "first"
FIRST_VALUE = "1"


def _leaf_ids(matcher: Any) -> set[int]:
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher

    deleted: Any = None
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = matcher._ids, matcher.child
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks at once instead of one id() / next() call per posting (whoosh-reloaded
        # 2.7.5 internals; pinned in pyproject).
        ids: set[int] = set()
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            ids.update(matcher._ids)
            matcher._next_block()
    else:
        ids = set(matcher.all_ids())
    return ids - deleted if deleted else ids


def _term_ids(searcher: Any, fieldname: str, text: Any) -> set[int]:
    from whoosh.reading import TermNotFound

    ids: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        try:
            matcher = sub.reader().postings(fieldname, text)
        except TermNotFound:
            continue
        leaf = _leaf_ids(matcher)
        ids.update(leaf if offset == 0 else {offset + i for i in leaf})
    return ids


def page_ids(searcher: Any, query: Any) -> set[int]:
    """Docnums of every index entry (page) matching `query`."""
    from whoosh import query as wq

    if isinstance(query, wq.Term):
        return _term_ids(searcher, query.fieldname, query.text)
    if isinstance(query, wq.ConstantScoreQuery):
        return page_ids(searcher, query.child)
    if isinstance(query, wq.AndNot):
        return page_ids(searcher, query.a) - page_ids(searcher, query.b)
    if isinstance(query, wq.Or):
        ids: set[int] = set()
        for sub in query.subqueries:
            ids |= page_ids(searcher, sub)
        return ids
    if isinstance(query, wq.And) and query.subqueries:
        sets = sorted((page_ids(searcher, sub) for sub in query.subqueries), key=len)
        return sets[0].intersection(*sets[1:])
    # Phrases, sequences, numeric ranges, prefixes: whoosh's own matching.
    return set(searcher.docs_for_query(query))


def document_starts(searcher: Any) -> list[int]:
    """Sorted docnums of the documents' first entries: bisect_right(starts, docnum) is then the
    ordinal of the document a page belongs to."""
    return sorted(_term_ids(searcher, FIRST_FIELD, FIRST_VALUE))


def _positional(query: Any) -> bool:
    """A phrase, or phrases joined by OR: matching needs positions, which are slow to check."""
    from whoosh import query as wq

    if isinstance(query, wq.Phrase | wq.Sequence):
        return True
    return (
        isinstance(query, wq.Or)
        and bool(query.subqueries)
        and all(_positional(sub) for sub in query.subqueries)
    )


def _document_ordinals(searcher: Any, query: Any, starts: list[int]) -> set[int]:
    """Ordinals of the documents with a page matching `query`: after a document's first matching
    page the matcher skips to the next document, so positions are checked on a few pages per
    document instead of on every page with all the words."""
    from whoosh.reading import TermNotFound

    found: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        try:
            matcher = query.matcher(sub, sub.boolean_context())
        except TermNotFound:
            continue
        while matcher.is_active():
            ordinal = bisect_right(starts, offset + matcher.id())
            found.add(ordinal)
            if ordinal >= len(starts):
                break
            matcher.skip_to(starts[ordinal] - offset)  # the next document's first page
    return found


def count_documents(searcher: Any, query: Any, starts: list[int]) -> int:
    """How many documents have at least one page matching `query`."""
    if _positional(query):
        return len(_document_ordinals(searcher, query, starts))
    return len({bisect_right(starts, docnum) for docnum in page_ids(searcher, query)})
