"""Small frozen records shared between the stages (archive → extract → tag → index → search)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from kooperacja.i18n import N_
from kooperacja.text import fold

DOCUMENT_TYPES: tuple[str, ...] = (
    "model",
    "model-summary",
    "pilot-report",
    "recommendations",
    "presentation",
    "research",
    "news",
    "video",
    "other",
)
TEXT_STATUSES: tuple[str, ...] = ("ok", "ocr", "no_text_layer", "encrypted", "failed", "pending")
STATUSES: tuple[str, ...] = ("online", "gone")

# Polish names (singular, plural, short), compared lowercased and without Polish letters.
_ALIASES: dict[str, tuple[str, ...]] = {
    "model": ("model", "modele", "modelu", "model kooperacji"),
    "model-summary": ("skrot", "skroty", "wersja skrocona", "streszczenie", "model-skrot"),
    "pilot-report": ("sprawozdanie", "sprawozdania", "raport z pilotazu", "pilotaz"),
    "recommendations": ("rekomendacje", "rekomendacja", "ksiega", "ksiega rekomendacyjna"),
    "presentation": ("prezentacja", "prezentacje", "slajdy"),
    "research": ("badania", "badanie", "diagnoza", "diagnozy", "raport", "raporty"),
    "news": ("aktualnosci", "aktualnosc", "wiadomosci", "wiadomosc", "strona", "strony"),
    "video": ("film", "filmy", "wideo", "nagranie"),
    "other": ("inne", "inny", "pozostale"),
}
_BY_NAME = {alias: code for code, aliases in _ALIASES.items() for alias in aliases} | {
    code: code for code in DOCUMENT_TYPES
}


def resolve_type(name: str) -> str | None:
    """The type code for a code or a Polish name (`rekomendacje` → `recommendations`)."""
    code = _BY_NAME.get(fold(" ".join(name.lower().replace("_", " ").split())))
    return code if code in DOCUMENT_TYPES else None


# The Polish name of each type as staff type it in a query (`rodzaj:skrót`) and messages list it.
TYPE_QUERY_NAMES: Mapping[str, str] = {
    "model": "model",
    "model-summary": "skrót",
    "pilot-report": "sprawozdanie",
    "recommendations": "rekomendacje",
    "presentation": "prezentacja",
    "research": "badania",
    "news": "aktualności",
    "video": "film",
    "other": "inne",
}
# Polish names of the statuses in a query (`stan:usuniety`), compared without Polish letters.
STATUS_ALIASES: Mapping[str, str] = {
    "online": "online", "dostepny": "online", "dostepne": "online", "dostepna": "online",
    "gone": "gone", "usuniety": "gone", "usuniete": "gone", "usunieta": "gone",
}  # fmt: skip
STATUS_QUERY_NAMES: Mapping[str, str] = {"online": "dostępny", "gone": "usunięty"}


def resolve_status(name: str) -> str | None:
    """The status code for a code or a Polish name (`usunięty` → `gone`)."""
    return STATUS_ALIASES.get(fold(name.strip().lower()))


def type_names_help() -> str:
    return ", ".join(f"{code} ({_ALIASES[code][0]})" for code in DOCUMENT_TYPES if code in _ALIASES)

# A film is never downloaded: its stored bytes are its canonical URL (RFC 2483 uri-list), see
# harvest/video.py.
VIDEO_MEDIA = "text/uri-list"


@dataclass(frozen=True)
class PageText:
    """One page of extracted text."""

    number: int  # 1-based PDF page index (1 for an HTML page)
    text: str  # repaired text, ready for indexing
    label: str = ""  # page number as printed in the document (PDF page labels), "" if none
    section: str = ""  # the outline entry / numbered recommendation the page belongs to
    source: str = ""  # "ocr" when the text was read from the page image, "" for the text layer
    confidence: float | None = None  # OCR: mean word confidence (0–100)


@dataclass(frozen=True)
class Recommendation:
    """A numbered recommendation of a document ("Rekomendacja 24. …"), as extraction finds it."""

    number: int
    title: str  # the heading after the number, unwrapped ("" when the heading has none)
    addressees: tuple[str, ...]  # as the "Adresaci:" line lists them
    addressee_kinds: tuple[str, ...]  # ADDRESSEE_KINDS, in the order they are first named
    text: str  # the body, across page breaks, without heading, addressees or page furniture
    page: int  # 1-based PDF page where it starts
    page_label: str = ""  # that page's number as printed, "" if the PDF has no page labels
    last_page: int = 0  # the PDF page where it ends


# Kinds of institution a recommendation is addressed to, each with what names it in the folded,
# lower-case text of an addressee (any inflected form: "ośrodki pomocy społecznej", "dzielnicowi
# Policji", "sądy rodzinne"). One addressee may name several kinds; none named is "inne".
ADDRESSEE_KINDS: Mapping[str, str] = {
    "OPS": r"osrod\w* pomocy spol|\b(m|g|mg)?ops\b|\bmopr\b",
    "PCPR": r"centr\w* pomocy rodzin|\bpcpr\b",
    "CUS": r"centr\w* uslug spol|\bcus\b",
    "ROPS": r"osrod\w* polityki spol|\brops\b",
    "Policja": r"policj|dzielnicow|posterun",
    "sąd": r"\bsad(y|u|ow|om|ami|zie)?\b|\bsadow|kurator\w* sadow|\bkurator(zy|ow)?\b",
    "szkoła": r"\bszkol(a|y|e|om|ach|ami)?\b|\bszkoln|przedszkol|\boswiat|pedagog"
    r"|poradni\w* psychologiczno|organ\w* prowadzac",
    "PUP": r"urz\w* pracy|\bpup\b",
    "NGO": r"pozarzadow|\bngo\b|stowarzysz|fundacj|organizacj\w* seniorsk|wolontari",
    "ochrona zdrowia": r"zdrow|\bpoz\b|leczni|lekarz|pielegn|szpital|\bnfz\b|uzaleznien",
    "ekonomia społeczna": r"ekonomii spol|integracji spol|spoldzielni\w* socjaln"
    r"|\b(cis|kis|owes)\b",
    "zespół interdyscyplinarny": r"interdyscyplinarn",
    "GKRPA": r"\bgkrpa\b|komisj\w* rozwiazywania problemow alkohol",
    "straż miejska": r"straz\w* (miejsk|gminn)",
    "gmina": r"\bgmin(a|y|ie|e|om|ami|ach)?\b|\bwojt|burmistrz|prezyden\w* miast|\bmiast(a|o)?\b"
    r"|samorzad",
    "powiat": r"\bpowiat(y|u|ow|om|ami|ach|ie)?\b|starost",
    "administracja rządowa": r"ministerstw|\bminister|\bwojewod(a|y|zie)\b|prezes\w* urzedu"
    r"|\brzad",
    "partnerzy kooperacji": r"partner\w* kooperacj|koordynator\w* kooperacj|kooperacyjn",
    "inne": r"(?!)",  # what none of the above names
}
_KIND_PATTERNS = {kind: re.compile(pattern) for kind, pattern in ADDRESSEE_KINDS.items()}


def addressee_kinds(text: str) -> tuple[str, ...]:
    """The kinds of institution `text` names, in the order of ADDRESSEE_KINDS; ("inne",) if none."""
    folded = fold(" ".join(text.lower().split()))
    found = tuple(kind for kind, pattern in _KIND_PATTERNS.items() if pattern.search(folded))
    return found or ("inne",)


def resolve_addressee_kind(name: str) -> str | None:
    """The kind a person means (`policja`, `sad`, `szkoly`, `ośrodki pomocy społecznej`), or
    None: a kind's own name without Polish letters or case, else the one kind the words name."""
    key = fold(" ".join(name.lower().split()))
    for kind in ADDRESSEE_KINDS:
        if fold(kind.lower()) == key:
            return kind
    found = addressee_kinds(name) if key else ()
    return found[0] if len(found) == 1 and found != ("inne",) else None


