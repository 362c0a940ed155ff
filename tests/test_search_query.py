"""kooperacja.search: the query language, Polish matching, ranking, snippets, suggestions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kooperacja.errors import QuerySyntaxError
from kooperacja.models import IndexDoc, PageText, SearchFilters, SearchResult
from kooperacja.search import QUERY_HELP, parse_query, rebuild_index, search, search_pages
from tests.test_search_corpus import DOCS, KSIEGA, MODEL, NEWS, PREZENTACJA


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    rebuild_index(folder, DOCS)
    return folder


def doc_ids(result: SearchResult) -> list[str]:
    return [h.doc_id for h in result.hits]


def pages_of(result: SearchResult, doc_id: str) -> list[int]:
    return [p.page for h in result.hits if h.doc_id == doc_id for p in h.pages]


@pytest.mark.parametrize("query", ["rodzina", "rodzinie", "rodzinami", "rodziny"])
def test_inflected_forms_find_each_other(index: Path, query: str) -> None:
    result = search(index, query)
    assert KSIEGA.doc_id in doc_ids(result)
    assert MODEL.doc_id in doc_ids(result)  # "Rodzinie pomaga asystentka"
    assert set(pages_of(result, KSIEGA.doc_id)) >= {2, 3}  # "w rodzinie", "Rodzinami"


@pytest.mark.parametrize("query", ["ośrodek", "ośrodka", "ośrodków", "ośrodkami", "osrodkach"])
def test_osrodek_all_forms(index: Path, query: str) -> None:
    assert pages_of(search(index, query), KSIEGA.doc_id) == [4]


def test_exact_form_ranks_above_lemma_match(index: Path) -> None:
    pages = search_pages(index, "rodzinie")
    # Page 2 has "rodzinie" as typed; page 3 only "Rodzinami" (same lemma).
    ranked = [(m.doc_id, m.page) for m in pages]
    assert ranked.index((KSIEGA.doc_id, 2)) < ranked.index((KSIEGA.doc_id, 3))
    assert pages[0].score > pages[-1].score


@pytest.mark.parametrize(
    ("with_letters", "without"),
    [
        ("współpraca z policją", "wspolpraca z policja"),
        ("ośrodek pomocy społecznej", "osrodek pomocy spolecznej"),
        ("zespół interdyscyplinarny", "zespol interdyscyplinarny"),
        ('"zespół interdyscyplinarny"', '"zespol interdyscyplinarny"'),
    ],
)
def test_query_without_polish_letters_ranks_identically(
    index: Path, with_letters: str, without: str
) -> None:
    a = search_pages(index, with_letters, limit=20)
    b = search_pages(index, without, limit=20)
    assert a, with_letters
    assert [(m.doc_id, m.page) for m in a] == [(m.doc_id, m.page) for m in b]
    assert [round(m.score, 6) for m in a] == [round(m.score, 6) for m in b]


def test_compound_found_by_part_and_by_other_form(index: Path) -> None:
    for query in ("wiejskich", "miejsko-wiejskie", "miejsko-wiejskich", "miejsko"):
        assert pages_of(search(index, query), KSIEGA.doc_id) == [3], query
    hit = next(h for h in search(index, "wiejskich").hits if h.doc_id == KSIEGA.doc_id)
    assert "<b>miejsko-wiejskich</b>" in hit.pages[0].snippet


def test_numbers_are_kept(index: Path) -> None:
    assert pages_of(search(index, "412"), KSIEGA.doc_id) == [4]
    assert pages_of(search(index, "2019"), KSIEGA.doc_id) == [4]
    assert doc_ids(search(index, "2018")) == [PREZENTACJA.doc_id]


def test_phrase_requires_adjacent_words(index: Path) -> None:
    assert pages_of(search(index, '"zespół interdyscyplinarny"'), KSIEGA.doc_id) == [3]
    # Both words occur on page 3, but not next to each other in this order.
    assert search(index, '"interdyscyplinarny zespół"').total == 0
    # Inflected phrase: lemma positions match ("Asystent rodziny", "asystenci rodzin").
    assert pages_of(search(index, '"asystentów rodziny"'), KSIEGA.doc_id) == [2, 3]
    assert pages_of(search(index, '"asystentów rodziny"'), MODEL.doc_id) == []
    # Counted per document, each once, though the phrase is on two pages of the book.
    assert search(index, '"asystentów rodziny"').total == 1
    assert search(index, '"asystentów rodziny" OR "przemoc domowa"').total == 2


def test_require_all_keeps_the_strict_mode(index: Path) -> None:
    result = search(index, "koordynator absencja", require_all=True)
    assert doc_ids(result) == [MODEL.doc_id]
    assert search(index, "koordynator policja", require_all=True).total == 0
    # By default the documents with only some of the words follow.
    assert doc_ids(search(index, "koordynator absencja"))[0] == MODEL.doc_id


def test_or(index: Path) -> None:
    assert set(doc_ids(search(index, "kuratorów OR absencja"))) == {NEWS.doc_id, MODEL.doc_id}


def test_exclude(index: Path) -> None:
    with_police = set(doc_ids(search(index, "współpraca")))
    assert {KSIEGA.doc_id, PREZENTACJA.doc_id} <= with_police
    assert PREZENTACJA.doc_id not in doc_ids(search(index, "współpraca -przemoc"))


def test_prefix(index: Path) -> None:
    assert set(doc_ids(search(index, "asyst*"))) == {KSIEGA.doc_id, MODEL.doc_id, NEWS.doc_id}
    assert doc_ids(search(index, "interdysc*")) == [KSIEGA.doc_id]
    # Without Polish letters the prefix is matched against the folded vocabulary.
    assert pages_of(search(index, "osrod*"), KSIEGA.doc_id) == [4]


def test_field_filters_in_query(index: Path) -> None:
    assert doc_ids(search(index, "rodzina type:model")) == [MODEL.doc_id]
    assert doc_ids(search(index, "dzieciach partner:rops-gdansk")) == [KSIEGA.doc_id]
    assert doc_ids(search(index, "etatu partner:rops-gdansk")) == []
    assert doc_ids(search(index, "etatu partner:rops-torun")) == [MODEL.doc_id]
    assert doc_ids(search(index, "policja year:2018")) == [PREZENTACJA.doc_id]
    assert set(doc_ids(search(index, "policja year:2019..2021"))) == {KSIEGA.doc_id}
    assert set(doc_ids(search(index, "policja year:..2020"))) == {PREZENTACJA.doc_id}
    assert doc_ids(search(index, "asystentów status:gone")) == [NEWS.doc_id]
    assert NEWS.doc_id not in doc_ids(search(index, "asyst* -type:news"))


def test_search_filters_argument(index: Path) -> None:
    f = SearchFilters(types=("recommendations", "presentation"), year_from=2019)
    assert doc_ids(search(index, "policja", f)) == [KSIEGA.doc_id]
    assert search(index, "rodzina", SearchFilters(partners=("rops-torun",))).total == 2
    assert search(index, "ośrodek", SearchFilters(statuses=("gone",))).total == 0
    assert search(index, "kuratorów", SearchFilters(statuses=("gone",))).total == 1


def test_filter_only_query_lists_documents(index: Path) -> None:
    result = search(index, "partner:rops-gdansk")
    assert set(doc_ids(result)) == {KSIEGA.doc_id, NEWS.doc_id, PREZENTACJA.doc_id}
    assert result.total == 3
    assert all(h.pages == () for h in result.hits)


def test_grouping_pages_snippets_labels(index: Path) -> None:
    result = search(index, "rodzina")
    # KSIEGA and MODEL have forms of "rodzina"; NEWS only "rodzinnych" (same 5-letter stem).
    assert result.total == 3
    hit = next(h for h in result.hits if h.doc_id == KSIEGA.doc_id)
    assert hit.title == "Księga rekomendacyjna"
    assert hit.partner == "rops-gdansk" and hit.partners == ("rops-gdansk", "rops-torun")
    assert hit.year == 2021 and hit.status == "online" and hit.type == "recommendations"
    assert 1 <= len(hit.pages) <= 3
    assert [p.score for p in hit.pages] == sorted((p.score for p in hit.pages), reverse=True)
    assert hit.score == hit.pages[0].score
    page2 = next(p for p in hit.pages if p.page == 2)
    assert page2.label == "ii"
    assert page2.section == "Rekomendacja 7. Współpraca z Policją"
    assert "<b>rodzinie</b>" in page2.snippet
    assert "\n" not in page2.snippet and "  " not in page2.snippet


def test_adjacent_matches_share_one_bold_span(index: Path) -> None:
    snippet = search(index, "asystent rodziny").hits[0].pages[0].snippet
    assert "<b>Asystent rodziny</b>" in snippet


def test_html_document_has_one_page_with_a_snippet(index: Path) -> None:
    result = search(index, "kuratorów")
    assert doc_ids(result) == [NEWS.doc_id]
    assert [p.page for p in result.hits[0].pages] == [1]
    assert "<b>kuratorów</b>" in result.hits[0].pages[0].snippet
    assert result.hits[0].media_type == "text/html"


def test_limit_and_total(index: Path) -> None:
    result = search(index, "asyst*", limit=1)
    assert len(result.hits) == 1
    assert result.total == 3


def test_stop_words_are_ignored(index: Path) -> None:
    assert doc_ids(search(index, "koordynator i na w absencja", require_all=True)) == [
        MODEL.doc_id
    ]


def test_misspelled_query_shows_the_results_of_the_closest_words(index: Path) -> None:
    result = search(index, "asystnet rodzny")
    assert result.suggestion == "asystent rodziny"
    # No page holds both typed words: the corrected query's results are shown, and said so.
    corrected = search(index, "asystent rodziny")
    assert doc_ids(result) == doc_ids(corrected) and result.total == corrected.total
    assert result.notes == ("nothing matched as typed; showing results for: asystent rodziny",)
    assert search(index, "koordynator policja").suggestion is None  # both words exist


def test_question_words_are_not_mangled_into_a_suggestion(index: Path) -> None:
    result = search(index, "co robic gdy przemoc w rodzinie")
    assert result.suggestion is None  # every content word is known; "co", "gdy" stay stop words
    assert PREZENTACJA.doc_id in doc_ids(result)


def test_nothing_close_gives_no_results_and_no_suggestion(index: Path) -> None:
    result = search(index, "qwxzvk")
    assert result.total == 0 and result.hits == () and result.suggestion is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"zespół interdyscyplinarny', "unbalanced quote"),
        ("OR", "'OR' needs a word"),
        ("rodzina OR", "'OR' needs a word"),
        ("rodzina OR OR policja", "'OR' needs a word"),
        ("-", "'-' must be followed"),
        ("rodzina - policja", "'-' must be followed"),
        ("year:abc", "year:abc"),
        ("year:2021..2019", "backwards"),
        ("type:foo", "unknown type"),
        ("a*", "at least 2 letters"),
        ("x" * 10_000, "limit is"),
        ("i w na", "only common words"),
        ("-policja", "besides the excluded"),
    ],
)
def test_malformed_queries_give_one_line_errors(index: Path, query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message) as caught:
        search(index, query)
    assert "\n" not in str(caught.value)


def test_control_characters_are_spaces(index: Path) -> None:
    assert doc_ids(search(index, "koordynator\x00\x07absencja\u200b", require_all=True)) == [
        MODEL.doc_id
    ]


def test_query_help_documents_the_language() -> None:
    for needle in ('"', "OR", "-", "*", "type:", "partner:", "year:2019..2021"):
        assert needle in QUERY_HELP


def test_parse_query_structure() -> None:
    parsed = parse_query('asystent "zespół interdyscyplinarny" policja OR straż -przemoc year:2020')
    assert len(parsed.must) == 3 and len(parsed.exclude) == 1
    assert parsed.filters[0].year_from == parsed.filters[0].year_to == 2020


_ALPHABET = st.sampled_from(
    list('aąbcćeęlłnńoóśzźż AOR"-*:.()\\\t\n\x00\u200b')
    + ["OR", "type:", "year:", "rodzin", "..", "2021"]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_ALPHABET, max_size=30).map("".join) | st.text(max_size=60))
def test_any_query_gives_result_or_query_syntax_error(index: Path, query: str) -> None:
    try:
        result = search(index, query)
    except QuerySyntaxError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert result.total >= len(result.hits)
        assert all(len(h.pages) <= 3 for h in result.hits)


def test_adjective_query_finds_noun_phrase(index: Path) -> None:
    # Staff type "asystentów rodzinnych"; the book writes "Asystent rodziny" (page 2).
    result = search(index, "asystentów rodzinnych")
    assert result.hits[0].doc_id == NEWS.doc_id  # the exact words rank first
    assert 2 in pages_of(result, KSIEGA.doc_id)


def test_default_fills_up_with_documents_having_some_words(index: Path) -> None:
    strict = search(index, "koordynator kuratorów", require_all=True)
    assert strict.total == 0 and strict.hits == ()
    relaxed = search(index, "koordynator kuratorów")
    assert {MODEL.doc_id, NEWS.doc_id} <= set(doc_ids(relaxed))
    assert relaxed.total == len(relaxed.hits)
    assert relaxed.notes == ("0 documents contain all the words; the others only some",)
    # Documents with all the words still come first.
    both = search(index, "asystent policja")
    assert both.hits[0].doc_id == KSIEGA.doc_id
    assert search(index, "asystent policja", require_all=True).total == 1
    pages = search_pages(index, "koordynator kuratorów")
    assert {m.doc_id for m in pages} >= {MODEL.doc_id, NEWS.doc_id}
    assert search_pages(index, "koordynator kuratorów", require_all=True) == []


def test_at_most_three_pages_per_document_also_with_exclusions(index: Path) -> None:
    query = "ośrodek OR rodzina OR asystent OR kooperacja"
    result = search(index, query)
    assert len(pages_of(result, KSIEGA.doc_id)) == 3  # all four pages match
    assert len(search_pages(index, query, limit=20)) > len(
        [p for h in result.hits for p in h.pages]
    )
    excluded = search(index, query + " -policja")
    assert 2 not in pages_of(excluded, KSIEGA.doc_id)  # page 2 has "policją"
    assert (
        set(doc_ids(excluded)) == set(doc_ids(result)) == {KSIEGA.doc_id, MODEL.doc_id, NEWS.doc_id}
    )
    assert excluded.total == result.total == 3
    assert search(index, "kooperacja OR przemoc").total == 3  # + PREZENTACJA (page 2)
    assert search(index, "kooperacja OR przemoc -policja").total == 2


def test_nominative_query_finds_other_case_not_in_vocabulary(tmp_path: Path) -> None:
    # The index holds only "gminach" (lemma gmina, stem "gmina"); "gminy" is not in its
    # vocabulary and is its own 5-letter stem, yet staff type the nominative.
    doc = IndexDoc(
        doc_id="0123456789ab",
        sha256="0123456789ab" + "0" * 52,
        fingerprint="f1",
        title="Raport",
        type="pilot-report",
        partners=("rops-gdansk",),
        year=2021,
        url="https://example.org/raport.pdf",
        status="online",
        media_type="application/pdf",
        pages=(PageText(1, "Zespoły działają w gminach miejsko-wiejskich od 2019 roku."),),
    )
    rebuild_index(tmp_path, [doc])
    result = search(tmp_path, "gminy miejsko-wiejskie")
    assert doc_ids(result) == [doc.doc_id]
    assert "<b>gminach miejsko-wiejskich</b>" in result.hits[0].pages[0].snippet
    assert doc_ids(search(tmp_path, '"gminy miejsko-wiejskich"')) == [doc.doc_id]
    assert search(tmp_path, "gminny").total == 0  # an adjective is not guessed as the noun


def test_polish_field_names_filter_as_the_english_ones(index: Path) -> None:
    assert doc_ids(search(index, "rodzina rodzaj:model")) == [MODEL.doc_id]
    assert doc_ids(search(index, "rodzina rodzaj:skrót")) == []
    assert doc_ids(search(index, "policja rok:2018")) == [PREZENTACJA.doc_id]
    assert set(doc_ids(search(index, "policja rok:2019..2021"))) == {KSIEGA.doc_id}
    assert doc_ids(search(index, "asystentów stan:usunięty")) == [NEWS.doc_id]
    assert doc_ids(search(index, "asystentów stan:usuniety")) == [NEWS.doc_id]
    assert NEWS.doc_id not in doc_ids(search(index, "asyst* -rodzaj:aktualnosci"))


def test_format_filter_by_media_type(index: Path) -> None:
    # NEWS is the one HTML page of the corpus; the others are PDFs.
    assert doc_ids(search(index, "asystentów format:strona")) == [NEWS.doc_id]
    assert doc_ids(search(index, "asystentów format:www")) == [NEWS.doc_id]
    pdfs = set(doc_ids(search(index, "rodzina format:pdf")))
    assert pdfs and NEWS.doc_id not in pdfs
    assert search(index, "rodzina format:doc").total == 0  # no Word file in the corpus
    assert search(index, "rodzina format:skan").total == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("rodzina kolor:zielony", "unknown field 'kolor:'"),
        ("rodzina autor:kowalski", "unknown field 'autor:'"),
        ("rodzina format:gif", "unknown format"),
        ("rodzina stan:xyz", "unknown status"),
        ("rodzina rok:abc", "expected a year"),
    ],
)
def test_unknown_fields_and_values_are_a_message_not_silence(
    index: Path, query: str, message: str
) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        search(index, query)


def test_words_with_a_colon_that_are_no_field_still_search(index: Path) -> None:
    # A time, a URL, an article number: no field name of letters before the colon.
    for query in ("godz. 10:30 rodzina", "https://rops.pl rodzina", "art.5:1 rodzina"):
        parse_query(query)


def test_query_errors_in_polish_name_polish_values() -> None:
    from kooperacja.i18n import error_message

    for query, wanted, unwanted in [
        ("type:xyz", ["nieznany rodzaj", "rekomendacje", "skrót", "sprawozdanie"],
         ["model-summary", "pilot-report"]),
        ("status:xyz", ["nieznany stan", "dostępny", "usunięty"], ["online, gone"]),
        ("year:abc", ["oczekiwano roku", "rok:2021"], ["expected"]),
        ("kolor:zielony", ["nieznane pole", "rodzaj:", "rok:"], ["unknown"]),
        ("format:gif", ["nieznany format", "skan"], ["unknown"]),
    ]:  # fmt: skip
        with pytest.raises(QuerySyntaxError) as caught:
            parse_query(query)
        polish = error_message(caught.value, "pl")
        assert all(w in polish for w in wanted), polish
        assert not any(u in polish for u in unwanted), polish
        assert "unknown" in error_message(caught.value, "en") or "expected" in str(caught.value)


def test_a_hit_names_its_format_and_a_scan_its_ocr_confidence(tmp_path: Path) -> None:
    scan = IndexDoc(
        doc_id="abcdef012345",
        sha256="abcdef012345" + "0" * 52,
        fingerprint="f1",
        title="Sprawozdanie (skan)",
        type="pilot-report",
        partners=("rops-gdansk",),
        year=2020,
        url="https://example.org/skan.pdf",
        status="online",
        media_type="application/pdf",
        pages=(PageText(1, "Sprawozdanie z pilotażu w gminach wiejskich.", source="ocr"),),
        format="scan",
        ocr_confidence=87.4,
    )
    word = replace(scan, doc_id="fedcba987654", sha256="fedcba987654" + "0" * 52,
                   title="Sprawozdanie (Word)", media_type="application/msword", format="",
                   ocr_confidence=None)  # fmt: skip
    rebuild_index(tmp_path, [scan, word])
    hits = {h.title: h for h in search(tmp_path, "sprawozdanie z pilotazu").hits}
    assert (hits["Sprawozdanie (skan)"].format, hits["Sprawozdanie (skan)"].ocr_confidence) == (
        "scan", 87.4)  # fmt: skip
    assert (hits["Sprawozdanie (Word)"].format, hits["Sprawozdanie (Word)"].ocr_confidence) == (
        "word", None)  # fmt: skip
    only = search(tmp_path, "sprawozdanie", SearchFilters(formats=("scan",)), with_facets=True)
    assert [h.title for h in only.hits] == ["Sprawozdanie (skan)"]
    assert only.facets["format"] == {"scan": 1, "word": 1}  # the other format stays on offer
