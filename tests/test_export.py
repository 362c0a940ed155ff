"""Every export format written and parsed back, with Polish values."""

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kooperacja.errors import UsageError
from kooperacja.exports.export import (
    CONTRACT_FIELDS,
    DUBLIN_CORE,
    FORMATS,
    bundle_name,
    export_bundle,
    export_records,
    filter_records,
)

PDF_BYTES = b"%PDF-1.4\n% Ksiega rekomendacyjna\n%%EOF\n"
PDF_SHA = hashlib.sha256(PDF_BYTES).hexdigest()


def record(**changes: object) -> dict:
    base = {
        "doc_id": PDF_SHA[:12],
        "sha256": PDF_SHA,
        "title": "Księga rekomendacyjna – „Kooperacja”; żółć, łódź",
        "type": "recommendations",
        "partner": "rops-gdansk",
        "partners": ["rops-gdansk", "rops-torun"],
        "region": "pomorskie",
        "year": 2021,
        "date": "2021-06-16",
        "language": "pl",
        "pages": 120,
        "size_bytes": 7_340_032,
        "media_type": "application/pdf",
        "url": "https://rops.pomorskie.eu/documents/ksiega.pdf",
        "source_urls": ["https://rops.pomorskie.eu/documents/ksiega.pdf",
                        "https://rops.torun.pl/ksiega.pdf"],
        "found_on": ["https://rops.pomorskie.eu/projekty-rops/kooperacja/"],
        "first_seen": "2024-05-01T10:00:00Z",
        "last_seen": "2024-06-01T10:00:00Z",
        "status": "online",
        "local_path": f"blobs/{PDF_SHA[:2]}/{PDF_SHA}.pdf",
        "tag_reasons": {"type": "keyword 'księga rekomendacyjna' in link text",
                        "year": "date '16.06.2021' in the title"},
        "text_status": "ok",
        "text_error": "",
    }  # fmt: skip
    base.update(changes)
    return base


def records() -> list[dict]:
    second = record(
        doc_id="0123456789ab",
        sha256="0123456789ab" + "0" * 52,
        title='=HYPERLINK("http://zło.example") Diagnoza <b>współpracy</b>',
        type="research",
        partner="rops-olsztyn",
        partners=["rops-olsztyn"],
        region="warmińsko-mazurskie",
        year=None,
        date=None,
        first_seen="2024-07-01 08:00:00",
        status="gone",
        url="javascript:alert(1)",
        local_path="blobs/01/missing.pdf",
        text_status="no_text_layer",
        text_error="brak warstwy tekstowej",
        extra_note="uwaga <b>pogrubiona</b>",
    )
    return [record(), second]


def export(fmt: str, recs: list[dict] | None = None, **kwargs: object) -> tuple[bytes, object]:
    out = io.BytesIO()
    report = export_records(records() if recs is None else recs, fmt, out, **kwargs)
    return out.getvalue(), report


def test_formats_constant() -> None:
    assert FORMATS == ("csv", "json", "jsonl", "html", "xlsx", "atom")


def test_json_has_contract_fields_in_order_then_extra_keys() -> None:
    data, report = export("json")
    parsed = json.loads(data.decode("utf-8"))
    assert report.written == 2 and report.problems == ()
    assert list(parsed[0]) == list(CONTRACT_FIELDS) + ["extra_note"]
    assert parsed[0]["extra_note"] is None and parsed[1]["extra_note"] == "uwaga <b>pogrubiona</b>"
    assert parsed[0]["partners"] == ["rops-gdansk", "rops-torun"]
    assert parsed[0]["tag_reasons"]["type"] == "keyword 'księga rekomendacyjna' in link text"
    assert "Księga" in data.decode("utf-8")  # ensure_ascii=False
    assert data.startswith(b"[\n  {")  # indent 2


