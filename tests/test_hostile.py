"""Hostile documents and sites: each ends with a clear status in bounded time, never stopping
the batch, and nothing outside the configured scope is ever fetched."""

from __future__ import annotations

import json
import time

import yaml
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.config import Partner
from kooperacja.extract.extraction import extract_file
from kooperacja.extract.workers import Job, Limits, extract_all
from kooperacja.harvest.urls import may_follow
from tests.conftest import project_page, write_config
from tests.pdfgen import raw_pdf


def extract_bounded(path):
    """One file through the worker pool, with its time limit, as the pipeline extracts it."""
    jobs = [Job(path.name, path, "application/pdf")]
    return next(r for _, r in extract_all(jobs, Limits(seconds=20, workers=1)))


def test_cyclic_page_tree_fails_cleanly(tmp_path):
    # The page tree's Kids point back at the tree itself: a naive walker never ends.
    pdf = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )
    path = tmp_path / "cycle.pdf"
    path.write_bytes(pdf)
    result = extract_bounded(path)
    assert result.text_status in ("failed", "no_text_layer") and result.error


def test_deeply_nested_objects_fail_cleanly(tmp_path):
    nested = b"[" * 50_000 + b"]" * 50_000
    pdf = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            nested,
        ]
    )
    path = tmp_path / "deep.pdf"
    path.write_bytes(pdf)
    result = extract_bounded(path)
    assert result.text_status in ("failed", "no_text_layer") and result.error


def test_five_thousand_blank_pages(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(5000):
        pdf.add_page()
    path = tmp_path / "blank.pdf"
    path.write_bytes(bytes(pdf.output()))
    started = time.monotonic()
    result = extract_file(path, "application/pdf")
    assert result.text_status == "no_text_layer" and result.page_count == 5000
    assert time.monotonic() - started < 60


def test_empty_and_html_bodies_are_not_documents(tmp_path, server):
    server.add(
        "/e/",
        project_page(
            "Kooperacja – materiały",
            [("/e/pusty.pdf", "Pusty plik [pdf, 0KB]"), ("/e/strona.pdf", "Strona zamiast PDF")],
        ),
    )
    server.add("/e/pusty.pdf", b"", content_type="application/pdf")
    server.add(
        "/e/strona.pdf", "<html><body>Nie ma pliku</body></html>", content_type="application/pdf"
    )
    cfg = single_partner(tmp_path, server, "/e/")
    result = CliRunner().invoke(cli, ["--config", str(cfg), "crawl", "--json"])
    report = json.loads(result.stdout)["partners"]["p"]
    assert report["documents_new"] == 1  # only the project page itself, as news
    assert any("pusty.pdf" in e and "empty" in e for e in report["errors"])


def test_query_string_traps_are_capped(tmp_path, server):
    calendar = "".join(f'<a href="/t/kalendarz?dzien={d}">{d}</a> ' for d in range(200))
    server.add("/t/", project_page("Kooperacja – kalendarz", [], body=calendar))
    for d in range(200):
        server.add(f"/t/kalendarz?dzien={d}", f"<html><body>Dzień {d}</body></html>")
    cfg = single_partner(tmp_path, server, "/t/")
    result = CliRunner().invoke(cli, ["--config", str(cfg), "crawl", "--json"])
    assert result.exit_code == 0, result.stderr
    calendar_requests = [r for r in server.log if r.path.startswith("/t/kalendarz")]
    assert len(calendar_requests) == 30  # capped per path


def test_private_addresses_are_followed_only_from_private_partner_sites():
    public = Partner(
        "p",
        "P",
        "pomorskie",
        ("https://rops.pomorskie.eu/k/",),
        ("https://rops.pomorskie.eu/k/",),
        ("rops.pomorskie.eu", "10.0.0.8"),
    )
    assert may_follow("https://rops.pomorskie.eu/k/plik.pdf", public)
    assert not may_follow("http://10.0.0.8/intranet/raport.pdf", public)
    assert not may_follow("https://www.facebook.com/rops", public)
    assert not may_follow("https://rops.pomorskie.eu/inne/strona/", public)  # a page out of scope
    assert may_follow("https://rops.pomorskie.eu/pliki/raport.pdf", public)  # a document: yes
    intranet = Partner(
        "i", "I", "pomorskie", ("http://10.0.0.8/k/",), ("http://10.0.0.8/k/",), ("10.0.0.8",)
    )
    assert may_follow("http://10.0.0.8/k/raport.pdf", intranet)


def single_partner(tmp_path, server, path, scope_host=None):
    cfg = write_config(tmp_path, server.base)
    data = yaml.safe_load(cfg.read_text())
    data["partners"] = [
        {"id": "p", "name": "P", "region": "pomorskie", "start_urls": [server.url(path)]}
    ]
    cfg.write_text(yaml.safe_dump(data))
    return cfg
