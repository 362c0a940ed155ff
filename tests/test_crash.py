"""Crash safety: `kooperacja update` killed with SIGKILL at random moments (downloads,
extraction, tagging, index writing), then restarted. After each restart: update completes,
verify exits 0, every document archived before the kill is intact, and search answers as an
uninterrupted run does. `make test` kills a few times; `make soak` (KOOPERACJA_KILLS=20) more."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import yaml

from kooperacja.archive.store import file_sha256
from tests.conftest import project_page, write_config
from tests.fixture_server import FixtureServer
from tests.pdfgen import make_pdf

KILLS = int(os.environ.get("KOOPERACJA_KILLS", "3"))
QUERIES = ["asystent rodziny", "wspolpraca instytucji", "pilotaż modelu", "policja"]
TOPICS = [
    "asystent rodziny",
    "współpraca instytucji",
    "pilotaż modelu",
    "dzielnicowy policji",
    "zespół interdyscyplinarny",
    "ośrodek pomocy społecznej",
    "kurator sądowy",
]


def build_site(server: FixtureServer, n: int = 24) -> None:
    rng = random.Random(7)
    links = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        pages = [f"Dokument {i}: {topic}\nGmina {i}, rok {2018 + i % 4}"] + [
            f"Strona {p}. {rng.choice(TOPICS).capitalize()} oraz {topic} w gminie nr {i}. "
            + " ".join(rng.choice(TOPICS) for _ in range(40))
            for p in range(2, 6)
        ]
        path = f"/k/pliki/dok{i}.pdf"
        server.add(
            path,
            make_pdf(pages),
            content_type="application/pdf",
            etag=f'"d{i}"',
            handler=_slow(0.04),
        )
        links.append((path, f"Raport z badań nr {i} – {topic} [pdf]"))
    server.add("/k/", project_page("Kooperacja – dokumenty", links))


def _slow(seconds):
    def handler(h, calls):
        time.sleep(seconds)
        return False

    return handler


def update(config: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kooperacja", "--config", str(config), "-q", "update"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )


def results(config: Path) -> list:
    out = []
    for q in QUERIES:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "kooperacja",
                "--config",
                str(config),
                "search",
                q,
                "--json",
                "--limit",
                "30",
            ],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        hits = json.loads(proc.stdout)["hits"]
        out.append([(h["doc_id"], [p["page"] for p in h["pages"]]) for h in hits])
    return out


def archived(config_dir: Path) -> dict[str, str]:
    db_path = config_dir / "archive" / "catalog.sqlite"
    if not db_path.exists():
        return {}
    db = sqlite3.connect(db_path)
    try:
        return dict(
            db.execute(
                "SELECT sha256, local_path FROM documents WHERE media_type = 'application/pdf'"
            )
        )
    except sqlite3.Error:
        return {}
    finally:
        db.close()


def config_for(tmp_path: Path, name: str, base: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    path = write_config(folder, base)
    data = yaml.safe_load(path.read_text())
    data["partners"] = [
        {
            "id": "rops-torun",
            "name": "ROPS Toruń",
            "region": "kujawsko-pomorskie",
            "start_urls": [f"{base}/k/"],
        }
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_sigkill_at_random_moments_loses_nothing(tmp_path):
    with FixtureServer() as server:
        build_site(server)
        reference = config_for(tmp_path, "reference", server.base)
        started = time.monotonic()
        assert update(reference).wait(timeout=300) == 0
        duration = time.monotonic() - started
        expected = results(reference)
        assert expected[0], "the reference run finds nothing: the test would prove nothing"

        rng = random.Random(int(os.environ.get("KOOPERACJA_KILL_SEED", "2026")))
        for attempt in range(KILLS):
            config = config_for(tmp_path, f"run{attempt}", server.base)
            proc = update(config)
            time.sleep(rng.uniform(0.05, duration))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            before = archived(config.parent)
            restart = update(config)
            assert restart.wait(timeout=300) == 0, restart.stderr.read()
            verify = subprocess.run(
                [sys.executable, "-m", "kooperacja", "--config", str(config), "verify"],
                capture_output=True,
                text=True,
            )
            assert verify.returncode == 0, (attempt, verify.stdout, verify.stderr)
            after = archived(config.parent)
            for sha, rel in before.items():
                assert after.get(sha) == rel
                assert file_sha256(config.parent / "archive" / rel) == sha
            assert results(config) == expected, attempt
