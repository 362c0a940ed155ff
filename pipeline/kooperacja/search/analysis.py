"""Polish analysis of page text into the terms of the indexed fields (pure; no engine import).

Every written word that is not a stop word gives one term per field, at one position:
  exact  the lowercased form with diacritics (`rodzinie`, `miejsko-wiejskich`)
  lemma  its lemma keys joined (`rodzina`; `dana|dane|dany|dac`; `miejski|wiejski`), see lemmas.py
  stem   the truncation stem of the folded form (`rodzi`)
One term per position lets the engine tokenise on whitespace itself: building a token object per
term in Python was the bulk of the indexing time. Stop words are dropped, so a phrase skips them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ..text import HYPHENS, ascii_hyphens
from .words import STOP_WORDS

# The index's words: those of `tokenize` (its `[^\W_]`, letters and digits, is `\w` once "_" is
# made a space; possessive, as a word never gives back letters to a hyphen), and the section
# sign (`§ 5` is how acts number their paragraphs; a query's `§` or `paragraf` meets it, see
# expansion.py). The same words as `tokenize`'s pattern, found 15% faster.
_INDEX_WORD = re.compile(rf"§|\w++(?:[{HYPHENS}]\w++)*+")
MAX_TERM_CHARS = 60  # longer "words" (base64, URLs without spaces) are cut: terms stay small

@dataclass(frozen=True)
class AnalyzedText:
    exact: str
    lemma: str
    stem: str

    @property
    def forms(self) -> tuple[str, ...]:
        """Every exact term, in order."""
        return tuple(self.exact.split())


def normal_form(raw: str) -> str:
    """A written word as the exact field holds it: lowercased, Unicode hyphens made ASCII."""
    return ascii_hyphens(raw.lower())[:MAX_TERM_CHARS]


# The piece tables are emptied beyond this many pieces (the words' own tables are kept): numbers
# and words glued to punctuation make new pieces for as long as a run lasts.
MAX_PIECES = 200_000


def _lookup(keys: list[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving the values of `keys` in a table, in order, by C-level lookups."""
    if len(keys) > 1:
        return itemgetter(*keys)
    if keys:
        key = keys[0]
        return lambda table: (table[key],)
    return lambda table: ()


class FormCache:
    """Analyses each distinct written word, and each distinct piece of text between spaces,
    once per run.

    A page is cut at whitespace into pieces (`pieces`): no word spans a space, so a page's words
    are its pieces' words in order. Each field's table maps every piece seen to the terms of its
    words, each followed by a space ("" for a piece of stop words and punctuation), so a page's
    field is one C-level lookup per piece (`itemgetter`) and one join: the word pattern and a
    Python step per word occurrence were most of the indexing time.

    `lemmas(forms)` must return the lemma-field term of each lowercased form it is given."""

    def __init__(self, lemmas: Callable[[set[str]], Mapping[str, str]], stem: Callable[[str], str]):
        self._lemmas = lemmas
        self._stem = stem
        # raw word → its exact term (stop words left out); → each field's term and a space
        self._word_form: dict[str, str] = {}
        self._words: tuple[dict[str, str], dict[str, str], dict[str, str]] = ({}, {}, {})
        # piece → its words' terms (each with a space), per field; → its words' exact terms
        self._pieces: tuple[dict[str, str], dict[str, str], dict[str, str]] = ({}, {}, {})
        self._piece_forms: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        """The written words of `text` (as `tokenize` cuts them, and `§`), not yet analysed."""
        return _INDEX_WORD.findall(text.replace("_", " "))

    @staticmethod
    def pieces(text: str) -> list[str]:
        """`text` cut at whitespace, to be `prepare`d and `analyze`d."""
        return text.split()

    def prepare(self, pieces: Iterable[str]) -> None:
        """Analyse the pieces not seen before (lemmatising their new forms in one batch)."""
        distinct = set(pieces)
        exact = self._pieces[0]
        new = distinct.difference(exact)
        if not new:
            return
        if len(exact) + len(new) > MAX_PIECES:
            for table in (*self._pieces, self._piece_forms):
                table.clear()
            new = distinct
        words_of = {piece: self.words(piece) for piece in new}
        self._prepare_words(set(itertools.chain.from_iterable(words_of.values())))
        word_form = self._word_form
        for piece, words in words_of.items():
            for table, word_table in zip(self._pieces, self._words, strict=True):
                table[piece] = "".join([word_table[w] for w in words])
            self._piece_forms[piece] = tuple(word_form[w] for w in words if w in word_form)

    def _prepare_words(self, words: set[str]) -> None:
        new = words.difference(self._words[0])
        if not new:
            return
        exact, lemma, stem_of = self._words
        content = {}
        for raw in new:
            form = normal_form(raw)
            if form in STOP_WORDS:
                exact[raw] = lemma[raw] = stem_of[raw] = ""
            else:
                content[raw] = form
        lemma_of = self._lemmas(set(content.values()))
        stem = self._stem
        for raw, form in content.items():
            self._word_form[raw] = form
            exact[raw] = form + " "
            lemma[raw] = lemma_of[form] + " "
            stem_of[raw] = stem(form) + " "

    def forms(self, pieces: Iterable[str]) -> set[str]:
        """The exact terms of the words of `pieces` (every one `prepare`d), stop words left
        out."""
        found = _lookup(list(pieces))(self._piece_forms)
        return set(itertools.chain.from_iterable(found))

    def analyze(self, pieces: list[str]) -> AnalyzedText:
        """The fields of a text from its `pieces` (every one of them `prepare`d)."""
        terms = _lookup(pieces)
        exact, lemma, stem = ("".join(terms(table)) for table in self._pieces)
        # Each term ends with a space: the last one is cut.
        return AnalyzedText(exact[:-1], lemma[:-1], stem[:-1])

    def lemmas_of(self, forms: set[str]) -> dict[str, str]:
        """The lemma term of each of `forms` (exact terms this cache has analysed)."""
        table = self._lemmas(forms)
        return {f: table[f] for f in forms}

    def text(self, text: str) -> AnalyzedText:
        pieces = self.pieces(text)
        self.prepare(pieces)
        return self.analyze(pieces)
