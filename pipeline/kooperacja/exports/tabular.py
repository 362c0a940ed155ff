"""CSV, JSON, JSON Lines and Excel exports of catalogue records."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kooperacja.exports.fields import (
    DUBLIN_CORE,
    ExportReport,
    columns,
    field_label,
    flat,
    normalize,
    strip_illegal,
)
from kooperacja.i18n import DEFAULT_LANGUAGE

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


def write_xlsx(
    records: Sequence[Mapping], out: BinaryIO, *, title: str, lang: str = DEFAULT_LANGUAGE
) -> ExportReport:
    """One sheet "Katalog": frozen header, auto-filter, URLs as hyperlinks; sheet "Pola" maps
    field names to Polish labels and Dublin Core."""
    cols = columns(records)
    problems: list[str] = []
    book = Workbook()
    sheet = book.active
    sheet.title = "Katalog"
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
    return ExportReport(written=len(records), problems=tuple(problems))
