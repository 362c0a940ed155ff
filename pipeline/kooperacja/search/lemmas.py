"""Form → lemma with simplemma, used only while indexing.

simplemma's Polish dictionary takes ~3 s to load, so the query side never calls this: every form of
the index vocabulary gets its lemma stored with the index (see `vocab.py`).

`low_memory=True` reads the front-coded dictionary in place instead of decoding its 3.7 million
entries into a dict: 70 MB instead of 420 MB, 3 s instead of 5–14 s to load, ~30 µs a form, and
the same lemmas (checked on the 9,363 forms of the 500-page bench corpus).
"""

from __future__ import annotations

from collections.abc import Iterable

from .words import fold


def lemma_key(lemma: str) -> str:
    """What the `lemma` field indexes: the folded lemma (typing without diacritics still meets)."""
    return fold(lemma.lower())


def lemmatize_forms(forms: Iterable[str]) -> dict[str, str]:
    """Lemma key for each lowercased form (numbers map to themselves)."""
    import simplemma  # loads the Polish dictionary on first use (cached by simplemma)

    table: dict[str, str] = {}
    for form in forms:
        if form in table:
            continue
        if not form.replace("-", "").isalpha():
            table[form] = fold(form)
            continue
        table[form] = lemma_key(simplemma.lemmatize(form, lang="pl", low_memory=True))
    return table