@dataclass(frozen=True)
class IndexDoc:
    """What the search index needs to know of one catalogued document."""

    doc_id: str
    sha256: str
    title: str
    type: str
    partners: tuple[str, ...]
    year: int | None
    status: str  # online | gone
    url: str
    media_type: str  # application/pdf, text/html, ...
    pages: tuple[PageText, ...]
    fingerprint: str = ""  # changes whenever anything indexed about the document changes
    format: str = ""  # filetypes.document_format: pdf, word, scan (OCR'd), film, …
    ocr_confidence: float | None = None  # a scan's mean OCR word confidence (0-100)
    # (short, long) pairs of the document's own list of abbreviations (extract/abbreviations.py)
    abbreviations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SearchFilters:
    types: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    statuses: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # filetypes.FORMATS


def _html_text(text: str) -> str:
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class Snippet:
    """A few lines of a page as plain text, with the spans of the matched words: each reader
    (terminal, web page, JSON) marks them its own way, none has to parse markup back."""

    text: str  # whitespace collapsed; "… " / " …" where the page goes on
    highlights: tuple[tuple[int, int], ...] = ()  # (start, end) in `text`, ascending, disjoint

    def pieces(self) -> Iterator[tuple[str, bool]]:
        """The text in order as (piece, highlighted), empty pieces left out."""
        pos = 0
        for start, end in self.highlights:
            if start > pos:
                yield self.text[pos:start], False
            yield self.text[start:end], True
            pos = end
        if pos < len(self.text):
            yield self.text[pos:], False

    def marked(self, escape: Callable[[str], str], start: str, end: str) -> str:
        """The text with each piece `escape`d and each span between `start` and `end` (the
        markup's tags): one list of strings joined, cheaper than a piece at a time."""
        text, parts, pos = self.text, [], 0
        for first, last in self.highlights:
            parts += (escape(text[pos:first]), start, escape(text[first:last]), end)
            pos = last
        parts.append(escape(text[pos:]))
        return "".join(parts)

    def markup(self) -> str:
        """The form of `search --json` and the API: HTML-escaped text, <b>…</b> around spans."""
        return self.marked(_html_text, "<b>", "</b>")


