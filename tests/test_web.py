"""The staff web page over HTTP: `kooperacja serve` on 127.0.0.1 over a real archive built by the
pipeline; routes, escaping, paths, files with ranges, read-only, a new index without restart."""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import json
import re
import zipfile
from urllib.parse import unquote, urlsplit

import pytest
import requests
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook

from kooperacja.cli import cli
from tests.conftest import project_page
from tests.pdfgen import make_pdf
from tests.web_archive import pipeline, start_serve


def raw_get(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """A GET with the path sent exactly as given (no client-side cleaning of ../ or %2e)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_search_page_is_polish_and_every_answer_has_a_policy(web_archive):
    book = web_archive.ids["book"]
    for path in ("/", "/?q=asystent", "/api/search?q=asystent", f"/doc/{book}",
                 f"/doc/{book}/page/2", f"/file/{book}/{book}.pdf", "/static/style.css",
                 "/no/such/thing", "/catalogue", "/changes", "/export/csv"):  # fmt: skip
        response = web_archive.get(path)
        assert "default-src 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    home = web_archive.get("/")
    assert home.status_code == 200
    assert '<html lang="pl">' in home.text
    assert "Szukaj w archiwum" in home.text and "<script" not in home.text


def test_query_without_polish_letters_finds_the_page_and_links_it_at_that_page(web_archive):
    book = web_archive.ids["book"]
    page = web_archive.get("/", params={"q": "wspolpraca z policja"})
    assert page.status_code == 200
    # Page 4 of the book holds "Współpraca asystentów rodziny z policją".
    assert f'href="/file/{book}/{book}.pdf#page=4"' in page.text
    assert f'href="/doc/{book}/page/4?q=wspolpraca+z+policja"' in page.text  # the words go along
    assert "<mark>policją</mark>" in page.text or "<mark>Współpraca</mark>" in page.text
    assert "Znaleziono" in page.text


def test_api_search_is_exactly_the_json_of_search_json(web_archive):
    api = web_archive.get("/api/search", params={"q": "asystent rodziny", "limit": "5"})
    assert api.status_code == 200 and api.headers["content-type"] == "application/json"
    cli_result = CliRunner().invoke(
        cli,
        ["--config", str(web_archive.config_path), "search", "asystent", "rodziny",
         "--limit", "5", "--json"],
    )  # fmt: skip
    assert cli_result.exit_code == 0
    assert api.json() == json.loads(cli_result.stdout)
    assert api.json()["total"] >= 1
    filtered = web_archive.get(
        "/api/search", params={"q": "rodziny", "type": "pilot-report", "status": "gone"}
    ).json()
    assert {h["type"] for h in filtered["hits"]} == {"pilot-report"}
    assert {h["status"] for h in filtered["hits"]} == {"gone"}
    polish = web_archive.get(
        "/api/search", params={"q": "rodziny", "type": "sprawozdanie", "status": "gone"}
    ).json()
    assert polish == filtered  # a type as staff write it


def test_facets_count_and_narrow(web_archive):
    page = web_archive.get("/", params={"q": "rodziny"}).text
    facet = r'href="/\?([^"]*type=([a-z-]+)[^"]*)">[^<]+</a> <span class="count">\((\d+)\)'
    links = re.findall(facet, page)
    assert links, "no type facet with a count"
    query, doc_type, count = links[0]
    narrowed = web_archive.get("/?" + query.replace("&amp;", "&"))
    hits = re.findall(r'<li class="hit', narrowed.text)
    assert len(hits) == int(count)
    api = web_archive.get("/api/search?" + query.replace("&amp;", "&")).json()
    assert {h["type"] for h in api["hits"]} == {doc_type}


def test_facets_count_all_matches_and_pages_follow_each_other(web_archive):
    api = web_archive.get("/api/search", params={"q": "kooperacji", "limit": "50"}).json()
    assert api["total"] > 5  # more than one page of 5
    page = web_archive.get("/", params={"q": "kooperacji", "n": "5"}).text
    counts = re.findall(r'type=[a-z-]+[^"]*">[^<]+</a> <span class="count">\((\d+)\)', page)
    assert sum(map(int, counts)) == api["total"]  # over all matches, not only those shown
    shown = []
    for number in range(1, (api["total"] + 4) // 5 + 1):
        html = web_archive.get("/", params={"q": "kooperacji", "n": "5", "p": str(number)}).text
        shown += re.findall(r'<li class="hit[^"]*">\s*<h3><a href="/doc/([0-9a-f]+)[?"]', html)
        assert ('rel="next"' in html) == (number * 5 < api["total"])
    assert shown == [h["doc_id"] for h in api["hits"]]  # the same order, page after page


def test_gone_document_is_flagged(web_archive):
    report = web_archive.ids["report"]
    page = web_archive.get("/", params={"q": "pilotażu"}).text
    hit = page[page.index(f'href="/doc/{report}"') :]
    hit = hit[: hit.index("</h3>")]
    assert "usunięty ze strony" in hit
    assert "usunięty ze strony" in web_archive.get(f"/doc/{report}").text


def test_untrusted_text_is_escaped_everywhere(web_archive):
    hostile, news = web_archive.ids["hostile"], web_archive.ids["news_hostile"]
    pages = [
        web_archive.get("/", params={"q": "złośliwy"}).text,
        web_archive.get("/", params={"q": "zlosliwy"}).text,
        web_archive.get(f"/doc/{hostile}").text,
        web_archive.get(f"/doc/{hostile}/page/1").text,
        web_archive.get(f"/doc/{hostile}/page/2").text,
        web_archive.get(f"/doc/{news}").text,
        web_archive.get(f"/doc/{news}/page/1").text,
        web_archive.get("/catalogue").text,
        web_archive.get("/changes", params={"since": "2000-01-01"}).text,
        web_archive.get("/", params={"q": '<script>alert(1)</script> " onmouseover="x'}).text,
    ]
    assert hostile in pages[0] and "Raport" in pages[0]
    for html in pages:  # parsed as a browser would: no script element, no handler attribute
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find_all("script") == []
        assert soup.find_all(attrs={"onmouseover": True}) == []
        assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in pages[3]
    assert "&lt;script&gt;" in pages[2] and "&#34; onmouseover=" in pages[2]  # title, link text
    assert "&lt;script&gt;alert(5)" in pages[6]


BAD_PATHS = [
    "/file/{book}/..%2F..%2Fcatalog.sqlite",
    "/file/{book}/../../catalog.sqlite",
    "/file/..%2F..%2Fetc%2Fpasswd/passwd",
    "/file/%2e%2e/%2e%2e%2fcatalog.sqlite",
    "/file/{book}/{book}.pdf%00.txt",
    "/file/{book}/catalog.sqlite",
    "/file/{book}/%2e%2e%2f%2e%2e%2fconfig.yaml",
    "/static/..%2f..%2fweb%2fapp.py",
    "/static/%2e%2e/%2e%2e/catalog.sqlite",
    "/static/../../../../etc/passwd",
    "/doc/..%2F..%2Fetc%2Fpasswd",
    "/doc/{book}/page/..%2F..%2Fcatalog.sqlite",
    "/doc/zzzzzzzzzzzz",
    "/doc/{book}0",
    "/doc/{book}/page/0",
    "/doc/{book}/page/-1",
    "/doc/{book}/page/999999",
    "/doc/{book}/page/1e3",
    "/doc/{book}/page/%31",
    "/export/..%2Fcatalog.sqlite",
]


@pytest.mark.parametrize("template", BAD_PATHS)
def test_bad_ids_and_paths_are_404_and_never_leave_the_archive(web_archive, template):
    path = template.format(book=web_archive.ids["book"])
    status, headers, body = raw_get(web_archive.base, path)
    if template == "/doc/{book}/page/%31":  # %31 is "1": a real page, still inside the archive
        assert status == 200
        return
    assert status == 404, path
    assert b"SQLite format" not in body and b"root:" not in body and b"%PDF" not in body
    assert "content-security-policy" in headers


def test_archived_file_has_type_ranges_and_caching(web_archive):
    book = web_archive.ids["book"]
    path = f"/file/{book}/{book}.pdf"
    whole = web_archive.get(path)
    assert whole.status_code == 200
    assert whole.headers["Content-Type"] == "application/pdf"
    assert whole.content.startswith(b"%PDF-")
    assert hashlib.sha256(whole.content).hexdigest().startswith(book)
    assert "immutable" in whole.headers["Cache-Control"]
    assert whole.headers["Accept-Ranges"] == "bytes"
    etag = whole.headers["ETag"]
    part = web_archive.get(path, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == whole.content[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole.content)}"
    tail = web_archive.get(path, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == whole.content[-10:]
    beyond = web_archive.get(path, headers={"Range": f"bytes={len(whole.content) + 5}-"})
    assert beyond.status_code == 416
    again = web_archive.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    news = web_archive.ids["news_hostile"]
    html = web_archive.get(f"/file/{news}/{news}.html")
    assert html.headers["Content-Type"].startswith("text/html")
    assert html.headers["Content-Security-Policy"].startswith("sandbox")


def test_malformed_query_is_a_one_line_message_never_a_500(web_archive):
    for query in ("-", "a*", "year:abc", "type:", "type:nonsense"):
        page = web_archive.get("/", params={"q": query})
        assert page.status_code == 200, query
        messages = re.findall(r'<p class="message" role="alert">([^<]+)</p>', page.text)
        assert len(messages) == 1 and "\n" not in messages[0].strip(), (query, messages)
        api = web_archive.get("/api/search", params={"q": query})
        assert api.status_code == 400 and api.json()["error"]
    # In the page's language: Polish by default, English on request; the API stays English.
    unbalanced = web_archive.get("/", params={"q": '"zespół interdyscyplinarny'}).text
    assert "niezamknięty cudzysłów: fraza potrzebuje zamykającego" in unbalanced
    english = web_archive.get("/", params={"q": '"zespół', "lang": "en"}).text
    assert "unbalanced quote: a phrase needs a closing" in english
    api = web_archive.get("/api/search", params={"q": "year:2021..2019"}).json()["error"]
    assert api == "'year:2021..2019': the range runs backwards, write year:2019..2021"
    bad_filter = web_archive.get("/", params={"q": "rodziny", "year": "dawno", "type": "x"})
    assert bad_filter.status_code == 200
    assert "rok dawno: nie zastosowano" in bad_filter.text
    assert "rodzaj x: nieznany" in bad_filter.text
    assert 'id="year" name="year" value="dawno"' in bad_filter.text  # kept in the box


def test_document_page_shows_fields_reasons_sources_and_versions(web_archive):
    book = web_archive.ids["book"]
    page = web_archive.get(f"/doc/{book}").text
    assert "Księga rekomendacyjna" in page
    assert "Uzasadnienie" in page and "Rodzaj" in page and "Rekomendacje" in page
    assert "/torun/files/ksiega.pdf" in page and "/gdansk/pobierz/17" in page
    assert "/torun/kooperacja/" in page  # the page that linked it
    assert "Wersje" in page and "Nie są znane inne wersje." in page
    months = "sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru"
    assert re.search(rf"<td>\s*\d{{1,2}} ({months}) 20\d\d, \d\d:\d\d", page)  # Polish dates
    size = next(r["size_bytes"] for r in pipeline_records(web_archive) if r["doc_id"] == book)
    assert f"{size // 1000}\xa0{size % 1000:03d}" in page  # 113 542: Polish digit groups
    text = web_archive.get(f"/doc/{book}/page/4").text
    assert "dzielnicowym policji" in text
    assert f'src="/file/{book}/{book}.pdf#page=4"' in text


def test_the_document_page_names_the_partners_in_its_reasons(web_archive):
    page = BeautifulSoup(web_archive.get(f"/doc/{web_archive.ids['book']}").text, "html.parser")
    row = next(tr for tr in page.select("table.fields tr") if tr.th.get_text() == "Partner")
    why = row.select("td")[-1].get_text(" ", strip=True)
    assert why.endswith("podlinkowany też przez: Regionalny Ośrodek Polityki Społecznej w Gdańsku")
    assert "rops-" not in page.select_one("table.fields").get_text()  # no id in the table

def test_versions_link_each_other(web_archive):
    records = {r["sha256"]: r for r in pipeline_records(web_archive)}
    old = next(r for r in records.values() if r["replaced_by"])
    new = records[old["replaced_by"]]
    old_page = web_archive.get(f"/doc/{old['doc_id']}").text
    assert "Zastąpiony nowszą wersją:" in old_page and f'href="/doc/{new["doc_id"]}"' in old_page
    new_page = web_archive.get(f"/doc/{new['doc_id']}").text
    assert "Zastępuje wcześniejszą wersję:" in new_page
    assert f'href="/doc/{old["doc_id"]}"' in new_page
    for record in (old, new):  # both editions stay readable
        pdf = web_archive.get(f"/file/{record['doc_id']}/{record['doc_id']}.pdf")
        assert hashlib.sha256(pdf.content).hexdigest() == record["sha256"]


def test_catalogue_changes_and_exports(web_archive):
    by_year = web_archive.get("/catalogue", params={"sort": "year", "order": "asc"}).text
    years = [int(y) for y in re.findall(r'<td class="num">(\d{4})</td>', by_year)]
    assert years and years == sorted(years)
    changes = web_archive.get("/changes", params={"since": "2000-01-01"}).text
    assert "usunięty ze strony" in changes and "nowy" in changes
    bad = web_archive.get("/changes", params={"since": "wczoraj"})
    assert bad.status_code == 200 and "oczekiwano daty" in bad.text
    xlsx = web_archive.get("/export/xlsx")
    assert "attachment" in xlsx.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.active.max_row - 1 == len(pipeline_records(web_archive))
    gone = web_archive.get("/export/csv", params={"status": "gone"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(gone), delimiter=";"))  # the Excel flavour
    assert rows and {r["status"] for r in rows} == {"gone"}
    assert web_archive.ids["report"] in {r["doc_id"] for r in rows}
    atom = web_archive.get("/export/atom")
    assert atom.headers["Content-Type"].startswith("application/atom+xml")
    html = web_archive.get("/export/html", params={"type": "recommendations"})
    assert html.headers["Content-Type"].startswith("text/html") and "Rekomendacje" in html.text
    bundle = web_archive.get("/export/bundle", params={"status": "gone"})
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as zf:
        names = zf.namelist()
    assert "MANIFEST-SHA256.txt" in names and any(n.endswith(".pdf") for n in names)


def pipeline_records(web_archive) -> list[dict]:
    result = CliRunner().invoke(
        cli, ["--config", str(web_archive.config_path), "export", "--format", "json"]
    )
    return json.loads(result.stdout)


def test_english_on_request(web_archive):
    page = web_archive.get("/", params={"q": "rodziny", "lang": "en"})
    assert '<html lang="en">' in page.text and "Search the archive" in page.text
    assert "removed from the site" in page.text or "documents found" in page.text
    assert web_archive.get("/", cookies={"lang": "en"}).text.count("Search the archive") == 1
    back = re.search(r'href="([^"]*lang=pl[^"]*)"', page.text).group(1).replace("&amp;", "&")
    assert back == "/?q=rodziny&lang=pl"  # the same search, in Polish
    status, _headers, body = raw_get(web_archive.base, "//example.org/%22%3E%3Cscript%3E")
    assert status == 404 and b'href="//' not in body and b"<script>" not in body


def test_serve_with_two_worker_processes(web_archive):
    proc, base = start_serve(web_archive.config_path, "--workers", "2")
    try:
        answers = {requests.get(base + "/api/search?q=rodziny", timeout=30).text for _ in range(6)}
        assert len(answers) == 1 and json.loads(answers.pop())["total"] >= 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_missing_index_or_catalogue_is_a_message_not_a_500(web_archive, tmp_path):
    config = yaml.safe_load(web_archive.config_path.read_text(encoding="utf-8"))
    config.update(archive_dir=str(tmp_path / "nothing"), index_dir=str(tmp_path / "no-index"))
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    proc, base = start_serve(path)
    try:
        for route, hint in (("/?q=rodziny", "kooperacja index"), ("/catalogue", "update")):
            page = requests.get(base + route, timeout=30)
            assert page.status_code == 503, route
            assert hint in page.text and "Traceback" not in page.text
        assert requests.get(base + "/", timeout=30).status_code == 200  # the search box still
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def archive_state(archive_dir) -> dict[str, str]:
    return {
        str(p.relative_to(archive_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(archive_dir.rglob("*"))
        if p.is_file() and not p.name.endswith(("-shm", "-wal"))
    }


def test_serving_never_writes_the_archive_and_sees_a_new_index_without_restart(web_archive):
    before = archive_state(web_archive.archive_dir)
    book = web_archive.ids["book"]
    for path in ("/?q=rodziny", "/api/search?q=policja", f"/doc/{book}", f"/doc/{book}/page/3",
                 f"/file/{book}/{book}.pdf", "/catalogue", "/changes", "/export/xlsx"):  # fmt: skip
        assert web_archive.get(path).status_code == 200
    assert archive_state(web_archive.archive_dir) == before

    assert web_archive.get("/api/search", params={"q": "hipoterapia"}).json()["total"] == 0
    server = web_archive.partner_site
    server.add(
        "/torun/files/nowy.pdf",
        make_pdf(["Hipoterapia w pracy asystenta rodziny"]),
        content_type="application/pdf",
    )
    server.add(
        "/torun/kooperacja/aktualnosci/",
        project_page("Aktualności projektu Kooperacja", [("/torun/files/nowy.pdf", "Nowy")]),
    )
    pipeline(web_archive.config_path, "update")
    found = web_archive.get("/api/search", params={"q": "hipoterapia"}).json()
    assert found["total"] == 1  # the running server answers from the new index generation


# English words of the page's own text: none may show on a Polish page (names, URLs and codes
# shown as such — in <code>/.code — are not the page's words).
ENGLISH_UI = re.compile(
    r"\b(keyword|title|partner that|stop words|download|search|results?|page|pages|link text|"
    r"found|document|documents|heading|override|date|last-modified|http \d{3}|error|unknown|"
    r"expected|type|status|year|size|language|voivodeship|identifier|open|read|next|"
    r"previous|none|other|online|gone|removed|the|with)\b",
    re.IGNORECASE,
)


def visible_text(html: str) -> str:
    """What a reader sees or hears: text and the attributes read aloud, without codes and URLs."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "code"]):
        hidden.decompose()
    for code in soup.select(".code"):
        code.decompose()
    said = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        said += [str(tag.get(a, "")) for a in ("title", "aria-label", "placeholder", "alt")]
    return re.sub(r"https?://\S+|/\S+", " ", " ".join(said))


def test_every_page_of_the_archive_is_polish(web_archive):
    ids = web_archive.ids
    paths = [
        "/", "/?q=rodziny", "/?q=wspolpraca+z+policja", "/?q=year:abc", "/?q=status:xyz",
        "/?q=type:xyz", "/?q=rodzina+kolor:zielony", "/?q=rok:2019+rodziny", "/?q=format:doc",
        "/catalogue", "/changes?since=2000-01-01", "/doc/ffffffffffff",
        *(f"/doc/{doc_id}" for doc_id in ids.values()), f"/doc/{ids['book']}/page/1",
    ]  # fmt: skip
    problems = []
    for path in paths:
        page = web_archive.get(path)
        assert page.status_code in (200, 400, 404), path
        assert '<html lang="pl">' in page.text, path
        text = visible_text(page.text)
        # The documents' own texts: a hostile title quotes markup, which is a shown code too.
        text = text.replace("onmouseover", " ")
        text = re.sub(r"„[^”]*”", " ", text)  # what the reader typed, quoted back
        typed = re.search(r"[?&]q=([^&]*)", path)
        if typed:  # the query as typed, shown back in the box and the title
            text = text.replace(typed.group(1).replace("+", " "), " ")
        found = sorted({m.group(0).lower() for m in ENGLISH_UI.finditer(text)})
        problems.append((path, found)) if found else None
    assert not problems, problems
    book = web_archive.get(f"/doc/{ids['book']}").text
    for raw in ("doc_id", "media_type", "recommendations", "application/pdf", "size_bytes"):
        assert raw not in visible_text(book), raw
    assert re.search(r"\d+,\d\xa0(kB|MB)|\d+ (kB|MB)", visible_text(book))
    assert "słowo kluczowe" in book or "tekst odnośnika" in book  # a reason, in Polish


def test_a_failing_link_is_said_in_polish() -> None:
    from kooperacja.web.formatting import link_failure

    assert link_failure("HTTP 404", "pl") == "nie ma takiej strony (błąd 404)"
    assert link_failure("HTTP 503", "pl") == "awaria serwera strony (błąd 503)"
    assert link_failure("HTTP 418", "pl") == "strona odpowiedziała błędem 418"
    assert link_failure("no answer within 30s", "pl") == "brak odpowiedzi w ciągu 30 s"
    assert link_failure("HTTP 404", "en") == "no such page (error 404)"
    assert link_failure("redirect loop via https://x.pl/a", "pl") == "redirect loop via https://x.pl/a"


def test_a_download_carries_the_name_the_file_was_published_under(web_archive):
    book = web_archive.ids["book"]
    shown = web_archive.get(f"/file/{book}/{book}.pdf")
    assert shown.headers["Content-Disposition"] == (
        "inline; filename=\"ksiega.pdf\"; filename*=UTF-8''ksiega.pdf"
    )
    saved = web_archive.get(f"/file/{book}/{book}.pdf?download=1")
    assert saved.headers["Content-Disposition"].startswith('attachment; filename="ksiega.pdf"')
    assert saved.content == shown.content
    page = BeautifulSoup(web_archive.get(f"/doc/{book}").text, "html.parser")
    button = page.select_one("a.download")
    assert button.get_text(strip=True) == "Pobierz"
    assert button["href"] == f"/file/{book}/{book}.pdf?download=1"
    assert page.select_one(".format-line .format").get_text(strip=True) == "PDF"


@pytest.mark.parametrize(
    ("published", "media", "utf8", "ascii_name"),
    [
        ("Księga rekomendacyjna – całość.doc", "application/msword",
         "Księga rekomendacyjna – całość.doc", "Ksiega rekomendacyjna _ calosc.doc"),
        ("prezentacja_Łódź.PPTX",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "prezentacja_Łódź.pptx", "prezentacja_Lodz.pptx"),
        ("../../etc/raport \"roczny\";.pdf", "application/pdf",
         "raport _roczny_;.pdf", "raport _roczny__.pdf"),
        ("pobierz", "application/msword", "pobierz.doc", "pobierz.doc"),
        (None, "application/msword", "e94380da0678.doc", "e94380da0678.doc"),
    ],
)  # fmt: skip
def test_content_disposition_keeps_polish_names_with_an_ascii_fallback(
    published, media, utf8, ascii_name
):
    from kooperacja.web.reading import Document, content_disposition, download_name

    doc = Document({"doc_id": "e94380da0678"}, "e94380da0678" * 5, "x", media, (), None, published)
    header = content_disposition(download_name(doc), attachment=True)
    kind, quoted, encoded = re.fullmatch(
        r"(\w+); filename=\"([^\"\\\\]*)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)", header
    ).groups()
    assert kind == "attachment"
    assert unquote(encoded) == utf8  # what a browser saves (RFC 6266 prefers filename*)
    assert quoted == ascii_name
    assert header.isascii()


def test_every_hit_shows_its_format_and_the_format_facet_narrows(web_archive):
    page = BeautifulSoup(web_archive.get("/", params={"q": "kooperacja"}).text, "html.parser")
    hits = page.select("li.hit")
    assert hits
    shown = {hit.select_one("h3 .format").get_text(strip=True) for hit in hits}
    assert shown <= {"PDF", "strona WWW", "Word", "PowerPoint", "Excel", "skan (OCR)", "film"}
    assert {"PDF", "strona WWW"} <= shown, shown  # the fixture's PDFs and its project page
    heading = page.select_one("#facet-format")
    assert heading.get_text(strip=True) == "Format"
    facet = page.select_one('ul[aria-labelledby="facet-format"]')
    counts = {}
    for item in facet.select("li"):
        link = item.select_one("a")
        counts[link.get_text(strip=True)] = (link["href"], int(item.select_one(".count")
                                                               .get_text(strip=True)[1:-1]))
    href, count = counts["strona WWW"]
    assert "format=web" in href
    narrowed = BeautifulSoup(web_archive.get(href).text, "html.parser")
    formats = [h.select_one("h3 .format").get_text(strip=True)
               for h in narrowed.select("li.hit")]
    assert formats == ["strona WWW"] * count
    # A typed format the page cannot use is named, in Polish, not silently ignored.
    bad = BeautifulSoup(web_archive.get("/", params={"q": "kooperacja", "format": "mp3"}).text,
                        "html.parser")
    assert "format mp3: nieznany" in bad.select_one("p.message").get_text()


def test_results_with_nothing_to_narrow_show_no_empty_filters_box(web_archive):
    page = BeautifulSoup(web_archive.get("/", params={"q": "kooperacja format:film"}).text,
                         "html.parser")  # fmt: skip
    assert len(page.select("li.hit")) == 1  # one film: one type, partner, status and format
    assert page.select("nav.facets") == [] and page.select("a.to-facets") == []
    wider = BeautifulSoup(web_archive.get("/", params={"q": "kooperacja"}).text, "html.parser")
    assert wider.select("nav.facets h3") and wider.select_one("a.to-facets")["href"] == (
        "#facets-heading"
    )

def test_the_page_view_opens_what_each_kind_of_document_can_open(web_archive):
    ids = web_archive.ids
    films = web_archive.get("/api/search", params={"q": "kooperacja", "format": "film"}).json()
    film = films["hits"][0]
    pages = {
        "pdf": BeautifulSoup(web_archive.get(f"/doc/{ids['book']}/page/4").text, "html.parser"),
        "web": BeautifulSoup(web_archive.get(f"/doc/{ids['news_hostile']}/page/1").text,
                             "html.parser"),  # fmt: skip
        "film": BeautifulSoup(web_archive.get(f"/doc/{film['doc_id']}/page/1").text,
                              "html.parser"),  # fmt: skip
    }
    links = {kind: [(a.get_text(strip=True), a["href"]) for a in page.select("nav.pager a")]
             for kind, page in pages.items()}  # fmt: skip
    book, news = ids["book"], ids["news_hostile"]
    assert ("Otwórz plik na tej stronie", f"/file/{book}/{book}.pdf#page=4") in links["pdf"]
    assert links["web"] == [("Otwórz zarchiwizowany plik", f"/file/{news}/{news}.html")]
    assert links["film"] == [(f"Obejrzyj film: {film['title']}", film["url"])]  # not a uri-list

def test_a_film_links_to_its_video_page_with_its_title(web_archive):
    film_url = "https://www.youtube.com/watch?v=kKq3Xs-pT4c"  # the fixture site's embedded film
    page = BeautifulSoup(web_archive.get("/", params={"q": "kooperacja", "format": "film"}).text,
                         "html.parser")
    (hit,) = page.select("li.hit")
    assert hit.select_one("h3 .format").get_text(strip=True) == "film"
    title = hit.select_one("h3 a")
    assert title["href"].startswith("/doc/")  # the title opens the document page
    watch = hit.select_one("p.film a")
    assert watch["href"] == film_url
    assert watch.get_text(strip=True) == f"Obejrzyj film: {title.get_text(strip=True)}"
    doc = BeautifulSoup(web_archive.get(title["href"]).text, "html.parser")
    button = doc.select_one(".actions a.film")
    assert button["href"] == film_url and button.get_text(strip=True).startswith("Obejrzyj film: ")
    assert doc.select_one(".actions a.download") is None  # nothing to download: a link


def test_the_page_view_marks_the_words_reflows_the_text_and_leads_back(web_archive):
    book = web_archive.ids["book"]
    results_path = "/?q=wspolpraca+z+policja&type=recommendations"
    results = BeautifulSoup(web_archive.get(results_path).text, "html.parser")
    links = [a["href"] for a in results.select("a.text-link")]
    assert not results.select("p.message")  # the filter was used
    link = next(href for href in links if f"/doc/{book}/page/4" in href)
    page = BeautifulSoup(web_archive.get(link).text, "html.parser")
    text = page.select_one("section.page-text")
    marked = {m.get_text() for m in text.select("mark")}
    assert {"Współpraca", "policją"} <= marked, marked  # typed without Polish letters, inflected
    assert "policji" in marked  # every form the search matches, not only the typed one
    paras = [p.get_text() for p in text.select("p")]
    assert paras[0] == "Rekomendacja 2. Asystent rodziny i policja", paras  # its heading alone
    assert "\n" not in "".join(paras)
    assert any(p.startswith("Asystent rodziny powinien") and p.endswith("w rodzinie.")
               for p in paras), paras  # the sentences of the PDF's lines, one paragraph
    back = page.select_one("a.back-to-results")
    assert back.get_text(strip=True) == "Wróć do wyników dla: „wspolpraca z policja”"
    assert back["href"] == results_path
    again = BeautifulSoup(web_archive.get(back["href"]).text, "html.parser")
    assert [a["href"] for a in again.select("a.text-link")] == [
        a["href"] for a in results.select("a.text-link")]
    following = page.select_one('a[rel="next"]')["href"]
    assert following == f"/doc/{book}/page/5?q=wspolpraca+z+policja&type=recommendations"
    plain = BeautifulSoup(web_archive.get(f"/doc/{book}/page/4").text, "html.parser")
    assert not plain.select("mark") and not plain.select("a.back-to-results")
