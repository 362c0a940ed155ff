"""From a parsed query to the engine's query trees: which terms each word may match, and how
pages are ranked.

Every word matches its spellings as typed or restored (exact field), any form of any of its
lemmas (lemma field), and, weakly, its truncation stem; a match in the document's title or in the
section heading of the page counts more than one in the body. The default asks for any of the
words: `strict` (pages with every word, their words close together or all in the page's
heading ranked higher) goes first, `relaxed` (pages with some of them, the more the higher)
fills up behind it. A question's own words ("ile", "dlaczego", "czym") are never required.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..errors import QuerySyntaxError
from ..i18n import N_
from ..models import SearchFilters
from . import expansion, vocab
from .expansion import WORD_ABBREVIATIONS as ABBREVIATIONS
from .lemmas import combo_key, keys_of
from .limits import Budget, check_expansions
from .query import AnyOf, FieldFilter, ParsedQuery, Phrase, Word
from .querytree import (
    Bool,
    Const,
    Node,
    Nothing,
    Term,
    TermSet,
    YearRange,
    all_of,
    any_of,
)
from .querytree import Phrase as PhraseNode
from .words import fold, has_polish_letters, is_stop, make_stemmer

EXACT_BOOST = 1.5
LEMMA_BOOST = 1.0
STEM_BOOST = 0.4
TITLE_BOOST = 0.5
SECTION_BOOST = 1.5
NEAR_BOOST = 1.0  # the words within a sentence or so of each other
NEAR_SLOP = 12  # positions allowed per gap between two words
ADJACENT_BOOST = 1.0  # ... next to each other, as typed
# Whole questions: a page whose section heading (or document title) holds every word is about
# them, not only mentioning them; among pages holding some of the words, each one held counts
# (about as much as a word of middling rarity): a page with more of the question comes first.
HEADING_ALL = 8.0
COORDINATION = 8.0
# A lemma-field term holding other lemmas besides the word's own (a compound such as
# `miejski|wiejski` for `miejskich`, or a form ambiguous in another way) counts less.
WIDER_COMBO = 0.3
MAX_SPELLINGS = 16
MAX_COMBOS = 64
MAX_PREFIX_TERMS = 512

# Words of a question that say how it is asked, not what about: they may match, but a page
# need not hold them to count as holding "all the words".
QUESTION_WORDS = frozenset(
    (
        "robić", "zrobić", "robic", "zrobic", "należy", "nalezy", "trzeba", "powinien",
        "powinna", "powinno", "powinni", "mieć", "miec", "chodzi", "dotyczy", "dotyczą",
        "dotycza", "znaleźć", "znalezc", "szukam", "szukać", "szukac", "informacja",
        "informacje", "informacji", "temat", "temacie", "sprawa",
        # questions' own words the stop list leaves in: "ile", "dlaczego", "czym", "komu", …
        "ile", "ilu", "dlaczego", "czemu", "czym", "czego", "kogo", "komu", "kim", "jakim",
        "jaką", "jakiej", "jakich", "jakimi", "jakiego", "jakiemu", "którą", "któremu",
        "którymi", "nazywa", "nazywał", "nazywała", "nazywali", "nazywany", "nazywamy",
    )
)  # fmt: skip
QUESTION_KEYS = frozenset(fold(w) for w in QUESTION_WORDS)  # as typed without Polish letters


@dataclass(frozen=True)
class Plan:
    """What a search runs: `strict` for pages with every word (or the only query, with filters
    alone), `relaxed` for pages with some (None when that is the same)."""

    strict: Node
    relaxed: Node | None
    highlight: frozenset[str]
    weak_highlight: frozenset[str]  # forms sharing only a stem: marked when nothing better is
    prefixes: frozenset[str]
    words: tuple[str, ...]  # the query's words as typed, for suggestions
    has_words: bool


class _Words:
    """Turns typed words into term alternatives with the index vocabulary."""

    def __init__(self, conn: sqlite3.Connection, budget: Budget | None = None):
        self.conn = conn
        self.budget = budget
        self.stem = make_stemmer()
        self.highlight: set[str] = set()
        self.prefixes: set[str] = set()
        self.combos: set[str] = set()
        self.stems: set[str] = set()
        self._own: dict[str, str] = {}  # form → its lemma-field term (one lookup per form)
        self.expansions = 0  # engine terms so far: the query's cost, bounded (limits.py)

    def spend(self, terms: int) -> None:
        self.expansions += terms
        check_expansions(self.expansions)
        if self.budget is not None:  # word by word: a long query stops within one word
            self.budget.check()

    def spellings(self, word: str) -> list[str]:
        """The forms a typed word may stand for: itself, or, typed without Polish letters, every
        spelling of the vocabulary that folds to it (`policja` → `policja`, `policją`)."""
        if has_polish_letters(word):
            return [word]
        found = [e.form for e in vocab.spellings(self.conn, fold(word))[:MAX_SPELLINGS]]
        return found or [word]

    def own_combos(self, forms: list[str]) -> set[str]:
        """The lemma-field terms of `forms` themselves."""
        own = set()
        for form in forms:
            if form not in self._own:
                entry = vocab.lookup(self.conn, form)
                self._own[form] = entry.lemma if entry else combo_key(form)
            own.add(self._own[form])
        return own

    def combos_of(self, forms: list[str]) -> list[str]:
        """The lemma-field terms meeting any lemma of any of `forms`."""
        keys = {key for combo in self.own_combos(forms) for key in keys_of(combo)}
        combos = sorted(vocab.combos_with(self.conn, keys), key=lambda c: (len(c), c))
        return combos[:MAX_COMBOS]

    def word(self, text: str, *, with_stem: bool = True) -> Node:
        forms = [f for f in self.spellings(text) if not is_stop(f)]
        if not forms:
            return Nothing()
        self.highlight.update(forms)
        combos = self.combos_of(forms)
        self.combos.update(combos)
        own = self.own_combos(forms)
        weights = {c: 1.0 if c in own else WIDER_COMBO for c in combos}
        subs: list[Node] = [Term("exact", f, EXACT_BOOST) for f in forms]
        for field, boost in (("lemma", LEMMA_BOOST), ("title", TITLE_BOOST)):
            subs += [Term(field, c, boost * w) for c, w in weights.items()]
        subs += [Term("section", c, SECTION_BOOST * w) for c, w in weights.items()]
        if with_stem:
            stems = {self.stem(f) for f in forms}
            self.stems.update(stems)
            subs += [Term("stem", s, STEM_BOOST) for s in sorted(stems)]
        self.spend(len(subs))
        clause = any_of(subs)
        expansion = ABBREVIATIONS.get(fold(text)) or ABBREVIATIONS.get(text)
        if expansion:
            clause = any_of([clause, self.word(expansion, with_stem=with_stem)])
        return clause

    def prefix(self, text: str) -> Node:
        self.prefixes.add(fold(text))
        forms = vocab.forms_with_prefix(self.conn, fold(text), MAX_PREFIX_TERMS)
        if has_polish_letters(text):
            forms = [f for f in forms if f.startswith(text)]
        self.spend(len(forms))
        return any_of([Term("exact", f, EXACT_BOOST) for f in forms])

    def phrase(self, words: tuple[str, ...]) -> Node:
        kept = [w for w in words if not is_stop(w)]
        if len(kept) <= 1:
            return self.word(kept[0]) if kept else Nothing()
        lemma_positions: list[tuple[str, ...]] = []
        exact_positions: list[tuple[str, ...]] = []
        for w in kept:
            forms = self.spellings(w)
            self.highlight.update(forms)
            combos = self.combos_of(forms)
            self.combos.update(combos)
            if not combos:
                return Nothing()
            lemma_positions.append(tuple(combos))
            exact_positions.append(tuple(forms))
            self.spend(len(combos) + len(forms))
        # Any inflection of the phrase matches; the phrase as typed scores higher.
        return any_of(
            [
                PhraseNode("lemma", tuple(lemma_positions), 0, LEMMA_BOOST),
                PhraseNode("exact", tuple(exact_positions), 0, EXACT_BOOST),
            ]
        )

    def clause(self, item: Word | Phrase | AnyOf) -> Node:
        if isinstance(item, AnyOf):
            return any_of([self.clause(o) for o in item.options])
        if isinstance(item, Phrase):
            return self.phrase(item.words)
        return self.prefix(item.text) if item.prefix else self.word(item.text)

    def excluded(self, item: Word | Phrase) -> Node:
        # No stem here: leaving out pages for a mere stem match would hide too much.
        if isinstance(item, Phrase):
            return self.phrase(item.words)
        return self.prefix(item.text) if item.prefix else self.word(item.text, with_stem=False)

    def best_combo(self, text: str) -> str | None:
        """The most frequent lemma-field term of a typed word's own forms."""
        forms = [f for f in self.spellings(text) if not is_stop(f)]
        own = sorted(self.own_combos(forms)) if forms else []
        return vocab.most_frequent_combo(self.conn, own) if own else None

    def nearness(self, items: list[Word]) -> list[Node]:
        """Bonus clauses for pages where the words stand close together."""
        # One term per position keeps these plain phrase queries (they only add a bonus).
        positions = [(best,) for item in items if (best := self.best_combo(item.text))]
        if len(positions) < 2:
            return []
        n = len(positions)
        return [
            PhraseNode("lemma", tuple(positions), min(NEAR_SLOP * (n - 1), 30), NEAR_BOOST),
            PhraseNode("lemma", tuple(positions), 0, ADJACENT_BOOST),
        ]

    def _narrow_combos(self, forms: list[str]) -> list[str]:
        """The lemma-field terms of `forms` holding none but their own lemmas: `miejskich` meets
        `miejski`, not the compound `miejski|wiejski` (which holds another word too)."""
        own = {key for combo in self.own_combos(forms) for key in keys_of(combo)}
        return [c for c in self.combos_of(forms) if set(keys_of(c)) <= own]

    def headings(self, items: list[Word]) -> list[Node]:
        """Bonus clauses for pages whose section heading (or document title) holds every word:
        a page about the question, not one mentioning its words."""
        forms = [[f for f in self.spellings(w.text) if not is_stop(f)] for w in items]
        combos = [cs for f in forms if f and (cs := self._narrow_combos(f))]
        if len(combos) < 2:
            return []
        each = [any_of([Term(f, c) for c in cs for f in ("section", "title")]) for cs in combos]
        self.spend(2 * sum(map(len, combos)))
        return [Const(all_of(each), HEADING_ALL)]


