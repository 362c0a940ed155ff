# ruff: noqa: E501
"""Build the offline demo site: render demo/corpus/*.md into PDFs and write the HTML pages.

Usage:
    python demo/build_site.py [--out DIR] [--write-meta]

* ``--out DIR``     output folder (default: demo/site). PDFs go to DIR/files/<partner>/...,
                    HTML pages to DIR/<partner>/.../index.html, plus DIR/robots.txt.
* ``--write-meta``  also (re)write demo/expected.yaml from the corpus front matter and the
                    page counts of the rendered PDFs.

The build is deterministic: fixed creation dates, no timestamps, stable ordering.
Building twice gives byte-identical files (see demo/README.md).

Corpus format (one Markdown file per document, YAML front matter between ``---`` lines):
    ===            page break (every page of a document is explicit; the build fails if
                   a source page overflows onto an extra physical page)
    # text         heading, level 0 in the PDF outline (bookmarks)
    ## text        heading, level 1 in the outline
    ### text       bold heading, level 2 in the outline (used for "Rekomendacja N.")
    #### text      bold heading, not in the outline
    - text         bullet
    | a | b |      table row (the first row of a block is the header)
    @titlepage     title page made from front matter (title, subtitle, author, place_date)
    @label r|D     page label style from this page on (r = roman, D = arabic, restarts at 1)
    @toc N         table of contents placeholder spanning N pages (book layout)
    @nohead        no running header/footer on this page
    word~rest      manual hyphenation: rendered as "word-" at a line end, "rest" on the next line
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import pathlib
import shutil
import sys

import yaml
from fpdf import FPDF
from fpdf.enums import XPos, YPos

HERE = pathlib.Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
FONT_DIR = pathlib.Path("/usr/share/fonts/truetype/dejavu")
PROJECT = "Kooperacja – efektywna i skuteczna"
FUNDING = (
    "Projekt współfinansowany ze środków Europejskiego Funduszu Społecznego "
    "w ramach Programu Operacyjnego Wiedza Edukacja Rozwój 2014–2020"
)


# --------------------------------------------------------------------------- corpus


def load_corpus(corpus_dir: pathlib.Path = CORPUS_DIR) -> list[dict]:
    docs = []
    for path in sorted(corpus_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            raise ValueError(f"{path}: missing front matter")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        meta["source"] = path.name
        meta["stem"] = path.stem
        meta["body"] = body
        docs.append(meta)
    return docs


def split_pages(body: str) -> list[list[str]]:
    pages, cur = [], []
    for line in body.splitlines():
        if line.strip() == "===":
            pages.append(cur)
            cur = []
        else:
            cur.append(line)
    if any(s.strip() for s in cur):
        pages.append(cur)
    return pages


def blocks(lines: list[str]) -> list[tuple[str, str | list]]:
    """Group the lines of one page into blocks: (kind, payload)."""
    out: list[tuple[str, str | list]] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush():
        nonlocal para, table
        if para:
            out.append(("p", " ".join(s.strip() for s in para)))
            para = []
        if table:
            out.append(("table", table))
            table = []

    for raw in lines:
        line = raw.rstrip()
        s = line.strip()
        if not s:
            flush()
            continue
        if s.startswith("|"):
            if para:
                flush()
            table.append([c.strip() for c in s.strip("|").split("|")])
            continue
        if table:
            flush()
        if s.startswith("#"):
            flush()
            level = len(s) - len(s.lstrip("#"))
            out.append((f"h{level}", s[level:].strip()))
        elif s.startswith("- "):
            flush()
            out.append(("li", s[2:].strip()))
        elif s.startswith("@"):
            flush()
            out.append(("cmd", s[1:].strip()))
        elif raw.startswith("  ") and out and out[-1][0] == "li" and not para:
            out[-1] = ("li", out[-1][1] + " " + s)
        else:
            para.append(s)
    flush()
    return out


def hyph(text: str) -> str:
    return text.replace("~", "-\n")


# --------------------------------------------------------------------------- PDF


class DocPDF(FPDF):
    def __init__(self, meta: dict):
        self.meta = meta
        self.slides = meta.get("layout") == "slides"
        super().__init__(orientation="L" if self.slides else "P", unit="mm", format="A4")
        self.nohead: set[int] = set()
        self.labels: dict[int, str] = {}
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=22)
        self.running = meta.get("running_title", meta["title"])

    # running header and footer, repeated on every page like in real reports
    def header(self):
        if self.page in self.nohead:
            return
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.set_xy(self.l_margin, 10)
        w = self.w - self.l_margin - self.r_margin
        self.cell(w / 2, 5, PROJECT, align="L")
        self.cell(w / 2, 5, self.running[:70], align="R")
        self.line(self.l_margin, 15.5, self.w - self.r_margin, 15.5)
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, 22)

    def footer(self):
        label = self.get_page_label() or str(self.page)
        self.labels[self.page] = label
        if self.page in self.nohead:
            return
        self.set_font("DejaVu", "", 7)
        self.set_text_color(90, 90, 90)
        self.set_y(-15)
        w = self.w - self.l_margin - self.r_margin
        if self.slides:
            self.cell(w - 20, 4, FUNDING, align="L")
            self.cell(20, 4, f"{label}", align="R")
        else:
            self.cell(w - 25, 4, FUNDING, align="L")
            self.cell(25, 4, f"Strona {label}", align="R")
        self.set_text_color(0, 0, 0)

    # ------------------------------------------------------------------ rendering
    def text_par(self, text: str, size: float = 10.5, style: str = "", lh: float = 5.4):
        self.set_font("DejaVu", style, size)
        self.multi_cell(
            0,
            lh,
            hyph(text),
            align="J" if not self.slides else "L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def title_page(self):
        m = self.meta
        self.nohead.add(self.page)
        self.set_font("DejaVu", "B", 11)
        self.set_y(30 if not self.slides else 25)
        self.cell(0, 6, PROJECT.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 9)
        self.cell(
            0,
            5,
            "Projekt realizowany w ramach PO WER 2014–2020",
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.ln(30 if not self.slides else 18)
        self.set_font("DejaVu", "B", 20 if not self.slides else 24)
        self.multi_cell(
            0,
            10 if not self.slides else 12,
            m["title"],
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if m.get("subtitle"):
            self.ln(6)
            self.set_font("DejaVu", "", 13)
            self.multi_cell(0, 7, m["subtitle"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(25 if not self.slides else 12)
        self.set_font("DejaVu", "", 11)
        if m.get("author"):
            self.multi_cell(0, 6, m["author"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if m.get("place_date"):
            self.ln(4)
            self.multi_cell(0, 6, m["place_date"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def render_toc(self, pdf, outline):
        self.set_font("DejaVu", "B", 14)
        self.cell(0, 9, "Spis treści", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        for sec in outline:
            if sec.level > 2:
                continue
            size = {0: 10, 1: 9.5, 2: 8.5}[sec.level]
            self.set_font("DejaVu", "B" if sec.level == 0 else "", size)
            indent = 6 * sec.level
            label = self.labels.get(sec.page_number, str(sec.page_number))
            self.set_x(self.l_margin + indent)
            w = self.w - self.l_margin - self.r_margin - indent - 14
            name = sec.name if len(sec.name) < 88 else sec.name[:85] + "…"
            self.cell(w, 4.6, name)
            self.cell(14, 4.6, label, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def render_table(self, rows: list[list[str]]):
        self.set_font("DejaVu", "", 9 if not self.slides else 13)
        with self.table(
            line_height=5 if not self.slides else 8, text_align="LEFT", first_row_as_headings=True
        ) as t:
            for r in rows:
                row = t.row()
                for c in r:
                    row.cell(c)
        self.ln(3)

    def render(self):
        pages = split_pages(self.meta["body"])
        self._skip_add = False
        self._toc_extra = 0
        for i, page_lines in enumerate(pages, start=1):
            if not self._skip_add:
                self.add_page()
            self._skip_add = False
            for kind, payload in blocks(page_lines):
                self.render_block(kind, payload)
            if self.page != i + self._toc_extra + (1 if self._skip_add else 0):
                raise RuntimeError(
                    f"{self.meta['source']}: source page {i} overflows (physical page {self.page})"
                )

    def render_block(self, kind, payload):
        sl = self.slides
        if kind == "cmd":
            cmd, _, arg = payload.partition(" ")
            if cmd == "titlepage":
                self.title_page()
            elif cmd == "nohead":
                self.nohead.add(self.page)
            elif cmd == "label":
                if arg == "r":
                    self.set_page_label("r", label_start=1)
                else:
                    self.set_page_label("D", label_start=1)
            elif cmd == "toc":
                n = int(arg)
                # the placeholder fills n pages and starts page n+1 itself
                self.insert_toc_placeholder(self.render_toc, pages=n, reset_page_indices=False)
                self._toc_extra += n - 1
                self._skip_add = True
            else:
                raise ValueError(f"unknown command @{payload}")
        elif kind in ("h1", "h2", "h3", "h4"):
            level = int(kind[1]) - 1
            if level <= 2:
                self.start_section(payload.split("|")[0].strip(), level=level, strict=False)
            size = {0: 16, 1: 13, 2: 11.5, 3: 10.5}[level]
            if sl:
                size = {0: 24, 1: 20, 2: 16, 3: 14}[level]
            self.set_font("DejaVu", "B", size)
            if self.get_y() > 30 and level < 3:
                self.ln(2)
            self.multi_cell(
                0, size * 0.5 + 1, payload, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.ln(2 if not sl else 5)
        elif kind == "p":
            if sl:
                self.text_par(payload, size=16, lh=8)
            else:
                self.text_par(payload)
            self.ln(1.6 if not sl else 3)
        elif kind == "li":
            size, lh, ind = (10.5, 5.4, 6) if not sl else (17, 8.5, 10)
            self.set_font("DejaVu", "", size)
            x0 = self.l_margin
            self.set_x(x0 + ind - 4 if not sl else x0 + 2)
            self.cell(ind - 2 if not sl else 8, lh, "•" if not sl else "–")
            self.set_left_margin(x0 + ind)
            self.multi_cell(0, lh, hyph(payload), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_left_margin(x0)
            self.ln(0.8 if not sl else 2.5)
        elif kind == "table":
            self.render_table(payload)


def render_pdf(meta: dict) -> bytes:
    pdf = DocPDF(meta)
    created = dt.datetime.fromisoformat(str(meta["created"]))
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))
    pdf.set_creation_date(created)
    pdf.set_title(meta.get("pdf_title", meta["title"]))
    if meta.get("pdf_author", meta.get("author")):
        pdf.set_author(meta.get("pdf_author", meta.get("author")))
    pdf.set_subject(PROJECT)
    pdf.set_creator(meta.get("creator", "fpdf2 (demo corpus)"))
    pdf.set_lang("pl-PL")
    pdf.render()
    return bytes(pdf.output())


# --------------------------------------------------------------------------- HTML

PARTNERS = {
    "rops-torun": {
        "name": "Regionalny Ośrodek Polityki Społecznej w Toruniu",
        "short": "ROPS Toruń",
        "address": "ul. Szosa Chełmińska 30/32, 87-100 Toruń",
        "phone": "56 652 18 11",
        "email": "sekretariat@rops.torun.example",
        "nav": [
            "Strona główna",
            "O nas",
            "Projekty",
            "Obserwatorium Integracji Społecznej",
            "Ekonomia społeczna",
            "Aktualności",
            "Kontakt",
            "BIP",
        ],
    },
    "rops-gdansk": {
        "name": "Regionalny Ośrodek Polityki Społecznej Urzędu Marszałkowskiego "
        "Województwa Pomorskiego",
        "short": "ROPS Gdańsk",
        "address": "ul. Okopowa 21/27, 80-810 Gdańsk",
        "phone": "58 32 68 561",
        "email": "rops@pomorskie.example",
        "nav": [
            "Start",
            "O ROPS",
            "Projekty ROPS",
            "Pomoc społeczna",
            "Wspieranie rodziny",
            "Przeciwdziałanie przemocy",
            "Dostępność",
            "Kontakt",
        ],
    },
    "umk": {
        "name": "Uniwersytet Mikołaja Kopernika w Toruniu – Centrum Badań Nad Rodziną",
        "short": "UMK Toruń",
        "address": "ul. Gagarina 11, 87-100 Toruń",
        "phone": "56 611 40 10",
        "email": "cbnr@umk.example",
        "nav": [
            "Uniwersytet",
            "Centrum Badań Nad Rodziną",
            "Zespół",
            "Projekty badawcze",
            "Publikacje",
            "Wydarzenia",
            "Kontakt",
        ],
    },
}

COOKIE = (
    "Ta strona używa plików cookies w celu zapewnienia prawidłowego działania serwisu "
    "oraz w celach statystycznych. Korzystając ze strony, wyrażasz zgodę na ich "
    'używanie zgodnie z ustawieniami przeglądarki. <a href="#polityka">Polityka '
    "prywatności</a> <button>Akceptuję</button>"
)


def page_html(
    partner: str,
    title: str,
    crumbs: list[tuple[str, str | None]],
    body: str,
    extra_footer: str = "",
) -> str:
    p = PARTNERS[partner]
    nav = "\n".join(
        f'      <li><a href="/{partner}/{"" if i == 0 else "#m" + str(i)}">{html.escape(n)}</a></li>'
        for i, n in enumerate(p["nav"])
    )
    crumb_html = " &raquo; ".join(
        f'<a href="{u}">{html.escape(t)}</a>' if u else f"<span>{html.escape(t)}</span>"
        for t, u in crumbs
    )
    return f"""<!DOCTYPE html>
