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
from operator import itemgetter

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


class FormCache:
    """Analyses each distinct written word once per run: raw word → its three terms.

    Each field's dict maps every raw word seen to its term followed by a space, or to "" for a
    stop word, so a page's field is one C-level lookup per word (`itemgetter`) and one join: a
    Python step per word occurrence was most of the indexing time.

    `lemmas(forms)` must return the lemma-field term of each lowercased form it is given."""

    def __init__(self, lemmas: Callable[[set[str]], Mapping[str, str]], stem: Callable[[str], str]):
        self._lemmas = lemmas
        self._stem = stem
        self._form: dict[str, str] = {}  # raw word → exact term, stop words left out
        self._exact: dict[str, str] = {}
        self._lemma: dict[str, str] = {}
        self._stem_of: dict[str, str] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        """The written words of `text` (as `tokenize` cuts them, and `§`), not yet analysed."""
        return _INDEX_WORD.findall(text.replace("_", " "))

    def prepare(self, words: Iterable[str]) -> None:
        """Analyse the words not seen before (lemmatising their forms in one batch)."""
        new = set(words).difference(self._exact)
        if not new:
            return
        content = {}
        for raw in new:
            form = normal_form(raw)
            if form in STOP_WORDS:
                self._exact[raw] = self._lemma[raw] = self._stem_of[raw] = ""
            else:
                content[raw] = form
        lemma_of = self._lemmas(set(content.values()))
        stem = self._stem
        for raw, form in content.items():
            self._form[raw] = form
            self._exact[raw] = form + " "
            self._lemma[raw] = lemma_of[form] + " "
            self._stem_of[raw] = stem(form) + " "

    def forms(self, words: Iterable[str]) -> set[str]:
        """The exact terms of `words` (every one of them `prepare`d), stop words left out."""
        return set(map(self._form.__getitem__, filter(self._form.__contains__, words)))

    def analyze(self, words: list[str]) -> AnalyzedText:
        """The fields of a text from its `words` (every one of them `prepare`d)."""
        if len(words) > 1:
            terms = itemgetter(*words)
        elif words:
            word = words[0]

            def terms(table: Mapping[str, str]) -> tuple[str, ...]:
                return (table[word],)
        else:
            return AnalyzedText("", "", "")
        # Each term ends with a space: the last one is cut.
        return AnalyzedText(
            "".join(terms(self._exact))[:-1],
            "".join(terms(self._lemma))[:-1],
            "".join(terms(self._stem_of))[:-1],
        )
    def lemmas_of(self, forms: set[str]) -> dict[str, str]:
        """The lemma term of each of `forms` (exact terms this cache has analysed)."""
        table = self._lemmas(forms)
        return {f: table[f] for f in forms}

    def text(self, text: str) -> AnalyzedText:
        words = self.words(text)
        self.prepare(words)
        return self.analyze(words)
