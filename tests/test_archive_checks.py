"""verify's checks, each on a real archive made by `update` against the fixture site: the finding
each adds (level, document, message, fix), and what the archive's repair does with them."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from click.testing import CliRunner

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.checks import (
    ERROR,
    EXTRACT_AGAIN,
    FETCH_AGAIN,
    REBUILD_INDEX,
    RESTORE,
    SET_ASIDE,
    UPDATE_INDEX,
    WARNING,
    Finding,
    run_checks,
)
from kooperacja.archive.repair import repair_findings
from kooperacja.archive.store import text_relpath
from kooperacja.archive.warcfiles import warc_files
from kooperacja.cli import cli
from kooperacja.config import load_config
from kooperacja.search.run import index_snapshot


def no_fetcher():
    raise AssertionError("nothing here needs a download")


@pytest.fixture
def archive(config_path, site):
    assert CliRunner().invoke(cli, ["--config", str(config_path), "-q", "update"]).exit_code == 0
    config = load_config(config_path)
    with Catalog(config.archive_dir) as catalog:
        yield config, catalog, hashlib.sha256(site.book).hexdigest()


def test_a_whole_archive_has_no_finding(archive):
    config, catalog, _ = archive
    result = run_checks(catalog, index_snapshot(config))
    assert result.documents == len(catalog.documents()) > 0
    assert result.findings == [] and result.problems == []


def test_a_damaged_file_is_an_error_fixed_by_fetching_it_again(archive):
    config, catalog, book = archive
    (config.archive_dir / catalog.document(book).local_path).write_bytes(b"%PDF-1.4 inne")
    result = run_checks(catalog, index_snapshot(config))
    (finding,) = result.findings
    assert (finding.level, finding.doc_id, finding.fix, finding.subject) == (
        ERROR,
        book[:12],
        FETCH_AGAIN,
        book,
    )
    assert finding.message.startswith(f"{book[:12]}: file damaged: ")
    assert [p.sha256 for p in result.files] == [book]


def test_lost_text_is_an_error_fixed_by_extracting_again_and_repair_marks_it(archive):
    config, catalog, book = archive
    (config.archive_dir / text_relpath(book)).unlink()
    result = run_checks(catalog, index_snapshot(config))
    assert result.findings == [
        Finding(
            ERROR,
            book[:12],
            f"{book[:12]}: extracted text missing: {text_relpath(book)}",
            EXTRACT_AGAIN,
            book,
        )
    ]
    mended = repair_findings(catalog, result, no_fetcher)
    assert mended.extract_again == [book] and mended.stages == ("extract", "tag", "index")
    assert catalog.document(book).text_status == "pending"


def test_an_orphan_is_a_warning_and_repair_sets_it_aside(archive):
    config, catalog, _ = archive
    orphan = config.archive_dir / "blobs/ff/sierota.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.4")
    result = run_checks(catalog, index_snapshot(config))
    assert [(f.level, f.doc_id, f.fix, f.subject) for f in result.findings] == [
        (WARNING, None, SET_ASIDE, "blobs/ff/sierota.pdf")
    ]
    mended = repair_findings(catalog, result, no_fetcher)
    assert mended.repaired == ["blobs/ff/sierota.pdf: moved to orphans/ (no catalogue record)"]
    assert mended.stages == () and not orphan.exists()
    assert (config.archive_dir / "orphans" / "sierota.pdf").read_bytes() == b"%PDF-1.4"


def test_a_missing_warc_file_is_an_error_only_a_backup_mends(archive):
    config, catalog, _ = archive
    (warc,) = warc_files(config.archive_dir)
    warc.unlink()
    result = run_checks(catalog, index_snapshot(config))
    assert {f.fix for f in result.findings} == {RESTORE}
    assert all(f.level == ERROR for f in result.findings)
    assert any(
        f.message.startswith(f"WARC file missing: warc/{warc.name}") for f in result.findings
    )
    mended = repair_findings(catalog, result, no_fetcher)
    assert mended.repaired == [] and mended.stages == ()


def test_the_index_checks_read_only_what_search_hands_them(archive):
    config, catalog, book = archive
    snapshot = index_snapshot(config)
    assert book[:12] in snapshot.fingerprints

    missing = run_checks(catalog, replace(snapshot, exists=False)).findings
    assert [(f.level, f.fix) for f in missing] == [(ERROR, REBUILD_INDEX)]
    assert missing[0].message == f"index missing in {config.index_dir}: run 'kooperacja index'"

    older = run_checks(catalog, replace(snapshot, schema_version=snapshot.expected_version - 1))
    assert [(f.level, f.fix) for f in older.findings] == [(ERROR, REBUILD_INDEX)]
    assert "run 'kooperacja index --rebuild'" in older.problems[0]

    stale = dict(snapshot.fingerprints, **{book[:12]: "0" * 16, "000000000000": "1" * 16})
    behind = run_checks(catalog, replace(snapshot, fingerprints=stale))
    assert [(f.level, f.fix) for f in behind.findings] == [(WARNING, UPDATE_INDEX)] * 2
    assert behind.problems == [
        f"index out of date for 1 documents ({book[:12]}): run 'kooperacja index'",
        "index holds 1 documents not in the catalogue: run 'kooperacja index'",
    ]
    assert repair_findings(catalog, behind, no_fetcher).index == "update"
    assert repair_findings(catalog, older, no_fetcher).index == "rebuild"
