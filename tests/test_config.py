from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kooperacja.cli import cli
from kooperacja.config import load_config
from kooperacja.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_real_config_has_all_seven_partners():
    config = load_config(ROOT / "config.yaml")
    ids = [p.id for p in config.partners]
    assert len(ids) == 7
    assert {
        "rops-torun",
        "rops-gdansk",
        "rops-zielona-gora",
        "rops-olsztyn",
        "rops-poznan",
        "rops-szczecin",
        "umk",
    } == set(ids)
    szczecin = config.partner("rops-szczecin")
    assert szczecin.enabled is False
    gdansk = config.partner("rops-gdansk")
    assert gdansk.start_urls == (
        "https://rops.pomorskie.eu/projekty-rops/kooperacja-efektywna-i-skuteczna/",
    )
    assert gdansk.document_hosts == ("rops.pomorskie.eu",)
    assert config.archive_dir == ROOT / "archive"


def test_demo_config_loads():
    config = load_config(ROOT / "demo" / "config.yaml")
    assert len(config.partners) >= 2
    assert config.archive_dir == ROOT / "demo" / "archive"


def test_relative_paths_resolve_against_the_config_folder(tmp_path, monkeypatch):
    sub = tmp_path / "etc"
    sub.mkdir()
    (sub / "c.yaml").write_text(yaml.safe_dump({"archive_dir": "arch", "partners": []}))
    monkeypatch.chdir(tmp_path)
    assert load_config(sub / "c.yaml").archive_dir == sub / "arch"


def bad(tmp_path, data) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value.problems


def test_every_problem_reported_at_once_with_dotted_paths(tmp_path):
    problems = bad(
        tmp_path,
        {
            "crawl": {"delay_seconds": "fast", "timout_seconds": 3},
            "partners": [
                {"id": "ok-1", "name": "A", "region": "pomorskie", "start_urls": ["rops.pl/x"]},
                {
                    "id": "Bad Id",
                    "name": "B",
                    "region": "x",
                    "start_urls": ["https://b.pl/"],
                    "scopes": ["https://b.pl/"],
                },
            ],
        },
    )
    text = "\n".join(problems)
    assert "crawl.delay_seconds: expected a number, got 'fast'" in text
    assert "crawl.timout_seconds: unknown key: did you mean 'timeout_seconds'?" in text
    assert "partners[0].start_urls[0]: expected an http(s) URL, got 'rops.pl/x'" in text
    assert "partners[1].id: expected lowercase letters" in text
    assert "partners[1].scopes: unknown key: did you mean 'scope'?" in text
    assert len(problems) == 5


def test_missing_keys_and_duplicates(tmp_path):
    problems = bad(
        tmp_path,
        {
            "partners": [
                {"id": "a", "name": "A", "region": "r", "start_urls": ["https://a.pl/"]},
                {"id": "a", "region": "r", "start_urls": ["https://a.pl/"]},
            ]
        },
    )
    assert any("partners[1].name: missing" in p for p in problems)
    assert any("partners[1].id: duplicate partner id 'a'" in p for p in problems)


def test_yaml_error_gives_line_and_column(tmp_path):
    problems = bad(tmp_path, "partners:\n  - id: a\n    name: [unclosed\n")
    assert len(problems) == 1
    assert "line " in problems[0] and "column " in problems[0]


def test_cli_exit_2_with_dotted_path(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(
        yaml.safe_dump(
            {"partners": [{"id": "a", "name": "A", "region": "r", "start_urls": ["ftp://x"]}]}
        )
    )
    result = CliRunner().invoke(cli, ["--config", str(path), "status"])
    assert result.exit_code == 2
    assert "partners[0].start_urls[0]: expected an http(s) URL, got 'ftp://x'" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_cli_missing_config_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "nope.yaml"), "update"])
    assert result.exit_code == 2
    assert f"no config file {tmp_path / 'nope.yaml'}" in result.stderr
    assert "given with --config" in result.stderr


