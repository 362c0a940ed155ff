"""The search's query run over a few passages in memory (the numbered recommendations): the same
query language, planned with the same index vocabulary (every inflected form, words typed without
Polish letters, abbreviations such as `rek.` or `pcpr`), matched against each passage's own terms.

Why not the index: a recommendation is a part of a page, or runs over several; the index's
entries are whole pages, so a page hit would name every recommendation sharing that page. The
passages are analysed as the index analyses pages (analysis.FormCache) with the lemmas the index
vocabulary already holds, so nothing here loads the dictionary; the plan's engine-neutral query
tree is evaluated by positions, as the engine evaluates it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..filetypes import document_format
from ..models import SearchFilters
from . import vocab
from .analysis import FormCache
from .limits import Budget
from .openindex import OpenIndex
from .query import parse_query
from .querytree import (
    Bool,
    Const,
    Everything,
    Node,
    Nothing,
    Phrase,
    Term,
    TermSet,
    YearRange,
)
from .ranking import plan
from .words import make_stemmer, normalise


@dataclass(frozen=True)
class Passage:
    """A short text to match: its heading weighs as a page's section heading does."""

    heading: str
    text: str
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # type, partners, …
    year: int | None = None


@dataclass(frozen=True)
class PassageMatch:
    position: int  # in the passages given
    score: float
    complete: bool  # holds every word (the query's strict form)


@dataclass(frozen=True)
class _Terms:
    fields: Mapping[str, tuple[str, ...]]  # exact, lemma, stem, section: terms by position
    keywords: Mapping[str, tuple[str, ...]]
    year: int | None

    def count(self, name: str, value: str) -> int:
        if name in self.fields:
            return self.fields[name].count(value)
        return int(value in self.keywords.get(name, ()))


def match_passages(
    index: OpenIndex, query: str, passages: Sequence[Passage], *, require_all: bool = False
) -> list[PassageMatch]:
    """The passages matching `query`, best first: those holding every word, then (unless
    `require_all`) those holding some. QuerySyntaxError for a malformed query."""
    parsed = parse_query(query)
    with index.session() as session:
        p = plan(session.conn, parsed, SearchFilters(), Budget())
        cache = FormCache(_lemmas(session.conn), make_stemmer())
        terms = [_terms(cache, passage) for passage in passages]
    matches: list[PassageMatch] = []
    for n, t in enumerate(terms):
        score = _score(p.strict, t)
        if score is not None:
            matches.append(PassageMatch(n, score, True))
        elif not require_all and p.relaxed is not None:
            score = _score(p.relaxed, t)
            if score is not None:
                matches.append(PassageMatch(n, score, False))
    return sorted(matches, key=lambda m: (not m.complete, -m.score, m.position))


@dataclass(frozen=True)
class Found:
    """Records matching a query, best first; `partial`: none held every word, so these are
    the ones holding some of them."""

    records: tuple[Mapping, ...]
    partial: bool = False


def recommendation_passage(record: Mapping) -> Passage:
    """What of a recommendation record (archive/recommendations.py) a query is matched with:
    its heading, addressees and text; its document's type, partners, status and year."""
    addressees = ", ".join(record.get("addressees") or ())
    text = record.get("text") or ""
    return Passage(
        heading=record.get("heading") or "",
        text=f"Adresaci: {addressees}\n{text}" if addressees else text,
        keywords={
            "type": (record.get("type") or "",),
            "partners": tuple(record.get("partners") or ()),
            "status": (record.get("status") or "",),
            "format": (document_format(record.get("media_type") or "application/pdf"),),
        },
        year=record.get("year"),
    )


def find_records(index: OpenIndex, query: str, records: Sequence[Mapping]) -> Found:
    """The records whose passage holds every word of `query`, best first; when none does,
    those holding some of them."""
    matches = match_passages(index, query, [recommendation_passage(r) for r in records])
    complete = [records[m.position] for m in matches if m.complete]
    if complete or not matches:
        return Found(tuple(complete))
    return Found(tuple(records[m.position] for m in matches), partial=True)


def _lemmas(conn):
    """Lemma terms from the index vocabulary; a form it lacks (a word joined across a page
    break) stands for itself, as the dictionary is not loaded for a few passages."""

    def lemmas(forms: set[str]) -> dict[str, str]:
        known = vocab.known_lemmas(conn, forms)
        return {f: known.get(f, f) for f in forms}

    return lemmas


def _terms(cache: FormCache, passage: Passage) -> _Terms:
    heading = cache.text(normalise(passage.heading))
    body = cache.text(normalise(f"{passage.heading}\n{passage.text}"))
    fields = {
        "exact": tuple(body.exact.split()),
        "lemma": tuple(body.lemma.split()),
        "stem": tuple(body.stem.split()),
        "section": tuple(heading.lemma.split()),
        "title": (),
    }
    return _Terms(fields, dict(passage.keywords), passage.year)


def _score(node: Node, t: _Terms) -> float | None:
    """The node's score on the passage, None when it does not match."""
    if isinstance(node, Term):
        n = t.count(node.field, node.value)
        return node.boost * (1.0 + math.log(n)) if n else None
    if isinstance(node, TermSet):
        return 0.0 if any(t.count(node.field, v) for v in node.values) else None
    if isinstance(node, Phrase):
        n = _phrases(t.fields.get(node.field, ()), node.positions, node.slop)
        return node.boost * n if n else None
    if isinstance(node, YearRange):
        low = node.start if node.start is not None else -(2**62)
        high = node.end if node.end is not None else 2**62
        return 0.0 if t.year is not None and low <= t.year <= high else None
    if isinstance(node, Const):
        return None if _score(node.query, t) is None else node.score
    if isinstance(node, Bool):
        return _bool(node, t)
    if isinstance(node, Everything):
        return 0.0
    if isinstance(node, Nothing):
        return None
    raise TypeError(f"not a query node: {node!r}")


def _bool(node: Bool, t: _Terms) -> float | None:
    if any(_score(n, t) is not None for n in node.must_not):
        return None
    total = 0.0
    for n in node.must:
        s = _score(n, t)
        if s is None:
            return None
        total += s
    optional = [s for s in (_score(n, t) for n in node.should) if s is not None]
    if not node.must and node.should and not optional:
        return None  # only optional clauses: one of them must match
    return (total + sum(optional)) * node.boost


def _phrases(terms: tuple[str, ...], positions: tuple[tuple[str, ...], ...], slop: int) -> int:
    """How many places hold the phrase: each position's term among its alternatives, in order,
    with at most `slop` other terms between them in all."""
    if not positions:
        return 0
    found = 0
    for start, term in enumerate(terms):
        if term not in positions[0]:
            continue
        at, spare = start, slop
        for alternatives in positions[1:]:
            window = range(at + 1, min(len(terms), at + 2 + spare))
            step = next((k for k in window if terms[k] in alternatives), None)
            if step is None:
                break
            spare -= step - at - 1
            at = step
        else:
            found += 1
    return found
