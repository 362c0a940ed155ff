"""The polite fetcher against a real HTTP server with failure routes."""

from __future__ import annotations

import gzip
import time

import pytest

from kooperacja.config import CrawlSettings
from kooperacja.filetypes import office_file_type, sniff_media_type
from kooperacja.harvest.download import content_disposition_filename
from kooperacja.harvest.fetch import Fetcher
from kooperacja.harvest.pacing import HostPacer
from tests.fixture_server import slow
from tests.pdfgen import make_pdf


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def fetcher(tmp_path, sleeps):
    settings = CrawlSettings(
        user_agent="kooperacja-test/1.0 (+mailto:t@example.org)",
        delay_seconds=0,
        timeout_seconds=1,
        max_document_mb=0.05,
        retries=2,
    )
    f = Fetcher(settings, tmp_path, sleep=sleeps.append)
    yield f
    f.close()


def test_pdf_recognised_by_bytes_not_by_name(server, fetcher):
    pdf = make_pdf(["Sprawozdanie z pilotażu"])
    server.add(
        "/download.php?id=7",
        pdf,
        content_type="application/octet-stream",
        headers={
            "Content-Disposition": "attachment; "
            "filename*=UTF-8''sprawozdanie%20z%20pilota%C5%BCu.pdf"
        },
    )
    got = fetcher.fetch(server.url("/download.php?id=7"))
    assert got.ok and got.media_type == "application/pdf"
    assert got.filename == "sprawozdanie z pilotażu.pdf"
    assert got.size == len(pdf) and got.path.read_bytes() == pdf


def test_html_served_as_pdf_is_html(server, fetcher):
    server.add(
        "/fake.pdf",
        "<!DOCTYPE html><html><body>Błąd 404</body></html>",
        content_type="application/pdf",
    )
    got = fetcher.fetch(server.url("/fake.pdf"))
    assert got.ok and got.media_type == "text/html"


def test_500_then_200_is_retried(server, fetcher, sleeps):
    def flaky(h, calls):
        if calls == 1:
            h.send_response(500)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return True
        return False

    server.add("/flaky.pdf", make_pdf(["Raport"]), content_type="application/pdf", handler=flaky)
    got = fetcher.fetch(server.url("/flaky.pdf"))
    assert got.ok
    assert len(server.requests_to("/flaky.pdf")) == 2
    assert sleeps == [1.0]  # exponential backoff starts at 1 s


def test_429_honours_retry_after(server, fetcher, sleeps):
    def limited(h, calls):
        if calls == 1:
            h.send_response(429)
            h.send_header("Retry-After", "7")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return True
        return False

    server.add("/busy", "<html><body>ok</body></html>", handler=limited)
    assert fetcher.fetch(server.url("/busy")).ok
    assert sleeps == [7.0]


def test_404_is_not_retried(server, fetcher, sleeps):
    got = fetcher.fetch(server.url("/missing.pdf"))
    assert got.outcome == "http_error" and got.http_status == 404
    assert len(server.requests_to("/missing.pdf")) == 1 and sleeps == []


def test_slow_response_times_out(server, fetcher):
    route = server.add("/slow", "<html></html>", handler=slow(2.5))
    got = fetcher.fetch(server.url("/slow"))
    assert got.outcome == "timeout"
    assert route.calls == 1  # a slow server is not hammered with retries


def test_redirect_loop(server, fetcher):
    server.add("/a", status=302, headers={"Location": "/b"})
    server.add("/b", status=301, headers={"Location": "/a"})
    got = fetcher.fetch(server.url("/a"))
    assert got.outcome == "redirect_loop"


def test_redirect_out_of_scope_is_not_followed(server, fetcher):
    server.add("/away", status=302, headers={"Location": "http://example.com/x.pdf"})
    got = fetcher.fetch(server.url("/away"), allow_redirect=lambda u: "outside the scope")
    assert got.outcome == "redirect_refused" and "example.com" in got.reason


def test_redirect_to_other_scheme_refused(server, fetcher):
    server.add("/ftp", status=302, headers={"Location": "ftp://files.example.org/a.pdf"})
    assert fetcher.fetch(server.url("/ftp")).outcome == "redirect_refused"


def test_body_over_the_cap_is_abandoned(server, fetcher, tmp_path):
    big = b"%PDF-1.4\n" + b"0" * 200_000
    server.add("/big.pdf", big, content_type="application/pdf")
    got = fetcher.fetch(server.url("/big.pdf"))
    assert got.outcome == "too_large" and got.path is None
    assert not list(tmp_path.glob("dl-*"))  # nothing left behind


