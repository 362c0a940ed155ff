"""The command line: the only place that prints or exits. Each command is a few lines over the
library; heavy modules are imported inside the commands so `search` starts fast."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import click

from kooperacja.errors import ArchiveError, IndexMissing, KooperacjaError, UsageError

T = TypeVar("T")
logger = logging.getLogger("kooperacja")


class State:
    def __init__(self, config_path: Path, verbosity: int, quiet: bool, config_from: str = ""):
        self.config_path = config_path
        self.config_from = config_from  # how the path was chosen, for "no config" messages
        self.verbosity = verbosity
        self.quiet = quiet
        self._config = None

    @property
    def config(self):
        if self._config is None:
            from kooperacja.config import load_config

            self._config = load_config(self.config_path, given_by=self.config_from)
        return self._config

    @property
    def reading_config(self):
        """The config for commands that only read the archive: tagging rules not compiled."""
        if self._config is not None:
            return self._config
        from kooperacja.config import load_config

        return load_config(self.config_path, check_tagging=False, given_by=self.config_from)

    def say(self, message: str) -> None:
        """A note for a person on stderr; -q keeps a successful run silent."""
        if not self.quiet:
            click.echo(message, err=True)

    def progress(
        self, items: Iterable[T], label: str = "", total: int | None = None
    ) -> Iterable[T]:
        """A progress bar on stderr, only when stderr is a terminal and not quiet."""
        if self.quiet or not sys.stderr.isatty():
            return items
        return _bar(items, label, total)


def _bar(items: Iterable[T], label: str, total: int | None) -> Iterable[T]:
    with click.progressbar(
        items, length=total, label=f"{label:<8}", file=sys.stderr, show_pos=True
    ) as bar:
        yield from bar


def emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def json_option(f):
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document on stdout."
    )(f)


_GLOBAL_FLAGS = ("-q", "--quiet", "-v", "-vv", "-vvv", "--verbose")


class KooperacjaGroup(click.Group):
    """Turns domain errors into one-line messages and the contract's exit codes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # -q and -v may also come after the command (`kooperacja search x -q`): move them
        # before it, where the group reads them. An argument after `--` is left alone.
        end = args.index("--") if "--" in args else len(args)
        command_at = next(
            (i for i, a in enumerate(args[:end]) if a in self.commands), None
        )
        if command_at is not None:
            moved = [a for a in args[command_at + 1 : end] if a in _GLOBAL_FLAGS]
            if moved:
                rest = [a for a in args[command_at + 1 : end] if a not in _GLOBAL_FLAGS]
                args = [*moved, *args[: command_at + 1], *rest, *args[end:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        verbose = ctx.params.get("verbose", 0)
        try:
            return super().invoke(ctx)
        except KooperacjaError as exc:
            if verbose >= 2:
                logger.exception("details")
            for line in str(exc).splitlines() or [type(exc).__name__]:
                click.echo(f"error: {line}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except OSError as exc:
            if verbose >= 2:
                raise
            where = f" {exc.filename}" if exc.filename else " a file of the archive"
            reason = (exc.strerror or str(exc)).lower()
            click.echo(f"error: cannot read or write{where}: {reason}", err=True)
            # No space, a read-only disk, permissions, I/O: whichever it is, the archive needs a
            # person, and one kind of failure gets one exit code. (--output has its own: 2.)
            ctx.exit(3)
        except sqlite3.OperationalError as exc:
            if verbose >= 2:
                raise
            click.echo(
                f"error: the catalogue could not be read or written ({exc}): check free "
                "space and permissions of the archive folder",
                err=True,
            )
            ctx.exit(3)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if verbose >= 2:
                raise
            click.echo(
                f"error: internal error {type(exc).__name__}: {exc} (run with -vv for details)",
                err=True,
            )
            ctx.exit(1)


@click.group(
    cls=KooperacjaGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    envvar="KOOPERACJA_CONFIG",
    default=Path("config.yaml"),
    show_default=True,
    help="Configuration file (or set KOOPERACJA_CONFIG).",
)
@click.option(
    "-v", "--verbose", count=True, help="-v: progress details; -vv: debug and tracebacks."
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path, verbose: int, quiet: bool) -> None:
    """Archive and search the publications of "Kooperacja – efektywna i skuteczna".

    Harvests the partners' project pages, archives every document, extracts PDF text page by page,
    tags metadata and keeps a Polish full-text index. Start with `kooperacja update`, then
    `kooperacja search "asystent rodziny"`.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    if quiet:
        level = logging.ERROR
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s: %(message)s")
    source = ctx.get_parameter_source("config_path")
    config_from = {
        click.core.ParameterSource.COMMANDLINE: "given with --config",
        click.core.ParameterSource.ENVIRONMENT: "named by KOOPERACJA_CONFIG",
    }.get(source, "the default: neither --config nor KOOPERACJA_CONFIG is set")  # type: ignore
    ctx.obj = State(config_path, verbose, quiet, config_from)


pass_state = click.make_pass_decorator(State)


def partner_option(f):
    return click.option(
        "--partner", "partners", multiple=True, metavar="ID", help="Only this partner (repeatable)."
    )(f)


# --- pipeline stages --------------------------------------------------------------------------


def _run_stages(
    state: State,
    stages: tuple[str, ...],
    partners=(),
    as_json=False,
    command="update",
    rebuild=False,
    force_tag=False,
) -> None:
    from kooperacja.runner import report_failures, run_update

    on_url = (
        (lambda url: click.echo(f"  {url}", err=True)) if state.verbosity >= 1 else (lambda u: None)
    )
    report = run_update(
        state.config,
        partners,
        stages=stages,
        progress=state.progress,
        on_url=on_url,
        command=command,
        rebuild=rebuild,
        force_tag=force_tag,
    )
    failures = report_failures(report)
    if as_json:
        emit(report)
    elif not state.quiet:
        from kooperacja.cli.render import format_update_report

        click.echo(format_update_report(report))
    for failure in failures:
        click.echo(f"failed: {failure}", err=True)
    unrepaired = report.get("files", {}).get("unrepaired", [])
    for problem in unrepaired:
        click.echo(f"archive: {problem}", err=True)
    if stages == ("index",) and not report.get("documents_total"):
        state.say(
            f"the archive {state.config.archive_dir} is empty, nothing to index (config "
            f"{state.config.path}): run 'kooperacja update' to harvest the partners' documents"
        )
    if unrepaired:
        sys.exit(3)  # the archive itself needs a person, whatever else failed
    if failures:
        sys.exit(1)


@cli.command()
@partner_option
@json_option
@pass_state
def crawl(state: State, partners: tuple[str, ...], as_json: bool) -> None:
    """Harvest partner pages and documents into the archive."""
    _run_stages(state, ("crawl",), partners, as_json, command="crawl")


@cli.command()
@click.option(
    "--ocr",
    type=click.Choice(["never", "auto", "force"]),
    default=None,
    help="OCR (Tesseract, Polish): pages without a usable text layer (auto), every page of "
    "every PDF (force) or none; default: extract.ocr in the config (auto). A stronger mode "
    "than before re-reads the PDFs extracted with the weaker one.",
)
@json_option
@pass_state
def extract(state: State, ocr: str | None, as_json: bool) -> None:
    """Extract text, page by page, of archived documents not yet extracted."""
    if ocr:
        from dataclasses import replace

        config = state.config
        state._config = replace(config, extract=replace(config.extract, ocr=ocr))
    _run_stages(state, ("extract",), (), as_json, command="extract")


@cli.command()
@click.option("--all", "force", is_flag=True, help="Re-tag every document, changed or not.")
@json_option
@pass_state
def tag(state: State, force: bool, as_json: bool) -> None:
    """(Re)compute metadata of archived documents from the rules and overrides.

    Documents whose inputs, rules and overrides are unchanged keep their tags unless --all.
    """
    _run_stages(state, ("tag",), (), as_json, command="tag", force_tag=force)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Build a new index from the archive and swap it in.")
@json_option
@pass_state
def index(state: State, rebuild: bool, as_json: bool) -> None:
    """Bring the search index up to date with the archive."""
    _run_stages(state, ("index",), (), as_json, command="index", rebuild=rebuild)


@cli.command()
@partner_option
@json_option
@pass_state
def update(state: State, partners: tuple[str, ...], as_json: bool) -> None:
    """Crawl, extract, tag, index: the one command for cron.

    Exit 0 when all went well, 1 when some items failed (each named on stderr), 4 when another run
    holds the archive lock.
    """
    _run_stages(state, ("crawl", "extract", "tag", "index"), partners, as_json)


# --- reading ------------------------------------------------------------------------------------


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
@click.option("--year", metavar="Y|Y1..Y2", help="A year or a range of years.")
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
    from kooperacja.models import SearchFilters
    from kooperacja.search import search as run_search
    from kooperacja.search.request import parse_years

    text = " ".join(query)
    year_from, year_to = parse_years(year)
    config = state.reading_config
    filters = SearchFilters(
        _check_types(types), _check_partners(config, partners), year_from, year_to, statuses
    )
    try:
        result = run_search(config.index_dir, text, filters, limit, require_all=require_all)
    except IndexMissing:
        _explain_missing_index(config)
        raise
    if as_json:
        from kooperacja.cli.render import search_json

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


def _check_types(values: tuple[str, ...]) -> tuple[str, ...]:
    from kooperacja.models import resolve_type, type_names_help

    codes = []
    for value in values:
        code = resolve_type(value)
        if code is None:
            raise UsageError(
                f"--type {value!r} is not a document type; use one of: {type_names_help()}"
            )
        codes.append(code)
    return tuple(codes)


def _check_partners(config, values: tuple[str, ...]) -> tuple[str, ...]:
    known = [p.id for p in config.partners]
    for value in values:
        if value not in known:
            raise UsageError(
                f"--partner {value!r} is not a partner in {config.path.name}; "
                f"use one of: {', '.join(known)}"
            )
    return values


_PRINTED_PAGE = re.compile(r"^\s*(?:s|str|strona)\.?\s*(\S+)\s*$", re.IGNORECASE)


def _parse_page(value: str | None) -> tuple[int | None, str | None]:
    """`--page 26` is the 26th page of the PDF; `--page s.26` the page printed as 26."""
    if value is None:
        return None, None
    if value.strip().isdigit():
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
        out = dict(record)
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
@pass_state
def export(state: State, fmt, output, excel, types, partners, year, statuses) -> None:
    """Write the catalogue (to stdout without --output)."""
    from kooperacja.exports.export import export_catalogue
    from kooperacja.i18n import locale_language
    from kooperacja.search.request import parse_years

    year_from, year_to = parse_years(year)
    if output is None and fmt == "bundle":
        raise UsageError("--format bundle writes a folder or a .zip: pass --output PATH")
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
@click.option("--repair", is_flag=True, help="Re-extract, re-index or re-link what can be.")
@json_option
@pass_state
def verify(state: State, repair: bool, as_json: bool) -> None:
    """Check archive, catalogue and index against each other (exit 3 if something is wrong)."""
    from kooperacja.runner import verify_archive

    result = verify_archive(state.config, repair=repair, progress=state.progress)
    if as_json:
        emit(result)
    else:
        for problem in result["problems"]:
            click.echo(problem)
        for fixed in result.get("repaired", []):
            click.echo(f"repaired: {fixed}")
        for left in result.get("not_repaired", []):
            click.echo(left)
        if not result["problems"]:
            state.say(f"ok: {result['documents']} documents, files, text and index agree")
    if result["problems"] and not result.get("all_repaired"):
        sys.exit(3)


@cli.command()
@click.option("--since", required=True, metavar="DATE", help="YYYY-MM-DD (or an ISO time).")
@json_option
@pass_state
def changes(state: State, since: str, as_json: bool) -> None:
    """What changed in the archive since a date: new, changed, gone and returned documents."""
    from kooperacja.archive.reading import archive_changes
    from kooperacja.cli.render import format_changes

    data = archive_changes(state.config, since)
    emit(data) if as_json else click.echo(format_changes(data))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes (one per core serves more people at once).",
)
@pass_state
def serve(state: State, host: str, port: int, workers: int) -> None:
    """The staff web page over the archive and index (read-only; Ctrl-C stops it).

    Listens on 127.0.0.1 unless told otherwise: for an office network, put it behind a reverse
    proxy (README, "The web page"). A new index from `update` is used without a restart.
    """
    import os

    import uvicorn

    config = state.reading_config  # checked here, so a bad config is one line, not a traceback
    click.echo(f"serving {config.archive_dir} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    os.environ["KOOPERACJA_CONFIG"] = str(config.path.resolve())  # for each worker process
    uvicorn.run(
        "kooperacja.web.asgi:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning" if state.verbosity == 0 else "info",
        proxy_headers=True,
        server_header=False,
        # A person reads results for a while before the next search: keep the connection open
        # (uvicorn's 5 s closed it under a browser about to reuse it: a reset instead of a page).
        timeout_keep_alive=30,
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


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="kooperacja", standalone_mode=False)
    except click.exceptions.Abort:  # click's form of Ctrl-C
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
