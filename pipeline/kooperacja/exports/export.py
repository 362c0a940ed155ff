"""Exports of the catalogue: csv, json, jsonl, html, xlsx, atom, and a bundle with the files.

Every format carries the contract fields of `export --format json` in the contract's order
(`CONTRACT_FIELDS`), then any further keys of the records in first-seen order. Field names map
to Dublin Core as `DUBLIN_CORE` says (the README's "Export fields" section explains each field):

| field | Dublin Core | field | Dublin Core |
|---|---|---|---|
| doc_id | dc:identifier | media_type | dc:format |
| sha256 | dcterms:identifier | url | dc:source |
| title | dc:title | source_urls | dcterms:hasVersion |
| type | dc:type | found_on | dcterms:isReferencedBy |
| partner | dc:publisher | first_seen | dcterms:dateSubmitted |
| partners | dc:contributor | last_seen | dcterms:modified |
| region | dcterms:spatial | tag_reasons | dcterms:provenance |
| year | dcterms:issued | pages, size_bytes | dcterms:extent |
| date | dc:date | status, local_path, text_status, text_error | (project fields) |
| language | dc:language | | |

- csv: UTF-8 with BOM; lists joined with " | "; tag_reasons as "field: reason; ...";
  `excel=True` uses ";" (Polish Excel) and prefixes cells starting with = + - @ with "'".
- json: one array, UTF-8, indent 2. jsonl: one record per line.
- xlsx: a first sheet for people ("Dokumenty": Polish headers Tytuł, Rodzaj, Partner, Rok, Data,
  Strony, Format, Adres, …, labels instead of codes, reasons in the reader's language, by type
  then newest first, the title linking to the document, printable on A4 landscape), sheet
  "Katalog" for scripts (every field under its stable name, codes as codes, header frozen,
  auto-filter, URLs as hyperlinks) and sheet "Pola" (field, Polish label, Dublin Core); text
  longer than Excel's 32,767 characters is cut and reported.
- html: one self-contained page (inline CSS/JS), sortable and filterable, Polish labels.
- atom: Atom 1.0, newest first by first_seen, entry id urn:sha256:<sha256>, with dc: elements.
- bundle: documents under readable names, catalogue.json, catalogue.csv, catalogue.html and
  catalogue.atom (linking each document in the bundle), MANIFEST-SHA256.txt, README.txt; a
  folder, or a .zip when the destination ends with ".zip" (or is "-", a device or a FIFO).
- html and atom link each document to its original URL and to its file relative to the export,
  never to an absolute local path; writing to a pipe, they link only the original.

Filtering is the caller's: `filter_records` does it on plain records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from kooperacja.archive.captures import warc_files_holding
from kooperacja.archive.catalog import Catalog
from kooperacja.archive.reading import all_records
from kooperacja.config import Config
from kooperacja.errors import UsageError
from kooperacja.exports.atom import write_atom
from kooperacja.exports.bundle import bundle_name, export_bundle
from kooperacja.exports.fields import (
    CONTRACT_FIELDS,
    DEFAULT_TITLE,
    DUBLIN_CORE,
    FIELD_LABELS,
    ExportReport,
    archive_file_href,
    filter_records,
    no_file_href,
)
from kooperacja.exports.html import write_html
from kooperacja.exports.tabular import write_csv, write_json, write_jsonl, write_xlsx
from kooperacja.i18n import DEFAULT_LANGUAGE
from kooperacja.output import open_output, written_file

FORMATS: tuple[str, ...] = ("csv", "json", "jsonl", "html", "xlsx", "atom")  # plus "bundle"
BINARY_FORMATS = frozenset({"xlsx", "bundle"})  # never written to a terminal

__all__ = [
    "CONTRACT_FIELDS",
    "DEFAULT_TITLE",
    "BINARY_FORMATS",
    "DUBLIN_CORE",
    "FORMATS",
    "FIELD_LABELS",
    "ExportReport",
    "bundle_name",
    "export_bundle",
    "export_records",
    "filter_records",
]


def export_records(
    records: Sequence[Mapping],
    fmt: str,
    out: BinaryIO,
    *,
    excel: bool = False,
    archive_dir: Path | None = None,
    title: str = DEFAULT_TITLE,
    output_path: Path | None = None,
    lang: str = DEFAULT_LANGUAGE,
    in_order: bool = False,
    partner_names: Mapping[str, str] | None = None,
) -> ExportReport:
    """Write `records` in format `fmt` to the binary stream `out` (`in_order`: the xlsx's
    first sheet keeps their order, e.g. a search's, instead of type then date;
    `partner_names`: partner id -> name, for the xlsx's first sheet and the html page).

    html and atom link each document to its original URL and, when both `archive_dir` and the
    export's own path (`output_path`, else `out.name` of a real file) are known, to its archived
    file relative to the export; never to an absolute local path.
    """
    if output_path is None:
        name = getattr(out, "name", None)
        output_path = Path(name) if isinstance(name, str) and not name.startswith("<") else None
    file_href = (
        archive_file_href(archive_dir, output_path)
        if archive_dir is not None and output_path is not None
        else no_file_href
    )
    if fmt == "csv":
        return write_csv(records, out, excel=excel)
    if fmt == "json":
        return write_json(records, out)
    if fmt == "jsonl":
        return write_jsonl(records, out)
    if fmt == "xlsx":
        return write_xlsx(
            records, out, title=title, lang=lang, in_order=in_order, partner_names=partner_names
        )
    if fmt == "atom":
        return write_atom(records, out, title=title, lang=lang, file_href=file_href)
    if fmt == "html":
        return write_html(
            records, out, title=title, lang=lang, file_href=file_href, partner_names=partner_names
        )
    if fmt == "bundle":
        raise UsageError("format 'bundle' writes a folder or .zip: use export_bundle(...)")
    raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}, bundle")


def export_catalogue(
    config: Config,
    fmt: str,
    output: Path | None,
    *,
    excel: bool = False,
    types: Sequence[str] = (),
    partners: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    statuses: Sequence[str] = (),
    lang: str = DEFAULT_LANGUAGE,
):
    records = filter_records(
        all_records(config),
        types=tuple(types),
        partners=tuple(partners),
        year_from=year_from,
        year_to=year_to,
        statuses=tuple(statuses),
    )
    if fmt == "bundle":
        return export_bundle(records, config.archive_dir, output, _warcs_of(config, records))
    with open_output(output, binary=fmt in BINARY_FORMATS) as out:
        return export_records(
            records,
            fmt,
            out,
            excel=excel,
            archive_dir=config.archive_dir,
            output_path=written_file(output, out),
            lang=lang,
            partner_names={p.id: p.name for p in config.partners},
        )


def _warcs_of(config: Config, records) -> list[Path]:
    """The WARC files holding the bundled documents and the pages that linked them."""
    urls = [u for r in records for u in (*r["source_urls"], *r["found_on"])]
    with Catalog(config.archive_dir, create=False) as catalog:
        return warc_files_holding(config.archive_dir, catalog, urls)
