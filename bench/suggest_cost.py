"""What "Czy chodziło o" costs at a real archive's vocabulary, before and after issue 17.1.

    python bench/suggest_cost.py [--forms 200000] [--queries 200] [--paragraphs 10] [--options]

The demo corpus (bench/data/demo-pl) is indexed with `rebuild_index` into a temporary folder,
then its vocabulary grown to FORMS forms through `vocab.apply_counts` (the path `index` takes,
so the symmetric-delete table grows with it): every inflected form Morfeusz generates for the
lemmas of the test PDFs' text (../shared/testdata/pdfs/pl), then those forms with Polish prefixes
(`nie`, `współ`, `prze`, …) until FORMS are reached, each with a Zipf-like document count.

Queries are vocabulary forms with one typo each (two for words over six letters: a deletion,
insertion, substitution or swap after the first letter), half of them typed without Polish
letters, kept only if neither the archive nor Morfeusz knows them. Measured in the same run,
interleaved: `suggest` as it is (new) and the code before issue 17.1 (old, kept below for this
bench only: the 5,000 most frequent forms of the same first letter and similar length, a Python
edit distance over each). A 2-typo query is one `suggest` call on two words; a paragraph is one
call on 50 such words. `--options` also times the structures not chosen.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench.corpus import SOURCE_DIR  # noqa: E402
from bench.procs import load_average, percentile  # noqa: E402
from bench.relevance import load_dataset  # noqa: E402
from kooperacja.models import IndexDoc, PageText  # noqa: E402
from kooperacja.search import generations, rebuild_index, vocab  # noqa: E402
from kooperacja.search.lemmas import is_word  # noqa: E402
from kooperacja.search.suggest import MIN_LETTERS, suggest  # noqa: E402
from kooperacja.search.words import fold, is_stop, make_stemmer  # noqa: E402

PREFIXES = ["nie", "naj", "prze", "współ", "przy", "od", "za", "po", "wy", "roz", "nad", "pod"]
LETTERS = "aąbcćdeęfghijklłmnńoóprsśtuwyzźż"


# --- the code before issue 17.1, for comparison only ---------------------------------------


def old_edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def kept_as_typed(conn: sqlite3.Connection, word: str) -> bool:
    folded = fold(word)
    return bool(
        len(folded) < MIN_LETTERS
        or is_stop(word)
        or not word.replace("-", "").isalpha()
        or vocab.spellings(conn, folded)
        or is_word(word)
    )


def old_correct_word(conn: sqlite3.Connection, word: str) -> str | None:
    folded = fold(word)
    if kept_as_typed(conn, word):
        return None
    limit = 1 if len(folded) <= 6 else 2
    n = len(folded)
    rows = conn.execute(
        "SELECT form, freq FROM vocab WHERE folded >= ? AND folded < ? "
        "AND length(folded) BETWEEN ? AND ? ORDER BY freq DESC LIMIT 5000",
        (folded[:1], folded[:1] + "\U0010ffff", n - 2, n + 2),
    )
    best: tuple[int, int, str] | None = None
    for form, freq in rows:
        d = old_edit_distance(folded, fold(form), limit)
        if d <= limit:
            key = (d, -freq, form)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def exact_suggest(conn: sqlite3.Connection, words: list[str]) -> str | None:
    """The definition both follow, without a cap: the closest, then most frequent, form of the
    same first letter over the whole vocabulary (rapidfuzz over every form; the reference)."""
    from rapidfuzz.distance import OSA

    out: list[str | None] = []
    for word in words:
        if kept_as_typed(conn, word):
            out.append(None)
            continue
        folded = fold(word)
        limit = 1 if len(folded) <= 6 else 2
        rows = conn.execute(
            "SELECT form, folded, freq FROM vocab WHERE folded >= ? AND folded < ?",
            (folded[:1], folded[:1] + "\U0010ffff"),
        )
        best = min(
            (
                (d, -freq, form)
                for form, f, freq in rows
                if (d := OSA.distance(folded, f, score_cutoff=limit)) <= limit
            ),
            default=None,
        )
        out.append(best[2] if best else None)
    return " ".join(f or w for f, w in zip(out, words, strict=True)) if any(out) else None


def old_suggest(conn: sqlite3.Connection, words: list[str]) -> str | None:
    out = [old_correct_word(conn, w) for w in words]
    return " ".join(f or w for f, w in zip(out, words, strict=True)) if any(out) else None


# --- the grown vocabulary -------------------------------------------------------------------


def source_words() -> set[str]:
    import pypdfium2

    words: set[str] = set()
    for path in sorted(SOURCE_DIR.glob("*.pdf")):
        pdf = pypdfium2.PdfDocument(path)
        for page in pdf:
            text = page.get_textpage().get_text_range()
            words.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", text))
    return words


def polish_forms(count: int, rnd: random.Random) -> list[str]:
    """`count` distinct lowercased forms: Morfeusz's inflections of the test PDFs' lemmas, then
    prefixed variants of them."""
    import morfeusz2

    words = source_words()
    analyser = morfeusz2.Morfeusz(generate=False, expand_tags=False)
    lemmas = {
        lemma
        for w in words
        for _s, _e, (_orth, lemma, tag, _n, _q) in analyser.analyse(w)
        if tag != "ign" and not tag.startswith("interp")
    }
    generator = morfeusz2.Morfeusz(generate=True, expand_tags=False)
    forms = set(words)
    for lemma in sorted(lemmas):
        try:
            forms.update(f[0].lower() for f in generator.generate(lemma) if f[0].isalpha())
        except RuntimeError:  # a lemma the generator does not take back
            continue
    base = sorted(forms)
    while len(forms) < count:
        forms.add(rnd.choice(PREFIXES) + rnd.choice(base))
    return sorted(forms)[:count]


def grow(generation: Path, target: int, rnd: random.Random) -> tuple[int, float]:
    """Grow the index's vocabulary to `target` forms; (forms added, seconds apply_counts took)."""
    conn = vocab.connect(generation, write=True)
    try:
        have = {r[0] for r in conn.execute("SELECT form FROM vocab")}
        new = [f for f in polish_forms(target, rnd) if f not in have][: target - len(have)]
        delta = Counter({f: max(1, int(2000 / (rnd.randrange(len(new)) + 1) ** 0.7)) for f in new})
        start = time.perf_counter()
        vocab.apply_counts(conn, delta, {}, make_stemmer())
        conn.commit()
        return len(new), time.perf_counter() - start
    finally:
        conn.close()


