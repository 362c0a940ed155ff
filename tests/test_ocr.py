"""Polish OCR of scanned pages: quality against the acts' own text, and a scan found by search
through the real pipeline (fixture site, catalogue, workers, Tesseract, index).

OCR costs about two seconds a page, so the whole file reads four pages."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.extract.ocr import text_usable, tsv_text
from kooperacja.extract.scans import despeckle, page_scan
from tests.conftest import TESTDATA, project_page, write_config
from tests.pdfgen import make_pdf
from tests.scangen import degrade, image_pdf, png, render

BENCH = Path(__file__).parents[1] / "bench" / "ocr_quality.py"
SCAN = TESTDATA / "pdfs" / "pl_scanned" / "scan_ulotka_informacyjna.pdf"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("bench_ocr_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_tesseract_tsv_becomes_lines_and_a_mean_confidence():
    rows = [
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf"
        "\ttext",
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96.5\tAsystent",
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t93.5\trodziny",
        "5\t1\t1\t1\t1\t3\t0\t0\t9\t9\t40.0\t|",  # a table rule, not a word
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t90.0\tpolicja",
        "5\t1\t2\t1\t1\t1\t0\t0\t9\t9\t80.0\tŻnin",
    ]
    text, confidence = tsv_text("\n".join(rows))
    assert text == "Asystent rodziny\npolicja\n\nŻnin"
    assert confidence == 90.0


def test_a_text_layer_is_usable_unless_empty_or_garbled():
    assert text_usable("Asystent rodziny współpracuje z dzielnicowym policji.")
    assert text_usable("2019 2020 2021\n1 234 567 890 12,5% 13,7% 1 024,00 zł")  # figures
    assert not text_usable("  3 \n")
    assert not text_usable("\ue000\ue001\ue002\ue003 \ue004\ue005\ue006\ue007\ue008\ue009")


def test_ocr_error_rates_on_a_rendered_act_page(quality, tmp_path):
    """One page of a real act, clean (300 dpi), as a poor scan (200 dpi, skew, noise, JPEG) and
    as the same scan with dust, read by the pipeline's OCR path and compared with the act's own
    text layer."""
    act, index = quality.ACTS / "dzu_2020_poz1.pdf", 0
    clean, size = render(act, index, 300)
    low, _ = render(act, index, 200)
    paths = []
    for kind, data in (
        ("clean", png(clean)),
        ("degraded", degrade(low, 0)),
        ("dust", degrade(low, 0, specks=True)),
    ):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(image_pdf([(data, size)]))
        paths.append(path)
    results, pages = quality.ocr_documents(paths, 2, tmp_path / "work")
    assert pages == 3
    truth = quality.truth_text(act, index)
    clean_text, degraded_text, dust_text = (results[p].pages[0].text for p in paths)
    assert all(results[p].text_status == "ocr" for p in paths)
    assert quality.cer(clean_text, truth) <= 0.03
    assert quality.cer(degraded_text, truth) <= 0.03
    assert quality.cer(dust_text, truth) <= 0.05
    assert "ROZPORZĄDZENIE" in clean_text and "szczegółowego" in clean_text  # Polish letters
    assert "szczegółowego" in dust_text
    assert quality.levenshtein("współpraca", "wspolpraca") == 2


def test_a_scan_is_read_from_its_own_image_at_its_own_resolution(quality):
    """A page that is one image gives that image's pixels and its dpi; a page with visible text
    or an image not filling it is rendered instead."""
    import pypdfium2 as pdfium
    from PIL import Image

    act = quality.ACTS / "dzu_2020_poz1.pdf"
    low, size = render(act, 0, 200)
    jpeg = degrade(low, 0)
    scan = pdfium.PdfDocument(image_pdf([(jpeg, size)]))
    found = page_scan(scan[0])
    stored = Image.open(io.BytesIO(jpeg))
    assert found is not None and found.image.size == stored.size  # not resampled
    assert found.dpi == round(72 * stored.width / size[0]) and 200 <= found.dpi <= 210
    assert page_scan(pdfium.PdfDocument(str(act))[0]) is None  # text and lines: rendered
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.add_page(format=size)
    pdf.image(io.BytesIO(jpeg), x=0, y=0, w=size[0] / 2, h=size[1] / 2)
    assert page_scan(pdfium.PdfDocument(bytes(pdf.output()))[0]) is None  # a quarter of it


def test_despeckling_takes_dust_off_and_leaves_the_letters(quality):
    """Specks far from any letter are painted over; the page's own small marks (full stops, the
    dots of i and ż, diacritics) stay, pixel for pixel."""
    import random

    from PIL import ImageChops, ImageDraw

    page, _size = render(quality.ACTS / "dzu_2020_poz10.pdf", 3, 200)
    assert despeckle(page, 200).tobytes() == page.tobytes()  # nothing on a clean page is dust
    dusty = page.copy()
    draw = ImageDraw.Draw(dusty)
    rng = random.Random(7)
    specks = []
    while len(specks) < 60:
        x, y = rng.randrange(20, page.width - 20), rng.randrange(20, page.height - 20)
        if page.crop((x - 15, y - 15, x + 15, y + 15)).getextrema()[0] > 200:  # blank around
            draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=40)
            specks.append((x, y))
    cleaned = despeckle(dusty, 200)
    assert all(cleaned.getpixel(xy) > 200 for xy in specks)
    assert ImageChops.difference(cleaned, page).getbbox() is None  # the letters untouched


def mixed_pdf() -> bytes:
    """A report whose first page has a text layer and whose second is a real scanned page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    text = make_pdf(["Sprawozdanie gminy Barcin z realizacji projektu Kooperacja w 2025 roku."])
    writer.append(PdfReader(io.BytesIO(text)))
    writer.append(PdfReader(SCAN), pages=[1])  # the leaflet's page 2: words only in pixels
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_scanned_page_is_read_by_ocr_and_found_by_search(tmp_path, server):
    pdf = mixed_pdf()
    sha = hashlib.sha256(pdf).hexdigest()
    server.add(
        "/barcin/kooperacja/",
        project_page("Kooperacja w gminie Barcin", [("/barcin/skan.pdf", "Sprawozdanie [pdf]")]),
    )
    server.add("/barcin/skan.pdf", pdf, content_type="application/pdf")
    config_path = write_config(tmp_path, server.base)
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["partners"] = [
        {
            "id": "barcin",
            "name": "Gmina Barcin",
            "region": "kujawsko-pomorskie",
            "start_urls": [server.url("/barcin/kooperacja/")],
        }
    ]
    # A Tesseract model that is not installed: the run says so and OCRs nothing.
    data["extract"] = {"ocr": "auto", "ocr_language": "xyz"}
    config_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def run(*args):
        result = CliRunner().invoke(cli, ["--config", str(config_path), *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    first = run("update")
    assert first["extract"]["ocr_pages"] == 0
    assert "tesseract has no xyz model" in first["extract"]["ocr_unavailable"]
    assert run("show", sha[:12], "--page", "2")["text"] == ""

    data["extract"] = {"ocr": "never", "ocr_language": "pol"}
    config_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    again = run("extract", "--ocr", "auto")  # over the config; re-reads what OCR never saw
    assert again["extract"]["documents"] == 1 and again["extract"]["ocr_pages"] == 1
    assert again["extract"]["by_text_status"] == {"ocr": 1}
    run("index")

    hits = run("search", "segregacja odpadów komunalnych")
    assert [h["doc_id"] for h in hits["hits"]] == [sha[:12]]
    assert hits["hits"][0]["pages"][0]["page"] == 2
    folded = run("search", "wlascicielom nieruchomosci")  # no Polish letters, inflected
    assert folded["hits"][0]["pages"][0]["page"] == 2

    record = run("show", sha[:12])
    assert record["text_status"] == "ocr" and record["ocr_pages"] == 1
    assert 60 <= record["ocr_confidence"] <= 100
    page_one, page_two = run("show", sha[:12], "--page", "1"), run("show", sha[:12], "--page", "2")
    assert "Sprawozdanie gminy Barcin" in page_one["text"]  # its text layer, left alone
    archive = tmp_path / "archive"
    stored = json.loads((archive / f"blobs/{sha[:2]}/{sha}.pages.json").read_text("utf-8"))
    assert [p.get("source", "") for p in stored["pages"]] == ["", "ocr"]
    assert stored["pages"][1]["confidence"] == record["ocr_confidence"]
    assert "właścicielom" in page_two["text"]
    assert (page_one["source"], page_two["source"]) == ("text", "ocr")
    assert page_one["confidence"] is None and page_two["confidence"] == record["ocr_confidence"]

    # The original bytes stay the document; the text-layered PDF is kept beside them.
    original = archive / record["local_path"]
    assert hashlib.sha256(original.read_bytes()).hexdigest() == sha
    derived = archive / record["ocr_pdf"]
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(derived))
    assert len(doc) == 2
    layer_text = doc[1].get_textpage().get_text_range()
    assert "segregacji" in layer_text
    doc.close()

    status = run("status")
    assert status["ocr_pages"] == 1 and status["by_text_status"] == {"ocr": 1, "ok": 1}
    assert run("verify")["problems"] == []


def test_ocr_of_a_page_is_bounded_in_time(tmp_path):
    """A page of pure noise keeps Tesseract busy for seconds: the task is stopped at its limit
    and comes back as an error, not a hang."""
    import random
    from collections import deque

    from PIL import Image

    from kooperacja.extract.workers import Limits, OcrJob, run_bounded

    rng = random.Random(1)
    noise = Image.frombytes("L", (2400, 2400), rng.randbytes(2400 * 2400))
    path = tmp_path / "szum.pdf"
    path.write_bytes(image_pdf([(png(noise.point(lambda v: 0 if v < 100 else 255)), (576, 576))]))
    jobs = deque([OcrJob("szum", path, 1, tmp_path / "work")])
    [(_job, page)] = list(run_bounded(jobs, Limits(seconds=3, workers=1)))
    assert page.text == "" and page.layer is None
    assert "took" in page.error  # Tesseract's own deadline, or the worker's
