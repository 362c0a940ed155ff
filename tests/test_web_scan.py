"""A scanned document among the results: its OCR confidence is shown ("pewność OCR 87%"), in
both languages, where the results page used to answer 500 (a "%" in a gettext message)."""

from __future__ import annotations

from pathlib import Path

import requests

from kooperacja.models import IndexDoc, PageText
from kooperacja.search import rebuild_index
from tests.conftest import write_config
from tests.web_archive import start_serve


def test_a_scan_among_the_results_shows_its_ocr_confidence(tmp_path: Path) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")
    (tmp_path / "archive").mkdir()
    scan = IndexDoc(
        doc_id="abcdef012345",
        sha256="abcdef012345" + "0" * 52,
        fingerprint="f1",
        title="Sprawozdanie z pilotażu (skan)",
        type="pilot-report",
        partners=("rops-gdansk",),
        year=2020,
        url="https://example.org/skan.pdf",
        status="online",
        media_type="application/pdf",
        pages=(PageText(1, "Sprawozdanie z pilotażu w gminach wiejskich.", source="ocr"),),
        format="scan",
        ocr_confidence=87.4,
    )
    rebuild_index(tmp_path / "index", [scan])
    proc, base = start_serve(config)
    try:
        for lang, shown in (("pl", "skan (OCR), pewność OCR 87%"), ("en", "OCR confidence 87%")):
            page = requests.get(base + "/", params={"q": "sprawozdanie", "lang": lang}, timeout=30)
            assert page.status_code == 200, page.text[-500:]
            assert shown in page.text
            assert "Sprawozdanie z pilotażu (skan)" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
