"""The commands that run the pipeline's stages (crawl, extract, tag, index, update) and verify
the archive: each a few lines over `runner.py`."""

from __future__ import annotations

import sys

import click

from kooperacja.cli.main import State, cli, emit, json_option, partner_option, pass_state


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
