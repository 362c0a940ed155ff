"""The commands that read the archive: search, show, export, status, changes, serve, curate.
Heavy modules are imported inside the commands, so `search` starts fast."""

from __future__ import annotations

import re
import sys
from functools import partial
from pathlib import Path

import click

from kooperacja.cli.main import State, cli, emit, json_option, partner_option, pass_state
from kooperacja.errors import ArchiveError, IndexMissing, KooperacjaError, UsageError


def _search_help() -> str:
    from kooperacja.search import QUERY_HELP

    return QUERY_HELP


class SearchCommand(click.Command):
    """`kooperacja search asystent -przemoc`: a word after '-' is a query word to leave out, not
    an option; only this command's own options (and -q/-v) are read as options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            name = arg.split("=", 1)[0]
            if arg == "--":
                words.extend(args[i + 1 :])
                break
            if name in takes_value or (arg.startswith("--") and len(arg) > 2):
                options.append(arg)
                if takes_value.get(name) and "=" not in arg and i + 1 < len(args):
                    options.append(args[i + 1])
                    i += 1
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, [*options, "--", *words] if words else options)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        for line in _search_help().splitlines():  # preformatted: keep its columns
            formatter.write(f"  {line}\n" if line.strip() else "\n")


@cli.command(cls=SearchCommand)
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--type", "types", multiple=True, metavar="T", help="Only documents of this type (code or "
    "Polish name: rekomendacje, sprawozdanie, prezentacja, aktualności ...)."
)
@partner_option
@click.option(
    "--year",
    metavar="Y|Y1..Y2",
    help="A year or a range: 2021, 2019..2021, 2019-2021, 'od 2019 do 2021'.",
)
@click.option("--status", "statuses", multiple=True, type=click.Choice(["online", "gone"]))
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option(
    "--all",
    "require_all",
    is_flag=True,
    help="Only documents with a page holding every word (by default, documents with only some "
    "of the words follow them).",
)
@click.option("--any", "any_words", is_flag=True, hidden=True)  # the default; kept for scripts
@json_option
@pass_state
def search(
    state: State,
    query: tuple[str, ...],
    types,
    partners,
    year,
    statuses,
    limit,
    require_all,
    any_words,
    as_json,
) -> None:
    """Search the archive; pages are 1-based PDF page numbers."""
    from kooperacja.search import open_index
    from kooperacja.search import search as run_search
    from kooperacja.search.request import parse_request

    config = state.reading_config
    asked = parse_request(  # the checks of the web page's query string, too
        " ".join(query),
        types=types,
        partners=partners,
        year=year,
        statuses=statuses,
        limit=limit,
        require_all=require_all,
        known_partners=[p.id for p in config.partners],
        partners_from=config.path.name,
    )
    try:
        index = open_index(config.index_dir)  # one per command
        result = run_search(
            index, asked.query, asked.filters, asked.limit, require_all=asked.require_all
        )
    except IndexMissing:
        _explain_missing_index(config)
        raise
    if as_json:
        from kooperacja.search.results import search_json

        emit(search_json(result))
    else:
        from kooperacja.cli.render import format_search
        from kooperacja.i18n import locale_language

        click.echo(format_search(result, color=sys.stdout.isatty(), lang=locale_language()))


def _explain_missing_index(config) -> None:
    """No index because nothing was ever archived: say so, and what to run, not 'run index'."""
    from kooperacja.archive.catalog import Catalog

    try:
        with Catalog(config.archive_dir, create=False) as catalog:
            count = catalog.counts()["documents"]
    except KooperacjaError:
        count = 0
    if not count:
        raise ArchiveError(
            f"no documents archived yet in {config.archive_dir} (config {config.path}): run "
            "'kooperacja update' to harvest and index the partners' documents"
            + (
                " (or pass --config demo/config.yaml after 'make demo')"
                if "demo" not in str(config.path)
                else ""
            )
        )


_PRINTED_PAGE = re.compile(r"^\s*(?:s|str|strona)\.?\s*(\S+)\s*$", re.IGNORECASE)


def _parse_page(value: str | None) -> tuple[int | None, str | None]:
    """`--page 26` is the 26th page of the PDF; `--page s.26` the page printed as 26."""
    if value is None:
        return None, None
    if value.strip().isascii() and value.strip().isdigit():
        return int(value), None
    printed = _PRINTED_PAGE.match(value)
    if printed:
        return None, printed.group(1)
    raise UsageError(
        f"--page: expected a PDF page like 26 or a printed page like s.26, got {value!r}"
    )


@cli.command()
@click.argument("doc_id")
@click.option(
    "--page",
    metavar="N|s.N",
    help="Print the text of page N (1-based PDF page) or of the page printed as N: --page s.26.",
)
@json_option
@pass_state
def show(state: State, doc_id: str, page: str | None, as_json: bool) -> None:
    """A document's metadata, or the text of one of its pages."""
    from kooperacja.archive.reading import show_document
    from kooperacja.cli.render import format_page_heading, format_record
    from kooperacja.i18n import locale_language

    index, label = _parse_page(page)
    record, page_text = show_document(state.config, doc_id, index, label)
    if as_json:
        from kooperacja.exports.fields import INTERNAL_FIELDS

        out = {k: v for k, v in record.items() if k not in INTERNAL_FIELDS}
        if page_text is not None:
            out.update(
                {
                    "page": page_text.number,
                    "text": page_text.text,
                    "label": page_text.label,
                    "section": page_text.section,
                    "source": page_text.source or "text",  # "ocr": read from the page image
                    "confidence": page_text.confidence,
                }
            )
        emit(out)
    elif page_text is not None:
        click.echo(format_page_heading(record, page_text, locale_language()), err=True)
        click.echo(page_text.text)
    else:
        click.echo(format_record(record, locale_language()))