@dataclass(frozen=True)
class PageHit:
    page: int  # 1-based PDF page index
    excerpt: Snippet  # the page's best lines, matched words as spans
    label: str = ""  # printed page number, if the PDF has page labels
    section: str = ""
    score: float = 0.0

    @property
    def snippet(self) -> str:
        """The excerpt as the contract's JSON gives it: escaped text with <b>…</b>."""
        return self.excerpt.markup()


@dataclass(frozen=True)
class DocHit:
    doc_id: str
    title: str
    type: str
    partner: str
    partners: tuple[str, ...]
    year: int | None
    url: str
    status: str
    score: float
    media_type: str = "application/pdf"
    pages: tuple[PageHit, ...] = ()
    format: str = ""  # filetypes.FORMATS: pdf, word, scan (OCR'd), film, …
    ocr_confidence: float | None = None  # a scan's mean OCR word confidence (0-100)


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int  # number of matching documents
    hits: tuple[DocHit, ...]
    suggestion: str | None = None  # "Czy chodziło o: …" when nothing matched as typed
    notes: tuple[str, ...] = field(default_factory=tuple)
    # With `with_facets`: documents per value of type / partner / year / status among all matches.
    facets: Mapping[str, Mapping[str, int]] | None = None
    complete: int = 0  # of `total`, the documents with a page holding every word
    corrected: bool = False  # nothing matched as typed: the hits are those of `suggestion`


