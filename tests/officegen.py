"""Real office files with Polish text, written by LibreOffice in the test session.

Each document is described as Flat ODF (one XML file), which `soffice --headless --convert-to`
turns into .doc, .docx, .rtf (text), .ppt, .pptx (slides) or .xls, .xlsx (sheets): the bytes are
LibreOffice's own export filters' output, as a partner's office program would write them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)
KINDS = {"doc": "text", "docx": "text", "rtf": "text", "odt": "text"}
KINDS.update({"ppt": "presentation", "pptx": "presentation", "odp": "presentation"})
KINDS.update({"xls": "spreadsheet", "xlsx": "spreadsheet", "ods": "spreadsheet"})
SOURCE_SUFFIX = {"text": ".fodt", "presentation": ".fodp", "spreadsheet": ".fods"}
FILTERS = {"doc": "doc:MS Word 97", "ppt": "ppt:MS PowerPoint 97", "xls": "xls:MS Excel 97"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _document(kind: str, body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.{kind}">'
        f"<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document>"
    )


def flat_text(pages: Sequence[str]) -> str:
    """Paragraphs (one per line); each string after the first starts on a new page."""
    styles = (
        '<office:automatic-styles><style:style style:name="Brk" style:family="paragraph">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        "</office:automatic-styles>"
    )
    paras = []
    for i, page in enumerate(pages):
        for j, line in enumerate(page.splitlines()):
            style = ' text:style-name="Brk"' if i and not j else ""
            paras.append(f"<text:p{style}>{escape(line)}</text:p>")
    return _document("text", "".join(paras)).replace("<office:body>", styles + "<office:body>")


def flat_presentation(slides: Sequence[str]) -> str:
    """One slide per string: its first line as the title box, the rest as the body box."""
    out = []
    for n, slide in enumerate(slides, 1):
        title, *rest = slide.splitlines() or [""]
        body = "".join(f"<text:p>{escape(line)}</text:p>" for line in rest)
        out.append(
            f'<draw:page draw:name="slajd{n}">'
            '<draw:frame svg:x="1cm" svg:y="1cm" svg:width="26cm" svg:height="3cm">'
            f"<draw:text-box><text:p>{escape(title)}</text:p></draw:text-box></draw:frame>"
            '<draw:frame svg:x="1cm" svg:y="5cm" svg:width="26cm" svg:height="13cm">'
            f"<draw:text-box>{body}</draw:text-box></draw:frame></draw:page>"
        )
    return _document("presentation", "".join(out))


def flat_spreadsheet(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> str:
    """Named sheets of rows of cells (numbers stay text: what matters here is the words)."""
    out = []
    for name, rows in sheets:
        cells = "".join(
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p>'
                "</table:table-cell>"
                for c in row
            )
            + "</table:table-row>"
            for row in rows
        )
        out.append(f'<table:table table:name="{escape(name)}">{cells}</table:table>')
    return _document("spreadsheet", "".join(out))


def convert(source: Path, fmt: str, out_dir: Path, timeout: float = 120) -> Path:
    """Convert one Flat ODF file with LibreOffice (its own profile, so runs never collide)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run scripts/sysdeps.sh")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                FILTERS.get(fmt, fmt),
                "--outdir",
                str(out_dir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    made = out_dir / f"{source.stem}.{fmt}"
    if not made.exists():
        raise RuntimeError(f"LibreOffice wrote no {made.name}")
    return made


# The files LibreOffice wrote in this test run, by format and document: each conversion starts
# LibreOffice anew (seconds), and the tests ask for the same documents more than once.
_WRITTEN: dict[tuple[str, str], bytes] = {}


def make_office_file(path: Path, content: Sequence) -> Path:
    """Write `path` (its suffix picks the format) from pages, slides or (name, rows) sheets."""
    fmt = path.suffix.lstrip(".").lower()
    kind = KINDS[fmt]
    xml = {"text": flat_text, "presentation": flat_presentation}.get(kind, flat_spreadsheet)(
        content
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if (fmt, xml) not in _WRITTEN:
        with tempfile.TemporaryDirectory(prefix="officegen-") as tmp:
            source = Path(tmp) / ("plik" + SOURCE_SUFFIX[kind])
            source.write_text(xml, encoding="utf-8")
            _WRITTEN[(fmt, xml)] = convert(source, fmt, Path(tmp) / "out").read_bytes()
    path.write_bytes(_WRITTEN[(fmt, xml)])
    return path
