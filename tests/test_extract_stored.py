"""A plain document's pages are stored by its worker: the same pages.json and catalogue row as
when the parent stored them; pages the worker cannot write are stored the parent's way."""

from __future__ import annotations

from pathlib import Path

import pytest

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.recommendations import recommendation_records
from kooperacja.archive.store import read_pages, text_relpath
from kooperacja.config import load_config
from kooperacja.extract.run import run_extract
from kooperacja.extract.workers import Job, store_pages
from tests.conftest import write_config
from tests.pdfgen import make_pdf

BOOK = [
    "Wykaz skrótów\nOPS – ośrodek pomocy społecznej\nPCPR – powiatowe centrum pomocy rodzinie\n"
    "\nWstęp\nKsięga opisuje współpracę służb w gminach wiejskich.",
    "Rekomendacja 1. Asystent rodziny w każdej gminie\nAdresaci: gminne ośrodki pomocy "
    "społecznej, Policja.\nAsystent odwiedza rodzinę co tydzień i zna jej potrzeby.",
    "Rekomendacja 2. Wspólne posiedzenia zespołów\nAdresaci: powiatowe centra pomocy rodzinie."
    "\nZespół interdyscyplinarny zbiera się raz w miesiącu.",
]
OTHER = ["Sprawozdanie z pilotażu modelu kooperacji w województwie łódzkim.", "Wnioski."]


def test_the_worker_stores_the_same_pages_json_as_the_parent(tmp_path):
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(make_pdf(BOOK, title="Księga rekomendacyjna"))
    key = "a" * 64
    whole = Job(key, pdf, "application/pdf").run(60)  # no archive: the pages come back
    store_pages(tmp_path / "parent", key, whole)  # as the parent stores an OCR'd document's
    stored = Job(key, pdf, "application/pdf", archive_dir=tmp_path / "worker").run(60)
    assert whole.pages and not whole.stored
    assert stored.stored and stored.pages == ()  # no text goes back to the parent
    written = (tmp_path / "worker" / text_relpath(key)).read_bytes()
    assert written == (tmp_path / "parent" / text_relpath(key)).read_bytes()
    assert "Asystent odwiedza rodzinę" in written.decode("utf-8")
    # Everything the catalogue row is made of is the same.
    assert [r.number for r in whole.recommendations or ()] == [1, 2]
    assert ("OPS", "ośrodek pomocy społecznej") in (whole.abbreviations or ())
    for name in ("text_status", "error", "page_count", "metadata", "abbreviations",
                 "recommendations", "ocr_pages", "ocr_confidence"):  # fmt: skip
        assert getattr(stored, name) == getattr(whole, name), name


def _archive(tmp_path: Path, books: dict[str, list[str]]):
    config = load_config(write_config(tmp_path, "http://127.0.0.1:9"))
    with Catalog(config.archive_dir) as catalog, catalog.transaction():
        for sha, pages in books.items():
            rel = f"blobs/{sha[:2]}/{sha}.pdf"
            (config.archive_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (config.archive_dir / rel).write_bytes(make_pdf(pages))
            catalog.add_document(sha, "application/pdf", 10, rel)
    return config


def test_pages_the_worker_cannot_write_go_to_the_parent_and_a_full_disk_still_stops_the_run(
    tmp_path,
):
    """A worker that cannot write a page file hands the pages to the parent, as OCR'd ones are;
    when the parent cannot either (a full disk, a damaged archive), the run stops naming the
    file, as it always did (the command's one line and exit 3), and the document, whose row is
    written after its pages, is read again by the next run."""
    book, other = "b" * 64, "c" * 64
    config = _archive(tmp_path, {book: BOOK, other: OTHER})
    blocked = config.archive_dir / text_relpath(other)
    blocked.mkdir(parents=True)  # a folder where its pages.json goes: the rename fails
    pdf = config.archive_dir / f"blobs/{other[:2]}/{other}.pdf"
    handed = Job(other, pdf, "application/pdf", archive_dir=config.archive_dir).run(60)
    assert not handed.stored and handed.pages[0].text.startswith("Sprawozdanie z pilotażu")
    with Catalog(config.archive_dir) as catalog:
        with pytest.raises(OSError) as stopped:
            run_extract(config, catalog, workers=1)
        assert str(blocked) in str(stopped.value)  # names the file
        assert other in {d.sha256 for d in catalog.to_extract(3, [])}  # still to be read
        blocked.rmdir()
        report = run_extract(config, catalog, workers=2)
        assert report["errors"] == [] and catalog.to_extract(3, []) == []
        row = catalog.document(book)
        assert (row.text_status, row.pages, row.extract_version) == ("ok", 3, 3)
        assert [r["id"] for r in recommendation_records(catalog)] == [
            f"{book[:12]}-1", f"{book[:12]}-2",
        ]  # fmt: skip
        assert "Zespół interdyscyplinarny" in read_pages(config.archive_dir, book)[2].text
        assert catalog.document(other).text_status == "ok"
        assert read_pages(config.archive_dir, other)[0].text.startswith("Sprawozdanie z pilotażu")
