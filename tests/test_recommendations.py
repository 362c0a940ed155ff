"""Recommendations as records (issue 20): the parser on the demo's real recommendation book (as
the demo renders it, and flowed over page breaks with its running headers and page numbers), on
the shapes models and reports use, the addressee kinds, the catalogue table and editions."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.recommendations import addressed_alike, recommendation_records
from kooperacja.extract.extraction import extract_pdf
from kooperacja.extract.recommendations import find_recommendations
from kooperacja.models import PageText, Recommendation, addressee_kinds, resolve_addressee_kind
from tests.pdfgen import make_pdf

DEMO = Path(__file__).resolve().parents[1] / "demo"


def _book_meta() -> dict:
    sys.path.insert(0, str(DEMO))
    from build_site import load_corpus

    return next(m for m in load_corpus() if m["source"] == "ksiega_rekomendacyjna.md")


def _extracted(tmp_path: Path, meta: dict) -> list[PageText]:
    from build_site import render_pdf

    path = tmp_path / "ksiega.pdf"
    path.write_bytes(render_pdf(meta))
    extraction = extract_pdf(path)
    assert extraction.text_status == "ok"
    return list(extraction.pages)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> tuple[Recommendation, ...]:
    """The demo's recommendation book, rendered and extracted as the demo's update does."""
    pages = _extracted(tmp_path_factory.mktemp("book"), _book_meta())
    return find_recommendations(pages)


def test_the_books_thirty_recommendations_with_numbers_titles_and_pages(book):
    assert [r.number for r in book] == list(range(1, 31))  # none from the table of contents
    by_number = {r.number: r for r in book}
    r24 = by_number[24]
    # the heading wraps in the PDF ("… z dzielnicowymi" / "Policji"): one title again
    assert r24.title == "Współpraca asystentów rodziny z dzielnicowymi Policji"
    assert (r24.page, r24.page_label, r24.last_page) == (31, "26", 31)
    assert r24.addressees == (
        "ośrodki pomocy społecznej zatrudniające asystentów rodziny",
        "komendy powiatowe i miejskie Policji",
    )  # wrapped over two lines in the PDF
    assert r24.addressee_kinds == ("OPS", "Policja")
    assert r24.text.startswith("Asystent rodziny pracuje z rodziną w jej domu")
    assert r24.text.endswith("asystent pozostaje przede wszystkim osobą\nwspierającą rodzinę.")
    assert "Adresaci" not in r24.text and "Rekomendacja 24" not in r24.text
    # "ministerstwo właściwe ds." / "cyfryzacji.": an abbreviation is no end of the list
    assert by_number[30].addressees[-1] == "ministerstwo właściwe ds. cyfryzacji"
    # the chapter heading at the top of the next page is not part of the one before
    assert "Policja i wymiar sprawiedliwości" not in by_number[22].text
    assert "Zakończenie" not in by_number[30].text  # nor the book's closing chapter
    assert by_number[25].addressee_kinds == ("sąd", "OPS")
    assert by_number[26].addressee_kinds == ("PUP", "OPS")


def test_recommendations_flowing_over_page_breaks_lose_the_running_lines(tmp_path):
    """The book's recommendation chapters set again 40 lines a page, with a running title and a
    page footer, as a PDF: recommendations start mid-page and run on over page breaks."""
    pages = _extracted(tmp_path, _book_meta())
    lines = [line for p in pages[7:37] for line in p.text.splitlines() if line.strip()]
    per_page = 40
    texts = [
        "Kooperacja – efektywna i skuteczna. Księga rekomendacyjna\n"
        + "\n".join(lines[i : i + per_page])
        + f"\nStrona {n}"
        for n, i in enumerate(range(0, len(lines), per_page), start=1)
    ]
    reset = tmp_path / "reset.pdf"
    reset.write_bytes(make_pdf(texts))
    found = {r.number: r for r in find_recommendations(extract_pdf(reset).pages)}
    assert sorted(found) == list(range(1, 31))
    spanning = [r for r in found.values() if r.last_page > r.page]
    assert len(spanning) >= 5, "set 40 lines a page, several run over a page break"
    original = {r.number: r for r in find_recommendations(pages)}
    for r in found.values():
        assert r.text == original[r.number].text, r.number  # no running line, no page number
        assert (r.title, r.addressees) == (original[r.number].title, original[r.number].addressees)


def test_shapes_of_models_and_reports_and_what_is_no_heading():
    pages = [
        PageText(1, "Spis treści\nRekomendacja nr 1 …… 2\nRekomendacja nr 2 …… 3", label="i"),
        PageText(
            2,
            "Rekomendacja nr 1\nWspółpraca z sądem rodzinnym\nAdresat: sądy rodzinne.\n"
            "Sądy rodzinne powinny informować ośrodek o postanowieniach.\n"
            "Rekomendacja 5 została już wdrożona w dwóch gminach.",
            label="2",
        ),
        PageText(
            3,
            "Rekomendacja 2: Dyżury pracowników socjalnych w szkołach\n"
            "Adresaci: dyrektorzy szkół, gminne ośrodki pomocy społecznej;\n"
            "Pracownik socjalny pełni dyżur w szkole raz w tygodniu, a pedagog szkolny współ-",
            label="3",
        ),
        PageText(4, "pracuje z nim przy każdej sprawie.\n2. Wnioski końcowe\nTekst po.", label="4"),
    ]
    found = find_recommendations(pages)
    assert [(r.number, r.title, r.page, r.page_label) for r in found] == [
        (1, "Współpraca z sądem rodzinnym", 2, "2"),
        (2, "Dyżury pracowników socjalnych w szkołach", 3, "3"),
    ]
    one, two = found
    assert one.addressees == ("sądy rodzinne",) and one.addressee_kinds == ("sąd",)
    assert "Rekomendacja 5" in one.text  # a sentence about a recommendation is its text
    assert two.addressee_kinds == ("szkoła", "OPS")
    assert two.text.endswith("pedagog szkolny współpracuje z nim przy każdej sprawie.")
    assert "Wnioski" not in two.text and two.last_page == 4


def test_addressee_kinds_from_inflected_polish():
    assert addressee_kinds("dzielnicowi Policji") == ("Policja",)
    assert addressee_kinds("sądy rodzinne") == ("sąd",)
    assert addressee_kinds("powiatowe centra pomocy rodzinie") == ("PCPR",)
    assert addressee_kinds("komendanci powiatowi Policji") == ("Policja",)  # not "powiat"
    assert addressee_kinds("gminne ośrodki pomocy społecznej") == ("OPS",)  # not "gmina"
    assert addressee_kinds("regionalne ośrodki polityki społecznej") == ("ROPS",)
    assert addressee_kinds("organizacje pozarządowe") == ("NGO",)  # not government
    assert addressee_kinds("szkolenia dla pracowników") == ("inne",)  # training is no school
    assert resolve_addressee_kind("policja") == "Policja"
    assert resolve_addressee_kind("SAD") == "sąd"
    assert resolve_addressee_kind("szkoly") == "szkoła"
    assert resolve_addressee_kind("powiatowe urzędy pracy") == "PUP"
    assert resolve_addressee_kind("nic takiego") is None


def _rec(number: int, kinds: tuple[str, ...], page: int = 3) -> Recommendation:
    return Recommendation(number, f"Tytuł {number}", ("adresat",), kinds, "Treść.", page, "", page)


def test_one_record_per_document_and_editions_linked(tmp_path):
    with Catalog(tmp_path) as catalog:
        with catalog.transaction():
            for sha, year in (("a" * 64, 2019), ("b" * 64, 2021), ("c" * 64, 2021)):
                catalog.add_document(sha, "application/pdf", 10, f"blobs/{sha[:2]}/{sha}.pdf")
                title = "Księga rekomendacyjna" if sha != "c" * 64 else "Model kooperacji"
                catalog.set_tags(sha, {"title": title, "type": "recommendations", "year": year}, 1)
            catalog.set_recommendations("a" * 64, [_rec(1, ("OPS",)), _rec(2, ("sąd",))], 1)
            new = [_rec(1, ("OPS", "Policja")), _rec(3, ("Policja",))]
            catalog.set_recommendations("b" * 64, new, 1)
            catalog.set_recommendations("c" * 64, [_rec(1, ("szkoła", "OPS", "Policja"))], 1)
            catalog.set_recommendations("b" * 64, new, 1)  # read again: replaced, not doubled
        records = {r["id"]: r for r in recommendation_records(catalog)}
        policja = [r["id"] for r in recommendation_records(catalog, "Policja")]
    assert sorted(records) == [
        "aaaaaaaaaaaa-1", "aaaaaaaaaaaa-2", "bbbbbbbbbbbb-1", "bbbbbbbbbbbb-3", "cccccccccccc-1",
    ]  # fmt: skip
    assert records["bbbbbbbbbbbb-1"]["previous"] == "aaaaaaaaaaaa-1"  # the older edition
    assert records["aaaaaaaaaaaa-1"]["next"] == "bbbbbbbbbbbb-1"
    assert records["bbbbbbbbbbbb-3"]["previous"] is None  # new in this edition
    assert records["cccccccccccc-1"]["previous"] is None  # another title: another book
    assert policja == ["bbbbbbbbbbbb-1", "bbbbbbbbbbbb-3", "cccccccccccc-1"]
    alike = addressed_alike(list(records.values()), records["bbbbbbbbbbbb-1"])
    assert [(kind, [r["id"] for r in found]) for kind, found in alike] == [
        ("OPS", ["aaaaaaaaaaaa-1", "cccccccccccc-1"]),
        ("Policja", ["bbbbbbbbbbbb-3", "cccccccccccc-1"]),
    ]  # "sąd" alone (aaaaaaaaaaaa-2) is addressed to none of its institutions
    assert records["aaaaaaaaaaaa-1"]["heading"] == "Rekomendacja 1. Tytuł 1"


def test_a_recommendation_is_read_again_when_its_document_is(tmp_path):
    """Extraction again (e.g. by OCR) makes the document's recommendations due again."""
    pdf = tmp_path / "blobs" / "dd" / ("d" * 64 + ".pdf")
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(make_pdf(["Rekomendacja 1. Asystent rodziny\nAdresaci: Policja.\nTekst."]))
    with Catalog(tmp_path) as catalog:
        with catalog.transaction():
            catalog.add_document("d" * 64, "application/pdf", 9, f"blobs/dd/{'d' * 64}.pdf")
            catalog.set_extracted("d" * 64, "ok", None, 1, {}, 2)
        assert [d.sha256 for d in catalog.to_read_recommendations(1)] == ["d" * 64]
        with catalog.transaction():
            catalog.set_recommendations("d" * 64, [replace(_rec(1, ("Policja",)))], 1)
        assert catalog.to_read_recommendations(1) == []
        with catalog.transaction():
            catalog.set_extracted("d" * 64, "ocr", None, 1, {}, 2)
        assert [d.sha256 for d in catalog.to_read_recommendations(1)] == ["d" * 64]


