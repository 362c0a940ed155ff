"""Bad local state: unwritable archive, a full disk, a corrupted index, a newer catalogue,
search while an update runs, and `verify` finding and repairing what can be repaired."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.config import load_config
from tests.conftest import lock_held_elsewhere
from tests.pdfgen import make_pdf


def invoke(config_path, *args):
    return CliRunner().invoke(cli, ["--config", str(config_path), *args])


@pytest.fixture
def updated(config_path, site):
    result = invoke(config_path, "-q", "update")
    assert result.exit_code == 0, result.stderr
    return config_path


def test_verify_clean_archive_exits_0(updated):
    result = invoke(updated, "verify", "--json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["problems"] == []


def test_verify_finds_damage_and_repairs_what_it_can(updated):
    config = load_config(updated)
    db = sqlite3.connect(config.archive_dir / "catalog.sqlite")
    rows = db.execute(
        "SELECT sha256, local_path, media_type FROM documents "
        "WHERE media_type='application/pdf' ORDER BY sha256"
    ).fetchall()
    db.close()
    damaged, text_lost = rows[0], rows[1]
    (config.archive_dir / damaged[1]).write_bytes(b"%PDF-1.4 not the same bytes")
    text_file = config.archive_dir / f"blobs/{text_lost[0][:2]}/{text_lost[0]}.pages.json"
    text_file.unlink()
    orphan = config.archive_dir / "blobs/ff/orphan.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.4")
    result = invoke(updated, "verify")
    assert result.exit_code == 3
    out = result.stdout
    assert f"{damaged[0][:12]}: file damaged" in out
    assert f"{text_lost[0][:12]}: extracted text missing" in out
    assert "orphan file without a catalogue record: blobs/ff/orphan.pdf" in out

    repaired = invoke(updated, "verify", "--repair")
    assert repaired.exit_code == 0, repaired.output  # still online: fetched again
    assert f"{damaged[0][:12]}: damaged file fetched again" in repaired.stdout
    assert (config.archive_dir / damaged[1]).read_bytes() != b"%PDF-1.4 not the same bytes"
    assert f"{text_lost[0][:12]}: re-extracted" in repaired.stdout
    assert "blobs/ff/orphan.pdf: moved to orphans/" in repaired.stdout
    assert (load_config(updated).archive_dir / "orphans" / "orphan.pdf").exists()
    assert text_file.exists()


def test_corrupted_index_is_reported_and_rebuild_fixes_it(updated):
    config = load_config(updated)
    damaged = 0
    for f in config.index_dir.rglob("*"):
        if f.is_file() and f.suffix in (".idx", ".pos", ".term", ".store", ".fast"):
            f.write_bytes(b"\0garbage")
            damaged += 1
    assert damaged  # the engine's segment files were found and overwritten
    result = invoke(updated, "search", "rodzina")
    assert result.exit_code == 3
    assert "index --rebuild" in result.stderr and "Traceback" not in result.output
    assert invoke(updated, "index", "--rebuild").exit_code == 0
    again = invoke(updated, "search", "rodzina", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["total"] >= 1


def test_catalogue_from_a_newer_version_is_refused(updated):
    config = load_config(updated)
    db = sqlite3.connect(config.archive_dir / "catalog.sqlite")
    db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    result = invoke(updated, "update")
    assert result.exit_code == 3
    assert "schema v99" in result.stderr and "upgrade kooperacja" in result.stderr


def test_unwritable_archive_folder(tmp_path, config_path):
    if os.geteuid() == 0:  # root writes anywhere on disk; /proc refuses even root
        text = config_path.read_text().replace("archive_dir: archive", "archive_dir: /proc/koop/a")
        config_path.write_text(text)
    else:
        folder = load_config(config_path).archive_dir
        folder.mkdir()
        folder.chmod(0o500)
    result = invoke(config_path, "update")
    assert result.exit_code == 3
    assert "cannot write to the archive folder" in result.stderr
    assert "Traceback" not in result.output


def test_archive_folder_that_is_a_file(config_path):
    load_config(config_path).archive_dir.write_text("not a folder")
    result = invoke(config_path, "update")
    assert result.exit_code == 3
    assert "archive" in result.stderr and "Traceback" not in result.output


def test_full_disk_loses_nothing(updated, site):
    """A disk that fills up mid-run (simulated with RLIMIT_FSIZE in a real subprocess): a clear
    message, and everything archived before is intact; the next run completes."""
    config = load_config(updated)
    big = make_pdf(
        [f"Strona {i}: współpraca instytucji pomocy społecznej " * 40 for i in range(150)]
    )
    assert len(big) > 110_000
    site.server.add("/torun/files/nowy.pdf", big, content_type="application/pdf")
    page = site.server.routes["/torun/kooperacja/"]
    page.body = page.body.replace(
        b"</ul>", b'<li><a href="/torun/files/nowy.pdf">Nowy</a></li></ul>'
    )
    page.etag = '"torun-2"'

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    proc = subprocess.run(
        [sys.executable, "-m", "kooperacja", "--config", str(updated), "update"],
        preexec_fn=small_disk,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (1, 3), proc.stderr
    assert "Traceback" not in proc.stderr
    assert "free space" in proc.stderr or "too large" in proc.stderr.lower()
    assert len(proc.stderr.strip().splitlines()) <= 3  # one line per failure, no dump
    assert invoke(updated, "verify").exit_code in (0, 3)
    result = invoke(updated, "update", "--json")
    assert result.exit_code == 0, result.stderr
    assert invoke(updated, "verify").exit_code == 0
    db = sqlite3.connect(config.archive_dir / "catalog.sqlite")
    assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 10


def test_search_while_update_holds_the_lock(updated):
    config = load_config(updated)
    with lock_held_elsewhere(config.archive_dir):
        result = invoke(updated, "search", "asystent", "rodziny", "--json")
        assert result.exit_code == 0
        assert json.loads(result.stdout)["total"] >= 1
        assert invoke(updated, "update").exit_code == 4


def test_index_of_an_older_version_is_rebuilt_by_the_next_update(updated):
    # An archive indexed by the whoosh-era program (schema v2): its generation holds whoosh
    # files and a vocabulary saying v2. Cron's `update` rebuilds the index by itself.
    config = load_config(updated)
    generation = next(p for p in config.index_dir.iterdir() if p.name.startswith("gen-"))
    shutil.rmtree(generation / "tantivy")
    (generation / "whoosh").mkdir()
    (generation / "whoosh" / "MAIN_1.toc").write_bytes(b"whoosh table of contents")
    db = sqlite3.connect(generation / "index.sqlite")
    db.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    db.commit()
    db.close()
    before = invoke(updated, "search", "rodzina")
    assert before.exit_code == 3 and "index --rebuild" in before.stderr
    result = invoke(updated, "update", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["index"]["rebuilt"] is True
    again = invoke(updated, "search", "rodzina", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["total"] >= 1
    assert not generation.exists()  # the old generation was swapped out
