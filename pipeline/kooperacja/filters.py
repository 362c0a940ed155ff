"""The search filters as people write them (`--year 2019..2021`, the web page's `year=`)."""

from __future__ import annotations

from kooperacja.errors import UsageError


def parse_years(value: str | None, name: str = "--year") -> tuple[int | None, int | None]:
    """A year ("2021") or a range ("2019..2021", "2019..", "..2021") as (from, to)."""
    if not value or not value.strip():
        return None, None
    value = value.strip()
    try:
        if ".." in value:
            a, b = value.split("..", 1)
            return (int(a) if a.strip() else None), (int(b) if b.strip() else None)
        return int(value), int(value)
    except ValueError:
        raise UsageError(
            f"{name}: expected a year like 2021 or a range like 2019..2021, got {value!r}"
        ) from None