# --- why a tag was given ------------------------------------------------------------------------
# Each reason is stored in the catalogue as a stable code and its parameters, so it is shown in
# the reader's language (the message ids below, through the gettext catalogues); the English
# text is kept beside it for the CSV/JSON exports. A code may be renamed never, only added.
REASON_MESSAGES: Mapping[str, str] = {
    "title.link_text": N_("link text"),
    "title.link_text_of": N_("link text ({count} of {total} links)"),
    "title.html_title": N_("HTML title"),
    "title.page_lines": N_("first lines of the page"),
    "title.none": N_("no title found"),
    "title.pdf_title": N_("PDF metadata /Title"),
    "title.heading": N_("first-page heading"),
    "title.file_name": N_("file name"),
    "title.pdf_title_rejected": N_("PDF /Title {title!r} rejected: {why}"),
    "junk.empty": N_("empty"),
    "junk.control": N_("control characters (UTF-16 bytes without BOM?)"),
    "junk.undecoded": N_("undecoded bytes"),
    "junk.undecodable": N_("undecodable characters"),
    "junk.wrong_encoding": N_("bytes decoded with the wrong encoding"),
    "junk.mojibake": N_("mojibake (UTF-8 read as a single-byte encoding)"),
    "junk.file_name": N_("a file name"),
    "junk.too_short": N_("too short"),
    "junk.pattern": N_("matches junk pattern {pattern!r}"),
    "type.html": N_("HTML page"),
    "type.film": N_("a film linked or embedded on a partner page (not downloaded)"),
    "type.keyword_title": N_("keyword '{keyword}' in title"),
    "type.keyword_link": N_("keyword '{keyword}' in link text"),
    "type.keyword_page": N_("keyword '{keyword}' on page {page}"),
    "type.pattern_title": N_("pattern '{pattern}' in title"),
    "type.pattern_link": N_("pattern '{pattern}' in link text"),
    "type.pattern_page": N_("pattern '{pattern}' on page {page}"),
    "type.made_with": N_("made with {creator}"),
    "type.landscape": N_("{landscape} of {pages} pages are landscape slides"),
    "type.none": N_("no type rule matched"),
    "date.article": N_("the article's date '{date}'"),
    "date.page_top": N_("date '{date}' at the top of the page"),
    "date.page_first": N_("first date '{date}' in the page"),
    "date.last_modified": N_("HTTP Last-Modified '{header}'"),
    "date.none": N_("no date found"),
    "date.in_title": N_("date '{date}' in the title"),
    "date.in_link": N_("date '{date}' in the link text"),
    "date.year_in_title": N_("'{date}' in the title"),
    "date.year_in_link": N_("'{date}' in the link text"),
    "date.cover_disagrees": N_(
        "date '{date}' on the first page (PDF creation date {created} disagrees, taken as a "
        "later re-save)"
    ),
    "date.cover_agrees": N_("date '{date}' on the first page (PDF creation date agrees)"),
    "date.created_agrees": N_(
        "PDF creation date {created}, agrees with '{date}' on the first page"
    ),
    "date.cover": N_("date '{date}' on the first page"),
    "date.created": N_("PDF creation date {created}"),
    "date.beside_link": N_("date '{date}' beside the link on the linking page"),
    "date.linking_page_top": N_("date '{date}' at the top of the linking page"),
    "language.stop_words_text": N_("{count} {language} stop words in the text"),
    "language.stop_words_title": N_("{count} {language} stop words in the title"),
    "language.letters_text": N_("Polish letters in the text"),
    "language.letters_title": N_("Polish letters in the title"),
    "language.little_text": N_("too little text to tell"),
    "language.little_title": N_("too little title to tell"),
    "municipality.in_title": N_("'{kind}' in the title"),
    "municipality.in_link": N_("'{kind}' in the link text"),
    "municipality.first_pages": N_("'{kind}' on the first pages"),
    "municipality.several": N_("several municipality types on the first pages: {kinds}"),
    "municipality.none": N_("no municipality type mentioned"),
    "partner.first": N_("first partner that linked it"),
    "partner.none": N_("no partner linked it"),
    "partner.also": N_("also linked by {partners}"),
    "region.config": N_("region of partner {partner} in config"),
    "region.none": N_("partner has no region"),
    "override": N_("override"),
    "override.date": N_("override (from the overridden date)"),
}


@dataclass(frozen=True)
class Reason:
    """One clause of why a tag was given: a code of REASON_MESSAGES and its parameters (text,
    numbers, or a nested Reason, as a rejected title's own reason). Clauses join with "; "."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self) -> str:
        """In English, as the CSV and JSON exports keep it."""
        params = {k: v.text() if isinstance(v, Reason) else v for k, v in self.params.items()}
        return REASON_MESSAGES[self.code].format(**params)


def reasons_text(clauses: tuple[Reason, ...]) -> str:
    return "; ".join(c.text() for c in clauses)


def reasons_data(clauses: tuple[Reason, ...]) -> list[dict]:
    """The form the catalogue stores: [{"code": …, "params": {…}}, …] (JSON)."""
    return [
        {
            "code": c.code,
            "params": {
                k: {"code": v.code, "params": reasons_data((v,))[0]["params"]}
                if isinstance(v, Reason)
                else v
                for k, v in c.params.items()
            },
        }
        for c in clauses
    ]


def reasons_from_data(data: object) -> tuple[Reason, ...] | None:
    """The clauses stored by `reasons_data`; None when they are not readable as such (a code
    this version does not know, a catalogue written before codes were stored)."""

    def one(item: object) -> Reason | None:
        if not isinstance(item, Mapping) or item.get("code") not in REASON_MESSAGES:
            return None
        params: dict[str, object] = {}
        for key, value in dict(item.get("params") or {}).items():
            if isinstance(value, Mapping):
                nested = one(value)
                if nested is None:
                    return None
                value = nested
            params[str(key)] = value
        return Reason(str(item["code"]), params)

    if not isinstance(data, list) or not data:
        return None
    clauses = [one(item) for item in data]
    return None if any(c is None for c in clauses) else tuple(c for c in clauses if c)
