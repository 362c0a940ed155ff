"""Form → lemma keys with Morfeusz 2 (the SGJP dictionary), every lemma a form may have.

Chosen by measurement (bench/lemmatisers.py on the UD Polish gold list in ../shared/testdata/morph):
every lemma of an ambiguous form is kept, so `dane`, `danych` and `danymi` share the key `dane`
while the exact form still ranks first. A key is the folded lemma, so typing without Polish
letters meets it. Morfeusz loads in tens of milliseconds, so queries may call it too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .words import fold

SEPARATOR = "|"  # joins the keys of an ambiguous form into one indexed term ("dana|dane|dany")


# One analyser per process (the dictionary loads once); the web server's threads share it, and a
# Morfeusz instance is not safe to call from two threads at once, so each call holds this lock.
_ANALYSING = threading.Lock()


@lru_cache(maxsize=1)
def _analyser() -> Any:
    import morfeusz2

    return morfeusz2.Morfeusz(generate=False, expand_tags=False)


def _analyse(form: str) -> list:
    with _ANALYSING:
        return _analyser().analyse(form)


def lemma_key(lemma: str) -> str:
    """What the lemma field holds for one lemma: lowercased and folded (`Toruń:Sm3` → `torun`)."""
    return fold(lemma.split(":", 1)[0].lower())


def lemma_keys(form: str) -> tuple[str, ...]:
    """Every lemma key of one lowercased form, sorted. A hyphenated compound gives the keys of
    its parts as Morfeusz reads them (`miejsko-wiejskich` → `miejski`, `wiejski`); a word the
    dictionary does not know (numbers, names, typos) gives its folded self."""
    if not form.replace("-", "").isalpha():
        return (fold(form),)
    keys: set[str] = set()
    for _start, _end, (orth, lemma, tag, _names, _quals) in _analyse(form):
        if tag.startswith("interp"):
            continue
        keys.add(fold(orth.lower()) if tag == "ign" else lemma_key(lemma))
    keys.discard("")
    return tuple(sorted(keys)) if keys else (fold(form),)


def is_word(form: str) -> bool:
    """Whether the dictionary knows `form` as a Polish word (typos and unknown names: no)."""
    if not form.isalpha():
        return False
    # Morfeusz's own results, their tags compared as numbers: the wrapper's tuples (tag, name
    # and labels as text) cost as much again, and a query's suggestions ask this of hundreds
    # of spellings.
    morfeusz = _analyser()._morfeusz_obj
    with _ANALYSING:
        unknown = _unknown_tag(morfeusz)
        return all(interp.tagId != unknown for interp in morfeusz.analyse(form))


@lru_cache(maxsize=1)
def _unknown_tag(morfeusz: Any) -> int:
    return morfeusz.getIdResolver().getTagId("ign")


def combo_key(form: str) -> str:
    """The one term a written word puts in the lemma field: its lemma keys joined."""
    return SEPARATOR.join(lemma_keys(form))


def lemmatize_forms(forms: Iterable[str]) -> dict[str, str]:
    """The lemma-field term of each lowercased form."""
    return {form: combo_key(form) for form in set(forms)}


def keys_of(combo: str) -> tuple[str, ...]:
    return tuple(combo.split(SEPARATOR))
