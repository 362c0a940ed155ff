"""A search as people ask for it (`search --type rekomendacje --year 2019..2021`, the web page's
`?type=…&year=…`), checked in one place: both readers accept and refuse the same values. The
command line stops at the first value it cannot use (a UsageError, exit 2); the web page drops
such values and names each (`lenient=True`), in its own words and language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kooperacja.errors import UsageError
from kooperacja.filetypes import FORMAT_ALIASES, FORMATS
from kooperacja.models import (
    DOCUMENT_TYPES,
    STATUSES,
    SearchFilters,
    resolve_type,
    type_names_help,
)
from kooperacja.text import ascii_digits, fold_key

SORTS = ("relevance", "newest", "oldest", "title")  # orders of a result's documents
MAX_RESULTS = 1000  # `search --limit` and the web page's deepest result
DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Problem:
    """A value that cannot be used: its field (type, partner, year, status, limit, sort), the values
    as given, the valid ones, and the command line's one-line message."""

    field: str
    values: tuple[str, ...]
    valid: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class SearchRequest:
    """A checked search: the query, the filters, how many documents from where."""

    query: str = ""
    types: tuple[str, ...] = ()  # type codes
    partners: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    statuses: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # filetypes.FORMATS
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    require_all: bool = False  # only documents with a page holding every word
    sort: str = SORTS[0]
    problems: tuple[Problem, ...] = ()  # with lenient=True: what was dropped

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(
            self.types, self.partners, self.year_from, self.year_to, self.statuses, self.formats
        )


def parse_request(
    query: str = "",
    *,
    types: Sequence[str] = (),
    partners: Sequence[str] = (),
    year: str | None = None,
    statuses: Sequence[str] = (),
    formats: Sequence[str] = (),
    limit: int | str = DEFAULT_LIMIT,
    offset: int = 0,
    require_all: bool = False,
    sort: str = SORTS[0],
    known_partners: Sequence[str] = (),
    partners_from: str = "config.yaml",
    lenient: bool = False,
) -> SearchRequest:
    """The request, checked: types as codes or Polish names (`rekomendacje`), partners among
    `known_partners` (named in the config file `partners_from`), a year or a range, statuses,
    a limit of 1..MAX_RESULTS, an order among SORTS. A value that cannot be used raises
    UsageError with its message, or, when `lenient`, is left out and named in `problems`."""
    problems: list[Problem] = []
    year_from, year_to = _years(year, problems)
    codes = _types(types, problems)
    partner_ids = _among(partners, known_partners, "partner", problems, (
        lambda v: f"--partner {v!r} is not a partner in {partners_from}; "
        f"use one of: {', '.join(known_partners)}"
    ))  # fmt: skip
    status_codes = _among(statuses, STATUSES, "status", problems, (
        lambda v: f"--status {v!r} is not a status; use one of: {', '.join(STATUSES)}"
    ))  # fmt: skip
    format_codes = _among(
        [FORMAT_ALIASES.get(fold_key(v), v) for v in formats], FORMATS, "format", problems,
        lambda v: f"--format {v!r} is not a format; use one of: {', '.join(FORMATS)}",
    )
    checked_limit = _limit(limit, problems)
    (checked_sort,) = _among([sort], SORTS, "sort", problems, (
        lambda v: f"--sort {v!r} is not an order; use one of: {', '.join(SORTS)}"
    )) or (SORTS[0],)  # fmt: skip
    if problems and not lenient:
        raise UsageError(problems[0].message)
    return SearchRequest(
        query=query,
        types=codes,
        partners=partner_ids,
        year_from=year_from,
        year_to=year_to,
        statuses=status_codes,
        formats=format_codes,
        limit=checked_limit,
        offset=max(0, offset),
        require_all=require_all,
        sort=checked_sort,
        problems=tuple(problems),
    )


def _years(value: str | None, problems: list[Problem]) -> tuple[int | None, int | None]:
    try:
        return parse_years(value)
    except UsageError as exc:
        problems.append(Problem("year", (str(value).strip(),), (), str(exc)))
        return None, None


