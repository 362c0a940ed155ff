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
        assert record["text_status"] == doc.get("text_status", "ok"), doc["id"]
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


@pytest.mark.parametrize(
    ("query", "stem", "page"),
    [
        ("dzielnicowi Wąbrzeźno", "protokol_pgd_wabrzezno_skan.pdf", 1),  # words only in pixels
        ("wolne wnioski kuratorzy", "protokol_pgd_wabrzezno_skan.pdf", 2),
        ("świetlica środowiskowa Lubicz", "notatka_zespol_kooperacyjny_lubicz.doc", 1),
        ("poradnia zdrowia psychicznego terminy", "notatka_zespol_kooperacyjny_lubicz.doc", 2),
        ("rotacja pracowników socjalnych", "prezentacja_zespoly_kooperacyjne.pptx", 4),
    ],
)
def test_a_scan_a_word_file_and_slides_are_found_on_their_pages(demo, query, stem, page):
    config, _site, _report = demo
    hit = search(config, query)["hits"][0]
    assert hit["url"].endswith(stem)
    assert hit["pages"][0]["page"] == page


def _book(hits: list[dict]) -> dict:
    return next(h for h in hits if h["type"] == "recommendations")


@pytest.mark.parametrize("query", ["rekomendacja 24", "rek. 24", "Rek 24"])
def test_a_numbered_recommendation_is_found_by_its_heading(demo, query):
    config, _site, _report = demo
    hits = search(config, query)["hits"]
    assert hits[0]["type"] == "recommendations"
    assert hits[0]["pages"][0]["section"].startswith("Rekomendacja 24.")


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ("rekomendacja dwudziesta czwarta", "Rekomendacja 24."),
        ("rekomendacja dwudziestej czwartej", "Rekomendacja 24."),
        ("co mowi rekomendacja dwunasta", "Rekomendacja 12."),
        ("dwunasta rekomendacja", "Rekomendacja 12."),
        ("trzecia rekomendacja", "Rekomendacja 3."),
        ("rekomendacja nr 24", "Rekomendacja 24."),
        ("rekomendacja XXIV", "Rekomendacja 24."),
    ],
)
def test_a_recommendation_asked_for_by_its_number_as_staff_say_it(demo, query, heading):
    config, _site, _report = demo
    hits = search(config, query)["hits"]
    assert hits[0]["type"] == "recommendations", query
    assert hits[0]["pages"][0]["section"].startswith(heading), hits[0]["pages"]


def test_abbreviations_meet_what_they_stand_for_both_ways(demo):
    config, _site, _report = demo
    # The recommendation on the PCPR comes first (it writes both forms); no "Czy chodziło o".
    pcpr = search(config, "PCPR", "--limit", "20")
    first = pcpr["hits"][0]["pages"][0]
    assert first["section"].startswith("Rekomendacja 10. Współpraca z powiatowym centrum"), first
    assert pcpr.get("suggestion") is None
    written = search(config, "powiatowe centrum pomocy rodzinie", "--limit", "20")
    assert {h["doc_id"] for h in pcpr["hits"]} & {h["doc_id"] for h in written["hits"]}
    # "KGW" alone is in the short model; "koło gospodyń wiejskich" finds it too.
    kgw = {h["title"] for h in search(config, "KGW", "--limit", "20")["hits"]}
    said = {h["title"] for h in search(config, "kolo gospodyn wiejskich", "--limit", "20")["hits"]}
    assert any("wersja skrócona" in t for t in kgw & said), (kgw, said)
    mops = search(config, "wspolpraca z MOPS")["hits"]
    assert any("miejsk" in h["title"] for h in mops)


def test_the_books_own_list_of_abbreviations_is_used(demo):
    config, _site, _report = demo
    from kooperacja.config import DEFAULT_ABBREVIATIONS

    # OSP is not in the shipped list: only the book's "Wykaz skrótów" says what it stands for,
    # and the recommendation on local leaders writes "ochotnicze straże pożarne" out.
    assert "OSP" not in dict(DEFAULT_ABBREVIATIONS)
    book = _book(search(config, "OSP")["hits"])
    assert any(p["section"].startswith("Rekomendacja") for p in book["pages"]), book["pages"]
    assert any("straże pożarne" in p["snippet"] for p in book["pages"]), book["pages"]


