"""The crawl end to end: short news articles, films and the WARC files, through the CLI against
the fixture partner site (a real HTTP server), read back with warcio."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib

from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from kooperacja.archive.store import file_sha256
from kooperacja.archive.warcfiles import warc_files
from kooperacja.cli import cli
from kooperacja.config import load_config
from kooperacja.harvest.warc import sha256_digest
from tests.conftest import FILM_ID, SHORT_ARTICLE, write_config


def run(config, *args):
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result


def run_json(config, *args):
    result = run(config, *args, "--json")
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout)


def exported(config):
    result = run(config, "export", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def warc_records(archive):
    out = []
    for path in warc_files(archive):
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                body = rec.content_stream().read()
                out.append((rec.rec_type, rec.rec_headers, rec.http_headers, body))
    return out


def test_short_article_and_film_are_found_and_lists_are_not_documents(config_path, site):
    run_json(config_path, "update")
    records = exported(config_path)
    by_url = {r["url"]: r for r in records}
    base = site.server.base
    assert f"{base}/torun/kooperacja/aktualnosci/" not in by_url  # the news list
    article = by_url[f"{base}/torun/kooperacja/aktualnosci/rgr/"]
    assert len(SHORT_ARTICLE) == 250
    assert article["type"] == "news"
    assert article["title"] == "Spotkanie Regionalnej Grupy Refleksyjnej"  # its heading
    assert article["date"] == "2019-10-03", article["tag_reasons"]  # printed with it
    assert (
        run_json(config_path, "search", "Hotelu Zatoka")["hits"][0]["doc_id"] == article["doc_id"]
    )

    film = by_url[f"https://www.youtube.com/watch?v={FILM_ID}"]
    assert film["type"] == "video" and film["media_type"] == "text/uri-list"
    assert film["title"] == "Film dot. realizacji projektu „Kooperacja – efektywna i skuteczna”"
    assert set(film["found_on"]) == {
        f"{base}/torun/kooperacja/",
        f"{base}/torun/kooperacja/aktualnosci/rgr/",
    }  # linked on the project page, embedded in the article
    assert film["partners"] == ["rops-torun"] and film["first_seen"] and film["status"] == "online"
    hits = run_json(config_path, "search", "film realizacji projektu", "--type", "video")["hits"]
    assert [h["doc_id"] for h in hits] == [film["doc_id"]]
    assert hits[0]["url"] == f"https://www.youtube.com/watch?v={FILM_ID}"
    # searchable by the words around it too: the article's text beside the embed
    around = run_json(config_path, "search", "Hotelu Zatoka", "--type", "video")["hits"]
    assert [h["doc_id"] for h in around] == [film["doc_id"]]
    archive = load_config(config_path).archive_dir
    stored = (archive / film["local_path"]).read_bytes()
    assert (
        stored == film["url"].encode()
        and file_sha256(archive / film["local_path"]) == film["sha256"]
    )
    # nothing asked of the video host
    assert not any(
        "youtube" in (h.get_header("WARC-Target-URI") or "") for _, h, _, _ in warc_records(archive)
    )


def test_every_response_is_in_the_warc_and_documents_agree_with_it(config_path, site):
    report = run_json(config_path, "update")
    archive = load_config(config_path).archive_dir
    records = warc_records(archive)
    (warc,) = warc_files(archive)
    assert report["warc"] == {"records": report["requests"], "files": [f"warc/{warc.name}"]}
    # warcio's own checker, as any WARC tool would read the file
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", str(warc)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    responses = {
        h.get_header("WARC-Target-URI"): (h, http, body)
        for t, h, http, body in records
        if t == "response"
    }
    base = site.server.base
    expected = {
        f"{base}/robots.txt",
        f"{base}/torun/kooperacja/",
        f"{base}/torun/kooperacja/aktualnosci/",
        f"{base}/torun/kooperacja/aktualnosci/rgr/",
        f"{base}/torun/files/ksiega.pdf",
        f"{base}/torun/files/sprawozdanie.pdf",
        f"{base}/gdansk/pobierz/17",
    }
    assert expected <= set(responses)
    requests = [h for t, h, _, _ in records if t == "request"]
    assert len(requests) == sum(1 for t, *_ in records if t in ("response", "revisit"))
    for record in exported(config_path):
        if record["type"] == "video":
            continue
        blob = archive / record["local_path"]
        head, _, body = responses[record["url"]]
        assert body == blob.read_bytes()
        assert head.get_header("WARC-Payload-Digest") == sha256_digest(file_sha256(blob))
    assert f"{base}/torun/admin/secret.pdf" not in responses  # robots.txt forbids it

    site.server.add(
        "/torun/files/sprawozdanie.pdf",
        site.report,
        content_type="application/pdf",
        etag='"report-1"',
    )
    run_json(config_path, "update")
    revisits = [h for t, h, _, _ in warc_records(archive) if t == "revisit"]
    book = next(h for h in revisits if h.get_header("WARC-Target-URI").endswith("/ksiega.pdf"))
    first = responses[f"{base}/torun/files/ksiega.pdf"][0]
    assert book.get_header("WARC-Refers-To-Date") == first.get_header("WARC-Date")
    assert book.get_header("WARC-Payload-Digest") == first.get_header("WARC-Payload-Digest")
    assert len(warc_files(archive)) == 2  # one per run, each closed
    db = sqlite3.connect(archive / "catalog.sqlite")
    assert (
        db.execute("SELECT COUNT(*) FROM captures WHERE record_type='revisit'").fetchone()[0] >= 3
    )


def test_verify_checks_the_warcs_and_the_bundle_carries_them(config_path, tmp_path):
    run_json(config_path, "update")
    assert run_json(config_path, "verify")["problems"] == []
    bundle = tmp_path / "paczka"
    result = run(config_path, "export", "--format", "bundle", "--output", str(bundle))
    assert result.exit_code == 0, result.stderr
    archive = load_config(config_path).archive_dir
    (warc,) = warc_files(archive)
    assert (bundle / "warc" / warc.name).read_bytes() == warc.read_bytes()
    manifest = (bundle / "MANIFEST-SHA256.txt").read_text()
    assert f"{file_sha256(warc)}  warc/{warc.name}" in manifest

    # A crawl still writing its file: its records count, its open end is no damage.
    still_open = warc.with_name(warc.name + ".open")
    warc.rename(still_open)
    assert run_json(config_path, "verify")["problems"] == []
    still_open.rename(warc)

    # One byte of a document's response changed inside its gzip member.
    db = sqlite3.connect(archive / "catalog.sqlite")
    offset = db.execute(
        "SELECT offset FROM captures WHERE url LIKE '%ksiega.pdf' AND record_type='response'"
    ).fetchone()[0]
    data = warc.read_bytes()
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    record = bytearray(inflater.decompress(data[offset:]))
    end = len(data) - len(inflater.unused_data)
    record[record.index(b"%PDF-") + 40] ^= 0x01
    import gzip

    warc.write_bytes(data[:offset] + gzip.compress(bytes(record)) + data[end:])
    result = run(config_path, "verify", "--json")
    assert result.exit_code == 3
    problems = json.loads(result.stdout)["problems"]
    assert any(warc.name in p and "digest" in p for p in problems), problems

    captures = db.execute("SELECT id FROM captures").fetchall()
    warc.unlink()
    problems = json.loads(run(config_path, "verify", "--json").stdout)["problems"]
    assert [p for p in problems if "WARC file missing" in p] == [
        f"WARC file missing: warc/{warc.name} (held {len(captures)} captures): restore it from "
        "a backup"
    ]
    assert any("no WARC response record holds the bytes" in p for p in problems)


def test_warc_file_size_is_configurable_and_checked(tmp_path, site):
    config = write_config(tmp_path, site.server.base, warc_max_mb=0.001)
    report = run_json(config, "update")
    files = report["warc"]["files"]
    assert len(files) > 3  # a new file past about 1 kB: rotated, each closed
    archive = load_config(config).archive_dir
    assert [f"warc/{p.name}" for p in warc_files(archive)] == sorted(files)
    assert run_json(config, "verify")["problems"] == []
    status = run_json(config, "status")["warc"]
    assert status["files"] == len(files) and status["captures"] == report["warc"]["records"]
    assert status["bytes"] == sum(p.stat().st_size for p in warc_files(archive))
    assert f"web archive: {len(files)} WARC files" in run(config, "status").stdout
    (tmp_path / "bad").mkdir()
    bad = write_config(tmp_path / "bad", site.server.base, warc_max_mb=0)
    result = run(bad, "crawl")
    assert result.exit_code == 2 and "crawl.warc_max_mb: must be more than 0" in result.stderr
