"""Odd and hostile input on every route and at `search`: never a 500, every answer with the
page's security headers (500s too), numbers of 0-9 only, dates past 9999, a 500-letter word,
non-UTF-8 bytes; one bundle at a time. A property-based test (hypothesis) throws arbitrary text,
digits and dates at every route's parameters and at `search`."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import quote

import pytest
import requests
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kooperacja.cli import cli
from kooperacja.config import load_config
from kooperacja.errors import QuerySyntaxError, UsageError
from kooperacja.search import open_index, search
from kooperacja.web import app as web_app
from tests.test_web_searches import served

LONG_WORD = "rodzina" + "a" * 500  # its stem is indexed: the snippet marks a 507-letter form
HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
           "referrer-policy")  # fmt: skip


def assert_answered(response: requests.Response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    missing = [h for h in HEADERS if h not in response.headers]
    assert not missing, (what, missing)


@pytest.mark.parametrize(
    "path",
    [
        "/changes?since=9999-12-31T23:59:59Z",
        "/changes?since=9999-12-31T23:59:59-05:00",
        "/changes?since=%C2%B2%C2%B2%C2%B2%C2%B2-01-01",
        "/?q=rodziny&p=%C2%B2",
        "/?q=rodziny&p=%E2%91%A0",
        "/?q=rodziny&n=%C2%B2",
        "/?q=rodziny&p=" + "9" * 5000,
        "/catalogue?p=%E2%91%A0",
        "/api/search?q=rodziny&limit=%C2%B2",
        "/api/search?q=rodziny&limit=" + "9" * 5000,
        "/?q=" + LONG_WORD,
        "/api/search?q=" + LONG_WORD,
        "/?q=rodziny&year=%C2%B2%C2%B2%C2%B2%C2%B2",
    ],
)
def test_odd_input_is_never_a_500(web_archive, path) -> None:
    assert_answered(web_archive.get(path), path)


def test_unicode_digits_in_a_page_number_are_404(web_archive) -> None:
    book = web_archive.ids["book"]
    for number in ("²", "①", "٣"):
        page = web_archive.get(f"/doc/{book}/page/{quote(number)}")
        assert page.status_code == 404 and "content-security-policy" in page.headers


def test_a_500_letter_word_is_searched_from_the_cli_and_the_api(web_archive) -> None:
    result = CliRunner().invoke(
        cli, ["--config", str(web_archive.config_path), "search", LONG_WORD, "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] >= 1
    api = web_archive.get("/api/search", params={"q": LONG_WORD})
    assert api.status_code == 200 and api.json()["total"] >= 1


def test_search_json_of_non_utf8_input_is_valid_json(web_archive) -> None:
    # Bytes that are not UTF-8 reach Python as lone surrogates (surrogateescape).
    result = CliRunner().invoke(
        cli, ["--config", str(web_archive.config_path), "search", "rodziny \udcff\udcfe", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] >= 1 and data["query"] == "rodziny \udcff\udcfe"


def test_an_unexpected_error_is_a_500_page_with_every_header(web_archive, monkeypatch) -> None:
    def broken(self, request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(web_app.WebSite, "catalogue", broken)
    with served(web_app.create_app(load_config(web_archive.config_path))) as base:
        page = requests.get(base + "/catalogue", timeout=30)
    assert page.status_code == 500 and "a bug" not in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.headers["referrer-policy"] == "same-origin"


def test_one_bundle_at_a_time(web_archive, monkeypatch) -> None:
    sites: list[web_app.WebSite] = []
    original = web_app.WebSite.__init__

    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        sites.append(self)

    monkeypatch.setattr(web_app.WebSite, "__init__", remember)
    with served(web_app.create_app(load_config(web_archive.config_path))) as base:
        lock: threading.Lock = sites[0].bundling
        with lock:  # a bundle being written
            busy = requests.get(base + "/export/bundle", timeout=60)
        assert busy.status_code == 503 and busy.headers["Retry-After"]
        done = requests.get(base + "/export/bundle", timeout=60)
        assert done.status_code == 200 and done.content[:2] == b"PK"
        deadline = time.monotonic() + 10
        while lock.locked() and time.monotonic() < deadline:  # given back once sent
            time.sleep(0.01)
        assert not lock.locked()
        again = requests.get(base + "/export/bundle", timeout=60)
        assert again.status_code == 200


# --- property-based: arbitrary text, digits and dates -------------------------------------

unicode_digits = st.text(alphabet="0123456789²③٣१①⁹", max_size=8)
dates = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.from_regex(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})", fullmatch=True),
)
values = st.one_of(st.text(max_size=60), unicode_digits, dates)
PARAMS = ("q", "p", "n", "limit", "type", "partner", "year", "status", "all", "sort", "order",
          "since", "lang")  # fmt: skip
ROUTES = ("/", "/api/search", "/catalogue", "/changes", "/export/csv", "/export/atom")
PATHS = ("/doc/{v}", "/doc/{book}/page/{v}", "/file/{book}/{v}", "/export/{v}")
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(route=st.sampled_from(ROUTES), params=st.dictionaries(st.sampled_from(PARAMS), values))
def test_any_parameters_on_any_route_are_answered(web_archive, route, params) -> None:
    assert_answered(web_archive.get(route, params=params), (route, params))


@FAST
@given(path=st.sampled_from(PATHS), value=values.filter(lambda v: v not in ("", ".", "..")))
def test_any_path_value_is_answered(web_archive, path, value) -> None:
    url = path.format(v=quote(value, safe=""), book=web_archive.ids["book"])
    assert_answered(web_archive.get(url), url)


@pytest.fixture(scope="module")
def index(web_archive):
    return open_index(load_config(web_archive.config_path).index_dir)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(query=st.one_of(st.text(max_size=200), unicode_digits, dates,
                       st.lists(st.sampled_from(["rodzina", "OR", "-", '"', "*", "year:", "a*",
                                                 "type:", "asystnt", "²", "("]),
                                max_size=12).map(" ".join)))  # fmt: skip
def test_search_answers_or_gives_its_one_line_message(index, query) -> None:
    try:
        result = search(index, query)
    except (QuerySyntaxError, UsageError) as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert result.total >= len(result.hits)
