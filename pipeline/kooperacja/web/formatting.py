"""Template helpers: numbers and dates the way the reader's language writes them, labels, and the
two places where text becomes markup (snippets, links), both made safe here."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
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


_ABSOLUTE_PATH = re.compile(r"(?<![\w:/])/(?:[^\s'\"/:]+/)*[^\s'\"/:]+")


def without_paths(message: str, folders: Mapping[Path, str]) -> str:
    """A message for a web reader: the server's folders named by what they are ("the index
    folder"), never by where they are; any other absolute path left out."""
    for folder, label in sorted(folders.items(), key=lambda f: -len(str(f[0]))):
        for spelling in {str(folder.resolve()), str(folder.absolute())}:  # never a bare "index"
            message = message.replace(spelling, label)
    return _ABSOLUTE_PATH.sub("…", message)
