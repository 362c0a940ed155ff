"""Numbered recommendations of a document ("Rekomendacja 24. …", "Rekomendacja nr 3", "Rekomendacja
3:"), read from its extracted pages: number, title, addressees and the full text.

Pure: pages in, records out. A recommendation starts at a heading the page sections also use
(`extraction.RECOMMENDATION`, table-of-contents lines left out) and runs, across page breaks, to
the next recommendation, a chapter heading, an outline entry or an annex; page furniture (page
numbers, running lines the margin repair left) is not part of its text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kooperacja.extract.extraction import RECOMMENDATION, TOC_ENTRY, heading_continuation
from kooperacja.models import PageText, Recommendation, addressee_kinds
from kooperacja.text import COMPOUND_PREFIXES, fold_key

# v1: headings, addressees, text across pages. Bump to have the next extract read them again.
RECOMMENDATIONS_VERSION = 1
MAX_PAGES = 6  # a recommendation running on longer has lost its end (no heading after it)
HEADING = re.compile(r"Rekomendacja\s+(?:nr\s+)?(\d{1,4})[a-z]?\s*[.:)]?\s*(.*)$", re.I)
ADDRESSEES = re.compile(r"^\s*Adresa(?:t|ci)(?:\s+rekomendacji)?\s*:\s*(.*)$", re.I)
# Page furniture: a page number alone ("26", "- 26 -", "Strona 26", "s. 26 z 42", "iv").
PAGE_NUMBER = re.compile(
    r"^\s*[-–]?\s*(?:strona|str\.|s\.)?\s*([0-9]{1,4}|[ivxlc]{1,6})(?:\s*(?:/|z)\s*\d{1,4})?"
    r"\s*[-–]?\s*$",
    re.I,
)
# Headings that end a recommendation: a numbered chapter ("3.3. Policja …", "5. Zakończenie"),
# or an unnumbered part of the book after the recommendations.
SUBCHAPTER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S")
CHAPTER = re.compile(r"^\d{1,2}\.\s+[A-ZĄĆĘŁŃÓŚŹŻ]")
PART = re.compile(
    r"^(Aneks|Załącznik|Zalacznik|Bibliografia|Literatura|Spis\s+treści|Zakończenie"
    r"|Podsumowanie|Przypisy|Wykaz\s+skrótów)\b",
    re.I,
)
# A line ending in one of these has not ended its sentence ("ministerstwo właściwe ds." / …).
ABBREVIATION_END = re.compile(r"\b(ds|np|m\.in|im|św|ul|tzw|pn|nr|al|ww|tj)\.$", re.I)
HEADING_CHARS = 90  # a heading line is shorter than a full line of text
EDGE_LINES = 2  # page furniture sits in the first or last lines of a page


@dataclass(frozen=True)
class _Line:
    page: int  # index into the pages
    text: str


def find_recommendations(pages: Sequence[PageText]) -> tuple[Recommendation, ...]:
    """Every numbered recommendation of a document, in page order; a number found twice (a
    summary list, a repeated heading) is kept once: where it has addressees, else its longest."""
    if not any("rekomendacj" in p.text.lower() for p in pages):
        return ()  # no heading (they match "Rekomendacja" ignoring case): most documents
    lines = _content_lines(pages)
    stops = {fold_key(p.section) for p in pages if p.section}
    stops -= {s for s in stops if RECOMMENDATION.match(s)}
    starts = [i for i, line in enumerate(lines) if _is_heading(lines, i)]
    found: dict[int, Recommendation] = {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        rec = _recommendation(lines, start, end, stops, pages)
        old = found.get(rec.number)
        if old is None or (bool(rec.addressees), len(rec.text)) > (
            bool(old.addressees),
            len(old.text),
        ):
            found[rec.number] = rec
    return tuple(sorted(found.values(), key=lambda r: (r.page, r.number)))


def _content_lines(pages: Sequence[PageText]) -> list[_Line]:
    """The non-empty lines of every page, without page numbers and without lines repeated at
    the edges of several pages (running headers and footers, page numbers taken out)."""
    edges: Counter[str] = Counter()
    per_page = [[s for s in (x.strip() for x in p.text.splitlines()) if s] for p in pages]
    for lines in per_page:
        for key in {_furniture_key(s) for s in (*lines[:EDGE_LINES], *lines[-EDGE_LINES:])}:
            edges[key] += 1
    out: list[_Line] = []
    for index, lines in enumerate(per_page):
        for i, line in enumerate(lines):
            at_edge = i < EDGE_LINES or i >= len(lines) - EDGE_LINES
            if at_edge and (
                PAGE_NUMBER.match(line)
                or line == pages[index].label
                or (len(pages) >= 4 and edges[_furniture_key(line)] >= 3)
            ):
                continue
            out.append(_Line(index, line))
    return out


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", fold_key(line))


def _is_heading(lines: list[_Line], i: int) -> bool:
    line = lines[i].text
    match = HEADING.match(line)
    if not RECOMMENDATION.fullmatch(line) or not match:
        return False
    title = match.group(2)
    marked = re.match(r"Rekomendacja\s+(nr\s+\d+|\d+\w?\s*[.:)])", line, re.I)
    if title and (not marked or not (title[0].isupper() or title[0] in "„\"'(0123456789")):
        return False  # a sentence about a recommendation ("Rekomendacja 5 została …")
    whole = f"{line} {_title_continuation(lines, i)}".strip()
    bare = re.fullmatch(r"Rekomendacja\s+(nr\s+)?\d+\w?[.:)]?", whole, re.I)
    return bool(bare) or not TOC_ENTRY.search(whole)


def _title_continuation(lines: list[_Line], i: int) -> str:
    """The next line when it carries a wrapped heading on (on the same page)."""
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
        return ""
    return heading_continuation(lines[i].text, "\n" + lines[i + 1].text, 0)


def _recommendation(
    lines: list[_Line], start: int, end: int, stops: set[str], pages: Sequence[PageText]
) -> Recommendation:
    match = HEADING.match(lines[start].text)
    assert match is not None  # _is_heading checked it
    number, title = int(match.group(1)), match.group(2).strip()
    at = start + 1
    more = _title_continuation(lines, start)
    if more:
        title, at = f"{title} {more}", at + 1
    elif not title and at < end and _bare_title(lines[at].text):
        title, at = lines[at].text, at + 1  # "Rekomendacja nr 3" / "Współpraca z sądem"
    addressees: tuple[str, ...] = ()
    for probe in range(at, min(at + 3, end)):
        if ADDRESSEES.match(lines[probe].text):
            addressees, after = _addressees(lines, probe, end)
            body = lines[at:probe] + lines[after:end]
            break
    else:
        body = lines[at:end]
    first_page = lines[start].page
    body = _until_stop(body, stops, first_page)
    last_page = body[-1].page if body else first_page
    kinds = tuple(dict.fromkeys(k for a in addressees for k in addressee_kinds(a)))
    return Recommendation(
        number=number,
        title=" ".join(title.split()).rstrip(".:"),
        addressees=addressees,
        addressee_kinds=kinds,
        text=_joined(body),
        page=pages[first_page].number,
        page_label=pages[first_page].label,
        last_page=pages[last_page].number,
    )


def _bare_title(line: str) -> bool:
    return len(line) < HEADING_CHARS and not ADDRESSEES.match(line) and not line.endswith(".")


def _addressees(lines: list[_Line], at: int, end: int) -> tuple[tuple[str, ...], int]:
    """The addressees listed from line `at` on (a list wrapped over lines goes on while a line
    is long enough to have wrapped and has not ended), and the index of the line after them."""
    match = ADDRESSEES.match(lines[at].text)
    assert match is not None
    text, i = match.group(1).strip(), at + 1
    line = lines[at].text
    while (
        i < end
        and i - at < 4
        and (not line.rstrip().endswith((".", ";")) or ABBREVIATION_END.search(line))
        and len(line) >= 50
        and not ADDRESSEES.match(lines[i].text)
    ):
        line = lines[i].text
        text, i = _join_wrapped(text, line), i + 1
    items = (" ".join(a.split()).strip(" .") for a in re.split(r"[,;]", text))
    return tuple(a for a in items if a), i


def _until_stop(body: list[_Line], stops: set[str], first_page: int) -> list[_Line]:
    """The body up to the first line that ends a recommendation: a chapter heading, an outline
    entry, an annex; or the page where it has run on too long."""
    previous = ""
    for n, line in enumerate(body):
        text = line.text
        short = len(text) < HEADING_CHARS and not text.endswith((".", ",", ";", ":"))
        if (
            line.page - first_page >= MAX_PAGES
            or (short and fold_key(text) in stops)
            or (short and SUBCHAPTER.match(text))
            or (short and PART.match(text))
            or (short and CHAPTER.match(text) and (not previous or previous.endswith(".")))
        ):
            return body[:n]
        previous = text
    return body


def _joined(body: list[_Line]) -> str:
    """The body's lines as one text; a word hyphenated across a page break joined again."""
    out: list[str] = []
    for n, line in enumerate(body):
        broken = out and body[n - 1].page != line.page and re.search(r"\w-$", out[-1])
        if broken and line.text[:1].islower():
            out[-1] = _join_wrapped(out[-1], line.text)
            continue
        out.append(line.text)
    return "\n".join(out)


def _join_wrapped(left: str, right: str) -> str:
    """Two pieces of one wrapped line: a word hyphenated at the break is joined, a compound
    ("miejsko-" / "wiejskich") keeps its hyphen."""
    if re.search(r"\w-$", left) and right[:1].islower():
        last = re.findall(r"(\w+)-$", left)[0]
        if last.lower() in COMPOUND_PREFIXES:
            return left + right
        return left[:-1] + right
    return f"{left} {right}"
