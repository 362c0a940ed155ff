"""tag_document on real link texts, real partner pages and real PDFs."""

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from kooperacja.errors import ConfigError
from kooperacja.tag.rules import default_rules, rules_from_config
from kooperacja.tag.tagging import TAG_VERSION, TagInput, tag_document

TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RULES = default_rules()
REGIONS = {"rops-gdansk": "pomorskie", "rops-torun": "kujawsko-pomorskie"}


def pdf_input(*link_texts: str, **changes: object) -> TagInput:
    base = TagInput(
        sha256="3f2a9c01b7de" + "0" * 52,
        media_type="application/pdf",
        link_texts=link_texts,
        urls=("https://rops.pomorskie.eu/documents/plik.pdf",),
        partners=("rops-gdansk",),
        partner_regions=REGIONS,
        found_on_texts=(),
        pdf_metadata={},
        pages=(),
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("link_text", "doc_type"),
    [  # real link texts from documents.csv and the Gdańsk project page
        ("Księga rekomendacyjna [pdf, 6 887KB]", "recommendations"),
        ("Księga Rekomendacyjna", "recommendations"),
        ("Założenia prawne współpracy instytucji [pdf, 260KB]", "other"),
        ("Schemat modelu kooperacji w gminach wiejskich [pdf, 123KB]", "other"),
        ("Harmonogram wdrażania modelu kooperacji w gminach wiejskich [pdf, 87KB]", "other"),
        ("Publikacja modelu kooperacji w gminach wiejskich [pdf, 1 950KB]", "model"),
        ("Ocena Zasobów Pomocy Społecznej w województwie podlaskim w roku 2012", "research"),
        ("KOOPERACJE 3D Model wielosektorowej współpracy na rzecz wsparcia osób i rodzin dla gmin "
         "powyżej 20 tys. mieszkańców (Katowice 12 lutego 2019)", "model"),
        ("KOOPERACJE 3D ... SYNTEZA", "model-summary"),
        ("1. Model kooperacji pomiędzy instytucjami pomocy i integracji społecznej, a podmiotami "
         "innych polityk sektorowych w gminach miejsko-wiejskich (całość) [pdf, 3.25MB]", "model"),
        ("2. Model kooperacji pomiędzy instytucjami pomocy i integracji społecznej, a podmiotami "
         "innych polityk sektorowych w gminach miejsko-wiejskich (wersja skrócona) [pdf, 1.45MB]",
         "model-summary"),
        ("3. Sprawozdanie z pilotażu modelu [pdf, 1.85MB]", "pilot-report"),
        ("4. Prezentacja – spotkanie edukacyjno-szkoleniowe dla gmin miejsko-wiejskich w dniu "
         "16.06.2021 [pdf, 3,12MB]", "presentation"),
        ("Raport z badań – diagnoza współpracy instytucji", "research"),
    ],
)  # fmt: skip
def test_type_from_real_link_texts(link_text: str, doc_type: str) -> None:
    tags = tag_document(pdf_input(link_text), RULES)
    assert tags.type == doc_type
    assert "link text" in tags.reasons["type"] or "title" in tags.reasons["type"]
    assert "[pdf" not in tags.title and "KB" not in tags.title


def test_gdansk_project_page_downloads() -> None:
    page = (SEEDS / "partner-project-page.txt").read_text(encoding="utf-8")
    lines = [ln.strip()[3:] for ln in page.splitlines() if ln.strip()[:2] in ("1.", "4.", "5.")]
    model, presentation, book = (
        tag_document(pdf_input(t, found_on_texts=(page,), found_on_dates=("2019-10-03",)), RULES)
        for t in lines
    )
    assert model.municipality_type == "gminy miejsko-wiejskie"
    assert model.title.endswith("w gminach miejsko-wiejskich (całość)")
    assert presentation.date == "2021-06-16" and presentation.year == 2021
    assert presentation.reasons["year"] == "date '16.06.2021' in the title"
    # The page lists downloads from 2019 and 2021: its lead date ("2 października br.") says
    # nothing about the book, so the book stays undated rather than wrongly dated.
    assert book.year is None and book.reasons["year"] == "no date found"
    assert (book.partner, book.region) == ("rops-gdansk", "pomorskie")


