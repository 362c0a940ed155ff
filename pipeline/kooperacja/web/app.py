"""Routes of the staff web page. Each handler reads a request, calls the library (search, the
read-only catalogue, exports) and renders an auto-escaped template; nothing here writes."""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from kooperacja import i18n
from kooperacja.archive.reading import changes_since, records_of
from kooperacja.config import Config
from kooperacja.errors import KooperacjaError, QuerySyntaxError, SearchCancelled, UsageError
from kooperacja.exports.fields import (
    field_label,
    filter_records,
    format_label,
    human_size,
    language_name,
    record_reasons,
    status_label,
    text_status_label,
    type_label,
)
from kooperacja.models import DOCUMENT_TYPES, STATUSES
from kooperacja.search import highlighter
from kooperacja.search.facets import facet_counts
from kooperacja.search.results import search_json
from kooperacja.text import ascii_digits
from kooperacja.web import feed, formatting, oai, previews, recommendations, results
from kooperacja.web.params import MAX_RESULTS, PageRequest, parse_request
from kooperacja.web.reading import (
    NotFound,
    archived_file,
    content_disposition,
    document_page,
    download_name,
    file_name,
    load_document,
    load_version,
    open_catalogue,
)
from kooperacja.web.searches import RETRY_AFTER_SECONDS, Busy, SearchSlots
from kooperacja.web.security import (
    ARCHIVED_FILE_POLICY,
    ARCHIVED_HTML_POLICY,
    SecurityHeaders,
    page_headers,
)

if TYPE_CHECKING:
    from kooperacja.models import SearchResult
    from kooperacja.search.openindex import OpenIndex
    from kooperacja.search.request import SearchRequest

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CATALOGUE_PAGE = 100
CHANGES_DAYS = 30
EXPORTS = {  # name in the URL -> (export format, excel, media type, file extension)
    "xlsx": ("xlsx", False, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "xlsx"),
    "csv": ("csv", True, "text/csv; charset=utf-8", "csv"),
    "atom": ("atom", False, "application/atom+xml; charset=utf-8", "xml"),
    "json": ("json", False, "application/json; charset=utf-8", "json"),
    "html": ("html", False, "text/html; charset=utf-8", "html"),
    "bundle": ("bundle", False, "application/zip", "zip"),
}  # fmt: skip
SORTS = ("title", "type", "partner", "year", "pages", "status", "first_seen", "last_seen")
INLINE_MEDIA = ("application/pdf", "text/html")  # what a browser shows rather than saves
PAGE_CACHE = "private, no-cache"  # a new index generation may answer differently at any time
FILE_CACHE = "public, max-age=31536000, immutable"  # archived bytes never change under an id


