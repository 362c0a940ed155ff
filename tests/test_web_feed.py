"""Alerts for a search: GET /feed (web/feed.py over exports/atom.py) read by a real feed parser
(feedparser), the results page's "Subskrybuj (Atom)", and `changes --since --query` for a cron
mail; a document a later `update` brings appears in both."""

from __future__ import annotations

import json
import re
import time
from html import unescape
from pathlib import Path

import feedparser
import pytest
import requests
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kooperacja.cli import cli
from kooperacja.config import load_config
from kooperacja.dates import now_iso
from kooperacja.web.app import create_app
from tests.conftest import Site, news_list, write_config
from tests.fixture_server import FixtureServer
from tests.pdfgen import make_pdf
from tests.test_web_hostile import PARAMS, assert_answered, values
from tests.test_web_searches import served
from tests.web_archive import pipeline

QUERY = "asystent rodziny"


def read_feed(response: requests.Response) -> feedparser.FeedParserDict:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


def search_ids(base: str, query: str, **params: str) -> list[str]:
    found = requests.get(base + "/api/search", params={"q": query, "limit": 1000, **params},
                         timeout=60).json()  # fmt: skip
    return [hit["doc_id"] for hit in found["hits"]]


def test_the_feed_of_a_search_gives_its_documents_newest_first(web_archive) -> None:
    base = web_archive.base
    feed = read_feed(web_archive.get("/feed", params={"q": QUERY}))
    assert feed.feed.title == f"Kooperacja — wyniki wyszukiwania: {QUERY}"
    assert feed.feed.language == "pl"
    self_link = next(link for link in feed.feed.links if link.rel == "self")
    assert self_link.href == base + "/feed?q=asystent+rodziny"
    expected = search_ids(base, QUERY)
    assert len(expected) >= 3  # the book, the report and the hostile report at least
    assert sorted(e.id.removeprefix("urn:sha256:")[:12] for e in feed.entries) == sorted(expected)
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    book = next(e for e in feed.entries if e.id.startswith(f"urn:sha256:{web_archive.ids['book']}"))
    links = {link.rel: link for link in book.links}
    assert links["alternate"].href == f"{base}/doc/{web_archive.ids['book']}"
    assert links["enclosure"].href == (
        f"{base}/file/{web_archive.ids['book']}/{web_archive.ids['book']}.pdf"
    )
    assert links["via"].href.endswith("ksiega.pdf")
    assert book.title == "Księga rekomendacyjna"
    assert book.author == "Regionalny Ośrodek Polityki Społecznej w Toruniu"
    # The matching page's lines, the searched words marked: "Asystent rodziny powinien …".
    assert re.search(r"<b>asystent\w*(</b> <b>| )rodziny</b>", book.summary, re.IGNORECASE)
    assert book.updated_parsed and book.published_parsed
    # The document page and the file it links are there.
    assert requests.get(links["alternate"].href, timeout=30).status_code == 200
    assert requests.get(links["enclosure"].href, timeout=30).content[:5] == b"%PDF-"


def test_hostile_text_stays_text_in_the_feed(web_archive) -> None:
    feed = read_feed(web_archive.get("/feed", params={"q": "raport złośliwy"}))
    hostile = next(e for e in feed.entries if web_archive.ids["hostile"] in e.links[0].href)
    assert "<script" not in hostile.summary.lower()  # escaped by the snippet, kept as text
    assert "alert" in unescape(hostile.summary)


def test_the_feed_keeps_the_search_filters(web_archive) -> None:
    base = web_archive.base
    feed = read_feed(web_archive.get("/feed", params={"q": QUERY, "type": "rekomendacje"}))
    assert [e.id[11:23] for e in feed.entries] == [web_archive.ids["book"]]
    assert feed.feed.title.endswith("(Rekomendacje)")
    gdansk = read_feed(web_archive.get("/feed", params={"q": QUERY, "partner": "rops-gdansk"}))
    assert sorted(e.id[11:23] for e in gdansk.entries) == sorted(
        search_ids(base, QUERY, partner="rops-gdansk")
    )
    # Without words: the newest documents of the filters (a feed of every new model).
    models = read_feed(web_archive.get("/feed", params={"type": "recommendations"}))
    assert models.feed.title == "Kooperacja — nowe dokumenty (Rekomendacje)"
    assert [e.id[11:23] for e in models.entries] == [web_archive.ids["book"]]


def test_bad_feed_parameters_get_their_one_line_message(web_archive) -> None:
    for params, words in (
        ({"q": QUERY, "type": "kronika"}, "kronika"),
        ({"q": QUERY, "year": "dwa tysiące"}, "dwa tysiące"),
        ({"q": "asystent type:kronika"}, "type:kronika"),
    ):
        response = web_archive.get("/feed", params=params)
        assert response.status_code == 400, (params, response.status_code)
        assert response.headers["content-type"].startswith("text/plain")
        assert words in response.text and response.text.count("\n") == 1, response.text


def test_an_unchanged_feed_is_not_sent_again(web_archive) -> None:
    first = web_archive.get("/feed", params={"q": QUERY})
    again = web_archive.get("/feed", params={"q": QUERY},
                            headers={"If-None-Match": first.headers["etag"]})  # fmt: skip
    assert again.status_code == 304 and not again.content


