"""'Czy chodziło o: …' — correct each unknown query word to a close, frequent vocabulary form.

Candidates come from the index's symmetric-delete table (nearby.py): a few dozen indexed lookups
give the keyed prefixes that may be close, and the forms under those prefixes — at most
MAX_CANDIDATES, however large the vocabulary — are compared in C by rapidfuzz
(bench/suggest_cost.py measures the cost)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, islice, product

from rapidfuzz.distance import OSA

from . import vocab
from .lemmas import is_word
from .nearby import delete_keys, prefix_distance, prefix_of
from .words import fold, has_polish_letters, is_stop

MIN_LETTERS = 3
MAX_CANDIDATES = 2000  # forms compared per word, the closest prefixes and most frequent first
# A word the archive holds in at most RARE_DOCS documents is a typo there when a form one edit
# away is in TYPO_RATIO times as many documents, and at least MIN_TYPO_NEIGHBOUR.
RARE_DOCS = 2
TYPO_RATIO = 10
MIN_TYPO_NEIGHBOUR = 5
# The Polish letters a letter typed without its mark may stand for.
MARKED = {"a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "źż"}
MAX_RESTORED = 3  # letters given back their marks at once: words need one or two, rarely three
MAX_RESTORED_LENGTH = 40
MAX_RESTORATIONS = 300  # dictionary look-ups per word at most: one or two letters come first


@dataclass(frozen=True)
class Correction:
    word: str
    form: str | None  # the closest vocabulary form, None when the word stays as typed
    examined: int  # vocabulary forms compared with the word (the work done)


def edit_limit(folded: str) -> int:
    """How many edits (a transposition is one) a suggestion may be from the word."""
    return 1 if len(folded) <= 6 else 2


def correct_word(conn: sqlite3.Connection, word: str) -> Correction:
    """The best vocabulary form within 1–2 edits of `word` (compared without diacritics), or none
    when the word is a real Polish word (typed with or without its Polish letters), a stop word,
    an abbreviation the index knows, too short to guess, or nothing is close. A word the archive
    holds is taken for a typo only when it is rare there (a typo in a document) and a form one
    edit away is far more frequent."""
    folded = fold(word)
    held = sum(e.freq for e in vocab.spellings(conn, folded))
    if (
        len(folded) < MIN_LETTERS
        or is_stop(word)
        or vocab.is_abbreviation(conn, word)  # PCPR, ŚDS: never "corrected"
        or not word.replace("-", "").isalpha()
        or held > RARE_DOCS
        or is_word(word)
        or is_word_without_marks(word)
    ):
        return Correction(word, None, 0)
    limit = 1 if held else edit_limit(folded)
    typed = prefix_of(folded)
    tiers: list[list[str]] = [[] for _ in range(limit + 1)]
    for p in vocab.near_prefixes(conn, delete_keys(typed, limit)):
        d = prefix_distance(typed, p, limit)
        if d <= limit:
            tiers[d].append(p)
    # The closest prefixes first: when a crowded family ("nieprze…") reaches the cap, the forms
    # left out are those that begin least like the word. A form is at least as far from the
    # word as its prefix is, so once a form `d` edits away is found, prefixes further than `d`
    # have nothing better (a tie at `d` may still win by frequency, so `d` itself is read).
    lengths = (len(folded) - limit, len(folded) + limit)
    best: tuple[int, int, str] | None = None
    examined = 0
    for tier, prefixes in enumerate(tiers):
        if examined >= MAX_CANDIDATES or (best is not None and best[0] < tier):
            break
        for form, other, freq in vocab.forms_near(
            conn, prefixes, lengths, MAX_CANDIDATES - examined
        ):
            examined += 1
            d = OSA.distance(folded, other, score_cutoff=limit)
            if 0 < d <= limit:  # the word's own spellings (a rare word held) are no correction
                key = (d, -freq, form)
                if best is None or key < best:
                    best = key
    if best is not None and held and -best[1] < max(MIN_TYPO_NEIGHBOUR, TYPO_RATIO * held):
        best = None  # a rare word held, with no neighbour far more frequent: kept as typed
    return Correction(word, best[2] if best else None, examined)


def restorations(word: str) -> Iterator[str]:
    """`word` with up to MAX_RESTORED of its letters given back a Polish mark (`wspierac` →
    `wspierać`, `wspięrac`, …), fewest first; nothing for a word already holding one."""
    if has_polish_letters(word):
        return
    places = [i for i, ch in enumerate(word) if ch.lower() in MARKED]
    for n in range(1, min(MAX_RESTORED, len(places)) + 1):
        for chosen in combinations(places, n):
            for marks in product(*(MARKED[word[i].lower()] for i in chosen)):
                letters = list(word)
                for i, mark in zip(chosen, marks, strict=True):
                    letters[i] = mark.upper() if word[i].isupper() else mark
                yield "".join(letters)


def is_word_without_marks(word: str) -> bool:
    """Whether `word` is a Polish word typed without its Polish letters: it is not a typo then,
    whatever the archive holds, and is never "corrected" to another word."""
    if len(word) > MAX_RESTORED_LENGTH:  # no Polish word is this long: a pasted oddity
        return False
    return any(is_word(form) for form in islice(restorations(word), MAX_RESTORATIONS))


def corrections(conn: sqlite3.Connection, words: list[str]) -> list[Correction]:
    return [correct_word(conn, word) for word in words]


def suggest(conn: sqlite3.Connection, words: list[str]) -> str | None:
    """The query with its unknown words corrected, or None when nothing could be corrected."""
    found = corrections(conn, words)
    if all(c.form is None for c in found):
        return None
    return " ".join(c.form or c.word for c in found)
