"""The benchmark corpus: N pages of real Polish PDFs, and the partner sites that publish them.

The 21 real acts in ../shared/testdata/pdfs/pl/ (575 pages, the 242-page Civil Code among them)
are cut into new documents of 5-80 pages: contiguous page runs of one or two source files, each
new file with its own /Title, so every file has distinct bytes and a distinct SHA-256. The result
is cached in bench/work/corpus-<N>/ (gitignored); the same seed always gives the same corpus.

A site is the corpus laid out as partner project pages on disk: per partner an index page and
list pages of at most PER_LIST_PAGE links each (so the crawl paginates), PDFs hard-linked in.
"""

from __future__ import annotations

import html
import json
import math
import os
import random
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = (ROOT / ".." / "shared" / "testdata" / "pdfs" / "pl").resolve()
if not SOURCE_DIR.is_dir():  # a worktree beside the main checkout
    SOURCE_DIR = Path("/work/shared/testdata/pdfs/pl")
WORK = ROOT / "bench" / "work"
CORPUS_VERSION = 1
MIN_DOC_PAGES, MAX_DOC_PAGES = 5, 80
PER_LIST_PAGE = 20  # links per list page: real partner sites paginate their downloads
EXTRA_FRACTION = 0.01  # new documents published between two updates

TITLES = [  # (type the tagger should find, title pattern)
    ("model", "Model kooperacji instytucji pomocy i integracji społecznej – {place}"),
    ("model-summary", "Model współpracy – wersja skrócona, {place}"),
    ("pilot-report", "Raport z pilotażu modelu kooperacji w gminie {place}"),
    ("recommendations", "Księga rekomendacyjna – rekomendacje dla gminy {place}"),
    ("research", "Diagnoza zasobów i potrzeb – wyniki badań, {place}"),
    ("presentation", "Prezentacja wyników spotkania sieciującego, {place}"),
    ("other", "Harmonogram wdrażania modelu, {place}"),
]
PLACES = [
    "Toruń",
    "Gdańsk",
    "Łódź",
    "Kraków",
    "Białystok",
    "Lublin",
    "Poznań",
    "Wrocław",
    "Olsztyn",
    "Rzeszów",
    "Kielce",
    "Opole",
    "Zielona Góra",
    "Szczecin",
    "Bydgoszcz",
]
PARTNER_NAMES = [
    ("rops-torun", "Regionalny Ośrodek Polityki Społecznej w Toruniu", "kujawsko-pomorskie"),
    ("rops-gdansk", "Regionalny Ośrodek Polityki Społecznej w Gdańsku", "pomorskie"),
    ("rops-lodz", "Regionalne Centrum Polityki Społecznej w Łodzi", "łódzkie"),
    ("rops-krakow", "Regionalny Ośrodek Polityki Społecznej w Krakowie", "małopolskie"),
    ("rops-bialystok", "Regionalny Ośrodek Polityki Społecznej w Białymstoku", "podlaskie"),
    ("rops-lublin", "Regionalny Ośrodek Polityki Społecznej w Lublinie", "lubelskie"),
]


@dataclass(frozen=True)
class CorpusDoc:
    name: str  # file name in files/
    pages: int
    title: str
    type: str
    year: int
    partner: str
    extra: bool = False  # published only before the "1% new documents" update


@dataclass(frozen=True)
class Corpus:
    pages: int
    folder: Path
    docs: tuple[CorpusDoc, ...]
    partners: tuple[tuple[str, str, str], ...]  # (id, name, region)

    @property
    def files(self) -> Path:
        return self.folder / "files"

    def base_docs(self) -> list[CorpusDoc]:
        return [d for d in self.docs if not d.extra]

    def extra_docs(self) -> list[CorpusDoc]:
        return [d for d in self.docs if d.extra]


def source_pdfs() -> list[tuple[Path, int]]:
    from pypdf import PdfReader

    out = []
    for path in sorted(SOURCE_DIR.glob("*.pdf")):
        out.append((path, len(PdfReader(path).pages)))
    if not out:
        raise SystemExit(f"bench: no source PDFs in {SOURCE_DIR}")
    return out


def partner_count(docs: int) -> int:
    return max(2, min(len(PARTNER_NAMES), round(docs / 40)))


