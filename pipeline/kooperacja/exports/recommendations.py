"""The numbered recommendations as a director's sheet: xlsx and CSV with Polish headers (Nr,
Tytuł, Adresaci, Książka, Strona, …) in the reader's language, one row per recommendation in
the order given; JSON and JSON Lines as `recommendations --json` gives the records."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kooperacja.archive.recommendations import recommendations_in
from kooperacja.errors import UsageError
from kooperacja.exports.fields import ExportReport, filter_records, strip_illegal
from kooperacja.exports.tabular import lay_out_for_print
from kooperacja.i18n import DEFAULT_LANGUAGE, N_, translations
from kooperacja.output import open_output
from kooperacja.text import ascii_digits

FORMATS = ("csv", "json", "jsonl", "xlsx")
EXCEL_CELL_LIMIT = 32_767
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# (record field, header message id, xlsx column width, wrapped)
COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("number", N_("No."), 6, False),
    ("title", N_("Title"), 48, True),
    ("addressees", N_("Addressees"), 45, True),
    ("book", N_("Book"), 30, True),
    ("page_label", N_("Page"), 8, False),
    ("page", N_("PDF page"), 8, False),
    ("addressee_kinds", N_("Kinds of addressee"), 24, True),
    ("id", N_("Identifier"), 17, False),
    ("text", N_("Text"), 90, True),
)


def _value(field: str, record: Mapping) -> object:
    value = record.get(field)
    if field == "page_label":  # the printed page (a number as a number), else the PDF's
        return int(value) if ascii_digits(str(value or "")) else value or record.get("page")
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))
    return "" if value is None else value


def headers(lang: str) -> list[str]:
    gettext = translations(lang).gettext
    return [gettext(label) for _, label, _, _ in COLUMNS]


def write_recommendations(
    records: Sequence[Mapping],
    fmt: str,
    out: BinaryIO,
    *,
    excel: bool = False,
    lang: str = DEFAULT_LANGUAGE,
) -> ExportReport:
    """Write `records` (archive/recommendations.py) in `fmt` (FORMATS) to the stream `out`."""
    if fmt == "json":
        out.write(json.dumps(list(records), ensure_ascii=False, indent=2).encode() + b"\n")
        return ExportReport(written=len(records))
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
        return ExportReport(written=len(records))
    if fmt == "csv":
        return _write_csv(records, out, excel, lang)
    if fmt == "xlsx":
        return _write_xlsx(records, out, lang)
    raise UsageError(
        f"--what recommendations: format {fmt!r} is not written for them; choose one of: "
        f"{', '.join(FORMATS)}"
    )


def _write_csv(records: Sequence[Mapping], out: BinaryIO, excel: bool, lang: str) -> ExportReport:
    """UTF-8 with BOM, the sheet's headers; `excel`: ";" and no cell read as a formula."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";" if excel else ",")
    writer.writerow(headers(lang))
    for record in records:
        row = [str(_value(field, record)) for field, _, _, _ in COLUMNS]
        if excel:
            row = ["'" + c if c.startswith(_FORMULA_START) else c for c in row]
        writer.writerow(row)
    out.write(text.getvalue().encode("utf-8-sig"))
    return ExportReport(written=len(records))


def _write_xlsx(records: Sequence[Mapping], out: BinaryIO, lang: str) -> ExportReport:
    """One sheet to read and print: bold wrapped headers, frozen, filtered, A4 landscape."""
    problems: list[str] = []
    book = Workbook()
    sheet = book.active
    sheet.title = translations(lang).gettext(N_("Recommendations"))
    sheet.append(headers(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row_number, record in enumerate(records, start=2):
        for col_number, (field, _, _, wrapped) in enumerate(COLUMNS, start=1):
            value = _value(field, record)
            if isinstance(value, str):
                value = strip_illegal(value)[0]
                if len(value) > EXCEL_CELL_LIMIT:
                    problems.append(f"{record.get('id')}: {field}: cut to {EXCEL_CELL_LIMIT:,}")
                    value = value[:EXCEL_CELL_LIMIT]
            cell = sheet.cell(row=row_number, column=col_number, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = Alignment(vertical="top", wrap_text=wrapped)
    lay_out_for_print(sheet, [width for _, _, width, _ in COLUMNS], len(records))
    book.properties.title = translations(lang).gettext(N_("Recommendations"))
    buffer = io.BytesIO()
    book.save(buffer)
    out.write(buffer.getvalue())
    return ExportReport(written=len(records), problems=tuple(problems))


def export_recommendations(
    archive_dir: Path,
    fmt: str,
    output: Path | None,
    *,
    kind: str | None = None,
    excel: bool = False,
    types: Sequence[str] = (),
    partners: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    statuses: Sequence[str] = (),
    lang: str = DEFAULT_LANGUAGE,
) -> ExportReport:
    """`export --what recommendations`: those addressed to `kind` (all without it), of the
    documents passing the filters, to `output` (stdout without it)."""
    if fmt not in FORMATS:
        write_recommendations([], fmt, io.BytesIO())  # the one-line error naming the formats
    records, _unread = recommendations_in(archive_dir, kind)
    records = filter_records(records, types, partners, year_from, year_to, statuses)
    with open_output(output, binary=fmt == "xlsx") as out:
        return write_recommendations(records, fmt, out, excel=excel, lang=lang)