EXPORT_FORMATS = ("csv", "json", "jsonl", "html", "xlsx", "atom", "bundle")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="File, device or FIFO, '-' for stdout (bundle: a new folder or a .zip). A file is "
    "replaced only once complete; a link's target is written, the link kept.",
)
@click.option("--excel", is_flag=True, help="csv: ';' separated, as Polish Excel expects.")
@click.option("--type", "types", multiple=True, metavar="T")
@partner_option
@click.option("--year", metavar="Y|Y1..Y2")
@click.option("--status", "statuses", multiple=True, type=click.Choice(["online", "gone"]))
@click.option(
    "--what",
    type=click.Choice(["documents", "recommendations"]),
    default="documents",
    show_default=True,
    help="recommendations: the numbered recommendations (csv, json, jsonl, xlsx), one a row: "
    "Nr, Tytuł, Adresaci, Książka, Strona, ...",
)
@click.option("--addressee", metavar="KIND", help="--what recommendations: only those to KIND.")
@pass_state
def export(
    state: State, fmt, output, excel, types, partners, year, statuses, what, addressee
) -> None:
    """Write the catalogue, or its recommendations (to stdout without --output)."""
    from kooperacja.exports.export import export_catalogue
    from kooperacja.i18n import locale_language
    from kooperacja.search.request import parse_years

    year_from, year_to = parse_years(year)
    if addressee and what != "recommendations":
        raise UsageError("--addressee goes with --what recommendations")
    if what == "recommendations":
        from kooperacja.cli.recommendations import addressee_kind
        from kooperacja.exports.recommendations import export_recommendations

        report = export_recommendations(
            state.reading_config.archive_dir, fmt, output, kind=addressee_kind(addressee),
            excel=excel, types=types, partners=partners, year_from=year_from, year_to=year_to,
            statuses=statuses, lang=locale_language(),
        )  # fmt: skip
    elif output is None and fmt == "bundle":
        raise UsageError("--format bundle writes a folder or a .zip: pass --output PATH")
    else:
        report = export_catalogue(
            state.config,
            fmt,
            output,
            excel=excel,
            types=types,
            partners=partners,
            year_from=year_from,
            year_to=year_to,
            statuses=statuses,
            lang=locale_language(),
        )
    for problem in report.problems:
        click.echo(f"not fully written: {problem}", err=True)
    if output is not None and str(output) != "-" and not state.quiet:
        click.echo(f"{report.written} records written to {output}", err=True)
    if report.problems:
        sys.exit(1)  # nothing lost silently: each record that did not fit is named above