<html lang="pl">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)} – {html.escape(p["short"])}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
  <div id="cookie-info">{COOKIE}</div>
  <header>
    <a class="logo" href="/{partner}/">{html.escape(p["name"])}</a>
    <nav><ul>
{nav}
    </ul></nav>
    <form class="search" action="/{partner}/szukaj/"><input name="q" placeholder="Szukaj…"></form>
  </header>
  <div class="breadcrumbs">Jesteś tutaj: {crumb_html}</div>
  <main>
{body}
  </main>
  <footer>
    <p>{html.escape(p["name"])}<br>{html.escape(p["address"])}<br>
    tel. {html.escape(p["phone"])}, e-mail: <a href="mailto:{p["email"]}">{p["email"]}</a></p>
    <p><a href="/{partner}/deklaracja-dostepnosci/">Deklaracja dostępności</a> |
    <a href="#polityka">Polityka prywatności</a> |
    <a href="https://www.facebook.com/kooperacja.efektywna.demo">Znajdź nas na Facebooku</a>{extra_footer}</p>
    <p>{html.escape(FUNDING)}.</p>
  </footer>
</body>
</html>
"""


def human_size(n: int, style: str) -> str:
    kb = n / 1024
    if style == "kb":
        s = f"{round(kb):,}".replace(",", " ")
        return f"{s}KB"
    return f"{kb / 1024:.2f}MB"


# --------------------------------------------------------------------------- build


def build_site(out_dir: pathlib.Path) -> list[pathlib.Path]:
    """Render all PDFs and HTML pages into out_dir; return the written files (sorted)."""
    out_dir = pathlib.Path(out_dir)
    docs = load_corpus()
    written: list[pathlib.Path] = []
    files_root = out_dir / "files"
    if files_root.exists():
        shutil.rmtree(files_root)
    sizes: dict[str, int] = {}
    for meta in docs:
        data = document_bytes(meta)
        if len(data) > (1024 if meta.get("format") == "scan" else 200) * 1024:
            raise RuntimeError(f"{meta['source']}: file too large ({len(data)} bytes)")
        for rel in meta["paths"]:
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
            sizes[rel] = len(data)
    from demo_pages import write_pages  # noqa: E402  (sibling module)

    written += write_pages(out_dir, docs, sizes, page_html, human_size)
    return sorted(written)


OFFICE_DIR = CORPUS_DIR / "office"


def document_bytes(meta: dict) -> bytes:
    """The file a corpus entry stands for, by its `format`: pdf (default), scan (the PDF's pages
    as a poor scanner gives them: images only, for OCR) or an office format (doc, pptx), whose
    file LibreOffice wrote from the entry's text once; it is kept in corpus/office/ because
    LibreOffice stamps each .pptx with the time it was written."""
    fmt = meta.get("format", "pdf")
    if fmt == "pdf":
        return render_pdf(meta)
    sys.path.insert(0, str(HERE.parent))
    if fmt == "scan":
        from tests.scangen import scanned_pdf

        scanned = dt.datetime.fromisoformat(str(meta["created"])).replace(
            tzinfo=dt.timezone(dt.timedelta(hours=1))
        )
        return scanned_pdf(render_pdf(meta), seed=len(meta["title"]), scanned=scanned)
    office_file = OFFICE_DIR / f"{meta['stem']}.{fmt}"
    if not office_file.exists():
        from tests.officegen import make_office_file

        make_office_file(office_file, office_pages(meta))
    return office_file.read_bytes()


def office_pages(meta: dict) -> list[str]:
    """The entry's pages (slides) as plain lines: headings and bullets lose their marks."""
    out = []
    for lines in split_pages(meta["body"]):
        text = [str(payload) for kind, payload in blocks(lines) if kind != "cmd"]
        out.append("\n".join(text))
    return out


