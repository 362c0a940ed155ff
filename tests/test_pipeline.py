"""End to end through the CLI against the fixture partner site: update, search, show, export,
and a second update that downloads no document bytes."""

from __future__ import annotations

import csv
import io
import json
import time

from click.testing import CliRunner

from kooperacja.cli import cli
from tests.conftest import TORUN_PROJECT_LINKS, project_page
from tests.pdfgen import make_pdf


def run(config_path, *args):
    result = CliRunner().invoke(cli, ["--config", str(config_path), *args])
    return result


def run_json(config_path, *args):
    result = run(config_path, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_update_search_show_and_a_quiet_second_update(config_path, site):
    report = run_json(config_path, "update")
    torun, gdansk = report["partners"]["rops-torun"], report["partners"]["rops-gdansk"]
    assert torun["errors"] == [] and gdansk["errors"] == []
    # book + model + report, the project page, the two articles of the news list (not the
    # list itself) and the film linked and embedded; Gdańsk links the very same book under
    # another URL: not new there.
    assert torun["documents_new"] == 7
    assert gdansk["documents_new"] == 1  # its own project page
    assert gdansk["documents_unchanged"] == 1  # the book, already archived via Toruń
    assert report["documents_total"] == 8
    assert report["document_bytes"] == len(site.book) * 2 + len(site.model) + len(site.report)

    hits = run_json(config_path, "search", "asystent rodziny")
    assert hits["total"] >= 1
    top = hits["hits"][0]
    assert top["type"] == "recommendations"
    assert top["partners"] == ["rops-torun", "rops-gdansk"]
    assert top["pages"][0]["page"] == 4
    assert "<b>" in top["pages"][0]["snippet"]
    assert top["status"] == "online"

    # without Polish letters, inflected
    folded = run_json(config_path, "search", "wspolpraca asystentow rodziny z policja")
    assert folded["hits"][0]["doc_id"] == top["doc_id"]
    assert folded["hits"][0]["pages"][0]["page"] == 4

    shown = run_json(config_path, "show", top["doc_id"], "--page", "4")
    assert shown["page"] == 4 and "dzielnicowym policji" in shown["text"]
    assert len(shown["source_urls"]) == 2
    assert any(u.endswith("/gdansk/pobierz/17") for u in shown["source_urls"])

    # Politeness: robots.txt asked once per host, the disallowed PDF never fetched, nothing
    # outside the scope fetched.
    paths = [r.path for r in site.server.log]
    assert "/torun/admin/secret.pdf" not in paths
    assert paths.count("/robots.txt") == 1
    assert all(
        r.headers.get("User-Agent", "").startswith("kooperacja-test/1.0") for r in site.server.log
    )

    site.server.clear_log()
    second = run_json(config_path, "update")
    assert second["document_bytes"] == 0
    assert sum(p["documents_new"] for p in second["partners"].values()) == 0
    assert sum(p["not_modified"] for p in second["partners"].values()) >= 4
    pdf_requests = [r for r in site.server.log if r.path.endswith((".pdf", "/17"))]
    assert pdf_requests and all(r.status == 304 and r.body_bytes == 0 for r in pdf_requests)
    assert second["index"]["indexed"] == 0


def test_readable_search_and_export(config_path, site):
    assert run(config_path, "-q", "update").exit_code == 0
    result = run(config_path, "search", "rekomendacje", "koordynator")
    assert result.exit_code == 0
    assert "Księga rekomendacyjna" in result.stdout
    assert "s. 3" in result.stdout

    out = run(config_path, "export", "--format", "csv")
    assert out.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.stdout.lstrip("\ufeff"))))
    assert len(rows) == 8
    book = next(r for r in rows if r["type"] == "recommendations")
    assert book["partners"] == "rops-torun | rops-gdansk"
    assert book["region"] == "kujawsko-pomorskie"

    records = json.loads(run(config_path, "export", "--format", "json").stdout)
    assert {r["text_status"] for r in records} == {"ok"}
    assert all(r["local_path"].startswith("blobs/") for r in records)


def test_no_hits_is_exit_0_and_suggests(config_path, site):
    assert run(config_path, "-q", "update").exit_code == 0
    result = run(config_path, "search", "asystnet", "rodzny")
    assert result.exit_code == 0
    # No page holds the words as typed: the corrected words' results are shown, and said so.
    assert "Nic nie pasuje do wpisanych słów; wyniki dla: asystent rodziny" in result.stdout
    assert "asystenta rodziny" in result.stdout or "asystent rodziny" in result.stdout.lower()
    # A typo beside words that do match: the results stay, the correction is offered.
    typo = run(config_path, "search", "asystent", "rodziny", "policjq")
    assert "Czy chodziło o: asystent rodziny policja" in typo.stdout