def _filter_node(f: FieldFilter) -> Node:
    if f.field == "year":
        return YearRange(f.year_from, f.year_to)
    name = "partners" if f.field == "partner" else f.field
    return TermSet(name, f.values)


def _filters(parsed: ParsedQuery, filters: SearchFilters) -> list[Node]:
    nodes = [_filter_node(f) for f in parsed.filters]
    if filters.types:
        nodes.append(TermSet("type", filters.types))
    if filters.partners:
        nodes.append(TermSet("partners", filters.partners))
    if filters.statuses:
        nodes.append(TermSet("status", filters.statuses))
    if filters.formats:
        nodes.append(TermSet("format", filters.formats))
    if filters.year_from is not None or filters.year_to is not None:
        nodes.append(YearRange(filters.year_from, filters.year_to))
    return [Const(n, 0.0) for n in nodes]


def _words_of(item: Word | Phrase | AnyOf) -> list[Word]:
    if isinstance(item, AnyOf):
        return [w for o in item.options for w in _words_of(o)]
    if isinstance(item, Phrase):
        return [Word(w) for w in item.words]
    return [item]


def _is_question_word(item: Word | Phrase | AnyOf) -> bool:
    return isinstance(item, Word) and not item.prefix and fold(item.text) in QUESTION_KEYS


