"""No dead ends for a newcomer, -q silent on success, dates and ranges refused alike in options and
queries (issue 11, "What was seen", lines 5 and 6)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kooperacja.cli import cli
from tests.conftest import write_config


def run(config, *args):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def test_index_and_search_on_an_empty_archive_say_what_to_run(tmp_path, server):
    config = write_config(tmp_path, server.base)
    searched = run(config, "search", "asystent", "rodziny")
    assert searched.exit_code == 3
    assert "no documents archived yet" in searched.stderr
    assert "kooperacja update" in searched.stderr and str(config) in searched.stderr
    assert "run 'kooperacja index'" not in searched.stderr  # no loop back to index
    indexed = run(config, "index")
    assert indexed.exit_code == 0
    assert "is empty, nothing to index" in indexed.stderr
    assert str(config) in indexed.stderr and "kooperacja update" in indexed.stderr


def test_quiet_is_silent_on_success_for_every_command(config_path, site, tmp_path):
    commands = [
        ["update"],
        ["crawl"],
        ["extract"],
        ["tag"],
        ["index"],
        ["verify"],
        ["verify", "--repair"],
        ["export", "--format", "csv", "--output", str(tmp_path / "k.csv")],
        ["export", "--format", "bundle", "--output", str(tmp_path / "k.zip")],
    ]
    for args in commands:
        result = run(config_path, "-q", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), args
    doc_id = json.loads(run(config_path, "export", "--format", "json").stdout)[0]["doc_id"]
    curated = run(config_path, "-q", "curate", doc_id, "--set", "year=2020")
    assert (curated.exit_code, curated.stdout, curated.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "since", ["2026-13-01", "2026-02-30", "2026-1-5", "wczoraj", "2026-01-01x"]
)
def test_changes_refuses_a_day_that_does_not_exist(config_path, site, since):
    run(config_path, "-q", "update")
    result = run(config_path, "changes", "--since", since)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --since {since!r}: not a date")


def test_changes_accepts_a_day_and_an_iso_time(config_path, site):
    run(config_path, "-q", "update")
    for since in ("2026-01-31", "2026-01-31T08:00:00Z", "2000-02-29"):
        assert run(config_path, "changes", "--since", since).exit_code == 0, since


def test_year_options_and_year_queries_follow_one_rule(config_path, site):
    run(config_path, "-q", "update")
    backwards_query = run(config_path, "search", "asystent year:2021..2019")
    backwards_option = run(config_path, "search", "asystent", "--year", "2021..2019")
    assert backwards_query.exit_code == backwards_option.exit_code == 2
    assert (
        "runs backwards" in backwards_query.stderr and "runs backwards" in backwards_option.stderr
    )
    assert "2019..2021" in backwards_option.stderr
    for bad in ("21", "2019-20", "2019..20x", "..", "2021 asystent"):
        assert run(config_path, "search", "asystent", "--year", bad).exit_code == 2, bad
        assert run(config_path, "export", "--format", "csv", "--year", bad).exit_code == 2, bad
    exported = run(config_path, "export", "--format", "json", "--year", "2021..2019")
    assert exported.exit_code == 2 and "runs backwards" in exported.stderr
    for good in ("2021", "2019..2021", "2019..", "..2021"):
        assert run(config_path, "search", "asystent", "--year", good).exit_code == 0, good
    # Ranges as Poles write them (issue 18): the option and the query take the same ones.
    dashed_run = run(config_path, "search", "asystent", "--year", "2019-2021", "--json")
    assert dashed_run.exit_code == 0 and '"hits"' in dashed_run.stdout
    dashed = dashed_run.stdout
    for same in (("--year", "2019–2021"), ("--year", "od 2019 do 2021"), ("--year", "2019 - 2021")):
        assert run(config_path, "search", "asystent", *same, "--json").stdout == dashed, same
    assert run(config_path, "search", "asystent rok:2019-2021", "--json").exit_code == 0
