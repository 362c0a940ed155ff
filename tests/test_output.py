"""Nothing the user names is destroyed: --output to files, links, FIFOs, devices, folders and
places that cannot be written (issue 11, "What was seen", first line)."""

from __future__ import annotations

import json
import os
import pty
import stat
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from kooperacja.cli import cli


@pytest.fixture
def archived(config_path, site):
    result = CliRunner().invoke(cli, ["--config", str(config_path), "-q", "update"])
    assert result.exit_code == 0, result.output
    return config_path


def export(config_path, *args):
    return CliRunner().invoke(cli, ["--config", str(config_path), "export", *args])


def test_a_symlink_keeps_being_a_link_and_its_target_gets_the_export(archived, tmp_path):
    real = tmp_path / "shared-drive" / "katalog.csv"
    real.parent.mkdir()
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "katalog.csv"
    link.symlink_to(real)
    result = export(archived, "--format", "csv", "--output", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8-sig").startswith("doc_id,")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the replaced file keeps its permissions
    assert sorted(p.name for p in real.parent.iterdir()) == ["katalog.csv"]  # no temp left


def test_a_fifo_is_streamed_to_and_stays_a_fifo(archived, tmp_path):
    fifo = tmp_path / "to-mail"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = export(archived, "--format", "jsonl", "--output", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    records = json.loads(export(archived, "--format", "json").stdout)
    assert len(received[0].decode("utf-8").splitlines()) == len(records) > 0


def test_a_device_is_written_to_never_replaced(archived):
    result = export(archived, "--format", "csv", "--output", "/dev/null")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    full = export(archived, "--format", "csv", "--output", "/dev/full")
    assert full.exit_code == 2
    assert full.stderr == "error: cannot write /dev/full: no space left on device\n"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_a_folder_or_an_unwritable_place_is_one_line_naming_the_given_path(archived, tmp_path):
    folder = export(archived, "--format", "csv", "--output", str(tmp_path))
    assert folder.exit_code == 2
    assert (
        folder.stderr == f"error: cannot write {tmp_path}: it is a folder; give a file name "
        "inside it\n"
    )
    for place in ("/sys/k.csv", "/proc/k.csv"):
        refused = export(archived, "--format", "csv", "--output", place)
        assert refused.exit_code == 2, place  # the same kind of failure, the same code
        assert refused.stderr.startswith(f"error: cannot write {place}: "), refused.stderr
        assert refused.stderr.count("\n") == 1 and ".part" not in refused.stderr
    bundle = export(archived, "--format", "bundle", "--output", "/sys/paczka")
    assert bundle.exit_code == 2 and bundle.stderr.startswith("error: cannot write /sys/paczka: ")


def test_an_existing_file_is_replaced_only_when_the_export_is_complete(archived, tmp_path):
    target = tmp_path / "katalog.json"
    target.write_text("[]")
    result = export(archived, "--format", "json", "--output", str(target), "--year", "2999")
    assert result.exit_code == 0
    assert target.read_text() == "[]\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_binary_formats_refuse_a_terminal(archived):
    leader, follower = pty.openpty()
    try:
        for fmt, where in (("xlsx", ()), ("bundle", ("--output", "-"))):
            proc = subprocess.run(
                [sys.executable, "-m", "kooperacja", "--config", str(archived), "export",
                 "--format", fmt, *where],
                stdout=follower,
                stderr=subprocess.PIPE,
                text=True,
                timeout=60,
            )  # fmt: skip
            assert proc.returncode == 2, proc.stderr
            assert "binary" in proc.stderr and "--output" in proc.stderr
    finally:
        os.close(leader)
        os.close(follower)
    piped = subprocess.run(
        [sys.executable, "-m", "kooperacja", "--config", str(archived), "export", "--format",
         "xlsx", "--output", "-"],
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"


def test_curation_file_behind_a_link_stays_a_link(archived, tmp_path):
    real = tmp_path / "etc" / "overrides.yaml"
    real.parent.mkdir()
    real.write_text("{}\n")
    (archived.parent / "overrides.yaml").symlink_to(real)
    records = CliRunner().invoke(cli, ["--config", str(archived), "export", "--format", "json"])
    doc_id = __import__("json").loads(records.stdout)[0]["doc_id"]
    result = CliRunner().invoke(
        cli, ["--config", str(archived), "curate", doc_id, "--set", "year=2020"]
    )
    assert result.exit_code == 0, result.output
    assert (archived.parent / "overrides.yaml").is_symlink()
    assert "2020" in real.read_text()


def test_html_and_atom_link_files_relative_to_the_export_never_absolute(archived, tmp_path):
    out = tmp_path / "do-maila" / "katalog.html"
    assert export(archived, "--format", "html", "--output", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    from bs4 import BeautifulSoup

    links = [a["href"] for a in BeautifulSoup(page, "html.parser").select("tbody a")]
    local = [h for h in links if not h.startswith("http")]
    assert local and all(h.startswith("../archive/blobs/") for h in local)
    assert all((out.parent / h).resolve().is_file() for h in local)
    assert any(h.startswith("http://127.0.0.1") for h in links)  # the original URL too
    # To stdout (a pipe here): the place is unknown, so no local link at all.
    piped = export(archived, "--format", "html")
    assert str(tmp_path) not in piped.stdout and "/blobs/" not in piped.stdout
    feed = tmp_path / "katalog.atom"
    assert export(archived, "--format", "atom", "--output", str(feed)).exit_code == 0
    xml = feed.read_text(encoding="utf-8")
    assert 'rel="enclosure" href="archive/blobs/' in xml and str(tmp_path) not in xml


def test_html_redirected_to_a_file_links_relative_to_that_file(archived, tmp_path):
    out = tmp_path / "raport" / "katalog.html"
    out.parent.mkdir()
    with out.open("wb") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "kooperacja", "--config", str(archived), "export", "--format",
             "html"],
            stdout=fh,
            stderr=subprocess.PIPE,
            timeout=60,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert 'href="../archive/blobs/' in page and str(tmp_path) not in page


def test_a_read_only_file_is_refused_not_replaced(archived, tmp_path):
    kept = tmp_path / "katalog.csv"
    kept.write_text("do not touch", encoding="utf-8")
    os.chmod(kept, 0o444)
    result = export(archived, "--format", "csv", "--output", str(kept))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write {kept}: the file is read-only; make it writable (chmod u+w) or "
        "choose another name"
    ]
    assert kept.read_text(encoding="utf-8") == "do not touch"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o444


@pytest.mark.parametrize("fmt", ["csv", "bundle"])
def test_a_name_too_long_is_a_usage_error(archived, tmp_path, fmt):
    name = tmp_path / ("katalog-" + "x" * 292)  # 300 characters: over the 255 a name may have
    result = export(archived, "--format", fmt, "--output", str(name))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert "name too long" in result.stderr and "Traceback" not in result.output


def test_a_name_near_the_limit_is_written(archived, tmp_path):
    name = tmp_path / ("k" * 250 + ".csv")  # the temporary file beside it must fit too
    result = export(archived, "--format", "csv", "--output", str(name))
    assert result.exit_code == 0, result.output
    assert name.read_text(encoding="utf-8-sig").startswith("doc_id,")


def test_a_bundle_into_an_empty_folder_gets_that_folders_permissions(archived, tmp_path):
    given = tmp_path / "przekazanie"
    given.mkdir()
    os.chmod(given, 0o755)
    result = export(archived, "--format", "bundle", "--output", str(given))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(given.stat().st_mode) == 0o755  # not mkdtemp's private 0700
    fresh = tmp_path / "nowy"
    assert export(archived, "--format", "bundle", "--output", str(fresh)).exit_code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
