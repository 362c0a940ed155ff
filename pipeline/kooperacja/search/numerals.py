"""Numbers as people say them (pure): Polish numerals written as words, Roman numerals, and the
digits documents use for them.

Staff ask for `rekomendacja dwudziesta czwarta`, `dwunastej rekomendacji`, `rozdział IV` or
`trzydzieści jeden`; the documents write `Rekomendacja 24`, `Rozdział 4` (or `Rozdział IV`).
Every form of the ordinals and cardinals 1–99 is known here by its folded spelling, so words
typed without Polish letters (`piatej`, `dwudziestej`) count too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..text import fold

# Ordinal stems (folded) and the endings of each declension: an ordinal is an adjective.
_HARD = ("y", "a", "e", "ego", "ej", "emu", "ą", "ym", "ych", "ymi")
_SOFT_G = ("i", "a", "ie", "iego", "iej", "iemu", "ą", "im", "ich", "imi")  # drugi, druga
_SOFT_C = ("i", "ia", "ie", "iego", "iej", "iemu", "ią", "im", "ich", "imi")  # trzeci, trzecia
_ORDINAL_STEMS = {
    1: ("pierwsz", _HARD), 2: ("drug", _SOFT_G), 3: ("trzec", _SOFT_C), 4: ("czwart", _HARD),
    5: ("piat", _HARD), 6: ("szost", _HARD), 7: ("siodm", _HARD), 8: ("osm", _HARD),
    9: ("dziewiat", _HARD), 10: ("dziesiat", _HARD), 11: ("jedenast", _HARD),
    12: ("dwunast", _HARD), 13: ("trzynast", _HARD), 14: ("czternast", _HARD),
    15: ("pietnast", _HARD), 16: ("szesnast", _HARD), 17: ("siedemnast", _HARD),
    18: ("osiemnast", _HARD), 19: ("dziewietnast", _HARD), 20: ("dwudziest", _HARD),
    30: ("trzydziest", _HARD), 40: ("czterdziest", _HARD), 50: ("piecdziesiat", _HARD),
    60: ("szescdziesiat", _HARD), 70: ("siedemdziesiat", _HARD),
    80: ("osiemdziesiat", _HARD), 90: ("dziewiecdziesiat", _HARD),
}  # fmt: skip
# Masculine personal plurals (`pierwsi`, `drudzy`) are irregular: listed whole.
_ORDINAL_PERSONAL = {"pierwsi": 1, "drudzy": 2, "czwarci": 4, "piaci": 5, "szosci": 6}
# Cardinals, every case (folded); `-oma` instrumentals included.
_CARDINALS = {
    1: "jeden jedna jedno jednego jednej jednemu jednym jedną jedni jednych",
    2: "dwa dwie dwoch dwu dwom dwoma dwiema dwaj",
    3: "trzy trzech trzem trzema trzej",
    4: "cztery czterech czterem czterema czterej",
    5: "piec pieciu piecioma", 6: "szesc szesciu szescioma", 7: "siedem siedmiu siedmioma",
    8: "osiem osmiu osmioma", 9: "dziewiec dziewieciu dziewiecioma",
    10: "dziesiec dziesieciu dziesiecioma", 11: "jedenascie jedenastu jedenastoma",
    12: "dwanascie dwunastu dwunastoma", 13: "trzynascie trzynastu trzynastoma",
    14: "czternascie czternastu czternastoma", 15: "pietnascie pietnastu pietnastoma",
    16: "szesnascie szesnastu szesnastoma", 17: "siedemnascie siedemnastu siedemnastoma",
    18: "osiemnascie osiemnastu osiemnastoma", 19: "dziewietnascie dziewietnastu dziewietnastoma",
    20: "dwadziescia dwudziestu dwudziestoma", 30: "trzydziesci trzydziestu trzydziestoma",
    40: "czterdziesci czterdziestu czterdziestoma",
    50: "piecdziesiat piecdziesieciu piecdziesiecioma",
    60: "szescdziesiat szescdziesieciu szescdziesiecioma",
    70: "siedemdziesiat siedemdziesieciu siedemdziesiecioma",
    80: "osiemdziesiat osiemdziesieciu osiemdziesiecioma",
    90: "dziewiecdziesiat dziewiecdziesieciu dziewiecdziesiecioma",
}  # fmt: skip


def _table() -> dict[str, int]:
    table: dict[str, int] = {}
    for value, (stem, endings) in _ORDINAL_STEMS.items():
        for ending in endings:
            table[stem + ending] = value
    for value, forms in _CARDINALS.items():
        for form in forms.split():
            table.setdefault(fold(form), value)
    table.update(_ORDINAL_PERSONAL)
    return {fold(form): value for form, value in table.items()}


_VALUES = _table()
_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_DIGITS = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
MAX_ROMAN = 39  # I–XXXIX: what chapters and parts are numbered with


@dataclass(frozen=True)
class NumberSpan:
    """Words `start`..`end` (exclusive) of a query say the number `value`."""

    start: int
    end: int
    value: int
    roman: bool = False  # said as a Roman numeral (only next to a heading word, see ranking)


def word_value(word: str) -> int | None:
    """The number a Polish numeral word says (`dwunastej` → 12, `trzydziesci` → 30)."""
    return _VALUES.get(fold(word.lower()))


def roman_value(word: str) -> int | None:
    """`iv` → 4 … `xxxix` → 39; None for anything else."""
    text = word.lower()
    m = _ROMAN.fullmatch(text)
    if not text or not m:
        return None
    tens, units = m.groups()
    value = {"ix": 9, "iv": 4}.get(units, 5 * units.startswith("v") + units.count("i"))
    return 10 * len(tens) + value


def to_roman(value: int) -> str:
    """4 → `iv` (lower case, as the index holds words); "" outside 1..MAX_ROMAN."""
    if not 1 <= value <= MAX_ROMAN:
        return ""
    out = []
    for amount, letters in _ROMAN_DIGITS:
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def numbers_in(words: Sequence[str]) -> tuple[NumberSpan, ...]:
    """The numbers said in words by a query's `words` (lowercased, as typed): a tens word and a
    unit word next to each other are one number (`dwudziesta czwarta` → 24,
    `dwadzieścia cztery` → 24); Roman numerals are given as such, for the caller to judge."""
    spans: list[NumberSpan] = []
    i = 0
    while i < len(words):
        value = word_value(words[i])
        if value is None:
            roman = roman_value(words[i])
            if roman is not None:
                spans.append(NumberSpan(i, i + 1, roman, roman=True))
            i += 1
            continue
        unit = word_value(words[i + 1]) if i + 1 < len(words) else None
        if value >= 20 and value % 10 == 0 and unit is not None and 1 <= unit <= 9:
            spans.append(NumberSpan(i, i + 2, value + unit))
            i += 2
            continue
        spans.append(NumberSpan(i, i + 1, value))
        i += 1
    return tuple(spans)
