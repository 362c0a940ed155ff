"""Tagging: title, type, partner, region, year/date, language, municipality type of a document.

`tag_document` is pure: everything it knows comes in a `TagInput` (built by the runner from the
catalogue, the extracted text and the linking pages) and every tag comes back with a reason a
person can read, so a wrong tag can be traced to the rule that gave it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from kooperacja.dates import (
    FoundDate,
    cover_year,
    find_dates,
    parse_http_date,
    parse_pdf_date,
)
from kooperacja.models import VIDEO_MEDIA, Reason, reasons_text
from kooperacja.tag.rules import TagRules, TypeRule
from kooperacja.tag.titles import (
    clean_link_text,
    filename_from_url,
    heading_from_page,
    humanize_filename,
    is_generic_link_text,
    junk_title_why,
    looks_like_filename,
    normalize_space,
    repair_metadata_string,
)
from kooperacja.text import LANGUAGE_CUES, fold_key, has_polish_letters, words

# Bump whenever rules or code change what tag_document returns: the runner re-tags on a change.
TAG_VERSION = 3  # v2: films; an article's printed date and heading; v3: reasons as codes

MUNICIPALITY_TYPES: tuple[str, ...] = ("gminy wiejskie", "gminy miejsko-wiejskie", "gminy miejskie")
UNTITLED = "(bez tytułu)"


@dataclass(frozen=True)
class TagInput:
    sha256: str
    media_type: str  # application/pdf, text/html, application/msword, ...
    link_texts: tuple[str, ...]  # texts of every <a> that linked the document (may be empty)
    urls: tuple[str, ...]  # every URL it was found at
    partners: tuple[str, ...]  # partner ids that linked it, in first-seen order
    partner_regions: Mapping[str, str]  # partner id -> województwo (from config)
    found_on_texts: tuple[str, ...]  # text around each link to it on the pages that linked it
    pdf_metadata: Mapping[str, str]  # /Title, /Author, /CreationDate, ... raw, may be junk
    pages: tuple[str, ...]  # page texts ("" for none); for HTML: its main text as one page
    html_title: str = ""  # <title>/<h1> for HTML documents
    last_modified: str = ""  # HTTP Last-Modified if any
    # (width, height) per page, to spot landscape slides, and the Last-Modified of the page each
    # of found_on_texts is on, which gives "br." (bieżącego roku) on that page its year.
    page_sizes: tuple[tuple[float, float], ...] = ()
    found_on_dates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tags:
    title: str
    type: str
    partner: str
    partners: tuple[str, ...]
    region: str
    year: int | None
    date: str | None  # ISO yyyy-mm-dd, or yyyy-mm when only the month is known
    language: str  # "pl", "en", "de"; "und" when there is no text to judge by
    pages: int
    municipality_type: str  # one of MUNICIPALITY_TYPES or ""
    reasons: Mapping[str, str] = field(default_factory=dict)  # field -> why, in English
    # field -> why, as message codes with parameters (shown in the reader's language)
    reason_codes: Mapping[str, tuple[Reason, ...]] = field(default_factory=dict)


def _is_html(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml")


# --- title -------------------------------------------------------------------------------------


Why = tuple[Reason, ...]


def _why(code: str, **params: object) -> Why:
    return (Reason(code, params),)


def _link_title(inp: TagInput, rules: TagRules) -> tuple[str, Why] | None:
    cleaned = [clean_link_text(t) for t in inp.link_texts]
    usable = [
        t
        for t in cleaned
        if t
        and not is_generic_link_text(t, rules.generic_link_texts)
        and not looks_like_filename(t)
    ]
    if not usable:
        return None
    # The wording most partners used wins; among equals the fuller one.
    counts = Counter(fold_key(t) for t in usable)
    best = max(usable, key=lambda t: (counts[fold_key(t)], len(t)))
    n = len(inp.link_texts)
    if n == 1:
        return best, _why("title.link_text")
    return best, _why("title.link_text_of", count=counts[fold_key(best)], total=n)


def _title(inp: TagInput, rules: TagRules) -> tuple[str, Why]:
    first_page = inp.pages[0] if inp.pages else ""
    if _is_html(inp.media_type):
        html_title = normalize_space(inp.html_title.split(" | ")[0])
        if html_title:
            return html_title, _why("title.html_title")
        heading = heading_from_page(first_page, rules.heading_skip, rules.heading_stop)
        if heading:
            return heading, _why("title.page_lines")
        return UNTITLED, _why("title.none")
    link = _link_title(inp, rules)
    if link:
        return link
    rejected: Why = ()
    raw_title = inp.pdf_metadata.get("/Title", "") or ""
    if raw_title.strip():
        title = repair_metadata_string(raw_title)
        junk = junk_title_why(title, rules.junk_titles)
        if junk is None:
            return title, _why("title.pdf_title")
        rejected = _why("title.pdf_title_rejected", title=title[:60], why=junk)
    heading = heading_from_page(first_page, rules.heading_skip, rules.heading_stop)
    if sum(c.isalpha() for c in heading) >= 3:
        return heading, _why("title.heading") + rejected
    names = [clean_link_text(t) for t in inp.link_texts if looks_like_filename(clean_link_text(t))]
    names += [filename_from_url(u) for u in inp.urls if filename_from_url(u)]
    if names:
        return humanize_filename(names[0]), _why("title.file_name") + rejected
    return UNTITLED, _why("title.none") + rejected


# --- type --------------------------------------------------------------------------------------


def _match(rule: TypeRule, text: str, where: str, **params: object) -> Why:
    """The keyword or pattern of `rule` found in `text` (said to be `where`), or ()."""
    folded = fold_key(text)
    for keyword in rule.keywords:
        if keyword in folded:
            return _why(f"type.keyword_{where}", keyword=keyword, **params)
    for pattern in rule.patterns:
        if pattern.search(text) or pattern.search(folded):
            return _why(f"type.pattern_{where}", pattern=pattern.pattern, **params)
    return ()


def _type(inp: TagInput, rules: TagRules, title: str) -> tuple[str, Why]:
    if _is_html(inp.media_type):
        return "news", _why("type.html")
    if inp.media_type == VIDEO_MEDIA:
        return "video", _why("type.film")
    labelled = [(title, "title")] + [
        (clean_link_text(t), "link") for t in inp.link_texts if t.strip()
    ]
    for rule in rules.types:
        for text, where in labelled:
            hit = _match(rule, text, where)
            if hit:
                return rule.type, hit
    creator = f"{inp.pdf_metadata.get('/Creator', '')} {inp.pdf_metadata.get('/Producer', '')}"
    if re.search(r"powerpoint|impress|keynote", creator, re.IGNORECASE):
        return "presentation", _why("type.made_with", creator=normalize_space(creator)[:60])
    landscape = sum(1 for w, h in inp.page_sizes if w > h * 1.1)
    if inp.page_sizes and landscape * 2 > len(inp.page_sizes):
        pages = len(inp.page_sizes)
        return "presentation", _why("type.landscape", landscape=landscape, pages=pages)
    for number, page in enumerate(inp.pages[: rules.first_pages], start=1):
        for rule in rules.types:
            hit = _match(rule, page, "page", page=number)
            if hit:
                return rule.type, hit
    return "other", _why("type.none")


# --- dates -------------------------------------------------------------------------------------

_RE_DATE_LINE_REST = re.compile(r"^[\W\d]*(?:[A-ZĄĆĘŁŃÓŚŹŻ][\w\-]*(?: [\w\-]+){0,2},?)?\s*$")


def _cover_dates(page: str) -> list[FoundDate]:
    """Dates on lines that are only a date, "Place, date" or "Place YYYY" (covers, letters)."""
    found: list[FoundDate] = []
    for line in page.splitlines():
        line = normalize_space(line)
        if not line or len(line) > 60:
            continue
        year = cover_year(line)
        if year is not None:
            found.append(FoundDate(year, None, None, line))
            continue
        for d in find_dates(line):
            rest = (line[: d.start] + line[d.end :]).replace("dnia", "").replace("w dniu", "")
            if _RE_DATE_LINE_REST.match(rest.strip()):
                found.append(d)
                break
    return found


def _page_year(inp: TagInput, index: int) -> int | None:
    if index < len(inp.found_on_dates):
        known = parse_http_date(inp.found_on_dates[index])
        if known:
            return known.year
    return None


def _near_link(inp: TagInput, texts: list[str]) -> tuple[FoundDate, Why] | None:
    """A date on the line of the linking page that carries the link, else the page's lead date."""
    keys = [fold_key(t) for t in texts if len(t) >= 4]
    lead: tuple[FoundDate, Why] | None = None
    for index, page in enumerate(inp.found_on_texts):
        year = _page_year(inp, index)
        for line in page.splitlines():
            if keys and any(k in fold_key(line) for k in keys):
                dates = find_dates(line, year)
                if dates:
                    return dates[0], _why("date.beside_link", date=dates[0].text)
        head = find_dates(page[:400], year)
        # A page whose dates span several years is a collection (a project page listing
        # downloads over years): its lead date says nothing about each document on it.
        if head and lead is None and len({d.year for d in find_dates(page, year)}) == 1:
            lead = head[0], _why("date.linking_page_top", date=head[0].text)
    return lead


