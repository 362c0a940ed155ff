"""'Czy chodziło o': real Polish typos, words typed without Polish letters, bounded work on a
pasted paragraph over a grown vocabulary, and the symmetric-delete table kept with the index."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from kooperacja.models import PageText
from kooperacja.search import generations, rebuild_index, search, update_index, vocab
from kooperacja.search.lemmas import is_word
from kooperacja.search.nearby import MAX_EDITS, delete_keys, prefix_distance, prefix_of
from kooperacja.search.suggest import (
    MAX_CANDIDATES,
    correct_word,
    corrections,
    is_word_without_marks,
    restorations,
    suggest,
)
from kooperacja.search.words import fold, make_stemmer
from tests.test_search_corpus import DOCS, KSIEGA, MODEL, NEWS


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    rebuild_index(folder, DOCS)
    return folder


@contextmanager
def vocabulary(folder: Path, *, write: bool = False) -> Iterator[sqlite3.Connection]:
    generation = generations.current_generation(folder)
    assert generation is not None
    conn = vocab.connect(generation, write=write)
    try:
        yield conn
        if write:
            conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("asystnet rodizny", "asystent rodziny"),  # two swapped letters
        ("kooperacia", "kooperacja"),
        ("przemoc w rodzinei", "przemoc w rodzinie"),  # the stop word stays as typed
        ("koordynatr kooperaci", "koordynator kooperacji"),
        ("interdyscyplinarnj zespol", "interdyscyplinarny zespol"),  # "zespol" is in the archive
    ],
)
def test_real_polish_typos_are_corrected(index: Path, typed: str, meant: str) -> None:
    result = search(index, typed)
    assert result.suggestion == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("dzielnicowm", "dzielnicowym"),  # a letter missing
        ("wspolpracuej", "współpracuje"),
        ("spolecznj", "społecznej"),  # no Polish letters and a letter wrong
        ("wspolpraca z policja", None),  # every word is in the archive, only without its letters
    ],
)
def test_words_typed_without_polish_letters(index: Path, typed: str, meant: str | None) -> None:
    assert search(index, typed).suggestion == meant


def test_stop_words_and_real_polish_words_are_never_corrected(index: Path) -> None:
    with vocabulary(index) as conn:
        # "rodzinne" is one edit from "rodzinie", but a real word the archive does not hold.
        assert is_word("rodzinne")
        assert correct_word(conn, "rodzinne").form is None
        assert correct_word(conn, "oraz").form is None  # a stop word
        assert correct_word(conn, "koordynator").form is None  # in the archive
        assert suggest(conn, ["rodzinne", "koordynator", "oraz"]) is None
        assert suggest(conn, ["rodzinne", "koordynatr"]) == "rodzinne koordynator"


def test_a_word_typed_without_its_polish_letters_is_never_corrected(index: Path) -> None:
    with vocabulary(index) as conn:
        # "wspierac" is "wspierać", a word this archive does not hold; "wspiera" is one edit away.
        assert is_word_without_marks("wspierac") and not is_word("wspierac")
        assert correct_word(conn, "wspierac").form is None
        assert suggest(conn, ["wspierac", "koordynatr"]) == "wspierac koordynator"
        # A typo stays a typo whatever letters it is given back.
        assert not is_word_without_marks("spolecznj") and not is_word_without_marks("asystnet")
    assert "wspierać" in set(restorations("wspierac"))
    assert not list(restorations("wspierać"))  # typed with its letters: nothing to give back


def test_a_typo_held_in_one_document_is_corrected_to_the_word_in_many(tmp_path: Path) -> None:
    many = [
        replace(
            NEWS,
            doc_id=f"news{i:08d}",
            sha256=f"news{i:08d}" + "0" * 52,
            fingerprint=f"fp-news-{i}",
            pages=(PageText(1, f"Kooperacja instytucji w gminie {i}. Asystent rodziny pomaga."),),
        )
        for i in range(12)
    ]
    typo = replace(
        NEWS,
        doc_id="typo00000000",
        sha256="typo00000000" + "0" * 52,
        fingerprint="fp-typo",
        pages=(PageText(1, "Koperacja ośrodka z rodziną zastępczą i asystentem rodziny."),),
    )
    rebuild_index(tmp_path, (*many, typo))
    with vocabulary(tmp_path) as conn:
        assert correct_word(conn, "koperacja").form == "kooperacja"  # 1 document against 12
        assert correct_word(conn, "kooperacja").form is None  # the frequent one stays
        assert correct_word(conn, "zastępczą").form is None  # rare, but a Polish word
    # The typed word meets its own document: the correction is offered, the results stay.
    result = search(tmp_path, "koperacja")
    assert result.suggestion == "kooperacja" and not result.corrected
    assert [h.doc_id for h in result.hits] == ["typo00000000"]


def test_keys_delete_up_to_two_letters_but_never_the_first() -> None:
    keys = delete_keys("rodzina", 2)
    assert {"rodzina", "rdzina", "rodzna", "rdzna", "rodzi"} <= keys
    assert all(k.startswith("r") for k in keys) and "odzina" not in keys
    assert len(keys) == 1 + 6 + 15  # distinct letters: every choice of deletions differs
    assert delete_keys("rodzina", 1) == {"rodzina"} | {
        "rodzina"[:i] + "rodzina"[i + 1 :] for i in range(1, 7)
    }


def test_nothing_close_examines_nothing_from_elsewhere_in_the_vocabulary(index: Path) -> None:
    with vocabulary(index) as conn:
        found = correct_word(conn, "qwxzvk")
    assert found.form is None and found.examined == 0


def grown_forms(count: int) -> list[str]:
    """`count` Polish-looking forms: Morfeusz's inflections of real lemmas, with prefixes."""
    import morfeusz2

    generator = morfeusz2.Morfeusz(generate=True, expand_tags=False)
    lemmas = [
        "rodzina",
        "pomoc",
        "socjalny",
        "kooperacja",
        "przemoc",
        "gmina",
        "asystent",
        "koordynator",
        "ośrodek",
        "wspierać",
        "dziecko",
        "szkoła",
        "policja",
        "zespół",
        "organizować",
        "koordynować",
        "zgłaszać",
        "współpracować",
        "pomagać",
        "rodzinny",
        "społeczny",
        "interdyscyplinarny",
        "powiatowy",
        "wojewódzki",
        "kurator",
        "sąd",
        "wizyta",
        "spotkanie",
        "diagnoza",
        "rekomendacja",
        "pilotaż",
        "instytucja",
        "integracja",
        "uczeń",
        "nauczyciel",
        "pracownik",
        "zatrudniać",
        "realizować",
        "opracować",
        "wdrażać",
        "sprawozdanie",
        "ubóstwo",
        "bezrobocie",
        "niepełnosprawny",
        "senior",
        "mieszkanie",
        "świadczenie",
        "zasiłek",
        "opieka",
        "piecza",
        "zastępczy",
        "placówka",
        "terapia",
    ]
    base = sorted({f[0].lower() for lemma in lemmas for f in generator.generate(lemma)})
    prefixes = [
        "",
        "nie",
        "naj",
        "prze",
        "współ",
        "przy",
        "od",
        "za",
        "po",
        "wy",
        "roz",
        "nad",
        "pod",
        "bez",
        "przed",
        "ponad",
        "anty",
        "super",
        "mikro",
        "makro",
        "pseudo",
    ]
    out = sorted({p + b for p in prefixes for b in base})
    assert len(out) >= count
    return out[:: len(out) // count][:count]


def test_a_pasted_paragraph_of_50_unknown_words_examines_a_bounded_number_of_forms(
    tmp_path: Path,
) -> None:
    rebuild_index(tmp_path, DOCS)
    forms = grown_forms(20_000)
    assert len(forms) == 20_000
    with vocabulary(tmp_path, write=True) as conn:
        vocab.apply_counts(conn, Counter(dict.fromkeys(forms, 1)), {}, make_stemmer())
    # 50 words one letter off a grown form (a doubled letter), none a word or a form.
    paragraph: list[str] = []
    with vocabulary(tmp_path) as conn:
        for form in forms[::97]:
            typo = form[:4] + form[3] + form[4:]
            if len(paragraph) < 50 and not vocab.spellings(conn, fold(typo)) and not is_word(typo):
                paragraph.append(typo)
        assert len(paragraph) == 50
        found = corrections(conn, paragraph)
        old_way = sum(  # the forms of the same first letter and length within 2, up to 5,000
            min(
                5_000,
                conn.execute(
                    "SELECT COUNT(*) FROM vocab WHERE substr(folded, 1, 1) = ? "
                    "AND length(folded) BETWEEN ? AND ?",
                    (fold(w)[0], len(w) - 2, len(w) + 2),
                ).fetchone()[0],
            )
            for w in paragraph
        )
    # The form meant (or one spelled alike without Polish letters: `…ującą`, `…ująca`).
    assert [fold(c.form or "") for c in found] == [fold(t[:4] + t[5:]) for t in paragraph]
    assert max(c.examined for c in found) <= MAX_CANDIDATES
    # The symmetric-delete keys lead only to forms sharing a near prefix.
    # Each typo sits at the fifth letter, where the prefixed families of this vocabulary (every
    # word with 21 prefixes) leave the keys least to tell apart: still under half the old work.
    assert sum(c.examined for c in found) < old_way / 2


def test_more_vocabulary_far_from_the_words_adds_no_work(tmp_path: Path) -> None:
    rebuild_index(tmp_path, DOCS)
    words = ["asystnet", "rodizny", "kooperacia", "koordynatr", "dzielnicowm", "spolecznj"]
    with vocabulary(tmp_path) as conn:
        before = corrections(conn, words)
    far = [f for f in grown_forms(20_000) if f[0] not in "arkds"]
    with vocabulary(tmp_path, write=True) as conn:
        vocab.apply_counts(conn, Counter(dict.fromkeys(far, 1)), {}, make_stemmer())
    with vocabulary(tmp_path) as conn:
        after = corrections(conn, words)
        assert conn.execute("SELECT COUNT(*) FROM vocab").fetchone()[0] > 10_000
    assert [c.form for c in after] == [c.form for c in before]
    assert [c.examined for c in after] == [c.examined for c in before]


def near_rows(folder: Path) -> set[tuple[str, str]]:
    with vocabulary(folder) as conn:
        return set(conn.execute("SELECT key, prefix FROM near"))


def test_the_table_follows_updates_and_rebuilds(tmp_path: Path) -> None:
    new_page = PageText(3, "Superwizja koordynatorów odbywa się co kwartał.", "3")
    added = replace(MODEL, pages=(*MODEL.pages, new_page), fingerprint="fp-model-2")
    update_index(tmp_path, [KSIEGA], [])
    assert search(tmp_path, "superwizia").suggestion is None  # no such word yet
    update_index(tmp_path, [added], [])
    assert search(tmp_path, "superwizia").suggestion == "superwizja"
    # The update keyed every prefix a full build of the same documents keys.
    fresh = tmp_path / "fresh"
    rebuild_index(fresh, [KSIEGA, added])
    assert near_rows(fresh) <= near_rows(tmp_path)
    assert {("superwi", "superwi"), ("sperwi", "superwi"), ("sprwi", "superwi")} <= near_rows(fresh)
    # A rebuild without the page drops its words and their keys.
    rebuild_index(tmp_path, [KSIEGA, MODEL])
    assert search(tmp_path, "superwizia").suggestion is None
    assert not any(prefix == "superwi" for _key, prefix in near_rows(tmp_path))


def edited(word: str, edits: list[tuple[int, int, str]]) -> str:
    """`word` with each (kind, position, letter) edit applied after its first letter."""
    for kind, at, letter in edits:
        i = 1 + at % max(1, len(word) - 1)
        if kind == 0:
            word = word[:i] + word[i + 1 :]
        elif kind == 1:
            word = word[:i] + letter + word[i:]
        elif kind == 2:
            word = word[:i] + letter + word[i + 1 :]
        elif i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word


@settings(max_examples=400, deadline=None)
@given(
    word=st.text(alphabet="aeiorwyzcnsdkp", min_size=3, max_size=16),
    edits=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 20), st.sampled_from("aeiorwyzcnsdkp")),
        max_size=2,
    ),
)
def test_every_form_within_two_edits_shares_a_key_and_a_close_prefix(
    word: str, edits: list[tuple[int, int, str]]
) -> None:
    """What the table relies on, for any two words of the same first letter within 1-2 edits:
    their keyed prefixes share a deletion key and pass the prefix-distance check."""
    typo = edited(word, edits)
    d = OSA.distance(word, typo)
    assume(1 <= d <= MAX_EDITS and len(typo) >= 1)
    a, b = prefix_of(word), prefix_of(typo)
    assert delete_keys(b, d) & delete_keys(a, MAX_EDITS)  # the typo typed, the word stored
    assert prefix_distance(b, a, d) <= d
