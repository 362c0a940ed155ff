"""kooperacja.search.expansion: abbreviations both ways and numbers as staff say them, over
Polish pages (and real acts of law from ../shared/testdata)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kooperacja.extract.abbreviations import abbreviation_pairs
from kooperacja.extract.extraction import extract_pdf
from kooperacja.models import IndexDoc, PageText
from kooperacja.search import rebuild_index, search, search_pages

ACTS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "pdfs" / "pl"


def doc(doc_id: str, *pages: str | PageText, title: str = "", pairs=()) -> IndexDoc:
    return IndexDoc(
        doc_id=doc_id,
        sha256=doc_id,
        title=title or doc_id,
        type="report",
        partners=("rops-torun",),
        year=2021,
        status="online",
        url=f"https://rops.example/{doc_id}.pdf",
        media_type="application/pdf",
        pages=tuple(
            p if isinstance(p, PageText) else PageText(i, p) for i, p in enumerate(pages, 1)
        ),
        abbreviations=pairs,
    )


LIST = "Wykaz skrótów\nZK – zespół kooperacyjny\nWTZ – warsztat terapii zajęciowej"
DOCS = [
    doc("skrot", "Sprawozdanie: współpraca z PCPR w Toruniu przy pieczy zastępczej."),
    doc("pelna", "Powiatowe Centrum Pomocy Rodzinie w Lipnie prowadzi pieczę zastępczą."),
    doc("odmiana", "Spotkanie w siedzibie Powiatowego Centrum Pomocy Rodzinie w Chełmnie."),
    doc("mops", "Współpraca Miejskiego Ośrodka Pomocy Społecznej w Gdańsku z policją."),
    doc("ops", "Pracownik socjalny OPS odwiedza rodzinę raz w tygodniu."),
    doc("kgw", "Koło Gospodyń Wiejskich w Lubiczu organizuje festyn dla rodzin."),
    doc("lista", LIST, "Spotkanie ZK odbyło się w marcu w gminie.",
        pairs=abbreviation_pairs([LIST])),  # fmt: skip
    doc("zespol", "Zespół kooperacyjny zebrał się w kwietniu w Lubiczu."),
    *(doc(f"pcr{i}", f"Wynik testu PCR numer {i} był ujemny.") for i in range(12)),
    doc(
        "ksiega",
        PageText(1, "Spis treści\nRekomendacja 12. Odrębność zespołów 19\n"
                 "Rekomendacja 24. Współpraca z dzielnicowymi 31\nRekomendacja 3. Lider 10"),
        PageText(2, "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji\n"
                 "Asystent rodziny spotyka się z dzielnicowym raz na kwartał.",
                 section="Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi"),
        PageText(3, "Rekomendacja 12. Odrębność zespołu kooperacyjnego i interdyscyplinarnego\n"
                 "Zespół kooperacyjny nie zastępuje zespołu interdyscyplinarnego.",
                 section="Rekomendacja 12. Odrębność zespołu kooperacyjnego"),
        title="Księga rekomendacyjna",
    ),  # fmt: skip
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("expansion")
    rebuild_index(folder, DOCS)
    return folder


def ids(index: Path, query: str) -> list[str]:
    return [m.doc_id for m in search_pages(index, query, limit=20)]


@pytest.mark.parametrize("query", ["PCPR", "pcpr", "współpraca z PCPR", "wspolpraca z pcpr"])
def test_an_abbreviation_finds_its_long_form_in_any_case_and_itself_first(index, query):
    found = ids(index, query)
    assert found[0] == "skrot"
    assert {"pelna", "odmiana"} <= set(found)


@pytest.mark.parametrize(
    "query",
    ["powiatowe centrum pomocy rodzinie", "powiatowego centrum pomocy rodzinie",
     "w powiatowym centrum pomocy rodzinie"],
)  # fmt: skip
def test_a_long_form_finds_its_abbreviation_and_itself_first(index, query):
    found = ids(index, query)
    assert set(found[:2]) == {"pelna", "odmiana"}
    assert "skrot" in found


def test_inflected_long_forms_and_words_typed_without_polish_letters(index):
    assert "mops" in ids(index, "wspolpraca z MOPS")  # "Miejskiego Ośrodka Pomocy Społecznej"
    assert "mops" in ids(index, "z mops")
    found = ids(index, "osrodek pomocy spolecznej")
    assert found[0] == "mops" and "ops" in found  # the long form first, then "OPS"
    assert ids(index, "kgw") == ["kgw"]
    assert ids(index, "kolo gospodyn wiejskich") == ["kgw"]


def test_pairs_a_document_lists_itself_count_for_every_document(index):
    assert set(ids(index, "ZK")) >= {"lista", "zespol"}
    assert ids(index, "ZK")[0] == "lista"
    assert "lista" in ids(index, "zespół kooperacyjny")


def test_without_the_pairs_nothing_is_expanded(tmp_path):
    bare = [d if d.doc_id != "lista" else doc("lista", LIST, "Spotkanie ZK w marcu.") for d in DOCS]
    rebuild_index(tmp_path, bare, abbreviations=())
    assert set(ids(tmp_path, "ZK")) == {"lista"}
    assert "pelna" not in ids(tmp_path, "PCPR")
    # With no abbreviation known, "pcpr" looks like a typo of the frequent "pcr".
    assert search(tmp_path, "pcpr").suggestion == "pcr"


def test_a_known_abbreviation_is_never_corrected(index):
    result = search(index, "pcpr")
    assert result.suggestion is None and not result.corrected
    assert search(index, "ZK").suggestion is None


@pytest.mark.parametrize(
    "query",
    ["rekomendacja 24", "rekomendacja dwudziesta czwarta", "rekomendacja dwudziestej czwartej",
     "rekomendacja nr 24", "dwudziesta czwarta rekomendacja", "rekomendacja dwadzieścia cztery",
     "rekomendacja XXIV", "rekomendacji numer dwadziescia cztery"],
)  # fmt: skip
def test_a_recommendation_asked_for_by_its_number_in_words(index, query):
    top = search_pages(index, query, limit=3)
    assert (top[0].doc_id, top[0].page) == ("ksiega", 2), [(m.doc_id, m.page) for m in top]


@pytest.mark.parametrize("query", ["co mowi rekomendacja dwunasta", "dwunasta rekomendacja"])
def test_a_question_about_a_recommendation(index, query):
    top = search_pages(index, query, limit=3)
    assert (top[0].doc_id, top[0].page) == ("ksiega", 3)


def _act(name: str) -> IndexDoc:
    path = ACTS / name
    if not path.exists():
        pytest.skip(f"{path} missing (../shared/testdata)")
    return doc(name, *extract_pdf(path).pages)


@pytest.fixture(scope="module")
def acts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("acts")
    # An act numbering its chapters "Rozdział 4" and one with its "§ 5." on page 2.
    rebuild_index(folder, [_act("dzu_2020_poz17.pdf"), _act("dzu_2020_poz2.pdf")])
    return folder


@pytest.mark.parametrize(
    "query", ["rozdział 4", "rozdział czwarty", "rozdzial czwarty", "rozdział IV", "IV rozdział"]
)
def test_a_chapter_of_a_real_act_by_its_number(acts, query):
    top = search_pages(acts, f"{query} rozliczenia", limit=3)
    assert (top[0].doc_id, top[0].page) == ("dzu_2020_poz17.pdf", 61)
    top = search_pages(acts, query, limit=5)
    assert ("dzu_2020_poz17.pdf", 61) in [(m.doc_id, m.page) for m in top]


@pytest.mark.parametrize("query", ["§ 5", "§5", "paragraf 5", "paragraf piąty"])
def test_a_paragraph_of_a_real_act_by_its_sign_or_name(acts, query):
    top = search_pages(acts, f"{query} postępowanie", limit=3)
    assert (top[0].doc_id, top[0].page) == ("dzu_2020_poz2.pdf", 2)
