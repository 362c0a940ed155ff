"""Running a query: restore diacritics and lemmas from the index vocabulary, build the whoosh
query, rank pages, group them by document, make snippets and suggestions."""

from __future__ import annotations

import logging
import sqlite3
from bisect import bisect_right
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IndexMissing, IndexOutdated
from ..models import DocHit, PageHit, SearchFilters, SearchResult
from . import generations, vocab
from .build import WHOOSH_DIR, outdated_message
from .counting import count_documents, document_starts
from .query import AnyOf, FieldFilter, ParsedQuery, Phrase, Word, parse_query
from .schema import EXACT_BOOST, LEMMA_BOOST, SCHEMA_VERSION, STEM_BOOST
from .snippets import Matcher, WordMatcher, make_snippet
from .suggest import edit_distance, suggest
from .words import STEM_LETTERS, fold, has_polish_letters, is_stop, make_stemmer

logger = logging.getLogger(__name__)

NO_FILTERS = SearchFilters()  # frozen, so a shared default is safe
PAGES_PER_DOC = 3
MAX_PREFIX_TERMS = 512
MAX_SPELLINGS = 16
MAX_GUESSED_LEMMAS = 2


@dataclass(frozen=True)
class PageMatch:
    """One ranked index entry (a page): what `search_pages` returns."""

    doc_id: str
    page: int
    score: float
    fields: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass
class _Compiled:
    """A whoosh query plus what the snippets must highlight (built per search, then dropped)."""

    query: Any  # excluded words are part of it (AndNot), never a whoosh mask: see _run_grouped
    relaxed: Any | None  # any of the words instead of all (None for a one-word query)
    highlight: set[str]
    weak_highlight: set[str]  # forms sharing only a stem: marked when nothing better is on the page
    prefixes: set[str]
    words: list[str]  # the query's words as typed, for suggestions


@contextmanager
def _open(index_dir: Path) -> Iterator[tuple[Any, sqlite3.Connection]]:
    from .lean_whoosh import import_whoosh

    import_whoosh()
    from whoosh import index as windex
    from whoosh.index import EmptyIndexError

    index_dir = Path(index_dir)
    for attempt in range(2):
        generation = generations.current_generation(index_dir)
        if generation is None:
            raise IndexMissing(f"no search index in {index_dir}: run 'kooperacja index'")
        conn: sqlite3.Connection | None = None
        try:
            conn = vocab.connect(generation)
            found = vocab.get_meta(conn).get("schema_version", "")
            version = int(found) if found.isdigit() else None
            # Checked before whoosh unpickles a schema this version may not be able to read.
            if version != SCHEMA_VERSION:
                raise IndexOutdated(outdated_message(version))
            ix = windex.open_dir(str(generation / WHOOSH_DIR))
            break
        except (sqlite3.Error, EmptyIndexError, FileNotFoundError):
            if conn is not None:
                conn.close()
            if attempt:  # a rebuild swapped generations under us twice: the index is broken
                raise IndexMissing(
                    f"the search index in {index_dir} is incomplete: "
                    "run 'kooperacja index --rebuild'"
                ) from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise
    try:
        yield ix, conn
    finally:
        conn.close()
        ix.close()