def test_news_page_date_is_used_for_its_attachment() -> None:
    page = (SEEDS / "partner-news-page.txt").read_text(encoding="utf-8")
    tags = tag_document(pdf_input("pobierz", found_on_texts=(page,)), RULES)
    assert (tags.year, tags.date) == (2019, "2019-10-23")
    assert "23 października 2019" in tags.reasons["date"]
    assert tags.reasons["date"].endswith("at the top of the linking page")


def test_br_resolved_with_the_linking_page_year() -> None:
    page = "W środę 2 października br. odbyło się spotkanie.\nPrezentacja ze spotkania [pdf, 1MB]"
    dated = pdf_input("Prezentacja ze spotkania [pdf, 1MB]", found_on_texts=(page,))
    assert tag_document(dated, RULES).year is None
    tags = tag_document(replace(dated, found_on_dates=("Thu, 03 Oct 2019 08:00:00 GMT",)), RULES)
    assert tags.date == "2019-10-02"


def test_html_news_page() -> None:
    text = (SEEDS / "partner-news-page.txt").read_text(encoding="utf-8")
    inp = pdf_input(
        media_type="text/html; charset=utf-8",
        pages=(text,),
        html_title="Spotkanie Powiatowej Grupy Decydentów | ROPS Gdańsk",
        last_modified="Mon, 28 Oct 2019 10:00:00 GMT",
    )
    tags = tag_document(inp, RULES)
    assert tags.type == "news" and tags.reasons["type"] == "HTML page"
    assert tags.title == "Spotkanie Powiatowej Grupy Decydentów"
    assert tags.date == "2019-10-23"
    assert tags.language == "pl"
    assert tags.municipality_type == "gminy miejsko-wiejskie"
    assert tags.pages == 1


def test_html_br_uses_last_modified_year() -> None:
    inp = pdf_input(
        media_type="text/html",
        pages=("W środę 2 października br. w Hotelu Zatoka w Gdańsku odbyło się spotkanie.",),
        last_modified="Fri, 04 Oct 2019 10:00:00 GMT",
    )
    assert tag_document(inp, RULES).date == "2019-10-02"


def _real_pdf(name: str, *link_texts: str) -> TagInput:
    reader = PdfReader(TESTDATA / "pdfs" / "pl" / name)
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
    pages = tuple(p.extract_text() or "" for p in reader.pages[:2])
    return pdf_input(*link_texts, pdf_metadata=meta, pages=pages)


def test_junk_pdf_title_falls_back_to_first_page_heading() -> None:
    tags = tag_document(_real_pdf("dzu_2020_poz18.pdf", "pobierz", "tutaj"), RULES)
    assert tags.title.startswith("ROZPORZĄDZENIE RADY MINISTRÓW z dnia 17 grudnia 2019 r.")
    assert tags.reasons["title"].startswith("first-page heading; PDF /Title 'Pozycja 18")
    assert tags.language == "pl"


def test_good_pdf_title_is_used_when_link_text_is_generic() -> None:
    tags = tag_document(_real_pdf("dzu_2020_poz6.pdf", "więcej"), RULES)
    assert tags.title.startswith("Obwieszczenie Marszałka Sejmu Rzeczypospolitej Polskiej")
    assert tags.reasons["title"] == "PDF metadata /Title"
    assert tags.year == 2019


def test_link_text_wins_over_pdf_title() -> None:
    inp = _real_pdf("dzu_2020_poz6.pdf", "Obwieszczenie o lasach [pdf, 600KB]")
    tags = tag_document(inp, RULES)
    assert tags.title == "Obwieszczenie o lasach"


def test_most_common_link_text_wins() -> None:
    inp = pdf_input("Księga rekomendacyjna", "pobierz", "Księga rekomendacyjna [pdf, 7MB]", "KR")
    tags = tag_document(inp, RULES)
    assert tags.title == "Księga rekomendacyjna"
    assert tags.reasons["title"] == "link text (2 of 4 links)"


