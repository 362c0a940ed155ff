"""One self-contained HTML page: a sortable, filterable catalogue table with Polish labels.

No external assets: CSS and JavaScript are inline, so the page works from a USB stick or an
e-mail attachment. Every value is escaped; only http(s) URLs become links.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import BinaryIO

from kooperacja.exports.fields import (
    DUBLIN_CORE,
    ExportReport,
    FileHref,
    columns,
    field_label,
    flat,
    human_size,
    no_file_href,
    normalize,
    partner_label,
    status_label,
    strip_illegal,
    type_label,
)
from kooperacja.i18n import DEFAULT_LANGUAGE, translations

_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;margin:1.5rem;color:#1b1b1b}
h1{font-size:1.4rem}.filters{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.filters input,.filters select{padding:.3rem;font-size:.95rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#eef2f7;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.gone td{color:#777}tr:nth-child(even){background:#fafafa}.num{text-align:right}
.small{font-size:.8rem;color:#555}
"""
_JS = """
(function(){
var table=document.getElementById('katalog'),body=table.tBodies[0];
var rows=Array.prototype.slice.call(body.rows),count=document.getElementById('licznik');
var q=document.getElementById('szukaj'),sel=document.querySelectorAll('select[data-filter]');
function norm(s){return s.toLowerCase().normalize('NFD').replace(/[\\u0300-\\u036f]/g,'')
  .replace(/ł/g,'l');}
function apply(){var text=norm(q.value),shown=0;
 rows.forEach(function(r){var ok=!text||norm(r.textContent).indexOf(text)>=0;
  sel.forEach(function(s){if(s.value){var v=(r.getAttribute('data-'+s.dataset.filter)||'')
   .split(' ');if(v.indexOf(s.value)<0){ok=false;}}});
  r.hidden=!ok;if(ok){shown++;}});count.textContent=shown;}
q.addEventListener('input',apply);sel.forEach(function(s){s.addEventListener('change',apply);});
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
 th.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});
  th.setAttribute('aria-sort',asc?'ascending':'descending');var num=th.dataset.num==='1';
  rows.sort(function(a,b){var x=a.cells[i].dataset.sort||a.cells[i].textContent,
   y=b.cells[i].dataset.sort||b.cells[i].textContent;
   var c=num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y,'pl');return asc?c:-c;});
  rows.forEach(function(r){body.appendChild(r);});});});
apply();})();
"""
# (field, numeric sort) shown as columns, in this order.
_SHOWN: tuple[tuple[str, bool], ...] = (
    ("title", False), ("type", False), ("partner", False), ("year", True), ("date", False),
    ("status", False), ("pages", True), ("size_bytes", True), ("url", False),
    ("language", False), ("doc_id", False),
)  # fmt: skip


def _href(url: object) -> str | None:
    text = str(url or "")
    return text if text.startswith(("http://", "https://")) else None


def _text(value: object, doc_id: str, col: str, problems: list[str]) -> str:
    text, stripped = strip_illegal(flat(value))
    if stripped:
        problems.append(f"{doc_id}: {col}: control characters removed")
    return escape(text)


def _select(name: str, label: str, values: Mapping[str, str], every: str) -> str:
    options = "".join(
        f'<option value="{escape(v)}">{escape(t)}</option>'
        for v, t in sorted(values.items(), key=lambda kv: kv[1])
        if v
    )
    return (
        f'<label>{escape(label)} <select data-filter="{name}">'
        f'<option value="">{escape(every)}</option>{options}</select></label>'
    )


def write_html(
    records: Sequence[Mapping],
    out: BinaryIO,
    *,
    title: str,
    lang: str = DEFAULT_LANGUAGE,
    file_href: FileHref = no_file_href,
    partner_names: Mapping[str, str] | None = None,
) -> ExportReport:
    """The page; `file_href` gives each record's link to its file (relative to the page);
    partners are shown by the names `partner_names` gives their ids."""
    names = partner_names or {}
    _ = translations(lang).gettext
    cols = columns(records)
    problems: list[str] = []
    rows: list[str] = []
    types: dict[str, str] = {}
    partners: dict[str, str] = {}
    years: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for record in records:
        values = normalize(record, cols)
        doc_id = str(values["doc_id"] or "?")
        doc_type = str(values["type"] or "")
        year = str(values["year"] if values["year"] is not None else "")
        status = str(values["status"] or "")
        linked = list(dict.fromkeys(str(p) for p in [values["partner"], *values["partners"]] if p))
        types[doc_type] = type_label(doc_type, lang)
        years[year] = year
        statuses[status] = status_label(status, lang)
        for partner in linked:
            partners[partner] = partner_label({"partner": partner}, names)
        cells = []
        for col, numeric in _SHOWN:
            value = values[col]
            text = _text(value, doc_id, col, problems)
            sort = f' data-sort="{escape(str(value))}"' if numeric and value is not None else ""
            if col == "title":
                href = file_href(values)
                if href:
                    text = f'<a href="{escape(href)}">{text}</a>'
                text += f'<div class="small">{_text(values["region"], doc_id, "region", [])}</div>'
            elif col == "type":
                text = escape(types[doc_type])
            elif col == "status":
                text = escape(statuses[status])
            elif col == "partner":
                text = escape(partner_label(values, names))
            elif col == "size_bytes":
                text = escape(human_size(value))
            elif col == "url":
                href = _href(value)
                text = f'<a href="{escape(href)}">{escape(_("original"))}</a>' if href else ""
            cls = ' class="num"' if numeric else ""
            cells.append(f"<td{cls}{sort}>{text}</td>")
        rows.append(
            f'<tr class="{escape(status)}" data-type="{escape(doc_type)}" '
            f'data-partner="{escape(" ".join(map(str, linked)))}" data-year="{escape(year)}" '
            f'data-status="{escape(status)}">{"".join(cells)}</tr>'
        )
    head = "".join(
        f'<th scope="col" data-field="{col}" data-dc="{escape(DUBLIN_CORE.get(col, ""))}"'
        f' data-num="{1 if numeric else 0}">{escape(field_label(col, lang))}</th>'
        for col, numeric in _SHOWN
    )
    every = _("all")
    filters = (
        f'<label>{escape(_("Search"))} <input id="szukaj" type="search" '
        f'placeholder="{escape(_("title, partner, year…"))}"></label>'
        + _select("type", field_label("type", lang), types, every)
        + _select("partner", field_label("partner", lang), partners, every)
        + _select("year", field_label("year", lang), years, every)
        + _select("status", field_label("status", lang), statuses, every)
    )
    counts = escape(_("Documents: {total}, shown: {shown}. Click a column heading to sort."))
    counts = counts.format(total=len(records), shown=f'<span id="licznik">{len(records)}</span>')
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f"<p>{counts}</p>\n"
        f'<div class="filters">{filters}</div>\n'
        f'<table id="katalog">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + f"\n</tbody>\n</table>\n<script>{_JS}</script>\n</body>\n</html>\n"
    )
    out.write(page.encode("utf-8"))
    return ExportReport(written=len(records), problems=tuple(problems))
