"""Polish dates as partner pages and publications write them."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kooperacja.dates import cover_year, find_dates, parse_http_date, parse_pdf_date

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("W dniu 23 października 2019 w Starogardzie Gdańskim", "2019-10-23"),
        ("23 października 2019 r.", "2019-10-23"),
        ("23 pazdziernika 2019", "2019-10-23"),  # typed without diacritics
        ("spotkanie 2.10.2019", "2019-10-02"),
        ("02.10.2019 r.", "2019-10-02"),
        ("w dniu 16.06.2021 [pdf, 3,12MB]", "2021-06-16"),
        ("23.X.2019", "2019-10-23"),
        ("opublikowano 2019-10-23", "2019-10-23"),
        ("Toruń, październik 2021", "2021-10"),
        ("w październiku 2021 roku", "2021-10"),
        ("1 maja 2020", "2020-05-01"),
        ("12 lutego 2019", "2019-02-12"),
    ],
)
def test_find_dates_reads_polish_forms(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


def test_invalid_calendar_dates_are_ignored() -> None:
    assert find_dates("31.02.2020 i 30 lutego 2020") == []


def test_br_needs_the_page_year() -> None:
    text = "W środę 2 października br. w Hotelu Zatoka w Gdańsku"
    assert find_dates(text) == []
    (found,) = find_dates(text, current_year=2019)
    assert found.iso == "2019-10-02"
    assert found.text == "2 października br."


def test_real_seed_pages() -> None:
    news = (SEEDS / "partner-news-page.txt").read_text(encoding="utf-8")
    assert find_dates(news)[0].iso == "2019-10-23"
    project = (SEEDS / "partner-project-page.txt").read_text(encoding="utf-8")
    assert [d.iso for d in find_dates(project)] == ["2021-06-16"]
    assert [d.iso for d in find_dates(project, 2019)] == ["2019-10-02", "2021-06-16"]


def test_dates_come_in_reading_order_without_overlaps() -> None:
    found = find_dates("od 2.10.2019 do 23 października 2019, potem listopad 2019")
    assert [d.iso for d in found] == ["2019-10-02", "2019-10-23", "2019-11"]


def test_pdf_dates() -> None:
    assert parse_pdf_date("D:20191023101500+02'00'").iso == "2019-10-23"
    assert parse_pdf_date("D:20200102085454+01'00'").year == 2020
    assert parse_pdf_date("D:19700101") is None  # epoch default of broken producers
    assert parse_pdf_date("D:20191345") is None
    assert parse_pdf_date("junk") is None


def test_http_and_iso_dates() -> None:
    assert parse_http_date("Wed, 23 Oct 2019 10:00:00 GMT").iso == "2019-10-23"
    assert parse_http_date("2021-06-16T08:00:00Z").iso == "2021-06-16"
    assert parse_http_date("") is None
    assert parse_http_date("not a date") is None


def test_cover_year() -> None:
    assert cover_year("Toruń 2021") == 2021
    assert cover_year("2019 r.") == 2019
    assert cover_year("Model kooperacji 2021 wydanie") is None


GENITIVE = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
            "września", "października", "listopada", "grudnia")  # fmt: skip


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_every_calendar_date_reads_back_in_each_form(day: date) -> None:
    forms = (
        f"dnia {day.day} {GENITIVE[day.month - 1]} {day.year} r.",
        f"w dniu {day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.isoformat(),
    )
    for text in forms:
        assert [d.iso for d in find_dates(text)] == [day.isoformat()], text
