"""Shared fixtures: a partner site on a real HTTP server with real Polish PDFs, and configs."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from tests.fixture_server import FixtureServer
from tests.pdfgen import make_pdf

SHARED = Path(__file__).resolve().parents[2] / "shared"
TESTDATA = SHARED / "testdata"

BOOK_PAGES = [
    "Księga rekomendacyjna\nProjekt „Kooperacja – efektywna i skuteczna”\nToruń 2021",
    "Spis treści\n1. Wprowadzenie\n2. Rekomendacje dla gmin wiejskich\n3. Rekomendacje dla gmin "
    "miejsko-wiejskich",
    "Rekomendacja 1. Koordynator kooperacji\nW każdej gminie należy powołać koordynatora "
    "kooperacji, który odpowiada za współpracę ośrodka pomocy społecznej z innymi instytucjami.",
    "Rekomendacja 2. Asystent rodziny i policja\nAsystent rodziny powinien regularnie wymieniać "
    "informacje z dzielnicowym policji. Współpraca asystentów rodziny z policją skraca czas "
    "reakcji na przemoc w rodzinie.",
    "Rekomendacja 3. Zespół interdyscyplinarny\nZespół interdyscyplinarny spotyka się co najmniej "
    "raz w miesiącu; w jego pracach uczestniczą przedstawiciele szkół i ośrodków zdrowia.",
]
MODEL_PAGES = [
    "Model kooperacji pomiędzy instytucjami pomocy i integracji społecznej a podmiotami innych "
    "polityk sektorowych w gminach miejsko-wiejskich",
    "Założenia modelu\nModel opisuje współpracę instytucji w gminach miejsko-wiejskich: ośrodka "
    "pomocy społecznej, powiatowego urzędu pracy, szkół i organizacji pozarządowych.",
    "Pilotaż modelu przeprowadzono w 2020 roku w dwunastu gminach województwa pomorskiego.",
]
REPORT_PAGES = [
    "Sprawozdanie z pilotażu modelu kooperacji\nGdańsk, 23 października 2019",
    "W pilotażu wzięło udział 14 ośrodków pomocy społecznej. Rodziny objęte wsparciem "
    "korzystały z pomocy asystenta rodziny średnio przez 9 miesięcy.",
]


def project_page(title: str, links: list[tuple[str, str]], body: str = "") -> str:
    items = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    head = f'<head><meta charset="utf-8"><title>{title}</title></head>'
    return f"""<!doctype html><html lang="pl">{head}
<body><nav class="menu"><a href="/">Strona główna</a> <a href="/kontakt">Kontakt</a></nav>
<main><h1>{title}</h1>
<p>Projekt „Kooperacja – efektywna i skuteczna” realizuje Regionalny Ośrodek Polityki Społecznej
w Toruniu wraz z partnerami. {body} Spotkanie odbyło się 2 października 2019 r. w Gdańsku; jego
uczestnicy rozmawiali o współpracy instytucji pomocy i integracji społecznej z podmiotami innych
polityk sektorowych w gminach wiejskich, miejsko-wiejskich i miejskich.</p>
<h2>Do pobrania</h2><ul>{items}</ul></main>
<footer class="footer">Regionalny Ośrodek Polityki Społecznej, ul. Okopowa 21/27</footer>
<div id="cookie-banner">Ta strona używa plików cookies.</div></body></html>"""


# The real article of ROPS Gdańsk was 250 characters under its heading; so is this one.
SHORT_ARTICLE = (
    "W środę, 2 października 2019 r. w Hotelu Zatoka w Gdańsku odbyło się kolejne spotkanie "
    "Regionalnej Grupy Refleksyjnej w ramach projektu „Kooperacja – efektywna i skuteczna”. "
    "Omówiono wyniki badań UMK i założenia modelu kooperacji w gminach wiejskich."
)
FILM_ID = "kKq3Xs-pT4c"


def news_list(title: str, items: list[tuple[str, str, str]], links: list[tuple[str, str]]) -> str:
    """A news section page: dated teasers linking the articles, plus attachments."""
    teasers = "\n".join(
        f'<article><span class="date">{date}</span><h2><a href="{href}">{text}</a></h2></article>'
        for date, href, text in items
    )
    attachments = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"""<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>{title}</title>
