"""kooperacja.search.analysis / words / lemmas: Polish tokens, folding, stems, lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest

from kooperacja.search.analysis import FormCache
from kooperacja.search.lemmas import combo_key, keys_of, lemmatize_forms
from kooperacja.search.words import fold, has_polish_letters, is_stop, make_stemmer, tokenize

GOLD = Path(__file__).parents[2] / "shared" / "testdata" / "morph" / "pl_form_lemma_gold_pud.tsv"


def test_fold_maps_every_polish_letter() -> None:
    assert fold("ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ") == "acelnoszz ACELNOSZZ"
    assert fold("Łódź") == "Lodz"
    assert has_polish_letters("współpraca") and not has_polish_letters("wspolpraca")


def test_tokenize_compounds_numbers_offsets() -> None:
    text = "Gminy miejsko-wiejskie, 2014–2020: 412 rodzin."
    tokens = list(tokenize(text))
    assert [t.form for t in tokens] == [
        "gminy",
        "miejsko-wiejskie",
        "2014",
        "2020",
        "412",
        "rodzin",
    ]
    assert tokens[1].parts == ("miejsko", "wiejskie")
    assert all(text[t.start : t.end].lower() == t.form for t in tokens)


def test_stop_words() -> None:
    assert all(is_stop(w) for w in ("i", "w", "na", "się", "że", "oraz"))
    assert not any(is_stop(w) for w in ("rodzina", "policja", "gmina", "2021"))


def test_stemmer_conflates_inflection_and_folds() -> None:
    stem = make_stemmer()
    assert stem("rodzina") == stem("rodzinie") == stem("rodzinnych") == "rodzi"
    assert stem("współpraca") == stem("wspolpracy") == "wspol"
    assert stem("2021") == "2021" and stem("9a") == "9a"


def test_lemmas_conflate_what_stems_miss() -> None:
    table = lemmatize_forms(["ośrodek", "ośrodka", "ośrodków", "zespół", "zespołu", "2021"])
    assert table["ośrodek"] == table["ośrodka"] == table["ośrodków"] == "osrodek"
    assert table["zespół"] == table["zespołu"] == "zespol"
    assert table["2021"] == "2021"


@pytest.mark.parametrize(
    "group",
    [
        ("dane", "danych", "danymi"),
        ("gmina", "gmin", "gminach", "gminie", "gminy"),
        ("rodzina", "rodzinie", "rodzinami", "rodzin"),
        ("policja", "policją", "policji"),
        ("asystent", "asystenta", "asystentów", "asystentami"),
    ],
)
def test_every_inflected_form_shares_a_lemma_key(group: tuple[str, ...]) -> None:
    keys = [set(keys_of(combo_key(form))) for form in group]
    shared = set.intersection(*keys)
    assert shared, dict(zip(group, keys, strict=True))


def test_compound_gets_the_lemmas_of_its_parts() -> None:
    assert set(keys_of(combo_key("miejsko-wiejskich"))) >= {"miejski", "wiejski"}


def test_analysis_gives_one_term_per_word_in_each_field() -> None:
    cache = FormCache(lemmatize_forms, make_stemmer())
    analyzed = cache.text("W gminach miejsko-wiejskich asystenci rodzin")
    assert analyzed.exact == "gminach miejsko-wiejskich asystenci rodzin"
    assert analyzed.forms == ("gminach", "miejsko-wiejskich", "asystenci", "rodzin")
    lemma = analyzed.lemma.split(" ")
    assert len(lemma) == len(analyzed.stem.split(" ")) == 4  # positions line up across fields
    assert "gmina" in keys_of(lemma[0]) and "asystent" in keys_of(lemma[2])
    assert analyzed.stem.split(" ")[0] == "gmina"


@pytest.mark.skipif(not GOLD.is_file(), reason=f"{GOLD} not present")
def test_lemma_keys_meet_for_inflected_forms_on_the_gold_list() -> None:
    # bench/lemmatisers.py measures the same on all content words, with the other candidates.
    import bench.lemmatisers as measured

    gold = measured.read_gold(GOLD)
    report = measured.measure(gold, measured.morfeusz_all(gold))
    assert report["pair_recall"] >= 0.95
    truncation = measured.measure(gold, measured.truncation_keys(gold))
    assert report["merge_precision"] > truncation["merge_precision"]
