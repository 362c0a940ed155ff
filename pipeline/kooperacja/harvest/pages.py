"""Reading partner HTML pages: charset, links (anchors, iframes, embeds, objects), main text."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from kooperacja.harvest.pagekind import PageKind, classify_page
from kooperacja.harvest.urls import normalize_url
from kooperacja.harvest.video import VideoRef, canonical_video_url, find_videos

POLISH_LETTERS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Containers that are chrome, not content, on typical Joomla/WordPress/BIP partner pages.
CHROME_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "template",
)
CHROME_HINT = re.compile(
    r"(^|[\s_-])(cookie|cookies|rodo|gdpr|menu|nav|navbar|navigation|footer|stopka|breadcrumbs?|"
    r"okruszki|sidebar|share|social|skip|search|wyszukiwarka|banner|header|naglowek)([\s_-]|$)",
    re.I,
)
MAIN_SELECTORS = (
    "main",
    "article",
    "[role=main]",
    "#content",
    ".content",
    "#main",
    ".entry-content",
    ".item-page",
    ".article",
)


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

    @property
    def is_news(self) -> bool:
        return self.kind.is_news(self.main_text)

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


def decode_html(body: bytes, header_charset: str | None) -> str:
    """Decode a page whatever its charset: header, then <meta>, then UTF-8, then the Polish
    single-byte code page that yields more Polish letters (windows-1250 vs ISO-8859-2)."""
    for candidate in (header_charset, _meta_charset(body)):
        if candidate:
            try:
                return body.decode(_codec(candidate))
            except (LookupError, UnicodeDecodeError):
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = max(
        ("cp1250", "iso-8859-2"),
        key=lambda enc: sum(ch in POLISH_LETTERS for ch in body.decode(enc, errors="replace")),
    )
    return body.decode(best, errors="replace")


def _meta_charset(body: bytes) -> str | None:
    m = META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def _codec(name: str) -> str:
    name = name.strip().lower()
    # Browsers read ISO-8859-1 labels as windows-1252; Polish sites mislabel windows-1250 as latin2.
    return {"iso-8859-1": "cp1252", "latin1": "cp1252", "windows-1250": "cp1250"}.get(name, name)


def parse_page(html: str, url: str, last_modified: str = "") -> ParsedPage:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
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
    title = _title(soup)
    videos = find_videos(soup, base)  # before the chrome (and so every iframe) is stripped
    kind = classify_page(soup, url, last_modified)
    return ParsedPage(
        url,
        title,
        tuple(Link(u, t, c) for u, (t, c) in links.items()),
        main_text(soup),
        kind,
        videos,
    )


def _context(el) -> str:
    block = el.find_parent(("li", "p", "td", "dd", "div", "article", "section"))
    if block is None:
        return ""
    return " ".join(block.get_text(" ", strip=True).split())[:400]


def _title(soup: BeautifulSoup) -> str:
    for sel in ("h1", "title"):
        el = soup.find(sel)
        if el is not None:
            text = " ".join(el.get_text(" ", strip=True).split())
            if text:
                return text
    return ""


def main_text(soup: BeautifulSoup) -> str:
    """The article text of a page: menus, footers, cookie banners and scripts removed."""
    for tag in soup.find_all(CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        hint = " ".join(
            [*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")]
        )
        if hint.strip() and CHROME_HINT.search(hint) and tag.name not in ("body", "html", "main"):
            tag.decompose()
    root = None
    for sel in MAIN_SELECTORS:
        root = soup.select_one(sel)
        if root is not None and len(root.get_text(strip=True)) > 200:
            break
        root = None
    root = root or soup.body or soup
    lines = (" ".join(line.split()) for line in root.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)
