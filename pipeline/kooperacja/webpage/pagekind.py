"""What kind of page a partner page is: an article (a news item, however short), a list of
articles (the news section, its pagination), a navigation page (contact, sitemap, search,
accessibility statement), or another page (the project's own description).

Only articles and substantial pages about the project become `news` documents; lists and
navigation pages are followed for their links and never archived as documents. What "about the
project" means comes from the caller (`NewsRule`: the configured terms, the partner's scope).
The article's heading and date are read here too, so a title is never the site's name and a date
is the one printed with the article, not the first date in its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from kooperacja.dates import FoundDate, find_dates, parse_http_date
from kooperacja.text import fold_key
from kooperacja.webpage.urls import looks_like_document, normalize_url

MIN_ARTICLE_CHARS = 80  # body text besides the heading: below this it is a stub, not an article
MIN_PAGE_CHARS = 300  # a page that is not an article needs real prose to be worth keeping
NAVIGATION = re.compile(
    r"^(kontakt|contact|mapa[ -]strony|sitemap|szukaj|wyszukiwarka|wyniki wyszukiwania|search|"
    r"logowanie|zaloguj|login|deklaracja dostepnosci|polityka prywatnosci|polityka cookies|"
    r"cookies|rodo|ochrona danych osobowych|regulamin serwisu|redakcja serwisu|"
    r"strona glowna|start)\b"
)
LIST_NAMES = re.compile(
    r"^(aktualnosci|wiadomosci|news|archiwum|wydarzenia|komunikaty|ogloszenia|blog|"
    r"kategoria|category|tag|galerie|artykuly)\b"
)
PAGINATION_CLASS = re.compile(r"pagination|pager|nav-links|paginacja|stronicowanie", re.I)
PAGINATION_URL = re.compile(r"/page/\d+/?$|[?&](page|strona|start|limitstart|paged|p)=\d+", re.I)
PAGINATION_TEXT = re.compile(
    r"^(następna|poprzednia|nastepna|starsze wpisy|nowsze wpisy|dalej|wstecz|»|«|›|‹)", re.I
)
DATE_HINT = re.compile(r"date|data|time|published|posted|opublikowan|meta|info", re.I)
ARTICLE_URL = re.compile(
    r"/(19|20)\d\d/\d\d?/|/(aktualnosci|wiadomosci|news|wydarzenia|artykul|komunikaty)/[^/]+"
    r"|,artykul,|[?&](id|art|artykul)=\d+",
    re.I,
)
HEADING_TAGS = ("h1", "h2")


@dataclass(frozen=True)
class NewsRule:
    """Which of a partner's articles are news: on a general news list those about the project
    (a match of `about` in the folded heading or text); in the project's own section, every
    one (`every_article`)."""

    about: re.Pattern[str]
    every_article: bool = False

    @classmethod
    def of(cls, terms: Iterable[str], scope: str = "general") -> NewsRule:
        """From the config's folded stems (`crawl.project_terms`) and a partner's `news_scope`."""
        about = re.compile("|".join(f"(?:{term})" for term in terms) or r"(?!)")
        return cls(about, every_article=scope == "project")

    def about_project(self, heading: str, main_text: str) -> bool:
        return bool(self.about.search(fold_key(heading)) or self.about.search(fold_key(main_text)))


@dataclass(frozen=True)
class PageKind:
    kind: str  # article | list | navigation | page
    reason: str
    heading: str  # the article's (or page's) own heading; "" when the page has none
    date: str | None = None  # ISO date printed with the article
    date_text: str = ""  # how the page printed it

    def metadata(self) -> dict[str, str]:
        """What extraction records of an HTML page, for tagging (its `pdf_meta` column)."""
        meta = {"page_kind": self.kind}
        if self.date:
            meta.update(article_date=self.date, article_date_text=self.date_text)
        return meta

    def is_news(self, main_text: str, rule: NewsRule) -> bool:
        """Whether the page is archived as a `news` document."""
        if self.kind in ("list", "navigation"):
            return False
        if not (rule.every_article or rule.about_project(self.heading, main_text)):
            return False
        body = len(main_text) - len(self.heading)
        return body >= (MIN_ARTICLE_CHARS if self.kind == "article" else MIN_PAGE_CHARS)


def classify_page(soup: BeautifulSoup, url: str, last_modified: str = "") -> PageKind:
    """The kind of a parsed page; `soup` must still hold its structure (call it before the
    chrome is stripped for the main text). `url` may be "" when unknown."""
    root = _content_root(soup)
    heading_el = _heading(root)
    heading = _text(heading_el) if heading_el is not None else ""
    name = fold_key(f"{heading}")
    slug = fold_key(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].replace("-", " "))
    for label, value in (("heading", name), ("address", slug)):
        if NAVIGATION.match(value):
            return PageKind("navigation", f"{label} '{value}' names a navigation page", heading)
    paginated = _pagination(root, url)
    if paginated:
        return PageKind("list", paginated, heading)
    teasers = _teasers(root, url)
    if len(teasers) >= 2 and (
        LIST_NAMES.match(name) or LIST_NAMES.match(slug) or _prose_outside(root, teasers) < 200
    ):
        reason = f"{len(teasers)} article teasers and little text of its own"
        return PageKind("list", reason, heading)
    if LIST_NAMES.match(name) and not teasers and len(_text(root)) < len(heading) + 40:
        return PageKind("list", f"heading '{heading}' names an empty list", heading)
    year = _year_hint(last_modified)
    found = _article_date(root, heading_el, year)
    if found is not None:
        return PageKind(
            "article", f"heading with the date '{found.text}'", heading, found.iso, found.text
        )
    if heading and url and ARTICLE_URL.search(urlsplit(url).path + "?" + urlsplit(url).query):
        return PageKind("article", "an article address with a heading", heading)
    return PageKind("page", "no article date, no list", heading)


def _content_root(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    for selector in ("main", "[role=main]", "#content", ".content", "#main", ".item-page"):
        el = soup.select_one(selector)
        if el is not None:
            return el
    return soup.body or soup


def _heading(root: Tag) -> Tag | None:
    for name in HEADING_TAGS:
        for el in root.find_all(name):
            if _text(el) and not _in_chrome(el):
                return el
    return None


def _text(el: Tag) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


def _in_chrome(el: Tag) -> bool:
    return el.find_parent(("nav", "header", "footer", "aside")) is not None


def _pagination(root: Tag, url: str) -> str:
    if url and PAGINATION_URL.search(url):
        return "a page of a paginated list (address)"
    for el in root.find_all(True, class_=PAGINATION_CLASS):
        if el.find("a"):
            return "a paginated list (pagination links)"
    for a in root.find_all("a", href=True):
        if PAGINATION_TEXT.match(_text(a)) and PAGINATION_URL.search(str(a["href"])):
            return f"a paginated list (link '{_text(a)}')"
    return ""


def _teasers(root: Tag, url: str) -> list[Tag]:
    """Repeated blocks that each announce another page: `<article>`s, or list items and
    headings linking an in-site page, with a date beside the link."""
    articles = [a for a in root.find_all("article") if a is not root]
    if len(articles) >= 2:
        return articles
    host = urlsplit(url).netloc
    out: list[Tag] = []
    for block in root.find_all(("li", "div", "h2", "h3")):
        link = block.find("a", href=True)
        if link is None or block.find(("li", "article")) is not None:
            continue
        target = normalize_url(str(link["href"]), url)
        if not target or urlsplit(target).netloc != host or looks_like_document(target):
            continue
        if target.rstrip("/") == url.rstrip("/"):
            continue
        if find_dates(_text(block)) and len(_text(block)) < 600:
            out.append(block)
    return out


def _prose_outside(root: Tag, teasers: list[Tag]) -> int:
    inside = sum(len(_text(t)) for t in teasers)
    return max(0, len(_text(root)) - inside)


def _year_hint(last_modified: str) -> int | None:
    known = parse_http_date(last_modified)
    return known.year if known else None


def _article_date(root: Tag, heading: Tag | None, year: int | None) -> FoundDate | None:
    """The date printed with the article: a `<time>` or an element marked as a date (not one
    of a list of teasers), or a date in the first lines after the heading."""
    for el in root.find_all("time"):
        if _in_teaser(el, root):
            continue
        for value in (str(el.get("datetime") or ""), _text(el)):
            found = parse_http_date(value) if value[:4].isdigit() else None
            found = found or next(iter(find_dates(value, year)), None)
            if found:
                return found
    for el in root.find_all(True, class_=DATE_HINT):
        if _in_teaser(el, root) or el.find(("p", "div", "article")) or len(_text(el)) > 120:
            continue
        found = next(iter(find_dates(_text(el), year)), None)
        if found:
            return found
    if heading is None:
        return None
    lead: list[str] = []
    for el in heading.find_all_next(string=True, limit=40):
        if _in_teaser(el.parent, root) if el.parent is not None else False:
            break
        text = " ".join(str(el).split())
        if text:
            lead.append(text)
        if sum(map(len, lead)) > 200:
            break
    return next(iter(find_dates(" ".join(lead), year)), None)


def _in_teaser(el: Tag, root: Tag) -> bool:
    """Inside a list item or an `<article>` nested in the content: another page's date."""
    for parent in el.parents:
        if parent is root:
            return False
        if parent.name in ("li", "article"):
            return True
    return False
