"""Polish dates in free text, PDF metadata dates and HTTP dates, as pure functions.

Recognised forms (case-insensitive, with or without Polish diacritics):
  "23 października 2019", "23 października 2019 r.", "2 października br." (br. = bieżącego roku:
  resolved only when the caller knows the year of the page), "2.10.2019", "02.10.2019 r.",
  "2/10/2019", "23.X.2019", "2019-10-23", "październik 2021", "w październiku 2021".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from kooperacja.text import fold_key

# Every inflected form a month takes in dates: nominative, genitive, locative.
_MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("styczeń", "stycznia", "styczniu"),
    2: ("luty", "lutego", "lutym"),
    3: ("marzec", "marca", "marcu"),
    4: ("kwiecień", "kwietnia", "kwietniu"),
    5: ("maj", "maja", "maju"),
    6: ("czerwiec", "czerwca", "czerwcu"),
    7: ("lipiec", "lipca", "lipcu"),
    8: ("sierpień", "sierpnia", "sierpniu"),
    9: ("wrzesień", "września", "wrześniu"),
    10: ("październik", "października", "październiku"),
    11: ("listopad", "listopada", "listopadzie"),
    12: ("grudzień", "grudnia", "grudniu"),
}
_ROMAN = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6,
    "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12,
}  # fmt: skip


def _month_lookup() -> dict[str, int]:
    table: dict[str, int] = {}
    for month, forms in _MONTH_FORMS.items():
        for form in forms:
            table[form] = month
            table[fold_key(form)] = month
    return table


_MONTHS = _month_lookup()
# Longest first so "marca" is not read as "mar"+"ca" by the alternation.
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_CURRENT = r"(?P<current>b\.\s?r\.?|br\.?|bieżącego roku|biezacego roku)"
_RE_NAMED = re.compile(
    rf"(?<!\d)(?P<day>[0-3]?\d)\s*(?P<month>{_MONTH_ALT})\s+(?:{_YEAR}|{_CURRENT})(?:\s*r\.)?"
    r"(?!\w)",
    re.IGNORECASE,
)
_RE_NUMERIC = re.compile(
    rf"(?<![\d.])(?P<day>[0-3]?\d)\s?[./-]\s?(?P<month>[01]?\d)\s?[./-]\s?{_YEAR}(?!\d)(?:\s*r\.)?",
)
_RE_ROMAN = re.compile(
    r"(?<![\w.])(?P<day>[0-3]?\d)[. ](?P<month>xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)[. ]\s?"
    rf"{_YEAR}(?!\d)",
    re.IGNORECASE,
)
_RE_ISO = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)")
_RE_MONTH_YEAR = re.compile(rf"(?<!\w)(?P<month>{_MONTH_ALT})\s+{_YEAR}(?!\d)", re.IGNORECASE)
_RE_PDF_DATE = re.compile(r"^\s*(?:D:)?(?P<year>\d{4})(?P<month>\d{2})?(?P<day>\d{2})?")


@dataclass(frozen=True)
class FoundDate:
    """A date found in text; `day` (and `month`) are None when the text did not give them."""

    year: int
    month: int | None
    day: int | None
    text: str  # the matched text, for the reason shown to people
    start: int = 0  # offset in the searched text
    end: int = 0

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return True


def find_dates(text: str, current_year: int | None = None) -> list[FoundDate]:
    """Every date in `text`, in reading order; "br." dates only when `current_year` is known."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], year: int, month: int, day: int | None) -> None:
        if any(m.start() < e and s < m.end() for s, e in taken):
            return
        taken.append((m.start(), m.end()))  # even if invalid: "30 lutego" is no "luty 2020"
        if not _valid(year, month, day):
            return
        found.append(FoundDate(year, month, day, m.group(0).strip(), m.start(), m.end()))

    for m in _RE_NAMED.finditer(text):
        if m.group("year"):
            year = int(m.group("year"))
        elif current_year is not None:
            year = current_year
        else:
            continue
        add(m, year, _MONTHS[m.group("month").lower()], int(m.group("day")))
    for m in _RE_ISO.finditer(text):
        add(m, int(m.group("year")), int(m.group("month")), int(m.group("day")))
    for m in _RE_NUMERIC.finditer(text):
        add(m, int(m.group("year")), int(m.group("month")), int(m.group("day")))
    for m in _RE_ROMAN.finditer(text):
        add(m, int(m.group("year")), _ROMAN[m.group("month").lower()], int(m.group("day")))
    for m in _RE_MONTH_YEAR.finditer(text):
        add(m, int(m.group("year")), _MONTHS[m.group("month").lower()], None)
    return sorted(found, key=lambda d: d.start)


def parse_pdf_date(raw: str) -> FoundDate | None:
    """A PDF date string ("D:20191023101500+02'00'") as a day-precise date, or None if junk."""
    m = _RE_PDF_DATE.match(raw or "")
    if not m or not m.group("month") or not m.group("day"):
        return None
    year, month, day = int(m.group("year")), int(m.group("month")), int(m.group("day"))
    if not (1990 <= year <= 2100) or not _valid(year, month, day):
        return None
    return FoundDate(year, month, day, raw.strip())


def parse_http_date(raw: str) -> FoundDate | None:
    """An HTTP date ("Wed, 23 Oct 2019 10:00:00 GMT") or an ISO date, or None."""
    if not raw or not raw.strip():
        return None
    iso = _RE_ISO.search(raw)
    if iso:
        y, mo, d = int(iso.group("year")), int(iso.group("month")), int(iso.group("day"))
        return FoundDate(y, mo, d, raw.strip()) if _valid(y, mo, d) else None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return FoundDate(parsed.year, parsed.month, parsed.day, raw.strip())


_RE_YEAR_LINE = re.compile(
    r"^\s*(?:[A-ZĄĆĘŁŃÓŚŹŻ][\w\- ]{1,30},?\s+)?(?P<year>(?:19|20)\d\d)\s*(?:r\.)?\s*$"
)


def cover_year(line: str) -> int | None:
    """The year of a cover line that is only a year or "Place YYYY" ("Toruń 2021"), else None."""
    m = _RE_YEAR_LINE.match(line)
    return int(m.group("year")) if m else None


def parse_moment(text: str) -> datetime | None:
    """A calendar date ("2026-01-31") or an ISO time ("2026-01-31T08:00:00Z") as a UTC datetime;
    None for anything else, including days that do not exist ("2026-13-01", "2026-02-30")."""
    value = (text or "").strip()
    if not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?",
        value,
        flags=re.ASCII,  # 0-9 only: not "²" or "٢"
    ):
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # also a time zone pushing 9999-12-31 past the year 9999
        return None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_utc(stamp: str | None) -> datetime | None:
    """A stamp as `now_iso` writes it (or any ISO date/time, read as UTC); None if unreadable."""
    if not stamp or not stamp.strip():
        return None
    try:
        when = datetime.fromisoformat(stamp.strip().replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