class _Compiler:
    """Turns the parsed query into whoosh queries with the index vocabulary."""

    def __init__(self, conn: sqlite3.Connection):
        from whoosh import query as wq

        self.q = wq
        self.conn = conn
        self.stem = make_stemmer()
        self.highlight: set[str] = set()
        self.prefixes: set[str] = set()
        self.lemma_keys: set[str] = set()
        self.stem_keys: set[str] = set()

    def spellings(self, word: str) -> list[str]:
        """The forms a typed word may stand for: itself, or, typed without Polish letters, every
        spelling of the vocabulary that folds to it (`policja` → `policja`, `policją`)."""
        if has_polish_letters(word):
            return [word]
        found = [e.form for e in vocab.spellings(self.conn, fold(word))[:MAX_SPELLINGS]]
        return found or [word]

    def word(self, text: str, *, with_stem: bool = True) -> Any | None:
        q = self.q
        forms = [f for f in self.spellings(text) if not is_stop(f)]
        if not forms:
            return None
        subs: list[Any] = []
        lemmas: dict[str, None] = {}
        stems: dict[str, None] = {}
        for form in forms:
            self.highlight.add(form)
            subs.append(q.Term("exact", form, boost=EXACT_BOOST))
            entry = vocab.lookup(self.conn, form)
            stem = entry.stem if entry else self.stem(form)
            stems[stem] = None
            if entry:
                lemmas[entry.lemma] = None
            else:
                # Unknown form: its lemma may still be in the index as the lemma of a form with
                # the same stem (`ośrodkami` → stem `osrodk` → `ośrodka` → lemma `osrodek`).
                lemmas[fold(form)] = None
                lemmas.update(dict.fromkeys(vocab.lemmas_with_stem(self.conn, stem)))
                lemmas.update(dict.fromkeys(self.guess_lemmas(form)))
        self.lemma_keys.update(lemmas)
        subs.extend(q.Term("lemma", k, boost=LEMMA_BOOST) for k in lemmas)
        if with_stem:
            self.stem_keys.update(stems)
            subs.extend(q.Term("stem", s, boost=STEM_BOOST) for s in stems)
        clause = q.Or(subs)
        parts = text.split("-")
        if len(parts) > 1 and vocab.lookup(self.conn, text) is None:
            # An unknown compound also matches its parts written apart ("społeczno zawodowy").
            part_queries = [self.word(p) for p in parts if p]
            part_queries = [p for p in part_queries if p is not None]
            if part_queries:
                clause = q.Or([clause, q.And(part_queries)])
        return clause

    def guess_lemmas(self, form: str) -> list[str]:
        """Lemma keys of the vocabulary a short unknown form is probably an inflection of.

        A form of up to STEM_LETTERS letters is its own stem, so the stem field meets no other
        form of the word (`gminy` vs `gminach`, stem `gmina`). Staff type the nominative while
        texts use other cases: take the vocabulary's lemmas one edit away that share all but the
        last two letters, the closest in length first (`gminy` → `gmina`, not `gminny`)."""
        folded = fold(form)
        if not folded.isalpha() or not 3 <= len(folded) <= STEM_LETTERS:
            return []
        n = len(folded)
        prefix = folded[: max(2, n - 2)]
        scored: list[tuple[int, int, str]] = []
        for lemma, freq in vocab.lemmas_with_prefix(self.conn, prefix, n - 1, n + 1):
            if lemma != folded and edit_distance(folded, lemma, 1) <= 1:
                scored.append((abs(len(lemma) - n), -freq, lemma))
        if not scored:
            return []
        scored.sort()
        best = scored[0][0]
        return [lemma for d, _, lemma in scored if d == best][:MAX_GUESSED_LEMMAS]

    def prefix(self, text: str) -> Any:
        q = self.q
        self.prefixes.add(text)
        if has_polish_letters(text):
            return q.Prefix("exact", text, boost=EXACT_BOOST)
        forms = vocab.forms_with_prefix(self.conn, fold(text), MAX_PREFIX_TERMS)
        if not forms:
            return q.Prefix("exact", text, boost=EXACT_BOOST)
        self.prefixes.update(fold(f) for f in forms)
        return q.Or([q.Term("exact", f, boost=EXACT_BOOST) for f in forms])

    def phrase(self, words: tuple[str, ...]) -> Any | None:
        q = self.q
        kept = [w for w in words if not is_stop(w)]
        if len(kept) <= 1:
            return self.word(kept[0]) if kept else None
        positions: list[Any] = []
        exact_forms: list[str] = []
        for w in kept:
            forms = self.spellings(w)
            self.highlight.update(forms)
            keys: dict[str, None] = {}
            for form in forms:
                entry = vocab.lookup(self.conn, form)
                if entry:
                    keys[entry.lemma] = None
                else:
                    keys[fold(form)] = None
                    keys.update(dict.fromkeys(self.guess_lemmas(form)))
            self.lemma_keys.update(keys)
            positions.append(
                q.Term("lemma", next(iter(keys)))
                if len(keys) == 1
                else q.Or([q.Term("lemma", k) for k in keys])
            )
            exact_forms.append(forms[0] if len(forms) == 1 else "")
        # Any inflection of the phrase matches; the phrase as typed scores higher.
        subs = [q.Sequence(positions, boost=LEMMA_BOOST)]
        if all(exact_forms):
            subs.append(q.Phrase("exact", exact_forms, boost=EXACT_BOOST))
        return q.Or(subs)

    def clause(self, item: Word | Phrase | AnyOf) -> Any | None:
        if isinstance(item, AnyOf):
            options = [self.clause(o) for o in item.options]
            options = [o for o in options if o is not None]
            return self.q.Or(options) if options else None
        if isinstance(item, Phrase):
            return self.phrase(item.words)
        return self.prefix(item.text) if item.prefix else self.word(item.text)

    def excluded(self, item: Word | Phrase) -> Any | None:
        # No stem here: leaving out pages for a mere stem match would hide too much.
        if isinstance(item, Phrase):
            return self.phrase(item.words)
        return self.prefix(item.text) if item.prefix else self.word(item.text, with_stem=False)