def write_meta(docs: list[dict], out_dir: pathlib.Path) -> None:
    from pypdf import PdfReader

    entries = []
    for m in docs:
        if m.get("format", "pdf") in ("pdf", "scan"):
            pages = len(PdfReader(out_dir / m["paths"][0]).pages)
        else:
            pages = len(office_pages(m))
        e = {
            "id": m["stem"],
            "paths": list(m["paths"]),
            "partners": list(m["partners"]),
            "type": m["type"],
            "year": int(m["year"]),
            "date": str(m["date"]) if m.get("date") else None,
            "title": m["title"],
            "pdf_title": m.get("pdf_title", m["title"]),
            "pages": pages,
            "sha256": hashlib.sha256((out_dir / m["paths"][0]).read_bytes()).hexdigest(),
        }
        if m.get("format") == "scan":
            e["text_status"] = "ocr"
        entries.append(e)
    text = (
        "# Ground truth for the demo corpus; generated by "
        "`python demo/build_site.py --write-meta`.\n"
        "# paths are relative to demo/site (URL path = '/' + path).\n"
    )
    text += yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False, width=100)
    # The checks of what the demo finds beyond the PDFs are written by hand: kept as they are.
    old = (HERE / "expected.yaml").read_text(encoding="utf-8")
    at = old.find("\n# What `make demo` must find")
    if at != -1:
        text += old[at:]
    (HERE / "expected.yaml").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, default=HERE / "site")
    ap.add_argument("--write-meta", action="store_true")
    args = ap.parse_args(argv)
    files = build_site(args.out)
    if args.write_meta:
        write_meta(load_corpus(), args.out)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    raise SystemExit(main())
