"""The search filters as people write them (`--year 2019..2021`, the web page's `year=`)."""

from __future__ import annotations

from kooperacja.errors import UsageError


def parse_years(value: str | None, name: str = "--year") -> tuple[int | None, int | None]:
    """A year ("2021") or a range ("2019..2021", "2019..", "..2021") as (from, to), by the very
    rule of `year:` in a query, so an option and a query accept and refuse the same ranges."""
    from kooperacja.errors import QuerySyntaxError
    from kooperacja.search.query import parse_query

    if not value or not value.strip():
        return None, None
    value = value.strip()
    usage = f"{name} {value!r}: expected a year like 2021 or a range like 2019..2021"
    if any(ch.isspace() or ch in '"():*' for ch in value):
        raise UsageError(usage)
    try:
        parsed = parse_query(f"year:{value}")
    except QuerySyntaxError as exc:
        why = str(exc).split("': ", 1)[-1].replace("year:", "")
        raise UsageError(f"{name} {value!r}: {why}") from None
    if parsed.must or parsed.exclude or parsed.exclude_filters or len(parsed.filters) != 1:
        raise UsageError(usage)
    return parsed.filters[0].year_from, parsed.filters[0].year_to
