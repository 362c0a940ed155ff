"""The result's JSON shape (search/results.py), as `search --json` prints it and
`GET /api/search` answers it: the contract's fields, and the format added beside them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.filetypes import FORMATS

CONTRACT_HIT = {"doc_id", "title", "type", "partner", "partners", "year", "url", "status",
                "score", "pages"}  # fmt: skip


def test_every_hit_says_its_format_in_the_json_of_the_cli_and_the_api(web_archive):
    done = CliRunner().invoke(cli, ["--config", str(web_archive.config_path), "search",
                                    "kooperacja", "--limit", "50", "--json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    printed = json.loads(done.stdout)
    api = web_archive.get("/api/search", params={"q": "kooperacja", "limit": "50"}).json()
    assert api == printed
    formats = {}
    for hit in printed["hits"]:
        assert set(hit) >= CONTRACT_HIT, hit  # nothing of the contract's shape is lost
        assert hit["format"] in FORMATS
        formats[hit["doc_id"]] = hit["format"]
    assert formats[web_archive.ids["book"]] == "pdf"
    assert formats[web_archive.ids["news_hostile"]] == "web"
    assert "film" in formats.values()  # the fixture's embedded YouTube film
    # The same words as the Format facet of the page, which narrows the JSON alike.
    films = web_archive.get("/api/search", params={"q": "kooperacja", "format": "film"}).json()
    assert films["hits"] and {h["format"] for h in films["hits"]} == {"film"}
