"""kooperacja.search.numerals: Polish numerals 1–99 as people write them, Roman I–XXXIX."""

from __future__ import annotations

import pytest

from kooperacja.search.numerals import NumberSpan, numbers_in, roman_value, to_roman, word_value
from kooperacja.text import fold

# Each number's ordinal as a man's, a woman's and in the genitive (rozdziału dwunastego,
# rekomendacji dwunastej), then its cardinal and the cardinal's genitive: written out by hand.
ORDINALS = {
    1: "pierwszy pierwsza pierwszego pierwszej jeden jednego",
    2: "drugi druga drugiego drugiej dwa dwóch",
    3: "trzeci trzecia trzeciego trzeciej trzy trzech",
    4: "czwarty czwarta czwartego czwartej cztery czterech",
    5: "piąty piąta piątego piątej pięć pięciu",
    6: "szósty szósta szóstego szóstej sześć sześciu",
    7: "siódmy siódma siódmego siódmej siedem siedmiu",
    8: "ósmy ósma ósmego ósmej osiem ośmiu",
    9: "dziewiąty dziewiąta dziewiątego dziewiątej dziewięć dziewięciu",
    10: "dziesiąty dziesiąta dziesiątego dziesiątej dziesięć dziesięciu",
    11: "jedenasty jedenasta jedenastego jedenastej jedenaście jedenastu",
    12: "dwunasty dwunasta dwunastego dwunastej dwanaście dwunastu",
    13: "trzynasty trzynasta trzynastego trzynastej trzynaście trzynastu",
    14: "czternasty czternasta czternastego czternastej czternaście czternastu",
    15: "piętnasty piętnasta piętnastego piętnastej piętnaście piętnastu",
    16: "szesnasty szesnasta szesnastego szesnastej szesnaście szesnastu",
    17: "siedemnasty siedemnasta siedemnastego siedemnastej siedemnaście siedemnastu",
    18: "osiemnasty osiemnasta osiemnastego osiemnastej osiemnaście osiemnastu",
    19: "dziewiętnasty dziewiętnasta dziewiętnastego dziewiętnastej dziewiętnaście dziewiętnastu",
    20: "dwudziesty dwudziesta dwudziestego dwudziestej dwadzieścia dwudziestu",
    30: "trzydziesty trzydziesta trzydziestego trzydziestej trzydzieści trzydziestu",
    40: "czterdziesty czterdziesta czterdziestego czterdziestej czterdzieści czterdziestu",
    50: "pięćdziesiąty pięćdziesiąta pięćdziesiątego pięćdziesiątej pięćdziesiąt pięćdziesięciu",
    60: "sześćdziesiąty sześćdziesiąta sześćdziesiątego sześćdziesiątej sześćdziesiąt "
    "sześćdziesięciu",
    70: "siedemdziesiąty siedemdziesiąta siedemdziesiątego siedemdziesiątej siedemdziesiąt "
    "siedemdziesięciu",
    80: "osiemdziesiąty osiemdziesiąta osiemdziesiątego osiemdziesiątej osiemdziesiąt "
    "osiemdziesięciu",
    90: "dziewięćdziesiąty dziewięćdziesiąta dziewięćdziesiątego dziewięćdziesiątej "
    "dziewięćdziesiąt dziewięćdziesięciu",
}
OTHER_CASES = [
    ("trzecią", 3), ("drugą", 2), ("piątym", 5), ("dwunastym", 12), ("dwunastemu", 12),
    ("ósmych", 8), ("pierwszymi", 1), ("drudzy", 2), ("dwunastoma", 12), ("dwiema", 2),
]  # fmt: skip
COMPOUNDS = [
    ("dwudziesta czwarta", 24), ("dwudziestej czwartej", 24), ("dwudziestego czwartego", 24),
    ("trzydziesta pierwsza", 31), ("trzydziestego pierwszego", 31), ("dwadzieścia cztery", 24),
    ("czterdzieści dwa", 42), ("pięćdziesiąty piąty", 55), ("sześćdziesiątej szóstej", 66),
    ("siedemdziesiąt siedem", 77), ("osiemdziesiąty ósmy", 88),
    ("dziewięćdziesiąta dziewiąta", 99), ("dwadzieścia jeden", 21),
]  # fmt: skip
_ROMAN_TEXT = (
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI XXII XXIII "
    "XXIV XXV XXVI XXVII XXVIII XXIX XXX XXXI XXXII XXXIII XXXIV XXXV XXXVI XXXVII XXXVIII XXXIX"
)
ROMAN = _ROMAN_TEXT.split()


@pytest.mark.parametrize(("number", "forms"), ORDINALS.items())
def test_each_numeral_form_says_its_number_with_or_without_polish_letters(number, forms):
    for form in forms.split():
        assert word_value(form) == number, form
        assert word_value(fold(form)) == number, fold(form)  # typed without Polish letters
        assert word_value(form.capitalize()) == number, form


@pytest.mark.parametrize(("form", "number"), OTHER_CASES)
def test_the_other_cases_too(form, number):
    assert word_value(form) == number


@pytest.mark.parametrize(("said", "number"), COMPOUNDS)
def test_tens_and_units_are_one_number(said, number):
    for text in (said, fold(said)):
        words = ["rekomendacja", *text.split()]
        assert numbers_in(words) == (NumberSpan(1, 3, number),)


def test_every_number_from_1_to_99_can_be_said():
    said = set()
    for tens in (20, 30, 40, 50, 60, 70, 80, 90):
        for unit in range(1, 10):
            words = [ORDINALS[tens].split()[1], ORDINALS[unit].split()[1]]  # feminine ordinals
            (span,) = numbers_in(words)
            said.add(span.value)
    said |= {word_value(forms.split()[0]) for forms in ORDINALS.values()}
    assert said == set(range(1, 100))


def test_words_that_are_no_numbers():
    for word in ("rekomendacja", "rozdział", "dwór", "piątek", "trzecioklasista", "24", ""):
        assert word_value(word) is None, word
    # Two numbers side by side that do not make one stay two.
    assert [s.value for s in numbers_in(["czwarta", "dwudziesta"])] == [4, 20]
    assert [s.value for s in numbers_in(["dwunasta", "trzecia"])] == [12, 3]


@pytest.mark.parametrize(("number", "roman"), list(enumerate(ROMAN, start=1)))
def test_roman_numerals_both_ways(number, roman):
    assert roman_value(roman) == number
    assert roman_value(roman.lower()) == number
    assert to_roman(number) == roman.lower()


def test_what_is_no_roman_numeral():
    for text in ("", "iiii", "vv", "ic", "xl", "mix", "vx", "xxxx", "rozdział"):
        assert roman_value(text) is None, text
    assert to_roman(0) == to_roman(40) == ""
    spans = numbers_in(["rozdział", "iv"])
    assert spans == (NumberSpan(1, 2, 4, roman=True),)
