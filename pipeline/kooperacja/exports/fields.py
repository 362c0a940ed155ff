"""The catalogue record as exported: contract fields, their Dublin Core names, Polish labels."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from urllib.parse import quote

from kooperacja.dates import parse_utc
from kooperacja.filetypes import document_format
from kooperacja.i18n import DEFAULT_LANGUAGE, N_, format_number, format_stamp, translations
from kooperacja.models import REASON_MESSAGES, Reason, reasons_from_data

DEFAULT_TITLE = "Publikacje projektu „Kooperacja – efektywna i skuteczna”"

# A record's link to its file, relative to the export (or the bundle); None: no link.
FileHref = Callable[[Mapping], "str | None"]


def no_file_href(values: Mapping) -> str | None:
    return None


def archive_file_href(archive_dir: Path, export_file: Path) -> FileHref:
    """Links from an export written at `export_file` to the archived files, relative to it, so
    the page keeps working wherever the archive and the export are moved together."""
    folder = export_file.absolute().parent

    def href(values: Mapping) -> str | None:
        local = str(values.get("local_path") or "")
        if not local:
            return None
        target = os.path.relpath((archive_dir / local).absolute(), folder)
        return quote(Path(target).as_posix(), safe="/._-~")

    return href


def bundle_file_href(values: Mapping) -> str | None:
    """In a bundle, the document's file beside the catalogue."""
    name = str(values.get("bundle_path") or "")
    return quote(name, safe="/._-~") if name else None

# The fields every export carries, in this order (CONTRACT.md, `export --format json`).
CONTRACT_FIELDS: tuple[str, ...] = (
    "doc_id", "sha256", "title", "type", "partner", "partners", "region", "year", "date",
    "language", "pages", "size_bytes", "media_type", "url", "source_urls", "found_on",
    "first_seen", "last_seen", "status", "local_path", "tag_reasons", "text_status", "text_error",
)  # fmt: skip
LIST_FIELDS: frozenset[str] = frozenset({"partners", "source_urls", "found_on"})
# Keys of a record that are for rendering it, never a column of an export.
INTERNAL_FIELDS: frozenset[str] = frozenset({"tag_reason_codes"})

# Field -> Dublin Core term (dc: = http://purl.org/dc/elements/1.1/, dcterms: =
# http://purl.org/dc/terms/). Fields without a fitting term keep the project's own name.
DUBLIN_CORE: Mapping[str, str] = {
    "doc_id": "dc:identifier",
    "sha256": "dcterms:identifier",
    "title": "dc:title",
    "type": "dc:type",
    "partner": "dc:publisher",
    "partners": "dc:contributor",
    "region": "dcterms:spatial",
    "year": "dcterms:issued",
    "date": "dc:date",
    "language": "dc:language",
    "pages": "dcterms:extent",
    "size_bytes": "dcterms:extent",
    "media_type": "dc:format",
    "url": "dc:source",
    "source_urls": "dcterms:hasVersion",
    "found_on": "dcterms:isReferencedBy",
    "first_seen": "dcterms:dateSubmitted",
    "last_seen": "dcterms:modified",
    "status": "",
    "local_path": "",
    "tag_reasons": "dcterms:provenance",
    "text_status": "",
    "text_error": "",
}

