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
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
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


def _replaced(old_page) -> bool:
    """Selenium's staleness_of, also when Chromium, caught mid-navigation, answers that the
    node "does not belong to the document" (a WebDriverException, not a stale reference)."""
    try:
        old_page.is_enabled()
    except WebDriverException:
        return True
    return False


def loaded(driver, old_page) -> None:
    """Wait until the next page has replaced `old_page` and finished loading (on a busy machine
    the old page goes well before the new one is parsed)."""
    wait = WebDriverWait(driver, 30)
    wait.until(lambda _: _replaced(old_page))
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

    text_link = browser.find_element(By.CSS_SELECTOR, f"a.text-link[href^='/doc/{book}/page/4?']")
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


def chosen_query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def tall_enough(element) -> bool:
    """A tap target of at least 24 × 24 px (WCAG 2.2's 2.5.8)."""
    size = element.size
    return size["height"] >= 24 and size["width"] >= 24


def test_filters_forgive_polish_year_ranges_and_keep_the_other_values(browser, web_archive):
    base = web_archive.base
    browser.set_window_size(1366, 900)
    for typed in ("2019-2021", "2019–2021", "2019 - 2021", "od 2019 do 2021", "2019..2021"):
        browser.get(base + "/")
        browser.find_element(By.ID, "q").send_keys("policja")
        year = browser.find_element(By.ID, "year")
        year.send_keys(typed)
        page = browser.find_element(By.TAG_NAME, "html")
        year.send_keys(Keys.ENTER)
        loaded(browser, page)
        assert browser.find_element(By.ID, "year").get_attribute("value") == typed
        assert not browser.find_elements(By.ID, "year-problem"), typed
        chosen = browser.find_element(By.CSS_SELECTOR, "#facet-year + ul .chosen").text
        assert chosen == typed
        hits = browser.find_elements(By.CSS_SELECTOR, "li.hit .meta")
        assert hits and all(m.text.split(" · ")[-1] in ("2019", "2020", "2021") for m in hits)
    # What cannot be read stays in the box, the message beside it; the results are unfiltered.
    browser.get(base + "/?q=policja&year=dwa+tysiace")
    box = browser.find_element(By.ID, "year")
    assert box.get_attribute("value") == "dwa tysiace"
    assert box.get_attribute("aria-invalid") == "true"
    problem = browser.find_element(By.ID, "year-problem")
    assert problem.text.startswith("rok dwa tysiace: nie zastosowano") and problem.is_displayed()
    assert problem.location["y"] - box.location["y"] < 80  # beside the box, not at the top
    assert axe_violations(browser) == [], "year not understood"

    # Disjunctive facets: once a type is chosen the other types stay on offer, with counts.
    browser.get(base + "/?q=policja")
    types_before = browser.find_elements(By.CSS_SELECTOR, "#facet-type + ul li")
    assert len(types_before) >= 2
    follow(browser, browser.find_element(By.CSS_SELECTOR, "#facet-type + ul a"))
    first = chosen_query(browser)["type"]
    others = browser.find_elements(By.CSS_SELECTOR, "#facet-type + ul a:not(.remove)")
    assert len(others) == len(types_before) - 1
    assert all(a.text.startswith("lub ") for a in others)
    follow(browser, others[0])
    assert len(chosen_query(browser)["type"]) == 2 and chosen_query(browser)["type"][0] == first[0]
    note = browser.find_element(By.CSS_SELECTOR, "#facet-type + .or-note").text
    assert " lub " in note
    removes = browser.find_elements(By.CSS_SELECTOR, "nav.facets a.remove")
    assert len(removes) == 2 and all(tall_enough(x) for x in removes)
    facet_links = browser.find_elements(By.CSS_SELECTOR, "nav.facets a")
    assert all(a.size["height"] >= 24 for a in facet_links)
    assert axe_violations(browser) == [], "two types chosen"
    # A field with a single value narrows nothing: not offered.
    for heading in browser.find_elements(By.CSS_SELECTOR, "nav.facets h3"):
        values = heading.find_elements(By.XPATH, "following-sibling::ul[1]/li")
        assert len(values) > 1 or heading.find_elements(
            By.XPATH, "following-sibling::ul[1]//*[@class='chosen']"
        ), heading.text
    clear = browser.find_element(By.CSS_SELECTOR, ".result-tools a.clear-filters")
    assert clear.text == "Wyczyść filtry"
    follow(browser, clear)
    assert chosen_query(browser) == {"q": ["policja"]}


def hit_years(driver) -> list[int | None]:
    years = []
    for meta in driver.find_elements(By.CSS_SELECTOR, "li.hit .meta"):
        last = meta.text.split(" · ")[-1]
        years.append(int(last) if last.isdigit() else None)
    return years


def test_results_sort_and_link_their_json(browser, web_archive):
    base = web_archive.base
    browser.set_window_size(1366, 900)
    search_for(browser, base, "rodziny")
    relevance = [
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "li.hit h3 a")
    ]
    assert len(relevance) >= 3
    for order in ("newest", "oldest", "title"):
        select = browser.find_element(By.ID, "sort")
        select.find_element(By.CSS_SELECTOR, f"option[value='{order}']").click()
        page = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
        loaded(browser, page)
        assert chosen_query(browser)["sort"] == [order]
        assert browser.find_element(By.CSS_SELECTOR, "#sort option:checked").get_attribute(
            "value"
        ) == order
        links = browser.find_elements(By.CSS_SELECTOR, "li.hit h3 a")
        assert sorted(a.get_attribute("href") for a in links) == sorted(relevance)
        if order == "title":
            titles = [a.text.casefold() for a in links]
            assert titles == sorted(titles)
        else:
            years = hit_years(browser)
            dated = [y for y in years if y is not None]
            assert years[: len(dated)] == dated  # undated last
            assert dated == sorted(dated, reverse=order == "newest") and len(set(dated)) > 1
        # The JSON of this very search, in this order.
        json_link = browser.find_element(By.CSS_SELECTOR, "a.json-link")
        query = parse_qs(urlsplit(json_link.get_attribute("href")).query)
        assert query["q"] == ["rodziny"] and query["sort"] == [order]
        api = web_archive.get("/api/search?" + urlsplit(json_link.get_attribute("href")).query)
        assert api.status_code == 200
        page_ids = [urlsplit(a.get_attribute("href")).path.rsplit("/", 1)[-1] for a in links]
        assert [h["doc_id"] for h in api.json()["hits"]] == page_ids
    assert axe_violations(browser) == [], "sorted results"


