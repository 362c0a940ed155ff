"""`kooperacja recommendations [QUERY] [--addressee KIND]`: the numbered recommendations found in
the archived documents, searched as pages are (inflected forms, no Polish letters needed)."""

from __future__ import annotations

from typing import Any

import click

from kooperacja.cli.main import State, cli, emit, json_option, pass_state
from kooperacja.cli.reading import SearchCommand
from kooperacja.errors import UsageError
from kooperacja.i18n import DEFAULT_LANGUAGE, format_number, translations
from kooperacja.models import ADDRESSEE_KINDS, resolve_addressee_kind


def addressee_kind(name: str | None) -> str | None:
    """The kind a person typed (`policja`, `sady`, `szkoly`), or a one-line error naming them."""
    if not name:
        return None
    kind = resolve_addressee_kind(name)
    if kind is None:
        raise UsageError(
            f"--addressee: unknown kind of institution {name!r}: choose one of "
            f"{', '.join(ADDRESSEE_KINDS)} (Polish letters and case may be left out)"
        )
    return kind


@cli.command(cls=SearchCommand)
@click.argument("query", nargs=-1)
@click.option(
    "--addressee",
    metavar="KIND",
    help="Only those addressed to this kind of institution: OPS, PCPR, Policja, sąd, szkoła, "
    "PUP, NGO, gmina, powiat, … (Polish letters and case may be left out).",
)
@json_option
@pass_state
def recommendations(
    state: State, query: tuple[str, ...], addressee: str | None, as_json: bool
) -> None:
    """The numbered recommendations of the archived documents, with their addressees.

    QUERY searches their text as `search` does: `kooperacja recommendations policja`,
    `kooperacja recommendations asystent rodziny --addressee OPS`.
    """
    from kooperacja.archive.recommendations import recommendations_in
    from kooperacja.i18n import locale_language

    config = state.reading_config
    kind = addressee_kind(addressee)
    records, unread = recommendations_in(config.archive_dir, kind)
    words = " ".join(query).strip()
    partial = False
    if words:
        from kooperacja.search import find_recommendations

        found = find_recommendations(config.index_dir, words, records)
        records, partial = list(found.records), found.partial
    if unread:
        state.say(
            f"note: the recommendations of {unread} documents are not read yet: run "
            "'kooperacja extract' (or update)"
        )
    if as_json:
        emit(
            {
                "query": words,
                "addressee": kind,
                "total": len(records),
                "partial": partial,
                "recommendations": records,
            }
        )
        return
    click.echo(format_recommendations(records, words, kind, partial, locale_language()))


def format_recommendations(
    records: list[dict[str, Any]],
    query: str,
    kind: str | None,
    partial: bool,
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """The list as people read it: heading, addressees, book and page, id."""
    t = translations(lang)
    _ = t.gettext
    asked = " · ".join(x for x in (query, kind and _("addressee: {kind}").format(kind=kind)) if x)
    if not records:
        return _("No recommendations for: {query}").format(query=asked) if asked else _(
            "No numbered recommendations in the archive."
        )
    count = t.ngettext("{num} recommendation", "{num} recommendations", len(records))
    lines = [count.format(num=format_number(len(records), lang)) + (f": {asked}" if asked else "")]
    if partial:
        lines.append(_("None holds every word; these hold some of them."))
    lines.append("")
    for r in records:
        gone = f"  [{_('removed from the site').upper()}]" if r["status"] == "gone" else ""
        lines.append(f"{r['heading']}{gone}")
        if r["addressees"]:
            kinds = ", ".join(r["addressee_kinds"])
            lines.append(f"   {_('Addressees')}: {'; '.join(r['addressees'])} [{kinds}]")
        where = (
            _("p. {label} (PDF page {page})").format(label=r["page_label"], page=r["page"])
            if r["page_label"] and r["page_label"] != str(r["page"])
            else _("page {page}").format(page=r["page"])
        )
        lines.append(f"   {r['book']}, {where} · {r['id']}")
        lines.append("")
    return "\n".join(lines).rstrip()
