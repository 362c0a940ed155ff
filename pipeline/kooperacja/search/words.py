"""Polish words as search sees them: the text basics of `kooperacja.text`, plus stems.

Index and query side both go through these functions, so a word is always cut and normalised the
same way. Lemmas come from `lemmas.py` (Morfeusz 2) and the tables stored with the index.
"""

from __future__ import annotations

from collections.abc import Callable

from ..text import (
    POLISH_LETTERS,
    STOP_WORDS,
    Token,
    fold,
    has_polish_letters,
    is_stop,
    normalise,
    tokenize,
)
from ..text import WORD as _WORD

__all__ = [
    "POLISH_LETTERS",
    "STEM_LETTERS",
    "STOP_WORDS",
    "Token",
    "_WORD",
    "fold",
    "has_polish_letters",
    "is_stop",
    "make_stemmer",
    "normalise",
    "tokenize",
    "truncation_stem",
]

STEM_LETTERS = 5


def truncation_stem(form: str) -> str:
    """The first STEM_LETTERS letters of the folded form (numbers and codes whole).

    A weak third field (bench/relevance.py measures it): it meets inflections and derivations
    the lemmas keep apart (`rodzinnych` ~ `rodziny`), typos past their fifth letter, and, being
    folded, words typed without Polish letters that are not in the vocabulary.
    """
    if not form.replace("-", "").isalpha():
        return fold(form)
    return fold(form)[:STEM_LETTERS]


def make_stemmer() -> Callable[[str], str]:
    """The stemmer of the `stem` field (a factory, so a stateful stemmer could be swapped in)."""
    return truncation_stem
