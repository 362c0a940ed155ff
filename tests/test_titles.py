"""Title cleaning, junk metadata titles and first-page headings, on real material."""

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader

from kooperacja.tag.rules import default_rules
from kooperacja.tag.titles import (
    clean_link_text,
    heading_from_page,
    humanize_filename,
    is_generic_link_text,
    junk_title_reason,
    looks_like_filename,
    repair_metadata_string,
    size_from_text,
)
from kooperacja.text import ascii_slug

TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"
PDFS = TESTDATA / "pdfs" / "pl"
DOCUMENTS_CSV = TESTDATA / "pages" / "documents.csv"
RULES = default_rules()
# Without ../shared beside the repository these tests are skipped, saying what is missing (read at
# import, the missing file was a collection error that stopped the whole run).
needs_testdata = pytest.mark.skipif(
    not (DOCUMENTS_CSV.is_file() and PDFS.is_dir()), reason=f"test material missing: {TESTDATA}"
)


def raw_link_texts() -> list[tuple[str, str]]:
    """(link text as printed on the page, expected clean title) from documents.csv."""
    if not DOCUMENTS_CSV.is_file():
        return []
    rows = list(csv.DictReader(DOCUMENTS_CSV.open(encoding="utf-8")))
    out = []
    for row in rows:
        text, size, note = row["link_text"], row["size"], row["note"]
        if text.startswith("("):
            continue  # the note describes a link whose text was not stored
        if note.startswith("[pdf"):
            out.append((f"{text} [pdf, {size}]", text))
        elif "glued" in note:
            out.append((f"{text}{size}", text))
        else:
            out.append((text, text.rstrip(":")))
    return out


@needs_testdata
def test_documents_csv_has_the_real_cases() -> None:
    cases = dict(raw_link_texts())
    assert "Księga rekomendacyjna [pdf, 6 887KB]" in cases
    assert "pdfogloszenie-5.pdf564.03 KB" in cases
    assert len(cases) >= 10


@needs_testdata
@pytest.mark.parametrize(("raw", "expected"), raw_link_texts() or [("", "")])
def test_clean_link_text_on_documents_csv(raw: str, expected: str) -> None:
    cleaned = clean_link_text(raw)
    if expected == "pdfogloszenie-5.pdf":
        assert cleaned == "ogloszenie-5.pdf"  # format prefix, file name and size glued
        assert looks_like_filename(cleaned)
    else:
        assert cleaned == expected
        assert "KB" not in cleaned and "[" not in cleaned


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1. Model kooperacji (całość) [pdf, 3.25MB]", "Model kooperacji (całość)"),
        ("2. Model kooperacji (wersja skrócona) [pdf, 1.45MB]",
         "Model kooperacji (wersja skrócona)"),
        ("Raport z badań (pdf 1,2 MB)", "Raport z badań"),
        ("Prezentacja – spotkanie w dniu 16.06.2021 [pdf, 3,12MB]",
         "Prezentacja – spotkanie w dniu 16.06.2021"),
        ("„Księga rekomendacyjna”  [PDF]", "Księga rekomendacyjna"),
        ("Diagnoza (PDF, 245 kB)", "Diagnoza"),
        ("Harmonogram 87KB", "Harmonogram"),
        ("Kooperacje 3D (Katowice 12 lutego 2019)", "Kooperacje 3D (Katowice 12 lutego 2019)"),
    ],
)  # fmt: skip
def test_clean_link_text_forms(raw: str, expected: str) -> None:
    assert clean_link_text(raw) == expected


def test_sizes_as_printed() -> None:
    assert size_from_text("[pdf, 6 887KB]") == 6887 * 1024
    assert size_from_text("pdfogloszenie-5.pdf564.03 KB") == round(564.03 * 1024)
    assert size_from_text("[pdf, 3,12MB]") == round(3.12 * 1024**2)
    assert size_from_text("Księga Rekomendacyjna") is None


@pytest.mark.parametrize("text", ["pobierz", "Pobierz plik", "TUTAJ", "więcej", "Więcej »", "pdf",
                                  "Dokumenty do pobrania", "czytaj wiecej", "12"])  # fmt: skip
def test_generic_link_texts(text: str) -> None:
    assert is_generic_link_text(text, RULES.generic_link_texts)


def test_real_link_texts_are_not_generic() -> None:
    assert not is_generic_link_text("Księga rekomendacyjna", RULES.generic_link_texts)
    assert not is_generic_link_text("Sprawozdanie z pilotażu modelu", RULES.generic_link_texts)


