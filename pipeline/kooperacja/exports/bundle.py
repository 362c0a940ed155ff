"""A bundle: the documents under readable names plus catalogue, checksums and a README.

Handed to directors and other centres on a stick or by mail; verifiable with
`sha256sum -c MANIFEST-SHA256.txt`. A folder, or a .zip when `dest` ends with ".zip".
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from kooperacja.errors import UsageError
from kooperacja.exports.fields import (
    DUBLIN_CORE,
    ExportReport,
    columns,
    field_label,
    normalize,
)
from kooperacja.exports.tabular import write_csv, write_json
from kooperacja.titles import ascii_slug

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
    records: Sequence[Mapping], archive_dir: Path, dest: Path, warcs: Sequence[Path] = ()
) -> ExportReport:
    """Write the bundle; records whose file is missing or changed are named in `problems`.
    `warcs` (WARC files of the archive) go into `warc/` under their own names."""
    dest = Path(dest)
    as_zip = dest.suffix.lower() == ".zip"
    if not as_zip and dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{dest}: bundle folder exists and is not empty; choose a new folder")
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
    documents = len(files) - len(warcs)
    extras["README.txt"] = _readme(documents, len(records) - documents, len(warcs)).encode("utf-8")
    for name, data in extras.items():
        hashes[name] = hashlib.sha256(data).hexdigest()
    manifest = "".join(f"{hashes[n]}  {n}\n" for n in sorted(hashes)).encode("utf-8")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if as_zip:
        _write_zip(dest, files, extras, manifest)
    else:
        _write_folder(dest, files, extras, manifest)
    return ExportReport(written=len(files) - len(warcs), problems=tuple(problems))


def _write_zip(
    dest: Path, files: list[tuple[str, Path]], extras: dict[str, bytes], manifest: bytes
) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}-", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, source in files:
                archive.write(source, name)
            for name, data in extras.items():
                archive.writestr(name, data)
            archive.writestr("MANIFEST-SHA256.txt", manifest)
        os.replace(tmp, dest)  # readers never see half a zip
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_folder(
    dest: Path, files: list[tuple[str, Path]], extras: dict[str, bytes], manifest: bytes
) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        (tmp / DOCUMENTS_DIR).mkdir()
        (tmp / WARC_DIR).mkdir()
        for name, source in files:
            shutil.copyfile(source, tmp / name)
        for name, data in {**extras, "MANIFEST-SHA256.txt": manifest}.items():
            (tmp / name).write_bytes(data)
        if dest.exists():
            dest.rmdir()  # checked empty above
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