def test_gzip_bomb_is_capped_while_streaming(server, fetcher):
    bomb = gzip.compress(b"<html>" + b" " * 5_000_000)
    server.add("/bomb.html", bomb, headers={"Content-Encoding": "gzip"})
    got = fetcher.fetch(server.url("/bomb.html"))
    assert got.outcome == "too_large"


def test_conditional_request_gets_304(server, fetcher):
    server.add("/doc.pdf", make_pdf(["Model"]), content_type="application/pdf", etag='"v1"')
    first = fetcher.fetch(server.url("/doc.pdf"))
    again = fetcher.fetch(server.url("/doc.pdf"), etag=first.etag)
    assert again.outcome == "not_modified" and again.size == 0
    assert server.requests_to("/doc.pdf")[-1].headers["If-None-Match"] == '"v1"'


def test_robots_disallow_and_crawl_delay(server, fetcher):
    server.add(
        "/robots.txt",
        "User-agent: *\nCrawl-delay: 3\nDisallow: /prywatne/\n",
        content_type="text/plain",
    )
    assert fetcher.robots_verdict(server.url("/prywatne/a.pdf")) == "disallowed by robots.txt"
    assert fetcher.robots_verdict(server.url("/publiczne/a.pdf")) is None
    assert len(server.requests_to("/robots.txt")) == 1  # cached per run
    assert fetcher.pacer._host_delay["127.0.0.1"] == 3.0


def test_robots_unavailable_means_skip_the_host(server, fetcher):
    server.add("/robots.txt", status=503)
    verdict = fetcher.robots_verdict(server.url("/a"))
    assert verdict and "unavailable" in verdict


def test_pacer_spaces_requests_per_host():
    now = [100.0]
    slept = []
    pacer = HostPacer(
        2.0, clock=lambda: now[0], sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s))
    )
    pacer.wait("a.pl")
    pacer.wait("b.pl")  # another host: no wait
    now[0] += 0.5
    pacer.wait("a.pl")
    assert slept == [pytest.approx(1.5)]


def test_sniffing_word_files():
    assert (
        sniff_media_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "text/plain", "")
        == "application/msword"
    )
    assert sniff_media_type(b"%PDF-1.7", "text/html", "x.html") == "application/pdf"


def test_content_disposition_forms():
    assert content_disposition_filename('attachment; filename="Księga.pdf"') == "Księga.pdf"
    assert content_disposition_filename("inline; filename=raport.pdf") == "raport.pdf"


def test_a_trickling_server_is_cut_at_the_total_deadline(server, fetcher, sleeps):
    def trickle(h, calls):
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        try:
            for _ in range(1000):
                h.wfile.write(b"%")
                h.wfile.flush()
                time.sleep(0.2)  # always within the 1 s socket timeout
        except OSError:
            pass
        return True

    server.add("/trickle.pdf", handler=trickle)
    started = time.monotonic()
    got = fetcher.fetch(server.url("/trickle.pdf"))
    assert got.outcome == "timeout" and "total deadline" in got.reason
    assert sleeps == []  # a cut at the deadline is final: no backoff, no second attempt
    assert time.monotonic() - started < 8  # 4 x the 1 s timeout, plus slack


def test_a_huge_html_page_is_capped_below_the_document_cap(server, tmp_path):
    settings = CrawlSettings(delay_seconds=0, timeout_seconds=5, max_document_mb=100, retries=0)
    fetcher = Fetcher(settings, tmp_path)
    server.add("/huge.html", b"<html><body>" + b"<p>akapit</p>" * 1_000_000)  # ~13 MB
    got = fetcher.fetch(server.url("/huge.html"))
    fetcher.close()
    assert got.outcome == "too_large"


def test_office_files_written_by_libreoffice_are_told_apart_by_their_bytes(tmp_path):
    from tests.officegen import make_office_file
    from tests.test_office import CONTENT  # the same documents: LibreOffice writes them once

    expected = {
        "doc": "application/msword",
        "rtf": "application/rtf",
        "ppt": "application/vnd.ms-powerpoint",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for fmt, media in expected.items():
        path = make_office_file(tmp_path / f"plik.{fmt}", CONTENT[fmt])
        # Served from a download URL without a name, as octet-stream: only the bytes tell.
        sniffed = sniff_media_type(path.read_bytes()[:2048], "application/octet-stream", "")
        assert (office_file_type(path, sniffed) or sniffed) == media, fmt