def typo(word: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(word))
    kind = rnd.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + rnd.choice(LETTERS) + word[i:]
    if kind == 2 or i == len(word) - 1:
        return word[:i] + rnd.choice(LETTERS) + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def misspelled(conn: sqlite3.Connection, count: int, rnd: random.Random) -> list[str]:
    forms = [r[0] for r in conn.execute("SELECT form FROM vocab WHERE length(form) >= 5")]
    out: list[str] = []
    while len(out) < count:
        word = rnd.choice(forms)
        if not word.isalpha():
            continue
        wrong = typo(word, rnd)
        if len(word) > 6:
            wrong = typo(wrong, rnd)
        if rnd.random() < 0.5:
            wrong = fold(wrong)
        if not vocab.spellings(conn, fold(wrong)) and not is_word(wrong) and not is_stop(wrong):
            out.append(wrong)
    return out


# --- measuring ------------------------------------------------------------------------------


def timed(fn, conn, words) -> tuple[float, float, str | None]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(conn, words)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, out


def measure(conn, queries: list[list[str]]) -> dict:
    runs: dict[str, dict[str, list[float]]] = {
        name: {"wall": [], "cpu": []} for name in ("old", "new")
    }
    same = differ = 0
    exact = {"old": 0, "new": 0}
    for words in queries:
        old_ms, old_cpu, old = timed(old_suggest, conn, words)
        new_ms, new_cpu, new = timed(suggest, conn, words)
        runs["old"]["wall"].append(old_ms)
        runs["old"]["cpu"].append(old_cpu)
        runs["new"]["wall"].append(new_ms)
        runs["new"]["cpu"].append(new_cpu)
        same, differ = (same + 1, differ) if old == new else (same, differ + 1)
        reference = exact_suggest(conn, words)
        exact["old"] += old == reference
        exact["new"] += new == reference
    return {
        name: {
            f"{k}_{q}": round(percentile(v, p), 2)
            for k, v in r.items()
            for q, p in (("p50", 50), ("p95", 95))
        }
        for name, r in runs.items()
    } | {
        "same_suggestion": same,
        "different_suggestion": differ,
        "old_as_reference": exact["old"],
        "new_as_reference": exact["new"],
    }


