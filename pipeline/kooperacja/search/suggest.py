"""'Czy chodziło o: …' — correct each unknown query word to a close, frequent vocabulary form."""

from __future__ import annotations

import sqlite3

from . import vocab
from .lemmas import is_word
from .words import fold, is_stop

MIN_LETTERS = 3


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition costs 1), giving up above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def correct_word(conn: sqlite3.Connection, word: str) -> str | None:
    """The best vocabulary form within 1–2 edits of `word` (compared without diacritics), or None
    when the word is in the archive, is a real Polish word it does not hold, a stop word, too
    short to guess, or nothing is close."""
    folded = fold(word)
    if (
        len(folded) < MIN_LETTERS
        or is_stop(word)
        or not word.replace("-", "").isalpha()
        or vocab.spellings(conn, folded)
        or is_word(word)
    ):
        return None
    limit = 1 if len(folded) <= 6 else 2
    best: tuple[int, int, str] | None = None
    for entry in vocab.near_candidates(conn, folded):
        d = edit_distance(folded, fold(entry.form), limit)
        if d <= limit:
            key = (d, -entry.freq, entry.form)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def suggest(conn: sqlite3.Connection, words: list[str]) -> str | None:
    """The query with its unknown words corrected, or None when nothing could be corrected."""
    changed = False
    out: list[str] = []
    for word in words:
        fixed = correct_word(conn, word)
        changed |= fixed is not None
        out.append(fixed or word)
    return " ".join(out) if changed else None
