"""kooperacja.search.limits: one cost budget for every search — characters, words (each one
joined by OR or in a phrase), word forms, time — with a one-line message for each, the same
from `kooperacja search`, the web page and /api/search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.errors import QueryTooCostly, SearchCancelled
from kooperacja.search import limits, rebuild_index, search
from kooperacja.search.limits import MAX_QUERY_CHARS, MAX_WORDS, Budget
from tests.test_search_corpus import DOCS
from tests.test_web_searches import MISSPELLED


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    rebuild_index(folder, DOCS)
    return folder


def test_fifty_misspelled_words_joined_by_or_are_searched_and_corrected(index: Path) -> None:
    words = ["asystnt", "rodzny", *MISSPELLED[2:]]
    result = search(index, " OR ".join(words))
    assert result.suggestion is not None and "asystent" in result.suggestion.split()
    assert result.total >= 1  # no "more than 50 words": one clause of 50 options
    corrected = search(index, " OR ".join(["asystnt", "rodzny", "kuratrow"]))
    assert corrected.suggestion == "asystent rodziny kuratorów" and corrected.total >= 2


def test_the_corrected_query_keeps_its_ors_phrases_exclusions_and_filters() -> None:
    from kooperacja.search.searching import _corrected_query

    fixes = {"asystnt": "asystent", "rodzny": "rodziny", "model": "modele"}
    query = 'Asystnt OR "rodzny zastępcza" -rodzny type:model'
    assert _corrected_query(query, fixes) == 'asystent OR "rodziny zastępcza" -rodzny type:model'


def test_one_word_over_the_limit_says_how_many_and_what_counts(index: Path) -> None:
    query = " OR ".join([*MISSPELLED, "asystent"])
    with pytest.raises(QueryTooCostly) as caught:
        search(index, query)
    message = str(caught.value)
    assert f"has {MAX_WORDS + 1} words" in message and "joined by OR" in message
    assert "\n" not in message


def test_a_phrase_counts_each_of_its_words(index: Path) -> None:
    phrase = '"' + " ".join(["rodzina"] * (MAX_WORDS + 1)) + '"'
    with pytest.raises(QueryTooCostly, match=f"has {MAX_WORDS + 1} words"):
        search(index, phrase)


def test_too_many_word_forms_is_a_message(index: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_EXPANSIONS", 3)
    with pytest.raises(QueryTooCostly, match="more than 3 word forms: make prefixes longer"):
        search(index, "asystent rodzina ro*")


def test_a_search_over_its_time_stops_with_a_message(index: Path) -> None:
    with pytest.raises(QueryTooCostly, match=r"took longer than 0\.5 s and was stopped"):
        search(index, "asystent rodziny", budget=Budget(seconds=0.5, started=0.0))


def test_a_cancelled_search_stops(index: Path) -> None:
    budget = Budget()
    budget.cancel()
    with pytest.raises(SearchCancelled):
        search(index, "asystent rodziny", budget=budget)


def test_a_search_short_of_time_for_suggestions_answers_without_them(
    index: Path, monkeypatch
) -> None:
    from kooperacja.search import searching

    budget = Budget(seconds=60)
    calls = []

    def slow_suggest(conn, words):  # the clock runs out during the first suggestion
        calls.append(words)
        object.__setattr__(budget, "started", budget.started - 120)
        return None

    monkeypatch.setattr(searching, "suggest", slow_suggest)
    result = search(index, "asystnt rodzny policja", budget=budget)
    assert len(calls) == 1 and result.suggestion is None and result.total >= 1


def test_the_length_limit_is_the_same_for_the_cli_the_page_and_the_api(web_archive) -> None:
    long_query = "rodzina " * (MAX_QUERY_CHARS // 8 + 1)
    expected = f"the query is {len(long_query.strip())} characters long; the limit is 1000"
    cli_result = CliRunner().invoke(
        cli, ["--config", str(web_archive.config_path), "search", long_query.strip(), "--json"]
    )
    assert cli_result.exit_code == 2 and expected in cli_result.stderr
    api = web_archive.get("/api/search", params={"q": long_query})
    assert api.status_code == 400 and api.json() == {"error": expected}
    page = web_archive.get("/", params={"q": long_query, "lang": "en"})
    messages = re.findall(r'<p class="message" role="alert">([^<]+)</p>', page.text)
    assert page.status_code == 200 and messages == [expected]
    polish = web_archive.get("/", params={"q": long_query}).text
    assert "znaków" in polish  # in the page's language
    short = web_archive.get("/api/search", params={"q": "rodziny"})
    assert json.loads(short.text)["total"] >= 1
