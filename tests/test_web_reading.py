"""The page view's reading helpers: a PDF page's hard line breaks reflowed into paragraphs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from kooperacja.models import PageHit, Snippet
from kooperacja.web.formatting import page_place, paragraphs, snippet


def test_hard_line_breaks_are_joined_within_a_sentence_and_kept_between_paragraphs():
    text = (
        "Rekomendacja 24. Współpraca asystentów rodziny\n"
        "Asystent rodziny powinien regularnie wymieniać informacje z dzielnicowym\n"
        "Policji, a spotkania odbywają się co najmniej raz w miesiącu, od 1 stycznia 2021 r.\n"
        "w siedzibie ośrodka pomocy społecznej.\n"
        "Zespół interdyscyplinarny zbiera się w razie potrzeby:\n"
        "• w sprawach przemocy w rodzinie,\n"
        "• w sprawach dzieci w pieczy zastępczej.\n"
        "\n"
        "Toruń, 2021\n"
    )
    assert paragraphs(text) == [
        "Rekomendacja 24. Współpraca asystentów rodziny",
        "Asystent rodziny powinien regularnie wymieniać informacje z dzielnicowym Policji, a "
        "spotkania odbywają się co najmniej raz w miesiącu, od 1 stycznia 2021 r. w siedzibie "
        "ośrodka pomocy społecznej.",
        "Zespół interdyscyplinarny zbiera się w razie potrzeby:",
        "• w sprawach przemocy w rodzinie,",
        "• w sprawach dzieci w pieczy zastępczej.",
        "Toruń, 2021",
    ]


def test_a_page_without_text_has_no_paragraphs():
    assert paragraphs("") == []
    assert paragraphs(" \n\n \f ") == []


@given(
    st.text(alphabet="aą <>&\"'żŁ\n", max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=4),
)
def test_a_snippet_as_markup_is_its_escaped_pieces_with_the_marks(text, cuts):
    """web.formatting.snippet against the plain way: each piece escaped, each marked one in
    <mark> (the page's words are never markup)."""
    spans, pos = [], 0
    for a, b in sorted(cuts):
        start, end = max(a, pos), min(max(a, b), len(text))
        if start < end:
            spans.append((start, end))
            pos = end
    excerpt = Snippet(text, tuple(spans))
    plain = "".join(
        f"<mark>{escape(piece)}</mark>" if marked else str(escape(piece))
        for piece, marked in excerpt.pieces()
    )
    assert snippet(excerpt) == Markup(plain)


@pytest.mark.parametrize("label", ["", "12", "iv", "<b>7</b>", "A&B"])
def test_a_matched_page_is_named_as_markups_format_names_it(label):
    with_label, plain = Markup("s. {label} (strona PDF {page})"), Markup("strona {page}")
    page = PageHit(page=12, excerpt=Snippet("x"), label=label)
    expected = (
        with_label.format(label=label, page=12) if label and label != "12" else
        plain.format(page=12)
    )  # fmt: skip
    assert page_place(page, with_label, plain) == expected
    assert "<b>" not in page_place(page, with_label, plain)
