"""kooperacja.search.request: one check of a search's filters for the `search` command and the
web page; the command stops at the first bad value, the page drops it and names it in Polish."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.errors import UsageError
from kooperacja.i18n import translations
from kooperacja.models import SearchFilters
from kooperacja.search.query import parse_query
from kooperacja.search.request import parse_request, parse_years
from kooperacja.web.params import parse_request as parse_page

PARTNERS = ["rops-gdansk", "rops-torun"]
BAD_TYPE = "--type 'broszura' is not a document type; use one of: model (model), "


def test_good_values_become_filters() -> None:
    asked = parse_request(
        "asystent",
        types=["rekomendacje", "recommendations", "Sprawozdanie"],
        partners=["rops-torun"],
        year="2019..2021",
        statuses=["gone"],
        limit="50",
        known_partners=PARTNERS,
    )
    assert asked.filters == SearchFilters(
        ("recommendations", "pilot-report"), ("rops-torun",), 2019, 2021, ("gone",)
    )
    assert asked.limit == 50 and asked.problems == ()


@pytest.mark.parametrize(
    ("asked", "field", "message"),
    [
        ({"types": ["broszura"]}, "type", BAD_TYPE),
        ({"partners": ["rops-krakow"]}, "partner",
         "--partner 'rops-krakow' is not a partner in config.yaml; use one of: rops-gdansk, "
         "rops-torun"),
        ({"year": "dwa"}, "year", "--year 'dwa': "),
        ({"year": "2021..2019"}, "year", "--year '2021..2019': "),
        ({"limit": "0"}, "limit", "--limit '0': expected a number from 1 to 1000"),
    ],
)  # fmt: skip
def test_the_command_stops_where_the_page_drops(asked: dict, field: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_request("asystent", known_partners=PARTNERS, **asked)
    assert str(raised.value).startswith(message)
    lenient = parse_request("asystent", known_partners=PARTNERS, lenient=True, **asked)
    assert [(p.field, p.message) for p in lenient.problems] == [(field, str(raised.value))]
    assert lenient.filters == SearchFilters() and lenient.limit == 10


def test_the_year_is_checked_first_as_the_command_always_did() -> None:
    with pytest.raises(UsageError, match="^--year"):
        parse_request("x", types=["broszura"], year="dwa")


def test_page_and_command_refuse_the_same_values(tmp_path) -> None:
    # The page: each bad value dropped, named in Polish; the good ones kept.
    page = parse_page(
        {"q": ["asystent"], "type": ["broszura", "rekomendacje"], "partner": ["rops-krakow"],
         "year": ["dwa"], "status": ["gone"]},
        PARTNERS,
        translations("pl").gettext,
    )  # fmt: skip
    assert page.types == ("recommendations",) and page.statuses == ("gone",)
    assert page.partners == () and page.year == "" and page.filters.year_from is None
    assert page.problems == (
        "rodzaj broszura: nieznany; wybierz jeden z: model, model-summary, pilot-report, "
        "recommendations, presentation, research, news, video, other",
        "partner rops-krakow: nieznany; wybierz jeden z: rops-gdansk, rops-torun",
    )
    # The year as typed stays in the box, with the message beside it.
    assert page.typed_year == "dwa"
    assert page.year_problem == (
        "rok dwa: nie zastosowano; wpisz rok, np. 2021, albo zakres, np. 2019-2021 "
        "lub od 2019 do 2021"
    )
    # The command: the same values refused, the first one named, exit 2.
    config = tmp_path / "config.yaml"
    config.write_text(
        "partners:\n"
        + "".join(
            f"  - id: {pid}\n    name: {pid}\n    region: pomorskie\n"
            f"    start_urls: [http://127.0.0.1:9/{pid}/]\n"
            for pid in PARTNERS
        ),
        encoding="utf-8",
    )
    for option, value, needle in (
        ("--type", "broszura", BAD_TYPE),
        ("--partner", "rops-krakow", "--partner 'rops-krakow' is not a partner in config.yaml"),
        ("--year", "dwa", "--year 'dwa': "),
    ):
        result = CliRunner().invoke(cli, ["--config", str(config), "search", "asystent",
                                          option, value])  # fmt: skip
        assert result.exit_code == 2, result.output
        assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1
    api = parse_page({"q": ["x"], "limit": ["1001"]}, PARTNERS, api=True)
    assert api.problems == ("limit: expected 1..1000",)


@pytest.mark.parametrize(
    ("typed", "years"),
    [
        ("2021", (2021, 2021)),
        ("2019..2021", (2019, 2021)),
        ("2019-2021", (2019, 2021)),
        ("2019–2021", (2019, 2021)),  # en dash, as a word processor writes it
        ("2019 - 2021", (2019, 2021)),
        ("2019 – 2021", (2019, 2021)),
        ("od 2019 do 2021", (2019, 2021)),
        ("Od 2019 do 2021", (2019, 2021)),
        ("od 2019", (2019, None)),
        ("do 2021", (None, 2021)),
        ("2019 .. 2021", (2019, 2021)),
        ("2019-", (2019, None)),
    ],
)
def test_year_ranges_as_poles_write_them(typed: str, years: tuple) -> None:
    assert parse_years(typed) == years
    asked = parse_request("asystent", year=typed)
    assert (asked.year_from, asked.year_to) == years
    page = parse_page({"q": ["asystent"], "year": [typed]}, PARTNERS)
    assert (page.filters.year_from, page.filters.year_to) == years and page.year == typed
    assert not page.year_problem


def test_the_query_takes_a_dashed_range_as_one_word() -> None:
    for query in ("asystent rok:2019-2021", "asystent rok:2019–2021", "asystent year:2019..2021"):
        (flt,) = parse_query(query).filters
        assert (flt.year_from, flt.year_to) == (2019, 2021), query
    (excluded,) = parse_query("asystent -rok:2019-2020").exclude_filters
    assert (excluded.year_from, excluded.year_to) == (2019, 2020)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("dwa", "expected a year"),
        ("2021-2019", "runs backwards, write 2019..2021"),
        ("2021 – 2019", "runs backwards"),
        ("od do", "expected a year"),
        ("2019 2021", "expected a year"),
        ("do", "expected a year"),
        ("2019 - 20", "expected a year"),
    ],
)
def test_what_is_not_a_year_range_is_named(typed: str, why: str) -> None:
    with pytest.raises(UsageError, match=f"^--year '{typed}': .*{why}"):
        parse_years(typed)


def test_the_order_is_checked() -> None:
    assert parse_request("x", sort="newest").sort == "newest"
    with pytest.raises(UsageError, match="^--sort 'najlepsze' is not an order"):
        parse_request("x", sort="najlepsze")
    page = parse_page({"q": ["x"], "sort": ["najlepsze"]}, PARTNERS, translations("pl").gettext)
    assert page.sort == "relevance"
    assert page.problems == (
        "kolejność najlepsze: nieznana; wybierz jedną z: relevance, newest, oldest, title",
    )
