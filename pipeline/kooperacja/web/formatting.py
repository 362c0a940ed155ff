"""Template helpers: numbers and dates the way the reader's language writes them, labels, and the
two places where text becomes markup (snippets, links), both made safe here."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from kooperacja.i18n import N_, format_number, translations
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


# What a failing link's HTTP status means to a reader (the catalogue keeps "HTTP 404").
_HTTP_MEANING = {
    404: N_("no such page (error {status})"),
    410: N_("removed by the site (error {status})"),
    403: N_("access refused (error {status})"),
    401: N_("access refused (error {status})"),
}


def link_failure(detail: str, lang: str) -> str:
    """Why a link failed, as a reader understands it: "HTTP 404" → "nie ma takiej strony
    (błąd 404)"; a detail of another kind as it was recorded."""
    gettext = translations(lang).gettext
    found = re.fullmatch(r"HTTP (\d{3})", detail.strip())
    if found:
        status = int(found.group(1))
        if status >= 500:
            message = N_("the site's server failed (error {status})")
        else:
            message = _HTTP_MEANING.get(status, N_("the site answered with error {status}"))
        return gettext(message).format(status=status)
    waited = re.fullmatch(r"no answer within ([\d.]+)s", detail.strip())
    if waited:
        return gettext(N_("no answer within {seconds} s")).format(seconds=waited.group(1))
    return detail


_ABSOLUTE_PATH = re.compile(r"(?<![\w:/])/(?:[^\s'\"/:]+/)*[^\s'\"/:]+")


def without_paths(message: str, folders: Mapping[Path, str]) -> str:
    """A message for a web reader: the server's folders named by what they are ("the index
    folder"), never by where they are; any other absolute path left out."""
    for folder, label in sorted(folders.items(), key=lambda f: -len(str(f[0]))):
        for spelling in {str(folder.resolve()), str(folder.absolute())}:  # never a bare "index"
            message = message.replace(spelling, label)
    return _ABSOLUTE_PATH.sub("…", message)
