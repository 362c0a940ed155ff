"""Template helpers: numbers and dates the way the reader's language writes them, labels, and the
two places where text becomes markup (snippets, links), both made safe here."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from kooperacja.i18n import N_, format_number, translations
from kooperacja.models import PageHit, Snippet


def number(value: object, lang: str) -> str:
    """A count or page number in the reader's language; anything else as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    return "" if value is None else str(value)


def template_gettext(gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """`_()` for autoescaped templates, as Jinja's newstyle gettext gives it (the translation
    as markup, formatted with its escaped `variables`), with each translation without
    variables made once: a results page asks for some fifty, each through two of Jinja's calls
    and a format otherwise."""
    made: dict[str, Markup] = {}

    def translated(message: str, **variables: object) -> Markup:
        if variables:
            return Markup(gettext(message)) % variables
        text = made.get(message)
        if text is None:
            text = made[message] = Markup(gettext(message)) % {}
        return text

    return translated


def snippet(excerpt: Snippet) -> Markup:
    """A search snippet as markup: its text escaped, each matched span in <mark>…</mark>."""
    # Escaped as the templates escape (markupsafe); one Markup, not one a piece.
    return Markup(excerpt.marked(escape, "<mark>", "</mark>"))


def page_place(page: PageHit, with_label: Markup, plain: Markup) -> Markup:
    """A matched page as the results name it: `with_label` ("p. {label} (PDF page {page})")
    when its printed number differs from the PDF's, else `plain` ("page {page}"); as
    Markup.format gives them, without its formatter's cost on each of some thirty pages."""
    if page.label and page.label != str(page.page):
        return Markup(str.format(with_label, label=escape(page.label), page=page.page))
    return Markup(str.format(plain, page=page.page))


# A line ending a sentence (or introducing a list) ends its paragraph; a line starting with a
# bullet or a number ("1.", "a)") starts one.
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”»)\]]*$")
# Abbreviations a Polish line ends with mid-sentence ("… 2 października 2019 r.").
_ABBREVIATIONS = frozenset({
    "r.", "ul.", "np.", "tj.", "tzn.", "tzw.", "m.in.", "ok.", "pkt.", "nr.", "dr.", "prof.",
    "godz.", "al.", "ust.", "art.", "poz.", "str.", "s.", "im.", "tel.", "woj.", "pow.", "gm.",
    "św.", "wg.", "tys.", "mln.", "zł.",
})
_STARTS_ITEM = re.compile(r"^(?:[•●▪■◦·*–—-]\s|\(?\d{1,3}[.)]\s|[a-z][.)]\s)")


def paragraphs(text: str) -> list[str]:
    """A page's text as a reader's paragraphs: the PDF's hard line breaks joined with a space,
    except after a line ending a sentence, after a short line followed by a capital (a heading),
    before a list item and at a blank line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\f", "\n\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        width = max((len(line) for line in lines), default=0)
        current: list[str] = []
        for i, line in enumerate(lines):
            if current and _STARTS_ITEM.match(line):
                out.append(" ".join(current))
                current = []
            current.append(line)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            last_word = line.rsplit(" ", 1)[-1].lower()
            ends = bool(_ENDS_SENTENCE.search(line)) and last_word not in _ABBREVIATIONS
            heading = len(line) < 0.6 * width and following[:1].isupper() and line[-1:].isalnum()
            if ends or heading:
                out.append(" ".join(current))
                current = []
        if current:
            out.append(" ".join(current))
    return out


def marked_paragraphs(text: str, mark: Callable[[str], Snippet] | None) -> list[Snippet]:
    """The page's paragraphs, each with the query's words marked by `mark` (when a query)."""
    return [mark(p) if mark else Snippet(p) for p in paragraphs(text)]


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
