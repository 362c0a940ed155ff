"""Links of partner HTML pages: anchors, iframes, embeds, objects, with the text around them."""

from __future__ import annotations

from dataclasses import dataclass

from kooperacja.harvest.urls import normalize_url
from kooperacja.htmltext import main_text, page_title, soup_of


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


def parse_page(html: str, url: str) -> ParsedPage:
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
    return ParsedPage(
        url, title, tuple(Link(u, t, c) for u, (t, c) in links.items()), main_text(soup)
    )


def _context(el) -> str:
    block = el.find_parent(("li", "p", "td", "dd", "div", "article", "section"))
    if block is None:
        return ""
    return " ".join(block.get_text(" ", strip=True).split())[:400]