# Labels people read beside the stable codes: English message ids, shown in the reader's
# language through the gettext catalogues (kooperacja/locale; Polish by default).
FIELD_LABELS: Mapping[str, str] = {
    "doc_id": N_("Identifier"),
    "sha256": N_("SHA-256"),
    "title": N_("Title"),
    "type": N_("Type"),
    "partner": N_("Partner"),
    "partners": N_("Partners"),
    "region": N_("Voivodeship"),
    "year": N_("Year"),
    "date": N_("Date"),
    "language": N_("Language"),
    "pages": N_("Pages"),
    "size_bytes": N_("Size"),
    "media_type": N_("Format"),
    "url": N_("Original address"),
    "source_urls": N_("All addresses"),
    "found_on": N_("Pages linking to it"),
    "first_seen": N_("First downloaded"),
    "last_seen": N_("Last seen"),
    "status": N_("Status"),
    "local_path": N_("File in the archive"),
    "tag_reasons": N_("Why it is described so"),
    "text_status": N_("Text status"),
    "text_error": N_("Text error"),
    "gone_since": N_("Removed from the site on"),
    "replaces": N_("Replaces"),
    "replaced_by": N_("Replaced by"),
    "municipality_type": N_("Municipality type"),
}
TYPE_LABELS: Mapping[str, str] = {
    "model": N_("Cooperation model"),
    "model-summary": N_("Model – short version"),
    "pilot-report": N_("Pilot report"),
    "recommendations": N_("Recommendations"),
    "presentation": N_("Presentation"),
    "research": N_("Research and diagnoses"),
    "news": N_("News"),
    "video": N_("Film"),
    "other": N_("Other"),
}
STATUS_LABELS: Mapping[str, str] = {"online": N_("online"), "gone": N_("removed from the site")}
TEXT_STATUS_LABELS: Mapping[str, str] = {
    "ok": N_("text read"),
    "ocr": N_("text read by OCR from the page images (may hold errors)"),
    "no_text_layer": N_("no text layer (a scan not yet read)"),
    "encrypted": N_("encrypted, text not readable"),
    "failed": N_("text could not be read"),
    "pending": N_("text not read yet"),
}
FORMAT_LABELS: Mapping[str, str] = {
    "pdf": N_("PDF"),
    "word": N_("Word"),
    "powerpoint": N_("PowerPoint"),
    "excel": N_("Excel"),
    "scan": N_("scan (OCR)"),
    "film": N_("film"),
    "web": N_("web page"),
    "other": N_("other file"),
}
LIST_SEPARATOR = " | "


@dataclass(frozen=True)
class ExportReport:
    written: int  # records (or, for a bundle, documents) written
    problems: tuple[str, ...] = ()  # one line per record not fully written: doc_id and field


def columns(records: Sequence[Mapping]) -> list[str]:
    """Contract fields first, then any other keys in the order they first appear."""
    extra: dict[str, None] = {}
    for record in records:
        for key in record:
            if key not in CONTRACT_FIELDS and key not in INTERNAL_FIELDS:
                extra.setdefault(str(key), None)
    return list(CONTRACT_FIELDS) + list(extra)


def normalize(record: Mapping, cols: Sequence[str]) -> dict:
    """A plain dict with every column: lists as lists, mappings as dicts, missing as None."""
    out: dict = {}
    for col in cols:
        value = record.get(col)
        if col in LIST_FIELDS:
            value = [] if value is None else [value] if isinstance(value, str) else list(value)
        elif isinstance(value, Mapping):
            value = {str(k): v for k, v in value.items()}
        elif isinstance(value, tuple | set | frozenset):
            value = list(value)
        out[col] = value
    return out


def flat(value: object) -> str:
    """One cell of text: lists joined with " | ", reasons as "field: reason; ..."."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(flat(v) for v in value)
    if isinstance(value, bool):
        return "tak" if value else "nie"
    return str(value)


_RE_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_illegal(text: str) -> tuple[str, bool]:
    """Text without the control characters XML (and so HTML, Atom, xlsx) cannot hold."""
    cleaned = _RE_XML_ILLEGAL.sub("", text)
    return cleaned, cleaned != text


def rfc3339(value: object) -> str | None:
    """An ISO date/datetime as RFC 3339 UTC ("2021-06-16T08:00:00Z"), None if unreadable."""
    parsed = parse_utc(None if value is None else str(value))  # the catalogue writes UTC
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if parsed else None


def human_size(size: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """Bytes as the language writes them: "6,7 MB", "260 kB" in Polish ("6.7 MB" in English)."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return ""
    from babel.numbers import format_decimal

    for unit, power in (("GB", 3), ("MB", 2), ("kB", 1)):
        if size >= 1024**power:
            number = size / 1024**power
            pattern = "#,##0.0" if number < 100 else "#,##0"
            return f"{format_decimal(number, format=pattern, locale=lang)} {unit}"
    return f"{size} B"


def _partners_of(record: Mapping) -> set[str]:
    partners = record.get("partners") or ()
    found = {partners} if isinstance(partners, str) else set(partners)
    if record.get("partner"):
        found.add(str(record["partner"]))
    return found


_ROPS = re.compile(r"^Regionalny Ośrodek Polityki Społecznej\b")  # the centres' usual name


