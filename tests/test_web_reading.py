"""The page view's reading helpers: a PDF page's hard line breaks reflowed into paragraphs."""

from __future__ import annotations

from kooperacja.web.formatting import paragraphs


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
