"""Rekomendacje: the numbered recommendations of the archive on the web page — the list with a
search box and a facet of addressees (`/rekomendacje?q=…&adresat=KIND`), a page per
recommendation (`/rekomendacje/<id>`), and the list as a file (`/export/recommendations/xlsx`).
The search is the command line's (`kooperacja recommendations`): the same library calls."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import anyio
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kooperacja import i18n
from kooperacja.archive.recommendations import (
    addressed_alike,
    recommendation_record,
    recommendation_records,
)
from kooperacja.errors import QuerySyntaxError
from kooperacja.exports.recommendations import write_recommendations
from kooperacja.models import ADDRESSEE_KINDS, resolve_addressee_kind
from kooperacja.search import find_recommendations
from kooperacja.text import ascii_slug
from kooperacja.web import formatting
from kooperacja.web.reading import NotFound, open_catalogue

if TYPE_CHECKING:
    from kooperacja.web.app import WebSite

ID = re.compile(r"[0-9a-f]{12}-\d{1,4}")
SECTION = re.compile(r"Rekomendacja\s+(?:nr\s+)?(\d{1,4})\b", re.I)
MAX_QUERY = 1000
DOWNLOADS = {  # name in the URL -> (format, excel, media type)
    "xlsx": ("xlsx", False, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", True, "text/csv; charset=utf-8"),
    "json": ("json", False, "application/json; charset=utf-8"),
}


def recommendation_href(doc_id: str, section: str) -> str | None:
    """The page of the recommendation a search hit's section names ("Rekomendacja 24. …")."""
    match = SECTION.match(section or "")
    return f"/rekomendacje/{doc_id}-{int(match.group(1))}" if match else None


def routes(site: WebSite) -> list[Route]:
    pages = RecommendationPages(site)
    return [
        Route("/rekomendacje", pages.listing),
        Route("/rekomendacje/{rec_id}", pages.one),
        Route("/export/recommendations/{fmt}", pages.download),
        Route("/recommendations", pages.to_polish),  # the English address leads to the page
        Route("/recommendations/{rec_id}", pages.to_polish),
    ]


class Asked:
    """What the list was asked for: words and a kind of addressee, checked."""

    def __init__(self, request: Request, gettext: Any):
        self.query = request.query_params.get("q", "").strip()[:MAX_QUERY]
        typed = request.query_params.get("adresat", "").strip()
        self.kind = resolve_addressee_kind(typed) if typed else None
        self.problem = None
        if typed and self.kind is None:
            self.problem = gettext(
                "Unknown kind of addressee “{value}”: choose one of the list beside."
            ).format(value=typed[:60])

    def query_string(self, **changes: str | None) -> str:
        params = {"q": self.query, "adresat": self.kind or ""} | changes
        return urlencode([(k, v) for k, v in params.items() if v])


class RecommendationPages:
    def __init__(self, site: WebSite):
        self.site = site

    async def _found(
        self, request: Request, asked: Asked
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
        """The records asked for, those matching the words whatever their addressees (the
        facet counts them), and whether they only hold some of the words."""
        every = await anyio.to_thread.run_sync(self._every)
        matching, partial = every, False
        if asked.query:
            found = await self.site.searches.run(
                request, lambda budget: find_recommendations(self.site.index, asked.query, every)
            )
            matching, partial = list(found.records), found.partial
        chosen = [r for r in matching if asked.kind is None or asked.kind in r["addressee_kinds"]]
        return chosen, matching, partial

    def _every(self) -> list[dict[str, Any]]:
        with open_catalogue(self.site.config.archive_dir) as catalog:
            return recommendation_records(catalog)

    async def listing(self, request: Request) -> Response:
        asked = Asked(request, self.site.gettext(request))
        message = asked.problem
        try:
            records, matching, partial = await self._found(request, asked)
        except QuerySyntaxError as exc:
            message = i18n.error_message(exc, self.site.language(request))
            records, matching, partial = [], [], False
        return self.site.render(
            request, "recommendations.html", asked=asked, records=records, partial=partial,
            facet=kind_counts(matching), message=message, downloads=DOWNLOADS,
        )  # fmt: skip

    def one(self, request: Request) -> Response:
        rec_id = request.path_params["rec_id"].strip().lower()
        if not ID.fullmatch(rec_id):
            raise NotFound(rec_id)
        with open_catalogue(self.site.config.archive_dir) as catalog:
            record = recommendation_record(catalog, rec_id)
            if record is None:
                raise NotFound(rec_id)
            every = recommendation_records(catalog)
        return self.site.render(
            request, "recommendation.html", r=record,
            paragraphs=formatting.marked_paragraphs(record["text"], None),
            alike=addressed_alike(every, record),
        )  # fmt: skip

    async def download(self, request: Request) -> Response:
        name = request.path_params["fmt"]
        if name not in DOWNLOADS:
            raise NotFound(name)
        asked = Asked(request, self.site.gettext(request))
        try:
            records, _matching, _partial = await self._found(request, asked)
        except QuerySyntaxError as exc:
            message = i18n.error_message(exc, self.site.language(request))
            return Response(message, status_code=400, media_type="text/plain; charset=utf-8")
        fmt, excel, media_type = DOWNLOADS[name]
        out = io.BytesIO()
        write_recommendations(records, fmt, out, excel=excel, lang=self.site.language(request))
        slug = ascii_slug(" ".join(x for x in (asked.query, asked.kind or "") if x), 50)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        filename = f"rekomendacje-{slug or stamp}.{name}"
        headers = {
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        }
        return Response(out.getvalue(), media_type=media_type, headers=headers)

    def to_polish(self, request: Request) -> Response:
        rec_id = request.path_params.get("rec_id")
        path = "/rekomendacje" + (f"/{rec_id}" if rec_id and ID.fullmatch(rec_id) else "")
        query = request.url.query if not rec_id else ""
        return RedirectResponse(path + (f"?{query}" if query else ""), status_code=301)


def kind_counts(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """How many of `records` are addressed to each kind, in the table's order."""
    counts = Counter(k for r in records for k in r["addressee_kinds"])
    return [(kind, counts[kind]) for kind in ADDRESSEE_KINDS if counts[kind]]
