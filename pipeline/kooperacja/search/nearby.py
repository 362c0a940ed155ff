"""Symmetric-delete keys (SymSpell's idea) for "Czy chodziło o": two spellings within `d` edits
share a string left after deleting at most `d` letters from each, so the index stores, for each
folded prefix of its vocabulary, every such deletion, and a query word looks up only its own
deletions — a few dozen indexed lookups, however large the vocabulary.

Only the first PREFIX letters are keyed (SymSpell's prefix length), which keeps the table at about
four rows per form; the whole words are compared afterwards. The first letter is never deleted:
suggestions keep the letter typed first, as people rarely mistype it.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

PREFIX = 7
MAX_EDITS = 2  # the most a suggestion may differ; the stored keys allow for it


def prefix_of(folded: str) -> str:
    """The part of a folded form that is keyed."""
    return folded[:PREFIX]


def delete_keys(prefix: str, edits: int) -> set[str]:
    """`prefix` and every string left by deleting 1..`edits` of its letters after the first."""
    keys = {prefix}
    frontier = {prefix}
    for _ in range(edits):
        frontier = {s[:i] + s[i + 1 :] for s in frontier for i in range(1, len(s))}
        keys |= frontier
    return keys


def prefix_distance(typed: str, stored: str, edits: int) -> int:
    """The fewest edits between a prefix of one and the other (above `edits`: edits + 1).

    Words within `edits` of each other have prefixes at most that far apart: the words'
    alignment passes the end of one prefix at some point of the other. Sharing a deletion key
    alone lets through prefixes up to twice as far apart; this sorts them out."""
    best = edits + 1
    for short, full in ((typed, stored), (stored, typed)):
        for j in range(max(0, len(short) - edits), len(full) + 1):
            best = min(best, OSA.distance(short, full[:j], score_cutoff=edits))
    return best
