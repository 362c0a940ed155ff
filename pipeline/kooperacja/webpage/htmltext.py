"""Reading an HTML page: its text by one decoding rule, its title and its main text.

The crawl reads a page to find its links and to tell a page about the project; extract reads the
archived bytes to make the page's text. Both decode through `decode_html` with the charset the
server sent (recorded in the catalogue), so the two never read one page two ways.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from kooperacja.text import count_polish_letters
from kooperacja.webpage.pagekind import PageKind, classify_page

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
        key=lambda enc: count_polish_letters(body.decode(enc, errors="replace")),
    )
    return body.decode(best, errors="replace")


def _meta_charset(body: bytes) -> str | None:
    m = META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def _codec(name: str) -> str:
    name = name.strip().lower()
    # Browsers read ISO-8859-1 labels as windows-1252; Polish sites mislabel windows-1250 as latin2.
    return {"iso-8859-1": "cp1252", "latin1": "cp1252", "windows-1250": "cp1250"}.get(name, name)


def soup_of(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "html.parser")


def page_title(soup: BeautifulSoup) -> str:
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


def read_html(body: bytes, header_charset: str | None) -> tuple[str, str, PageKind]:
    """The title, main text and kind of an archived page, decoded as the crawl decoded it."""
    soup = soup_of(decode_html(body, header_charset))
    title = page_title(soup)
    kind = classify_page(soup, "")  # before main_text strips the structure it reads
    return title, main_text(soup), kind
