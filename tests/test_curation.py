"""Curated overrides: validation, application, atomic writes, surviving a re-tag."""

from pathlib import Path

import pytest

from kooperacja.errors import ConfigError, UsageError
from kooperacja.tag.curation import apply_overrides, load_overrides, set_override
from kooperacja.tag.rules import default_rules
from kooperacja.tag.tagging import TagInput, tag_document

DOC = "3f2a9c01b7de"
OTHER = "0123456789ab"


def _inp() -> TagInput:
    return TagInput(
        sha256=DOC + "0" * 52,
        media_type="application/pdf",
        link_texts=("Publikacja [pdf, 2MB]",),
        urls=("https://rops.pomorskie.eu/a.pdf",),
        partners=("rops-gdansk", "rops-torun"),
        partner_regions={"rops-gdansk": "pomorskie", "rops-torun": "kujawsko-pomorskie"},
        found_on_texts=(),
        pdf_metadata={"/CreationDate": "D:20200105"},
        pages=("Publikacja",),
    )


def test_missing_file_means_no_overrides(tmp_path: Path) -> None:
    overrides = load_overrides(tmp_path / "overrides.yaml")
    tags = tag_document(_inp(), default_rules())
    assert apply_overrides(tags, DOC, overrides) == tags


def test_overrides_win_and_survive_retagging(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    set_override(path, DOC, {"title": "Księga rekomendacyjna – Pomorze", "type": "recommendations"})
    set_override(path, DOC + "f" * 52, {"date": "2021-06", "partner": "rops-torun"})
    overrides = load_overrides(path)
    rules = default_rules()
    first = apply_overrides(tag_document(_inp(), rules), DOC, overrides)
    assert first.title == "Księga rekomendacyjna – Pomorze"
    assert (first.type, first.date, first.year) == ("recommendations", "2021-06", 2021)
    assert first.partners == ("rops-torun", "rops-gdansk")
    assert first.reasons["title"] == first.reasons["type"] == "override"
    assert first.reasons["year"] == "override (from the overridden date)"
    assert first.reasons["language"] != "override"
    # A re-tag (new rules, new code) starts from scratch; the overrides apply again.
    again = apply_overrides(tag_document(_inp(), rules), DOC, load_overrides(path))
    assert again == first
    assert apply_overrides(first, DOC, overrides) == first  # idempotent


def test_set_override_keeps_other_entries_and_polish_text(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(f"{OTHER}:\n  region: łódzkie\n", encoding="utf-8")
    set_override(path, DOC, {"year": "2019", "municipality_type": "gminy miejsko-wiejskie"})
    set_override(path, DOC, {"year": ""})
    text = path.read_text(encoding="utf-8")
    assert "łódzkie" in text  # written as UTF-8, not \u escapes
    entries = load_overrides(path).entries
    assert entries[OTHER] == {"region": "łódzkie"}
    assert entries[DOC] == {"year": None, "municipality_type": "gminy miejsko-wiejskie"}
    assert [p.name for p in tmp_path.iterdir()] == ["overrides.yaml"]  # no temp file left


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        ({"type": "raport"}, "--set type: expected one of model, model-summary"),
        ({"year": "dwa tysiące"}, "--set year: expected a year"),
        ({"year": "1800"}, "--set year: expected a year"),
        ({"date": "2021-02-30"}, "--set date: expected yyyy-mm-dd"),
        ({"colour": "red"}, "--set colour: unknown field"),
        ({"year": "2020", "date": "2021-06-16"}, "year 2020 contradicts date 2021-06-16"),
    ],
)
def test_set_override_validates(tmp_path: Path, assignments: dict, message: str) -> None:
    path = tmp_path / "overrides.yaml"
    with pytest.raises(UsageError) as info:
        set_override(path, DOC, assignments)
    assert message in str(info.value)
    assert not path.exists()


def test_set_override_rejects_bad_doc_id(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="12 hex digits"):
        set_override(tmp_path / "o.yaml", "xyz", {"title": "A"})


def test_invalid_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(
        f"{DOC}:\n  type: raport\n  yaer: 2020\n  year: 5\n"
        "nothex:\n  title: x\n"
        f"{OTHER}: just a string\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_overrides(path)
    problems = info.value.problems
    assert len(problems) == 5
    assert f"{path}: {DOC}.type: expected one of" in problems[0]
    assert any("unknown field 'yaer' (did you mean 'year'?)" in p for p in problems)
    assert any(p.startswith(f"{path}: {DOC}.year: expected a year") for p in problems)
    assert any("'nothex'" in p for p in problems)
    assert any(p.startswith(f"{path}: {OTHER}: expected a mapping") for p in problems)


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(f"{DOC}:\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_overrides(path)
    assert info.value.problems[0].startswith(f"{path}:3:1: invalid YAML")


def test_all_digit_doc_ids_round_trip_and_unquoted_ones_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    set_override(path, "012345678901", {"title": "Diagnoza"})
    assert load_overrides(path).get("012345678901") == {"title": "Diagnoza"}
    path.write_text("123456789012:\n  title: Diagnoza\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="put an all-digit doc_id in quotes"):
        load_overrides(path)