def test_a_typo_of_the_projects_own_name_gives_the_projects_results(demo):
    config, _site, _report = demo
    typed = search(config, "koperacja", "--limit", "50")
    # "koper…" (its stem) meets only "Kopernika": the word meant is one letter away.
    assert typed["suggestion"] == "kooperacja"
    assert typed["notes"] == ["nothing matched as typed; showing results for: kooperacja"]
    meant = search(config, "kooperacja", "--limit", "50")
    assert [h["doc_id"] for h in typed["hits"]] == [h["doc_id"] for h in meant["hits"]]
    assert typed["total"] == meant["total"] > 10
    shown = invoke(config, "search", "koperacja").stdout
    assert "Nic nie pasuje do wpisanych słów; wyniki dla: kooperacja" in shown


def test_a_word_typed_without_polish_letters_is_not_taken_for_a_typo(demo):
    config, _site, _report = demo
    # "wspierac" is "wspierać", which the archive does not hold: no "Czy chodziło o: wspiera".
    result = search(config, "jak wspierac asystenta rodziny")
    assert result.get("suggestion") is None
    assert not any("showing results for" in note for note in result.get("notes", []))
    assert result["hits"]
    # A typo beside it is still corrected, and the word keeps its letters as typed.
    fixed = search(config, "jak wspierac asystenta rodizny")
    assert fixed["suggestion"] == "jak wspierac asystenta rodziny"


def test_a_section_label_keeps_its_heading_wrapped_onto_a_second_line(demo):
    config, _site, _report = demo
    # In the book's PDF these headings wrap: "… z dzielnicowymi" / "Policji".
    for query, heading in (
        ("rek. 24", "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji"),
        ("rek. 12", "Rekomendacja 12. Odrębność zespołu kooperacyjnego i zespołu "
         + "interdyscyplinarnego"),
    ):
        assert search(config, query)["hits"][0]["pages"][0]["section"] == heading


def test_a_model_is_found_by_the_words_of_its_title(demo):
    config, _site, _report = demo
    for query in ("model dla gmin miejskich", "model gminy miejskie"):
        first = search(config, query)["hits"][0]
        assert first["type"] == "model" and "miejskich" in first["title"], (query, first["title"])
        assert "wiejsk" not in first["title"], query


def test_every_inflected_form_finds_the_same_documents(demo):
    config, _site, _report = demo
    for group in (("dane", "danych", "danymi"), ("gmina", "gmin", "gminach")):
        found = [{h["doc_id"] for h in search(config, q, "--limit", "50")["hits"]} for q in group]
        assert found[0] and all(f == found[0] for f in found), dict(zip(group, found, strict=True))


def test_police_recommendations_rank_above_one_that_mentions_police_once(demo):
    config, _site, _report = demo
    pages = _book(search(config, "rekomendacje policja")["hits"])["pages"]
    sections = [p["section"][:16] for p in pages]
    assert sections[0].startswith(("Rekomendacja 23", "Rekomendacja 24")), sections


@pytest.mark.parametrize("query", ["wspolpraca z policja", "współpraca z policją"])
def test_the_page_whose_heading_holds_the_whole_question_comes_first(demo, query):
    config, _site, _report = demo
    # Two documents say "współpraca" on every page, in the title too, and name the police once;
    # Recommendation 24's heading holds both words: it is the page asked for.
    first = search(config, query)["hits"][0]
    assert first["type"] == "recommendations", first["title"]
    assert first["pages"][0]["section"] == (
        "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji"
    )


@pytest.mark.parametrize(
    "question",
    [
        "jak współpracować z policją w sprawie przemocy",
        "jak wspolpracowac z policja w sprawie przemocy",
        "co robić gdy w rodzinie jest przemoc",
        "co robic gdy przemoc w rodzinie",
    ],
)
def test_a_question_as_staff_type_it_finds_the_pages_about_it(demo, question):
    config, _site, _report = demo
    result = search(config, question)
    assert "suggestion" not in result  # every content word is in the archive
    first = result["hits"][0]["pages"][0]["snippet"].lower()
    assert "<b>przemoc" in first or "<b>policj" in first, first
    assert result["total"] > len(result["hits"])  # pages with some of the words follow


