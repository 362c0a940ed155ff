"""Build the BEIR-format passage set of Polish acts of law: bench/data/acts-pl.

    python bench/data/make_acts_beir.py [--out bench/data/acts-pl]

Passages are the articles of four acts in ../shared/testdata/pdfs/pl (official acts are not
protected by copyright in Poland, art. 4 of the Copyright Act, so the texts may be committed):
the Civil Code and the consolidated texts of the acts on forests (Dz.U. 2020 poz. 6), on
employees' claims when the employer is insolvent (poz. 7) and on carriage (poz. 8). The text is
extracted with pypdfium2 and repaired as the extractor repairs it; the page furniture (the
Sejm's header, the Dziennik Ustaw running head) is dropped. One passage per article:
{"_id": "<act>-<article>", "title": "<act> – <the chapter's heading>", "text": "Art. … "}.

The questions (queries.jsonl) and judgements (qrels/test.tsv) are written by hand in
acts_questions.py, as staff type questions: half of them without Polish letters.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys

import pypdfium2 as pdfium

ROOT = pathlib.Path(__file__).resolve().parents[2]
PDFS = ROOT.parent / "shared" / "testdata" / "pdfs" / "pl"
sys.path.insert(0, str(ROOT / "pipeline"))

from kooperacja.extract.textrepair import repair_page_text  # noqa: E402

ACTS = {  # id → (file, name, first page of the act's own text, 0-based)
    "kc": ("kodeks_cywilny_isap.pdf", "Kodeks cywilny", 0),
    "lasy": ("dzu_2020_poz6.pdf", "Ustawa o lasach", 2),
    "fgsp": (
        "dzu_2020_poz7.pdf",
        "Ustawa o ochronie roszczeń pracowniczych w razie niewypłacalności pracodawcy",
        2,
    ),
    "przewoz": ("dzu_2020_poz8.pdf", "Prawo przewozowe", 2),
}
FURNITURE = re.compile(
    r"^(©Kancelaria Sejmu.*|\d{4}-\d{2}-\d{2}|Dziennik Ustaw\s+–\s+\d+\s+–\s+Poz\. \d+)\s*$"
)
# "Art. 10." and the Civil Code's superscript numbers, which pdfium puts before a line break:
# "Art. 331\n. § 1." is article 33¹.
ARTICLE = re.compile(r"^Art\. (\d+[a-z]*)(?:\n(?=\.))?", re.M)
HEADING = re.compile(r"^(?:Rozdział|DZIAŁ|TYTUŁ|KSIĘGA)\s+[\dIVXLC]+\w*\s*\n(?!Art\.)(.+)$", re.M)


def act_text(path: pathlib.Path, first_page: int) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(first_page, len(doc)):
            tp = doc[i].get_textpage()
            text = repair_page_text(tp.get_text_range(), is_word=None)
            tp.close()
            lines = [ln for ln in text.split("\n") if not FURNITURE.match(ln.strip())]
            pages.append("\n".join(ln for ln in lines if ln.strip()))
        return "\n".join(pages)
    finally:
        doc.close()


def passages(act: str, name: str, text: str) -> list[dict]:
    headings = [(m.start(), " ".join(m.group(1).split())) for m in HEADING.finditer(text)]
    starts = list(ARTICLE.finditer(text))
    out: list[dict] = []
    seen: set[str] = set()
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = " ".join(text[m.start() : end].split())
        heading = next((h for pos, h in reversed(headings) if pos < m.start()), "")
        number = m.group(1)
        key = f"{act}-{number}"
        while key in seen:  # an article quoted twice (amendments): keep both, apart
            key += "b"
        seen.add(key)
        if "(uchylony)" in body[:40] and len(body) < 60:
            continue
        title = f"{name} – {heading}" if heading else name
        out.append({"_id": key, "title": title, "text": body})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "data" / "acts-pl")
    args = ap.parse_args()
    rows = []
    for act, (file, name, first) in ACTS.items():
        rows += passages(act, name, act_text(PDFS / file, first))
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} passages to {args.out / 'corpus.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
