"""kooperacja.search.analysis / words / lemmas: Polish tokens, folding, stems, lemmas."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from kooperacja.search.analysis import PreAnalyzedTokenizer, analyze
from kooperacja.search.lemmas import lemmatize_forms
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


def test_analyze_puts_compound_parts_at_one_position() -> None:
    stem = make_stemmer()
    lemmas = lemmatize_forms(["gminy", "miejsko-wiejskie", "miejsko", "wiejskie"])
    analyzed = analyze("W gminy miejsko-wiejskie", lemmas, stem)
    assert analyzed.exact == "gminy miejsko-wiejskie|miejsko|wiejskie"
    assert analyzed.lemma.split(" ")[1].split("|")[0] == "miejsko-wiejski"
    tokens = [(t.text, t.pos) for t in PreAnalyzedTokenizer()(analyzed.exact, positions=True)]
    assert tokens == [("gminy", 0), ("miejsko-wiejskie", 1), ("miejsko", 1), ("wiejskie", 1)]


@pytest.mark.skipif(not GOLD.is_file(), reason=f"{GOLD} not present")
def test_lemma_conflation_on_gold_list_beats_stemming() -> None:
    # Share of same-lemma form pairs (PUD treebank) that get one key: simplemma 0.84, prefix-5
    # 0.67 (which merges 8 times more different lemmas: hence the lemma field is boosted).
    forms: dict[str, set[str]] = defaultdict(set)
    with open(GOLD, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["upos"] in ("NOUN", "ADJ", "VERB") and row["form"].isalpha():
                forms[row["lemma"].lower()].add(row["form"].lower())
    groups = [sorted(g) for g in forms.values() if len(g) > 1]
    table = lemmatize_forms(f for g in groups for f in g)
    stem = make_stemmer()

    def share(key) -> float:
        pairs = [(a, b) for g in groups for a in g for b in g if a < b]
        return sum(key(a) == key(b) for a, b in pairs) / len(pairs)

    by_lemma, by_stem = share(table.__getitem__), share(stem)
    assert by_lemma > 0.8
    assert by_lemma > by_stem