def _modified(inp: TagInput, when: FoundDate) -> Why:
    return _why("date.last_modified", header=inp.last_modified, when=when.iso)


def _date(inp: TagInput, rules: TagRules, title: str) -> tuple[FoundDate | None, Why]:
    first_page = inp.pages[0] if inp.pages else ""
    modified = parse_http_date(inp.last_modified)
    if _is_html(inp.media_type):
        printed = parse_http_date(inp.pdf_metadata.get("article_date", ""))
        if printed:
            shown = inp.pdf_metadata.get("article_date_text") or printed.iso
            return printed, _why("date.article", date=shown)
        year = modified.year if modified else None
        dates = find_dates(title, year) or find_dates(first_page[:600], year)
        if dates:
            return dates[0], _why("date.page_top", date=dates[0].text)
        dates = find_dates(first_page, year)
        if dates:
            return dates[0], _why("date.page_first", date=dates[0].text)
        if modified:
            return modified, _modified(inp, modified)
        return None, _why("date.none")
    texts = [title] + [clean_link_text(t) for t in inp.link_texts]
    for index, text in enumerate(texts):
        where = "title" if index == 0 else "link"
        dates = find_dates(text)
        if dates:
            return dates[0], _why(f"date.in_{where}", date=dates[0].text)
        for group in re.findall(r"\(([^()]{4,40})\)", text):
            year = cover_year(group)
            if year is not None:
                found = FoundDate(year, None, None, group)
                return found, _why(f"date.year_in_{where}", date=group)
    meta = parse_pdf_date(inp.pdf_metadata.get("/CreationDate", "")) or parse_pdf_date(
        inp.pdf_metadata.get("/ModDate", "")
    )
    cover = next(iter(_cover_dates(first_page)), None)
    if cover and meta:
        if cover.year != meta.year:
            return cover, _why("date.cover_disagrees", date=cover.text, created=meta.iso)
        if cover.day is not None:
            return cover, _why("date.cover_agrees", date=cover.text)
        return meta, _why("date.created_agrees", created=meta.iso, date=cover.text)
    if cover:
        return cover, _why("date.cover", date=cover.text)
    if meta:
        return meta, _why("date.created", created=meta.iso)
    near = _near_link(inp, texts)
    if near:
        return near
    if modified:
        return modified, _modified(inp, modified)
    return None, _why("date.none")