def test_jsonl_one_record_per_line() -> None:
    data, _ = export("jsonl")
    lines = data.decode("utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == [PDF_SHA[:12], "0123456789ab"]


def test_csv_bom_lists_and_reasons() -> None:
    data, report = export("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert report.written == 2 and len(rows) == 2
    assert list(rows[0])[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
    assert rows[0]["title"] == "Księga rekomendacyjna – „Kooperacja”; żółć, łódź"
    assert rows[0]["partners"] == "rops-gdansk | rops-torun"
    assert rows[0]["tag_reasons"] == (
        "type: keyword 'księga rekomendacyjna' in link text; year: date '16.06.2021' in the title"
    )
    assert (rows[0]["year"], rows[1]["year"], rows[1]["date"]) == ("2021", "", "")
    assert rows[1]["title"].startswith("=HYPERLINK")  # plain csv keeps the data as it is


def test_csv_for_polish_excel() -> None:
    data, _ = export("csv", excel=True)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("doc_id;sha256;title;")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["title"] == "Księga rekomendacyjna – „Kooperacja”; żółć, łódź"  # quoted ';'
    assert rows[1]["title"].startswith("'=HYPERLINK")  # not run as a formula
    assert rows[1]["extra_note"] == "uwaga <b>pogrubiona</b>"


def test_xlsx_frozen_header_filter_hyperlinks_and_types() -> None:
    data, report = export("xlsx")
    book = load_workbook(io.BytesIO(data))
    sheet = book["Katalog"]
    header = [c.value for c in sheet[1]]
    assert header[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}3"
    col = {name: i + 1 for i, name in enumerate(header)}
    url_cell = sheet.cell(2, col["url"])
    assert url_cell.hyperlink.target == "https://rops.pomorskie.eu/documents/ksiega.pdf"
    assert sheet.cell(3, col["url"]).hyperlink is None  # javascript: is not linked
    assert sheet.cell(2, col["year"]).value == 2021
    assert sheet.cell(2, col["title"]).value.startswith("Księga rekomendacyjna")
    formula_like = sheet.cell(3, col["title"])
    assert formula_like.data_type == "s" and formula_like.value.startswith("=HYPERLINK")
    assert sheet.cell(2, col["partners"]).value == "rops-gdansk | rops-torun"
    assert sheet.column_dimensions["C"].width > 20  # title column is wide enough to read
    fields = {row[0]: row[2] for row in book["Pola"].iter_rows(min_row=2, values_only=True)}
    assert fields["title"] == "dc:title"
    assert report.problems == ()


def test_xlsx_reports_truncation_and_control_characters() -> None:
    long_text = "ą" * 40_000
    recs = [record(text_error=long_text, title="Tytuł\x00z bajtem")]
    data, report = export("xlsx", recs)
    sheet = load_workbook(io.BytesIO(data))["Katalog"]
    header = [c.value for c in sheet[1]]
    assert len(sheet.cell(2, header.index("text_error") + 1).value) == 32_767
    assert sheet.cell(2, header.index("title") + 1).value == "Tytułz bajtem"
    assert len(report.problems) == 2
    assert report.problems[0].startswith(f"{PDF_SHA[:12]}: title: control characters")
    assert report.problems[1] == (
        f"{PDF_SHA[:12]}: text_error: 40000 characters truncated to the Excel cell limit of 32767"
    )


def test_html_is_self_contained_escaped_and_filterable(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    out_path = tmp_path / "exports" / "katalog.html"
    out_path.parent.mkdir()
    with out_path.open("wb") as out:
        report = export_records(records(), "html", out, archive_dir=archive)
    soup = BeautifulSoup(out_path.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "pl"
    rows = soup.select("table#katalog tbody tr")
    assert len(rows) == 2 and report.written == 2
    assert [th.get_text() for th in soup.select("thead th")][:3] == ["Tytuł", "Rodzaj", "Partner"]
    assert soup.select_one('th[data-field="title"]')["data-dc"] == "dc:title"
    first_link = rows[0].select_one("td a")
    assert first_link.get_text() == "Księga rekomendacyjna – „Kooperacja”; żółć, łódź"
    assert first_link["href"] == f"../archive/blobs/{PDF_SHA[:2]}/{PDF_SHA}.pdf"
    assert rows[0].select('a[href^="https://rops.pomorskie.eu/"]')
    assert not rows[1].select('a[href^="javascript"]')  # a hostile URL is never a link
    assert rows[1]["data-status"] == "gone" and "usunięty ze strony" in rows[1].get_text()
    assert rows[0]["data-partner"] == "rops-gdansk rops-torun"
    assert "6,7 MB" not in rows[0].get_text() and "7,0 MB" in rows[0].get_text()
    # Filters: type, partner, year, status selects with Polish labels; a text filter.
    selects = {s["data-filter"]: s for s in soup.select("select[data-filter]")}
    assert set(selects) == {"type", "partner", "year", "status"}
    assert "Rekomendacje" in selects["type"].get_text()
    assert [o["value"] for o in selects["partner"].select("option")][1:] == [
        "rops-gdansk", "rops-olsztyn", "rops-torun"
    ]  # fmt: skip
    assert soup.select_one("input#szukaj")
    # Self-contained: no external script, style sheet or image.
    assert not soup.select("script[src], link, img[src], iframe")
    assert soup.select_one("style") and "sort" in soup.select_one("script").string
    # Escaped: the <b> in a title did not become markup.
    assert '=HYPERLINK("http://zło.example") Diagnoza <b>współpracy</b>' in rows[1].get_text()
    assert not soup.select("tbody b")


def test_html_to_a_stream_of_unknown_place_links_only_the_original() -> None:
    data, _ = export("html", [record()])
    soup = BeautifulSoup(data.decode("utf-8"), "html.parser")
    assert [a["href"] for a in soup.select("tbody a")] == [
        "https://rops.pomorskie.eu/documents/ksiega.pdf"
    ]


def test_atom_feed_is_valid_and_newest_first() -> None:
    data, report = export("atom")
    ns = {"a": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}
    feed = ET.fromstring(data)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.find("a:id", ns).text and feed.find("a:author/a:name", ns).text
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [
        "urn:sha256:0123456789ab" + "0" * 52, f"urn:sha256:{PDF_SHA}"
    ]  # fmt: skip
    assert feed.find("a:updated", ns).text == "2024-07-01T08:00:00Z"
    newest, older = entries
    assert older.find("a:title", ns).text == "Księga rekomendacyjna – „Kooperacja”; żółć, łódź"
    assert older.find("a:updated", ns).text == "2024-05-01T10:00:00Z"
    link = older.find("a:link", ns)
    assert (link.get("rel"), link.get("href")) == ("alternate", record()["url"])
    summary = older.find("a:summary", ns).text
    assert summary == "Rodzaj: Rekomendacje; partner: rops-gdansk; rok: 2021"
    assert older.find("a:author/a:name", ns).text == "rops-gdansk"
    assert older.find("dc:type", ns).text == "recommendations"
    assert older.find("dc:language", ns).text == "pl"
    assert newest.find("a:summary", ns).text.endswith("rok: brak")
    assert report.problems == ()


def test_atom_reports_unreadable_dates_and_strips_control_characters() -> None:
    data, report = export("atom", [record(first_seen="wczoraj", title="Zły\x0btytuł")])
    entry = ET.fromstring(data).find("{http://www.w3.org/2005/Atom}entry")
    assert entry.find("{http://www.w3.org/2005/Atom}title").text == "Złytytuł"
    assert any("first_seen: 'wczoraj' is not a date" in p for p in report.problems)
    assert any("title: control characters removed" in p for p in report.problems)


def test_unknown_format_and_bundle_through_export_records() -> None:
    with pytest.raises(UsageError, match="unknown export format 'pdf'"):
        export("pdf")
    with pytest.raises(UsageError, match="export_bundle"):
        export("bundle")


def test_filter_records() -> None:
    recs = records()
    assert filter_records(recs, types=("research",)) == [recs[1]]
    assert filter_records(recs, partners=("rops-torun",)) == [recs[0]]  # any linking partner
    assert filter_records(recs, year_from=2020, year_to=2021) == [recs[0]]
    assert filter_records(recs, year_from=2022) == []
    assert filter_records(recs, statuses=("gone",)) == [recs[1]]
    assert filter_records(recs) == recs


def test_dublin_core_covers_every_contract_field() -> None:
    assert set(DUBLIN_CORE) == set(CONTRACT_FIELDS)
    assert DUBLIN_CORE["doc_id"] == "dc:identifier" and DUBLIN_CORE["url"] == "dc:source"


def _archive_with_pdf(tmp_path: Path) -> Path:
    archive = tmp_path / "archive"
    blob = archive / record()["local_path"]
    blob.parent.mkdir(parents=True)
    blob.write_bytes(PDF_BYTES)
    return archive


def _verify_manifest(files: dict[str, bytes]) -> list[str]:
    lines = files["MANIFEST-SHA256.txt"].decode("utf-8").splitlines()
    listed = []
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
        listed.append(name)
    assert sorted(listed) == sorted(n for n in files if n != "MANIFEST-SHA256.txt")
    return listed


def test_bundle_folder(tmp_path: Path) -> None:
    archive = _archive_with_pdf(tmp_path)
    dest = tmp_path / "paczka"
    report = export_bundle(records(), archive, dest)
    assert report.written == 1
    assert report.problems == ("0123456789ab: local_path: blobs/01/missing.pdf not found in the "
                               "archive",)  # fmt: skip
    files = {p.relative_to(dest).as_posix(): p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    slug = "ksiega-rekomendacyjna-kooperacja-zolc-lodz"
    name = f"dokumenty/2021_recommendations_{slug}_{PDF_SHA[:12]}.pdf"
    assert name in files and files[name] == PDF_BYTES
    assert set(_verify_manifest(files)) == {
        name, "catalogue.json", "catalogue.csv", "catalogue.html", "catalogue.atom", "README.txt"
    }  # fmt: skip
    # The catalogue pages link each document inside the bundle, relative to themselves.
    page = BeautifulSoup(files["catalogue.html"].decode("utf-8"), "html.parser")
    assert page.select_one("tbody td a")["href"] == name
    assert f'rel="enclosure" href="{name}"'.encode() in files["catalogue.atom"]
    catalogue = json.loads(files["catalogue.json"])
    assert [r["bundle_path"] for r in catalogue] == [name, ""]
    assert "dc:title" in files["README.txt"].decode("utf-8")
    assert files["catalogue.csv"].startswith(b"\xef\xbb\xbfdoc_id;")
    with pytest.raises(UsageError, match="not an empty folder"):
        export_bundle(records(), archive, dest)


def test_bundle_zip_and_changed_file(tmp_path: Path) -> None:
    archive = _archive_with_pdf(tmp_path)
    dest = tmp_path / "out" / "kooperacja.zip"
    changed = record(sha256="f" * 64)
    report = export_bundle([changed], archive, dest)
    assert report.problems == (f"{PDF_SHA[:12]}: sha256: archived file differs from the catalogue",)
    with zipfile.ZipFile(dest) as archive_zip:
        files = {n: archive_zip.read(n) for n in archive_zip.namelist()}
    assert len(_verify_manifest(files)) == 6
    assert [p.name for p in dest.parent.iterdir()] == ["kooperacja.zip"]  # no temp file left


def test_bundle_names_are_ascii_and_unique() -> None:
    title = "Sprawozdanie z pilotażu – Łódź"
    name = bundle_name(record(title=title, year=None, type="pilot-report"))
    assert name == f"bez-roku_pilot-report_sprawozdanie-z-pilotazu-lodz_{PDF_SHA[:12]}.pdf"
    assert name.isascii()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_csv_round_trips_any_title(title: str) -> None:
    data, _ = export("csv", [record(title=title)])
    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert row["title"] == title


def _director_records() -> list[dict]:
    model = record(
        doc_id="1111aaaa2222", sha256="1111aaaa2222" + "1" * 52, type="model",
        title="Model kooperacji w gminach wiejskich", date="2020-11-03", year=2020,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        url="https://rops.torun.pl/model.docx", size_bytes=260_000,
        tag_reason_codes={"type": [{"code": "type.keyword_link", "params": {"keyword": "model"}}]},
        tag_reasons={"type": "keyword 'model' in link text"},
    )
    older_model = record(
        doc_id="3333bbbb4444", sha256="3333bbbb4444" + "3" * 52, type="model",
        title="Model kooperacji – wersja pilotażowa", date="2018-05-02", year=2018,
        text_status="ocr", url="https://rops.torun.pl/model-2018.pdf",
    )
    return [record(), older_model, model]  # recommendations first, as the catalogue has them


def test_xlsx_first_sheet_is_for_people_second_for_scripts() -> None:
    data, report = export("xlsx", _director_records())
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Dokumenty", "Katalog", "Pola"]
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["Tytuł", "Rodzaj", "Partner", "Rok", "Data", "Strony", "Format", "Adres"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # By type in the project's order (models before recommendations), then newest first.
    assert [r[0] for r in rows] == [
        "Model kooperacji w gminach wiejskich",
        "Model kooperacji – wersja pilotażowa",
        "Księga rekomendacyjna – „Kooperacja”; żółć, łódź",
    ]
    assert [r[1] for r in rows] == ["Model kooperacji", "Model kooperacji", "Rekomendacje"]
    assert [r[6] for r in rows] == ["Word", "skan (OCR)", "PDF"]
    assert rows[0][4].isoformat()[:10] == "2020-11-03"
    assert sheet.cell(2, 5).number_format == "DD.MM.YYYY"
    assert sheet.cell(2, header.index("Rozmiar") + 1).value == "254 kB"
    reasons = sheet.cell(2, header.index("Uzasadnienie opisu") + 1).value
    assert reasons == "Rodzaj: słowo kluczowe „model” w tekście odnośnika"
    # A link to each document, on the title and the address.
    assert sheet.cell(2, 1).hyperlink.target == "https://rops.torun.pl/model.docx"
    assert sheet.cell(2, 8).hyperlink.target == "https://rops.torun.pl/model.docx"
    # Readable: a wide wrapped title, narrow numbers, nothing of the codes.
    assert sheet.column_dimensions["A"].width >= 50 and sheet.cell(2, 1).alignment.wrap_text
    assert sheet.column_dimensions["D"].width <= 10
    flat_text = " ".join(str(v) for r in rows for v in r)
    assert PDF_SHA not in flat_text and "application/" not in flat_text
    assert "recommendations" not in flat_text and "1111aaaa2222" not in flat_text
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
    # The second sheet keeps every column under its stable name, codes as codes.
    codes = book["Katalog"]
    code_header = [c.value for c in codes[1]]
    assert code_header[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
    assert "tag_reason_codes" not in code_header
    code_rows = {r[0]: dict(zip(code_header, r, strict=True))
                 for r in codes.iter_rows(min_row=2, values_only=True)}
    assert code_rows["1111aaaa2222"]["type"] == "model"
    assert code_rows["1111aaaa2222"]["tag_reasons"] == "type: keyword 'model' in link text"
    assert code_rows[PDF_SHA[:12]]["sha256"] == PDF_SHA
    assert report.problems == ()


def test_xlsx_first_sheet_names_the_partners_and_the_second_keeps_their_ids() -> None:
    names = {
        "rops-gdansk": "Regionalny Ośrodek Polityki Społecznej w Gdańsku",
        "rops-torun": "Regionalny Ośrodek Polityki Społecznej w Toruniu",
        "umk": "Uniwersytet Mikołaja Kopernika w Toruniu",
    }
    recs = [record(), record(doc_id="5555cccc6666", partner="umk", partners=["umk"]),
            record(doc_id="7777dddd8888", partner="rops-lodz", partners=["rops-lodz"])]
    data, _ = export("xlsx", recs, partner_names=names, in_order=True)
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    shown = [row[header.index("Partner")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert shown == [
        "ROPS w Gdańsku, ROPS w Toruniu",  # the one who published it first, then the others
        "Uniwersytet Mikołaja Kopernika w Toruniu",
        "rops-lodz",  # a partner the config no longer names: its id, not a blank
    ]
    codes = book["Katalog"]
    code_header = [c.value for c in codes[1]]
    at = code_header.index("partner")
    partners = [r[at] for r in codes.iter_rows(min_row=2, values_only=True)]
    assert partners == ["rops-gdansk", "umk", "rops-lodz"]  # for scripts, the ids

def test_xlsx_printed_by_libreoffice_shows_titles_on_its_first_page(tmp_path: Path) -> None:
    import subprocess

    from tests.officegen import convert

    xlsx = tmp_path / "katalog.xlsx"
    xlsx.write_bytes(export("xlsx", _director_records())[0])
    pdf = convert(xlsx, "pdf", tmp_path / "out")
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout
    assert "Tytuł" in first_page and "Rodzaj" in first_page
    assert "Model kooperacji w gminach" in first_page and "Księga rekomendacyjna" in first_page
    assert PDF_SHA[:12] not in first_page and "doc_id" not in first_page
    assert "sha256" not in first_page


def test_csv_and_json_leave_the_reason_codes_out() -> None:
    recs = _director_records()
    assert "tag_reason_codes" not in export("csv", recs)[0].decode("utf-8-sig").splitlines()[0]
    parsed = json.loads(export("json", recs)[0])
    assert all("tag_reason_codes" not in r for r in parsed)
    assert parsed[2]["tag_reasons"] == {"type": "keyword 'model' in link text"}


def test_html_names_the_partners_and_filters_by_their_ids() -> None:
    """A reader of the HTML page sees "ROPS w Gdańsku, ROPS w Toruniu", not ids; the filter's
    values stay ids (the rows carry them)."""
    names = {
        "rops-gdansk": "Regionalny Ośrodek Polityki Społecznej w Gdańsku",
        "rops-torun": "Regionalny Ośrodek Polityki Społecznej w Toruniu",
    }
    data, _ = export("html", [record()], partner_names=names)
    page = BeautifulSoup(data.decode("utf-8"), "html.parser")
    cells = [td.get_text(" ", strip=True) for td in page.select("tbody tr td")]
    assert "ROPS w Gdańsku, ROPS w Toruniu" in cells
    assert not any("rops-gdansk" in cell for cell in cells)
    chooser = page.select('select[data-filter="partner"] option')
    options = {o["value"]: o.get_text() for o in chooser}
    assert options["rops-torun"] == "ROPS w Toruniu"
    assert page.select_one("tbody tr")["data-partner"] == "rops-gdansk rops-torun"
