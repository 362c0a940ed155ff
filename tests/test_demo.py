"""The offline demo, end to end: every demo document typed and dated right, the example searches
on the right pages, a second update downloading nothing, a removed document gone but found."""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kooperacja.cli import cli

DEMO = Path(__file__).resolve().parents[1] / "demo"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    sys.path.insert(0, str(DEMO))
    from build_site import build_site

    root = tmp_path_factory.mktemp("demo")
    site = root / "site"
    build_site(site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    text = (DEMO / "config.yaml").read_text(encoding="utf-8").replace("http://127.0.0.1:8737", base)
    config = root / "config.yaml"
    config.write_text(text, encoding="utf-8")
    first = invoke(config, "update", "--json")
    assert_only_the_dead_link_failed(first)
    yield config, site, json.loads(first.stdout)
    server.shutdown()
    server.server_close()


def assert_only_the_dead_link_failed(result) -> None:
    """The demo site keeps one dead link, as partner sites do: named, and the run exits 1."""
    assert result.exit_code == 1, result.stderr
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1 and "schemat_modelu_gminy_wiejskie.pdf" in failures[0], failures
    assert "HTTP 404" in failures[0] and "linked from" in failures[0]


def invoke(config, *args):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def search(config, *args):
    result = invoke(config, "search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_every_demo_document_is_typed_and_dated_right(demo):
    config, _site, _report = demo
    records = {
        r["sha256"]: r for r in json.loads(invoke(config, "export", "--format", "json").stdout)
    }
    expected = yaml.safe_load((DEMO / "expected.yaml").read_text(encoding="utf-8"))["documents"]
    assert len(expected) >= 12
    for doc in expected:
        record = records[doc["sha256"]]
        assert record["type"] == doc["type"], (doc["id"], record["tag_reasons"])
        assert record["year"] == doc["year"], (doc["id"], record["tag_reasons"])
        if doc.get("date"):
            assert record["date"] == doc["date"], (doc["id"], record["tag_reasons"])
        assert record["partners"] == doc["partners"], doc["id"]
        assert record["pages"] == doc["pages"]
        assert record["text_status"] == "ok"
        assert set(record["tag_reasons"]) >= {"type", "year", "title"}


def test_demo_searches_land_on_the_right_pages(demo):
    config, _site, _report = demo
    book = search(config, "rekomendacje")["hits"]
    assert book and book[0]["type"] == "recommendations"
    hits = search(config, "asystent rodziny policja")["hits"]
    book_hit = next(h for h in hits[:3] if h["type"] == "recommendations")
    assert book_hit["pages"][0]["page"] == 31  # Rekomendacja 24, printed page 26
    assert book_hit["pages"][0]["label"] == "26"
    assert book_hit["pages"][0]["section"].startswith("Rekomendacja 24.")
    folded = search(config, "asystentow rodzinnych policja")["hits"]
    folded_book = next(h for h in folded[:3] if h["type"] == "recommendations")
    assert folded_book["pages"][0]["page"] == 31
    # a query typed without Polish letters ranks as the same query typed with them
    assert [h["doc_id"] for h in folded] == [
        h["doc_id"] for h in search(config, "asystentów rodzinnych policja")["hits"]
    ]
    together = search(config, "wspolpraca instytucji")
    assert together["total"] >= 5
    assert all(h["pages"] for h in together["hits"] if h["url"].endswith(".pdf"))


def test_second_update_downloads_no_document_bytes(demo):
    config, _site, _report = demo
    result = invoke(config, "update", "--json")
    assert_only_the_dead_link_failed(result)
    report = json.loads(result.stdout)
    assert report["document_bytes"] == 0
    assert (
        sum(p["documents_new"] + p["documents_changed"] for p in report["partners"].values()) == 0
    )


def test_removed_document_is_gone_and_still_found(demo):
    config, site, _report = demo
    diagnoza = search(config, "diagnoza sieci wsparcia rodzin")["hits"][0]["doc_id"]
    # The partner takes the document and its link off the page.
    (site / "files/umk/diagnoza_sieci_wsparcia_rodzin.pdf").unlink()
    page = site / "umk/cbnr/strona/kooperacja-efektywna-i-skuteczna/index.html"
    html = page.read_text(encoding="utf-8")
    kept = [line for line in html.splitlines() if "diagnoza_sieci_wsparcia_rodzin" not in line]
    page.write_text("\n".join(kept), encoding="utf-8")
    later = time.time() + 2  # newer than the archived copy even within the same second
    os.utime(page, (later, later))
    result = invoke(config, "update", "--json")
    umk = json.loads(result.stdout)["partners"]["umk"]
    # Gone: the document, and the page's previous text (the page is archived as news too).
    assert diagnoza in umk["gone"] and umk["documents_gone"] == 2
    assert umk["documents_changed"] == 1
    hits = search(config, "diagnoza sieci wsparcia rodzin")["hits"]
    assert hits[0]["status"] == "gone"
    readable = invoke(config, "search", "diagnoza sieci wsparcia rodzin").stdout
    assert "USUNIĘTY ZE STRONY" in readable


def test_make_demo_ends_with_the_commands_that_search_and_browse_its_archive():
    sys.path.insert(0, str(DEMO))
    from run_demo import next_steps

    text = next_steps()
    assert '--config demo/config.yaml search "asystent rodziny"' in text
    assert (
        "--config demo/config.yaml serve" in text and "KOOPERACJA_CONFIG=demo/config.yaml" in text
    )
