"""Small frozen records shared between the stages (archive → extract → tag → index → search)."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class SearchFilters:
    types: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    statuses: tuple[str, ...] = ()


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

    def markup(self) -> str:
        """The form of `search --json` and the API: HTML-escaped text, <b>…</b> around spans."""
        escaped = ((html.escape(piece, quote=False), marked) for piece, marked in self.pieces())
        return "".join(f"<b>{piece}</b>" if marked else piece for piece, marked in escaped)


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
