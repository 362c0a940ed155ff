"""Template helpers: numbers and dates the way the reader's language writes them, labels, and the
two places where text becomes markup (snippets, links), both made safe here."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from markupsafe import Markup

from kooperacja.i18n import format_number
from kooperacja.models import Snippet


def number(value: object, lang: str) -> str:
    """A count or page number in the reader's language; anything else as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    return "" if value is None else str(value)


def snippet(excerpt: Snippet) -> Markup:
    """A search snippet as markup: its text escaped, each matched span in <mark>…</mark>."""
    return Markup(
        "".join(
            f"<mark>{html.escape(piece)}</mark>" if marked else html.escape(piece)
            for piece, marked in excerpt.pieces()
        )
    )


def safe_href(url: object) -> str | None:
    """A URL from a partner's page fit for an href: http(s) only (never `javascript:`)."""
    text = str(url or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return text if scheme in ("http", "https") else None
