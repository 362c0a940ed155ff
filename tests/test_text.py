"""Polish text basics: one folding rule, one word rule, one stop-word home for every room."""

from kooperacja import dates
from kooperacja.extract import textrepair
from kooperacja.search import words as search_words
from kooperacja.tag import tagging as tag
from kooperacja.tag import titles
from kooperacja.text import (
    COMPOUND_PREFIXES,
    LANGUAGE_CUES,
    STOP_WORDS,
    ascii_hyphens,
    count_polish_letters,
    fold,
    fold_key,
    has_polish_letters,
    tokenize,
    words,
)


def test_fold_keeps_case_and_length_and_fold_key_lowers() -> None:
    assert fold("Źródło ŁÓDŹ") == "Zrodlo LODZ"
    assert len(fold("zażółć gęślą jaźń")) == len("zażółć gęślą jaźń")
    assert fold_key("Październik ŁÓDŹ") == "pazdziernik lodz"
    assert fold_key("WSPÓŁPRACA z Policją") == fold_key("wspolpraca z policja")


def test_letters_words_and_hyphens() -> None:
    assert has_polish_letters("gęś") and not has_polish_letters("ges")
    assert count_polish_letters("Łęczyca, źródło") == 5
    assert ascii_hyphens("miejsko\u2010wiejskie") == "miejsko-wiejskie"
    assert words("Gminy miejsko\u2011wiejskie – asystent rodziny.") == [
        "gminy",
        "miejsko-wiejskie",
        "asystent",
        "rodziny",
    ]
    token = next(iter(tokenize("Społeczno-zawodowy")))
    assert token.parts == ("społeczno", "zawodowy") and token.start == 0


def test_stop_words_and_language_cues_are_one_list_of_polish_function_words() -> None:
    assert {"się", "oraz", "że", "przez"} <= STOP_WORDS
    polish_cues = LANGUAGE_CUES["pl"] - {"został", "została"}
    assert polish_cues <= STOP_WORDS
    assert "miejsko" in COMPOUND_PREFIXES


def test_every_room_takes_the_basics_from_here() -> None:
    """Search, tagging, titles, dates and text repair share one fold and one word rule (the
    issue found two folds, two stop lists, two letter sets and three tokenisers)."""
    import kooperacja.text as text

    assert search_words.fold is text.fold
    assert search_words.tokenize is text.tokenize
    assert search_words.STOP_WORDS is text.STOP_WORDS
    assert search_words.POLISH_LETTERS is text.POLISH_LETTERS
    assert search_words._WORD is text.WORD
    assert titles.fold_key is text.fold_key and tag.fold_key is text.fold_key
    assert dates.fold_key is text.fold_key
    assert textrepair.COMPOUND_PREFIXES is text.COMPOUND_PREFIXES
    for module in (dates, tag, titles, textrepair):
        assert not hasattr(module, "fold"), module.__name__
        assert not hasattr(module, "_STOPWORDS"), module.__name__
    from kooperacja.harvest import pages

    assert not hasattr(pages, "POLISH_LETTERS")
