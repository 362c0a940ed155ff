"""Which lemmatiser makes the inflected forms of one Polish word meet: measured on the UD Polish
gold list (../shared/testdata/morph/pl_form_lemma_gold_pud.tsv).

    python bench/lemmatisers.py [GOLD_TSV] [--json PATH]

For every pair of distinct forms with the same gold lemma (nouns, adjectives, verbs, proper
nouns; alphabetic forms), *pair recall* is the share the method gives a common key. *Merge
precision* is, among the pairs of forms the method gives a common key, the share that really
have one lemma. A method with several keys per form (Morfeusz's every lemma) meets when the key
sets overlap. Keys are folded (no Polish letters), as the index holds them.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations
from pathlib import Path

from kooperacja.search.words import fold, truncation_stem

DEFAULT_GOLD = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "testdata"
    / "morph"
    / "pl_form_lemma_gold_pud.tsv"
)
KINDS = ("NOUN", "ADJ", "VERB", "PROPN")
Keys = Callable[[Iterable[str]], dict[str, frozenset[str]]]


def read_gold(path: Path) -> dict[str, str]:
    """form → gold lemma (lowercased), for the unambiguous content forms."""
    gold: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            form = row["form"].lower()
            if row["upos"] in KINDS and form.isalpha() and row["form_lemma_ambiguous"] == "0":
                gold[form] = row["lemma"].lower()
    return gold


def morfeusz_all(forms: Iterable[str]) -> dict[str, frozenset[str]]:
    from kooperacja.search.lemmas import lemma_keys

    return {f: frozenset(lemma_keys(f)) for f in forms}


def morfeusz_first(forms: Iterable[str]) -> dict[str, frozenset[str]]:
    from kooperacja.search.lemmas import lemma_keys

    return {f: frozenset(lemma_keys(f)[:1]) for f in forms}


def simplemma_keys(forms: Iterable[str]) -> dict[str, frozenset[str]]:
    import simplemma

    return {
        f: frozenset({fold(simplemma.lemmatize(f, lang="pl", low_memory=True).lower())})
        for f in forms
    }


def snowball_keys(forms: Iterable[str]) -> dict[str, frozenset[str]]:
    import Stemmer

    stemmer = Stemmer.Stemmer("polish")
    return {f: frozenset({fold(stemmer.stemWord(f))}) for f in forms}


def truncation_keys(forms: Iterable[str]) -> dict[str, frozenset[str]]:
    return {f: frozenset({truncation_stem(f)}) for f in forms}


METHODS: dict[str, Keys] = {
    "morfeusz2_all_lemmas": morfeusz_all,
    "morfeusz2_first_lemma": morfeusz_first,
    "simplemma": simplemma_keys,
    "snowball_polish": snowball_keys,
    "prefix_5": truncation_keys,
}


def measure(gold: dict[str, str], keys: dict[str, frozenset[str]]) -> dict[str, float]:
    groups: dict[str, list[str]] = defaultdict(list)
    for form, lemma in gold.items():
        groups[lemma].append(form)
    pairs = [(a, b) for g in groups.values() for a, b in combinations(sorted(g), 2)]
    met = sum(bool(keys[a] & keys[b]) for a, b in pairs)
    buckets: dict[str, list[str]] = defaultdict(list)
    for form, ks in keys.items():
        for k in ks:
            buckets[k].append(form)
    merged = {pair for b in buckets.values() for pair in combinations(sorted(set(b)), 2)}
    right = sum(gold[a] == gold[b] for a, b in merged)
    return {
        "pairs": len(pairs),
        "pair_recall": round(met / len(pairs), 4) if pairs else 0.0,
        "merged_pairs": len(merged),
        "merge_precision": round(right / len(merged), 4) if merged else 0.0,
    }


def run(path: Path) -> dict:
    gold = read_gold(path)
    report: dict = {"forms": len(gold)}
    for name, method in METHODS.items():
        started = time.perf_counter()
        keys = method(gold)
        report[name] = measure(gold, keys) | {"seconds": round(time.perf_counter() - started, 2)}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, nargs="?", default=DEFAULT_GOLD)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    report = run(args.gold)
    print(f"{args.gold.name}: {report['forms']} forms")
    print(f"{'method':24s} {'pair recall':>12s} {'merge precision':>16s} {'seconds':>8s}")
    for name in METHODS:
        r = report[name]
        print(
            f"{name:24s} {r['pair_recall']:12.4f} {r['merge_precision']:16.4f} {r['seconds']:8.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
