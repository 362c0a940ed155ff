"""The staff queries of tests/test_demo.py that the demo-pl pages can answer, judged by hand;
writes queries.jsonl and qrels/test.tsv here (corpus.jsonl is demo-pl's, linked).

Run from the repository root: python bench/data/demo-staff/judgements.py

Left out: the tests' queries about the scan, the Word file and the slides (demo-pl holds the
demo's PDFs with a text layer only). Grade 2: the page the test asks for (or, for the questions,
the pages answering them); grade 1: pages answering in part.
"""

import json
import pathlib

K = "ksiega_rekomendacyjna"
M = "model_kooperacji_gminy_miejskie"
MW = "model_kooperacji_gminy_miejsko-wiejskie"
W = "model_kooperacji_gminy_wiejskie"
Z = "zalozenia_prawne_wspolpracy_instytucji"
POLICE = [(K, 31, 2), (K, 30, 1)]
VIOLENCE_POLICE = [(K, 30, 2), (K, 31, 1), (MW, 4, 1), (MW, 6, 1), (W, 5, 1)]
VIOLENCE_FAMILY = [
    (K, 19, 2), (Z, 2, 2), (K, 30, 1), (M, 7, 1), (K, 12, 1), (W, 5, 1), (MW, 4, 1), (MW, 6, 1),
]  # fmt: skip
MODEL = [(M, 1, 2), (M, 2, 2)]
Q = [
    ("wspolpraca z policja", POLICE),
    ("współpraca z policją", POLICE),
    ("asystent rodziny policja", [(K, 31, 2)]),
    ("asystentow rodzinnych policja", [(K, 31, 2)]),
    ("asystentów rodzinnych policja", [(K, 31, 2)]),
    ("rekomendacja 24", [(K, 31, 2)]),
    ("rek. 24", [(K, 31, 2)]),
    ("Rek 24", [(K, 31, 2)]),
    ("rek. 12", [(K, 19, 2)]),
    ("rekomendacje policja", [(K, 30, 2), (K, 31, 2)]),
    ("jak współpracować z policją w sprawie przemocy", VIOLENCE_POLICE),
    ("jak wspolpracowac z policja w sprawie przemocy", VIOLENCE_POLICE),
    ("co robić gdy w rodzinie jest przemoc", VIOLENCE_FAMILY),
    ("co robic gdy przemoc w rodzinie", VIOLENCE_FAMILY),
    ("model dla gmin miejskich", MODEL),
    ("model gminy miejskie", MODEL),
]

if __name__ == "__main__":
    here = pathlib.Path(__file__).parent
    (here / "qrels").mkdir(exist_ok=True)
    with open(here / "queries.jsonl", "w", encoding="utf-8") as f:
        for i, (q, _) in enumerate(Q, 1):
            f.write(json.dumps({"_id": f"s{i}", "text": q}, ensure_ascii=False) + "\n")
    with open(here / "qrels" / "test.tsv", "w", encoding="utf-8") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for i, (_, rel) in enumerate(Q, 1):
            for doc, page, grade in rel:
                f.write(f"s{i}\t{doc}#p{page}\t{grade}\n")
