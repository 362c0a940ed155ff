"""Template helpers: numbers and dates the way the reader's language writes them, labels, and the
two places where text becomes markup (snippets, links), both made safe here."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from markupsafe import Markup

from kooperacja.i18n import format_number

_BOLD = re.compile(r"(</?b>)")


def number(value: object, lang: str) -> str:
    """A count or page number in the reader's language; anything else as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    return "" if value is None else str(value)


def snippet(text: str) -> Markup:
    """A search snippet with only its <b>…</b> marks kept as markup. The search library escapes
    the page text already; everything between the marks is unescaped and escaped again here, so
    the output is safe whatever the library did and never escaped twice."""
    parts = []
    for piece in _BOLD.split(text or ""):
        if piece in ("<b>", "</b>"):
            parts.append("<mark>" if piece == "<b>" else "</mark>")
        else:
            parts.append(html.escape(html.unescape(piece), quote=True))
    opened = sum(p == "<mark>" for p in parts) - sum(p == "</mark>" for p in parts)
    return Markup("".join(parts) + "</mark>" * max(0, opened))


def safe_href(url: object) -> str | None:
    """A URL from a partner's page fit for an href: http(s) only (never `javascript:`)."""
    text = str(url or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return text if scheme in ("http", "https") else None
