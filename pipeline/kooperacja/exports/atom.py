"""An Atom 1.0 feed (RFC 4287) of catalogued documents, newest first by first_seen."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import BinaryIO

from kooperacja.exports.fields import (
    DUBLIN_CORE,
    ExportReport,
    FileHref,
    columns,
    flat,
    no_file_href,
    normalize,
    rfc3339,
    strip_illegal,
    type_label,
)
from kooperacja.i18n import DEFAULT_LANGUAGE, translations

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
_EPOCH = "1970-01-01T00:00:00Z"
# Fields given as Dublin Core elements inside each entry, besides the Atom ones.
_DC_IN_ENTRY = ("doc_id", "type", "partner", "date", "language", "media_type", "region")


def _qname(term: str) -> str:
    prefix, _, local = term.partition(":")
    return f"{{{DC_NS if prefix == 'dc' else DCTERMS_NS}}}{local}"


def write_atom(
    records: Sequence[Mapping],
    out: BinaryIO,
    *,
    title: str,
    feed_id: str = "urn:kooperacja:catalogue",
    author: str = "Projekt „Kooperacja – efektywna i skuteczna”",
    lang: str = DEFAULT_LANGUAGE,
    file_href: FileHref = no_file_href,
    page_href: FileHref = no_file_href,
    self_href: str = "",
    alternate_href: str = "",
    summaries: Mapping[str, str] | None = None,
    max_entries: int | None = None,
    dublin_core: bool = True,
) -> ExportReport:
    """The feed; each entry links its original URL (alternate) and, where `file_href` gives
    one, its file relative to the feed (enclosure).

    A feed of a search (web/feed.py) also gives: each entry's page on the web (`page_href`:
    then the alternate link, the original URL becoming `via`), the feed's own address
    (`self_href`) and its results page (`alternate_href`), each entry's matching page as its
    summary (`summaries`, doc_id -> HTML), and only the newest `max_entries` entries; without
    the Dublin Core elements (`dublin_core=False`), which feed readers take for the entry's own:
    dc:date, the publication's date, would stand for when the archive got it."""
    _ = translations(lang).gettext
    ET.register_namespace("", ATOM_NS)
    ET.register_namespace("dc", DC_NS)
    ET.register_namespace("dcterms", DCTERMS_NS)
    cols = columns(records)
    problems: list[str] = []

    def text_of(value: object, doc_id: str, col: str) -> str:
        text, stripped = strip_illegal(flat(value))
        if stripped:
            problems.append(f"{doc_id}: {col}: control characters removed (not allowed in XML)")
        return text

    entries = []
    for record in records:
        values = normalize(record, cols)
        doc_id = str(values["doc_id"] or "?")
        updated = rfc3339(values["first_seen"])
        if updated is None:
            problems.append(f"{doc_id}: first_seen: {values['first_seen']!r} is not a date")
        entries.append((updated or _EPOCH, doc_id, values))
    entries.sort(key=lambda e: e[1])  # doc_id ascending among equal times...
    entries.sort(key=lambda e: e[0], reverse=True)  # ...newest first (sort is stable)
    entries = entries[:max_entries] if max_entries is not None else entries

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = strip_illegal(title)[0]
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = entries[0][0] if entries else _EPOCH
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM_NS}}}author"), f"{{{ATOM_NS}}}name").text = author
    ET.SubElement(feed, f"{{{ATOM_NS}}}generator").text = "kooperacja"
    for rel, href, media in (("self", self_href, "application/atom+xml"),
                             ("alternate", alternate_href, "text/html")):  # fmt: skip
        if href:
            ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": rel, "href": href, "type": media})
    for updated, doc_id, values in entries:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        sha = str(values["sha256"] or "")
        if not sha:
            problems.append(f"{doc_id}: sha256: missing, entry id made from doc_id")
        ET.SubElement(entry, f"{{{ATOM_NS}}}id").text = (
            f"urn:sha256:{sha}" if sha else f"urn:kooperacja:{doc_id}"
        )
        ET.SubElement(entry, f"{{{ATOM_NS}}}title").text = (
            text_of(values["title"], doc_id, "title") or doc_id
        )
        ET.SubElement(entry, f"{{{ATOM_NS}}}updated").text = updated
        ET.SubElement(entry, f"{{{ATOM_NS}}}published").text = updated
        partner = text_of(values.get("partner_name") or values["partner"], doc_id, "partner")
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM_NS}}}author"), f"{{{ATOM_NS}}}name").text = (
            partner or author
        )
        url = str(values["url"] or "")
        page = page_href(values)
        if page:
            ET.SubElement(
                entry, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": page, "type": "text/html"}
            )
        if url:
            attrs = {"rel": "via" if page else "alternate", "href": url}
            if values["media_type"]:
                attrs["type"] = str(values["media_type"])
            ET.SubElement(entry, f"{{{ATOM_NS}}}link", attrs)
        href = file_href(values)
        if href:
            attrs = {"rel": "enclosure", "href": href}
            if values["media_type"]:
                attrs["type"] = str(values["media_type"])
            if values["size_bytes"]:
                attrs["length"] = str(values["size_bytes"])
            ET.SubElement(entry, f"{{{ATOM_NS}}}link", attrs)
        doc_type = str(values["type"] or "")
        if doc_type:
            ET.SubElement(
                entry,
                f"{{{ATOM_NS}}}category",
                {"term": doc_type, "label": type_label(doc_type, lang)},
            )
        summary = _("Type: {type}; partner: {partner}; year: {year}").format(
            type=type_label(doc_type, lang) or _("unknown"),
            partner=partner or _("unknown"),
            year=values["year"] if values["year"] is not None else _("none"),
        )
        if summaries and summaries.get(doc_id):
            ET.SubElement(entry, f"{{{ATOM_NS}}}summary", {"type": "html"}).text = text_of(
                summaries[doc_id], doc_id, "summary"
            )
        else:
            ET.SubElement(entry, f"{{{ATOM_NS}}}summary", {"type": "text"}).text = summary
        for col in _DC_IN_ENTRY if dublin_core else ():
            if values[col] not in (None, "", []):
                element = ET.SubElement(entry, _qname(DUBLIN_CORE[col]))
                element.text = text_of(values[col], doc_id, col)
    data = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    out.write(data + b"\n")
    return ExportReport(written=len(entries), problems=tuple(problems))