def options(conn, words: list[str]) -> dict:
    """The structures not chosen, on the same vocabulary and words (per word, ms)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    folded = sorted({r[0] for r in conn.execute("SELECT folded FROM vocab")})
    found: dict = {}
    start = time.perf_counter()
    for w in words[:40]:
        process.extract(fold(w), folded, scorer=OSA.distance, score_cutoff=2, limit=None)
    found["rapidfuzz_whole_vocabulary_ms_per_word"] = round(
        (time.perf_counter() - start) / 40 * 1000, 2
    )
    grams: Counter[str] = Counter()
    for f in folded:
        g = f"^{f}$"
        grams.update({g[i : i + 3] for i in range(len(g) - 2)})
    touched = []
    for w in words:
        g = f"^{fold(w)}$"
        touched.append(sum(grams[g[i : i + 3]] for i in range(len(g) - 2)))
    found["trigram_postings_per_word_p50"] = percentile(touched, 50)
    try:
        from symspellpy import SymSpell, Verbosity
    except ImportError:
        return found | {"symspellpy": "not installed"}
    start = time.perf_counter()
    spell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for f in folded:
        spell.create_dictionary_entry(f, 1)
    found["symspellpy_build_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    for w in words:
        f = fold(w)
        spell.lookup(f, Verbosity.CLOSEST, max_edit_distance=1 if len(f) <= 6 else 2)
    found["symspellpy_ms_per_word"] = round((time.perf_counter() - start) / len(words) * 1000, 3)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--forms", type=int, default=200_000)
    ap.add_argument("--queries", type=int, default=200, help="2-typo queries")
    ap.add_argument("--paragraphs", type=int, default=10, help="50-word pasted paragraphs")
    ap.add_argument("--options", action="store_true", help="also time the structures not chosen")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    rnd = random.Random(17)
    data = load_dataset(ROOT / "bench" / "data" / "demo-pl")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rebuild_index(
            folder,
            (
                IndexDoc(
                    cid,
                    "",
                    title,
                    "other",
                    (),
                    None,
                    "online",
                    "",
                    "application/pdf",
                    (PageText(1, text),),
                )
                for cid, (title, text) in data.corpus.items()
            ),
        )
        generation = generations.current_generation(folder)
        assert generation is not None
        added, build_s = grow(generation, args.forms, rnd)
        conn = vocab.connect(generation)
        forms = conn.execute("SELECT COUNT(*) FROM vocab").fetchone()[0]
        keys = conn.execute("SELECT COUNT(*) FROM near").fetchone()[0]
        size_mb = (generation / vocab.FILENAME).stat().st_size / 1e6
        words = misspelled(conn, 2 * args.queries + 50 * args.paragraphs, rnd)
        pairs = [words[2 * i : 2 * i + 2] for i in range(args.queries)]
        rest = words[2 * args.queries :]
        paragraphs = [rest[50 * i : 50 * i + 50] for i in range(args.paragraphs)]
        for w in words[:20]:  # warm Morfeusz and SQLite's page cache for both paths alike
            suggest(conn, [w])
            old_suggest(conn, [w])
        report = {
            "forms": forms,
            "forms_added": added,
            "apply_counts_s": round(build_s, 2),
            "near_rows": keys,
            "index_sqlite_mb": round(size_mb, 1),
            "two_typos": measure(conn, pairs),
            "paragraph_50": measure(conn, paragraphs),
            "load_average": load_average(),
        }
        if args.options:
            report["options"] = options(conn, words[:200])
        conn.close()
    print(
        f"vocabulary {forms:,} forms ({added:,} added in {build_s:.1f} s by apply_counts, "
        f"{keys:,} near rows, index.sqlite {size_mb:.1f} MB), load {report['load_average']}"
    )
    print(f"{'':22}{'old p50':>9}{'old p95':>9}{'new p50':>9}{'new p95':>9}   ms")
    for name in ("two_typos", "paragraph_50"):
        r = report[name]
        for kind in ("wall", "cpu"):
            cells = [r[s][f"{kind}_{q}"] for s in ("old", "new") for q in ("p50", "p95")]
            print(f"{name + ' ' + kind:22}" + "".join(f"{c:9.2f}" for c in cells))
        print(
            f"{'':22}old = new {r['same_suggestion']}, old != new {r['different_suggestion']}; "
            f"as the uncapped reference: old {r['old_as_reference']}, "
            f"new {r['new_as_reference']} of {r['same_suggestion'] + r['different_suggestion']}"
        )
    if "options" in report:
        print("options:", json.dumps(report["options"]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
