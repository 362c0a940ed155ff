"""Links of partner HTML pages: anchors, iframes, embeds, objects, with the text around them."""

from __future__ import annotations

from dataclasses import dataclass

from kooperacja.config import DEFAULT_PROJECT_TERMS
from kooperacja.harvest.video import VideoRef, canonical_video_url, find_videos
from kooperacja.webpage.htmltext import main_text, page_title, soup_of
from kooperacja.webpage.pagekind import NewsRule, PageKind, classify_page
from kooperacja.webpage.urls import normalize_url

GENERAL_NEWS = NewsRule.of(DEFAULT_PROJECT_TERMS)  # a partner configured with the defaults


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    context: str = ""  # text of the block around the link: dates and sizes are often there


@dataclass(frozen=True)
class ParsedPage:
    url: str
    title: str
    links: tuple[Link, ...]
    main_text: str
    kind: PageKind = PageKind("page", "not classified", "")
    videos: tuple[VideoRef, ...] = ()
    news_rule: NewsRule = GENERAL_NEWS  # the partner's: what of its pages is news

    @property
    def is_news(self) -> bool:
        return self.kind.is_news(self.main_text, self.news_rule)

    def links_and_films(self) -> list[Link]:
        """What the crawl goes on to: the links that are no film, then each film once, by its
        canonical URL, with its title and the words around it (and the article's date, which
        dates the film)."""
        out = [link for link in self.links if canonical_video_url(link.url) is None]
        for film in self.videos:
            context = film.context
            if self.kind.date_text and self.kind.date_text not in context:
                context = f"{self.kind.date_text} · {context}"
            out.append(Link(film.url, film.title, context))
        return out


def parse_page(
    html: str, url: str, last_modified: str = "", news_rule: NewsRule = GENERAL_NEWS
) -> ParsedPage:
    soup = soup_of(html)
    base = url
    base_tag = soup.find("base", href=True)
    if base_tag is not None:
        base = normalize_url(str(base_tag["href"]), url) or url

    links: dict[str, tuple[str, str]] = {}
    for tag, attr in (
        ("a", "href"),
        ("area", "href"),
        ("iframe", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("frame", "src"),
    ):
        for el in soup.find_all(tag):
            target = el.get(attr)
            if not isinstance(target, str):
                continue
            norm = normalize_url(target, base)
            if norm is None:
                continue
            text = " ".join(el.get_text(" ", strip=True).split()) if tag == "a" else ""
            if not text and tag == "a":
                text = str(el.get("title") or "")
            if norm not in links or (text and not links[norm][0]):
                links[norm] = (text, _context(el) if tag == "a" else "")
    title = page_title(soup)
    videos = find_videos(soup, base)  # before the chrome (and so every iframe) is stripped
    kind = classify_page(soup, url, last_modified)
    return ParsedPage(
        url,
        title,
        tuple(Link(u, t, c) for u, (t, c) in links.items()),
        main_text(soup),
        kind,
        videos,
        news_rule,
    )


def _context(el) -> str:
    block = el.find_parent(("li", "p", "td", "dd", "div", "article", "section"))
    if block is None:
        return ""
    return " ".join(block.get_text(" ", strip=True).split())[:400]
