"""Polish and English through gettext catalogues (Babel-made, in `kooperacja/locale/`).

Message ids are English; `pl` is the default for the web page and, when the locale names no
language of ours (C, POSIX, unset), for the command line: the archive's readers are Polish staff.
The compiled `.mo` files are committed beside their `.po` (tests check they agree), so running the
program needs no Babel step and the CLI loads them with the standard library alone.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("pl", "en")
DEFAULT_LANGUAGE = "pl"
DOMAIN = "kooperacja"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@functools.cache  # catalogues are read once per process; GNUTranslations are not changed later
def translations(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _language_of(value: str) -> str | None:
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the command line speaks, from LANGUAGE, LC_ALL, LC_MESSAGES and LANG as
    gettext reads them: LANGUAGE's list first, then the first of the others that is set."""
    env = os.environ if environ is None else environ
    for item in (env.get("LANGUAGE") or "").split(":"):
        if item and (found := _language_of(item)):
            return found
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return _language_of(env[var]) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


def format_number(value: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A whole number as Babel writes it in the language ("12 345" in Polish, "12,345" in
    English). Below 1,000 that is the plain digits, so Babel and its locale data (tens of ms,
    too much for every `kooperacja search`) are loaded only for larger numbers."""
    if abs(value) < 1_000:
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=lang)


def format_stamp(value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """A catalogue date or time ("2021-06-16", "2026-11-30T08:00:00Z") as the language writes
    it ("16 czerwca 2021", "30 lis 2026, 09:00:00" in Warsaw time); unreadable text as it is."""
    from babel.dates import format_date, format_datetime

    from kooperacja.dates import parse_utc

    text = "" if value is None else str(value)
    when = parse_utc(text)
    if when is None:
        return text
    try:
        if len(text.strip()) <= 10:
            return format_date(when.date(), format="long", locale=lang)
        return format_datetime(when, format="medium", tzinfo="Europe/Warsaw", locale=lang)
    except OverflowError:  # past the year 9999 in Warsaw time: shown as written
        return text


def error_message(exc: Exception, lang: str = DEFAULT_LANGUAGE) -> str:
    """An error's one-line message in the language: translated when it carries its message id
    (`template`) and parameters, as a query error does; else as it was raised."""
    template = getattr(exc, "template", None)
    if not template:
        return str(exc)
    return translations(lang).gettext(template).format(**getattr(exc, "params", {}))
