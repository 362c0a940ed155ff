"""When an archived document is asked for again.

Asking the server about every archived document every night makes a run with nothing new cost one
request per document (with the real 2 s politeness delay, 500 documents are 17 minutes), so the
cost of a run would grow with the archive instead of with what changed. A document reached again
through the same link (same page, same link text) is re-checked once every `revalidate_days`, on
its own day of the cycle, so each night asks about an even share of the archive; anything that
hints at a change (a new link, a new link text, a page never seen) is checked at once.

Asking again is a conditional request: with the validators the server gave last time, an unchanged
file costs a 304 and no bytes.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

logger = logging.getLogger(__name__)

# A second run on a document's own day does not ask again: cron may run twice a day.
MIN_GAP = timedelta(hours=12)


def cycle_day(url: str, every_days: int) -> int:
    """The day of the cycle (0 .. every_days-1) on which `url` is re-checked; stable per URL."""
    digest = hashlib.sha1(url.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % every_days


def due_for_check(url: str, last_checked: datetime | None, now: datetime, every_days: int) -> bool:
    """Whether a document reached through an unchanged link must be asked for again now."""
    if every_days <= 0 or last_checked is None:
        return True
    age = now - last_checked
    if age >= timedelta(days=every_days) or age < timedelta(0):  # overdue, or the clock went back
        return True
    on_its_day = now.date().toordinal() % every_days == cycle_day(url, every_days)
    return on_its_day and age >= MIN_GAP


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The request headers that ask for the body only if it changed since it was stored."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers
