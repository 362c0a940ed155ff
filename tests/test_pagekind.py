"""Page kinds: articles however short, lists and navigation pages never archived as documents."""

from __future__ import annotations

from pathlib import Path

from kooperacja.config import DEFAULT_PROJECT_TERMS
from kooperacja.harvest.pages import parse_page
from kooperacja.webpage.pagekind import NewsRule

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BASE = "https://rops.pomorskie.eu/projekty-rops/kooperacja-efektywna-i-skuteczna"
# The article as the partner published it: 250 characters under its heading.
SHORT = (
    "W środę, 2 października 2019 r. w Hotelu Zatoka w Gdańsku odbyło się kolejne spotkanie "
    "Regionalnej Grupy Refleksyjnej w ramach projektu „Kooperacja – efektywna i skuteczna”. "
    "Omówiono wyniki badań UMK i założenia modelu kooperacji w gminach wiejskich."
)


def page(body: str, title: str = "ROPS Gdańsk") -> str:
    return f"""<!doctype html><html lang="pl"><head><meta charset="utf-8">
<title>{title} – Regionalny Ośrodek Polityki Społecznej</title></head><body>
<header><a class="logo" href="/">Regionalny Ośrodek Polityki Społecznej</a>
<nav><ul><li><a href="/aktualnosci/">Aktualności</a></li><li><a href="/kontakt/">Kontakt</a>
</li></ul></nav></header>
<main>{body}</main>
<footer><p>ROPS, ul. Okopowa 21/27, 80-810 Gdańsk, 15.01.2020</p></footer></body></html>"""


def test_a_250_character_article_is_news_with_its_heading_and_date():
    assert len(SHORT) == 250
    html = page(
        "<article><h1>Spotkanie Regionalnej Grupy Refleksyjnej</h1>"
        '<p class="entry-date">Opublikowano: 3.10.2019</p>'
        f"<p>{SHORT}</p></article>"
    )
    parsed = parse_page(html, f"{BASE}/spotkanie-regionalnej-grupy-refleksyjnej/")
    assert parsed.kind.kind == "article", parsed.kind.reason
    assert parsed.kind.heading == "Spotkanie Regionalnej Grupy Refleksyjnej"
    assert parsed.kind.date == "2019-10-03"  # the article's date, not the meeting's in its text
    assert parsed.is_news


def test_article_date_in_a_time_element_and_br_with_the_server_year():
    html = page(
        '<h1>Spotkanie Powiatowej Grupy Decydentów</h1><time datetime="2019-10-24">24.10.2019'
        f"</time><p>{SHORT}</p>"
    )
    assert parse_page(html, f"{BASE}/pgd/").kind.date == "2019-10-24"
    lead = page(f"<h1>Relacja ze spotkania</h1><p>W środę 2 października br. {SHORT}</p>")
    parsed = parse_page(lead, f"{BASE}/rgr/", last_modified="Thu, 03 Oct 2019 10:00:00 GMT")
    assert (parsed.kind.kind, parsed.kind.date) == ("article", "2019-10-02")


def test_the_seed_news_text_is_an_article():
    text = (SEEDS / "partner-news-page.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    parsed = parse_page(
        page(f"<h1>Spotkanie Powiatowej Grupy Decydentów</h1>{paragraphs}"), f"{BASE}/pgd/"
    )
    assert parsed.kind.kind == "article" and parsed.kind.date == "2019-10-23"
    assert parsed.is_news


def test_news_list_and_its_pagination_are_lists():
    teasers = "".join(
        f'<article><span class="date">{d}.10.2019</span><h2><a href="/aktualnosci/art-{d}/">'
        f"Spotkanie {d} w ramach projektu Kooperacja</a></h2><p>Krótki wstęp.</p></article>"
        for d in (2, 9, 23)
    )
    first = parse_page(page(f"<h1>Aktualności</h1>{teasers}"), f"{BASE}/aktualnosci/")
    assert first.kind.kind == "list" and not first.is_news
    nav = '<div class="pagination"><a href="?page=2">2</a> <a href="?page=3">Następna</a></div>'
    second = parse_page(page(f"<h1>Wiadomości z projektu Kooperacja</h1>{teasers}{nav}"), BASE)
    assert second.kind.kind == "list" and not second.is_news
    later = parse_page(page(f"<h1>Aktualności</h1>{teasers}"), f"{BASE}/aktualnosci/page/3/")
    assert later.kind.kind == "list"


def test_contact_and_accessibility_pages_are_navigation():
    contact = page(
        "<h1>Kontakt</h1><p>Projekt Kooperacja – efektywna i skuteczna: tel. 58 32 68 561, "
        "e-mail rops@pomorskie.eu, ul. Okopowa 21/27, 80-810 Gdańsk. Sekretariat czynny "
        "od poniedziałku do piątku w godzinach 7.30–15.30.</p>" * 3
    )
    assert parse_page(contact, f"{BASE}/kontakt/").kind.kind == "navigation"
    assert not parse_page(contact, f"{BASE}/kontakt/").is_news
    statement = page("<h1>Deklaracja dostępności</h1><p>Serwis projektu Kooperacja …</p>")
    assert parse_page(statement, f"{BASE}/deklaracja/").kind.kind == "navigation"