def test_cover_date_and_pdf_creation_date() -> None:
    cover = ("Model kooperacji w gminach wiejskich\n\nToruń 2021\n",)
    agree = pdf_input(pages=cover, pdf_metadata={"/CreationDate": "D:20211023101500+02'00'"})
    tags = tag_document(agree, RULES)
    assert tags.date == "2021-10-23" and "agrees" in tags.reasons["date"]
    resaved = replace(agree, pdf_metadata={"/CreationDate": "D:20230105101500+02'00'"})
    tags = tag_document(resaved, RULES)
    assert (tags.year, tags.date) == (2021, None)
    assert "disagrees" in tags.reasons["year"]
    only_meta = replace(agree, pages=("Model kooperacji",))
    assert tag_document(only_meta, RULES).date == "2021-10-23"


def test_presentation_from_creator_and_landscape_pages() -> None:
    made = pdf_input(pdf_metadata={"/Creator": "Microsoft® PowerPoint® 2016"}, pages=("Slajd",))
    assert tag_document(made, RULES).type == "presentation"
    slides = pdf_input(pages=("a", "b", "c"), page_sizes=((842.0, 595.0),) * 3)
    tags = tag_document(slides, RULES)
    assert tags.type == "presentation" and "landscape" in tags.reasons["type"]


def test_type_from_first_pages_and_fallback_other() -> None:
    pages = ("Publikacja UMK\n\nRaport z badań: współpraca instytucji pomocy społecznej",)
    tags = tag_document(pdf_input("Publikacja UMK w Toruniu", pages=pages), RULES)
    assert (tags.type, tags.reasons["type"]) == ("research", "keyword 'raport z badan' on page 1")
    tags = tag_document(pdf_input(pages=pages), RULES)  # the heading is the title here
    assert tags.title.startswith("Publikacja UMK") and tags.reasons["title"] == "first-page heading"
    assert tag_document(pdf_input("Lista uczestników"), RULES).type == "other"


def test_language_partners_and_region() -> None:
    english = pdf_input(
        pages=("The model of cooperation between the institutions of social assistance and the "
               "partners of other policies is described in this report.",),
        partners=("rops-torun", "rops-gdansk", "rops-torun"),
    )  # fmt: skip
    tags = tag_document(english, RULES)
    assert tags.language == "en"
    assert tags.partners == ("rops-torun", "rops-gdansk")
    assert (tags.partner, tags.region) == ("rops-torun", "kujawsko-pomorskie")
    assert "also linked by rops-gdansk" in tags.reasons["partner"]
    nothing = tag_document(pdf_input(partners=()), RULES)
    assert (nothing.partner, nothing.region, nothing.title) == ("", "", "Plik")
    assert nothing.language == "und"


def test_municipality_types_several_on_pages() -> None:
    pages = ("Modele dla gmin wiejskich, gmin miejsko-wiejskich i gmin miejskich",)
    tags = tag_document(pdf_input("Księga rekomendacyjna", pages=pages), RULES)
    assert tags.municipality_type == ""
    assert "several" in tags.reasons["municipality_type"]
    urban = tag_document(pdf_input("Model kooperacji w gminach miejskich"), RULES)
    assert urban.municipality_type == "gminy miejskie"


def test_user_rules_extend_defaults() -> None:
    rules = rules_from_config(
        {
            "types": {"research": {"keywords": ["sprawozdanie merytoryczne"],
                                   "patterns": [r"\bankiet\w*"]}},
            "generic_link_texts": ["zobacz plik"],
        }
    )  # fmt: skip
    assert tag_document(pdf_input("Sprawozdanie merytoryczne 2020"), rules).type == "research"
    assert tag_document(pdf_input("Wyniki ankiety"), rules).type == "research"
    assert tag_document(pdf_input("Księga rekomendacyjna"), rules).type == "recommendations"
    assert tag_document(pdf_input("Zobacz plik"), rules).title == "Plik"
    assert rules.fingerprint() != RULES.fingerprint()
    assert rules_from_config(None).fingerprint() == RULES.fingerprint()


