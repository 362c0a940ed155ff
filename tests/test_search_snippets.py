"""kooperacja.search.snippets: a snippet is text with the spans of the matched words, and each
reader (JSON, terminal, web page) marks the same words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kooperacja.cli.render import format_search
from kooperacja.models import Snippet
from kooperacja.search import rebuild_index, search
from kooperacja.search.results import search_json
from kooperacja.search.snippets import WordMatcher, _matches, make_snippet
from kooperacja.web.formatting import snippet as web_snippet
from tests.test_search_corpus import DOCS, KSIEGA


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    rebuild_index(folder, DOCS)
    return folder


def marked(excerpt: Snippet) -> list[str]:
    return [excerpt.text[start:end] for start, end in excerpt.highlights]


def test_spans_land_on_the_polish_words_of_every_form(index: Path) -> None:
    # Typed without Polish letters: the page's own spelling is what is marked.
    hit = next(h for h in search(index, "osrodkach").hits if h.doc_id == KSIEGA.doc_id)
    excerpt = hit.pages[0].excerpt
    assert marked(excerpt) == ["Ośrodek", "ośrodków", "ośrodka"]
    assert "\n" not in excerpt.text and "  " not in excerpt.text
    spans = excerpt.highlights
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_every_reader_marks_the_same_words(index: Path) -> None:
    result = search(index, "współpraca z policją")
    excerpt = result.hits[0].pages[0].excerpt
    words = marked(excerpt)
    assert words and all(w.strip() == w for w in words)
    page = search_json(result)["hits"][0]["pages"][0]["snippet"]
    assert page == excerpt.markup() == result.hits[0].pages[0].snippet
    assert [page.split("<b>")[i + 1].split("</b>")[0] for i in range(len(words))] == words
    html = str(web_snippet(excerpt))
    assert [html.split("<mark>")[i + 1].split("</mark>")[0] for i in range(len(words))] == words
    text = format_search(result, color=False)
    assert all(f"[{w}]" in text for w in words)


def test_adjacent_words_are_one_span_and_text_is_never_markup() -> None:
    page = "Zespół <b>interdyscyplinarny</b> &amp; Asystent\n\n  rodziny pracuje z rodziną."
    matcher = WordMatcher(frozenset({"asystent", "rodziny", "rodziną"}))
    excerpt = make_snippet(page, [matcher])
    assert excerpt.text == (
        "Zespół <b>interdyscyplinarny</b> &amp; Asystent rodziny pracuje z rodziną."
    )
    assert marked(excerpt) == ["Asystent rodziny", "rodziną"]
    assert excerpt.markup() == (
        "Zespół &lt;b&gt;interdyscyplinarny&lt;/b&gt; &amp;amp; <b>Asystent rodziny</b> "
        "pracuje z <b>rodziną</b>."
    )
    assert str(web_snippet(excerpt)).startswith("Zespół &lt;b&gt;interdyscyplinarny")


def test_a_long_page_is_cut_around_the_matches() -> None:
    page = " ".join(["słowo"] * 100 + ["żółć"] + ["słowo"] * 100)
    excerpt = make_snippet(page, [WordMatcher(frozenset({"żółć"}))], width=40)
    assert excerpt.text.startswith("… ") and excerpt.text.endswith(" …")
    assert marked(excerpt) == ["żółć"]
    assert len(excerpt.text) <= 40 + 4


# Words of real Polish pages, with the hyphens and capitals a page has, few enough to meet
# often: the forms to mark are drawn from them (one form inside another, `na` in `gmina`), and
# the pages are made of them.
_PAGE_WORDS = (
    "sąd", "sądu", "Sądowi", "gmina", "na", "policja", "Policją", "ja", "rada", "radą",
    "biało-czerwona", "społeczno‑zawodowy", "art.", "§", "2a", "w", "PCPR", "–", "-",
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PAGE_WORDS), max_size=60),
    st.lists(st.sampled_from([w for w in _PAGE_WORDS if w not in "–-"]), min_size=1, max_size=8),
    st.sampled_from([" ", "  ", "\n", "-", ""]),
)
def test_looking_only_where_a_form_begins_finds_what_the_whole_pattern_finds(
    page: list[str], forms: list[str], gap: str
) -> None:
    """The search for marked words tries its pattern only where a form's beginning is found
    (str.find): it must find exactly what the pattern finds scanning every letter."""
    text = gap.join(page).lower()
    matcher = WordMatcher(frozenset(f.lower() for f in forms))
    pattern = matcher.candidates()
    assert pattern is not None
    leads = matcher.leads()
    assert leads is not None
    found = [m.span() for m in _matches(pattern, text, leads)]
    assert found == [m.span() for m in pattern.finditer(text)]


# What separates words on extracted pages: line breaks, tabs, no-break and other Unicode spaces.
_GAPS = [" ", "  ", "\n", "\t", "\xa0", "\u2028", "\u3000", "\x0b", "\x1c"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PAGE_WORDS), max_size=60),
    st.lists(st.sampled_from(_GAPS), min_size=1),
    st.integers(min_value=5, max_value=80),
)
def test_a_snippet_has_single_spaces_whatever_the_page_holds(
    page: list[str], gaps: list[str], width: int
) -> None:
    """A snippet's whitespace is single spaces, however the page's words are separated (a
    window holding nothing but single spaces is not collapsed again: that must not let any
    other whitespace through)."""
    text = "".join(w + gaps[i % len(gaps)] for i, w in enumerate(page))
    matcher = WordMatcher(frozenset({"sąd", "gmina", "policją", "rada"}))
    excerpt = make_snippet(text, [matcher], width=width)
    assert not re.search(r"[^\S ]| {2}", excerpt.text), repr(excerpt.text)
    for start, end in excerpt.highlights:
        assert excerpt.text[start:end].strip() == excerpt.text[start:end] != ""
