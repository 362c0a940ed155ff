"""The abbreviations a document explains itself (pure): its "Wykaz skrótów" read into pairs.

Reports and acts list their abbreviations under a heading ("Wykaz skrótów", "Objaśnienia
skrótów", "Wykaz stosowanych skrótów", "Skróty"), one a line, the short form first:
    PCPR – Powiatowe Centrum Pomocy Rodzinie
    OPS - ośrodek pomocy społecznej
    MRPiPS: Ministerstwo Rodziny, Pracy i Polityki Społecznej
    GKRPA\tgminna komisja rozwiązywania problemów alkoholowych
    CIS centrum integracji społecznej            (a table, as the PDF's text layer gives it)
A long form wrapped onto the next lines, or a short form alone on its line with the long form
below it, is joined back. The pairs go with the document's text (extract/run.py) and the index
stage makes searches meet both forms (search/expansion.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import fold_key, is_stop

# A heading line of a list of abbreviations, folded: the whole line, not a table-of-contents
# entry with its page number.
_HEADING = re.compile(
    r"(?:\d+\.?\s*)?(?:(?:wykaz|objasnieni[ae]|spis|slownik|lista|zestawienie|indeks)\s+"
    r"(?:\w+\s+){0,2}skrotow(?:\s+i\s+\w+)?|(?:(?:stosowane|uzyte|uzywane|wykorzystane)\s+)?"
    r"skroty(?:\s+i\s+(?:oznaczenia|akronimy|symbole))?)\s*:?"
)
# `PCPR – …`, `OPS - …`, `MRPiPS: …`, `GKRPA<tab>…` (a hyphen only with a space before it:
# `miejsko-gminny` is one word).
_SEPARATED = re.compile(
    r"^(\S{2,12}?)\s*(?:[\t=:]|\s[-\u2010-\u2015\u2212]|[\u2013\u2014])\s*(.+)$"
)
_SPACED = re.compile(r"^(\S{2,12})\s+(.+)$")
_LETTERS = re.compile(r"[^\W\d_]")
# What begins the text after the list (folded): a numbered heading, a chapter, the introduction.
_TEXT_BEGINS = re.compile(r"(?:\d+\.\s|rozdzial\b|wstep\b|wprowadzenie\b|spis tresci)")
# What every heading has: "skrot" folded, i.e. lower-cased "skrót" with or without its accents
# (folding a whole document costs more than reading its lines when it has no list).
_SKROT = ("skrót", "skrot", "śkrót", "śkrot")
MAX_MISSES = 4  # lines that are no pair (a page's header, a blank table cell) before the list ends
MAX_LONG_WORDS = 14
MAX_PAIRS = 400


def looks_short(token: str) -> bool:
    """An abbreviation: 2–8 letters (digits and a hyphen allowed), more than half of them
    capitals (`PCPR`, `ŚDS`, `MRPiPS`, `NGO`)."""
    letters = _LETTERS.findall(token)
    if not 2 <= len(letters) <= 8 or not token.replace("-", "").isalnum():
        return False
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper > len(letters) - upper


def _long_form(text: str) -> str | None:
    """The written-out form, cleaned, or None when it is not one (a number, a sentence)."""
    text = " ".join(text.strip(" \t;,.").split())
    words = text.split()
    if not 1 <= len(words) <= MAX_LONG_WORDS or not _LETTERS.match(text):
        return None
    if looks_short(words[0]):  # another pair's short form: the table lost a cell
        return None
    letters = len(_LETTERS.findall(text))
    return text if letters >= 0.7 * len(text.replace(" ", "")) else None


def _continues(long: str, line: str) -> bool:
    """Whether `line` carries on the long form before it: it starts in lower case, or the long
    form stopped at a word no name ends with (`Pracy i` / `Polityki Społecznej`)."""
    last = long.split()[-1].lower()
    unfinished = is_stop(last) or last in ("ds.", "ds") or long.endswith((",", "-"))
    return bool(_long_form(line)) and (line[:1].islower() or unfinished)


def _pair(line: str) -> tuple[str, str] | None:
    for pattern in (_SEPARATED, _SPACED):
        m = pattern.match(line)
        if m and looks_short(m.group(1)):
            long = _long_form(m.group(2))
            if long and (pattern is _SEPARATED or len(long.split()) >= 2):
                return m.group(1), long
    return None


def is_heading(line: str) -> bool:
    text = fold_key(" ".join(line.split()))
    return len(text) <= 60 and _HEADING.fullmatch(text) is not None


def abbreviation_pairs(pages: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(short, long) pairs from the lists of abbreviations in a document's pages, in order,
    each once; () when it has none."""
    text = "\n".join(pages).lower()
    if not any(word in text for word in _SKROT):
        return ()  # no heading can be there (most documents): no need to fold every line
    pairs: list[list[str]] = []
    listing = False
    misses = 0
    pending: str | None = None  # a short form alone on its line, its long form to come
    for line in (raw.strip() for page in pages for raw in page.splitlines()):
        if not line:
            continue
        if is_heading(line):
            listing, misses, pending = True, 0, None
            continue
        if not listing:
            continue
        if _TEXT_BEGINS.match(fold_key(line)):
            listing = False
            continue
        pair = _pair(line)
        if pair:
            pairs.append(list(pair))
            misses, pending = 0, None
        elif looks_short(line):
            pending, misses = line, 0
        elif pending and (long := _long_form(line)):
            pairs.append([pending, long])
            pending, misses = None, 0
        elif pairs and misses == 0 and _continues(pairs[-1][1], line):
            pairs[-1][1] += " " + " ".join(line.split())  # a wrapped long form
        else:
            misses += 1
            pending = None
            if misses > MAX_MISSES:
                listing = False
    seen: dict[tuple[str, str], None] = {}
    for short, long in pairs[:MAX_PAIRS]:
        seen.setdefault((short, long.strip(" ;,.")), None)
    return tuple(seen)
