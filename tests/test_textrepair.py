"""kooperacja.extract.textrepair on synthetic cases and on the real Dziennik Ustaw / Civil Code
PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kooperacja.extract.textrepair import repair_page_text, strip_repeated_margins

PDFS = Path(__file__).parents[2] / "shared" / "testdata" / "pdfs" / "pl"
needs_pdfs = pytest.mark.skipif(not PDFS.is_dir(), reason=f"{PDFS} not present")


def pdfium_pages(path: Path) -> list[str]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def pypdf_pages(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def no_dictionary(word: str) -> bool:
    raise AssertionError(f"dictionary consulted for {word!r}")


@pytest.mark.parametrize(
    ("raw", "repaired"),
    [
        ("współ\ufffe\r\npraca", "współpraca"),
        ("zarzą\ufffedza się", "zarządza się"),
        ("współ-\npraca gmin", "współpraca gmin"),
        ("gmin miejsko-\nwiejskich", "gmin miejsko-wiejskich"),
        ("model społeczno-\r\nzawodowy", "model społeczno-zawodowy"),
        ("Bielsko-\nBiała", "Bielsko-Biała"),
        ("R O Z P O R Z Ą D Z E N I E\r\nMINISTRA", "ROZPORZĄDZENIE\nMINISTRA"),
        ("P R E Z E S A  R A D Y  M I N I S T R Ó W", "PREZESA RADY MINISTRÓW"),
        ("U S T AWA\r\nz dnia 23 kwietnia 1964 r.", "USTAWA\nz dnia 23 kwietnia 1964 r."),
        ("\ufb01nansowanie i \ufb02aga, e\ufb00ekt", "finansowanie i flaga, effekt"),
        ("pomo\u00adcy spo\u00ad\nłecznej", "pomocy społecznej"),
        ("Zaz\u0307o\u0301łc\u0301", "Zażółć"),  # decomposed → NFC
        ("a)  ust. 2 i 3\t\totrzymują", "a) ust. 2 i 3 otrzymują"),
        ("linia\r\n\r\n\r\n\r\nnastępna", "linia\n\nnastępna"),
    ],
)
def test_repairs(raw: str, repaired: str) -> None:
    assert repair_page_text(raw, is_word=no_dictionary) == repaired


def test_join_settled_by_the_page_itself() -> None:
    text = "Państwo-\nwa Straż Pożarna. Państwowa Straż Pożarna działa."
    assert repair_page_text(text, is_word=no_dictionary).startswith("Państwowa Straż")


def test_ambiguous_o_ending_asks_the_dictionary() -> None:
    words = {"równowartość", "równo", "naukowo", "badawczy"}
    assert repair_page_text("równo-\nwartość", is_word=words.__contains__) == "równowartość"
    assert repair_page_text("naukowo-\nbadawczy", is_word=words.__contains__) == "naukowo-badawczy"


def test_lists_of_single_lowercase_letters_are_not_joined() -> None:
    text = "pkt 1 lit. a i b oraz ust. 2 i 3"
    assert repair_page_text(text, is_word=no_dictionary) == text


@needs_pdfs
def test_real_act_pdfium_breaks_are_joined() -> None:
    raw = pdfium_pages(PDFS / "dzu_2020_poz1.pdf")[0]
    assert "\ufffe" in raw
    text = repair_page_text(raw)
    assert "\ufffe" not in text and "\r" not in text
    assert "zarządza się, co następuje" in text
    assert "następujące wymogi" in text
    assert "ROZPORZĄDZENIE" in text


@needs_pdfs
def test_real_act_pypdf_line_hyphens_are_joined() -> None:
    # pypdf keeps the layout's line-end hyphens as "-\n": the same words must come out whole.
    text = repair_page_text(pypdf_pages(PDFS / "dzu_2020_poz1.pdf")[0])
    assert "zarządza się" in text
    assert "następujące wymogi" in text
    assert not re.search(r"\w-\n\w", text)


@needs_pdfs
def test_real_civil_code_spaced_heading_and_compound() -> None:
    pages = pdfium_pages(PDFS / "kodeks_cywilny_isap.pdf")[:2]
    first = repair_page_text(pages[0])
    assert "USTAWA" in first.split("\n")
    assert "U S T" not in first
    assert "społeczno-gospodarczym" in first


@needs_pdfs
@pytest.mark.parametrize("name", ["dzu_2020_poz10.pdf", "dzu_2020_poz5.pdf"])
def test_real_pdfs_repair_leaves_no_broken_words(name: str) -> None:
    for raw in pdfium_pages(PDFS / name):
        text = repair_page_text(raw)
        assert "\ufffe" not in text and "\u00ad" not in text
        assert "  " not in text
        assert text == repair_page_text(text)  # idempotent


@needs_pdfs
def test_real_repeated_headers_are_stripped() -> None:
    pages = [repair_page_text(p) for p in pdfium_pages(PDFS / "kodeks_cywilny_isap.pdf")[:12]]
    assert all(p.startswith("©Kancelaria Sejmu") for p in pages)
    stripped = strip_repeated_margins(pages)
    assert len(stripped) == len(pages)
    for page in stripped:
        assert "Kancelaria Sejmu" not in page
        assert "2025-11-13" not in page
    assert "Art. 6. Ciężar udowodnienia faktu" in stripped[1]


@needs_pdfs
def test_real_act_running_header_with_page_numbers() -> None:
    name = max(PDFS.glob("dzu_*.pdf"), key=lambda p: len(pdfium_pages(p)))
    pages = [repair_page_text(p) for p in pdfium_pages(name)]
    assert sum("Dziennik Ustaw –" in p for p in pages) >= len(pages) - 1
    stripped = strip_repeated_margins(pages)
    assert not any(re.search(r"Dziennik Ustaw – \d+ – Poz\.", p) for p in stripped)
    assert sum(len(p) for p in stripped) > 0.9 * sum(len(p) for p in pages)


def test_margins_kept_on_short_documents_and_unique_lines() -> None:
    pages = ["Raport\ntreść pierwsza", "Raport\ntreść druga"]
    assert strip_repeated_margins(pages) == pages
    words = ["rodzina", "gmina", "policja", "szkoła", "sąd"]
    pages = [f"Model kooperacji\nO {w}: tekst strony.\nStrona {i} z 5" for i, w in enumerate(words)]
    stripped = strip_repeated_margins(pages)
    assert stripped == [f"O {w}: tekst strony." for w in words]
    # A page made only of repeated lines keeps them (nothing else would be left).
    assert strip_repeated_margins(["A\nB"] * 4) == ["A\nB"] * 4
