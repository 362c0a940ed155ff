"""Shared test corpus for the search tests: real Polish sentences, a few documents."""

from __future__ import annotations

from kooperacja.models import IndexDoc, PageText

KSIEGA = IndexDoc(
    doc_id="a1b2c3d4e5f6",
    sha256="a1b2c3d4e5f6" + "0" * 52,
    title="Księga rekomendacyjna",
    type="recommendations",
    partners=("rops-gdansk", "rops-torun"),
    year=2021,
    status="online",
    url="https://example.org/ksiega.pdf",
    media_type="application/pdf",
    fingerprint="fp-ksiega-1",
    pages=(
        PageText(1, "Księga rekomendacyjna. Kooperacja – efektywna i skuteczna.", "i", "Wstęp"),
        PageText(
            2,
            "Asystent rodziny współpracuje z dzielnicowym Policji.\nWspółpraca z policją "
            "obejmuje wspólne wizyty w rodzinie oraz wymianę informacji o dzieciach.",
            "ii",
            "Rekomendacja 7. Współpraca z Policją",
        ),
        PageText(
            3,
            "W gminach miejsko-wiejskich zespół interdyscyplinarny spotyka się raz w miesiącu. "
            "Rodzinami w kryzysie zajmują się asystenci rodzin i pracownicy socjalni.",
            "1",
            "Rekomendacja 8. Zespół interdyscyplinarny",
        ),
        PageText(
            4,
            "Ośrodek pomocy społecznej koordynuje działania. W powiecie działa pięć ośrodków, "
            "a do ośrodka zgłosiło się w roku 2019 łącznie 412 rodzin.",
            "2",
            "Rekomendacja 9. Rola ośrodka",
        ),
    ),
)
MODEL = IndexDoc(
    doc_id="0f0e0d0c0b0a",
    sha256="0f0e0d0c0b0a" + "1" * 52,
    title="Model kooperacji dla gmin wiejskich",
    type="model",
    partners=("rops-torun",),
    year=2019,
    status="online",
    url="https://example.org/model.pdf",
    media_type="application/pdf",
    fingerprint="fp-model-1",
    pages=(
        PageText(1, "Model kooperacji dla gmin wiejskich.", "1"),
        PageText(
            2,
            "Koordynator kooperacji zatrudniony na pół etatu organizuje spotkania. "
            "Rodzinie pomaga asystentka, a szkoła zgłasza absencję uczniów.",
            "2",
        ),
    ),
)
NEWS = IndexDoc(
    doc_id="99887766aabb",
    sha256="99887766aabb" + "2" * 52,
    title="Spotkanie partnerów",
    type="news",
    partners=("rops-gdansk",),
    year=2020,
    status="gone",
    url="https://example.org/aktualnosci/spotkanie",
    media_type="text/html",
    fingerprint="fp-news-1",
    pages=(PageText(1, "Spotkanie asystentów rodzinnych i kuratorów sądowych w Gdańsku."),),
)
PREZENTACJA = IndexDoc(
    doc_id="123456abcdef",
    sha256="123456abcdef" + "3" * 52,
    title="Prezentacja wyników",
    type="presentation",
    partners=("rops-gdansk",),
    year=2018,
    status="online",
    url="https://example.org/prezentacja.pdf",
    media_type="application/pdf",
    fingerprint="fp-prez-1",
    pages=(
        PageText(1, "Wyniki pilotażu w latach 2018–2020 w 12 gminach.", ""),
        PageText(2, "Przemoc domowa a współpraca z policją: procedura Niebieskiej Karty.", ""),
    ),
)
DOCS = (KSIEGA, MODEL, NEWS, PREZENTACJA)


def test_corpus_is_consistent() -> None:
    # The other search tests rely on these properties of the corpus.
    assert len({d.doc_id for d in DOCS}) == len(DOCS)
    assert all(p.number == i for d in DOCS for i, p in enumerate(d.pages, 1))
    assert NEWS.media_type == "text/html" and len(NEWS.pages) == 1
