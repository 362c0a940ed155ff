"""The retry rule and the fetch outcomes (harvest/retry.py), alone and through the fetcher
against the real fixture server."""

from __future__ import annotations

import json
from email.utils import formatdate

import pytest

from kooperacja.config import CrawlSettings
from kooperacja.harvest.fetch import Fetched, Fetcher
from kooperacja.harvest.retry import Outcome, RetryPolicy, is_transient, parse_retry_after
from tests.pdfgen import make_pdf


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def fetcher(tmp_path, sleeps):
    settings = CrawlSettings(delay_seconds=0, timeout_seconds=1, retries=2)
    f = Fetcher(settings, tmp_path, sleep=sleeps.append)
    yield f
    f.close()


def _answer(status: int, headers: dict[str, str] | None = None):
    def handler(h, calls):
        h.send_response(status)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Content-Length", "0")
        h.end_headers()
        return True

    return handler


def test_outcomes_keep_the_names_stored_in_the_catalogue():
    assert {o.value for o in Outcome} == {
        "ok",
        "not_modified",
        "http_error",
        "too_large",
        "timeout",
        "connection_error",
        "no_dns",
        "no_network",
        "redirect_loop",
        "redirect_refused",
        "empty",
        "redirect",
    }
    assert json.dumps({"status": Outcome.HTTP_ERROR}) == '{"status": "http_error"}'
    assert f"{Outcome.TOO_LARGE}" == "too_large" and Outcome.OK == "ok"


def test_a_lasting_server_error_answers_with_its_own_status_once_retries_are_spent(
    server, fetcher, sleeps
):
    route = server.add("/down.pdf", handler=_answer(503))
    got = fetcher.fetch(server.url("/down.pdf"))
    assert got.outcome == Outcome.HTTP_ERROR and got.http_status == 503
    assert got.reason == "HTTP 503"
    # counted as the server receives them (its log is written after the answer is sent)
    assert route.calls == 3  # the first attempt and two retries
    assert sleeps == [1.0, 2.0]  # exponential backoff
    assert is_transient(got)


def test_a_broken_connection_is_asked_again(server, fetcher, sleeps):
    pdf = make_pdf(["Raport"])

    def hang_up_once(h, calls):
        if calls == 1:
            h.close_connection = True  # no answer at all: the client sees a closed connection
            return True
        return False

    route = server.add("/raport.pdf", pdf, content_type="application/pdf", handler=hang_up_once)
    got = fetcher.fetch(server.url("/raport.pdf"))
    assert got.ok and got.path.read_bytes() == pdf
    assert route.calls == 2 and sleeps == [1.0]


def test_a_retry_after_longer_than_a_crawl_waits_is_not_waited_for(server, fetcher, sleeps):
    route = server.add("/busy", handler=_answer(429, {"Retry-After": "3600"}))
    got = fetcher.fetch(server.url("/busy"))
    assert got.outcome == Outcome.HTTP_ERROR and got.http_status == 429
    assert got.reason == "HTTP 429; Retry-After 3600s too long"
    assert route.calls == 1 and sleeps == []


def test_a_client_error_or_a_501_is_not_retried(server, fetcher, sleeps):
    server.add("/gone", handler=_answer(410))
    server.add("/odd", handler=_answer(501))
    assert fetcher.fetch(server.url("/gone")).http_status == 410
    assert fetcher.fetch(server.url("/odd")).http_status == 501
    assert server.routes["/gone"].calls == 1 and server.routes["/odd"].calls == 1
    assert sleeps == []


def test_retry_after_in_seconds_or_as_a_date():
    now = 1_700_000_000.0
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(formatdate(now + 120, usegmt=True), now=now) == 120.0
    assert parse_retry_after(formatdate(now - 120, usegmt=True), now=now) == 0.0  # past
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None and parse_retry_after(None) is None


def test_the_policy_backs_off_up_to_its_ceiling_and_honours_retry_after():
    policy = RetryPolicy(retries=5, max_backoff=3.0)
    assert [policy.backoff(a) for a in range(4)] == [1.0, 2.0, 3.0, 3.0]
    assert policy.wait(0, 7.0) == 7.0 and policy.wait(1, None) == 2.0
    assert policy.too_long(16.0) and not policy.too_long(15.0) and not policy.too_long(None)
    assert policy.attempts == 6 and RetryPolicy(retries=-1).attempts == 1


def test_which_answers_are_retried():
    policy = RetryPolicy(retries=2)
    for status in (408, 429, 500, 502, 503, 504):
        assert policy.should_retry(0, Outcome.HTTP_ERROR, status), status
    for status in (404, 410, 501):
        assert not policy.retryable(Outcome.HTTP_ERROR, status), status
    assert policy.should_retry(1, Outcome.CONNECTION_ERROR, None)
    assert not policy.should_retry(2, Outcome.CONNECTION_ERROR, None)  # the last attempt
    for outcome in (Outcome.TIMEOUT, Outcome.NO_DNS, Outcome.NO_NETWORK, Outcome.TOO_LARGE):
        assert not policy.retryable(outcome, None), outcome


def test_which_failures_say_nothing_about_the_document():
    def failed(outcome: Outcome, status: int | None = None) -> Fetched:
        return Fetched("http://example.org/a.pdf", outcome, http_status=status)

    assert is_transient(failed(Outcome.HTTP_ERROR, 501))  # any 5xx, retried or not
    assert is_transient(failed(Outcome.HTTP_ERROR, 429))
    assert is_transient(failed(Outcome.TIMEOUT)) and is_transient(failed(Outcome.NO_DNS))
    assert not is_transient(failed(Outcome.HTTP_ERROR, 404))
    assert not is_transient(failed(Outcome.REDIRECT_REFUSED, 302))
    assert not is_transient(failed(Outcome.TOO_LARGE, 200))
