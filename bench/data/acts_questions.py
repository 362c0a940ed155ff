"""Questions about the acts-pl passages, judged by hand; writes queries.jsonl and qrels/test.tsv.

    python bench/data/acts_questions.py [--out bench/data/acts-pl]

Written as people type them into a search box: questions and bare keywords, inflected, every
second one without Polish letters. Each names the article answering it (grade 2) and, where
another article answers part of it, that one (grade 1). Written without looking at any search
result, from the articles' text (make_acts_beir.py).
"""

from __future__ import annotations

import argparse
import json
import pathlib

from kooperacja.text import fold

ROOT = pathlib.Path(__file__).resolve().parents[2]

QUESTIONS: list[tuple[str, dict[str, int]]] = [
    ("od ilu lat jest się pełnoletnim", {"kc-10": 2, "kc-11": 1}),
    ("kto ma ograniczoną zdolność do czynności prawnych", {"kc-15": 2, "kc-17": 1}),
    ("zasiedzenie nieruchomości w złej wierze ile lat", {"kc-172": 2}),
    ("kto odpowiada za szkodę wyrządzoną z winy", {"kc-415": 2}),
    ("po ilu latach przedawnia się roszczenie", {"kc-118": 2, "kc-117": 1}),
    ("czym są nieruchomości", {"kc-46": 2}),
    ("sprzedaż działki czy potrzebny akt notarialny", {"kc-158": 2}),
    ("zadatek co gdy druga strona nie wykona umowy", {"kc-394": 2}),
    ("rękojmia za wady rzeczy sprzedanej", {"kc-556": 2}),
    ("w jakiej formie darowizna", {"kc-890": 2}),
    ("odwołanie darowizny rażąca niewdzięczność", {"kc-898": 2}),
    ("zaległość z czynszem za dwa miesiące wypowiedzenie najmu", {"kc-687": 2}),
    ("kto dziedziczy w pierwszej kolejności", {"kc-931": 2}),
    ("komu należy się zachowek", {"kc-991": 2}),
    ("testament napisany odręcznie", {"kc-949": 2}),
    ("w jakim terminie można odrzucić spadek", {"kc-1015": 2}),
    ("odpowiedzialność spadkobiercy za długi spadkowe", {"kc-1030": 2, "kc-1031": 1}),
    ("pies pogryzł kto odpowiada za szkodę wyrządzoną przez zwierzę", {"kc-431b": 2}),
    ("odsetki za opóźnienie w zapłacie", {"kc-481": 2}),
    ("zwrot korzyści uzyskanej bez podstawy prawnej", {"kc-405": 2, "kc-410": 1}),
    ("w jakiej formie pełnomocnictwo", {"kc-99": 2}),
    ("błąd co do treści czynności prawnej", {"kc-84": 2}),
    ("czy za zlecenie należy się wynagrodzenie", {"kc-735": 2}),
    ("odstąpienie od umowy o dzieło przed ukończeniem dzieła", {"kc-644": 2}),
    ("działka bez dostępu do drogi publicznej", {"kc-145": 2}),
    ("zniesienie współwłasności", {"kc-210": 2}),
    ("kiedy rzecz znaleziona staje się własnością znalazcy", {"kc-187": 2, "kc-189": 1}),
    ("sąsiad zakłóca korzystanie z nieruchomości hałasem", {"kc-144": 2}),
    ("po ilu latach zaginiony może być uznany za zmarłego", {"kc-29": 2}),
    ("co jest miejscem zamieszkania osoby fizycznej", {"kc-25": 2}),
    ("jakie są dobra osobiste człowieka", {"kc-23": 2, "kc-24": 1}),
    ("kara umowna za niewykonanie zobowiązania", {"kc-483": 2, "kc-484": 1}),
    ("umowa poręczenia", {"kc-876": 2}),
    ("czy dziecko które nie ukończyło 13 lat odpowiada za szkodę", {"kc-426": 2}),
    ("szkoda wyrządzona przy wykonywaniu władzy publicznej", {"kc-417": 2}),
    ("zadośćuczynienie pieniężne za krzywdę", {"kc-445": 2, "kc-448": 1}),
    ("renta po śmierci poszkodowanego", {"kc-446": 2}),
    ("umowa o dożywocie obowiązki nabywcy", {"kc-908": 2}),
    ("kiedy można ubezwłasnowolnić całkowicie", {"kc-13": 2}),
    ("gdzie jest zakaz wstępu do lasu", {"lasy-26": 2}),
    ("czy można zbierać grzyby w lesie państwowym", {"lasy-27": 2, "lasy-30": 1}),
    ("jazda samochodem po drogach leśnych", {"lasy-29": 2}),
    ("co jest zabronione w lesie", {"lasy-30": 2}),
    ("kto zleca sporządzenie planu urządzenia lasu", {"lasy-21": 2}),
    ("reklamacja u przewoźnika przed pozwem", {"przewoz-75": 2}),
    ("jak zawiera się umowę przewozu osób bilet", {"przewoz-16": 2}),
    ("przewóz zastępczy gdy pociąg nie pojedzie", {"przewoz-18": 2}),
    ("odpowiedzialność przewoźnika za uszkodzenie przesyłki", {"przewoz-65": 2}),
    ("kiedy pracodawca jest niewypłacalny", {"fgsp-3": 2}),
    ("fundusz gwarantowanych świadczeń pracowniczych wypłata zaległych wynagrodzeń",
     {"fgsp-12": 2}),
]  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "data" / "acts-pl")
    args = ap.parse_args()
    (args.out / "qrels").mkdir(parents=True, exist_ok=True)
    with open(args.out / "queries.jsonl", "w", encoding="utf-8") as q:
        for n, (text, _) in enumerate(QUESTIONS, start=1):
            typed = fold(text) if n % 2 == 0 else text  # every second one without Polish letters
            q.write(json.dumps({"_id": f"a{n}", "text": typed}, ensure_ascii=False) + "\n")
    with open(args.out / "qrels" / "test.tsv", "w", encoding="utf-8") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for n, (_, relevant) in enumerate(QUESTIONS, start=1):
            for doc, grade in relevant.items():
                f.write(f"a{n}\t{doc}\t{grade}\n")
    print(f"wrote {len(QUESTIONS)} questions to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
