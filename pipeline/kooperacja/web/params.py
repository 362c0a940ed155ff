"""The search page's query string, checked: what the user asked for and what was wrong with it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from kooperacja.errors import UsageError
from kooperacja.filters import parse_years
from kooperacja.models import DOCUMENT_TYPES, STATUSES, SearchFilters

PER_PAGE = 10
MAX_RESULTS = 1000  # as `search --limit`: deeper pages are not offered
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    types: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    year: str = ""  # as typed: "2021", "2019..2021"
    statuses: tuple[str, ...] = ()
    page: int = 1  # results page, 1-based
    any_words: bool = False
    filters: SearchFilters = field(default_factory=SearchFilters)
    problems: tuple[str, ...] = ()  # one line each, shown on the page

    @property
    def active(self) -> bool:
        """Whether anything was asked (else the page shows only the search box)."""
        return bool(self.query or self.types or self.partners or self.year or self.statuses)

    def params(self, **changes: object) -> dict[str, object]:
        """The query-string parameters of this request, with `changes` applied (None drops)."""
        values: dict[str, object] = {
            "q": self.query,
            "type": list(self.types),
            "partner": list(self.partners),
            "year": self.year,
            "status": list(self.statuses),
            "any": "1" if self.any_words else "",
            "p": self.page if self.page > 1 else "",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "", [], ())}

    def query_string(self, **changes: object) -> str:
        return urlencode(self.params(**changes), doseq=True)


def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, ()) if v and v.strip()]


def _identity(message: str) -> str:
    return message


def parse_request(
    params: Mapping[str, Sequence[str]],
    partner_ids: Sequence[str],
    _: Callable[[str], str] = _identity,
) -> SearchRequest:
    """A SearchRequest from the query string (each name to its list of values); values that
    cannot be used are dropped and named in `problems` (translated by `_`), never an error."""
    problems: list[str] = []
    query = " ".join(_values(params, "q"))[:MAX_QUERY_CHARS]
    types = tuple(dict.fromkeys(_values(params, "type")))
    if bad := [t for t in types if t not in DOCUMENT_TYPES]:
        problems.append(
            _("type {bad}: unknown; use one of {valid}").format(
                bad=", ".join(bad), valid=", ".join(DOCUMENT_TYPES)
            )
        )
        types = tuple(t for t in types if t in DOCUMENT_TYPES)
    partners = tuple(dict.fromkeys(_values(params, "partner")))
    if bad := [p for p in partners if p not in partner_ids]:
        problems.append(
            _("partner {bad}: unknown; use one of {valid}").format(
                bad=", ".join(bad), valid=", ".join(partner_ids)
            )
        )
        partners = tuple(p for p in partners if p in partner_ids)
    statuses = tuple(dict.fromkeys(_values(params, "status")))
    if bad := [s for s in statuses if s not in STATUSES]:
        problems.append(
            _("status {bad}: unknown; use one of {valid}").format(
                bad=", ".join(bad), valid=", ".join(STATUSES)
            )
        )
        statuses = tuple(s for s in statuses if s in STATUSES)
    year = " ".join(_values(params, "year"))
    year_from = year_to = None
    try:
        year_from, year_to = parse_years(year, name="year")
    except UsageError:
        problems.append(
            _("year: expected a year like 2021 or a range like 2019..2021, got {value}").format(
                value=year
            )
        )
        year = ""
    page_text = " ".join(_values(params, "p")) or "1"
    page = int(page_text) if page_text.isdigit() else 1
    max_page = MAX_RESULTS // PER_PAGE
    if not 1 <= page <= max_page:
        problems.append(
            _("page {value}: expected a number from 1 to {last}").format(
                value=page_text, last=max_page
            )
        )
        page = 1
    filters = SearchFilters(types, partners, year_from, year_to, statuses)
    return SearchRequest(
        query=query,
        types=types,
        partners=partners,
        year=year,
        statuses=statuses,
        page=page,
        any_words=bool(_values(params, "any")),
        filters=filters,
        problems=tuple(problems),
    )