def _year_range(q: Any, start: int | None, end: int | None) -> Any:
    return q.NumericRange("year", start, end)


def _filter_query(q: Any, f: FieldFilter) -> Any:
    if f.field == "year":
        return _year_range(q, f.year_from, f.year_to)
    name = "partners" if f.field == "partner" else f.field
    return q.Or([q.Term(name, v) for v in f.values])


def _filters_query(q: Any, parsed: ParsedQuery, filters: SearchFilters) -> Any | None:
    parts = [_filter_query(q, f) for f in parsed.filters]
    if filters.types:
        parts.append(q.Or([q.Term("type", t) for t in filters.types]))
    if filters.partners:
        parts.append(q.Or([q.Term("partners", p) for p in filters.partners]))
    if filters.statuses:
        parts.append(q.Or([q.Term("status", s) for s in filters.statuses]))
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(_year_range(q, filters.year_from, filters.year_to))
    return q.And(parts) if parts else None


def _compile(conn: sqlite3.Connection, parsed: ParsedQuery, filters: SearchFilters) -> _Compiled:
    compiler = _Compiler(conn)
    q = compiler.q
    clauses = [c for c in (compiler.clause(m) for m in parsed.must) if c is not None]
    if parsed.must and not clauses:
        from ..errors import QuerySyntaxError

        raise QuerySyntaxError(
            "the query has only common words (like 'i', 'w', 'na') that are not indexed"
        )
    flt = _filters_query(q, parsed, filters)
    relaxed = None
    if clauses:
        main = q.And(clauses) if len(clauses) > 1 else clauses[0]
        if len(clauses) > 1:
            relaxed = q.Or(clauses)
        if flt is not None:
            main = q.And([main, q.ConstantScoreQuery(flt, 0.0)])
            if relaxed is not None:
                relaxed = q.And([relaxed, q.ConstantScoreQuery(flt, 0.0)])
    else:  # only filters: every page of the matching documents
        main = q.ConstantScoreQuery(flt, 1.0) if flt is not None else q.Every()
    masks = [m for m in (compiler.excluded(x) for x in parsed.exclude) if m is not None]
    masks += [_filter_query(q, f) for f in parsed.exclude_filters]
    if masks:
        mask = q.Or(masks) if len(masks) > 1 else masks[0]
        main = q.AndNot(main, mask)
        relaxed = q.AndNot(relaxed, mask) if relaxed is not None else None
    highlight = compiler.highlight | vocab.forms_with_keys(conn, compiler.lemma_keys, ())
    weak = vocab.forms_with_keys(conn, (), compiler.stem_keys) - highlight
    words = [w.text for m in parsed.must for w in _words_of(m)]
    return _Compiled(
        query=main,
        relaxed=relaxed,
        highlight=highlight,
        weak_highlight=weak,
        prefixes=compiler.prefixes,
        words=words,
    )


def _words_of(item: Word | Phrase | AnyOf) -> list[Word]:
    if isinstance(item, AnyOf):
        return [w for o in item.options for w in _words_of(o)]
    if isinstance(item, Phrase):
        return [Word(w) for w in item.words]
    return [item]


def _matcher(highlight: set[str], prefixes: set[str]) -> Matcher:
    return WordMatcher(highlight, prefixes)


def _run(searcher: Any, compiled: _Compiled, limit: int, relaxed: bool = False) -> Any:
    """The top `limit` pages (whoosh Results)."""
    query = compiled.relaxed if relaxed else compiled.query
    return searcher.search(query, limit=limit, terms=False)


Ranked = list[tuple[float, int]]  # (score, docnum) of a document's best pages, best first


def _top_documents(
    searcher: Any, query: Any, limit: int, starts: list[int], skip: AbstractSet[int] = frozenset()
) -> dict[int, Ranked]:
    """The `limit` best documents (keyed by ordinal) with up to PAGES_PER_DOC best pages each.

    Asks whoosh for the top pages (its block-quality pruning makes that cheap) and widens the
    window while a few documents hog the top pages."""
    n = limit * PAGES_PER_DOC * 2
    while True:
        results = searcher.search(query, limit=n, terms=False)
        top = results.top_n
        grouped: dict[int, Ranked] = {}
        for score, docnum in top:
            ordinal = bisect_right(starts, docnum)
            if ordinal in skip:
                continue
            pages = grouped.setdefault(ordinal, [])
            if len(pages) < PAGES_PER_DOC:
                pages.append((score, docnum))
        if len(grouped) >= limit or len(top) < n:
            return dict(list(grouped.items())[:limit])
        n *= 4