# --- language and municipality type ------------------------------------------------------------

def _language(title: str, pages: tuple[str, ...]) -> tuple[str, Why]:
    text = " ".join(pages[:3])[:20000]
    source = "text"
    if not text.strip():
        text, source = title, "title"
    forms = words(text)
    scores = {lang: sum(1 for w in forms if w in cues) for lang, cues in LANGUAGE_CUES.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] >= (3 if source == "text" else 1):
        return best, _why(f"language.stop_words_{source}", count=scores[best], language=best)
    if has_polish_letters(text):
        return "pl", _why(f"language.letters_{source}")
    return "und", _why(f"language.little_{source}")


_RE_MIXED = re.compile(r"miejsko[\s-]*wiejsk\w*")
_RE_RURAL = re.compile(r"gmin\w*\s+wiejsk")
_RE_URBAN = re.compile(r"gmin\w*\s+miejsk(?!o)")


def _municipality_kinds(text: str) -> list[str]:
    folded = fold_key(text)
    kinds = []
    if _RE_MIXED.search(folded):
        kinds.append("gminy miejsko-wiejskie")
    rest = _RE_MIXED.sub(" ", folded)
    if _RE_RURAL.search(rest):
        kinds.append("gminy wiejskie")
    if _RE_URBAN.search(rest):
        kinds.append("gminy miejskie")
    return kinds


def _municipality(inp: TagInput, rules: TagRules, title: str) -> tuple[str, Why]:
    for text, where in [(title, "title"), (" ".join(inp.link_texts), "link")]:
        kinds = _municipality_kinds(text)
        if len(kinds) == 1:
            return kinds[0], _why(f"municipality.in_{where}", kind=kinds[0])
    kinds = _municipality_kinds("\n".join(inp.pages[: rules.first_pages]))
    if len(kinds) == 1:
        return kinds[0], _why("municipality.first_pages", kind=kinds[0])
    if kinds:
        return "", _why("municipality.several", kinds=", ".join(kinds))
    return "", _why("municipality.none")


# --- the whole ---------------------------------------------------------------------------------


def tag_document(inp: TagInput, rules: TagRules) -> Tags:
    """All tags of one document, each with the reason it was given."""
    title, title_reason = _title(inp, rules)
    doc_type, type_reason = _type(inp, rules, title)
    found, date_reason = _date(inp, rules, title)
    language, language_reason = _language(title, inp.pages)
    municipality, municipality_reason = _municipality(inp, rules, title)
    partners = tuple(dict.fromkeys(inp.partners))
    partner = partners[0] if partners else ""
    region = inp.partner_regions.get(partner, "")
    partner_reason = _why("partner.first" if partner else "partner.none")
    if len(partners) > 1:
        partner_reason += _why("partner.also", partners=", ".join(partners[1:]))
    region_reason = _why("region.config", partner=partner) if region else _why("region.none")
    codes = {
        "title": title_reason,
        "type": type_reason,
        "partner": partner_reason,
        "region": region_reason,
        "year": date_reason,
        "date": date_reason,
        "language": language_reason,
        "municipality_type": municipality_reason,
    }
    return Tags(
        title=title,
        type=doc_type,
        partner=partner,
        partners=partners,
        region=region,
        year=found.year if found else None,
        date=found.iso if found and found.month is not None else None,
        language=language,
        pages=len(inp.pages),
        municipality_type=municipality,
        reasons={name: reasons_text(why) for name, why in codes.items()},
        reason_codes=codes,
    )
