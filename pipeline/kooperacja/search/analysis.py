"""Polish analysis of page text into the terms of the indexed fields (pure; no engine import).

Every written word that is not a stop word gives one term per field, at one position:
  exact  the lowercased form with diacritics (`rodzinie`, `miejsko-wiejskich`)
  lemma  its lemma keys joined (`rodzina`; `dana|dane|dany|dac`; `miejski|wiejski`), see lemmas.py
  stem   the truncation stem of the folded form (`rodzi`)
One term per position lets the engine tokenise on whitespace itself: building a token object per
term in Python was the bulk of the indexing time. Stop words are dropped, so a phrase skips them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..text import ascii_hyphens
from .words import _WORD, STOP_WORDS

# The index's words: those of `tokenize`, and the section sign (`§ 5` is how acts number their
# paragraphs; a query's `§` or `paragraf` meets it, see expansion.py).
_INDEX_WORD = re.compile(rf"{_WORD.pattern}|§")
MAX_TERM_CHARS = 60  # longer "words" (base64, URLs without spaces) are cut: terms stay small

@dataclass(frozen=True)
class AnalyzedText:
    exact: str
    lemma: str
    stem: str
    forms: tuple[str, ...]  # every exact term, in order (for the vocabulary counts)


def normal_form(raw: str) -> str:
    """A written word as the exact field holds it: lowercased, Unicode hyphens made ASCII."""
    return ascii_hyphens(raw.lower())[:MAX_TERM_CHARS]


class FormCache:
    """Analyses each distinct written word once per run: raw word → its three terms.

    The terms live in three dicts keyed by the raw word (stop words in none of them), so a page
    is turned into its fields by C-level `filter`/`map` over its words: a Python step per word
    occurrence was most of the indexing time.

    `lemmas(forms)` must return the lemma-field term of each lowercased form it is given."""

    def __init__(self, lemmas: Callable[[set[str]], Mapping[str, str]], stem: Callable[[str], str]):
        self._lemmas = lemmas
        self._stem = stem
        self._seen: set[str] = set()
        self._exact: dict[str, str] = {}
        self._lemma: dict[str, str] = {}
        self._stem_of: dict[str, str] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        """The written words of `text` (as `tokenize` cuts them, and `§`), not yet analysed."""
        return _INDEX_WORD.findall(text)

    def prepare(self, words: Iterable[str]) -> None:
        """Analyse the words not seen before (lemmatising their forms in one batch)."""
        new = set(words) - self._seen
        if not new:
            return
        self._seen |= new
        content = {raw: form for raw in new if (form := normal_form(raw)) not in STOP_WORDS}
        lemma_of = self._lemmas(set(content.values()))
        stem = self._stem
        for raw, form in content.items():
            self._exact[raw] = form
            self._lemma[raw] = lemma_of[form]
            self._stem_of[raw] = stem(form)

    def analyze(self, words: list[str]) -> AnalyzedText:
        """The fields of a text from its `words` (every one of them `prepare`d)."""
        kept = list(filter(self._exact.__contains__, words))
        forms = tuple(map(self._exact.__getitem__, kept))
        return AnalyzedText(
            " ".join(forms),
            " ".join(map(self._lemma.__getitem__, kept)),
            " ".join(map(self._stem_of.__getitem__, kept)),
            forms,
        )

    def lemmas_of(self, forms: set[str]) -> dict[str, str]:
        """The lemma term of each of `forms` (exact terms this cache has analysed)."""
        table = self._lemmas(forms)
        return {f: table[f] for f in forms}

    def text(self, text: str) -> AnalyzedText:
        words = self.words(text)
        self.prepare(words)
        return self.analyze(words)