class WebSite:
    """The handlers over one configuration and its open index (shared by the server's threads);
    templates are built once per language."""

    def __init__(self, config: Config, index: OpenIndex):
        self.config = config
        self.index = index
        self.partner_names = {p.id: p.name for p in config.partners}
        self.searches = SearchSlots()
        self.bundling = threading.Lock()  # one bundle at a time (see export)
        cache = previews.cache_folder(config.archive_dir)  # outside the archive
        self.previews = previews.Previews(cache)
        self.envs = {lang: self._environment(lang) for lang in i18n.LANGUAGES}

    def _environment(self, lang: str) -> Environment:
        env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(i18n.translations(lang), newstyle=True)
        _ = formatting.template_gettext(i18n.translations(lang).gettext)
        env.globals.update(
            _=_,
            gettext=_,
            lang=lang,
            other_lang="en" if lang == "pl" else "pl",
            partner_names=self.partner_names,
            document_types=DOCUMENT_TYPES,
            statuses=STATUSES,
            type_label=lambda code: type_label(code, lang),
            status_label=lambda code: status_label(code, lang),
            field_label=lambda name: field_label(name, lang),
            format_label=lambda record: format_label(record, lang),
            record_reasons=lambda record: record_reasons(record, lang, self.partner_names),
            language_name=lambda code: language_name(code, lang),
            text_status_label=lambda code: text_status_label(code, lang),
            link_failure=lambda detail: formatting.link_failure(detail, lang),
            partner_name=lambda pid: self.partner_names.get(pid, pid),
            file_url=file_url,
            page_place=formatting.page_place,
            language_url=language_url,
            recommendation_href=recommendations.recommendation_href,
        )
        env.filters.update(
            num=lambda v: formatting.number(v, lang),
            date=lambda v: i18n.format_stamp(v, lang),
            size=lambda v: human_size(v, lang),
            snippet=formatting.snippet,
            href=formatting.safe_href,
        )
        return env

    # --- plumbing ---------------------------------------------------------------------------

    @staticmethod
    def language(request: Request) -> str:
        asked = request.query_params.get("lang") or request.cookies.get("lang") or ""
        return asked if asked in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> Response:
        lang = self.language(request)
        body = self.envs[lang].get_template(template).render(request=request, **context)
        response = Response(body, status_code=status, media_type="text/html; charset=utf-8")
        response.headers["Cache-Control"] = PAGE_CACHE
        response.headers["Vary"] = "Cookie"
        if request.query_params.get("lang") in i18n.LANGUAGES:  # the language link remembers
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    def gettext(self, request: Request):
        return i18n.translations(self.language(request)).gettext

    def parse(self, request: Request, api: bool = False) -> PageRequest:
        params = {k: request.query_params.getlist(k) for k in request.query_params}
        return parse_request(params, list(self.partner_names), self.gettext(request), api=api)

    # --- search -----------------------------------------------------------------------------

    async def search(self, request: Request, asked: SearchRequest, **extra: Any) -> SearchResult:
        """The asked search in a search slot, within its budget, stopped if the client goes."""
        from kooperacja.search import search

        return await self.searches.run(request, lambda budget: search(
            self.index, asked.query, asked.filters, asked.limit,
            require_all=asked.require_all, sort=asked.sort, budget=budget, **extra,
        ))  # fmt: skip

    async def home(self, request: Request) -> Response:
        req = self.parse(request)
        if not req.query:
            return self.render(request, "search.html", req=req, result=None, message=None)
        asked = req.asked
        first = asked.offset
        try:
            result = await self.search(request, asked, offset=asked.offset, with_facets=True)
        except QuerySyntaxError as exc:  # the one-line message, on the page, in its language
            message = i18n.error_message(exc, self.language(request))
            return self.render(request, "search.html", req=req, result=None, message=message)
        pages = max(1, (min(MAX_RESULTS, result.total) + req.per_page - 1) // req.per_page)
        return self.render(
            request,
            "search.html",
            req=req,
            result=result,
            hits=result.hits,
            first=first,
            pages=pages,
            facets=facet_counts(result.facets),
            message=None,
        )

    async def api_search(self, request: Request) -> Response:
        req = self.parse(request, api=True)
        if req.problems:
            return JSONResponse({"error": req.problems[0]}, status_code=400)
        asked = req.asked
        try:  # as `kooperacja search --json` calls it
            result = await self.search(request, asked)
        except QuerySyntaxError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(search_json(result), headers={"Cache-Control": PAGE_CACHE})

    # --- documents --------------------------------------------------------------------------

    def document(self, request: Request) -> Response:
        with open_catalogue(self.config.archive_dir) as catalog:
            doc = load_document(catalog, request.path_params["doc_id"])
            versions = {
                key: load_version(catalog, doc.record.get(key))
                for key in ("replaces", "replaced_by")
            }
        similar = results.similar(self, doc)
        return self.render(
            request, "document.html", doc=doc, versions=versions, similar=similar,
            preview=previews.choose(doc, request))

    def page(self, request: Request) -> Response:
        number_text = request.path_params["number"]
        if not ascii_digits(number_text) or len(number_text) > 6:
            raise NotFound(f"page {number_text!r}")
        with open_catalogue(self.config.archive_dir) as catalog:
            doc = load_document(catalog, request.path_params["doc_id"])
        page, count = document_page(self.config.archive_dir, doc, int(number_text))
        # Opened from a result: its words marked, and the way back to those results.
        query = request.query_params.get("q", "").strip()
        mark = highlighter(self.index, query) if query else None
        results = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
        return self.render(
            request, "page.html", doc=doc, page=page, count=count, query=query, results=results,
            paragraphs=formatting.marked_paragraphs(page.text, mark),
        )  # fmt: skip

    def file(self, request: Request) -> Response:
        with open_catalogue(self.config.archive_dir) as catalog:
            doc = load_document(catalog, request.path_params["doc_id"])
        name = file_name(doc.record["doc_id"], doc.media_type)
        if request.path_params["name"] != name:
            raise NotFound(request.path_params["name"])
        path = archived_file(self.config.archive_dir, doc)
        etag = f'"{doc.sha256}"'
        policy = ARCHIVED_HTML_POLICY if doc.media_type == "text/html" else ARCHIVED_FILE_POLICY
        headers = {
            "Cache-Control": FILE_CACHE,
            "Content-Security-Policy": policy,
            "ETag": etag,
        }
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        # Shown in the browser when it can (a PDF at its page), else saved; under its own name.
        attachment = "download" in request.query_params or doc.media_type not in INLINE_MEDIA
        headers["Content-Disposition"] = content_disposition(download_name(doc), attachment)
        response = FileResponse(path, media_type=doc.content_type, headers=headers)
        response.headers["ETag"] = etag  # the content address, not FileResponse's mtime guess
        return response

    # --- catalogue, changes, exports --------------------------------------------------------

    def _records(self, req: PageRequest) -> list[dict[str, Any]]:
        with open_catalogue(self.config.archive_dir) as catalog:
            records = records_of(catalog)
        f = req.filters
        return filter_records(
            records, f.types, f.partners, f.year_from, f.year_to, f.statuses
        )  # type: ignore[return-value]

    def catalogue(self, request: Request) -> Response:
        req = self.parse(request)
        sort = request.query_params.get("sort", "first_seen")
        sort = sort if sort in SORTS else "first_seen"
        descending = request.query_params.get("order", "desc" if sort.endswith("seen") else "asc")
        descending = descending == "desc"
        records = sorted(
            self._records(req),
            key=lambda r: _sort_key(r.get(sort)),
            reverse=descending,
        )
        first = (req.page - 1) * CATALOGUE_PAGE
        pages = max(1, (len(records) + CATALOGUE_PAGE - 1) // CATALOGUE_PAGE)
        return self.render(
            request,
            "catalogue.html",
            req=req,
            records=records[first : first + CATALOGUE_PAGE],
            total=len(records),
            first=first,
            pages=pages,
            sort=sort,
            descending=descending,
            exports=EXPORTS,
        )

    def changes(self, request: Request) -> Response:
        _ = self.gettext(request)
        default = (datetime.now(UTC) - timedelta(days=CHANGES_DAYS)).date().isoformat()
        since = request.query_params.get("since", "").strip() or default
        message = None
        with open_catalogue(self.config.archive_dir) as catalog:
            try:
                data = changes_since(catalog, since)
            except UsageError:
                message = _("since: expected a date like 2026-01-31, got {value}").format(
                    value=since
                )
                since, data = default, changes_since(catalog, default)
        return self.render(
            request,
            "changes.html",
            since=since,
            changes=list(reversed(data["changes"])),
            message=message,
        )

    def export(self, request: Request) -> Response:
        from kooperacja.exports.export import export_bundle, export_records

        name = request.path_params["fmt"]
        if name not in EXPORTS:
            raise NotFound(name)
        fmt, excel, media_type, ext = EXPORTS[name]
        records = self._records(self.parse(request))
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        headers = {
            "Content-Disposition": f'attachment; filename="kooperacja-{stamp}.{ext}"',
            "Cache-Control": "no-store",
        }
        if fmt == "bundle":  # the files too: a zip in a temporary folder, removed once sent
            # One at a time: each is a copy of the archive in the temporary folder.
            if not self.bundling.acquire(blocking=False):
                raise Busy()
            folder = Path(tempfile.mkdtemp(prefix="kooperacja-bundle-"))
            zip_path = folder / f"kooperacja-{stamp}.zip"

            def done() -> None:
                shutil.rmtree(folder, ignore_errors=True)
                self.bundling.release()

            try:
                export_bundle(records, self.config.archive_dir, zip_path)
            except BaseException:
                done()
                raise
            return _SentThen(done, zip_path, media_type=media_type, headers=headers)
        out = io.BytesIO()
        export_records(records, fmt, out, excel=excel, lang=self.language(request),
                       partner_names=self.partner_names)  # fmt: skip
        return Response(out.getvalue(), media_type=media_type, headers=headers)

    async def export_results(self, request: Request) -> Response:
        return await results.export_results(self, request)

    async def preview(self, request: Request) -> Response:
        return await previews.preview(self, request)

    # --- errors -----------------------------------------------------------------------------

    def busy(self, request: Request, exc: Exception) -> Response:
        """Every search slot taken: say so at once, and when to try again."""
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
        if request.url.path.startswith("/api/"):
            message = "the server is busy: try again in a few seconds"
            return JSONResponse({"error": message}, status_code=503, headers=headers)
        response = self.render(request, "error.html", status=503, title_key="busy")
        response.headers.update(headers)
        return response

    def cancelled(self, request: Request, exc: Exception) -> Response:
        """The client went away: nobody reads this answer."""
        return Response(status_code=503, headers={"Cache-Control": "no-store"})

    def not_found(self, request: Request, exc: Exception) -> Response:
        return self.render(request, "error.html", status=404, title_key="not_found")

    def archive_problem(self, request: Request, exc: Exception) -> Response:
        logger.error("%s", exc)  # the log, for the administrator, keeps the paths
        detail = formatting.without_paths(
            str(exc), {
                self.config.archive_dir: "the archive folder",
                self.config.index_dir: "the index folder",
                self.config.path: "the configuration file",
            }
        )
        return self.render(request, "error.html", status=503, title_key="archive", detail=detail)

    def internal(self, request: Request, exc: Exception) -> Response:
        logger.exception("internal error on %s", request.url.path)
        response = self.render(request, "error.html", status=500, title_key="internal")
        response.headers.update(page_headers())  # answered outside SecurityHeaders
        return response


class _SentThen(FileResponse):
    """A file answer that runs `then` once sent, or once the client went away meanwhile (a
    background task would not run then: the bundle's folder and lock would stay)."""

    def __init__(self, then: Callable[[], None], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.then = then

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await anyio.to_thread.run_sync(self.then)


def language_url(request: Request, lang: str) -> str:
    """This page in another language: the same query with `lang` set once."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    path = "/" + quote(request.url.path.lstrip("/"))  # never "//host": a link off the site
    return f"{path}?{urlencode([*params, ('lang', lang)])}"


def file_url(doc_id: str, media_type: str, page: int | None = None) -> str:
    """The archived file's address; a PDF opens at `page` (the browser's viewer reads #page=)."""
    at = f"#page={page}" if page and media_type == "application/pdf" else ""
    return f"/file/{doc_id}/{file_name(doc_id, media_type)}{at}"


def _sort_key(value: object) -> tuple:
    """Missing values last, numbers as numbers, text without regard to case."""
    if value in (None, "", []):
        return (1, 0, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value, "")
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return (0, 0, str(value).casefold())


def create_app(config: Config) -> Starlette:
    from kooperacja.search import open_index

    site = WebSite(config, open_index(config.index_dir))

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        if status == 404:
            return site.not_found(request, exc)
        return Response(status_code=status, headers=getattr(exc, "headers", None))

    routes = [
        Route("/", site.home),
        Route("/api/search", site.api_search),
        Route("/doc/{doc_id}", site.document),
        Route("/doc/{doc_id}/page/{number}", site.page),
        Route("/doc/{doc_id}/preview.png", site.preview),
        Route("/doc/{doc_id}/page/{number}/preview.png", site.preview),
        Route("/file/{doc_id}/{name}", site.file),
        Route("/catalogue", site.catalogue),
        Route("/changes", site.changes),
        Route("/export/{fmt}", site.export),
        Route("/export/results/{fmt}", site.export_results),
        *recommendations.routes(site),  # /rekomendacje, /rekomendacje/{id}, their download
        Route("/feed", feed.endpoint(site)),
        Route("/oai", oai.endpoint(site), methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            NotFound: site.not_found,
            Busy: site.busy,
            SearchCancelled: site.cancelled,
            HTTPException: http_error,
            KooperacjaError: site.archive_problem,
            Exception: site.internal,
        },
    )
    app.state.index = site.index  # one open index for the server's life, reopened on updates
    app.add_middleware(SecurityHeaders)
    return app