def _searcher(ix: Any) -> Any:
    from whoosh import scoring

    # B=0.5: less length normalisation than the default 0.75, so a short HTML page with a mere
    # stem match does not outrank book pages with the word itself (bench: equal or better).
    return ix.searcher(weighting=scoring.BM25F(B=0.5, K1=1.2))


def search_pages(
    index_dir: Path,
    query: str,
    filters: SearchFilters = NO_FILTERS,
    limit: int = 10,
    *,
    partial: bool = False,
) -> list[PageMatch]:
    """The best index entries (pages) for `query`, best first, not grouped by document.

    With `partial`, when fewer than `limit` pages have all the words, pages with only some of
    them follow (ranked by how well they match)."""
    parsed = parse_query(query)
    with _open(index_dir) as (ix, conn):
        compiled = _compile(conn, parsed, filters)
        with _searcher(ix) as searcher:
            results = _run(searcher, compiled, limit)
            hits = list(results[: results.scored_length()])
            if partial and compiled.relaxed is not None and len(hits) < limit:
                seen = {h.docnum for h in hits}
                more = _run(searcher, compiled, limit, relaxed=True)
                hits += [h for h in more[: more.scored_length()] if h.docnum not in seen]
            return [
                PageMatch(hit["doc_id"], hit["page"], float(hit.score), dict(hit.fields()))
                for hit in hits[:limit]
            ]


def search(
    index_dir: Path,
    query: str,
    filters: SearchFilters = NO_FILTERS,
    limit: int = 10,
    *,
    partial: bool = False,
) -> SearchResult:
    """Documents matching `query`, best first, each with its best pages and snippets.

    Every word must match. With `partial`, when fewer than `limit` documents have all the words,
    documents with only some of them follow; `total` then counts both, and a note says so."""
    parsed = parse_query(query)
    limit = max(1, limit)
    notes = parsed.notes
    with _open(index_dir) as (ix, conn):
        compiled = _compile(conn, parsed, filters)
        with _searcher(ix) as searcher:
            starts = document_starts(searcher)
            top = _top_documents(searcher, compiled.query, limit, starts)
            n_full = len(top)  # documents with all the words; any added below follow them
            total = complete = count_documents(searcher, compiled.query, starts)
            if partial and compiled.relaxed is not None and complete < limit:
                extra = _top_documents(
                    searcher, compiled.relaxed, limit - len(top), starts, skip=set(top)
                )
                if extra:
                    top.update(extra)
                    total = count_documents(searcher, compiled.relaxed, starts)
                    notes += (f"{complete} documents contain all the words; the others only some",)
            matchers = (
                _matcher(compiled.highlight, compiled.prefixes),
                _matcher(compiled.weak_highlight, set()),
            )
            hits = tuple(
                _doc_hit(
                    [(score, searcher.stored_fields(docnum)) for score, docnum in pages],
                    matchers,
                    with_pages=bool(parsed.must),
                )
                for pages in top.values()
            )
            # Equal scores would otherwise come in index-insertion order, which differs between
            # two archives of the same site: order ties by doc_id so results are reproducible.
            hits = _by_score_then_id(hits[:n_full]) + _by_score_then_id(hits[n_full:])
        suggestion = suggest(conn, compiled.words) if complete == 0 and compiled.words else None
    return SearchResult(query=query, total=total, hits=hits, suggestion=suggestion, notes=notes)


def _by_score_then_id(hits: tuple[DocHit, ...]) -> tuple[DocHit, ...]:
    return tuple(sorted(hits, key=lambda h: (-round(h.score, 6), h.doc_id)))


def _doc_hit(
    pages: list[tuple[float, dict[str, Any]]],
    matchers: tuple[Matcher, ...],
    with_pages: bool,
) -> DocHit:
    best_score, first = pages[0]
    partners = tuple(p for p in (first.get("partners") or "").split(",") if p)
    media_type = first.get("media_type") or "application/pdf"
    page_hits: tuple[PageHit, ...] = ()
    if with_pages and media_type != "text/html":  # PDFs and office files have real pages
        page_hits = tuple(
            PageHit(
                page=fields["page"],
                snippet=make_snippet(fields.get("text", ""), matchers),
                label=fields.get("label", ""),
                section=fields.get("section", ""),
                score=float(score),
            )
            for score, fields in pages
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
        score=float(best_score),
        media_type=media_type,
        pages=page_hits,
    )