def test_invalid_rules_list_every_problem_with_dotted_paths() -> None:
    with pytest.raises(ConfigError) as info:
        rules_from_config(
            {
                "types": {
                    "model": {"keywords": ["model", "kooperacja", 5], "paterns": []},
                    "raport": {"keywords": []},
                    "research": {"patterns": ["(unclosed"]},
                },
                "junk_title": [],
                "generic_link_texts": "pobierz",
            }
        )
    problems = info.value.problems
    assert "tagging.types.model.keywords[2]: expected a string, got 5" in problems
    assert any(p.startswith("tagging.types.model: unknown key 'paterns' (did you mean 'patterns'")
               for p in problems)  # fmt: skip
    assert any(p.startswith("tagging.types: unknown key 'raport'") for p in problems)
    assert any(p.startswith("tagging.types.research.patterns[0]: invalid regular expression")
               for p in problems)  # fmt: skip
    assert any("'junk_title' (did you mean 'junk_titles'?)" in p for p in problems)
    assert "tagging.generic_link_texts: expected a list of strings, got str" in problems
    assert len(problems) == 6


def test_tag_version_is_an_int() -> None:
    assert isinstance(TAG_VERSION, int) and TAG_VERSION >= 1


def test_reasons_are_stored_as_codes_and_shown_in_polish() -> None:
    from kooperacja.exports.fields import reason_text, record_reasons
    from kooperacja.models import reasons_data, reasons_from_data

    inp = pdf_input("Księga rekomendacyjna 16.06.2021", partners=("rops-gdansk", "rops-torun"))
    tags = tag_document(replace(inp, pages=("Rekomendacje dla asystentów rodziny i policji " * 9,)),
                         RULES)
    assert tags.reasons["type"] == "keyword 'ksiega rekomendacyjna' in title"
    stored = {k: reasons_data(v) for k, v in tags.reason_codes.items()}
    assert stored["type"] == [
        {"code": "type.keyword_title", "params": {"keyword": "ksiega rekomendacyjna"}}
    ]
    record = {"tag_reasons": dict(tags.reasons), "tag_reason_codes": stored}
    polish = record_reasons(record, "pl")
    assert polish["type"] == "słowo kluczowe „ksiega rekomendacyjna” w tytule"
    assert polish["partner"] == (
        "pierwszy partner, który go podlinkował; podlinkowany też przez: rops-torun"
    )
    assert polish["year"] == "data „16.06.2021” w tytule"
    assert "polski" in polish["language"] and "stop words" not in polish["language"]
    assert record_reasons(record, "en")["type"] == tags.reasons["type"]
    # The English text of every reason is what reason_text gives in English.
    for name in tags.reason_codes:
        assert reason_text(reasons_from_data(stored[name]), "en") == tags.reasons[name] or (
            name == "language"  # English names the language ("Polish") where the text has "pl"
        )


def test_a_reason_names_the_partners_when_their_names_are_known() -> None:
    from kooperacja.exports.fields import record_reasons
    from kooperacja.models import reasons_data

    inp = pdf_input("Księga rekomendacyjna", partners=("rops-gdansk", "rops-torun", "umk"))
    tags = tag_document(inp, RULES)
    record = {"tag_reasons": dict(tags.reasons),
              "tag_reason_codes": {k: reasons_data(v) for k, v in tags.reason_codes.items()}}
    names = {"rops-torun": "Regionalny Ośrodek Polityki Społecznej w Toruniu"}
    assert record_reasons(record, "pl", names)["partner"] == (
        "pierwszy partner, który go podlinkował; podlinkowany też przez: "
        "Regionalny Ośrodek Polityki Społecznej w Toruniu, umk"  # an id no name is known for
    )

def test_a_rejected_pdf_title_nests_its_reason_and_old_english_reasons_still_show() -> None:
    from kooperacja.exports.fields import record_reasons
    from kooperacja.models import reasons_data

    tags = tag_document(_real_pdf("dzu_2020_poz18.pdf", "pobierz", "tutaj"), RULES)
    stored = {k: reasons_data(v) for k, v in tags.reason_codes.items()}
    polish = record_reasons({"tag_reasons": tags.reasons, "tag_reason_codes": stored}, "pl")
    assert polish["title"].startswith("nagłówek pierwszej strony; odrzucono tytuł z metadanych PDF")
    # A catalogue tagged before codes were stored, or a code this version does not know.
    old = {"tag_reasons": {"type": "keyword 'model' in title", "year": "no date found"},
           "tag_reason_codes": {"year": [{"code": "date.someday", "params": {}}]}}
    assert record_reasons(old, "pl") == {"type": "keyword 'model' in title",
                                         "year": "no date found"}