def test_a_news_page_comes_with_its_snippet(demo):
    config, _site, _report = demo
    news = [h for h in search(config, "kooperacja", "--type", "news")["hits"]]
    assert news and all(h["pages"] and h["pages"][0]["page"] == 1 for h in news)
    assert all("<b>" in h["pages"][0]["snippet"] for h in news)


def test_the_command_line_as_people_type_it(demo):
    config, _site, _report = demo
    with_all = {h["doc_id"] for h in search(config, "asystent", "--limit", "50")["hits"]}
    without = search(config, "asystent", "-przemoc", "--limit", "50")["hits"]
    assert without and {h["doc_id"] for h in without} < with_all
    leading = search(config, "-przemoc", "asystent", "--limit", "50")["hits"]
    assert {h["doc_id"] for h in leading} == {h["doc_id"] for h in without}
    quiet = invoke(config, "search", "asystent", "rodziny", "-q", "--json")
    assert quiet.exit_code == 0 and json.loads(quiet.stdout)["total"] > 0
    assert invoke(config, "status", "-v").exit_code == 0
    polish = search(config, "asystent", "--type", "rekomendacje")["hits"]
    assert polish and {h["type"] for h in polish} == {"recommendations"}
    assert search(config, "asystent type:sprawozdanie")["hits"][0]["type"] == "pilot-report"
    bad_type = invoke(config, "search", "asystent", "--type", "broszura")
    assert bad_type.exit_code == 2 and "recommendations (rekomendacje)" in bad_type.stderr
    assert len(bad_type.stderr.strip().splitlines()) == 1
    bad_partner = invoke(config, "search", "asystent", "--partner", "rops-krakow")
    assert bad_partner.exit_code == 2 and "rops-torun" in bad_partner.stderr


def test_show_takes_the_page_number_printed_in_the_document(demo):
    config, _site, _report = demo
    hit = _book(search(config, "asystent rodziny policja")["hits"])
    page = hit["pages"][0]  # PDF page 31, printed as 26
    by_label = json.loads(invoke(config, "show", hit["doc_id"], "--page", "s.26", "--json").stdout)
    by_index = json.loads(invoke(config, "show", hit["doc_id"], "--page", "31", "--json").stdout)
    assert by_label["page"] == by_index["page"] == page["page"] == 31
    assert by_label["text"] == by_index["text"] and by_label["label"] == "26"
    missing = invoke(config, "show", hit["doc_id"], "--page", "s.999")
    assert missing.exit_code == 2 and "printed" in missing.stderr


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
    assert "--config demo/config.yaml recommendations policja" in text.splitlines()[-1]

def test_demo_finds_short_news_and_films_and_keeps_no_list_pages(demo):
    config, _site, _report = demo
    expected = yaml.safe_load((DEMO / "expected.yaml").read_text(encoding="utf-8"))
    records = json.loads(invoke(config, "export", "--format", "json").stdout)
    by_url = {r["url"]: r for r in records}
    site_base = next(u for u in by_url if u.startswith("http://127.0.0.1")).split("/", 3)[:3]
    root = "/".join(site_base) + "/"
    for want in expected["found"]:
        hit = search(config, *want["search"])["hits"][0]
        assert (hit["type"], hit["title"]) == (want["type"], want["title"]), want["what"]
        url = want["url"] if want["url"].startswith("https://") else root + want["url"]
        assert hit["url"] == url, want["what"]
        record = by_url[url]
        if want.get("date"):
            assert record["date"] == want["date"], (want["what"], record["tag_reasons"])
        for page in want.get("found_on", ()):
            assert root + page in record["found_on"], want["what"]
    for page in expected["not_documents"]:
        assert root + page not in by_url


