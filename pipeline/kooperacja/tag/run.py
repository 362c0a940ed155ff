"""The tag stage's run: every document whose facts (its links, pages, metadata, the rules and
the curator's corrections) changed since it was last tagged, tagged again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from typing import Any

from kooperacja.archive import records
from kooperacja.archive.catalog import Catalog
from kooperacja.archive.rows import Document
from kooperacja.archive.store import pages_of, read_text_file
from kooperacja.config import Config
from kooperacja.models import reasons_data
from kooperacja.progress import Progress, no_progress
from kooperacja.tag.curation import apply_overrides, load_overrides
from kooperacja.tag.rules import rules_from_config
from kooperacja.tag.tagging import TAG_VERSION, TagInput, tag_document


def run_tag(
    config: Config, catalog: Catalog, progress: Progress = no_progress, force: bool = False
) -> dict[str, Any]:
    rules = rules_from_config(config.tagging)
    overrides = load_overrides(config.overrides_path)
    regions = {p.id: p.region for p in config.partners}
    rules_key = _digest([TAG_VERSION, config.tagging, regions])
    changed = 0
    rows = catalog.documents()
    for row in progress(rows, "tag", len(rows)):
        facts = _tag_facts(catalog, row, regions)
        key = _digest([rules_key, _input_key(facts, row), overrides.get(row.doc_id)])
        old = records.tags_of(row)
        if not force and old.get("fingerprint") == key:
            continue
        tag_input = _with_pages(config, facts)
        tags = apply_overrides(tag_document(tag_input, rules), row.doc_id, overrides)
        data = asdict(tags)
        data["reasons"] = dict(tags.reasons)
        data["reason_codes"] = {name: reasons_data(why) for name, why in tags.reason_codes.items()}
        data["partners"] = list(tags.partners)
        data["fingerprint"] = key
        with catalog.transaction():
            catalog.set_tags(row.sha256, data, TAG_VERSION)
        changed += 1
    return {"documents": len(rows), "tagged": changed}


def _tag_facts(catalog: Catalog, row: Document, regions: dict[str, str]) -> TagInput:
    """Everything tagging reads except the page texts, which are read only when tagging runs."""
    urls = catalog.urls_of(row.sha256)
    links = catalog.links_to([u.url for u in urls])
    # The text around each link, with the date of the page it is on ("br." needs its year).
    around = {r.context: catalog.last_modified(r.found_on) for r in links if r.context}
    return TagInput(
        sha256=row.sha256,
        media_type=row.media_type,
        link_texts=tuple(dict.fromkeys(r.link_text for r in links if r.link_text)),
        urls=tuple(u.url for u in urls),
        partners=tuple(catalog.partners_of(row.sha256)),
        partner_regions=regions,
        found_on_texts=tuple(around),
        found_on_dates=tuple(around.values()),
        pdf_metadata=row.pdf_metadata,
        pages=(),
        html_title=row.html_title or "",
        last_modified=next((m for u in urls if (m := catalog.last_modified(u.url))), ""),
    )


def _with_pages(config: Config, facts):
    """The facts with the document's page texts and page sizes, as extract stored them."""
    stored = read_text_file(config.archive_dir, facts.sha256)
    sizes = tuple((float(w), float(h)) for w, h in stored.get("page_sizes", ()))
    return replace(facts, pages=tuple(p.text for p in pages_of(stored)), page_sizes=sizes)


def _input_key(facts: TagInput, row: Document) -> Any:
    # The page texts follow from the document's bytes (its sha256, in `facts`) and the
    # extraction that read them, so a night with nothing new reads no page file.
    return [asdict(facts), row.extract_version, row.text_status, row.pages]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]
