"""Recommendations as records on the demo archive, end to end (issue 20): `update` reads them,
`kooperacja recommendations` searches them in Polish, the exports open in openpyxl, csv and
json, and the web page's Rekomendacje in a real server and in real Chromium at 1366 and 390 px."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import openpyxl
import pytest
import requests
from selenium.webdriver.common.by import By

from tests.test_demo import demo, invoke  # noqa: F401  (the demo archive, built once here)
from tests.test_web_browser import (  # noqa: F401  (the browser fixture)
    PHONE,
    axe_violations,
    browser,
    fits_the_phone,
    follow,
    too_wide,
)
from tests.web_archive import start_serve

BOOK = "1a080f2ce851"  # the demo's recommendation book, linked by two partners
R24 = f"{BOOK}-24"


def recommendations(config, *args: str) -> dict:
    result = invoke(config, "recommendations", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_update_reads_the_books_recommendations_once_for_both_partners(demo):  # noqa: F811
    config, _site, report = demo
    assert report["extract"]["recommendations"]["found"] == 30
    data = recommendations(config)
    assert data["total"] == 30 == len({r["id"] for r in data["recommendations"]})
    r24 = next(r for r in data["recommendations"] if r["id"] == R24)
    assert r24 | {"text": None} == r24 | {
        "number": 24,
        "title": "Współpraca asystentów rodziny z dzielnicowymi Policji",
        "addressees": [
            "ośrodki pomocy społecznej zatrudniające asystentów rodziny",
            "komendy powiatowe i miejskie Policji",
        ],
        "addressee_kinds": ["OPS", "Policja"],
        "doc_id": BOOK, "page": 31, "page_label": "26", "status": "online", "text": None,
        "book": "Księga rekomendacyjna", "partners": ["rops-torun", "rops-gdansk"],
    }  # fmt: skip
    assert "wspólna wizyta w środowisku" in r24["text"]
    again = invoke(config, "update", "--json")  # nothing new: nothing read again
    assert json.loads(again.stdout)["extract"]["recommendations"] == {"documents": 0, "found": 0}
    assert recommendations(config)["total"] == 30


def test_recommendations_policja_finds_24_first_and_addressee_narrows(demo):  # noqa: F811
    config, _site, _report = demo
    found = recommendations(config, "policja")
    assert found["recommendations"][0]["id"] == R24
    assert {r["number"] for r in found["recommendations"]} == {7, 17, 23, 24}
    # as people type it: no Polish letters, another inflection, a question
    assert recommendations(config, "wspolpraca", "z", "policja")["recommendations"][0]["id"] == R24
    assert recommendations(config, "asystentów rodzinnych")["recommendations"][0]["id"] == R24
    # the query language's filters apply to a recommendation's document
    assert recommendations(config, "policja", "partner:rops-gdansk")["total"] == 4
    assert recommendations(config, "policja", "-type:recommendations")["total"] == 0
    sad = recommendations(config, "sady", "rodzinne")["recommendations"]
    assert [r["number"] for r in sad] == [25]
    by_kind = recommendations(config, "--addressee", "Policja")
    assert [r["number"] for r in by_kind["recommendations"]] == [7, 17, 23, 24]
    assert recommendations(config, "--addressee", "policja")["addressee"] == "Policja"
    both = recommendations(config, "asystent", "rodziny", "--addressee", "OPS")["recommendations"]
    assert both[0]["id"] == R24 and all("OPS" in r["addressee_kinds"] for r in both)
    readable = invoke(config, "recommendations", "policja").stdout
    assert "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji" in readable
    assert "s. 26 (strona PDF 31)" in readable and "Adresaci:" in readable


def test_bad_input_is_one_line_and_exit_2(demo):  # noqa: F811
    config, _site, _report = demo
    unknown = invoke(config, "recommendations", "--addressee", "kosmici")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip().count("\n") == 0 and "Policja" in unknown.stderr
    quote = invoke(config, "recommendations", '"asystent')
    assert quote.exit_code == 2 and "quote" in quote.stderr and "Traceback" not in quote.stderr
    assert invoke(config, "export", "--what", "recommendations", "--format", "atom").exit_code == 2
    assert invoke(config, "export", "--format", "json", "--addressee", "OPS").exit_code == 2
    none = invoke(config, "recommendations", "kosmonauta")
    assert none.exit_code == 0 and "Brak rekomendacji" in none.stdout


def test_exports_of_recommendations_open_in_excel_csv_and_json(demo, tmp_path):  # noqa: F811
    config, _site, _report = demo
    sheet_path = tmp_path / "rekomendacje.xlsx"
    result = invoke(
        config, "export", "--what", "recommendations", "--format", "xlsx", "--output",
        str(sheet_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(sheet_path).active
    assert sheet.title == "Rekomendacje"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Nr", "Tytuł", "Adresaci", "Książka", "Strona")
    row24 = next(r for r in rows[1:] if r[0] == 24)
    assert row24[1:6] == (
        "Współpraca asystentów rodziny z dzielnicowymi Policji",
        "ośrodki pomocy społecznej zatrudniające asystentów rodziny; komendy powiatowe i "
        "miejskie Policji",
        "Księga rekomendacyjna",
        26,
        31,
    )
    assert len(rows) == 31
    text = invoke(config, "export", "--what", "recommendations", "--format", "csv", "--excel",
                  "--addressee", "sąd").stdout  # fmt: skip
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert table[0][:5] == ["Nr", "Tytuł", "Adresaci", "Książka", "Strona"]
    assert [r[0] for r in table[1:]] == ["25"]
    records = json.loads(
        invoke(config, "export", "--what", "recommendations", "--format", "json").stdout
    )
    listed = recommendations(config)["recommendations"]
    assert [r["id"] for r in records] == [r["id"] for r in listed]


@pytest.fixture(scope="module")
def web(demo):  # noqa: F811
    config, _site, _report = demo
    proc, base = start_serve(config)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_the_web_list_searches_facets_and_downloads(web):
    page = requests.get(web + "/rekomendacje?q=policja", timeout=30)
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    html = page.text
    first = html.index(f'href="/rekomendacje/{R24}"')
    assert first < html.index(f'href="/rekomendacje/{BOOK}-17"')  # best first
    assert "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji" in html
    assert 'href="/rekomendacje?q=policja&amp;adresat=OPS"' in html  # the facet keeps the words
    narrowed = requests.get(web + "/rekomendacje?adresat=sad", timeout=30).text
    assert f"/rekomendacje/{BOOK}-25" in narrowed and f"/rekomendacje/{R24}" not in narrowed
    assert "adresowane do: sąd" in narrowed
    unknown = requests.get(web + "/rekomendacje?adresat=kosmici", timeout=30)
    assert unknown.status_code == 200 and "Nieznany rodzaj adresata" in unknown.text
    bad = requests.get(web + '/rekomendacje?q="asystent', timeout=30)
    assert bad.status_code == 200 and 'role="alert"' in bad.text
    sheet = requests.get(web + "/export/recommendations/xlsx?q=policja&adresat=Policja", timeout=30)
    assert sheet.status_code == 200
    assert "rekomendacje-policja" in sheet.headers["content-disposition"]
    rows = openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    assert [r[0] for r in list(rows)[1:]] == [24, 17, 7, 23]
    moved = requests.get(web + "/recommendations?q=policja", timeout=30, allow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/rekomendacje?q=policja"


def test_a_recommendations_page_links_its_pdf_page_and_others_to_the_same(web):
    page = requests.get(web + f"/rekomendacje/{R24}", timeout=30)
    assert page.status_code == 200
    html = page.text
    assert "<h1>Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji" in html
    assert "komendy powiatowe i miejskie Policji" in html and "pieczy zastępczej" in html
    assert f'href="/file/{BOOK}/{BOOK}.pdf#page=31"' in html
    assert f'href="/doc/{BOOK}/page/31"' in html
    alike = html[html.index('id="alike-heading"') :]
    policja = alike[alike.index(">Policja <") :]
    assert [f"/rekomendacje/{BOOK}-{n}" in policja for n in (7, 17, 23)] == [True] * 3
    assert f"/rekomendacje/{BOOK}-26" in alike[alike.index(">OPS <") : alike.index(">Policja <")]
    assert f"/rekomendacje/{BOOK}-28" not in alike  # gminy and NGO only
    pdf = requests.get(web + f"/file/{BOOK}/{BOOK}.pdf", timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    for missing in (f"/rekomendacje/{BOOK}-99", "/rekomendacje/..%2Fetc", "/rekomendacje/x-1"):
        assert requests.get(web + missing, timeout=30).status_code == 404, missing


def test_a_search_hit_on_a_recommendations_page_names_it(web):
    html = requests.get(web + "/?q=asystent+rodziny+policja", timeout=30).text
    link = f'<a class="recommendation-link" href="/rekomendacje/{R24}">'
    assert link + "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji" in html


@pytest.mark.parametrize("size", [(1366, 900), PHONE], ids=["1366px", "390px"])
def test_rekomendacje_in_chromium(browser, web, size):  # noqa: F811
    browser.set_window_size(*size)
    try:
        browser.get(web + "/")
        follow(browser, browser.find_element(By.LINK_TEXT, "Rekomendacje"))
        assert browser.current_url.endswith("/rekomendacje")
        assert len(browser.find_elements(By.CSS_SELECTOR, "ol.recommendations > li")) == 30
        box = browser.find_element(By.ID, "q")
        box.send_keys("wspolpraca z policja")
        follow(browser, browser.find_element(By.CSS_SELECTOR, "form.search button"))
        headings = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "li.hit h3 a")]
        assert headings[0].startswith("Rekomendacja 24.")
        facet = browser.find_element(By.CSS_SELECTOR, "nav.facets a[href*='adresat=Policja']")
        follow(browser, facet)
        assert "adresat=Policja" in browser.current_url and "q=wspolpraca" in browser.current_url
        for path in ("/rekomendacje?q=policja", f"/rekomendacje/{R24}", "/rekomendacje"):
            browser.get(web + path)
            assert axe_violations(browser) == [], (size, path)
            if size == PHONE:
                assert fits_the_phone(browser), (path, too_wide(browser))
        follow(browser, browser.find_element(By.CSS_SELECTOR, f"a[href='/rekomendacje/{R24}']"))
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Rekomendacja 24.")
        small = browser.execute_script(
            "return [...document.querySelectorAll('main a')]"
            ".filter(a => a.offsetParent && a.getBoundingClientRect().height < 24)"
            ".map(a => a.outerHTML.slice(0, 80))"
        )
        assert small == []
    finally:
        browser.set_window_size(1280, 1000)
