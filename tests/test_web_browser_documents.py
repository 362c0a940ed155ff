"""What staff take from the page in a real browser (Debian's Chromium, as in test_web_browser.py):
the picture of a document's page loads at 1366 and 390 px, and a click on "Pobierz te wyniki"
saves a spreadsheet under its own name that opens with the search's documents."""

from __future__ import annotations

import csv
import io
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.test_web_browser import (
    AXE,
    CHROMEDRIVER,
    CHROMIUM,
    FLAGS,
    PHONE,
    axe_violations,
    fits_the_phone,
    follow,
    search_for,
    too_wide,
)

SIZES = [(1366, 900), PHONE]


@pytest.fixture(scope="module")
def browser_saving(tmp_path_factory):
    """Chromium that saves downloads, without asking, into a folder of the test's own."""
    for path, fix in ((CHROMIUM, "scripts/sysdeps.sh"), (CHROMEDRIVER, "scripts/sysdeps.sh"),
                      (AXE, "scripts/jsdeps.sh")):  # fmt: skip
        assert Path(path).exists(), f"{path} missing: run {fix} (make test does)"
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
    })  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.set_page_load_timeout(30)
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        try:
            yield driver, downloads
        finally:
            driver.quit()


def image_loaded(driver, image) -> int:
    """The picture's natural width once the browser has it (0 for a broken image)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = driver.execute_script(
            "return [arguments[0].complete, arguments[0].naturalWidth]", image
        )
        if state[0]:
            return state[1]
        time.sleep(0.1)
    return 0


@pytest.mark.parametrize("size", SIZES, ids=["1366px", "390px"])
def test_the_document_page_shows_the_picture_of_the_matched_page(
    browser_saving, web_archive, size
):
    browser, _ = browser_saving
    base, book = web_archive.base, web_archive.ids["book"]
    browser.set_window_size(*size)
    try:
        search_for(browser, base, "wspolpraca z policja")
        title = browser.find_element(By.CSS_SELECTOR, f"li.hit h3 a[href^='/doc/{book}?page=']")
        matched = urlsplit(title.get_attribute("href")).query.split("=")[1]
        follow(browser, title)
        image = browser.find_element(By.CSS_SELECTOR, "main figure.preview img")
        assert image_loaded(browser, image) == 600  # drawn, not a broken image
        assert image.get_attribute("src") == f"{base}/doc/{book}/page/{matched}/preview.png"
        assert image.get_attribute("alt").startswith(f"Strona {matched} dokumentu „Księga")
        shown = image.rect
        assert 120 <= shown["width"] <= 300 and shown["height"] > shown["width"]  # a portrait page
        assert shown["y"] < size[1]  # it leads: on the first screen
        download = browser.find_element(By.CSS_SELECTOR, ".actions a.download")
        assert download.rect["y"] + download.rect["height"] <= size[1]  # and Pobierz beside it
        caption = browser.find_element(By.CSS_SELECTOR, "main figure.preview figcaption")
        assert "szukane słowa" in caption.text
        assert fits_the_phone(browser) or size != PHONE, too_wide(browser)
        assert axe_violations(browser) == [], "document page with its picture"
        follow(browser, caption.find_element(By.TAG_NAME, "a"))  # the first page instead
        image = browser.find_element(By.CSS_SELECTOR, "main figure.preview img")
        assert image_loaded(browser, image) == 600
        assert image.get_attribute("src") == f"{base}/doc/{book}/preview.png"
        # A web page has no picture of its pages: its format, and no broken image.
        browser.get(f"{base}/doc/{web_archive.ids['news_hostile']}")
        assert browser.find_elements(By.TAG_NAME, "img") == []
        assert browser.find_element(By.CSS_SELECTOR, ".format-line .format").text == "strona WWW"
        assert axe_violations(browser) == [], "document page without a picture"
    finally:
        browser.set_window_size(1280, 1000)


def saved(folder: Path, name: str, since: float) -> Path:
    """The downloaded file once Chromium has finished writing it."""
    path = folder / name
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        partial = list(folder.glob("*.crdownload"))
        if path.exists() and path.stat().st_mtime >= since - 1 and not partial:
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} not saved; the folder holds {sorted(folder.iterdir())}")


@pytest.mark.parametrize("size", SIZES, ids=["1366px", "390px"])
def test_a_click_on_download_these_results_saves_the_searchs_documents(
    browser_saving, web_archive, size
):
    browser, downloads = browser_saving
    base = web_archive.base
    browser.set_window_size(*size)
    api = web_archive.get("/api/search", params={"q": "asystent rodziny", "limit": "1000"})
    expected = [h["doc_id"] for h in api.json()["hits"]]
    assert len(expected) >= 2
    try:
        search_for(browser, base, "asystent rodziny")
        for link_text, name in (("Excel (xlsx)", "wyniki-asystent-rodziny.xlsx"),
                                ("CSV", "wyniki-asystent-rodziny.csv")):  # fmt: skip
            (downloads / name).unlink(missing_ok=True)
            link = browser.find_element(By.LINK_TEXT, link_text)
            assert link.is_displayed() and link.rect["height"] >= 24
            since = time.time()
            link.click()
            path = saved(downloads, name, since)  # the name Content-Disposition gave it
            answer = web_archive.get(link.get_attribute("href").removeprefix(base))
            assert f'filename="{name}"' in answer.headers["content-disposition"]
            assert browser.find_element(By.ID, "results-heading")  # still on the results
            if name.endswith(".xlsx"):
                book = load_workbook(path)
                people, scripts = book.worksheets[0], book["Katalog"]
                head = [c.value for c in scripts[1]]
                ids = [r[head.index("doc_id")] for r in scripts.iter_rows(min_row=2,
                                                                            values_only=True)]
                assert ids == expected
                titles = [r[0] for r in people.iter_rows(min_row=2, values_only=True)]
                shown = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "li.hit h3 a")]
                assert titles[: len(shown)] == shown  # the page's order, best first
                partner = [c.value for c in people[1]].index("Partner")
                assert all(str(r[partner]).startswith("ROPS w ")
                           for r in people.iter_rows(min_row=2, values_only=True))
            else:
                text = path.read_bytes().decode("utf-8-sig")
                rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
                assert [r["doc_id"] for r in rows] == expected
    finally:
        browser.set_window_size(1280, 1000)
