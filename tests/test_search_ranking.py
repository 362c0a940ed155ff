"""Ranking for the whole question (issue 19): a real index of real Polish pages, queried as staff
type: with and without Polish letters, as questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kooperacja.models import IndexDoc, PageText
from kooperacja.search import rebuild_index, search, search_pages


def doc(doc_id: str, title: str, pages: list[tuple[str, str]]) -> IndexDoc:
    """A document of (section heading, text) pages."""
    return IndexDoc(
        doc_id=doc_id,
        sha256=doc_id * 8,
        title=title,
        type="other",
        partners=("rops-torun",),
        year=2021,
        status="online",
        url=f"https://example.org/{doc_id}.pdf",
        media_type="application/pdf",
        pages=tuple(
            PageText(n, text, section=section) for n, (section, text) in enumerate(pages, 1)
        ),
        fingerprint=f"fp-{doc_id}",
    )


FILLER = (
    "Ośrodek pomocy społecznej prowadzi sprawy mieszkańców gminy, przyjmuje wnioski o zasiłki "
    "i kieruje do specjalistów. Pracownicy socjalni odwiedzają mieszkańców w ich domach. "
)

# What the staff's motivating search met: a document saying "współpraca" on every page (its
# title too) that names the police once, and a report much the same, above the recommendation
# whose heading holds both words.
LEGAL = doc(
    "zalozenia",
    "Założenia prawne współpracy instytucji",
    [
        (
            "",
            "Niniejsze opracowanie zbiera przepisy, na których opiera się współpraca ośrodków "
            "pomocy społecznej z podmiotami innych polityk sektorowych. Współpraca instytucji "
            "wymaga porozumień. Ustawa reguluje pracę asystenta rodziny, obowiązek współpracy "
            "asystenta z instytucjami oświatowymi, podmiotami leczniczymi, Policją, sądem i "
            "kuratorami.",
        ),
        ("", "Współpraca ze szkołą i współpraca z poradnią. " + FILLER),
        ("", "Współpraca z urzędem pracy obejmuje aktywizację bezrobotnych. " + FILLER),
    ],
)
REPORT = doc(
    "raport",
    "Raport z badań. Współpraca instytucji pomocy i integracji społecznej",
    [
        (
            "",
            "Niemal wszystkie ośrodki deklarują współpracę z innymi instytucjami. Najczęściej "
            "wskazywanymi partnerami są szkoły (91%), Policja (88%) i kuratorzy sądowi (84%). "
            "Współpraca ma najczęściej charakter doraźny. Współpraca sformalizowana jest rzadka.",
        ),
        ("", "Współpraca z organizacjami pozarządowymi. " + FILLER),
    ],
)
BOOK = doc(
    "ksiega",
    "Księga rekomendacyjna",
    [
        ("Wstęp", "Księga zbiera rekomendacje z pilotażu modelu kooperacji. " + FILLER),
        (
            "Rekomendacja 23. Dzielnicowy jako stały partner kooperacji",
            "Dzielnicowi znają swoje rejony i jako pierwsi mają kontakt z rodziną w kryzysie. "
            + FILLER,
        ),
        (
            "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji",
            "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji. Asystent "
            "rodziny pracuje z rodziną w jej domu i najlepiej zna jej codzienne funkcjonowanie. "
            "Dzielnicowy ma wiedzę o interwencjach i zagrożeniach w okolicy.",
        ),
        ("Rekomendacja 25. Kuratorzy sądowi", "Kuratorzy sądowi uczestniczą w spotkaniach. "),
    ],
)
# A long plan mentioning supervision and social workers on many pages, each a little, and a
# short note about exactly that.
PLAN = doc(
    "plan",
    "Plan szkoleń na rok 2021",
    [
        ("", f"{FILLER * 3}Superwizja jest przewidziana w planie. {FILLER * 3}"
         f"Zatrudnieni pracownicy socjalni mogą się zgłaszać. Szkolenie o eksmisji. {FILLER}")
        for _ in range(8)
    ],
)
NOTE = doc(
    "notatka",
    "Notatka ze spotkania zespołu",
    [
        ("", "Lista obecności i porządek obrad spotkania. " + FILLER),
        ("", "Sprawy różne zgłoszone przez członków zespołu. " + FILLER),
        (
            "Superwizja pracowników socjalnych",
            "Superwizja pracowników socjalnych odbywa się raz w miesiącu w siedzibie ośrodka.",
        ),
    ],
)
# Pages holding some of a question's words: two of its rarest words many times on a short page,
# three commoner ones once each on a long one (the plan's pages say "eksmisji" too).
EVICTION = doc(
    "eksmisje",
    "Sprawy mieszkaniowe",
    [
        (
            "",
            "Zadłużenie czynszowe. Zadłużenie czynszowe narasta. Zadłużenie czynszowe rośnie.",
        ),
        (
            "",
            FILLER + "Rodzina z dziećmi zagrożona eksmisją dostaje wsparcie asystenta. " + FILLER,
        ),
    ],
)
DOCS = [LEGAL, REPORT, BOOK, PLAN, NOTE, EVICTION]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ranking")
    rebuild_index(folder, DOCS)
    return folder


@pytest.mark.parametrize("query", ["wspolpraca z policja", "współpraca z policją"])
def test_the_page_whose_heading_holds_every_word_beats_pages_that_repeat_one(index, query):
    result = search(index, query)
    assert result.complete == 3  # all three documents hold both words somewhere
    first = result.hits[0]
    assert first.doc_id == "ksiega"
    assert first.pages[0].section.startswith("Rekomendacja 24.")
    # The page with only one of the words comes behind the page about both, in its document.
    assert [p.page for p in first.pages][:1] == [3]


def test_within_a_document_the_best_page_is_listed_first(index):
    for query in ("asystent rodziny dzielnicowy", "asystent rodziny dzielnicowy policja"):
        book = next(h for h in search(index, query).hits if h.doc_id == "ksiega")
        assert book.pages[0].page == 3, query
        assert [p.page for p in book.pages] == sorted(
            (p.page for p in book.pages), key=lambda n: n != 3
        )
        assert book.pages[0].score == max(p.score for p in book.pages)


@pytest.mark.parametrize(
    "query", ["superwizja pracowników socjalnych", "superwizja pracownikow socjalnych"]
)
def test_many_weak_pages_do_not_beat_one_strong_page(index, query):
    result = search(index, query)
    # Every page of the plan holds the three words, far apart; one page of the note holds
    # them together, in its heading too.
    assert {h.doc_id for h in result.hits} >= {"plan", "notatka"}
    assert result.hits[0].doc_id == "notatka"
    assert result.hits[0].pages[0].page == 3
    pages = search_pages(index, query, limit=3)
    assert (pages[0].doc_id, pages[0].page) == ("notatka", 3)


@pytest.mark.parametrize(
    "question",
    [
        "jak zapobiegać eksmisji rodzin z dziećmi przy zadłużeniu czynszowym",
        "jak zapobiegac eksmisji rodzin z dziecmi przy zadluzeniu czynszowym",
    ],
)
def test_a_page_with_more_of_the_question_comes_before_one_repeating_a_word(index, question):
    result = search(index, question)
    assert result.complete == 0  # no page holds every word (nothing says "zapobiegać")
    first = search_pages(index, question, limit=2)
    # "eksmisją", "rodzina", "dziećmi": three of the question's words once each, above the page
    # saying "zadłużenie czynszowe" three times.
    assert (first[0].doc_id, first[0].page) == ("eksmisje", 2)
    assert result.hits[0].pages[0].page == 2


@pytest.mark.parametrize(
    "question",
    [
        "dlaczego asystent rodziny pracuje z dzielnicowym?",
        "dlaczego asystent rodziny pracuje z dzielnicowym",
        "czego dotyczy wiedza dzielnicowego",
        "ile asystentów rodziny pracuje z dzielnicowymi",
        "ile asystentow rodziny pracuje z dzielnicowymi",
    ],
)
def test_a_question_s_own_words_are_never_required(index, question):
    result = search(index, question)
    # No page says "dlaczego", "czego", "dotyczy" or "ile": the page holding the rest holds the
    # whole question.
    assert result.complete == 1, question
    assert result.hits[0].doc_id == "ksiega", question
    assert result.hits[0].pages[0].section.startswith("Rekomendacja 24."), question