def test_a_command_without_a_config_says_where_it_looked_and_how_to_point_at_one(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOOPERACJA_CONFIG", raising=False)
    for args in (["status"], ["search", "asystent"], ["index"], ["export", "--format", "csv"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, args
        (line,) = result.stderr.splitlines()
        assert f"looked for {tmp_path / 'config.yaml'}" in line
        assert "--config PATH" in line and "KOOPERACJA_CONFIG" in line
    monkeypatch.setenv("KOOPERACJA_CONFIG", str(tmp_path / "gdzie.yaml"))
    result = CliRunner().invoke(cli, ["status"])
    assert "gdzie.yaml" in result.stderr and "named by KOOPERACJA_CONFIG" in result.stderr


def test_config_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "env.yaml"
    path.write_text("partners: 5\n")
    monkeypatch.setenv("KOOPERACJA_CONFIG", str(path))
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 2
    assert "env.yaml: partners: expected a list, got int" in result.stderr


def test_extract_settings_choose_ocr(tmp_path):
    config = load_config(ROOT / "config.yaml")
    assert (config.extract.ocr, config.extract.ocr_language) == ("auto", "pol")
    partner = {"id": "a", "name": "A", "region": "pomorskie", "start_urls": ["https://a.pl/"]}
    problems = bad(
        tmp_path,
        {"extract": {"ocr": "always", "ocr_langauge": "pol"}, "partners": [partner]},
    )
    text = "\n".join(problems)
    assert "extract.ocr: expected one of never, auto, force, got 'always'" in text
    assert "extract.ocr_langauge: unknown key: did you mean 'ocr_language'?" in text
    off = tmp_path / "off.yaml"
    off.write_text(yaml.safe_dump({"extract": {"ocr": "never"}, "partners": [partner]}))
    assert load_config(off).extract.ocr == "never"


def test_news_scope_and_project_terms_default_and_are_validated(tmp_path):
    from kooperacja.config import DEFAULT_PROJECT_TERMS

    partner = {"id": "p", "name": "P", "region": "pomorskie", "start_urls": ["https://a.pl/x/"]}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"partners": [partner]}), encoding="utf-8")
    config = load_config(path)
    assert config.partners[0].news_scope == "general"  # an existing config keeps its behaviour
    assert config.crawl.project_terms == DEFAULT_PROJECT_TERMS
    assert r"powiatow\w* grup\w* decydent" in DEFAULT_PROJECT_TERMS

    problems = bad(
        tmp_path,
        {
            "crawl": {"project_terms": ["kooperacj", "Powiatowa Grupa Decydentów", "grup(a"]},
            "partners": [{**partner, "news_scope": "projekt"}],
        },
    )
    assert len(problems) == 3, problems
    assert any(
        p.startswith("config.yaml: crawl.project_terms[1]: write it folded") for p in problems
    )
    assert any(
        p.startswith("config.yaml: crawl.project_terms[2]: not a valid regular expression")
        for p in problems
    )
    assert any(
        p.startswith("config.yaml: partners[0].news_scope: expected project") and "'projekt'" in p
        for p in problems
    )
    assert bad(tmp_path, {"crawl": {"project_terms": []}, "partners": [partner]}) == [
        "config.yaml: crawl.project_terms: expected a list of stems that mark a page about the "
        r"project (e.g. 'powiatow\w* grup\w* decydent'), got []"
    ]


def test_the_real_config_says_which_partners_list_only_project_news():
    config = load_config(ROOT / "config.yaml")
    scopes = {p.id: p.news_scope for p in config.partners}
    assert scopes["rops-gdansk"] == "project" and scopes["rops-poznan"] == "general"


def test_search_abbreviations_default_and_are_overridden(tmp_path):
    from kooperacja.config import DEFAULT_ABBREVIATIONS

    pairs = dict(load_config(ROOT / "config.yaml").search.abbreviations)
    assert pairs["PCPR"] == "powiatowe centrum pomocy rodzinie"
    assert pairs["ZI"] == "zespół interdyscyplinarny"
    assert pairs["PGD"] == "Powiatowa Grupa Decydentów"
    assert pairs["MRPiPS"] == "Ministerstwo Rodziny, Pracy i Polityki Społecznej"
    assert len(pairs) == len(DEFAULT_ABBREVIATIONS) >= 25
    partner = {"id": "p", "name": "P", "region": "pomorskie", "start_urls": ["https://a.pl/x/"]}
    given = {
        "WOPS": "wojewódzki ośrodek pomocy społecznej",  # added
        "zi": ["zespół interdyscyplinarny", "zespół interdyscyplinarny ds. przemocy"],  # replaced
        "NGO": None,  # dropped
    }
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"partners": [partner], "search": {"abbreviations": given}},
                                   allow_unicode=True), encoding="utf-8")  # fmt: skip
    found = load_config(path).search.abbreviations
    assert ("WOPS", "wojewódzki ośrodek pomocy społecznej") in found
    assert [p for p in found if p[0].lower() == "zi"] == [
        ("zi", "zespół interdyscyplinarny"), ("zi", "zespół interdyscyplinarny ds. przemocy")
    ]  # fmt: skip
    assert "NGO" not in dict(found) and "PCPR" in dict(found)
    problems = "\n".join(
        bad(tmp_path, {"partners": [partner],
                       "search": {"abreviations": {}, "abbreviations": {"P": "x", "OPS": 3}}})
    )  # fmt: skip
    assert "search.abreviations: unknown key: did you mean 'abbreviations'?" in problems
    assert "search.abbreviations.P: expected 2–12 letters, e.g. PCPR" in problems
    assert "search.abbreviations.OPS: expected what it stands for" in problems


def test_oai_settings_default_and_are_validated(tmp_path):
    config = load_config(ROOT / "config.yaml")
    assert (config.oai.repository_id, config.oai.admin_email, config.oai.page_size) == ("", "", 100)
    partner = {"id": "a", "name": "A", "region": "pomorskie", "start_urls": ["https://a.pl/"]}
    problems = bad(tmp_path, {"partners": [partner], "oai": {
        "repository_id": "archiwum rops", "admin_email": "archiwum(at)rops.pl",
        "page_size": 0, "pagesize": 5}})  # fmt: skip
    text = "\n".join(problems)
    assert (
        "oai.repository_id: expected a name like kooperacja.rops.torun.pl, got 'archiwum rops'"
        in text
    )
    assert "oai.admin_email: expected an e-mail address, got 'archiwum(at)rops.pl'" in text
    assert "oai.page_size: expected a whole number from 1 to 1000, got 0" in text
    assert "oai.pagesize: unknown key: did you mean 'page_size'?" in text
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump({"partners": [partner], "oai": {
        "repository_id": "archiwum.rops.example", "admin_email": "archiwum@rops.example",
        "page_size": 25}}))  # fmt: skip
    oai = load_config(good).oai
    assert (oai.repository_id, oai.admin_email, oai.page_size) == (
        "archiwum.rops.example", "archiwum@rops.example", 25)