def test_project_page_with_teasers_stays_a_page_and_is_kept():
    text = (SEEDS / "partner-project-page.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n")[3:6])
    teasers = "".join(
        f'<li><span class="date">{d}.12.2021</span> <a href="/aktualnosci/a{d}/">Konferencja '
        f"{d}</a></li>"
        for d in (1, 9)
    )
    parsed = parse_page(
        page(f"<h1>Kooperacja – efektywna i skuteczna</h1>{paragraphs}<ul>{teasers}</ul>"), BASE
    )
    assert parsed.kind.kind == "page" and parsed.kind.date is None
    assert parsed.is_news


def test_a_short_page_off_the_project_is_not_news():
    off = page(
        "<h1>Szkolenie dla asystentów rodziny</h1><p>12.05.2020 r. zapraszamy na "
        "szkolenie dotyczące pracy z rodziną w kryzysie.</p>"
    )
    parsed = parse_page(off, "https://rops.poznan.pl/aktualnosci/szkolenie/")
    assert parsed.kind.kind == "article" and not parsed.is_news


def test_wordpress_and_joomla_markup():
    wp_article = page(
        '<article class="post"><header class="entry-header"><h1 class="entry-title">'
        'Spotkanie Regionalnej Grupy Refleksyjnej</h1><div class="entry-meta"><time '
        'class="entry-date published" datetime="2019-10-03T10:12:00+02:00">3 października 2019'
        f'</time></div></header><div class="entry-content"><p>{SHORT}</p></div></article>'
        '<section class="related"><h2>Zobacz także</h2><ul>'
        + "".join(
            f'<li><a href="/aktualnosci/a{n}/">Spotkanie {n}</a> {n}.09.2019</li>'
            for n in (1, 2, 3)
        )
        + "</ul></section>"
    )
    parsed = parse_page(wp_article, f"{BASE}/2019/10/spotkanie-rgr/")
    assert (parsed.kind.kind, parsed.kind.date) == ("article", "2019-10-03"), parsed.kind.reason
    assert parsed.is_news
    joomla_blog = page(
        '<div class="blog"><h1>Projekt Kooperacja</h1>'
        + "".join(
            f'<div class="items-row"><div class="item"><h2><a href="/projekt/art-{n}">'
            f'Artykuł {n}</a></h2><dd class="published">Opublikowano: {n}.10.2019</dd>'
            "<p>Wstęp.</p></div></div>"
            for n in (1, 2, 3)
        )
        + '<div class="pagination"><ul><li><a href="/projekt?start=10">2</a></li></ul></div></div>'
    )
    assert parse_page(joomla_blog, f"{BASE}/projekt").kind.kind == "list"


def test_the_projects_bodies_and_terms_make_an_article_about_it_in_any_form():
    """On a general news list an article is about the project when it names the project's
    bodies, inflected as Polish inflects them, with or without Polish letters."""
    general = NewsRule.of(DEFAULT_PROJECT_TERMS)
    lead = "<p>12.05.2020 r. w Starostwie Powiatowym w Kwidzynie odbyło się spotkanie. </p>"
    for words in (
        "Członkowie Powiatowej Grupy Decydentów omówili współpracę z policją i sądem.",
        "Na posiedzeniu Regionalnej Grupy Refleksyjnej rozmawiano o rodzinach w kryzysie.",
        "Przedstawiciele zespołów kooperacyjnych z trzech gmin wymienili doświadczenia.",
        "Koordynatorzy kooperacji z gmin wiejskich przedstawili plan pracy na 2020 rok.",
        "Czlonkowie powiatowej grupy decydentow spotkali sie w starostwie w Kwidzynie.",
    ):
        html = page(f"<h1>Spotkanie w Kwidzynie</h1>{lead}<p>{words}</p>")
        parsed = parse_page(html, "https://rops.pomorskie.eu/aktualnosci/kwidzyn/", "", general)
        assert parsed.kind.kind == "article" and parsed.is_news, words
    off = page(
        f"<h1>Spotkanie w Kwidzynie</h1>{lead}<p>Grupa wsparcia dla rodzin zastępczych "
        "spotyka się w każdy czwartek; zapraszamy nowych uczestników.</p>"
    )
    assert not parse_page(off, "https://rops.pomorskie.eu/aktualnosci/kwidzyn/").is_news
    # The project's own section: every article is kept, a list of them still is not.
    own = NewsRule.of(DEFAULT_PROJECT_TERMS, "project")
    assert parse_page(off, f"{BASE}/kwidzyn/", "", own).is_news
    teasers = "".join(
        f'<article><span class="date">{d}.10.2019</span><h2><a href="/aktualnosci/art-{d}/">'
        f"Spotkanie {d}</a></h2></article>"
        for d in (2, 9)
    )
    listing = page(f"<h1>Aktualności</h1>{teasers}")
    assert not parse_page(listing, f"{BASE}/aktualnosci/", "", own).is_news