def build_corpus(pages: int, work: Path = WORK, seed: int = 6, log=print) -> Corpus:
    """The corpus of `pages` pages (plus ~1% extra), built once and cached by page count."""
    folder = work / f"corpus-{pages}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text())
        if data.get("version") == CORPUS_VERSION and data.get("pages") == pages:
            return _from_manifest(folder, data)
    if folder.exists():
        shutil.rmtree(folder)
    tmp = work / f".corpus-{pages}.part"
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "files").mkdir(parents=True)

    from pypdf import PdfReader, PdfWriter

    rng = random.Random(seed * 1_000_003 + pages)
    sources = source_pdfs()
    readers = {path: PdfReader(path) for path, _ in sources}
    weights = [n for _, n in sources]
    extra_pages = max(1, math.ceil(pages * EXTRA_FRACTION))
    plan = [(size, False) for size in _plan_sizes(pages, rng)]
    plan += [(size, True) for size in _plan_sizes(extra_pages, rng)]
    n_base = sum(1 for _, extra in plan if not extra)
    partners = tuple(PARTNER_NAMES[: partner_count(n_base)])
    docs = []
    log(f"bench: building a corpus of {pages} pages ({len(plan)} PDFs) in {folder} ...")
    for i, (size, extra) in enumerate(plan):
        kind, pattern = TITLES[i % len(TITLES)]
        year = 2018 + (i * 7) % 6
        place = PLACES[(i * 5) % len(PLACES)]
        title = f"{pattern.format(place=place)} ({year}), część {i + 1}"
        writer = PdfWriter()
        need = size
        while need > 0:  # one or more contiguous runs of source pages
            path, count = rng.choices(sources, weights=weights)[0]
            take = min(need, count, rng.randint(MIN_DOC_PAGES, MAX_DOC_PAGES))
            start = rng.randint(0, count - take)
            writer.append(readers[path], pages=(start, start + take), import_outline=False)
            need -= take
        writer.add_metadata(
            {
                "/Title": title,
                "/Author": partners[i % len(partners)][1],
                "/Subject": f"benchmark corpus {pages}, document {i + 1}",
            }
        )
        name = f"dokument-{i + 1:05d}.pdf"
        with open(tmp / "files" / name, "wb") as fh:
            writer.write(fh)
        docs.append(CorpusDoc(name, size, title, kind, year, partners[i % len(partners)][0], extra))
        if (i + 1) % 50 == 0:
            log(f"bench:   {i + 1}/{len(plan)} PDFs")
    data = {
        "version": CORPUS_VERSION,
        "pages": pages,
        "seed": seed,
        "partners": [list(p) for p in partners],
        "docs": [asdict(d) for d in docs],
    }
    (tmp / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
    os.replace(tmp, folder)
    return _from_manifest(folder, data)


def _plan_sizes(total: int, rng: random.Random) -> list[int]:
    sizes = []
    left = total
    while left > 0:
        size = min(left, rng.randint(MIN_DOC_PAGES, MAX_DOC_PAGES))
        sizes.append(size)
        left -= size
    return sizes


def _from_manifest(folder: Path, data: dict) -> Corpus:
    docs = tuple(CorpusDoc(**d) for d in data["docs"])
    return Corpus(data["pages"], folder, docs, tuple(tuple(p) for p in data["partners"]))


# --- the partner sites ----------------------------------------------------------------------


def write_site(corpus: Corpus, site: Path, include_extra: bool) -> list[str]:
    """Lay the corpus out as partner sites under `site`; write only pages whose content changed
    (so unchanged pages keep their Last-Modified). Returns the files (re)written."""
    written = []
    site.mkdir(parents=True, exist_ok=True)
    written += _write_if_changed(site / "robots.txt", "User-agent: *\nAllow: /\n")
    docs = [d for d in corpus.docs if include_extra or not d.extra]
    for pid, name, _region in corpus.partners:
        mine = [d for d in docs if d.partner == pid]
        folder = site / pid
        (folder / "pliki").mkdir(parents=True, exist_ok=True)
        for d in mine:
            target = folder / "pliki" / d.name
            if not target.exists():
                try:
                    os.link(corpus.files / d.name, target)
                except OSError:
                    shutil.copy2(corpus.files / d.name, target)
        lists = [mine[i : i + PER_LIST_PAGE] for i in range(0, len(mine), PER_LIST_PAGE)] or [[]]
        pager = " ".join(f'<a href="lista-{k + 1}.html">{k + 1}</a>' for k in range(len(lists)))
        written += _write_if_changed(
            folder / "index.html",
            _page(
                f"{name}: publikacje projektu",
                f"<p>Projekt realizowany przez {html.escape(name)} w partnerstwie z regionalnymi "
                "ośrodkami polityki społecznej. Poniżej materiały do pobrania: modele, raporty, "
                "rekomendacje i prezentacje.</p>"
                f'<nav class="pager">Strony: {pager}</nav>',
            ),
        )
        for k, chunk in enumerate(lists):
            items = "\n".join(
                f'<li><a href="pliki/{d.name}">{html.escape(d.title)}</a> '
                f"(PDF, {d.pages} s.) – opublikowano {d.year}</li>"
                for d in chunk
            )
            written += _write_if_changed(
                folder / f"lista-{k + 1}.html",
                _page(
                    f"Materiały do pobrania – strona {k + 1}",
                    f'<ul>\n{items}\n</ul><nav class="pager">Strony: {pager}</nav>',
                ),
            )
    return written


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="pl"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body><main><h1>{html.escape(title)}"
        f"</h1>\n{body}\n</main></body></html>\n"
    )


def _write_if_changed(path: Path, text: str) -> list[str]:
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return []
    path.write_bytes(data)
    return [str(path)]