def test_every_page_of_the_demo_answers_in_polish_with_a_picture_of_each_pdf(demo, tmp_path):
    """The demo's every document through `kooperacja serve`: a scan, a Word file, slides, films
    and web pages included; a PDF's page leads with its picture, the others say their format."""
    import requests
    from bs4 import BeautifulSoup

    from tests.web_archive import start_serve

    config, _site, _report = demo
    records = json.loads(invoke(config, "export", "--format", "json").stdout)
    assert {r["text_status"] for r in records} >= {"ok", "ocr"}
    proc, base = start_serve(config, "--workers", "1", "--preview-cache", str(tmp_path / "p"))
    try:
        for words in ("asystent rodziny policja", "dzielnicowi Wąbrzeźno", "koperacja",
                      "świetlica środowiskowa Lubicz", "film"):  # fmt: skip
            for lang in ("pl", "en"):
                page = requests.get(base + "/", params={"q": words, "lang": lang}, timeout=60)
                assert page.status_code == 200, (words, lang)
        scan = requests.get(base + "/", params={"q": "dzielnicowi Wąbrzeźno"}, timeout=60).text
        assert "skan (OCR), pewność OCR " in BeautifulSoup(scan, "html.parser").get_text()
        for record in records:
            doc_id = record["doc_id"]
            page = requests.get(f"{base}/doc/{doc_id}", timeout=60)
            assert page.status_code == 200, (doc_id, record["media_type"])
            html = BeautifulSoup(page.text, "html.parser")
            image = html.select_one("figure.preview img")
            if record["media_type"] == "application/pdf":
                picture = requests.get(base + image["src"], timeout=60)
                assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG", doc_id
                assert image["alt"].startswith("Strona 1 dokumentu „")
            else:
                assert image is None and html.select_one(".no-preview"), doc_id
            if record["text_status"] == "ocr":
                note = html.select_one(".ocr-note").get_text()
                assert note.startswith("tekst odczytany ze skanu (pewność OCR "), note
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_libraries_harvest_the_demo_and_staff_subscribe_to_its_searches(demo):
    """The demo served: Sickle harvests every record over /oai in parts, each answer valid
    against the official schemas; the feed of a search reads in feedparser; a scan among the
    results shows its OCR confidence beside "Subskrybuj (Atom)"."""
    import feedparser
    import requests
    from lxml import etree
    from sickle import Sickle

    from kooperacja.config import load_config
    from kooperacja.web.app import create_app
    from tests.test_web_oai import SCHEMA
    from tests.test_web_searches import served

    config, _, _ = demo
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["oai"] = {"page_size": 7}
    oai_config = config.with_name("config-oai.yaml")
    oai_config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    records = json.loads(invoke(config, "export", "--format", "json").stdout)
    assert len(records) > 3 * 7
    with served(create_app(load_config(oai_config))) as base:
        harvested = list(Sickle(base + "/oai", max_retries=0, timeout=120).ListRecords(
            metadataPrefix="oai_dc"))  # fmt: skip
        assert sorted(r.header.identifier for r in harvested) == sorted(
            f"oai:127.0.0.1:{r['doc_id']}" for r in records
        )
        book = next(r for r in harvested if "type:recommendations" in r.header.setSpecs)
        assert book.metadata["title"] == ["Księga rekomendacyjna"]
        assert "Regionalny Ośrodek Polityki Społecznej w Toruniu" in book.metadata["publisher"]
        token = None
        while True:  # every part of the list, by hand, against the schemas
            args = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
            root = etree.fromstring(requests.get(
                base + "/oai", params={"verb": "ListRecords", **args}, timeout=120).content)
            SCHEMA.assertValid(root)
            token = root.findtext("{*}ListRecords/{*}resumptionToken")
            if not token:
                break
        feed = feedparser.parse(requests.get(base + "/feed", params={"q": "asystent rodziny"},
                                             timeout=120).content)  # fmt: skip
        assert not feed.bozo and feed.feed.title.endswith("asystent rodziny")
        book_id = book.header.identifier.rsplit(":", 1)[1]
        assert any(e.link == f"{base}/doc/{book_id}" for e in feed.entries)
        page = requests.get(base + "/", params={"q": "dzielnicowi Wąbrzeźno"}, timeout=120)
        assert page.status_code == 200
        assert "pewność OCR" in page.text and "Subskrybuj (Atom)" in page.text
