"""The crawl of partner sites: incremental, exact, nothing lost (against the fixture server)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import yaml
from click.testing import CliRunner

from kooperacja.archive.catalog import Catalog
from kooperacja.cli import cli
from kooperacja.config import load_config
from tests.conftest import lock_held_elsewhere, one_partner_config, project_page, write_config
from tests.pdfgen import make_pdf


def crawl(config_path, *args):
    result = CliRunner().invoke(cli, ["--config", str(config_path), "crawl", "--json", *args])
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else None), result


def docs(config_path):
    config = load_config(config_path)
    with Catalog(config.archive_dir) as c:
        return {r.sha256: asdict(r) for r in c.documents()}


def test_same_bytes_at_two_partners_is_one_document(config_path, site):
    code, report, _ = crawl(config_path)
    assert code == 0
    import hashlib

    book_sha = hashlib.sha256(site.book).hexdigest()
    config = load_config(config_path)
    with Catalog(config.archive_dir) as c:
        assert c.partners_of(book_sha) == ["rops-torun", "rops-gdansk"]
        urls = [u.url for u in c.urls_of(book_sha)]
        assert len(urls) == 2
        links = c.links_to(urls)
        assert {r.link_text for r in links} == {"Księga rekomendacyjna [pdf, 7MB]"}
    stored = config.archive_dir / f"blobs/{book_sha[:2]}/{book_sha}.pdf"
    assert stored.read_bytes() == site.book


def test_removed_document_is_gone_and_returns(config_path, site):
    crawl(config_path)
    site.server.remove("/torun/files/sprawozdanie.pdf")
    code, report, _ = crawl(config_path)
    assert code == 0
    assert report["partners"]["rops-torun"]["documents_gone"] == 1
    gone = [d for d in docs(config_path).values() if d["status"] == "gone"]
    assert len(gone) == 1 and gone[0]["gone_since"]
    # it comes back
    site.server.add("/torun/files/sprawozdanie.pdf", site.report, content_type="application/pdf")
    code, report, _ = crawl(config_path)
    assert report["partners"]["rops-torun"]["documents_gone"] == 0
    assert all(d["status"] == "online" for d in docs(config_path).values())
    changes = CliRunner().invoke(
        cli, ["--config", str(config_path), "changes", "--since", "2000-01-01", "--json"]
    )
    kinds = [c["change"] for c in json.loads(changes.stdout)["changes"]]
    assert "gone" in kinds and "returned" in kinds and kinds.count("new") == 8


def test_book_linked_by_two_partners_is_gone_only_when_both_drop_it(config_path, site):
    crawl(config_path)
    site.server.remove("/gdansk/pobierz/17")
    crawl(config_path)
    assert all(d["status"] == "online" for d in docs(config_path).values())


def test_changed_document_at_known_url_is_new_and_linked(config_path, site):
    crawl(config_path)
    new_model = make_pdf(["Model kooperacji – wersja poprawiona 2022", "Nowy rozdział"])
    site.server.add("/torun/files/model.pdf", new_model, content_type="application/pdf")
    code, report, _ = crawl(config_path)
    assert report["partners"]["rops-torun"]["documents_changed"] == 1
    all_docs = docs(config_path)
    import hashlib

    new_sha = hashlib.sha256(new_model).hexdigest()
    old_sha = hashlib.sha256(site.model).hexdigest()
    assert all_docs[new_sha]["replaces"] == old_sha
    assert all_docs[old_sha]["replaced_by"] == new_sha
    assert all_docs[old_sha]["status"] == "gone"  # kept, not deleted


def test_a_crawl_failing_half_way_marks_nothing_gone(config_path, site):
    crawl(config_path)
    site.server.remove("/torun/files/sprawozdanie.pdf")
    site.server.add("/torun/kooperacja/aktualnosci/", status=503)
    code, report, result = crawl(config_path)
    assert code == 1
    torun = report["partners"]["rops-torun"]
    assert torun["complete"] is False and torun["documents_gone"] == 0
    assert any("aktualnosci" in e and "503" in e for e in torun["errors"])
    assert "failed: rops-torun:" in result.stderr
    assert all(d["status"] == "online" for d in docs(config_path).values())


def test_failure_routes_are_recorded_and_the_batch_goes_on(tmp_path, server):
    pdf = make_pdf(["Raport z badań", "Współpraca instytucji pomocy społecznej"])
    links = [
        ("/p/ok.pdf", "Raport z badań [pdf]"),
        ("/p/missing.pdf", "Zaginiony"),
        ("/p/truncated.pdf", "Ucięty"),
        ("/p/big.pdf", "Duży"),
        ("/p/fake.pdf", "HTML jako PDF"),
        ("/p/loop", "Pętla"),
        ("/p/away", "Gdzie indziej"),
        ("/p/word", "Formularz (doc)"),
    ]
    server.add("/p/", project_page("Kooperacja – materiały", links))
    server.add("/p/ok.pdf", pdf, content_type="application/pdf")
    server.add("/p/truncated.pdf", pdf[: len(pdf) // 2], content_type="application/pdf")
    server.add("/p/big.pdf", b"%PDF-1.4\n" + b"0" * 2_000_000, content_type="application/pdf")
    server.add(
        "/p/fake.pdf",
        "<!DOCTYPE html><html><body>Nie znaleziono</body></html>",
        content_type="application/pdf",
    )
    server.add("/p/loop", status=302, headers={"Location": "/p/loop2"})
    server.add("/p/loop2", status=302, headers={"Location": "/p/loop"})
    server.add("/p/away", status=302, headers={"Location": "http://192.0.2.1/x.pdf"})
    server.add(
        "/p/word",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        content_type="application/octet-stream",
    )
    cfg = write_config(tmp_path, server.base, max_document_mb=1)
    import yaml

    data = yaml.safe_load(cfg.read_text())
    data["partners"] = [
        {"id": "p", "name": "P", "region": "pomorskie", "start_urls": [server.url("/p/")]}
    ]
    cfg.write_text(yaml.safe_dump(data))
    code, report, _ = crawl(cfg)
    p = report["partners"]["p"]
    assert code == 1  # some items failed, each named
    errors = "\n".join(p["errors"])
    assert "big.pdf" in errors and "cap" in errors
    assert "loop" in errors
    assert "missing.pdf" not in errors  # a 404 is the site's answer, not a failure
    assert "192.0.2.1" not in [r.path for r in server.log]
    media = sorted(d["media_type"] for d in docs(cfg).values())
    assert media.count("application/pdf") == 2  # ok + truncated (still %PDF bytes)
    assert "application/msword" in media  # stored and catalogued even without text
    assert not any(r.path == "/x.pdf" for r in server.log)


def test_windows_1250_page_without_charset_and_pagination(tmp_path, server):
    page1 = (
        "<html><body><main><h1>Aktualności</h1><p>Projekt Kooperacja: spotkania i "
        "materiały dla ośrodków pomocy społecznej, także w gminach miejsko-wiejskich. "
        "Zapraszamy do zapoznania się z dokumentami.</p>"
        '<a href="?start=10">Następna strona</a></main></body></html>'
    )
    page2 = (
        '<html><body><main><a href="/n/zalacznik.pdf">Założenia prawne współpracy '
        "instytucji [pdf, 260KB]</a></main></body></html>"
    )
    server.add("/n/", page1.encode("cp1250"), content_type="text/html")
    server.add("/n/?start=10", page2.encode("cp1250"), content_type="text/html")
    server.add("/n/zalacznik.pdf", make_pdf(["Założenia prawne"]), content_type="application/pdf")
    cfg = one_partner_config(tmp_path, server.url("/n/"))
    code, report, _ = crawl(cfg)
    assert code == 0 and report["partners"]["n"]["documents_new"] == 1
    config = load_config(cfg)
    with Catalog(config.archive_dir) as c:
        texts = [r["link_text"] for r in c.db.execute("SELECT link_text FROM links")]
    assert "Założenia prawne współpracy instytucji [pdf, 260KB]" in texts


def test_second_run_exits_4_while_the_lock_is_held(config_path, site):
    config = load_config(config_path)
    with lock_held_elsewhere(config.archive_dir) as holder:
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["--config", str(config_path), "update"])
        assert result.exit_code == 4
        assert f"pid {holder.pid}" in result.stderr and "started" in result.stderr
        assert time.monotonic() - started < 5  # at once, no waiting
        assert site.server.log == []


NEWS_LATIN2 = (
    '<html><head><meta charset="windows-1250"><title>Spotkanie w Łęczycy</title></head><body>'
    '<main><h1>Spotkanie w Łęczycy</h1><p>Projekt "Kooperacja - efektywna i skuteczna": '
    "przedstawiciele ośrodków pomocy społecznej, szkół i policji z gmin wiejskich spotkali się "
    "w Łęczycy, aby omówić współpracę z asystentami rodziny. Źródłem zmian są rekomendacje "
    "z pilotażu modelu kooperacji; uczestnicy ocenili też, jak zespół interdyscyplinarny "
    "dzieli się informacjami z dzielnicowym i kuratorem sądowym.</p></main></body></html>"
)


def test_news_page_stored_as_sent_and_its_text_made_by_extract_alone(tmp_path, server):
    """The server says ISO-8859-2 while the page's <meta> says windows-1250 (a mislabel seen on
    partner sites): crawl and extract read it by one rule, with the server's charset, which the
    catalogue records; harvest writes no text; verify checks the stored bytes, not the text."""
    import hashlib

    body = NEWS_LATIN2.encode("iso-8859-2")
    server.add("/n/", body, content_type="text/html; charset=ISO-8859-2")
    cfg = one_partner_config(tmp_path, server.url("/n/"))
    code, report, _ = crawl(cfg)
    assert code == 0 and report["partners"]["n"]["documents_new"] == 1
    (row,) = docs(cfg).values()
    config = load_config(cfg)
    assert row["charset"] == "ISO-8859-2"
    assert (config.archive_dir / row["local_path"]).read_bytes() == body
    assert row["text_status"] == "pending"  # the crawl made no text
    assert not list(config.archive_dir.glob("blobs/*/*.pages.json"))

    result = CliRunner().invoke(cli, ["--config", str(cfg), "extract", "--json"])
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(cli, ["--config", str(cfg), "show", row["doc_id"], "--page", "1"])
    text = shown.stdout
    assert "Spotkanie" in text and "w Łęczycy, aby omówić współpracę" in text
    assert "Źródłem zmian" in text
    # the identity is the text the crawl read, and extract reads the same text
    stored = json.loads(
        (config.archive_dir / row["local_path"]).with_suffix(".pages.json").read_text()
    )
    main = stored["pages"][0]["text"]
    assert hashlib.sha256(main.encode()).hexdigest() == row["sha256"]

    # A new extractor may read the page differently: the archived file is still good.
    stored["pages"][0]["text"] = main + "\n(odczytane nowszą wersją)"
    (config.archive_dir / row["local_path"]).with_suffix(".pages.json").write_text(
        json.dumps(stored, ensure_ascii=False)
    )
    verify = CliRunner().invoke(cli, ["--config", str(cfg), "verify", "--json"])
    assert not any("damaged" in p for p in json.loads(verify.stdout)["problems"])
    (config.archive_dir / row["local_path"]).write_bytes(body.replace(b"Spotkanie", b"Zebranie"))
    verify = CliRunner().invoke(cli, ["--config", str(cfg), "verify", "--json"])
    assert verify.exit_code == 3
    assert any("damaged" in p for p in json.loads(verify.stdout)["problems"])


def test_a_v2_catalogue_learns_the_stored_bytes_of_its_pages(config_path, site):
    """Upgrading: an HTML page archived before v3 is checked by its bytes from then on."""
    import sqlite3

    from kooperacja.archive.catalog import CATALOG_NAME, SCHEMA_VERSION
    from kooperacja.archive.store import file_sha256

    assert CliRunner().invoke(cli, ["--config", str(config_path), "update"]).exit_code == 0
    config = load_config(config_path)
    with sqlite3.connect(config.archive_dir / CATALOG_NAME) as db:
        db.execute("ALTER TABLE documents DROP COLUMN blob_sha256")
        db.execute("ALTER TABLE documents DROP COLUMN charset")
        db.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
        db.execute("PRAGMA user_version = 0")  # as kooperacja left it before user_version
    rows = docs(config_path)
    pages = [r for r in rows.values() if r["media_type"] == "text/html"]
    assert pages and len(rows) > len(pages)
    for row in rows.values():
        assert row["blob_sha256"] == file_sha256(config.archive_dir / row["local_path"])
    with Catalog(config.archive_dir) as c:
        assert c.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == (
            str(SCHEMA_VERSION)
        )
    verify = CliRunner().invoke(cli, ["--config", str(config_path), "verify"])
    assert verify.exit_code == 0, verify.output


# A ROPS's general news list: an article about a meeting of the project's body that never names
# the project, one about a cooperation team, and one off the project.
PGD_MEETING = (
    "W czwartek, 14 listopada 2019 r. w Starostwie Powiatowym w Chełmnie odbyło się drugie "
    "posiedzenie Powiatowej Grupy Decydentów. Przedstawiciele powiatowego centrum pomocy "
    "rodzinie, ośrodków pomocy społecznej, policji, sądu rejonowego i poradni "
    "psychologiczno-pedagogicznej rozmawiali o tym, jak wspólnie wspierać rodziny przeżywające "
    "trudności opiekuńczo-wychowawcze. Kolejne spotkanie grupy zaplanowano na luty."
)
TEAM_MEETING = (
    "W Urzędzie Gminy Łysomice zebrał się po raz pierwszy zespół kooperacyjny. Pracownik "
    "socjalny, pedagog szkolny, dzielnicowy i kurator rodzinny ustalili zasady wymiany "
    "informacji o rodzinach objętych wsparciem asystenta rodziny."
)
FOSTER_TRAINING = (
    "Zapraszamy kandydatów na rodziny zastępcze na bezpłatne szkolenie, które rozpocznie się "
    "w marcu w Toruniu. Zajęcia poprowadzą psycholodzy i pedagodzy z wieloletnim "
    "doświadczeniem w pieczy zastępczej; zgłoszenia przyjmujemy do końca lutego."
)


def general_news_site(server) -> str:
    from tests.conftest import article_page, news_list

    articles = {
        "pgd": ("Posiedzenie Powiatowej Grupy Decydentów w Chełmnie", "15.11.2019", PGD_MEETING),
        "zespol": ("Pierwsze spotkanie zespołu w gminie Łysomice", "20.11.2019", TEAM_MEETING),
        "szkol": ("Szkolenie dla kandydatów na rodziny zastępcze", "2.12.2019", FOSTER_TRAINING),
    }
    for slug, (title, date, text) in articles.items():
        server.add(f"/rops/aktualnosci/{slug}/", article_page(title, date, text))
    server.add(
        "/rops/aktualnosci/",
        news_list(
            "Aktualności",
            [(d, f"/rops/aktualnosci/{s}/", t) for s, (t, d, _x) in articles.items()],
            [],
        ),
    )
    return server.url("/rops/aktualnosci/")


def kept_news(cfg) -> set[str]:
    return {r["html_title"] for r in docs(cfg).values() if r["media_type"] == "text/html"}


def test_a_general_news_list_keeps_the_articles_in_the_projects_own_words(tmp_path, server):
    """By default (`news_scope: general`) an article is kept when it is about the project,
    which its bodies and terms say as well as its name, in any inflected form."""
    cfg = one_partner_config(tmp_path, general_news_site(server))
    code, report, _ = crawl(cfg)
    assert code == 0 and report["partners"]["n"]["pages_fetched"] == 4
    assert kept_news(cfg) == {
        "Posiedzenie Powiatowej Grupy Decydentów w Chełmnie",
        "Pierwsze spotkanie zespołu w gminie Łysomice",
    }


def test_the_projects_own_news_section_keeps_every_article(tmp_path, server):
    cfg = one_partner_config(tmp_path, general_news_site(server))
    data = yaml.safe_load(cfg.read_text())
    data["partners"][0]["news_scope"] = "project"
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True))
    code, report, _ = crawl(cfg)
    assert code == 0 and report["partners"]["n"]["documents_new"] == 3
    assert "Szkolenie dla kandydatów na rodziny zastępcze" in kept_news(cfg)


def test_the_project_terms_are_the_configs_to_change(tmp_path, server):
    """A deployment that lists its own terms replaces the defaults: without the stem of the
    Powiatowa Grupa Decydentów that article is followed and dropped."""
    cfg = one_partner_config(tmp_path, general_news_site(server))
    data = yaml.safe_load(cfg.read_text())
    data["crawl"]["project_terms"] = ["kooperacj", r"zesp\w* kooperacyjn"]
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True))
    code, _report, _ = crawl(cfg)
    assert code == 0
    assert kept_news(cfg) == {"Pierwsze spotkanie zespołu w gminie Łysomice"}
