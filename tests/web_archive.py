"""A real archive for the web page's tests, built once per session by the pipeline from the
fixture partner site plus hostile text, and `kooperacja serve` running over it on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from kooperacja.cli import cli
from tests.conftest import MODEL_PAGES, Site, project_page, write_config
from tests.fixture_server import FixtureServer
from tests.pdfgen import make_pdf

HOSTILE = "<script>alert('xss')</script> \" onmouseover=\"alert(1)"
HOSTILE_PAGES = [
    f"Raport złośliwy {HOSTILE}\nOpis współpracy gminy z policją.",
    f"Druga strona raportu złośliwego. {HOSTILE} Asystent rodziny i dzielnicowy.",
]


@dataclass(frozen=True)
class WebArchive:
    base: str  # the web page: http://127.0.0.1:PORT
    config_path: Path
    archive_dir: Path
    partner_site: FixtureServer
    ids: dict[str, str]  # book, report (gone), hostile, news_hostile -> doc_id
    preview_cache: Path | None = None  # where the server keeps pictures of pages

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.base + path, timeout=30, **kw)


def pipeline(config_path: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--config", str(config_path), *args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(config_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`kooperacja serve` as a user starts it, on a free port; waits until it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kooperacja", "--config", str(config_path), "serve",
         "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited: {proc.stderr.read().decode()}")
        try:
            requests.get(base + "/static/style.css", timeout=1)
            return proc, base
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("serve did not answer within 30 s")


def _build(tmp: Path, server: FixtureServer) -> tuple[Path, dict[str, str]]:
    Site(server)
    hostile_pdf = make_pdf(HOSTILE_PAGES, title=f"Raport {HOSTILE}")
    server.add("/torun/files/zly.pdf", hostile_pdf, content_type="application/pdf")
    server.add(
        "/torun/kooperacja/",
        project_page(
            "Kooperacja – efektywna i skuteczna",
            [
                ("/torun/files/ksiega.pdf", "Księga rekomendacyjna [pdf, 7MB]"),
                ("/torun/files/model.pdf", "Model kooperacji w gminach miejsko-wiejskich"),
                ("/torun/files/zly.pdf", "Raport &lt;script&gt;alert(3)&lt;/script&gt; &quot; "
                                         "onmouseover=&quot;alert(4)"),
                ("/torun/kooperacja/aktualnosci/", "Aktualności"),
            ],
            body="Tekst strony: &lt;script&gt;alert(5)&lt;/script&gt; &quot; onmouseover=&quot;x",
        ),
    )  # fmt: skip
    config_path = write_config(tmp, server.base)
    pipeline(config_path, "update")
    # A new edition of the model at the same address: a new document replacing the old one.
    server.add(
        "/torun/files/model.pdf",
        make_pdf([*MODEL_PAGES, "Aneks: wyniki pilotażu z 2021 roku."]),
        content_type="application/pdf",
    )
    # The report's only link disappears: after the next complete crawl it is gone.
    server.add(
        "/torun/kooperacja/aktualnosci/",
        project_page("Aktualności projektu Kooperacja", [], body="Nic nowego."),
    )
    pipeline(config_path, "update")
    result = CliRunner().invoke(cli, ["--config", str(config_path), "export", "--format", "json"])
    records = json.loads(result.stdout)
    ids = {}
    for r in records:
        urls = " ".join(r["source_urls"])
        if urls.endswith("ksiega.pdf") or "ksiega.pdf " in urls:
            ids["book"] = r["doc_id"]
        elif "sprawozdanie.pdf" in urls:
            ids["report"] = r["doc_id"]
        elif "zly.pdf" in urls:
            ids["hostile"] = r["doc_id"]
        elif urls.endswith("/torun/kooperacja/"):
            ids["news_hostile"] = r["doc_id"]
    assert set(ids) == {"book", "report", "hostile", "news_hostile"}, records
    assert next(r for r in records if r["doc_id"] == ids["report"])["status"] == "gone"
    return config_path, ids


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory) -> Iterator[WebArchive]:
    tmp = tmp_path_factory.mktemp("web")
    with FixtureServer() as server:
        config_path, ids = _build(tmp, server)
        previews = tmp / "previews"  # outside the archive, as the server must keep them
        proc, base = start_serve(config_path, "--preview-cache", str(previews))
        try:
            yield WebArchive(base, config_path, tmp / "archive", server, ids, previews)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
