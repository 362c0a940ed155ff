"""The command line as cron and staff use it: quiet runs, curation, exports to files, status,
changes, `python -m kooperacja`, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import yaml
from click.testing import CliRunner

from kooperacja.cli import cli


def invoke(config_path, *args):
    return CliRunner().invoke(cli, ["--config", str(config_path), *args])


def test_quiet_update_prints_nothing_and_report_names_partners(config_path, site):
    quiet = invoke(config_path, "-q", "update")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    site.server.remove("/torun/files/sprawozdanie.pdf")
    loud = invoke(config_path, "update")
    assert "rops-torun: 0 new, 0 changed, 1 gone" in loud.stdout
    assert "rops-gdansk: 0 new, 0 changed, 0 gone" in loud.stdout


def test_curate_wins_over_rules_and_survives_recrawl(config_path, site):
    assert invoke(config_path, "-q", "update").exit_code == 0
    records = json.loads(invoke(config_path, "export", "--format", "json").stdout)
    model = next(r for r in records if r["type"] == "model")
    result = invoke(
        config_path,
        "curate",
        model["doc_id"],
        "--set",
        "title=Model kooperacji (gminy miejsko-wiejskie)",
        "--set",
        "year=2020",
    )
    assert result.exit_code == 0, result.stderr
    overrides = yaml.safe_load((config_path.parent / "overrides.yaml").read_text(encoding="utf-8"))
    assert overrides[model["doc_id"]]["year"] == 2020
    assert invoke(config_path, "-q", "update").exit_code == 0
    assert invoke(config_path, "-q", "tag").exit_code == 0
    shown = json.loads(invoke(config_path, "show", model["doc_id"], "--json").stdout)
    assert shown["title"] == "Model kooperacji (gminy miejsko-wiejskie)"
    assert shown["year"] == 2020 and shown["tag_reasons"]["year"] == "override"
    hits = json.loads(
        invoke(
            config_path, "search", "gminy", "miejsko-wiejskie", "--year", "2020", "--json"
        ).stdout
    )["hits"]
    assert [h["doc_id"] for h in hits] == [model["doc_id"]]
    bad = invoke(config_path, "curate", model["doc_id"], "--set", "type=broszura")
    assert bad.exit_code == 2 and "type" in bad.stderr


def test_export_files_open_in_their_tools(config_path, site, tmp_path):
    assert invoke(config_path, "-q", "update").exit_code == 0
    xlsx = tmp_path / "katalog.xlsx"
    result = invoke(
        config_path,
        "export",
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        "--type",
        "recommendations",
    )
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(xlsx)
    sheet = book["Katalog"]  # the codes, for scripts
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][header.index("title")] == "Księga rekomendacyjna"
    readable = book.active  # the first sheet, for people: Polish headers, the title first
    assert [c.value for c in readable[1]][:2] == ["Tytuł", "Rodzaj"]
    assert readable.cell(2, 1).value == "Księga rekomendacyjna"
    assert readable.cell(2, 2).value == "Rekomendacje"
    csv_excel = invoke(config_path, "export", "--format", "csv", "--excel")
    assert csv_excel.stdout.startswith("\ufeffdoc_id;")
    bundle = tmp_path / "przekazanie.zip"
    assert (
        invoke(config_path, "export", "--format", "bundle", "--output", str(bundle)).exit_code == 0
    )
    assert bundle.stat().st_size > 0
    assert invoke(config_path, "export", "--format", "bundle").exit_code == 2


def test_status_and_changes(config_path, site):
    assert invoke(config_path, "-q", "update").exit_code == 0
    status = json.loads(invoke(config_path, "status", "--json").stdout)
    assert status["documents"] == 8 and status["index"]["up_to_date"] is True
    assert status["by_partner"] == {"rops-torun": 7, "rops-gdansk": 2}
    text = invoke(config_path, "status").stdout
    assert "documents: 8" in text
    changes = json.loads(invoke(config_path, "changes", "--since", "2000-01-01", "--json").stdout)
    assert len([c for c in changes["changes"] if c["change"] == "new"]) == 8
    assert invoke(config_path, "changes", "--since", "wczoraj").exit_code == 2


def test_show_errors_are_one_line(config_path, site):
    assert invoke(config_path, "-q", "update").exit_code == 0
    for args, needle in (
        (["show", "zzz"], "not a document id"),
        (["show", "abcdef123456"], "no document abcdef123456"),
        (["search", "rodzina", "--year", "dwa"], "--year"),
    ):
        result = invoke(config_path, *args)
        assert result.exit_code == 2, args
        assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_python_dash_m_and_exit_codes_of_the_real_process(config_path, site):
    proc = subprocess.run(
        [sys.executable, "-m", "kooperacja", "--config", str(config_path), "search", "rodzina"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3 and "kooperacja update" in proc.stderr  # nothing archived yet
    proc = subprocess.run(
        [sys.executable, "-m", "kooperacja", "--config", str(config_path), "--json-typo"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2


def test_search_marks_the_matched_words_in_brackets_or_in_bold() -> None:
    """The terminal's form of a snippet: [brackets] in a file or a pipe, bold on a terminal;
    adjacent spans each marked, the text around them as it is."""
    from kooperacja.cli.render import format_search
    from kooperacja.models import DocHit, PageHit, SearchResult, Snippet

    excerpt = Snippet("… asystent rodziny i dzielnicowy <b>", ((2, 10), (10, 18), (21, 32)))
    hit = DocHit(
        doc_id="abc", title="Księga", type="recommendations", partner="rops-torun",
        partners=("rops-torun",), year=2021, url="", status="online", score=1.0,
        media_type="application/pdf",
        pages=(PageHit(page=143, excerpt=excerpt, label="", section="", score=1.0),),
    )  # fmt: skip
    result = SearchResult(query="asystent", total=1, complete=1, hits=(hit,))
    plain = format_search(result)
    assert "… [asystent][ rodziny] i [dzielnicowy] <b>" in plain
    bold = format_search(result, color=True)
    assert "… \x1b[1masystent\x1b[0m\x1b[1m rodziny\x1b[0m i \x1b[1mdzielnicowy\x1b[0m <b>" in bold