</head><body><nav class="menu"><a href="/">Strona główna</a></nav>
<main><h1>{title}</h1>{teasers}<ul>{attachments}</ul></main></body></html>"""


def article_page(title: str, date: str, text: str, extra: str = "") -> str:
    return f"""<!doctype html><html lang="pl"><head><meta charset="utf-8">
<title>{title} – ROPS</title></head><body><nav class="menu"><a href="/">Start</a></nav>
<main><article><h1>{title}</h1><p class="date">{date}</p><p>{text}</p>{extra}</article></main>
<footer class="footer">Regionalny Ośrodek Polityki Społecznej</footer></body></html>"""


# The links of Toruń's project page (href, link text).
TORUN_PROJECT_LINKS = [
    ("/torun/files/ksiega.pdf", "Księga rekomendacyjna [pdf, 7MB]"),
    (
        "/torun/files/model.pdf",
        "Model kooperacji w gminach miejsko-wiejskich (całość) [pdf, 3.25MB]",
    ),
    ("/torun/admin/secret.pdf", "Panel"),
    ("https://www.facebook.com/rops", "Facebook"),
    ("/torun/kooperacja/aktualnosci/", "Aktualności"),
    (
        f"https://www.youtube.com/watch?v={FILM_ID}",
        "[Film dot. realizacji projektu „Kooperacja – efektywna i skuteczna”]",
    ),
]


class Site:
    """The fixture partner site: two partners, three PDFs, one of them linked from both."""

    def __init__(self, server: FixtureServer):
        self.server = server
        now = time.time() - 3600
        self.book = make_pdf(
            BOOK_PAGES,
            title="Księga rekomendacyjna",
            outline=[(3, "2. Rekomendacje dla gmin wiejskich")],
        )
        self.model = make_pdf(MODEL_PAGES, title="Microsoft Word - model.docx")
        self.report = make_pdf(REPORT_PAGES)
        server.add(
            "/robots.txt", "User-agent: *\nDisallow: /torun/admin/\n", content_type="text/plain"
        )
        server.add(
            "/torun/kooperacja/",
            project_page("Kooperacja – efektywna i skuteczna", TORUN_PROJECT_LINKS),
            etag='"torun-1"',
            last_modified=now,
        )
        server.add(
            "/torun/kooperacja/aktualnosci/",
            news_list(
                "Aktualności projektu Kooperacja",
                [
                    ("03.10.2019", "/torun/kooperacja/aktualnosci/rgr/", "Spotkanie RGR"),
                    ("23.10.2019", "/torun/kooperacja/aktualnosci/pgd/", "Spotkanie PGD"),
                ],
                [("/torun/files/sprawozdanie.pdf", "Sprawozdanie z pilotażu modelu [pdf, 1.85MB]")],
            ),
            last_modified=now,
        )
        server.add(
            "/torun/kooperacja/aktualnosci/rgr/",
            article_page(
                "Spotkanie Regionalnej Grupy Refleksyjnej",
                "Opublikowano: 3.10.2019",
                SHORT_ARTICLE,
                f'<iframe src="https://www.youtube-nocookie.com/embed/{FILM_ID}" '
                'title="YouTube video player"></iframe>',
            ),
            last_modified=now,
        )
        news = (SHARED / "seeds" / "partner-news-page.txt").read_text(encoding="utf-8")
        server.add(
            "/torun/kooperacja/aktualnosci/pgd/",
            article_page(
                "Spotkanie Powiatowej Grupy Decydentów",
                "24.10.2019",
                "</p><p>".join(p for p in news.split("\n\n") if p.strip()),
            ),
            last_modified=now,
        )
        server.add(
            "/torun/files/ksiega.pdf",
            self.book,
            content_type="application/pdf",
            etag='"book-1"',
            last_modified=now,
        )
        server.add(
            "/torun/files/model.pdf", self.model, content_type="application/pdf", last_modified=now
        )
        server.add(
            "/torun/files/sprawozdanie.pdf",
            self.report,
            content_type="application/pdf",
            etag='"report-1"',
        )
        server.add(
            "/gdansk/kooperacja/",
            project_page(
                "Spotkanie Regionalnej Grupy Refleksyjnej",
                [("/gdansk/pobierz/17", "Księga rekomendacyjna [pdf, 7MB]")],
            ),
            etag='"gdansk-1"',
        )
        # The same book at a second URL with no .pdf in it, served as octet-stream.
        server.add(
            "/gdansk/pobierz/17",
            self.book,
            content_type="application/octet-stream",
            headers={"Content-Disposition": 'attachment; filename="ksiega_rek.pdf"'},
            etag='"g17"',
        )


@pytest.fixture(autouse=True)
def polish_messages(monkeypatch):
    """The suite reads Polish output whatever the developer's locale (tests of the locale set
    their own); LANGUAGE is read by gettext alone, so no other tool changes."""
    monkeypatch.setenv("LANGUAGE", "pl")


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


@pytest.fixture
def site(server) -> Site:
    return Site(server)


def write_config(tmp_path: Path, base: str, **crawl) -> Path:
    data = {
        "archive_dir": "archive",
        "index_dir": "index",
        "crawl": {
            "user_agent": "kooperacja-test/1.0 (+mailto:test@example.org)",
            "delay_seconds": 0,
            "timeout_seconds": 5,
            "max_document_mb": 10,
            "respect_robots_txt": True,
            "retries": 1,
            # Runs seconds apart stand for nights: every archived document is asked for again,
            # as the tests of changes at the same URL need (test_revalidation covers the cycle).
            "revalidate_days": 0,
            # A link that fails once is a removed document at once (test_failed_links covers
            # the nights a link may fail first).
            "gone_after_failed_nights": 1,
            **crawl,
        },
        "partners": [
            {
                "id": "rops-torun",
                "name": "Regionalny Ośrodek Polityki Społecznej w Toruniu",
                "region": "kujawsko-pomorskie",
                "start_urls": [f"{base}/torun/kooperacja/"],
                "scope": [f"{base}/torun/"],
                "document_hosts": ["127.0.0.1"],
            },
            {
                "id": "rops-gdansk",
                "name": "Regionalny Ośrodek Polityki Społecznej w Gdańsku",
                "region": "pomorskie",
                "start_urls": [f"{base}/gdansk/kooperacja/"],
                "scope": [f"{base}/gdansk/"],
            },
        ],
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def one_partner_config(tmp_path: Path, start_url: str, **crawl) -> Path:
    """A config whose only partner is the site under `start_url` (its own scope and host)."""
    path = write_config(tmp_path, start_url, **crawl)
    data = yaml.safe_load(path.read_text())
    data["partners"] = [{"id": "n", "name": "N", "region": "lubuskie", "start_urls": [start_url]}]
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture
def config_path(tmp_path, site) -> Path:
    return write_config(tmp_path, site.server.base)


@contextmanager
def lock_held_elsewhere(archive_dir: Path) -> Iterator[subprocess.Popen]:
    """Another process holding the archive lock, as a second cron job would."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys, time; from pathlib import Path\n"
        "from kooperacja.archive.lock import archive_lock\n"
        "with archive_lock(Path(sys.argv[1]), 'update'):\n"
        "    print('locked', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(archive_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait()


# The web page's session archive and server (tests/web_archive.py), shared by its test modules.
from tests.web_archive import web_archive  # noqa: E402, F401
