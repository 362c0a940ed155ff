"""A bundle: the documents under readable names plus catalogue, checksums and a README.

Handed to directors and other centres on a stick or by mail; verifiable with
`sha256sum -c MANIFEST-SHA256.txt`. A folder, or a .zip when `dest` ends with ".zip".
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kooperacja.exports.atom import write_atom
from kooperacja.exports.fields import (
    DEFAULT_TITLE,
    DUBLIN_CORE,
    ExportReport,
    bundle_file_href,
    columns,
    field_label,
    normalize,
)
from kooperacja.exports.html import write_html
from kooperacja.exports.tabular import write_csv, write_json
from kooperacja.output import (
    STDOUT,
    OutputError,
    is_stdout,
    is_stream,
    new_folder_mode,
    open_output,
    prepare_place,
    resolve_output,
)
from kooperacja.text import ascii_slug

DOCUMENTS_DIR = "dokumenty"
WARC_DIR = "warc"
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}
_CHUNK = 1 << 20


def bundle_name(record: Mapping) -> str:
    """ "2021_recommendations_ksiega-rekomendacyjna_3f2a9c01b7de.pdf": sortable, ASCII, unique."""
    year = record.get("year")
    media = str(record.get("media_type") or "").split(";")[0].strip().lower()
    suffix = PurePosixPath(str(record.get("local_path") or "")).suffix.lower()
    ext = _EXTENSIONS.get(media) or suffix or ".bin"
    parts = [
        str(year) if isinstance(year, int) else "bez-roku",
        ascii_slug(str(record.get("type") or "other")) or "other",
        ascii_slug(str(record.get("title") or ""), max_len=60) or "bez-tytulu",
        str(record.get("doc_id") or hashlib.sha256(repr(record).encode()).hexdigest()[:12]),
    ]
    return "_".join(parts) + ext


def _readme(count: int, missing: int, warcs: int) -> str:
    mapping = "\n".join(
        f"  {field:<13} {field_label(field, default=''):<22} {DUBLIN_CORE.get(field) or '-'}"
        for field in DUBLIN_CORE
    )
    return f"""Publikacje projektu „Kooperacja – efektywna i skuteczna”
==========================================================

Zawartość paczki
- {DOCUMENTS_DIR}/        dokumenty ({count}); nazwa pliku: rok_rodzaj_tytuł_identyfikator
- {WARC_DIR}/             strony i pliki partnerów tak, jak serwery je wysłały ({warcs} plików WARC;
                    odtwarzanie: pywb lub inne narzędzie WARC)
- catalogue.json    katalog (UTF-8, JSON)
- catalogue.csv     katalog dla Excela (UTF-8 z BOM, separator: średnik ;)
- catalogue.html    katalog do przeglądania; tytuły prowadzą do plików w {DOCUMENTS_DIR}/
- catalogue.atom    katalog jako kanał Atom
- MANIFEST-SHA256.txt  sumy kontrolne SHA-256 wszystkich plików
- README.txt        ten plik

Sprawdzenie kompletności: sha256sum -c MANIFEST-SHA256.txt
Dokumentów, których brakowało w archiwum: {missing} (w katalogu mają pusty bundle_path).

Pola katalogu (pole, etykieta, odpowiednik Dublin Core):
{mapping}
  bundle_path   Plik w paczce          -

