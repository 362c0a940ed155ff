"""What people and scripts read: the contract's JSON shapes and the readable forms."""

from __future__ import annotations

from typing import Any

from kooperacja.i18n import DEFAULT_LANGUAGE, format_number, format_stamp, translations
from kooperacja.models import PageText, SearchResult, Snippet


def search_notes(result: SearchResult, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """What a reader should know about a result beyond its hits, in the reader's language."""
    t = translations(lang)
    notes = []
    if result.corrected:
        notes.append(
            t.gettext("Nothing matched as typed; results for: {words}").format(
                words=result.suggestion
            )
        )
    elif result.suggestion:
        notes.append(f"{t.gettext('Did you mean:')} {result.suggestion}")
    if 0 <= result.complete < result.total and result.hits:
        notes.append(
            t.ngettext(
                "{num} document holds all the words; the others only some of them",
                "{num} documents hold all the words; the others only some of them",
                result.complete,
            ).format(num=format_number(result.complete, lang))
        )
    return notes


def format_search(result: SearchResult, color: bool = False, lang: str = DEFAULT_LANGUAGE) -> str:
    from kooperacja.exports.fields import type_label

    t = translations(lang)
    _ = t.gettext
    if not result.hits:
        lines = [_("No results for: {query}").format(query=result.query)]
        if result.suggestion:
            lines.append(f"{_('Did you mean:')} {result.suggestion}")
        return "\n".join(lines)
    found = t.ngettext("{num} document for: {query}", "{num} documents for: {query}", result.total)
    lines = [found.format(num=format_number(result.total, lang), query=result.query)]
    lines += [*search_notes(result, lang), ""]
    for n, hit in enumerate(result.hits, 1):
        gone = f"  [{_('removed from the site').upper()}]" if hit.status == "gone" else ""
        lines.append(f"{n}. {hit.title}{gone}")
        lines.append(
            f"   {type_label(hit.type, lang)} · {', '.join(hit.partners) or hit.partner} · "
            f"{hit.year or _('year unknown')} · {hit.doc_id}"
        )
        for p in hit.pages:
            where = (
                _("p. {label} (PDF page {page})").format(label=p.label, page=p.page)
                if p.label and p.label != str(p.page)
                else _("page {page}").format(page=p.page)
            )
            section = f" — {p.section}" if p.section else ""
            lines.append(f"   {where}{section}")
            lines.append(f"      {_snippet(p.excerpt, color)}")
        if hit.url:
            lines.append(f"   {hit.url}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _snippet(snippet: Snippet, color: bool) -> str:
    """Matched words in bold on a terminal, in [brackets] otherwise."""
    return snippet.marked(str, *(("\x1b[1m", "\x1b[0m") if color else ("[", "]")))


RECORD_ORDER = (
    "doc_id", "title", "type", "partners", "region", "year", "date", "language", "pages",
    "status", "gone_since", "text_status", "text_error", "media_type", "size_bytes", "url",
    "source_urls", "found_on", "first_seen", "last_seen", "local_path", "replaces",
    "replaced_by", "municipality_type",
)  # fmt: skip


def format_record(record: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """The record as `show` prints it: each field's label in `lang`, codes beside labels."""
    from kooperacja.exports.fields import field_label, record_reasons, status_label, type_label

    _ = translations(lang).gettext
    labels = {key: field_label(key, lang) for key in (*RECORD_ORDER, "tag_reasons")}
    width = max(len(label) for label in labels.values())
    lines = []
    for key in RECORD_ORDER:
        value = record.get(key)
        if value in (None, "", []):
            continue
        if key == "type":
            value = f"{type_label(str(value), lang)} ({value})"
        elif key == "status":
            value = f"{status_label(str(value), lang)} ({value})"
        elif key in ("pages", "size_bytes") and isinstance(value, int):
            value = format_number(value, lang)
        elif key in ("first_seen", "last_seen", "gone_since"):
            value = format_stamp(value, lang)
        if isinstance(value, list):
            value = "\n".join([str(value[0])] + [f"{'':>{width}}  {v}" for v in value[1:]])
        lines.append(f"{labels[key]:>{width}}: {value}")
    reasons = record_reasons(record, lang)
    if reasons:
        lines.append(f"{labels['tag_reasons']:>{width}}:")
        lines.extend(
            f"{'':>{width}}  {field_label(k, lang)} ({k}): {v}" for k, v in reasons.items()
        )
    return "\n".join(lines)


def format_page_heading(
    record: dict[str, Any], page: PageText, lang: str = DEFAULT_LANGUAGE
) -> str:
    """`show --page N`'s line on stderr: the title, the page of how many, the printed number."""
    _ = translations(lang).gettext
    heading = _("{title} — page {page} of {pages}").format(
        title=record["title"], page=page.number, pages=record["pages"]
    )
    if page.label:
        heading += " " + _("(printed page {label})").format(label=page.label)
    return heading


def format_update_report(report: dict[str, Any]) -> str:
    lines = []
    partners = report.get("partners", {})
    if partners and all(p.get("unreachable") for p in partners.values()):
        lines.append("no network: none of the partners' sites could be reached; nothing changed")
    for pid, p in partners.items():
        if p.get("unreachable"):
            lines.append(f"{pid}: not reached: {p['unreachable']}")
            continue
        lines.append(
            f"{pid}: {p['documents_new']} new, {p['documents_changed']} changed, "
            f"{p['documents_gone']} gone, {p['documents_unchanged']} unchanged "
            f"({p['pages_fetched']} pages, {p['not_modified']} not modified"
            f"{f', {n} not due a re-check' if (n := p.get('not_rechecked')) else ''}"
            f"{'' if p.get('complete', True) else ', incomplete: nothing marked gone'})"
        )
        for label in ("new", "changed", "gone"):
            if p.get(label):
                lines.append(f"    {label}: {', '.join(p[label])}")
        lines.extend(f"    {failed_link_line(link)}" for link in p.get("failed_links", []))
    files = report.get("files") or {}
    lines.extend(f"archive: {fixed}" for fixed in files.get("repaired", []))
    lines.extend(f"archive: {problem}" for problem in files.get("unrepaired", []))
    if "bytes_downloaded" in report:
        lines.append(
            f"downloaded {report['bytes_downloaded']:,} bytes "
            f"({report.get('document_bytes', 0):,} in documents)"
        )
    ex = report.get("extract")
    if ex and ex["documents"]:
        parts = ", ".join(f"{v} {k}" for k, v in sorted(ex["by_text_status"].items()))
        ocr = f"; {ex['ocr_pages']} pages read by OCR" if ex.get("ocr_pages") else ""
        lines.append(f"extracted {ex['documents']} documents: {parts}{ocr}")
    recs = (ex or {}).get("recommendations") or {}
    if recs.get("found"):
        lines.append(
            f"recommendations: {recs['found']} found in {recs['documents']} documents read"
        )
    if ex and ex.get("ocr_unavailable"):
        lines.append(f"OCR skipped: {ex['ocr_unavailable']}")
    tg = report.get("tag")
    if tg and tg["tagged"]:
        lines.append(f"tagged {tg['tagged']} documents")
    ix = report.get("index")
    if ix:
        verb = "rebuilt index with" if ix.get("rebuilt") else "indexed"
        lines.append(f"{verb} {ix['indexed']} documents ({ix['removed']} removed)")
    if "documents_total" in report:
        lines.append(f"archive: {report['documents_total']} documents")
    return "\n".join(lines)


def failed_link_line(link: dict[str, Any]) -> str:
    """One failing link in words: its URL, the page that links it, why, and how long."""
    nights, limit = link.get("nights", 1), link.get("gone_after_nights", 1)
    doc = f" (document {link['doc_id']})" if link.get("doc_id") else ""
    if nights >= limit:
        when = (
            f"failing for {nights} nights: its document is marked gone"
            if doc
            else (f"failing for {nights} nights")
        )
    else:
        when = f"failing night {nights} of {limit}" + (" before it is marked gone" if doc else "")
    return f"failed link: {link['url']}{doc} on {link['found_on']}: {link['reason']}; {when}"


def run_outcome_lines(run: dict[str, Any] | None) -> list[str]:
    """The last run in words: what ran, when, how it ended, and each failure it met."""
    from kooperacja.runner import report_failures

    if not run:
        return ["last run: never"]
    outcome = {
        "ok": "succeeded",
        "failed_items": "finished, some items failed",
        "archive_problems": "finished, the archive needs repair",
        "interrupted": "did not finish (interrupted or crashed)",
    }.get(str(run.get("outcome")), str(run.get("outcome") or "still running or killed"))
    lines = [
        f"last run: '{run['command']}' started {run['started']}, "
        f"finished {run.get('finished') or '-'}: {outcome}"
    ]
    report = run.get("report") or {}
    partners = report.get("partners", {})
    if partners and all(p.get("unreachable") for p in partners.values()):
        lines.append("  no network: none of the partners' sites could be reached")
    failures = [f"archive: {p}" for p in (report.get("files") or {}).get("unrepaired", [])]
    failures += report_failures(report)
    lines.extend(f"  failed: {f}" for f in failures[:20])
    if len(failures) > 20:
        lines.append(f"  … and {len(failures) - 20} more: 'kooperacja status --json'")
    return lines


def format_status(data: dict[str, Any]) -> str:
    if not data.get("documents"):
        return "\n".join(
            [
                f"archive {data['archive_dir']} is empty: run 'kooperacja update'",
                *run_outcome_lines(data.get("last_run")),
            ]
        )
    ix = data["index"]
    lines = [
        f"archive: {data['archive_dir']}",
        f"documents: {data['documents']} ({data['pages']} pages, {data['bytes']:,} bytes)"
        + (f"; {data['ocr_pages']} pages read by OCR" if data.get("ocr_pages") else ""),
        "status: " + ", ".join(f"{k} {v}" for k, v in sorted(data["by_status"].items())),
        "text: " + ", ".join(f"{k} {v}" for k, v in sorted(data["by_text_status"].items())),
        "types: " + ", ".join(f"{k} {v}" for k, v in sorted(data["by_type"].items())),
        "partners: " + ", ".join(f"{k} {v}" for k, v in sorted(data["by_partner"].items())),
        f"last crawl: {data['last_crawl'] or 'never'}",
        *run_outcome_lines(data.get("last_run")),
        "web archive: {files} WARC files, {bytes:,} bytes, {captures} answers kept".format(
            **data["warc"]
        )
        if data.get("warc")
        else "web archive: none yet",
        f"index: {'missing' if not ix['exists'] else ''}"
        + (
            f"schema v{ix['schema_version']}, {ix['documents']} documents, {ix['pages']} pages, "
            f"built {ix['built_at']}"
            + (
                ""
                if ix["up_to_date"]
                else f", {ix['stale_documents']} documents out of date: run 'kooperacja index'"
            )
            if ix["exists"]
            else ": run 'kooperacja index'"
        ),
    ]
    return "\n".join(lines)


def format_changes(data: dict[str, Any]) -> str:
    if not data["changes"]:
        matching = f" matching {data['query']!r}" if data.get("query") else ""
        return f"no changes{matching} since {data['since']}"
    return "\n".join(
        f"{c['at'][:10]}  {c['change']:<11} {c['doc_id'] or '-':<12}  {c['partner'] or '':<14} "
        + (
            f"{c['url']} on {c['found_on']}: {c['detail']}"
            if c["change"] == "link_failed"
            else f"{c['title'] or c['url'] or ''}"
        )
        for c in data["changes"]
    )
