"""WARC capture: every response the fetcher receives, read back with warcio."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from kooperacja.archive.warcfiles import (
    check_warc_file,
    open_warc_files,
    payload_sha256,
    warc_files,
)
from kooperacja.config import CrawlSettings
from kooperacja.harvest.fetch import Fetcher
from kooperacja.harvest.warc import (
    NOT_MODIFIED_PROFILE,
    Capture,
    WarcWriter,
    recover_open_files,
    sha256_digest,
)
from tests.pdfgen import make_pdf


@pytest.fixture
def capture(tmp_path):
    """A fetcher whose every response goes to a WARC writer; yields (fetcher, writer, captures)."""
    settings = CrawlSettings(user_agent="kooperacja-test/1.0", delay_seconds=0, timeout_seconds=2)
    fetcher = Fetcher(settings, tmp_path, sleep=lambda s: None)
    writer = WarcWriter(tmp_path, 10 * 1024 * 1024, info={"software": "kooperacja-test"})
    captures: list[Capture] = []
    fetcher.recorder = lambda ex: captures.append(
        writer.write(ex, refers_to=next((c for c in captures if c.url == ex.url), None))
    )
    yield fetcher, writer, captures
    fetcher.close()
    writer.close()


def records(archive: Path) -> list:
    out = []
    for path in warc_files(archive):
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                out.append(
                    (rec.rec_type, rec.rec_headers, rec.http_headers, rec.content_stream().read())
                )
    return out


def test_document_response_and_request_recorded_with_its_own_digest(server, capture, tmp_path):
    fetcher, writer, captures = capture
    pdf = make_pdf(["Sprawozdanie z pilotażu modelu kooperacji"])
    server.add("/files/sprawozdanie.pdf", pdf, content_type="application/pdf", etag='"s1"')
    got = fetcher.fetch(server.url("/files/sprawozdanie.pdf"))
    writer.close()
    assert got.ok
    recs = records(tmp_path)
    kinds = [r[0] for r in recs]
    assert kinds == ["warcinfo", "response", "request"]
    _, head, http, payload = recs[1]
    assert payload == pdf == got.path.read_bytes()
    assert head.get_header("WARC-Payload-Digest") == sha256_digest(got.sha256)
    assert head.get_header("WARC-Target-URI") == server.url("/files/sprawozdanie.pdf")
    assert http.get_statuscode() == "200" and http.get_header("ETag") == '"s1"'
    _, req_head, req_http, _ = recs[2]
    assert req_head.get_header("WARC-Concurrent-To") == head.get_header("WARC-Record-ID")
    assert (req_http.protocol, req_http.statusline) == ("GET", "/files/sprawozdanie.pdf HTTP/1.1")
    assert req_http.get_header("User-Agent") == "kooperacja-test/1.0"
    assert captures[0].payload_sha256 == got.sha256
    assert payload_sha256(tmp_path / captures[0].filename, captures[0].offset) == got.sha256
    check = check_warc_file(warc_files(tmp_path)[0])
    assert check.problems == () and len(check.records) == 3


def test_not_modified_is_a_revisit_of_the_earlier_capture(server, capture, tmp_path):
    fetcher, writer, captures = capture
    server.add("/files/a.pdf", make_pdf(["Model kooperacji"]), etag='"a1"')
    first = fetcher.fetch(server.url("/files/a.pdf"))
    again = fetcher.fetch(server.url("/files/a.pdf"), etag='"a1"')
    writer.close()
    assert again.outcome == "not_modified"
    revisit = next(r for r in records(tmp_path) if r[0] == "revisit")
    head = revisit[1]
    assert head.get_header("WARC-Profile") == NOT_MODIFIED_PROFILE
    assert head.get_header("WARC-Refers-To-Date") == captures[0].date
    assert head.get_header("WARC-Refers-To-Target-URI") == server.url("/files/a.pdf")
    assert head.get_header("WARC-Payload-Digest") == sha256_digest(first.sha256)
    assert revisit[2].get_statuscode() == "304"
    assert [c.record_type for c in captures] == ["response", "revisit"]


def test_redirects_errors_and_robots_are_recorded(server, capture, tmp_path):
    fetcher, writer, captures = capture
    server.add("/robots.txt", "User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
    server.add("/old", b"moved", status=301, headers={"Location": "/new"})
    server.add("/new", "<html><body>Nowa strona</body></html>")
    assert fetcher.robots_verdict(server.url("/admin/x")) == "disallowed by robots.txt"
    assert fetcher.fetch(server.url("/old")).ok
    assert fetcher.fetch(server.url("/missing.pdf")).http_status == 404
    writer.close()
    responses = [
        (r[1].get_header("WARC-Target-URI"), r[2].get_statuscode(), r[3])
        for r in records(tmp_path)
        if r[0] == "response"
    ]
    base = server.base
    assert responses[0][:2] == (f"{base}/robots.txt", "200")
    assert responses[1] == (f"{base}/old", "301", b"moved")
    assert responses[2][:2] == (f"{base}/new", "200")
    assert responses[3][:2] == (f"{base}/missing.pdf", "404")


def test_chunked_and_compressed_answers_record_the_entity(server, capture, tmp_path):
    fetcher, writer, _ = capture
    text = "Zespół interdyscyplinarny – posiedzenie ".encode() * 50

    def chunked(h, calls):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for part in (text[:700], text[700:]):
            h.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        h.wfile.write(b"0\r\n\r\n")
        return True

    server.add("/chunked", handler=chunked)
    server.add("/gz", gzip.compress(text), headers={"Content-Encoding": "gzip"})
    assert fetcher.fetch(server.url("/chunked")).ok
    assert fetcher.fetch(server.url("/gz")).ok
    writer.close()
    responses = [r for r in records(tmp_path) if r[0] == "response"]
    for _, head, http, payload in responses:
        assert payload == text
        assert head.get_header("WARC-Payload-Digest") == sha256_digest(
            hashlib.sha256(text).hexdigest()
        )
        assert http.get_header("Content-Length") == str(len(text))
    assert responses[0][2].get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
    assert responses[1][2].get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert responses[1][2].get_header("Content-Encoding") is None
    assert check_warc_file(warc_files(tmp_path)[0]).problems == ()


def test_files_rotate_by_size_each_with_its_warcinfo(server, tmp_path):
    writer = WarcWriter(tmp_path, 3000, info={"software": "kooperacja-test"})
    settings = CrawlSettings(user_agent="t", delay_seconds=0)
    fetcher = Fetcher(settings, tmp_path, sleep=lambda s: None)
    fetcher.recorder = writer.write
    for n in range(4):
        server.add(f"/f{n}.pdf", make_pdf([f"Raport numer {n} z pilotażu"]))
        assert fetcher.fetch(server.url(f"/f{n}.pdf")).ok
    writer.close()
    fetcher.close()
    files = warc_files(tmp_path)
    assert len(files) == 4 and not open_warc_files(tmp_path)
    for path in files:
        check = check_warc_file(path)
        assert check.problems == ()
        assert [r.record_type for r in check.records] == ["warcinfo", "response", "request"]


def test_a_file_left_open_by_a_killed_run_is_cut_to_whole_records(server, capture, tmp_path):
    fetcher, writer, _ = capture
    for n in range(2):
        server.add(f"/d{n}.pdf", make_pdf([f"Diagnoza {n}"]))
        fetcher.fetch(server.url(f"/d{n}.pdf"))
    (open_path,) = open_warc_files(tmp_path)
    whole = open_path.stat().st_size
    with open_path.open("ab") as fh:  # the kill came in the middle of a third record
        fh.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" * 40)[:-30])
    writer._fh.close()  # the process died holding it (every record was flushed)
    writer._fh = None
    assert recover_open_files(tmp_path / "warc") == [open_path.name.removesuffix(".open")]
    (closed,) = warc_files(tmp_path)
    assert closed.stat().st_size == whole
    check = check_warc_file(closed)
    assert check.problems == () and len(check.records) == 5


def test_damaged_payload_is_found(server, capture, tmp_path):
    fetcher, writer, captures = capture
    server.add("/k.pdf", make_pdf(["Księga rekomendacyjna"]))
    fetcher.fetch(server.url("/k.pdf"))
    writer.close()
    (path,) = warc_files(tmp_path)
    data = path.read_bytes()
    start = captures[0].offset  # the response record's own gzip member
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    record = bytearray(inflater.decompress(data[start:]))
    end = len(data) - len(inflater.unused_data)
    record[record.index(b"%PDF-") + 20] ^= 0x20
    path.write_bytes(data[:start] + gzip.compress(bytes(record)) + data[end:])
    problems = check_warc_file(path).problems
    assert problems and all("digest" in p for p in problems)