def test_search_before_any_index_says_what_to_do(tmp_path, config_path):
    result = run(config_path, "search", "rodzina")
    assert result.exit_code == 3
    assert "kooperacja update" in result.stderr  # nothing archived: index would index nothing
    assert "Traceback" not in result.output
    assert run(config_path, "-q", "crawl").exit_code == 0
    result = run(config_path, "search", "rodzina")
    assert result.exit_code == 3 and "kooperacja index" in result.stderr


def test_every_contract_command_answers_help():
    for command in (
        "crawl",
        "extract",
        "tag",
        "index",
        "update",
        "search",
        "show",
        "export",
        "status",
        "verify",
        "changes",
        "curate",
    ):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0, command
        assert "--json" in result.stdout or command in ("export", "curate")


def test_a_night_with_nothing_new_reads_no_page_text(config_path, site):
    run_json(config_path, "update")
    archive = config_path.parent / "archive"
    page_files = sorted(archive.glob("blobs/*/*.pages.json"))
    assert len(page_files) == 8
    for path in page_files:  # whatever tagging or indexing would read now is unreadable
        path.write_text("{not json", encoding="utf-8")
    second = run_json(config_path, "update")
    assert second["tag"]["tagged"] == 0 and second["index"]["indexed"] == 0
    assert second["extract"]["documents"] == 0


def test_an_archive_extracted_before_abbreviations_gains_them_without_reading_its_files(
    config_path, site
):
    import sqlite3

    run_json(config_path, "update")
    archive = config_path.parent / "archive"
    listed = "Wykaz skrótów\nZK – zespół kooperacyjny\nPCPR – powiatowe centrum pomocy rodzinie"
    for path in archive.glob("blobs/*/*.pages.json"):  # as extract version 2 left them
        payload = json.loads(path.read_text(encoding="utf-8"))
        payload.pop("abbreviations", None)
        payload["extract_version"] = 2
        payload["pages"][0]["text"] += "\n" + listed
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    for blob in archive.glob("blobs/*/*.pdf"):  # reading a file again would fail now
        blob.write_bytes(b"%PDF-1.4 damaged")
    with sqlite3.connect(archive / "catalog.sqlite") as db:
        db.execute("UPDATE documents SET extract_version = 2")
    report = run_json(config_path, "extract")["extract"]
    assert report["documents"] == 8 and report["errors"] == []
    for path in archive.glob("blobs/*/*.pages.json"):
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert payload["extract_version"] == 3
        assert payload["abbreviations"] == [
            ["ZK", "zespół kooperacyjny"], ["PCPR", "powiatowe centrum pomocy rodzinie"]
        ]  # fmt: skip
    with sqlite3.connect(archive / "catalog.sqlite") as db:
        states = set(db.execute("SELECT text_status, extract_version FROM documents"))
    assert all(version == 3 and status != "failed" for status, version in states), states
    assert run_json(config_path, "extract")["extract"]["documents"] == 0


def test_abbreviations_added_to_the_config_count_from_the_next_index_run(config_path, site):
    import yaml

    run_json(config_path, "update")
    assert run_json(config_path, "search", "DZL")["total"] == 0
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["search"] = {"abbreviations": {"DZL": "dzielnicowy policji"}}
    config_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_json(config_path, "index")["index"]["indexed"] == 0  # no page read again
    found = run_json(config_path, "search", "DZL")
    assert found["total"] >= 1 and found["hits"][0]["type"] == "recommendations"
    assert found.get("suggestion") is None


def test_a_list_page_with_one_new_document_re_indexes_only_that_document(config_path, site):
    """A partner adds a PDF to its project page: the documents already listed there are tagged
    again (the page around their links changed), but what the index holds of them did not, so
    they are not indexed again."""
    run_json(config_path, "update")
    site.server.add(
        "/torun/files/nowy.pdf",
        make_pdf(["Nowy raport o współpracy asystentów rodziny z dzielnicowymi."]),
        content_type="application/pdf",
    )
    site.server.add(
        "/torun/kooperacja/",
        project_page(
            "Kooperacja – efektywna i skuteczna",
            [*TORUN_PROJECT_LINKS, ("/torun/files/nowy.pdf", "Raport 2020 [pdf, 1MB]")],
        ),
        etag='"torun-2"',
        last_modified=time.time(),
    )
    second = run_json(config_path, "update")
    torun = second["partners"]["rops-torun"]
    assert torun["documents_new"] == 1 and torun["documents_changed"] == 1  # the PDF; the page
    # Tagged again: the new PDF, the page's new version, and the book, the model and the film
    # linked from the changed page. Indexed again: the PDF, the page's new version and its old
    # one, now gone; not the book, the model or the film (their index entries are the same).
    assert second["tag"]["tagged"] >= 5
    assert second["index"]["indexed"] == 3
    assert run_json(config_path, "search", "nowy raport asystentów")["total"] >= 1
