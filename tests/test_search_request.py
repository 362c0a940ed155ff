"""kooperacja.search.request: one check of a search's filters for the `search` command and the
web page; the command stops at the first bad value, the page drops it and names it in Polish."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.errors import UsageError
from kooperacja.i18n import translations
from kooperacja.models import SearchFilters
from kooperacja.search.request import parse_request
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
        "rok: oczekiwano roku, np. 2021, albo zakresu, np. 2019..2021; podano dwa",
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
