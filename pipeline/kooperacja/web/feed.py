"""GET /feed: a search as an Atom feed staff subscribe to in Outlook or Thunderbird ("Subskrybuj
(Atom)" on the results page): the documents the same search and filters find, newest first in
the archive, each with its matching page's lines; the catalogue's Atom export (exports/atom.py)
writes it."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import anyio
from starlette.requests import Request
from starlette.responses import Response

from kooperacja import i18n
from kooperacja.archive.reading import records_of
from kooperacja.errors import QuerySyntaxError
from kooperacja.exports.atom import write_atom
from kooperacja.exports.fields import filter_records, type_label
from kooperacja.web.params import MAX_RESULTS, PageRequest
from kooperacja.web.reading import file_name, open_catalogue

if TYPE_CHECKING:
    from kooperacja.web.app import WebSite

MEDIA_TYPE = "application/atom+xml; charset=utf-8"
FEED_ENTRIES = 100  # the newest; a reader polling daily never misses one
CACHE = "no-cache"  # a reader asks again with If-None-Match: 304 while nothing changed


def feed_query(req: PageRequest) -> str:
    """The feed's query string: the search and its filters, without the page's paging."""
    return req.query_string(p=None, n=None, sort=None)


def feed_title(req: PageRequest, site: WebSite, lang: str) -> str:
    _ = i18n.translations(lang).gettext
    title = (
        _("Kooperacja — search results: {query}").format(query=req.query)
        if req.query
        else _("Kooperacja — new documents")
    )
    narrowed = [
        *(type_label(t, lang) for t in req.types),
        *(site.partner_names.get(p, p) for p in req.partners),
        *([req.year] if req.year else []),
    ]
    return f"{title} ({', '.join(narrowed)})" if narrowed else title


def _plain(message: str, status: int = 400) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers={"Cache-Control": "no-store"})  # fmt: skip


async def feed(site: WebSite, request: Request) -> Response:
    req = site.parse(request)
    lang = site.language(request)
    if req.problems or req.year_problem:  # a feed cannot show them: nothing narrower is sent
        return _plain((req.problems or (req.year_problem,))[0])
    summaries: dict[str, str] = {}
    order: list[str] | None = None
    if req.query:
        asked = replace(req.asked, limit=MAX_RESULTS, offset=0)
        try:
            result = await site.search(request, asked)
        except QuerySyntaxError as exc:
            return _plain(i18n.error_message(exc, lang))
        order = [hit.doc_id for hit in result.hits]
        summaries = {hit.doc_id: hit.pages[0].snippet for hit in result.hits if hit.pages}
    base = str(request.base_url)
    query = feed_query(req)
    self_href = f"{base}feed?{query}" if query else f"{base}feed"

    def build() -> bytes:
        with open_catalogue(site.config.archive_dir) as catalog:
            records = records_of(catalog)
        if order is None:
            f = req.filters
            chosen: list[Mapping[str, Any]] = filter_records(
                records, f.types, f.partners, f.year_from, f.year_to, f.statuses
            )
        else:
            by_id = {r["doc_id"]: r for r in records}
            chosen = [by_id[d] for d in order if d in by_id]
        named = [{**r, "partner_name": site.partner_names.get(r["partner"], r["partner"])}
                 for r in chosen]  # fmt: skip
        out = io.BytesIO()
        write_atom(
            named,
            out,
            title=feed_title(req, site, lang),
            feed_id=self_href,
            lang=lang,
            file_href=lambda r: (
                f"{base}file/{r['doc_id']}/{file_name(r['doc_id'], r['media_type'])}"
                if r.get("local_path") else None
            ),
            page_href=lambda r: f"{base}doc/{r['doc_id']}",
            self_href=self_href,
            alternate_href=f"{base}?{query}" if query else base,
            summaries=summaries,
            max_entries=FEED_ENTRIES,
            dublin_core=False,
        )
        return out.getvalue()

    body = await anyio.to_thread.run_sync(build)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"Cache-Control": CACHE, "ETag": etag, "Vary": "Cookie"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def endpoint(site: WebSite) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        return await feed(site, request)

    return handle
