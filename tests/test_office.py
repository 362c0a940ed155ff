"""Office files written by LibreOffice from Polish text: each read page by page (slides and sheets
as pages) in the bounded workers, archived by the crawl from their bytes and found by search."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.extract.workers import Job, Limits, extract_all
from tests.conftest import project_page, write_config
from tests.officegen import make_office_file

REPORT = [
    "Sprawozdanie z pilotażu modelu kooperacji w gminie Łysomice\n"
    "W pilotażu wzięło udział czternaście ośrodków pomocy społecznej.",
    "Wnioski\nAsystent rodziny powinien co miesiąc spotykać się z dzielnicowym policji; "
    "współpraca skraca czas reakcji na przemoc w rodzinie.",
]
SLIDES = [
    "Wyniki badań Regionalnej Grupy Refleksyjnej\nGminy wiejskie i miejsko-wiejskie",
    "Zespół interdyscyplinarny\nPosiedzenia co najmniej raz w miesiącu\n"
    "Udział przedstawicieli szkół i ośrodków zdrowia",
]
SHEETS = [
    ("Gminy", [["Gmina", "Liczba rodzin"], ["Łysomice", "14"], ["Żnin", "9"]]),
    ("Źródła", [["Ośrodek Pomocy Społecznej w Żninie", "ankieta 2019"]]),
]
MEDIA = {
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "rtf": "application/rtf",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CONTENT = {"doc": REPORT, "docx": REPORT, "rtf": REPORT, "ppt": SLIDES, "pptx": SLIDES}
CONTENT.update({"xls": SHEETS, "xlsx": SHEETS})


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    return {fmt: make_office_file(folder / f"plik.{fmt}", CONTENT[fmt]) for fmt in MEDIA}


def test_every_office_format_is_read_page_by_page_in_bounded_workers(office_files):
    jobs = [Job(fmt, path, MEDIA[fmt]) for fmt, path in office_files.items()]
    results = {job.key: r for job, r in extract_all(jobs, Limits(seconds=60, workers=2))}
    for fmt in ("doc", "docx", "rtf"):
        result = results[fmt]
        assert result.text_status == "ok", (fmt, result.error)
        assert [p.number for p in result.pages] == [1, 2], fmt  # the document's own pages
        assert "gminie Łysomice" in result.pages[0].text
        assert "spotykać się z dzielnicowym policji" in result.pages[1].text
        assert not any(k.endswith("Date") for k in result.metadata)  # not the conversion's
    for fmt in ("ppt", "pptx"):
        result = results[fmt]
        assert result.text_status == "ok", (fmt, result.error)
        assert result.page_count == 2  # one page per slide
        assert "Regionalnej Grupy Refleksyjnej" in result.pages[0].text
        assert "przedstawicieli szkół i ośrodków zdrowia" in result.pages[1].text
        assert result.pages[1].section == "Zespół interdyscyplinarny"  # the slide's title
    for fmt in ("xls", "xlsx"):
        result = results[fmt]
        assert result.text_status == "ok", (fmt, result.error)
        assert [p.section for p in result.pages] == ["Gminy", "Źródła"]  # one page per sheet
        assert "Łysomice 14" in result.pages[0].text
        assert "Ośrodek Pomocy Społecznej w Żninie" in result.pages[1].text


def test_broken_office_files_fail_with_a_reason_and_the_batch_goes_on(office_files, tmp_path):
    broken_doc = tmp_path / "zepsuty.doc"
    broken_doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07garbage" * 200)
    cut_pptx = tmp_path / "uciety.pptx"
    cut_pptx.write_bytes(office_files["pptx"].read_bytes()[:3000])
    jobs = [
        Job("doc", broken_doc, MEDIA["doc"]),
        Job("pptx", cut_pptx, MEDIA["pptx"]),
        Job("ok", office_files["docx"], MEDIA["docx"]),
    ]
    results = {job.key: r for job, r in extract_all(jobs, Limits(seconds=60, workers=2))}
    assert results["ok"].text_status == "ok"
    for key in ("doc", "pptx"):
        assert results[key].text_status in ("failed", "no_text_layer"), key
        assert results[key].error and "\n" not in results[key].error


def test_office_attachments_are_archived_from_their_bytes_and_found(tmp_path, server, office_files):
    server.add(
        "/torun/kooperacja/",
        project_page(
            "Materiały projektu Kooperacja",
            [
                ("/torun/pobierz/31", "Sprawozdanie z pilotażu [doc]"),
                ("/torun/files/prezentacja.pptx", "Prezentacja wyników badań"),
                ("/torun/files/dane.xls", "Dane z ankiet"),
            ],
        ),
    )
    # A download URL with neither extension nor a true content type: only the bytes tell.
    server.add(
        "/torun/pobierz/31",
        office_files["doc"].read_bytes(),
        content_type="application/octet-stream",
    )
    server.add(
        "/torun/files/prezentacja.pptx",
        office_files["pptx"].read_bytes(),
        content_type="application/octet-stream",
    )
    server.add(
        "/torun/files/dane.xls",
        office_files["xls"].read_bytes(),
        content_type="application/vnd.ms-excel",
    )
    config_path = write_config(tmp_path, server.base)
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["partners"] = data["partners"][:1]
    config_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def run(*args):
        result = CliRunner().invoke(cli, ["--config", str(config_path), *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    report = run("update")
    assert report["partners"]["rops-torun"]["documents_new"] == 4  # 3 attachments, the page
    assert report["extract"]["by_text_status"] == {"ok": 4}
    hits = run("search", "dzielnicowy policji")
    top = hits["hits"][0]
    assert top["pages"][0]["page"] == 2
    shown = run("show", top["doc_id"])
    assert shown["media_type"] == MEDIA["doc"] and shown["local_path"].endswith(".doc")
    slides = run("search", "przedstawiciele szkół")
    assert slides["hits"][0]["pages"][0]["page"] == 2
    assert run("show", slides["hits"][0]["doc_id"])["media_type"] == MEDIA["pptx"]
    sheets = run("search", "ankieta Żnin")
    assert run("show", sheets["hits"][0]["doc_id"])["media_type"] == MEDIA["xls"]