PHONE = (390, 844)


def fits_the_phone(driver) -> bool:
    width = driver.execute_script(
        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )
    return width <= PHONE[0]


def too_wide(driver) -> list[str]:
    """The innermost elements reaching past the screen's right edge (for the message)."""
    return driver.execute_script(
        "return [...document.body.querySelectorAll('*')].filter(e => "
        "e.getBoundingClientRect().right > innerWidth && "
        "![...e.children].some(c => c.getBoundingClientRect().right > innerWidth))"
        ".map(e => e.outerHTML.slice(0, 100))"
    )


def test_the_phone_every_page_fits_and_filters_are_near(browser, web_archive):
    base, ids = web_archive.base, web_archive.ids
    browser.set_window_size(*PHONE)
    try:
        assert browser.execute_script("return window.innerWidth") <= PHONE[0]
        search_for(browser, base, "wspolpraca z policja")
        to_filters = browser.find_element(By.CSS_SELECTOR, "a.to-facets")
        assert to_filters.is_displayed() and to_filters.text.startswith("Filtry")
        bottom = browser.execute_script(
            "return arguments[0].getBoundingClientRect().bottom", to_filters
        )
        assert bottom <= PHONE[1]  # on the first screen, without scrolling
        assert tall_enough(to_filters)
        to_filters.click()
        heading = browser.find_element(By.ID, "facets-heading")
        WebDriverWait(browser, 10).until(
            lambda d: 0 <= d.execute_script(
                "return arguments[0].getBoundingClientRect().top", heading
            ) < PHONE[1]
        )  # fmt: skip
        pages = [
            "/",
            "/?q=wspolpraca+z+policja",
            "/?q=policja&type=recommendations&year=2019-2021",
            "/catalogue",
            "/changes?since=2000-01-01",
            *(f"/doc/{doc_id}" for doc_id in ids.values()),
            f"/doc/{ids['book']}/page/4",
        ]
        for path in pages:
            browser.get(base + path)
            assert fits_the_phone(browser), (path, too_wide(browser))
            small = browser.execute_script(
                "return [...document.querySelectorAll('main a, header a')]"
                ".filter(a => a.offsetParent && a.getBoundingClientRect().height < 24)"
                ".map(a => a.outerHTML.slice(0, 80))"
            )
            assert small == [], path
            assert axe_violations(browser) == [], path
    finally:
        browser.set_window_size(1280, 1000)


@pytest.mark.parametrize("size", [(1366, 900), PHONE], ids=["1366px", "390px"])
def test_documents_show_their_format_download_and_marked_text(browser, web_archive, size):
    base, book = web_archive.base, web_archive.ids["book"]
    browser.set_window_size(*size)
    try:
        search_for(browser, base, "kooperacja")
        formats = [f.text for f in browser.find_elements(By.CSS_SELECTOR, "li.hit h3 .format")]
        hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
        assert len(formats) == len(hits) and {"PDF", "strona WWW", "film"} <= set(formats)
        assert all(f.is_displayed() for f in browser.find_elements(By.CSS_SELECTOR, ".format"))
        facet = browser.find_element(By.ID, "facet-format")
        assert facet.text == "Format"
        watch = browser.find_element(By.CSS_SELECTOR, "li.hit p.film a")
        assert watch.text.startswith("Obejrzyj film: ")
        assert watch.get_attribute("href").startswith("https://www.youtube.com/watch?v=")
        assert fits_the_phone(browser) or size != PHONE, too_wide(browser)
        assert axe_violations(browser) == [], "results with formats"

        follow(browser, browser.find_element(By.CSS_SELECTOR, "nav.facets a[href*='format=pdf']"))
        shown = {f.text for f in browser.find_elements(By.CSS_SELECTOR, "li.hit h3 .format")}
        assert shown == {"PDF"}

        browser.get(f"{base}/doc/{book}")
        button = browser.find_element(By.CSS_SELECTOR, ".actions a.download")
        assert button.text == "Pobierz" and button.is_displayed()
        assert button.rect["height"] >= 24
        assert browser.find_element(By.CSS_SELECTOR, ".format-line .format").text == "PDF"
        assert fits_the_phone(browser) or size != PHONE, too_wide(browser)
        assert axe_violations(browser) == [], "document page with its download"

        search_for(browser, base, "wspolpraca z policja")
        text_link = f"a.text-link[href^='/doc/{book}/page/4?']"
        follow(browser, browser.find_element(By.CSS_SELECTOR, text_link))
        marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".page-text mark")]
        assert "policją" in marks and "Współpraca" in marks
        back = browser.find_element(By.CSS_SELECTOR, "a.back-to-results")
        assert back.rect["height"] >= 24
        assert fits_the_phone(browser) or size != PHONE, too_wide(browser)
        assert axe_violations(browser) == [], "page view with marked words"
        follow(browser, back)
        assert browser.find_element(By.ID, "q").get_attribute("value") == "wspolpraca z policja"
    finally:
        browser.set_window_size(1280, 1000)