def test_page_furniture_left_in_stored_text_is_no_part_of_a_recommendation():
    """Text read by OCR, or a PDF too short for the margin repair, keeps its running title and
    page numbers: a recommendation running over those pages leaves them out."""
    body = [
        "Rekomendacja 7. Aktywne wyszukiwanie osób potrzebujących wsparcia\n"
        "Adresaci: gminne ośrodki pomocy społecznej, szkoły, Policja.\n"
        "Mieszkańcy wsi rzadko sami zgłaszają się po pomoc.",
        "W gminach wiejskich należy zorganizować aktywne wyszukiwanie osób,\n"
        "w którym uczestniczą pielęgniarki, pedagodzy i dzielnicowi.",
        "Rekomendacja 8. Włączenie liderów społeczności lokalnych\nAdresaci: gminy wiejskie.\n"
        "Sołtysi i koła gospodyń wiejskich znają potrzeby mieszkańców.",
        "Liderzy lokalni pomagają dotrzeć do rodzin.",
    ]
    pages = [
        PageText(n, f"Księga rekomendacyjna 2021 – wydanie {n % 2 + 1}\n{text}\n- {n + 8} -",
                 label=str(n + 8))
        for n, text in enumerate(body, start=1)
    ]  # fmt: skip
    seven, eight = find_recommendations(pages)
    assert seven.text == (
        "Mieszkańcy wsi rzadko sami zgłaszają się po pomoc.\n"
        "W gminach wiejskich należy zorganizować aktywne wyszukiwanie osób,\n"
        "w którym uczestniczą pielęgniarki, pedagodzy i dzielnicowi."
    )
    assert (seven.page, seven.last_page, seven.page_label) == (1, 2, "9")
    assert eight.text.endswith("Liderzy lokalni pomagają dotrzeć do rodzin.")
    assert "Księga" not in eight.text and "- 12 -" not in eight.text
