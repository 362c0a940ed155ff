"""A document's index terms, made from its text alone: what the writer needs besides the text.

Pure given a FormCache, so the work can run in other processes (see analysers.py): the Polish
analysis is most of the cost of indexing, and the engine's writer runs beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from ..models import IndexDoc, PageText
from .analysis import FormCache
from .words import normalise


@dataclass(frozen=True)
class PageTerms:
    page: PageText  # number, label and section as given; text normalised (NFC)
    exact: str
    lemma: str
    stem: str
    section: str  # the lemma terms of the page's section heading


@dataclass(frozen=True)
class DocTerms:
    pages: tuple[PageTerms, ...]
    title: str  # the lemma terms of the document's title
    forms: frozenset[str]  # every exact term of the document (the vocabulary counts)
    lemma_of: Mapping[str, str]  # form → lemma term, for every form in `forms` not `known`


def document_terms(
    cache: FormCache, doc: IndexDoc, known: AbstractSet[str] = frozenset()
) -> DocTerms:
    """The terms of `doc`; `known`: forms whose lemma the caller was given already (a worker
    sends each form's lemma once, not with every document holding it)."""
    pages = [p for p in doc.pages if p.text.strip()]
    if not pages and doc.title.strip():
        # A document with no text yet (a scan before OCR) is still found by its title; page
        # 0 marks the entry as no page of the document.
        pages = [PageText(0, doc.title)]
    texts = [normalise(p.text) for p in pages]
    pieces = [cache.pieces(t) for t in texts]
    distinct = set(itertools.chain.from_iterable(pieces))
    cache.prepare(distinct)
    title = cache.text(normalise(doc.title))
    sections: dict[str, str] = {}
    forms = cache.forms(distinct)
    out: list[PageTerms] = []
    for page, text, page_pieces in zip(pages, texts, pieces, strict=True):
        analyzed = cache.analyze(page_pieces)
        if page.section not in sections:
            sections[page.section] = cache.text(normalise(page.section)).lemma
        out.append(
            PageTerms(
                PageText(page.number, text, page.label, page.section),
                analyzed.exact,
                analyzed.lemma,
                analyzed.stem,
                sections[page.section],
            )
        )
    return DocTerms(tuple(out), title.lemma, frozenset(forms), cache.lemmas_of(forms - known))
