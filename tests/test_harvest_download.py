"""A body streamed under caps and a deadline (harvest/download.py), from the real fixture
server."""

from __future__ import annotations

import hashlib
import time

import pytest
import requests

from kooperacja.harvest.download import (
    SMALL_BODY,
    Limits,
    describe,
    read_small_body,
    stream_body,
)
from kooperacja.harvest.retry import Outcome


def _get(url: str) -> requests.Response:
    return requests.get(url, stream=True, timeout=5)


def _limits(max_bytes: int, page_bytes: int = 10_000_000) -> Limits:
    return Limits(max_bytes, time.monotonic() + 10, page_bytes)


def test_a_body_is_streamed_to_a_file_with_its_hash(server, tmp_path):
    data = b"%PDF-1.4\n" + bytes(range(256)) * 100
    server.add("/pliki/raport%20roczny.pdf", data, content_type="application/pdf")
    with _get(server.url("/pliki/raport%20roczny.pdf")) as resp:
        described = describe(resp, resp.url)
        body = stream_body(resp, tmp_path, _limits(1_000_000), described)
    assert described.filename == "raport roczny.pdf" and described.content_type == "application/pdf"
    assert body.outcome == Outcome.OK and body.received == len(data)
    assert body.path.read_bytes() == data
    assert body.sha256 == hashlib.sha256(data).hexdigest() and body.head == data[:4096]


def test_an_announced_size_over_the_cap_is_not_read(server, tmp_path):
    server.add("/duzy.pdf", b"%PDF-1.4\n" + b"0" * 5000, content_type="application/pdf")
    with _get(server.url("/duzy.pdf")) as resp:
        body = stream_body(resp, tmp_path, _limits(1000), describe(resp, resp.url))
    assert body.outcome == Outcome.TOO_LARGE and body.truncated == "length"
    assert body.received == 0 and body.reason.startswith("5009 bytes announced")
    assert not list(tmp_path.iterdir())


def test_a_page_has_a_lower_cap_than_a_document(server, tmp_path):
    page = b"<!DOCTYPE html><html><body>" + b"<p>akapit</p>" * 500
    server.add("/strona", page, content_type="text/html; charset=iso-8859-2")
    server.add("/plik", b"%PDF-1.4\n" + page, content_type="application/octet-stream")
    with _get(server.url("/strona")) as resp:
        described = describe(resp, resp.url)
        body = stream_body(resp, tmp_path, _limits(100_000, page_bytes=1000), described)
    assert described.charset == "iso-8859-2"
    assert body.outcome == Outcome.TOO_LARGE and "cap of 1000 bytes" in body.reason
    assert body.truncated == "length" and body.received > 1000
    assert body.path is None and not list(tmp_path.iterdir())
    with _get(server.url("/plik")) as resp:
        body = stream_body(resp, tmp_path, _limits(100_000, page_bytes=1000), describe(resp, ""))
    assert body.outcome == Outcome.OK and body.received == len(page) + 9


def test_a_body_past_the_deadline_is_a_timeout(server, tmp_path):
    server.add("/wolny.pdf", b"%PDF-1.4\n" + b"0" * 1000, content_type="application/pdf")
    with _get(server.url("/wolny.pdf")) as resp:
        late = Limits(1_000_000, time.monotonic() - 1)
        body = stream_body(resp, tmp_path, late, describe(resp, resp.url))
    assert body.outcome == Outcome.TIMEOUT and body.truncated == "time"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("size", "cut"), [(100, ""), (SMALL_BODY + 10, "length")])
def test_an_error_page_is_kept_small_for_the_warc(server, size, cut):
    server.add("/blad", b"x" * size, status=500)
    with _get(server.url("/blad")) as resp:
        body, truncated = read_small_body(resp)
    assert len(body) == min(size, SMALL_BODY) and truncated == cut
