"""The picture of a PDF's page on the document page (web/previews.py, web/pagerender.py): drawn
by pdfium in a process of its own, kept outside the archive, answered with the page's headers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from starlette.requests import Request

from kooperacja.web import pagerender, previews
from kooperacja.web.previews import Previews, cache_folder, choose, render
from kooperacja.web.reading import Document
from tests.pdfgen import bomb_pdf, make_pdf

TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "pdfs"


def picture(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def ink(image: Image.Image) -> int:
    """How many pixels are darker than paper: a drawn page of text has thousands."""
    return sum(image.convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255:])


def test_a_page_is_drawn_600_pixels_wide_with_its_text(tmp_path):
    pdf = tmp_path / "ksiega.pdf"
    pdf.write_bytes(make_pdf(["Księga rekomendacyjna\nWspółpraca asystenta rodziny z policją.",
                              "Druga strona: zespół interdyscyplinarny."]))  # fmt: skip
    first = picture(pagerender.render_png(str(pdf), 1))
    assert first.width == 600 and abs(first.height - 849) <= 1  # A4 keeps its shape
    assert first.mode == "P" and ink(first) > 500
    second = pagerender.render_png(str(pdf), 2)
    assert second != pagerender.render_png(str(pdf), 1)
    with pytest.raises(ValueError, match="has 2 pages, not page 3"):
        pagerender.render_png(str(pdf), 3)
    slide = tmp_path / "prezentacja.pdf"
    slide.write_bytes(make_pdf(["Prezentacja modelu kooperacji"], landscape=True))
    landscape = picture(pagerender.render_png(str(slide), 1))
    assert landscape.width == 600 and abs(landscape.height - 424) <= 1


def test_a_real_published_pdf_and_a_scan_are_drawn(tmp_path):
    published = sorted((TESTDATA / "pl").glob("*.pdf"))[0]
    scanned = sorted((TESTDATA / "pl_scanned").glob("*.pdf"))[0]
    for pdf in (published, scanned):
        data, problem = render(pdf, 1)
        assert problem == "" and data is not None, pdf
        image = picture(data)
        assert image.width == 600 and ink(image) > 500, pdf
        assert len(data) < 250_000, (pdf, len(data))  # a page's picture, not a print file


def test_what_pdfium_cannot_draw_is_a_reason_never_a_crash(tmp_path, monkeypatch):
    damaged = tmp_path / "uszkodzony.pdf"
    damaged.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")
    data, problem = render(damaged, 1)
    assert data is None and "PdfiumError" in problem
    # A decompression bomb: the deadline ends its process; the caller only waits that long.
    bomb = tmp_path / "bomba.pdf"
    bomb.write_bytes(bomb_pdf(200))
    monkeypatch.setattr(previews, "SECONDS", 1.0)
    data, problem = render(bomb, 1)
    # Stopped at its deadline, or out of memory under its limit: a Python MemoryError, or
    # pdfium's own abort when an allocation fails (SIGABRT), said as such.
    assert data is None and (
        problem == "not drawn within 1 s"
        or "MemoryError" in problem
        or problem == "the drawing process was ended by SIGABRT"
    ), problem


def test_previews_are_kept_outside_the_archive_and_failures_remembered(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    archive.mkdir()
    pdf = archive / "ksiega.pdf"
    pdf.write_bytes(make_pdf(["Asystent rodziny i dzielnicowy."]))
    sha = "ab" * 32
    kept = Previews(tmp_path / "cache")
    data = kept.draw(pdf, sha, 1)
    cached = kept.cached(sha, 1)
    assert cached.parent.parent == tmp_path / "cache" and cached.read_bytes() == data
    assert sorted(p.name for p in archive.rglob("*")) == ["ksiega.pdf"]  # nothing written there
    monkeypatch.setattr(previews, "render", lambda *a: pytest.fail("drawn again"))
    assert kept.draw(pdf, sha, 1) == data  # from the cache
    damaged = tmp_path / "zly.pdf"
    damaged.write_bytes(b"%PDF-1.4 nothing else")
    monkeypatch.setattr(previews, "render", lambda *a: (None, "PdfiumError: Data format error"))
    assert kept.draw(damaged, "cd" * 32, 1) is None
    assert kept.cached("cd" * 32, 1).with_suffix(".failed").exists()
    monkeypatch.setattr(previews, "render", lambda *a: pytest.fail("a failure tried again"))
    assert kept.draw(damaged, "cd" * 32, 1) is None  # not tried again within a day


def test_the_cache_folder_is_named_by_serve_systemd_or_xdg_and_never_the_archive(tmp_path):
    archive = tmp_path / "archive"
    assert cache_folder(archive, {previews.CACHE_ENV: str(tmp_path / "c")}) == tmp_path / "c"
    systemd = {"CACHE_DIRECTORY": f"{tmp_path}/var:{tmp_path}/other"}
    assert cache_folder(archive, systemd) == tmp_path / "var" / "previews"
    xdg = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert cache_folder(archive, xdg) == tmp_path / "xdg" / "kooperacja" / "previews"
    inside = {previews.CACHE_ENV: str(archive / "previews")}
    assert cache_folder(archive, inside) is None  # the server never writes the archive


def document(media_type: str, text_status: str, pages: int | None) -> Document:
    record = {"doc_id": "0123456789ab", "text_status": text_status, "pages": pages}
    return Document(record, "01" * 32, "blobs/x", media_type, ())


def asking(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


def test_only_pdfs_with_pages_get_a_preview_of_the_page_a_hit_pointed_at():
    pdf = document("application/pdf", "ok", 12)
    assert choose(pdf, asking("")).url == "/doc/0123456789ab/preview.png"
    matched = choose(pdf, asking("page=4"))
    assert (matched.number, matched.count, matched.matched) == (4, 12, True)
    assert matched.url == "/doc/0123456789ab/page/4/preview.png"
    for odd in ("page=13", "page=0", "page=x", "page=%C2%B2", "page=1" + "0" * 9):
        assert choose(pdf, asking(odd)).number == 1, odd
    assert choose(document("application/pdf", "ocr", 3), asking("")) is not None  # a scan
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    for media, status in ((docx, "ok"), ("text/html", "ok"), ("text/uri-list", "ok"),
                          ("application/pdf", "encrypted"), ("application/pdf", "failed")):
        assert choose(document(media, status, 1), asking("")) is None, (media, status)


# --- over `kooperacja serve` ----------------------------------------------------------------


def test_the_preview_route_answers_a_png_with_the_pages_headers(web_archive):
    book = web_archive.ids["book"]
    before = sorted(str(p) for p in web_archive.archive_dir.rglob("*") if "-wal" not in p.name
                    and "-shm" not in p.name)  # fmt: skip
    first = web_archive.get(f"/doc/{book}/preview.png")
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "image/png"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in first.headers["content-security-policy"]
    assert first.headers["cache-control"] == "public, max-age=604800"
    assert first.headers["content-disposition"].startswith('inline; filename="ksiega-1.png"')
    image = picture(first.content)
    assert image.width == 600 and ink(image) > 500
    # Kept in the cache folder named by `serve --preview-cache`, nothing in the archive.
    kept = list(web_archive.preview_cache.rglob(f"{book}*-1-r{previews.RENDERING}.png"))
    assert [p.read_bytes() for p in kept] == [first.content]
    after = sorted(str(p) for p in web_archive.archive_dir.rglob("*") if "-wal" not in p.name
                   and "-shm" not in p.name)  # fmt: skip
    assert after == before
    again = web_archive.get(f"/doc/{book}/preview.png")
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    unchanged = web_archive.get(f"/doc/{book}/preview.png",
                                headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304 and not unchanged.content
    fourth = web_archive.get(f"/doc/{book}/page/4/preview.png")
    assert fourth.status_code == 200 and fourth.content != first.content
    assert picture(fourth.content).width == 600


@pytest.mark.parametrize("path", [
    "/doc/{book}/page/99/preview.png", "/doc/{book}/page/0/preview.png",
    "/doc/{book}/page/%C2%B2/preview.png", "/doc/{book}/page/-1/preview.png",
    "/doc/{news_hostile}/preview.png", "/doc/ffffffffffff/preview.png",
    "/doc/{book}/page/1/preview.png/..%2F..%2Fcatalog.sqlite",
])  # fmt: skip
def test_no_preview_of_what_has_no_such_pdf_page(web_archive, path):
    answer = web_archive.get(path.format(**web_archive.ids))
    assert answer.status_code == 404
    assert "content-security-policy" in answer.headers


def test_the_document_page_leads_with_its_preview_in_polish(web_archive):
    book = web_archive.ids["book"]
    page = BeautifulSoup(web_archive.get(f"/doc/{book}").text, "html.parser")
    lead = page.select_one("main .doc-lead")
    assert lead is page.select_one("main h1").find_next_sibling()  # right under the title
    image = lead.select_one("figure.preview img")
    assert image["src"] == f"/doc/{book}/preview.png"
    assert image["alt"] == ("Strona 1 dokumentu „Księga rekomendacyjna”: "
                            "otwórz PDF na tej stronie")  # fmt: skip
    assert image.find_parent("a")["href"] == f"/file/{book}/{book}.pdf#page=1"
    caption = lead.select_one("figcaption").get_text(" ", strip=True)
    assert caption.startswith("Strona 1 z ")
    assert lead.select_one(".actions a.download").get_text(strip=True) == "Pobierz"


def test_a_search_hit_opens_the_preview_of_the_page_it_matched(web_archive):
    book = web_archive.ids["book"]
    results = BeautifulSoup(
        web_archive.get("/", params={"q": "wspolpraca z policja"}).text, "html.parser"
    )
    title = next(a for a in results.select("li.hit h3 a") if a["href"].startswith(f"/doc/{book}"))
    first_page = title.find_parent("li").select_one("a.page-link")["href"]
    matched = int(first_page.rsplit("#page=", 1)[1])
    assert matched != 1 and title["href"] == f"/doc/{book}?page={matched}"
    page = BeautifulSoup(web_archive.get(title["href"]).text, "html.parser")
    image = page.select_one("figure.preview img")
    assert image["src"] == f"/doc/{book}/page/{matched}/preview.png"
    assert image["alt"].startswith(f"Strona {matched} dokumentu „Księga rekomendacyjna”")
    caption = page.select_one("figure.preview figcaption")
    assert "na której są szukane słowa" in caption.get_text()
    assert caption.select_one("a")["href"] == f"/doc/{book}"  # and back to the first page
    read = page.select(f".actions a[href^='/doc/{book}/page/']")
    assert [a["href"] for a in read] == [f"/doc/{book}/page/{matched}"]  # its text, that page
    assert web_archive.get(image["src"]).headers["content-type"] == "image/png"


def test_a_web_page_or_a_film_shows_its_format_and_no_picture(web_archive):
    film = web_archive.get("/api/search", params={"q": "kooperacja format:film"}).json()
    (film_id,) = [h["doc_id"] for h in film["hits"]]
    for doc_id, shown in ((web_archive.ids["news_hostile"], "strona WWW"), (film_id, "film")):
        page = BeautifulSoup(web_archive.get(f"/doc/{doc_id}").text, "html.parser")
        assert page.select("img") == [], doc_id  # no picture, so no broken one
        line = page.select_one(".format-line")
        assert line.select_one(".format").get_text(strip=True) == shown
        assert "bez podglądu" in line.select_one(".no-preview").get_text()
        assert web_archive.get(f"/doc/{doc_id}/preview.png").status_code == 404



def test_at_most_two_pages_are_drawn_at_once_and_each_is_drawn_once(web_archive, tmp_path,
                                                                     monkeypatch):  # fmt: skip
    import threading
    import time

    import anyio

    from kooperacja.config import load_config
    from kooperacja.web import create_app

    monkeypatch.setenv(previews.CACHE_ENV, str(tmp_path / "cache"))
    drawn, active, most = [], [0], [0]
    lock = threading.Lock()

    def slow_render(pdf: Path, number: int) -> tuple[bytes, str]:
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
            drawn.append(number)
        time.sleep(0.3)
        with lock:
            active[0] -= 1
        return pagerender.render_png(str(pdf), number), ""

    monkeypatch.setattr(previews, "render", slow_render)
    app = create_app(load_config(web_archive.config_path))
    book = web_archive.ids["book"]
    asked = [1, 1, 2, 3, 4, 2, 3, 4]  # all at once: page 1 twice in the first two turns
    answers = {}

    async def get(path: str) -> int:
        """One GET straight through the ASGI application, as uvicorn would send it."""
        sent: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
                 "query_string": b"", "root_path": "", "headers": [(b"host", b"127.0.0.1")],
                 "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80)}  # fmt: skip
        await app(scope, receive, send)
        return sent[0]["status"]

    async def ask() -> None:
        async def one(i: int, number: int) -> None:
            answers[i] = await get(f"/doc/{book}/page/{number}/preview.png")

        async with anyio.create_task_group() as group:
            for i, number in enumerate(asked):
                group.start_soon(one, i, number)

    anyio.run(ask)
    assert sorted(answers.values()) == [200] * len(asked)
    assert most[0] == previews.AT_ONCE  # the others waited their turn
    assert sorted(drawn) == [1, 2, 3, 4]  # a page asked twice meanwhile was drawn once
