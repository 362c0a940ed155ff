"""Curation: people's corrections of tags, kept in `overrides.yaml` beside the config.

They survive every re-tag because they are applied after `tag_document`, never stored in its
place. File shape (keys are doc_ids, 12 hex digits; a full SHA-256 is shortened on load):

```yaml
3f2a9c01b7de:
  title: "Księga rekomendacyjna"
  type: recommendations        # one of kooperacja.models.DOCUMENT_TYPES
  year: 2021                   # or null to clear
  date: 2021-06                # yyyy-mm-dd or yyyy-mm, or null; year follows it when not given
  partner: rops-gdansk
  region: pomorskie
  language: pl
  municipality_type: gminy wiejskie   # or "gminy miejsko-wiejskie", "gminy miejskie", ""
```
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.reading import find_one
from kooperacja.config import Config
from kooperacja.errors import ConfigError, UsageError
from kooperacja.models import DOCUMENT_TYPES, Reason, reasons_text
from kooperacja.output import open_output
from kooperacja.tag.tagging import MUNICIPALITY_TYPES, Tags

FIELDS: tuple[str, ...] = (
    "title", "type", "year", "date", "partner", "region", "language", "municipality_type",
)  # fmt: skip
_RE_DOC_ID = re.compile(r"^(?:[0-9a-f]{12}|[0-9a-f]{64})$")
_RE_DATE = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?$")
_RE_PARTNER = re.compile(r"^[a-z0-9-]+$")
_RE_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Overrides:
    """doc_id (12 hex) -> {field: value}, validated."""

    entries: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def get(self, doc_id: str) -> Mapping[str, object]:
        return self.entries.get(doc_id.lower()[:12], {})


def _real_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text if len(text) == 10 else text + "-01")
    except ValueError:
        return False
    return True


def _check_value(name: str, value: object, where: str) -> tuple[object, str | None]:
    """(normalised value, problem or None) for one override field."""
    if name == "year":
        if value is None:
            return None, None
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            return value, f"{where}: expected a year between 1900 and 2100 or null, got {value!r}"
        return value, None
    if name == "date":
        if value is None:
            return None, None
        text = value.isoformat() if hasattr(value, "isoformat") else value  # YAML reads dates
        if not isinstance(text, str) or not _RE_DATE.match(text) or not _real_date(text):
            return value, f"{where}: expected yyyy-mm-dd or yyyy-mm or null, got {value!r}"
        return text, None
    if not isinstance(value, str):
        return value, f"{where}: expected a string, got {value!r}"
    value = value.strip()
    if name == "title" and not value:
        return value, f"{where}: a title cannot be empty"
    if name == "type" and value not in DOCUMENT_TYPES:
        return value, f"{where}: expected one of {', '.join(DOCUMENT_TYPES)}, got {value!r}"
    if name == "municipality_type" and value not in MUNICIPALITY_TYPES + ("",):
        allowed = ", ".join(repr(m) for m in MUNICIPALITY_TYPES + ("",))
        return value, f"{where}: expected one of {allowed}, got {value!r}"
    if name == "partner" and not _RE_PARTNER.match(value):
        return value, f"{where}: expected a partner id like 'rops-gdansk', got {value!r}"
    if name == "language" and not _RE_LANGUAGE.match(value):
        return value, f"{where}: expected a language code like 'pl', got {value!r}"
    return value, None


def _validate_entry(entry: object, where: str, problems: list[str]) -> dict:
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: expected a mapping of field -> value, got {entry!r}")
        return {}
    clean: dict[str, object] = {}
    for name, value in entry.items():
        if name not in FIELDS:
            close = difflib.get_close_matches(str(name), FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (one of: {', '.join(FIELDS)})"
            problems.append(f"{where}: unknown field '{name}'{hint}")
            continue
        normalised, problem = _check_value(name, value, f"{where}.{name}")
        if problem:
            problems.append(problem)
        else:
            clean[name] = normalised
    date, year = clean.get("date"), clean.get("year")
    if isinstance(date, str) and isinstance(year, int) and int(date[:4]) != year:
        problems.append(f"{where}: year {year} contradicts date {date}")
    return clean


def _parse(data: object, source: str) -> Overrides:
    if data is None:
        return Overrides()
    if not isinstance(data, Mapping):
        raise ConfigError([f"{source}: expected a mapping of doc_id -> fields"])
    problems: list[str] = []
    entries: dict[str, Mapping[str, object]] = {}
    for raw_id, entry in data.items():
        doc_id = str(raw_id).strip().lower()
        where = f"{source}: {raw_id}"
        if isinstance(raw_id, int):
            # YAML reads an all-digit key as a number (and drops leading zeros): ask for quotes.
            problems.append(f"{where}: put an all-digit doc_id in quotes, e.g. '012345678901'")
            continue
        if not _RE_DOC_ID.match(doc_id):
            problems.append(f"{where}: expected a doc_id of 12 hex digits, got {raw_id!r}")
            continue
        if doc_id[:12] in entries:
            problems.append(f"{where}: doc_id {doc_id[:12]} is given twice")
            continue
        entries[doc_id[:12]] = _validate_entry(entry, where, problems)
    if problems:
        raise ConfigError(problems)
    return Overrides(entries)


def load_overrides(path: Path | str) -> Overrides:
    """The validated overrides file; a missing file means no overrides."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Overrides()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError([f"{path}{at}: invalid YAML: {getattr(exc, 'problem', exc)}"]) from exc
    return _parse(data, str(path))