@cli.command()
@json_option
@pass_state
def status(state: State, as_json: bool) -> None:
    """Counts per stage and partner, last crawl time, index freshness."""
    from kooperacja.archive.reading import archive_status
    from kooperacja.cli.render import format_status
    from kooperacja.search.run import index_state

    data = archive_status(state.config, partial(index_state, state.config))
    emit(data) if as_json else click.echo(format_status(data))


@cli.command()
@click.option("--since", required=True, metavar="DATE", help="YYYY-MM-DD (or an ISO time).")
@click.option(
    "--query",
    metavar="QUERY",
    help="Only documents this search finds (as `search QUERY`): for a cron mail on a subject.",
)
@json_option
@pass_state
def changes(state: State, since: str, query: str | None, as_json: bool) -> None:
    """What changed in the archive since a date: new, changed, gone and returned documents."""
    from kooperacja.archive.reading import archive_changes
    from kooperacja.cli.render import format_changes

    if query is not None and not query.strip():
        raise UsageError("--query: empty; give the words to look for, as for `search`")
    data = archive_changes(state.config, since)
    if query is not None:
        data = _matching(state, data, query)
    emit(data) if as_json else click.echo(format_changes(data))


def _matching(state: State, data: dict, query: str) -> dict:
    """The document changes among `data`'s whose documents the search `query` finds (a failing
    link is no document: left out)."""
    from kooperacja.search import open_index, search
    from kooperacja.search.request import MAX_RESULTS

    index = open_index(state.config.index_dir)
    found = search(index, query, limit=MAX_RESULTS)
    if found.total > len(found.hits):  # every match, however many: an alert misses none
        found = search(index, query, limit=found.total)
    ids = {hit.doc_id for hit in found.hits}
    kept = [c for c in data["changes"] if c["doc_id"] in ids]
    return {"since": data["since"], "query": query, "changes": kept}


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Server processes (default: one per core, at most 4; a search is Python under one "
    "lock per process, so a process per core serves twice the people on two cores).",
)
@click.option(
    "--preview-cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the pictures of PDF pages, outside the archive (default: systemd's "
    "CacheDirectory, else ~/.cache/kooperacja/previews).",
)
@pass_state
def serve(
    state: State, host: str, port: int, workers: int | None, preview_cache: Path | None
) -> None:
    """The staff web page over the archive and index (read-only; Ctrl-C stops it).

    Listens on 127.0.0.1 unless told otherwise: for an office network, put it behind a reverse
    proxy (README, "The web page"). A new index from `update` is used without a restart.
    """
    import os

    import uvicorn

    from kooperacja.web.connections import MAX_CONNECTIONS, TimedH11Protocol, shared_counts

    config = state.reading_config  # checked here, so a bad config is one line, not a traceback
    workers = workers or min(4, os.cpu_count() or 1)
    click.echo(f"serving {config.archive_dir} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    os.environ["KOOPERACJA_CONFIG"] = str(config.path.resolve())  # for each worker process
    if preview_cache is not None:
        from kooperacja.web.previews import CACHE_ENV

        os.environ[CACHE_ENV] = str(preview_cache.resolve())
    with shared_counts(workers):  # the connections spread over the processes
        uvicorn.run(
            "kooperacja.web.asgi:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning" if state.verbosity == 0 else "info",
            # A line per request only with -v: else uvicorn still formats each one for a logger
            # that drops it.
            access_log=state.verbosity > 0,
            proxy_headers=True,
            server_header=False,
            # A person reads results for a while before the next search: keep the connection
            # open (uvicorn's 5 s closed it under a browser about to reuse it: a reset instead
            # of a page).
            timeout_keep_alive=30,
            # A connection that never sends a complete request is closed too, and there is a
            # bound on connections at once (web/connections.py).
            http=TimedH11Protocol,
            limit_concurrency=MAX_CONNECTIONS,
        )


@cli.command()
@click.argument("doc_id")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    required=True,
    help="title, type, year, date, partner, region, language, municipality_type.",
)
@pass_state
def curate(state: State, doc_id: str, assignments: tuple[str, ...]) -> None:
    """Correct a document's metadata by hand (kept in overrides.yaml; wins over the rules)."""
    from kooperacja.tag.curation import curate_document

    doc = curate_document(state.config, doc_id, assignments)
    state.say(
        f"{doc}: overrides saved to {state.config.overrides_path}; "
        "run 'kooperacja tag' and 'kooperacja index' (or update) to apply"
    )