def _types(values: Sequence[str], problems: list[Problem]) -> tuple[str, ...]:
    codes: dict[str, None] = {}
    bad: dict[str, None] = {}
    for value in values:
        code = resolve_type(value)
        if code is None:
            bad[value] = None
        else:
            codes[code] = None
    if bad:
        first = next(iter(bad))
        message = f"--type {first!r} is not a document type; use one of: {type_names_help()}"
        problems.append(Problem("type", tuple(bad), DOCUMENT_TYPES, message))
    return tuple(codes)


def _among(values, valid, field, problems, message) -> tuple[str, ...]:
    """The values among `valid`, each once; the others named in one Problem of `field`."""
    values = tuple(dict.fromkeys(values))
    if bad := [v for v in values if v not in valid]:
        problems.append(Problem(field, tuple(bad), tuple(valid), message(bad[0])))
    return tuple(v for v in values if v in valid)


def _limit(value: int | str, problems: list[Problem]) -> int:
    text = str(value)
    if ascii_digits(text) and len(text) < 6 and 1 <= int(text) <= MAX_RESULTS:
        return int(text)
    message = f"--limit {text!r}: expected a number from 1 to {MAX_RESULTS}"
    problems.append(Problem("limit", (text,), (), message))
    return DEFAULT_LIMIT


# Ranges as Poles write them, spaces allowed: "od 2019 do 2021", "od 2019", "do 2021",
# "2019 - 2021", "2019 – 2021", "2019 .. 2021"; each becomes the query's "2019..2021".
_SPACED_RANGE = re.compile(
    r"(?:od\s*(?P<start>\d{4}))?\s*(?:(?:do|\.\.|[-\u2010-\u2015\u2212])\s*(?P<end>\d{4})?)?",
    re.IGNORECASE,
)
_BARE_RANGE = re.compile(
    r"(?P<start>\d{4})\s*(?:(?:do|\.\.|[-\u2010-\u2015\u2212])\s*(?P<end>\d{4})?)",
    re.IGNORECASE,
)
_OPEN_START = re.compile(r"od\s*(?P<start>\d{4})", re.IGNORECASE)


def year_range_text(value: str) -> str:
    """`value` with a Polish way of writing a range made the query's `2019..2021`; anything
    else as it was (the query's rule then accepts or names it)."""
    text = " ".join(value.split())
    for pattern, open_end in ((_OPEN_START, True), (_BARE_RANGE, False), (_SPACED_RANGE, False)):
        m = pattern.fullmatch(text)
        if m and (m.group("start") or m.groupdict().get("end")):
            start, end = m.group("start") or "", "" if open_end else m.group("end") or ""
            return f"{start}..{end}"
    return text


def parse_years(value: str | None, name: str = "--year") -> tuple[int | None, int | None]:
    """A year ("2021") or a range ("2019..2021", "2019..", "..2021", and as Poles write it:
    "2019-2021", "2019 – 2021", "od 2019 do 2021") as (from, to), by the very rule of `year:`
    in a query, so an option and a query accept and refuse the same ranges."""
    from kooperacja.errors import QuerySyntaxError
    from kooperacja.search.query import parse_query

    if not value or not value.strip():
        return None, None
    value = value.strip()
    usage = f"{name} {value!r}: expected a year like 2021 or a range like 2019..2021"
    text = year_range_text(value)
    if any(ch.isspace() or ch in '"():*' for ch in text):
        raise UsageError(usage)
    try:
        parsed = parse_query(f"year:{text}")
    except QuerySyntaxError as exc:
        why = str(exc).split("': ", 1)[-1].replace("year:", "")
        raise UsageError(f"{name} {value!r}: {why}") from None
    if parsed.must or parsed.exclude or parsed.exclude_filters or len(parsed.filters) != 1:
        raise UsageError(usage)
    return parsed.filters[0].year_from, parsed.filters[0].year_to
