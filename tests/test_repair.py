"""Archived files missing or damaged are found by `update` and `verify`, fetched again from their
still-online URLs when the bytes are the recorded ones, else named with exit 3; `verify --repair`
works under the archive lock (issue 11, "What was seen", line 2)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from kooperacja.archive.catalog import CATALOG_NAME
from kooperacja.archive.store import file_sha256
from kooperacja.cli import cli
from kooperacja.config import load_config
from tests.conftest import lock_held_elsewhere
from tests.pdfgen import make_pdf


def run(config, *args):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


@pytest.fixture
def damaged(config_path, site):
    """The book overwritten with other bytes, the report deleted: both still online."""
    assert run(config_path, "-q", "update").exit_code == 0
    archive = load_config(config_path).archive_dir
    with sqlite3.connect(archive / CATALOG_NAME) as db:
        paths = dict(db.execute("SELECT sha256, local_path FROM documents").fetchall())
    book = archive / paths[__import__("hashlib").sha256(site.book).hexdigest()]
    report = archive / paths[__import__("hashlib").sha256(site.report).hexdigest()]
    book.write_bytes(b"%PDF-1.4 zupelnie inne bajty")
    report.unlink()
    return config_path, book, report


def test_verify_repair_fetches_both_files_again_under_the_lock(damaged, site):
    config, book, report = damaged
    found = run(config, "verify")
    assert found.exit_code == 3
    assert "file damaged" in found.stdout and "file missing" in found.stdout
    with lock_held_elsewhere(load_config(config).archive_dir):
        locked = run(config, "verify", "--repair")
        assert locked.exit_code == 4  # it moves files: never without the lock
        assert book.read_bytes() == b"%PDF-1.4 zupelnie inne bajty"
    result = run(config, "verify", "--repair", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["all_repaired"] and data["not_repaired"] == []
    assert book.read_bytes() == site.book and report.read_bytes() == site.report
    aside = list((load_config(config).archive_dir / "damaged").iterdir())
    assert [p.read_bytes() for p in aside] == [b"%PDF-1.4 zupelnie inne bajty"]  # kept
    assert run(config, "verify").exit_code == 0


def test_update_mends_the_archive_it_relies_on(damaged, site):
    config, book, report = damaged
    result = run(config, "update", "--json")
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert len(files["problems"]) == 2 and len(files["repaired"]) == 2
    assert book.read_bytes() == site.book and report.read_bytes() == site.report


def test_bytes_no_longer_online_are_named_and_update_exits_3(damaged, site):
    config, book, report = damaged
    site.server.add("/torun/files/sprawozdanie.pdf", make_pdf(["Inna treść"]),
                    content_type="application/pdf")  # fmt: skip
    result = run(config, "update")
    assert result.exit_code == 3  # cron hears of a broken archive
    unrepaired = [x for x in result.stderr.splitlines() if x.startswith("archive: ")]
    assert len(unrepaired) == 1 and "file missing" in unrepaired[0]
    assert "the server now sends other bytes" in unrepaired[0]
    assert "restore it from a backup" in unrepaired[0]
    assert book.read_bytes() == site.book  # the book was still there: mended
    status = json.loads(run(config, "status", "--json").stdout)
    assert status["last_run"]["outcome"] == "archive_problems"
    assert "archive needs repair" in run(config, "status").stdout
    verify = run(config, "verify", "--repair")
    assert verify.exit_code == 3 and "not repaired" in verify.stdout


def test_a_night_with_nothing_changed_hashes_no_file(config_path, site, monkeypatch):
    assert run(config_path, "-q", "update").exit_code == 0  # each file noted as it is stored
    hashed = []
    import kooperacja.archive.checks as checks

    monkeypatch.setattr(checks, "file_sha256", lambda p: hashed.append(p) or file_sha256(p))
    assert run(config_path, "-q", "update").exit_code == 0
    assert hashed == []
