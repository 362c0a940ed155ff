"""Polish analysis of page text into the terms of the indexed fields (pure; no engine import).

Every written word that is not a stop word gives one term per field, at one position:
  exact  the lowercased form with diacritics (`rodzinie`, `miejsko-wiejskich`)
  lemma  its lemma keys joined (`rodzina`; `dana|dane|dany|dac`; `miejski|wiejski`), see lemmas.py
  stem   the truncation stem of the folded form (`rodzi`)
One term per position lets the engine tokenise on whitespace itself: building a token object per
term in Python was the bulk of the indexing time. Stop words are dropped, so a phrase skips them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .words import _WORD, STOP_WORDS

MAX_TERM_CHARS = 60  # longer "words" (base64, URLs without spaces) are cut: terms stay small
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})

# What one written word contributes: (exact, lemma, stem), or None for a stop word.
Terms = tuple[str, str, str] | None


@dataclass(frozen=True)
class AnalyzedText:
    exact: str
    lemma: str
    stem: str
    forms: tuple[str, ...]  # every exact term, in order (for the vocabulary counts)


def normal_form(raw: str) -> str:
    """A written word as the exact field holds it: lowercased, Unicode hyphens made ASCII."""
    return raw.lower().translate(_HYPHENS)[:MAX_TERM_CHARS]


class FormCache:
    """Analyses each distinct written word once per run: raw word → its three terms.

    `lemmas(forms)` must return the lemma-field term of each lowercased form it is given."""

    def __init__(self, lemmas: Callable[[set[str]], Mapping[str, str]], stem: Callable[[str], str]):
        self._lemmas = lemmas
        self._stem = stem
        self._cache: dict[str, Terms] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        """The written words of `text` (as `tokenize` cuts them), not yet analysed."""
        return _WORD.findall(text)

    def prepare(self, words: Iterable[str]) -> None:
        """Analyse the words not seen before (lemmatising their forms in one batch)."""
        cache = self._cache
        new = {raw: normal_form(raw) for raw in words if raw not in cache}
        if not new:
            return
        content = {raw: form for raw, form in new.items() if form not in STOP_WORDS}
        lemma_of = self._lemmas(set(content.values()))
        stem = self._stem
        for raw, form in new.items():
            cache[raw] = (form, lemma_of[form], stem(form)) if raw in content else None

    def analyze(self, words: list[str]) -> AnalyzedText:
        """The fields of a text from its `words` (every one of them `prepare`d)."""
        entries = [e for e in map(self._cache.__getitem__, words) if e is not None]
        forms = tuple(e[0] for e in entries)
        return AnalyzedText(
            " ".join(forms),
            " ".join([e[1] for e in entries]),
            " ".join([e[2] for e in entries]),
            forms,
        )

    def text(self, text: str) -> AnalyzedText:
        words = self.words(text)
        self.prepare(words)
        return self.analyze(words)
