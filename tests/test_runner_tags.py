"""The runner gives tagging every fact it uses: page sizes (landscape slides), the Last-Modified
of the document and of the page that linked it ("br." dates), read from a real crawl."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from click.testing import CliRunner

from kooperacja.cli import cli
from tests.conftest import one_partner_config
from tests.pdfgen import make_pdf

# 2019-10-04 12:00 UTC: the page's own date, the year "br." refers to.
PAGE_DATE = time.mktime((2019, 10, 4, 12, 0, 0, 0, 0, 0)) - time.timezone
# 2018-03-15: a document with no date in it, its title, its link or its metadata.
DOC_DATE = time.mktime((2018, 3, 15, 12, 0, 0, 0, 0, 0)) - time.timezone
# The epoch is what broken producers write: tagging ignores it, so these PDFs carry no date.
UNDATED = {"creation_date": datetime(1970, 1, 1, tzinfo=UTC)}


def test_slides_and_dates_known_only_from_the_crawl_reach_tagging(tmp_path, server):
    server.add(
        "/k/",
        '<html><head><meta charset="utf-8"><title>Materiały</title></head><body><main>'
        "<h1>Materiały ze spotkań</h1><ul>"
        '<li>Spotkanie 2 października br.: <a href="/k/slajdy.pdf">Materiały ze spotkania</a></li>'
        '<li><a href="/k/notatka.pdf">Notatka</a></li>'
        "</ul></main></body></html>",
        last_modified=PAGE_DATE,
    )
    slides = make_pdf(["Kooperacja w gminie", "Zespół", "Wnioski"] * 2, landscape=True, **UNDATED)
    server.add("/k/slajdy.pdf", slides, content_type="application/pdf")
    note = make_pdf(["Notatka ze spotkania zespołu roboczego"], **UNDATED)
    server.add("/k/notatka.pdf", note, content_type="application/pdf", last_modified=DOC_DATE)
    cfg = one_partner_config(tmp_path, server.url("/k/"))
    result = CliRunner().invoke(cli, ["--config", str(cfg), "update"])
    assert result.exit_code == 0, result.output
    exported = CliRunner().invoke(cli, ["--config", str(cfg), "export", "--format", "json"])
    records = {r["url"].rsplit("/", 1)[-1]: r for r in json.loads(exported.stdout)}

    deck = records["slajdy.pdf"]
    assert deck["type"] == "presentation", deck["tag_reasons"]
    assert "landscape" in deck["tag_reasons"]["type"]
    assert deck["date"] == "2019-10-02", deck["tag_reasons"]
    assert "br." in deck["tag_reasons"]["date"]

    note = records["notatka.pdf"]
    assert note["date"] == "2018-03-15", note["tag_reasons"]
    assert "Last-Modified" in note["tag_reasons"]["date"]