Listy w CSV są rozdzielone znakami " | ", uzasadnienia opisu zapisane jako "pole: powód; ...".
"""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def export_bundle(
    records: Sequence[Mapping],
    archive_dir: Path,
    dest: Path | str | None,
    warcs: Sequence[Path] = (),
) -> ExportReport:
    """Write the bundle; records whose file is missing or changed are named in `problems`.
    `warcs` (WARC files of the archive) go into `warc/` under their own names.

    `dest` ending in ".zip" (or "-", a device or a FIFO) gets a zip by the rules of
    `kooperacja.output`; otherwise a new or empty folder (a link to one is followed)."""
    given = Path(str(dest or STDOUT))
    as_zip = is_stdout(dest) or given.suffix.lower() == ".zip" or is_stream(given)
    if as_zip:
        folder = given  # open_output checks it
    else:
        prepare_place(given, given, folder_ok=True)  # a name too long, say: one line, exit 2
        folder = resolve_output(given)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise OutputError(
                f"cannot write {given}: it exists and is not an empty folder; choose a new folder"
                " (or a name ending in .zip)"
            )
        prepare_place(given, folder, folder_ok=True)
    problems: list[str] = []
    files: list[tuple[str, Path]] = []  # (name in bundle, source in archive)
    catalogue: list[dict] = []
    cols = columns(records)
    for record in records:
        values = normalize(record, cols)
        doc_id = str(values["doc_id"] or "?")
        local = str(values["local_path"] or "")
        source = Path(archive_dir) / local if local else None
        if source is None or not source.is_file():
            problems.append(f"{doc_id}: local_path: {local or '(empty)'} not found in the archive")
            values["bundle_path"] = ""
        else:
            name = f"{DOCUMENTS_DIR}/{bundle_name(values)}"
            if any(name == taken for taken, _ in files):
                problems.append(f"{doc_id}: doc_id: listed twice, bundled once")
                continue
            files.append((name, source))
            values["bundle_path"] = name
        catalogue.append(values)
    hashes: dict[str, str] = {}
    for (name, source), values in zip(
        files, (v for v in catalogue if v["bundle_path"]), strict=True
    ):
        hashes[name] = _sha256_file(source)
        expected = str(values["sha256"] or "")
        html = str(values["media_type"] or "").startswith("text/html")  # id hashes its text
        if expected and not html and hashes[name] != expected:
            problems.append(f"{values['doc_id']}: sha256: archived file differs from the catalogue")
    for warc in warcs:
        name = f"{WARC_DIR}/{warc.name}"
        files.append((name, warc))
        hashes[name] = _sha256_file(warc)
    extras: dict[str, bytes] = {}
    buffer = io.BytesIO()
    write_json(catalogue, buffer)
    extras["catalogue.json"] = buffer.getvalue()
    buffer = io.BytesIO()
    write_csv(catalogue, buffer, excel=True)
    extras["catalogue.csv"] = buffer.getvalue()
    buffer = io.BytesIO()
    write_html(catalogue, buffer, title=DEFAULT_TITLE, file_href=bundle_file_href)
    extras["catalogue.html"] = buffer.getvalue()
    buffer = io.BytesIO()
    write_atom(catalogue, buffer, title=DEFAULT_TITLE, file_href=bundle_file_href)
    extras["catalogue.atom"] = buffer.getvalue()
    documents = len(files) - len(warcs)
    extras["README.txt"] = _readme(documents, len(records) - documents, len(warcs)).encode("utf-8")
    for name, data in extras.items():
        hashes[name] = hashlib.sha256(data).hexdigest()
    manifest = "".join(f"{hashes[n]}  {n}\n" for n in sorted(hashes)).encode("utf-8")
    if as_zip:
        with open_output(dest, binary=True) as out:
            _write_zip(out, files, extras, manifest)
    else:
        _write_folder(given, folder, files, extras, manifest)
    return ExportReport(written=len(files) - len(warcs), problems=tuple(problems))


def _write_zip(
    out: BinaryIO, files: list[tuple[str, Path]], extras: dict[str, bytes], manifest: bytes
) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, source in files:
            archive.write(source, name)
        for name, data in extras.items():
            archive.writestr(name, data)
        archive.writestr("MANIFEST-SHA256.txt", manifest)


def _write_folder(
    given: Path,
    dest: Path,
    files: list[tuple[str, Path]],
    extras: dict[str, bytes],
    manifest: bytes,
) -> None:
    """Fill a temporary folder beside `dest`, then rename it into place: readers never see half
    a bundle, and a failure leaves nothing behind."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    except OSError as exc:
        raise OutputError(f"cannot write {given}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        # mkdtemp makes a private folder (0700); the bundle is meant to be handed on: the
        # permissions of the empty folder it replaces, or those of a new folder.
        os.chmod(tmp, stat.S_IMODE(dest.stat().st_mode) if dest.is_dir() else new_folder_mode())
        (tmp / DOCUMENTS_DIR).mkdir()
        (tmp / WARC_DIR).mkdir()
        for name, source in files:
            shutil.copyfile(source, tmp / name)
        for name, data in {**extras, "MANIFEST-SHA256.txt": manifest}.items():
            (tmp / name).write_bytes(data)
        if dest.exists():
            dest.rmdir()  # checked empty above
        os.replace(tmp, dest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.filename is not None and not str(exc.filename).startswith(str(tmp)):
            raise  # reading the archive failed, not writing the bundle
        raise OutputError(f"cannot write {given}: {(exc.strerror or str(exc)).lower()}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
