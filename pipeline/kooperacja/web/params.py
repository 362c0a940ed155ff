"""The search page's query string, checked: what the user asked for and what was wrong with it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from kooperacja.errors import UsageError
from kooperacja.models import DOCUMENT_TYPES, STATUSES, SearchFilters, resolve_type
from kooperacja.search.request import parse_years

PER_PAGE = 10
PER_PAGE_CHOICES = (5, 10, 20, 50)  # `n=`: results per page
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
    per_page: int = PER_PAGE
    all_words: bool = False  # only documents with a page holding every word
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
            "all": "1" if self.all_words else "",
            "p": self.page if self.page > 1 else "",
            "n": self.per_page if self.per_page != PER_PAGE else "",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "", [], ())}

    def query_string(self, **changes: object) -> str:
        return urlencode(self.params(**changes), doseq=True)


def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, ()) if v and v.strip()]


def _known(
    params: Mapping[str, Sequence[str]],
    name: str,
    valid: Sequence[str],
    message: str,
    problems: list[str],
) -> tuple[str, ...]:
    """The values of `name` that are among `valid`; the others are named in `problems`."""
    values = tuple(dict.fromkeys(_values(params, name)))
    if bad := [v for v in values if v not in valid]:
        problems.append(message.format(bad=", ".join(bad), valid=", ".join(valid)))
    return tuple(v for v in values if v in valid)


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
    # The message ids are spelled out so that extraction finds each of them.
    # Types as staff type them too (`rekomendacje`), as `search --type` takes them.
    typed = {**params, "type": [resolve_type(v) or v for v in _values(params, "type")]}
    types = _known(typed, "type", DOCUMENT_TYPES, _("type {bad}: unknown; use one of {valid}"),
                   problems)
    partners = _known(params, "partner", partner_ids,
                      _("partner {bad}: unknown; use one of {valid}"), problems)
    statuses = _known(params, "status", STATUSES,
                      _("status {bad}: unknown; use one of {valid}"), problems)  # fmt: skip
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
    per_page_text = " ".join(_values(params, "n"))
    per_page = int(per_page_text) if per_page_text.isdigit() else PER_PAGE
    per_page = per_page if per_page in PER_PAGE_CHOICES else PER_PAGE
    page_text = " ".join(_values(params, "p")) or "1"
    page = int(page_text) if page_text.isdigit() else 1
    max_page = MAX_RESULTS // per_page
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
        per_page=per_page,
        all_words=bool(_values(params, "all")),
        filters=filters,
        problems=tuple(problems),
    )
