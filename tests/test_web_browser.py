"""The staff web page in a real browser: Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver (no browser is downloaded), over `kooperacja serve` on 127.0.0.1.
Accessibility is checked with axe-core (from npm, scripts/jsdeps.sh) inside that browser."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# As /work/.library's machine notes advise for this closed network: no background connections.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic", "--window-size=1280,1000",
)  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    for path, fix in ((CHROMIUM, "scripts/sysdeps.sh"), (CHROMEDRIVER, "scripts/sysdeps.sh"),
                      (AXE, "scripts/jsdeps.sh")):  # fmt: skip
        assert Path(path).exists(), f"{path} missing: run {fix} (make test does)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


def axe_violations(driver) -> list[dict]:
    """Serious and critical axe-core violations (WCAG 2.0/2.1 A and AA rules) of the open page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(String(e)));"
    )
    violations = json.loads(result)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def no_alert(driver) -> bool:
    try:
        driver.switch_to.alert.text  # noqa: B018 (raises when there is no alert)
    except NoAlertPresentException:
        return True
    return False


def loaded(driver, old_page) -> None:
    """Wait until the next page has replaced `old_page` and finished loading (on a busy machine
    the old page goes well before the new one is parsed)."""
    wait = WebDriverWait(driver, 30)
    wait.until(expected_conditions.staleness_of(old_page))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def follow(driver, link) -> None:
    """Click a link and wait until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    link.click()
    loaded(driver, page)


def search_for(driver, base: str, words: str) -> None:
    driver.get(base + "/")
    box = driver.find_element(By.ID, "q")
    box.clear()
    page = driver.find_element(By.TAG_NAME, "html")
    box.send_keys(words, Keys.ENTER)
    loaded(driver, page)
    driver.find_element(By.ID, "results-heading")  # the results page has loaded


def test_search_narrow_open_page_and_accessibility(browser, web_archive):
    base, book = web_archive.base, web_archive.ids["book"]
    browser.get(base + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "pl"
    assert axe_violations(browser) == [], "search page"

    search_for(browser, base, "wspolpraca z policja")  # typed without Polish letters
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "li.hit h3 a")]
    assert "Księga rekomendacyjna" in titles
    assert axe_violations(browser) == [], "results page"

    before = len(browser.find_elements(By.CSS_SELECTOR, "li.hit"))
    facet = browser.find_element(By.CSS_SELECTOR, "nav.facets a[href*='type=recommendations']")
    follow(browser, facet)
    assert parse_qs(urlsplit(browser.current_url).query)["type"] == ["recommendations"]
    meta = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit .meta")]
    assert meta and all(m.startswith("Rekomendacje") for m in meta)
    assert len(meta) <= before

    text_link = browser.find_element(By.CSS_SELECTOR, f"a[href='/doc/{book}/page/4']")
    pdf_link = browser.find_element(By.CSS_SELECTOR, "a.page-link[href$='.pdf#page=4']")
    assert pdf_link.get_attribute("href") == f"{base}/file/{book}/{book}.pdf#page=4"
    follow(browser, text_link)
    assert "dzielnicowym policji" in browser.find_element(By.CSS_SELECTOR, ".page-text").text
    assert axe_violations(browser) == [], "page text beside the PDF"
    frame = browser.find_element(By.CSS_SELECTOR, "iframe.pdf")
    assert frame.get_attribute("src") == f"{base}/file/{book}/{book}.pdf#page=4"
    follow(browser, browser.find_element(By.CSS_SELECTOR, "nav.pager a.page-link"))
    assert browser.current_url == f"{base}/file/{book}/{book}.pdf#page=4"  # the PDF, at page 4
    assert browser.execute_script("return document.contentType") == "application/pdf"


def test_gone_document_is_flagged_and_document_page_is_accessible(browser, web_archive):
    base, report = web_archive.base, web_archive.ids["report"]
    search_for(browser, base, "sprawozdanie pilotazu")
    hit = browser.find_element(
        By.XPATH, f"//li[contains(@class,'hit')][.//a[@href='/doc/{report}']]"
    )
    assert "is-gone" in hit.get_attribute("class")
    assert "usunięty ze strony" in hit.find_element(By.CSS_SELECTOR, "strong.gone").text
    follow(browser, hit.find_element(By.CSS_SELECTOR, "h3 a"))
    assert "usunięty ze strony" in browser.find_element(By.TAG_NAME, "h1").text
    assert axe_violations(browser) == [], "document page"
    browser.get(f"{base}/catalogue")
    assert axe_violations(browser) == [], "catalogue"
    browser.get(f"{base}/changes?since=2000-01-01")
    assert axe_violations(browser) == [], "new and changed"


def test_hostile_text_stays_text(browser, web_archive):
    base, hostile = web_archive.base, web_archive.ids["hostile"]
    search_for(browser, base, "zlosliwy")
    title = browser.find_element(By.CSS_SELECTOR, f"a[href='/doc/{hostile}']")
    assert "<script>alert(3)</script>" in title.text  # the link text, shown as the text it is
    ActionChains(browser).move_to_element(title).perform()
    snippet = browser.find_element(By.CSS_SELECTOR, "p.snippet")
    assert "<script>alert('xss')</script>" in snippet.text  # the PDF's text
    ActionChains(browser).move_to_element(snippet).perform()
    assert no_alert(browser)
    assert browser.execute_script("return document.scripts.length") == 0
    assert browser.execute_script("return document.querySelectorAll('[onmouseover]').length") == 0
    browser.get(f"{base}/doc/{hostile}")
    assert no_alert(browser)
    assert browser.execute_script("return document.querySelectorAll('[onmouseover]').length") == 0
    assert "onmouseover=" in browser.find_element(By.TAG_NAME, "main").text  # the link text
