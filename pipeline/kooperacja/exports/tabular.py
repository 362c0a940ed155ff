"""CSV, JSON, JSON Lines and Excel exports of catalogue records."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Mapping, Sequence
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kooperacja.exports.fields import (
    DUBLIN_CORE,
    ExportReport,
    columns,
    field_label,
    flat,
    format_label,
    human_size,
    normalize,
    partner_label,
    record_reasons,
    status_label,
    strip_illegal,
    type_label,
)
from kooperacja.i18n import DEFAULT_LANGUAGE, N_, translations
from kooperacja.models import DOCUMENT_TYPES

EXCEL_CELL_LIMIT = 32_767  # characters in one Excel cell
EXCEL_URL_LIMIT = 2_079  # longest hyperlink address Excel opens
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = frozenset({"year", "pages", "size_bytes"})
_LINKED = ("url",)


def _doc_id(record: Mapping) -> str:
    return str(record.get("doc_id") or "?")


def write_csv(records: Sequence[Mapping], out: BinaryIO, *, excel: bool = False) -> ExportReport:
    """UTF-8 with BOM; with `excel` a ";" delimiter (Polish Excel) and formula-safe cells."""
    cols = columns(records)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";" if excel else ",")
    writer.writerow(cols)
    for record in records:
        row = [flat(v) for v in normalize(record, cols).values()]
        if excel:
            # Excel runs a cell starting with "=" as a formula: a hostile title could too.
            row = ["'" + c if c.startswith(_FORMULA_START) else c for c in row]
        writer.writerow(row)
    out.write(text.getvalue().encode("utf-8-sig"))
    return ExportReport(written=len(records))


def write_json(records: Sequence[Mapping], out: BinaryIO) -> ExportReport:
    cols = columns(records)
    data = [normalize(r, cols) for r in records]
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    out.write((text + "\n").encode("utf-8"))
    return ExportReport(written=len(records))


def write_jsonl(records: Sequence[Mapping], out: BinaryIO) -> ExportReport:
    cols = columns(records)
    for record in records:
        line = json.dumps(normalize(record, cols), ensure_ascii=False, default=str)
        out.write((line + "\n").encode("utf-8"))
    return ExportReport(written=len(records))


def _cell_value(col: str, value: object, doc_id: str, problems: list[str]) -> object:
    if col in _NUMERIC and isinstance(value, int) and not isinstance(value, bool):
        return value
    text, stripped = strip_illegal(flat(value))
    if stripped:
        problems.append(f"{doc_id}: {col}: control characters removed (Excel cannot hold them)")
    if len(text) > EXCEL_CELL_LIMIT:
        problems.append(
            f"{doc_id}: {col}: {len(text)} characters truncated to the Excel cell limit "
            f"of {EXCEL_CELL_LIMIT}"
        )
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    return text


# The first sheet, for people: (field, label, width, wrapped); "format" and the reasons are
# made from the record, "url" is the original address (the link of each row).
_READABLE: tuple[tuple[str, str, int, bool], ...] = (
    ("title", N_("Title"), 60, True), ("type", N_("Type"), 22, True),
    ("partner", N_("Partner"), 22, True), ("year", N_("Year"), 7, False),
    ("date", N_("Date"), 12, False), ("pages", N_("Pages"), 8, False),
    ("format", N_("Format"), 13, True), ("url", N_("Address"), 40, False),
    ("region", N_("Voivodeship"), 16, True), ("status", N_("Status"), 14, True),
    ("size_bytes", N_("Size"), 10, False), ("tag_reasons", N_("Why it is described so"), 60, True),
)  # fmt: skip
_TYPE_ORDER = {code: i for i, code in enumerate(DOCUMENT_TYPES)}


def reading_order(records: Sequence[Mapping]) -> list[Mapping]:
    """By type (in the project's order of types), then newest first, undated last, by title."""

    def key(record: Mapping) -> tuple:
        when = str(record.get("date") or record.get("year") or "")
        return (
            _TYPE_ORDER.get(str(record.get("type")), len(_TYPE_ORDER)),
            not when,
            tuple(-ord(c) for c in when),
            str(record.get("title") or "").casefold(),
        )

    return sorted(records, key=key)


def _readable_value(
    col: str, record: Mapping, lang: str, partner_names: Mapping[str, str]
) -> object:
    value = record.get(col)
    if col == "partner":
        return partner_label(record, partner_names)
    if col == "type":
        return type_label(str(value or "other"), lang)
    if col == "status":
        return status_label(str(value or ""), lang)
    if col == "format":
        return format_label(record, lang)
    if col == "size_bytes":
        return human_size(value, lang)
    if col == "tag_reasons":
        return "\n".join(
            f"{field_label(k, lang)}: {v}"
            for k, v in record_reasons(record, lang, partner_names).items()
        )
    if col == "date" and isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _http(value: object) -> str | None:
    text = str(value or "")
    linkable = text.startswith(("http://", "https://")) and len(text) <= EXCEL_URL_LIMIT
    return text if linkable else None


def _write_readable(
    sheet,
    records: Sequence[Mapping],
    lang: str,
    problems: list[str],
    in_order: bool = False,
    partner_names: Mapping[str, str] | None = None,
) -> None:
    """The sheet a director reads and prints: Polish headers, labels for codes, partners by
    name, one row per document in reading order (`in_order`: as given, e.g. a search's best
    first), the title linking to the document, wrapped where long."""
    gettext = translations(lang).gettext
    sheet.append([gettext(label) for _, label, _, _ in _READABLE])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row_number, record in enumerate(
        records if in_order else reading_order(records), start=2
    ):
        doc_id = _doc_id(record)
        link = _http(record.get("url"))
        for col_number, (col, _, _, wrapped) in enumerate(_READABLE, start=1):
            value = _readable_value(col, record, lang, partner_names or {})
            if not isinstance(value, int | datetime.date) or isinstance(value, bool):
                value = _cell_value(col, value, doc_id, problems)
            cell = sheet.cell(row=row_number, column=col_number, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if isinstance(value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
            cell.alignment = Alignment(vertical="top", wrap_text=wrapped)
            if col in ("title", "url") and link:
                cell.hyperlink = link
                cell.font = Font(color="0563C1", underline="single")
    lay_out_for_print(sheet, [width for _, _, width, _ in _READABLE], len(records))


def lay_out_for_print(sheet, widths: Sequence[float], rows: int) -> None:
    """A director's sheet: readable column widths; the header row frozen, filtered and printed
    on every page; landscape A4, one page wide."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(1, rows + 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_xlsx(
    records: Sequence[Mapping],
    out: BinaryIO,
    *,
    title: str,
    lang: str = DEFAULT_LANGUAGE,
    in_order: bool = False,
    partner_names: Mapping[str, str] | None = None,
) -> ExportReport:
    """Sheet "Dokumenty" for people (see `_write_readable`; `in_order` keeps the records'
    order there instead of type then date; partners named by `partner_names`); sheet "Katalog"
    for scripts: every field under its stable name, codes as codes, frozen header, auto-filter,
    URLs as hyperlinks; sheet "Pola" maps field names to Polish labels and Dublin Core."""
    cols = columns(records)
    problems: list[str] = []
    book = Workbook()
    _write_readable(book.active, records, lang, problems, in_order, partner_names)
    book.active.title = translations(lang).gettext(N_("Documents"))
    sheet = book.create_sheet("Katalog")
    sheet.append(cols)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(c) for c in cols]
    for row_number, record in enumerate(records, start=2):
        doc_id = _doc_id(record)
        values = normalize(record, cols)
        for col_number, col in enumerate(cols, start=1):
            value = _cell_value(col, values[col], doc_id, problems)
            cell = sheet.cell(row=row_number, column=col_number, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[col_number - 1] = max(widths[col_number - 1], min(len(value), 60))
            if (
                col in _LINKED
                and isinstance(value, str)
                and value.startswith(("http://", "https://"))
            ):
                if len(value) > EXCEL_URL_LIMIT:
                    problems.append(f"{doc_id}: {col}: URL too long for an Excel hyperlink")
                else:
                    cell.hyperlink = value
                    cell.style = "Hyperlink"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(records) + 1)}"
    fields = book.create_sheet("Pola")
    fields.append(["pole", "etykieta", "Dublin Core"])
    for col in cols:
        fields.append([col, field_label(col, lang, default=""), DUBLIN_CORE.get(col, "")])
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    out.write(buffer.getvalue())
    return ExportReport(written=len(records), problems=tuple(dict.fromkeys(problems)))