def apply_overrides(tags: Tags, doc_id: str, overrides: Overrides) -> Tags:
    """`tags` with the curated fields replaced; each replaced field gets the reason "override"."""
    entry = overrides.get(doc_id)
    if not entry:
        return tags
    changes: dict[str, object] = dict(entry)
    codes = dict(tags.reason_codes)
    if "date" in entry and "year" not in entry:
        date = entry["date"]
        changes["year"] = int(str(date)[:4]) if date else tags.year
        codes["year"] = (Reason("override.date"),)
    if "partner" in entry:
        partner = str(entry["partner"])
        changes["partners"] = (partner,) + tuple(p for p in tags.partners if p != partner)
    for name in entry:
        codes[name] = (Reason("override"),)
    reasons = dict(tags.reasons) | {name: reasons_text(why) for name, why in codes.items()}
    return replace(tags, **changes, reasons=reasons, reason_codes=codes)


def parse_assignments(assignments: Mapping[str, str]) -> dict[str, object]:
    """Command-line strings ("year=2021", "date=", "year=null") as validated override values."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for name, raw in assignments.items():
        if name not in FIELDS:
            problems.append(f"--set {name}: unknown field (one of: {', '.join(FIELDS)})")
            continue
        text = raw.strip()
        value: object = text
        if name in ("year", "date") and text.lower() in ("", "null", "none", "-"):
            value = None
        elif name == "year":
            value = int(text) if text.isdigit() else text
        normalised, problem = _check_value(name, value, f"--set {name}")
        if problem:
            problems.append(problem)
        values[name] = normalised
    if problems:
        raise UsageError("\n".join(problems))
    return values


def set_override(path: Path | str, doc_id: str, assignments: Mapping[str, str]) -> None:
    """Add or change overrides of one document; the file is rewritten atomically, others kept."""
    path = Path(path)
    key = doc_id.strip().lower()
    if not _RE_DOC_ID.match(key):
        raise UsageError(f"{doc_id!r}: expected a doc_id of 12 hex digits (or the full SHA-256)")
    key = key[:12]
    values = parse_assignments(assignments)
    current = load_overrides(path)  # refuses to rewrite a file that is already invalid
    entries = {k: dict(v) for k, v in current.entries.items()}
    merged = {**entries.get(key, {}), **values}
    problems: list[str] = []
    _validate_entry(merged, key, problems)
    if problems:
        raise UsageError("\n".join(problems))
    entries[key] = merged
    text = (
        "# Curated tags: doc_id -> field: value. Written by 'kooperacja curate'; edits welcome.\n"
        + yaml.safe_dump(entries, allow_unicode=True, sort_keys=True, default_flow_style=False)
    )
    with open_output(path) as handle:  # a linked file stays linked; never half written
        handle.write(text.encode("utf-8"))


def curate_document(config: Config, doc_id: str, assignments: Sequence[str]) -> str:
    values: dict[str, str] = {}
    for item in assignments:
        if "=" not in item:
            raise UsageError(f"--set {item!r}: expected FIELD=VALUE, e.g. --set type=model")
        key, value = item.split("=", 1)
        values[key.strip()] = value.strip()
    with Catalog(config.archive_dir, create=False) as catalog:
        row = find_one(catalog, doc_id)
    set_override(config.overrides_path, row.doc_id, values)
    return row.doc_id
