"""kooperacja.extract.abbreviations: a document's own list of abbreviations read into pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kooperacja.extract.abbreviations import abbreviation_pairs, is_heading, looks_short
from kooperacja.extract.extraction import extract_pdf

ROOT = Path(__file__).resolve().parents[1]
ACTS = ROOT.parent / "shared" / "testdata" / "pdfs" / "pl"


def _book_page(number: int) -> str:
    """A page of the demo's recommendation book as pdfium reads its PDF (bench/data/demo-pl)."""
    wanted = f"ksiega_rekomendacyjna#p{number}"
    with open(ROOT / "bench" / "data" / "demo-pl" / "corpus.jsonl", encoding="utf-8") as fh:
        return next(r["text"] for r in map(json.loads, fh) if r["_id"] == wanted)


def test_the_books_list_of_abbreviations_as_its_pdf_gives_it():
    # A two-column table: "CIS centrum integracji społecznej", a long form wrapped under a
    # short one ("GKRPA" / "gminna komisja … problemów" / "alkoholowych"), the footer after it.
    pairs = dict(abbreviation_pairs([_book_page(4), _book_page(5), _book_page(6)]))
    assert pairs["PCPR"] == "powiatowe centrum pomocy rodzinie"
    assert pairs["KGW"] == "koło gospodyń wiejskich"
    assert pairs["MGOPS"] == "miejsko-gminny ośrodek pomocy społecznej"
    assert pairs["GKRPA"] == "gminna komisja rozwiązywania problemów alkoholowych"
    assert pairs["ZI"] == "zespół interdyscyplinarny ds. przeciwdziałania przemocy w rodzinie"
    assert pairs["RGR"] == "Regionalna Grupa Refleksyjna"
    assert len(pairs) == 19
    assert not any("Projekt" in long or "Strona" in long for long in pairs.values())


def test_lists_written_with_dashes_colons_and_tabs():
    page = "\n".join(
        [
            "Raport z badań 2019",
            "WYKAZ STOSOWANYCH SKRÓTÓW:",
            "PCPR – Powiatowe Centrum Pomocy Rodzinie",
            "OPS - ośrodek pomocy społecznej",
            "MRPiPS: Ministerstwo Rodziny, Pracy i",
            "Polityki Społecznej",
            "ŚDS\tśrodowiskowy dom samopomocy",
            "",
            "1. Wstęp",
            "W 2019 r. PCPR w Toruniu prowadził 12 rodzin zastępczych.",
        ]
    )
    assert abbreviation_pairs([page]) == (
        ("PCPR", "Powiatowe Centrum Pomocy Rodzinie"),
        ("OPS", "ośrodek pomocy społecznej"),
        ("MRPiPS", "Ministerstwo Rodziny, Pracy i Polityki Społecznej"),
        ("ŚDS", "środowiskowy dom samopomocy"),
    )


def test_a_list_goes_on_over_the_page_break_and_ends_with_the_text():
    first = "Objaśnienia skrótów\nCUS – centrum usług społecznych\nKIS – klub integracji społecznej"
    second = "Strona 4\nNGO – organizacja pozarządowa\n\nRozdział 1\nOPS – to nie jest już lista"
    pairs = abbreviation_pairs([first, second])
    assert [short for short, _ in pairs] == ["CUS", "KIS", "NGO"]
    tail = "\n".join(["Wykaz skrótów", "PUP – powiatowy urząd pracy", *["Tekst."] * 6,
                      "ZAZ – zakład aktywności zawodowej"])  # fmt: skip
    assert abbreviation_pairs([tail]) == (("PUP", "powiatowy urząd pracy"),)


def test_no_list_no_pairs():
    # A table of contents names the list with its page; the text uses abbreviations freely.
    toc = "Spis treści\nWykaz skrótów ........ 5\nWstęp 7\nROZDZIAŁ 1 Rekomendacje systemowe 9"
    text = "PCPR – Powiatowe Centrum Pomocy Rodzinie współpracuje z OPS.\nKGW – koło gospodyń"
    assert abbreviation_pairs([toc, text]) == ()
    assert is_heading("Wykaz skrótów") and is_heading("SKRÓTY I OZNACZENIA")
    assert is_heading("Wykaz stosowanych skrótów") and is_heading("Objaśnienia skrótów:")
    assert not is_heading("Wykaz skrótów 5") and not is_heading("Skróty są w tekście wyjaśnione")


def test_what_an_abbreviation_looks_like():
    for short in ("PCPR", "ŚDS", "MRPiPS", "NGO", "ZI", "M-GOPS"):
        assert looks_short(short), short
    for word in ("Kooperacja", "i", "ROZDZIAŁY", "Skrót", "24", "ds."):
        assert not looks_short(word), word


@pytest.mark.parametrize("name", ["dzu_2020_poz17.pdf", "dzu_2020_poz19.pdf", "dzu_2020_poz2.pdf"])
def test_real_acts_without_a_list_give_no_pairs(name):
    path = ACTS / name
    if not path.exists():
        pytest.skip(f"{path} missing (../shared/testdata)")
    pages = [p.text for p in extract_pdf(path).pages]
    assert len(pages) > 1 and any("Rozdział" in p or "§" in p for p in pages)
    assert abbreviation_pairs(pages) == ()