def partner_label(record: Mapping, names: Mapping[str, str]) -> str:
    """The record's partners as a reader names them ("ROPS w Toruniu, ROPS w Gdańsku"): the
    names the config gives them, the regional centres by their usual acronym; an id the config
    does not name is shown as it is."""
    listed = [record.get("partner"), *(record.get("partners") or ())]
    ids = dict.fromkeys(str(p) for p in listed if p)
    return ", ".join(_ROPS.sub("ROPS", names.get(pid) or pid) for pid in ids)


def filter_records(
    records: Iterable[Mapping],
    types: Sequence[str] = (),
    partners: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    statuses: Sequence[str] = (),
) -> list[Mapping]:
    """The records that pass every given filter; a partner matches any partner that linked it.

    With a year bound, undated records are left out (they cannot be shown to be in range).
    """
    kept = []
    for record in records:
        if types and record.get("type") not in types:
            continue
        if partners and not _partners_of(record) & set(partners):
            continue
        if statuses and record.get("status") not in statuses:
            continue
        year = record.get("year")
        if year_from is not None or year_to is not None:
            if not isinstance(year, int):
                continue
            if year_from is not None and year < year_from:
                continue
            if year_to is not None and year > year_to:
                continue
        kept.append(record)
    return kept


def field_label(name: str, lang: str = DEFAULT_LANGUAGE, default: str | None = None) -> str:
    """The label of a field in `lang`; `default` (else the code itself) for fields without one."""
    label = FIELD_LABELS.get(name)
    return translations(lang).gettext(label) if label else (name if default is None else default)


def type_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    label = TYPE_LABELS.get(code)
    return translations(lang).gettext(label) if label else code


def format_label(record: Mapping | str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The record's kind of file (or a format code's) as a reader names it ("PDF", "skan (OCR)",
    "PowerPoint")."""
    if isinstance(record, str):
        code = record if record in FORMAT_LABELS else "other"
    else:
        code = document_format(str(record.get("media_type") or ""), record.get("text_status"))
    return translations(lang).gettext(FORMAT_LABELS[code])


def reason_text(
    clauses: Sequence[Reason],
    lang: str = DEFAULT_LANGUAGE,
    partner_names: Mapping[str, str] | None = None,
) -> str:
    """Why a tag was given, in `lang`: each clause's message translated, numbers, dates and
    languages written as the language writes them, partners by their names when given,
    clauses joined with "; "."""
    gettext = translations(lang).gettext

    def param(key: str, value: object) -> object:
        if isinstance(value, Reason):
            return one(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value, lang)
        if key == "language" and isinstance(value, str):
            return language_name(value, lang)
        if key in ("when", "created") and isinstance(value, str):
            return format_stamp(value, lang)
        if key in ("partner", "partners") and isinstance(value, str) and partner_names:
            return ", ".join(partner_names.get(p, p) for p in value.split(", "))
        return value

    def one(clause: Reason) -> str:
        params = {k: param(k, v) for k, v in clause.params.items()}
        try:
            return gettext(REASON_MESSAGES[clause.code]).format(**params)
        except (KeyError, IndexError, ValueError):  # a translation naming a parameter wrongly
            return clause.text()

    return "; ".join(one(c) for c in clauses)


def record_reasons(
    record: Mapping,
    lang: str = DEFAULT_LANGUAGE,
    partner_names: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """field -> why, in `lang` where the catalogue stored the reason as codes (partners by the
    names in `partner_names`); a reason stored only as English text (a catalogue tagged by an
    older version) is shown as it is."""
    codes = record.get("tag_reason_codes") or {}
    shown: dict[str, str] = {}
    for name, text in dict(record.get("tag_reasons") or {}).items():
        clauses = reasons_from_data(codes.get(name)) if isinstance(codes, Mapping) else None
        shown[str(name)] = reason_text(clauses, lang, partner_names) if clauses else str(text)
    return shown


def language_name(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """"pl" as the language calls it ("polski", "Polish"); the code when Babel has no name."""
    from babel import Locale

    return Locale.parse(lang).languages.get(code, code)


def text_status_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    label = TEXT_STATUS_LABELS.get(code)
    return translations(lang).gettext(label) if label else code


def status_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    label = STATUS_LABELS.get(code)
    return translations(lang).gettext(label) if label else code
