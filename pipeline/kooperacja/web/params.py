"""The search page's query string: read into the shared search request (search/request.py checks
it, as for `kooperacja search`), plus the page's own paging; what could not be used is named in
the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from kooperacja.models import DOCUMENT_TYPES, STATUSES, SearchFilters
from kooperacja.search.request import MAX_RESULTS, SORTS, SearchRequest
from kooperacja.search.request import parse_request as parse_search
from kooperacja.text import ascii_digits

__all__ = ["MAX_RESULTS", "PageRequest", "parse_request"]

PER_PAGE = 10
PER_PAGE_CHOICES = (5, 10, 20, 50)  # `n=`: results per page
_EMPTY = (None, "", [], ())  # a parameter with such a value is left out


@dataclass(frozen=True)
class PageRequest:
    """What the page asked for: the checked search, the year as typed, the results page."""

    asked: SearchRequest = field(default_factory=SearchRequest)
    year: str = ""  # as typed and used: "2021", "2019..2021", "2019-2021"
    typed_year: str = ""  # as typed, also when it could not be used: stays in the box
    year_problem: str = ""  # why the typed year was not used, shown beside the box
    sort: str = "relevance"
    page: int = 1  # results page, 1-based
    per_page: int = PER_PAGE
    problems: tuple[str, ...] = ()  # one line each, shown on the page

    @property
    def query(self) -> str:
        return self.asked.query

    @property
    def types(self) -> tuple[str, ...]:
        return self.asked.types

    @property
    def partners(self) -> tuple[str, ...]:
        return self.asked.partners

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.asked.statuses

    @property
    def formats(self) -> tuple[str, ...]:
        return self.asked.formats

    @property
    def all_words(self) -> bool:
        """Only documents with a page holding every word."""
        return self.asked.require_all

    @property
    def filters(self) -> SearchFilters:
        return self.asked.filters

    @property
    def filtered(self) -> bool:
        """Whether any filter of the facets or the year box narrows the results."""
        return bool(self.types or self.partners or self.year or self.statuses or self.formats)

    @property
    def active(self) -> bool:
        """Whether anything was asked (else the page shows only the search box)."""
        return bool(self.query or self.filtered)

    def params(self, **changes: object) -> dict[str, object]:
        """The query-string parameters of this request, with `changes` applied (None drops)."""
        return {k: v for k, v in {**self._every, **changes}.items() if v not in _EMPTY}

    def query_string(self, **changes: object) -> str:
        """The query string of `params(**changes)`: each parameter encoded once per request (the
        results page writes some thirty links of this request with one or two changed)."""
        encoded = self._encoded
        if not changes:
            return "&".join(encoded.values())
        parts = []
        for key, value in self.params(**changes).items():
            same = key not in changes or value == self._values.get(key)
            parts.append(encoded[key] if same else urlencode({key: value}, doseq=True))
        return "&".join(parts)

    def choosing(self, name: str, value: str) -> str:
        """The query string with `value` of the filter `name` (type, partner, status, format)
        chosen as well, from the first results page on: a facet's link."""
        return self.query_string(**{name: [*self._every[name], value], "p": None})

    @cached_property
    def _every(self) -> dict[str, object]:
        """Every parameter of this request in its order, those left empty too."""
        return {
            "q": self.query,
            "type": list(self.types),
            "partner": list(self.partners),
            "year": self.year,
            "status": list(self.statuses),
            "format": list(self.formats),
            "all": "1" if self.all_words else "",
            "sort": self.sort if self.sort != "relevance" else "",
            "p": self.page if self.page > 1 else "",
            "n": self.per_page if self.per_page != PER_PAGE else "",
        }

    @cached_property
    def _values(self) -> dict[str, object]:
        return self.params()

    @cached_property
    def _encoded(self) -> dict[str, str]:
        return {key: urlencode({key: value}, doseq=True) for key, value in self._values.items()}


def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, ()) if v and v.strip()]


def _identity(message: str) -> str:
    return message


def parse_request(
    params: Mapping[str, Sequence[str]],
    partner_ids: Sequence[str],
    _: Callable[[str], str] = _identity,
    *,
    api: bool = False,
) -> PageRequest:
    """A PageRequest from the query string (each name to its list of values); values that
    cannot be used are dropped and named in `problems` (translated by `_`), never an error.
    For the API (`api`), `limit=` says how many documents (the page pages with `p=`, `n=`)."""
    problems: list[str] = []
    per_page_text = " ".join(_values(params, "n"))
    short = ascii_digits(per_page_text) and len(per_page_text) <= 3
    per_page = int(per_page_text) if short else PER_PAGE
    per_page = per_page if per_page in PER_PAGE_CHOICES else PER_PAGE
    page_text = " ".join(_values(params, "p")) or "1"
    page = 1
    if ascii_digits(page_text):  # a number too long to be a page is out of range, as 0 is
        page = int(page_text) if len(page_text) <= 6 else 0
    max_page = MAX_RESULTS // per_page
    page_problem = not 1 <= page <= max_page
    if page_problem:
        page = 1
    year = " ".join(_values(params, "year"))
    asked = parse_search(
        " ".join(_values(params, "q")),  # its length checked by the search (limits.py)
        types=_values(params, "type"),
        partners=_values(params, "partner"),
        year=year,
        statuses=_values(params, "status"),
        formats=_values(params, "format"),
        limit=(params.get("limit") or ["10"])[-1] if api else per_page,
        offset=0 if api else (page - 1) * per_page,
        require_all=bool(_values(params, "all")),
        sort=" ".join(_values(params, "sort")) or SORTS[0],
        known_partners=partner_ids,
        lenient=True,
    )
    dropped = {p.field: p for p in asked.problems}
    # The message ids are spelled out so that extraction finds each of them.
    if p := dropped.get("type"):
        problems.append(_("type {bad}: unknown; use one of {valid}").format(
            bad=", ".join(p.values), valid=", ".join(DOCUMENT_TYPES)))  # fmt: skip
    if p := dropped.get("partner"):
        problems.append(_("partner {bad}: unknown; use one of {valid}").format(
            bad=", ".join(p.values), valid=", ".join(partner_ids)))  # fmt: skip
    if p := dropped.get("status"):
        problems.append(_("status {bad}: unknown; use one of {valid}").format(
            bad=", ".join(p.values), valid=", ".join(STATUSES)))  # fmt: skip
    if p := dropped.get("format"):
        problems.append(_("format {bad}: unknown; use one of {valid}").format(
            bad=", ".join(p.values), valid="pdf, word, powerpoint, excel, skan, film, www"))
    typed_year, year_problem = year, ""
    if "year" in dropped:
        year_problem = _(
            "year {value}: not used; write a year like 2021 or a range like 2019-2021"
        ).format(value=year)
        year = ""
    if page_problem:
        problems.append(
            _("page {value}: expected a number from 1 to {last}").format(
                value=page_text, last=max_page
            )
        )
    if "limit" in dropped:
        problems.append(f"limit: expected 1..{MAX_RESULTS}")
    if p := dropped.get("sort"):
        problems.append(_("sort {value}: unknown; use one of {valid}").format(
            value=", ".join(p.values), valid=", ".join(SORTS)))  # fmt: skip
    return PageRequest(
        asked=asked,
        year=year,
        typed_year=typed_year,
        year_problem=year_problem,
        sort=asked.sort,
        page=page,
        per_page=per_page,
        problems=tuple(problems),
    )