def test_the_results_page_links_its_feed(web_archive) -> None:
    page = web_archive.get("/", params={"q": QUERY, "p": "1", "n": "5"}).text
    head = page.split("</head>")[0]
    alternate = re.search(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" '
                          r'href="([^"]+)">', head)  # fmt: skip
    assert alternate, head
    assert alternate.group(1) == f"Kooperacja — wyniki wyszukiwania: {QUERY}"
    visible = re.search(r'<a class="feed-link" href="([^"]+)"[^>]*>Subskrybuj \(Atom\)</a>', page)
    assert visible and unescape(visible.group(1)) == unescape(alternate.group(2))
    assert unescape(alternate.group(2)) == "/feed?q=asystent+rodziny"  # no paging in the feed
    read_feed(web_archive.get(unescape(alternate.group(2))))


FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@FAST
@given(params=st.dictionaries(st.sampled_from(PARAMS), values))
def test_any_parameters_of_the_feed_are_answered(web_archive, params) -> None:
    response = web_archive.get("/feed", params=params)
    assert_answered(response, params)
    assert response.status_code in (200, 400), (params, response.status_code)
    if response.status_code == 200:
        assert not feedparser.parse(response.content).bozo


# --- a document a later update brings ------------------------------------------------------------

NEW_GUIDE = [
    "Poradnik dla asystentów rodziny\nProjekt „Kooperacja – efektywna i skuteczna”",
    "Asystent rodziny i pedagog szkolny wspólnie planują pomoc dla dziecka i jego rodziny.",
]
NEW_CONTEST = ["Regulamin konkursu plastycznego dla szkół podstawowych", "Prace należy oddać."]


@pytest.fixture(scope="module")
def growing(tmp_path_factory):
    """A partner site and its archive, which the test grows by one `update`."""
    tmp = tmp_path_factory.mktemp("feed")
    with FixtureServer() as server:
        Site(server)
        config_path = write_config(tmp, server.base)
        pipeline(config_path, "update")
        yield server, config_path


def changes(config_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config_path), "changes", *args])


def test_a_document_an_update_brings_appears_in_the_feed_and_the_changes(growing) -> None:
    server, config_path = growing
    with served(create_app(load_config(config_path))) as base:
        before = read_feed(requests.get(base + "/feed", params={"q": QUERY}, timeout=60))
        assert before.entries and all("Poradnik" not in e.title for e in before.entries)
        time.sleep(1.1)  # the catalogue's times are to the second
        since = now_iso()
        server.add("/torun/files/poradnik.pdf", make_pdf(NEW_GUIDE, title="Poradnik"),
                   content_type="application/pdf")  # fmt: skip
        server.add("/torun/files/konkurs.pdf", make_pdf(NEW_CONTEST),
                   content_type="application/pdf")  # fmt: skip
        # Linked from the news list (a list, not itself a document): only the files are new.
        server.add("/torun/kooperacja/aktualnosci/", news_list(
            "Aktualności projektu Kooperacja",
            [("03.10.2019", "/torun/kooperacja/aktualnosci/rgr/", "Spotkanie RGR"),
             ("23.10.2019", "/torun/kooperacja/aktualnosci/pgd/", "Spotkanie PGD")],
            [("/torun/files/sprawozdanie.pdf", "Sprawozdanie z pilotażu modelu [pdf, 1.85MB]"),
             ("/torun/files/poradnik.pdf", "Poradnik dla asystentów rodziny [pdf]"),
             ("/torun/files/konkurs.pdf", "Regulamin konkursu plastycznego [pdf]")],
        ))  # fmt: skip
        report = pipeline(config_path, "update")
        assert report["partners"]["rops-torun"]["documents_new"] == 2
        after = read_feed(requests.get(base + "/feed", params={"q": QUERY}, timeout=60))
    newest = after.entries[0]
    assert newest.title == "Poradnik dla asystentów rodziny"
    assert re.search(r"<b>asystent(</b> <b>| )rodziny</b>", newest.summary, re.IGNORECASE)
    assert len(after.entries) == len(before.entries) + 1
    assert all("konkurs" not in e.title.lower() for e in after.entries)

    # For the cron mail: only the new documents the search finds.
    everything = json.loads(changes(config_path, "--since", since, "--json").stdout)
    assert {c["title"] for c in everything["changes"] if c["change"] == "new"} >= {
        "Poradnik dla asystentów rodziny", "Regulamin konkursu plastycznego"}
    result = changes(config_path, "--since", since, "--query", "asystenci rodzin", "--json")
    assert result.exit_code == 0, result.output
    matching = json.loads(result.stdout)
    assert matching["query"] == "asystenci rodzin" and matching["since"] == since
    assert [(c["change"], c["title"]) for c in matching["changes"]] == [
        ("new", "Poradnik dla asystentów rodziny")]
    assert set(matching["changes"][0]) == set(everything["changes"][0])  # the same shape
    text = changes(config_path, "--since", since, "--query", "asystenci rodzin")
    assert text.exit_code == 0 and "Poradnik dla asystentów rodziny" in text.stdout
    assert "konkurs" not in text.stdout.lower()
    none = changes(config_path, "--since", since, "--query", "mediacje rówieśnicze")
    assert none.exit_code == 0
    assert none.stdout.strip() == f"no changes matching 'mediacje rówieśnicze' since {since}"


def test_changes_query_refuses_an_empty_or_malformed_query(growing) -> None:
    _, config_path = growing
    empty = changes(config_path, "--since", "2020-01-01", "--query", "  ")
    assert empty.exit_code == 2 and "--query" in empty.stderr
    bad = changes(config_path, "--since", "2020-01-01", "--query", "asystent year:2021..2019")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
