"""Form → lemma with simplemma, used only while indexing.

simplemma's Polish dictionary takes ~6 s to load, so the query side never calls this: every form of
the index vocabulary gets its lemma stored with the index (see `vocab.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .words import fold


def lemma_key(lemma: str) -> str:
    """What the `lemma` field indexes: the folded lemma (typing without diacritics still meets)."""
    return fold(lemma.lower())


def lemmatize_forms(forms: Iterable[str]) -> dict[str, str]:
    """Lemma key for each lowercased form (numbers map to themselves)."""
    import simplemma  # heavy: loads the Polish dictionary on first use

    table: dict[str, str] = {}
    for form in forms:
        if form in table:
            continue
        if not form.replace("-", "").isalpha():
            table[form] = fold(form)
            continue
        table[form] = lemma_key(simplemma.lemmatize(form, lang="pl"))
    return table
