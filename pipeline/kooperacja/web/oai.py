"""GET or POST /oai: the OAI-PMH 2.0 interface digital libraries harvest (exports/oai.py builds
each answer). Arguments come from the query string, or from a form-encoded body (3.1.1.2)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import anyio
from starlette.requests import Request
from starlette.responses import Response

from kooperacja.archive.reading import records_with_datestamps
from kooperacja.exports.oai import Repository, items_of, respond
from kooperacja.web.reading import open_catalogue

if TYPE_CHECKING:
    from kooperacja.web.app import WebSite

MEDIA_TYPE = "text/xml; charset=utf-8"
MAX_FORM_BYTES = 64 * 1024  # a request's arguments fit in far less


async def arguments(request: Request) -> dict[str, list[str]]:
    """Each argument name to its values as given (repeated ones kept: they are an error)."""
    if request.method != "POST":
        return {k: request.query_params.getlist(k) for k in request.query_params}
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {"verb": ["?"]}  # no protocol request is this long: answered as badVerb
    if kind != "application/x-www-form-urlencoded":
        return {}
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


async def oai(site: WebSite, request: Request) -> Response:
    args = await arguments(request)
    base = str(request.base_url)
    settings = site.config.oai
    repo = Repository(
        base_url=base + "oai",
        repository_id=settings.repository_id or request.url.hostname or "localhost",
        admin_email=settings.admin_email,
        page_size=settings.page_size,
        partner_names=site.partner_names,
        doc_url=lambda doc_id: f"{base}doc/{doc_id}",
    )

    def answer() -> bytes:
        with open_catalogue(site.config.archive_dir) as catalog:
            items = items_of(records_with_datestamps(catalog))
        return respond(args, items, repo)

    body = await anyio.to_thread.run_sync(answer)
    return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": "no-cache"})


def endpoint(site: WebSite) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        return await oai(site, request)

    return handle
