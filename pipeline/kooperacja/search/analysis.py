"""Polish analysis of page text into the three indexed fields, and the whoosh tokenizer for them.

Whoosh pickles the analyzer's import path (`kooperacja.search.analysis.PreAnalyzedTokenizer`) into
the index: never rename or move this module or class without bumping SCHEMA_VERSION.

The analysis runs in Python before whoosh sees the text, because the lemma of a form comes from a
table (simplemma at index time, the stored vocabulary at query time), not from a whoosh filter.
Every word yields, at one position:
  exact  the lowercased form with diacritics (plus the parts of a hyphenated compound)
  lemma  the folded simplemma lemma of the form (and of the parts)
  stem   the truncation stem: first 5 letters of the folded form (and of the parts)
Stop words are dropped and positions renumbered, so a phrase skips them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer

from .words import _WORD, STOP_WORDS, Token, fold, is_stop, tokenize


class PreAnalyzedTokenizer(Tokenizer):
    """Reads "a|b c" as term a and b at position 0, c at position 1 (the output of `analyze`)."""

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for group in value.split(" "):
            if not group:
                continue
            for alternative in group.split("|"):
                token.text = alternative
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = alternative
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char
                    token.endchar = start_char
                yield token
            pos += 1


@dataclass(frozen=True)
class AnalyzedText:
    exact: str
    lemma: str
    stem: str
    forms: tuple[str, ...]  # every indexed exact term, in order (for the vocabulary counts)


def content_tokens(text: str) -> list[Token]:
    return [t for t in tokenize(text) if not is_stop(t.form)]


def token_forms(token: Token) -> tuple[str, ...]:
    """The exact terms a token is indexed under: the whole form, then its compound parts."""
    if not token.parts:
        return (token.form,)
    return (token.form, *dict.fromkeys(p for p in token.parts if p != token.form))


def analyze(text: str, lemma_of: Mapping[str, str], stem: Callable[[str], str]) -> AnalyzedText:
    """Turn page text into the pre-analysed strings of the exact, lemma and stem fields."""
    exact: list[str] = []
    lemma: list[str] = []
    stems: list[str] = []
    forms: list[str] = []
    for token in content_tokens(text):
        alternatives = token_forms(token)
        forms.extend(alternatives)
        exact.append("|".join(alternatives))
        lemma.append("|".join(dict.fromkeys(lemma_of.get(f) or fold(f) for f in alternatives)))
        stems.append("|".join(dict.fromkeys(stem(f) for f in alternatives)))
    return AnalyzedText(" ".join(exact), " ".join(lemma), " ".join(stems), tuple(forms))


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})

# What one written word contributes to the three fields (None: a stop word).
Analyzed = tuple[str, str, str, tuple[str, ...]] | None


class FormCache:
    """Analyses each distinct written word once per run (the pure-Python work of `analyze` per
    occurrence was a third of the indexing time): raw word → its exact, lemma and stem groups.

    `lemmas(forms)` must return the lemma key of each lowercased form it is given."""

    def __init__(self, lemmas: Callable[[set[str]], Mapping[str, str]], stem: Callable[[str], str]):
        self._lemmas = lemmas
        self._stem = stem
        self._cache: dict[str, Analyzed] = {}

    def words(self, text: str) -> list[str]:
        """The written words of `text` (as `tokenize` cuts them), not yet analysed."""
        return _WORD.findall(text)

    def prepare(self, words: Iterable[str]) -> None:
        """Analyse the words not seen before (lemmatising their forms in one batch)."""
        cache = self._cache
        new: dict[str, tuple[str, ...] | None] = {}
        for raw in words:
            if raw in cache or raw in new:
                continue
            form = raw.lower().translate(_HYPHENS)
            if form in STOP_WORDS:
                new[raw] = None
                continue
            parts = tuple(p for p in form.split("-") if p) if "-" in form else ()
            new[raw] = token_forms(Token(form, parts, 0, 0))
        if not new:
            return
        needed = {f for alts in new.values() if alts for f in alts}
        lemma_of = self._lemmas(needed)
        stem = self._stem
        for raw, alts in new.items():
            if alts is None:
                cache[raw] = None
                continue
            cache[raw] = (
                "|".join(alts),
                "|".join(dict.fromkeys(lemma_of.get(f) or fold(f) for f in alts)),
                "|".join(dict.fromkeys(stem(f) for f in alts)),
                alts,
            )

    def analyze(self, words: list[str]) -> AnalyzedText:
        """The fields of a page from its `words` (every one of them `prepare`d)."""
        cache = self._cache
        entries = [e for e in map(cache.__getitem__, words) if e is not None]
        forms: list[str] = []
        for e in entries:
            forms.extend(e[3])
        return AnalyzedText(
            " ".join([e[0] for e in entries]),
            " ".join([e[1] for e in entries]),
            " ".join([e[2] for e in entries]),
            tuple(forms),
        )


def vocabulary_forms(texts: Iterable[str]) -> set[str]:
    """All exact terms of the texts (to lemmatise them once, before analysis)."""
    forms: set[str] = set()
    for text in texts:
        for token in content_tokens(text):
            forms.update(token_forms(token))
    return forms
