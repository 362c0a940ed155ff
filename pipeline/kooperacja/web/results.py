"""What staff take away from the page beside its results: the documents of a search as a file
("Pobierz te wyniki") and, on a document's page, documents like it ("Podobne dokumenty")."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kooperacja import i18n
from kooperacja.archive.reading import document_pages, records_of
from kooperacja.errors import KooperacjaError, QuerySyntaxError
from kooperacja.exports.export import export_records
from kooperacja.search.similar import similar_documents
from kooperacja.text import ascii_slug
from kooperacja.web.params import MAX_RESULTS
from kooperacja.web.reading import NotFound, open_catalogue

if TYPE_CHECKING:
    from kooperacja.models import DocHit
    from kooperacja.web.app import WebSite

logger = logging.getLogger(__name__)

RESULT_EXPORTS = {  # name in the URL -> (export format, excel, media type)
    "xlsx": ("xlsx", False, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", True, "text/csv; charset=utf-8"),
}


async def export_results(site: WebSite, request: Request) -> Response:
    """GET /export/results/{xlsx,csv}: the documents of the page's search and filters, in the
    page's order, as xlsx or CSV: the same search as the page (through a search slot), to its
    deepest result. Without words, the catalogue's export of the filters."""
    name = request.path_params["fmt"]
    if name not in RESULT_EXPORTS:
        raise NotFound(name)
    req = site.parse(request)
    if not req.query:
        filters = req.query_string(q=None, sort=None, p=None, n=None, all=None)
        return RedirectResponse(f"/export/{name}?{filters}", status_code=303)
    try:
        result = await site.search(request, replace(req.asked, limit=MAX_RESULTS, offset=0))
    except QuerySyntaxError as exc:  # the page's one-line message, in its language
        message = i18n.error_message(exc, site.language(request))
        return site.render(
            request, "search.html", status=400, req=req, result=None, message=message
        )
    with open_catalogue(site.config.archive_dir) as catalog:
        by_id = {r["doc_id"]: r for r in records_of(catalog)}
    records = [by_id[hit.doc_id] for hit in result.hits if hit.doc_id in by_id]
    fmt, excel, media_type = RESULT_EXPORTS[name]
    slug = ascii_slug(req.query, max_len=50) or "wyszukiwania"
    out = io.BytesIO()
    export_records(
        records, fmt, out, excel=excel, lang=site.language(request), in_order=True,
        partner_names=site.partner_names,
    )  # fmt: skip
    headers = {
        "Content-Disposition": f'attachment; filename="wyniki-{slug}.{name}"',
        "Cache-Control": "no-store",
    }
    return Response(out.getvalue(), media_type=media_type, headers=headers)


def similar(site: WebSite, doc: Any) -> Sequence[DocHit]:
    """A few documents like `doc` (web.reading.Document); none when every search slot is taken
    or the search cannot be done: the document's page is whole without them."""
    r = doc.record
    try:
        texts = (p.text for p in document_pages(site.config.archive_dir, doc.sha256))
        found = site.searches.run_if_free(lambda budget: similar_documents(
            site.index, r["doc_id"], r.get("title") or "", texts, budget=budget,
        ))  # fmt: skip
    except KooperacjaError as exc:  # a costly query, a damaged index: the page goes on
        logger.warning("similar documents of %s: %s", r["doc_id"], exc)
        return ()
    return found or ()
