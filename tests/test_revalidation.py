"""Archived documents behind unchanged links are asked for again once per cycle, not every night."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kooperacja.archive.catalog import CATALOG_NAME, SCHEMA_VERSION, Catalog
from kooperacja.cli import cli
from kooperacja.config import load_config
from kooperacja.dates import parse_utc
from kooperacja.harvest.revalidation import cycle_day, due_for_check
from tests.conftest import write_config
from tests.pdfgen import make_pdf

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PDF_PATHS = ("/torun/files/ksiega.pdf", "/torun/files/model.pdf", "/torun/files/sprawozdanie.pdf")


def update(config) -> dict:
    result = CliRunner().invoke(cli, ["--config", str(config), "-q", "update", "--json"])
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def age_checks(config, days: float) -> None:
    """Move every recorded check `days` into the past, as if that many nights had gone by."""
    archive = load_config(config).archive_dir
    with sqlite3.connect(archive / CATALOG_NAME) as db:
        for url, stamp in db.execute("SELECT url, last_checked FROM urls").fetchall():
            if stamp:
                older = parse_utc(stamp) - timedelta(days=days)
                db.execute(
                    "UPDATE urls SET last_checked=? WHERE url=?",
                    (older.isoformat().replace("+00:00", "Z"), url),
                )


def pdf_requests(site) -> int:
    return sum(len(site.server.requests_to(p)) for p in PDF_PATHS)


def test_never_checked_or_every_run_is_always_due():
    assert due_for_check("http://x/a.pdf", None, NOW, 7)
    assert due_for_check("http://x/a.pdf", NOW - timedelta(minutes=1), NOW, 0)


def test_a_check_tonight_is_not_repeated_tonight_and_a_week_old_one_is_due():
    url = "http://x/a.pdf"
    assert not due_for_check(url, NOW - timedelta(hours=2), NOW, 7)
    assert due_for_check(url, NOW - timedelta(days=7), NOW, 7)
    assert due_for_check(url, NOW + timedelta(days=1), NOW, 7)  # a clock set back: ask


@given(st.text(min_size=1, max_size=60), st.integers(min_value=1, max_value=14))
def test_nightly_runs_ask_once_per_cycle(path, every):
    url = f"https://rops.example.pl/{path}"
    checked, asked = NOW, []
    for night in range(1, 4 * every + 1):
        now = NOW + timedelta(days=night)
        if due_for_check(url, checked, now, every):
            checked = now
            asked.append(night)
    gaps = [b - a for a, b in zip([0, *asked], asked, strict=False)]
    assert all(gap <= every for gap in gaps)  # never longer than the cycle
    assert 4 <= len(asked) <= 5  # once per cycle (the first turn may come early), not nightly


def test_the_archive_is_spread_over_the_days_of_the_cycle():
    days = Counter(
        cycle_day(f"https://rops.example.pl/pliki/dokument-{i}.pdf", 7) for i in range(7000)
    )
    assert set(days) == set(range(7))
    assert all(800 <= n <= 1200 for n in days.values())  # about 1,000 each night


def test_documents_behind_unchanged_links_are_not_asked_for_until_due(tmp_path, site):
    config = write_config(tmp_path, site.server.base, revalidate_days=7)
    first = update(config)
    assert first["partners"]["rops-torun"]["documents_new"] == 7  # 3 PDFs, 3 news, 1 film
    site.server.clear_log()

    second = update(config)
    torun = second["partners"]["rops-torun"]
    assert pdf_requests(site) == 0 and second["document_bytes"] == 0
    assert torun["not_rechecked"] == 3 and torun["documents_unchanged"] == 7
    assert torun["documents_gone"] == 0

    # The partner replaces the report under the same URL and leaves the page as it was: unseen
    # until the document's turn, which a week-old check guarantees.
    site.server.add(
        "/torun/files/sprawozdanie.pdf",
        make_pdf(["Sprawozdanie z pilotażu, wersja poprawiona", "Dane za 2020 rok."]),
        content_type="application/pdf",
        etag='"report-2"',
    )
    assert update(config)["partners"]["rops-torun"]["documents_changed"] == 0
    age_checks(config, 8)
    site.server.clear_log()
    due = update(config)["partners"]["rops-torun"]
    assert due["documents_changed"] == 1 and due["not_rechecked"] == 0
    assert pdf_requests(site) == 3


def test_a_new_link_text_is_checked_at_once(tmp_path, site):
    config = write_config(tmp_path, site.server.base, revalidate_days=7)
    update(config)
    site.server.add(
        "/torun/files/model.pdf",
        make_pdf(["Model kooperacji – wersja 2", "Zmieniony rozdział o pilotażu."]),
        content_type="application/pdf",
    )
    site.server.add(
        "/torun/kooperacja/",
        (
            '<html><body><main><p>Projekt Kooperacja</p><a href="/torun/files/model.pdf">'
            "Model kooperacji – wersja poprawiona [pdf]</a>"
            '<a href="/torun/files/ksiega.pdf">Księga rekomendacyjna [pdf, 7MB]</a>'
            '<a href="/torun/kooperacja/aktualnosci/">Aktualności</a></main></body></html>'
        ),
        etag='"torun-2"',
    )
    site.server.clear_log()
    torun = update(config)["partners"]["rops-torun"]
    assert torun["documents_changed"] == 1
    assert len(site.server.requests_to("/torun/files/model.pdf")) == 1
    assert site.server.requests_to("/torun/files/ksiega.pdf") == []  # same link, same text


def test_a_dead_link_on_an_unchanged_page_makes_its_document_gone_when_due(tmp_path, site):
    config = write_config(tmp_path, site.server.base, revalidate_days=7)
    update(config)
    site.server.remove("/torun/files/sprawozdanie.pdf")
    assert update(config)["partners"]["rops-torun"]["documents_gone"] == 0
    age_checks(config, 8)
    torun = update(config)["partners"]["rops-torun"]
    assert torun["documents_gone"] == 1
    update(config)  # the next night asks again and leaves it gone
    with Catalog(load_config(config).archive_dir) as catalog:
        gone_pdfs = [
            d
            for d in catalog.documents()
            if d.status == "gone" and d.media_type == "application/pdf"
        ]
        assert len(gone_pdfs) == 1


def test_a_version_1_catalogue_gains_the_column_and_asks_everything_once(tmp_path, site):
    config = write_config(tmp_path, site.server.base, revalidate_days=7)
    update(config)
    archive = load_config(config).archive_dir
    with sqlite3.connect(archive / CATALOG_NAME) as db:  # as the previous version left it
        db.execute("ALTER TABLE urls DROP COLUMN last_checked")
        db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
        db.execute("PRAGMA user_version = 0")  # as kooperacja left it before user_version
    site.server.clear_log()
    torun = update(config)["partners"]["rops-torun"]
    assert torun["not_rechecked"] == 0 and pdf_requests(site) == 3
    with Catalog(archive) as catalog:
        version = catalog.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        assert version[0] == str(SCHEMA_VERSION)
        assert catalog.url_state(f"{site.server.base}/torun/files/ksiega.pdf").last_checked