def plan(
    conn: sqlite3.Connection,
    parsed: ParsedQuery,
    filters: SearchFilters,
    budget: Budget | None = None,
    *,
    count_words: bool = True,
) -> Plan:
    """The query trees of `parsed`. `count_words`: among pages holding some of the words, the
    more of them the higher (a typed question); off for a list of telling words (similar.py),
    where holding many of them says less than holding the rarest."""
    words = _Words(conn, budget)
    required: list[Node] = []
    optional: list[Node] = []
    extra = expansion.alternatives(words, parsed.must)  # abbreviations, numbers said in words
    unneeded = expansion.optional_items(parsed.must)  # `nr` in `rekomendacja nr 24`
    for i, item in enumerate(parsed.must):
        node = any_of([words.clause(item), *extra.get(i, ())])
        if isinstance(node, Nothing):
            continue
        (optional if _is_question_word(item) or i in unneeded else required).append(node)
    if not required and optional:  # a question made only of question words: take them all
        required, optional = optional, []
    if parsed.must and not required:
        if any(words.highlight) or words.prefixes:
            required = [Nothing()]  # words the index does not hold: nothing matches
        else:
            raise QuerySyntaxError(
                N_("the query has only common words (like 'i', 'w', 'na') that are not indexed")
            )
    said = expansion.said_as_digits(words, parsed.must)  # `dwudziesta czwarta` near as `24`
    plain = [
        w
        for i, m in enumerate(parsed.must)
        if not (_is_question_word(m) or i in unneeded or (i in said and said[i] is None))
        for w in _words_of(said.get(i) or m)
    ]
    plain = [w for w in plain if not w.prefix and not is_stop(w.text)]
    near = words.nearness(plain) + words.headings(plain)
    must_not = [words.excluded(x) for x in parsed.exclude]
    must_not += [_filter_node(f) for f in parsed.exclude_filters]
    must_not = [n for n in must_not if not isinstance(n, Nothing)]
    flt = _filters(parsed, filters)
    if required:
        strict: Node = Bool(
            must=(all_of(required), *flt), should=(*optional, *near), must_not=tuple(must_not)
        )
        relaxed: Node | None = None
        if len(required) > 1:
            coordination = [Const(r, COORDINATION) for r in required if count_words]
            relaxed = Bool(
                must=(any_of(required), *flt),
                should=(*optional, *near, *coordination),
                must_not=tuple(must_not),
            )
    else:  # filters only: every page of the matching documents
        strict = Bool(must=tuple(Const(f.query, 1.0) for f in flt), must_not=tuple(must_not))
        relaxed = None
    if any(isinstance(n, Nothing) for n in required):
        strict = Nothing()
    highlight = words.highlight | vocab.forms_with_keys(conn, words.combos, ())
    weak = vocab.forms_with_keys(conn, (), words.stems) - highlight
    return Plan(
        strict=strict,
        relaxed=relaxed,
        highlight=frozenset(highlight),
        weak_highlight=frozenset(weak),
        prefixes=frozenset(words.prefixes),
        words=tuple(w.text for m in parsed.must for w in _words_of(m)),
        has_words=bool(parsed.must),
    )
