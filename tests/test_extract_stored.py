"""A plain document's pages are stored by its worker: the same pages.json and catalogue row as
when the parent stored them; a page file that cannot be written leaves its document pending for
the next run, and the batch goes on."""

from __future__ import annotations

from pathlib import Path

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


def test_a_page_file_that_cannot_be_written_leaves_its_document_for_the_next_run(tmp_path):
    book, other = "b" * 64, "c" * 64
    config = _archive(tmp_path, {book: BOOK, other: OTHER})
    blocked = config.archive_dir / text_relpath(other)
    blocked.mkdir(parents=True)  # a folder where its pages.json goes: the rename fails
    with Catalog(config.archive_dir) as catalog:
        report = run_extract(config, catalog, workers=2)
        assert report["by_text_status"] == {"ok": 1, "failed": 1}
        (error,) = report["errors"]
        assert error.startswith(other[:12]) and "text not stored" in error
        assert str(blocked) in error  # names the file
        assert [d.sha256 for d in catalog.to_extract(3, [])] == [other]  # still pending
        row = catalog.document(book)
        assert (row.text_status, row.pages, row.extract_version) == ("ok", 3, 3)
        assert [r["id"] for r in recommendation_records(catalog)] == [
            f"{book[:12]}-1", f"{book[:12]}-2",
        ]  # fmt: skip
        assert "Zespół interdyscyplinarny" in read_pages(config.archive_dir, book)[2].text
        blocked.rmdir()
        again = run_extract(config, catalog, workers=2)
        assert again["by_text_status"] == {"ok": 1} and again["errors"] == []
        assert catalog.document(other).text_status == "ok"
        assert read_pages(config.archive_dir, other)[0].text.startswith("Sprawozdanie z pilotażu")
