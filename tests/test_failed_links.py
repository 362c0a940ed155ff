"""Failures in plain sight: a failing document link is named with the page that links it, in the
text report, in --json and in `changes`; the run exits 1; after N failing nights its document is
gone, never deleted; no network is said in those words, at once; status tells the last run."""

from __future__ import annotations

import json
import sqlite3
import time

import yaml
from click.testing import CliRunner

from kooperacja.archive.catalog import CATALOG_NAME
from kooperacja.cli import cli
from kooperacja.config import load_config
from tests.conftest import write_config

REPORT = "/torun/files/sprawozdanie.pdf"
NEWS = "/torun/kooperacja/aktualnosci/"


def run(config, *args):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def a_night_passes(config) -> None:
    """Move the day of every recorded failure back by one, as if cron ran again tomorrow."""
    with sqlite3.connect(load_config(config).archive_dir / CATALOG_NAME) as db:
        db.execute("UPDATE urls SET last_failed = date(last_failed, '-1 day')")


def test_a_dead_document_link_is_named_every_night_until_its_document_is_gone(tmp_path, site):
    config = write_config(tmp_path, site.server.base, gone_after_failed_nights=2)
    assert run(config, "-q", "update").exit_code == 0
    site.server.add(REPORT, b"", status=404)

    first = run(config, "update", "--json")
    assert first.exit_code == 1  # an item failed: cron must hear of it
    torun = json.loads(first.stdout)["partners"]["rops-torun"]
    (link,) = torun["failed_links"]
    assert link["url"] == site.server.url(REPORT) and link["found_on"] == site.server.url(NEWS)
    assert link["reason"] == "HTTP 404" and link["nights"] == 1 and link["doc_id"]
    assert torun["documents_gone"] == 0  # one bad night is not a removal
    assert site.server.url(REPORT) in first.stderr and site.server.url(NEWS) in first.stderr

    text = run(config, "update")
    assert text.exit_code == 1
    line = next(x for x in text.stdout.splitlines() if "failed link" in x)
    assert site.server.url(REPORT) in line and site.server.url(NEWS) in line and "404" in line

    changes = json.loads(run(config, "changes", "--since", "2000-01-01", "--json").stdout)
    failed = [c for c in changes["changes"] if c["change"] == "link_failed"]
    assert failed and failed[0]["url"] == site.server.url(REPORT)
    assert failed[0]["found_on"] == site.server.url(NEWS) and failed[0]["detail"] == "HTTP 404"
    changes_text = run(config, "changes", "--since", "2000-01-01").stdout
    assert f"{site.server.url(REPORT)} on {site.server.url(NEWS)}: HTTP 404" in changes_text

    a_night_passes(config)
    second = run(config, "update", "--json")
    torun = json.loads(second.stdout)["partners"]["rops-torun"]
    assert torun["documents_gone"] == 1 and torun["failed_links"][0]["nights"] == 2
    assert second.exit_code == 0  # a known dead link, its document gone: no mail every night
    records = json.loads(run(config, "export", "--format", "json").stdout)
    (report,) = [r for r in records if r["url"] == site.server.url(REPORT)]
    assert report["status"] == "gone"
    archive = load_config(config).archive_dir
    assert (archive / report["local_path"]).is_file()  # never deleted


def test_no_network_is_said_at_once_per_partner_without_retries(tmp_path, site):
    config = write_config(tmp_path, site.server.base, retries=3)
    data = yaml.safe_load(config.read_text())
    data["partners"].append(
        {
            "id": "rops-olsztyn",
            "name": "ROPS Olsztyn",
            "region": "warmińsko-mazurskie",
            "start_urls": ["https://kooperacja.rops-olsztyn.invalid/projekt/"],
        }
    )
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    started = time.monotonic()
    result = run(config, "update", "--json")
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    olsztyn = report["partners"]["rops-olsztyn"]
    assert "kooperacja.rops-olsztyn.invalid does not resolve" in olsztyn["unreachable"]
    assert len(olsztyn["errors"]) == 1 and "no network or DNS" in olsztyn["errors"][0]
    assert report["partners"]["rops-torun"]["documents_new"] >= 5  # the others go on
    assert not report["partners"]["rops-torun"]["errors"]
    warnings = [x for x in result.stderr.splitlines() if "no network or DNS" in x]
    assert warnings and all("rops-olsztyn" in x for x in warnings)


def test_status_tells_the_last_run_and_each_failure_in_words(tmp_path, site):
    config = write_config(tmp_path, site.server.base)
    data = yaml.safe_load(config.read_text())
    for partner in data["partners"]:
        partner["start_urls"] = [u.replace("/kooperacja/", "/nie-ma-takiej/") for u in
                                 partner["start_urls"]]  # fmt: skip
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert run(config, "update").exit_code == 1  # every partner failed
    text = run(config, "status")
    assert "last run: 'update'" in text.stdout and "some items failed" in text.stdout
    assert text.stdout.count("failed: rops-") == 2 and "HTTP 404" in text.stdout
    status = json.loads(run(config, "status", "--json").stdout)
    last = status["last_run"]
    assert last["outcome"] == "failed_items"
    assert isinstance(last["report"], dict)  # an object, not JSON inside a string
    assert "HTTP 404" in last["report"]["partners"]["rops-torun"]["errors"][0]


def test_a_name_that_does_not_resolve_is_asked_once(tmp_path):
    from kooperacja.config import CrawlSettings
    from kooperacja.harvest.fetch import Fetcher

    waits: list[float] = []
    fetcher = Fetcher(CrawlSettings(delay_seconds=0, retries=3), tmp_path, sleep=waits.append)
    got = fetcher.fetch("https://www.rops-nie-ma.invalid/kooperacja/raport.pdf")
    assert got.outcome == "no_dns" and "does not resolve" in got.reason
    assert waits == [] and fetcher.requests_made == 1  # no backoff, no second try
    assert "does not resolve" in fetcher.unreachable_reason("https://www.rops-nie-ma.invalid/")
