"""Text of office files: Word, PowerPoint and RTF through LibreOffice to PDF (real pages, one
page per slide), spreadsheets through openpyxl (one page per sheet; .xls converted to .xlsx by
LibreOffice first). Why LibreOffice rather than antiword/catdoc/catppt: bench/office_quality.py.

LibreOffice runs headless with a profile of its own per conversion (two workers never share one)
under coreutils' `timeout`, so a hung conversion ends even when its worker is killed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kooperacja.extract.textrepair import repair_page_text
from kooperacja.filetypes import DOC, DOCX, ODT, PPT, PPTX, RTF, XLS, XLSX
from kooperacja.models import PageText

TO_PDF = {DOC: "doc", RTF: "rtf", PPT: "ppt", PPTX: "pptx", DOCX: "docx", ODT: "odt"}
SPREADSHEETS = {XLS: "xls", XLSX: "xlsx"}
# The import filter is named, or LibreOffice reads a damaged file as plain text and "converts"
# its bytes: a failure must be a failure.
IMPORT_FILTERS = {
    "doc": "MS Word 97",
    "docx": "MS Word 2007 XML",
    "odt": "writer8",
    "rtf": "Rich Text Format",
    "ppt": "MS PowerPoint 97",
    "pptx": "Impress MS PowerPoint 2007 XML",
    "xls": "MS Excel 97",
}
MAX_CELLS = 500_000  # per workbook: a sheet of formulas copied down a million rows is not text


class OfficeError(Exception):
    """An office file that could not be converted; the message is the reason shown."""


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, suffix: str, fmt: str, out_dir: Path, seconds: float) -> Path:
    """Convert `path` (read as a .`suffix` file) to `fmt` in `out_dir` with LibreOffice."""
    exe = libreoffice()
    if exe is None:
        raise OfficeError("LibreOffice is not installed: run scripts/sysdeps.sh")
    source = out_dir / f"document.{suffix}"
    try:
        source.symlink_to(path.resolve())
    except OSError:
        shutil.copyfile(path, source)
    command = [
        "timeout",
        "--kill-after=5",
        str(max(1, int(seconds))),
        exe,
        f"-env:UserInstallation=file://{out_dir / 'profile'}",
        "--headless",
        "--norestore",
        f"--infilter={IMPORT_FILTERS[suffix]}",
        "--convert-to",
        fmt,
        "--outdir",
        str(out_dir / "out"),
        str(source),
    ]
    done = subprocess.run(command, capture_output=True, check=False)
    made = out_dir / "out" / f"document.{fmt}"
    if done.returncode in (124, 137):
        raise OfficeError(f"LibreOffice took over {seconds:g}s converting it to {fmt}")
    if not made.exists() or made.stat().st_size == 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise OfficeError(f"LibreOffice could not read it as .{suffix}: {why[0][:150]}")
    return made


def office_to_pdf(path: Path, media_type: str, work: Path, seconds: float) -> Path:
    return convert(path, TO_PDF[media_type], "pdf", work, seconds)


def spreadsheet_pages(path: Path, media_type: str, work: Path, seconds: float) -> list[PageText]:
    """One page per sheet: its rows, cells separated by tabs; the sheet name is the section."""
    from openpyxl import load_workbook

    if media_type == XLS:
        path = convert(path, "xls", "xlsx", work, seconds)
    book = load_workbook(path, read_only=True, data_only=True)
    pages: list[PageText] = []
    cells = 0
    try:
        for number, sheet in enumerate(book.worksheets, 1):
            lines = []
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    raise OfficeError(f"over {MAX_CELLS:,} cells: not read as text")
                values = [str(v).strip() for v in row if v is not None and str(v).strip()]
                if values:
                    lines.append("\t".join(values))
            text = repair_page_text("\n".join(lines), is_word=None)
            pages.append(PageText(number=number, text=text, section=sheet.title))
    finally:
        book.close()
    return pages