def test_humanize_and_slug() -> None:
    assert humanize_filename("ogloszenie-5.pdf") == "Ogloszenie 5"
    assert humanize_filename("Ksi%C4%99ga_rekomendacyjna.pdf") == "Księga rekomendacyjna"
    assert ascii_slug("Księga rekomendacyjna – Łódź, żółć") == "ksiega-rekomendacyjna-lodz-zolc"


def _info(name: str) -> dict[str, str]:
    return {k: str(v) for k, v in (PdfReader(PDFS / name).metadata or {}).items()}


@needs_testdata
def test_the_two_real_junk_producers_are_found_and_repaired() -> None:
    junk = sorted(
        p.name
        for p in PDFS.glob("*.pdf")
        if junk_title_reason(_info(p.name).get("/Producer", "x x x"), ()) is not None
    )
    assert junk == ["dzu_2020_poz17.pdf", "dzu_2020_poz6.pdf"]
    producer = _info("dzu_2020_poz6.pdf")["/Producer"]
    assert producer.startswith("þÿ")
    assert junk_title_reason(producer, ()) == "undecoded bytes"
    assert repair_metadata_string(producer).startswith("Microsoft® Word 2010; modified using iText")


def test_utf16_damage_is_detected_and_repaired() -> None:
    raw_bytes = b"\xfe\xffMicrosoft\xae Word 2010"
    as_cjk = raw_bytes[2:].decode("utf-16-be", "replace")  # what a BOM-trusting reader shows
    assert junk_title_reason(as_cjk, ()) is not None
    assert repair_metadata_string(as_cjk).startswith("Microsoft® Word 2010")
    no_bom = "Księga".encode("utf-16-be").decode("latin-1")  # UTF-16 without BOM, byte by byte
    assert junk_title_reason(no_bom, ()) is not None
    assert repair_metadata_string(no_bom) == "Księga"


@pytest.mark.parametrize(
    "title",
    ["Microsoft Word - dok1.docx", "Untitled", "Dokument1", "dok1.docx", "KsiÄ™ga rekomendacyjna",
     "Prezentacja programu PowerPoint", "", "   ", "x1"],
)  # fmt: skip
def test_junk_titles(title: str) -> None:
    assert junk_title_reason(title, RULES.junk_titles) is not None


@needs_testdata
def test_real_titles() -> None:
    # The Dziennik Ustaw working titles are office references, the Civil Code's is generic...
    for name in ("dzu_2020_poz1.pdf", "dzu_2020_poz18.pdf", "kodeks_cywilny_isap.pdf"):
        assert junk_title_reason(_info(name)["/Title"], RULES.junk_titles) is not None, name
    # ...while the two Word-made acts carry a real title.
    title = _info("dzu_2020_poz6.pdf")["/Title"]
    assert title.startswith("Obwieszczenie Marszałka Sejmu")
    assert junk_title_reason(title, RULES.junk_titles) is None
    assert junk_title_reason("Księga rekomendacyjna", RULES.junk_titles) is None


@needs_testdata
def test_heading_from_real_first_pages() -> None:
    page = PdfReader(PDFS / "dzu_2020_poz1.pdf").pages[0].extract_text()
    heading = heading_from_page(page, RULES.heading_skip, RULES.heading_stop)
    assert heading.startswith("ROZPORZĄDZENIE MINISTRA FINANSÓW z dnia 23 grudnia 2019 r.")
    assert "DZIENNIK USTAW" not in heading and "1)" not in heading
    page = PdfReader(PDFS / "kodeks_cywilny_isap.pdf").pages[0].extract_text()
    assert heading_from_page(page, RULES.heading_skip, RULES.heading_stop) == (
        "USTAWA z dnia 23 kwietnia 1964 r. Kodeks cywilny"
    )


def test_heading_skips_eu_boilerplate() -> None:
    page = (
        "Fundusze Europejskie\nWiedza Edukacja Rozwój\nRzeczpospolita Polska\n"
        "Unia Europejska\nEuropejski Fundusz Społeczny\n\n"
        "Model kooperacji pomiędzy instytucjami pomocy\ni integracji społecznej\n\nToruń 2021\n"
    )
    assert heading_from_page(page, RULES.heading_skip, RULES.heading_stop) == (
        "Model kooperacji pomiędzy instytucjami pomocy i integracji społecznej"
    )
