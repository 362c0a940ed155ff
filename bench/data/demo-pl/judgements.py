# ruff: noqa: E501, E701, E702, E741, SIM115
"""Relevance judgements for the demo-pl benchmark (hand-made); writes queries.jsonl and qrels/test.tsv.

Run from the repository root after make_demo_beir.py: python bench/data/demo-pl/judgements.py
"""

import json
import pathlib

K = "ksiega_rekomendacyjna"
MW = "model_kooperacji_gminy_miejsko-wiejskie"
W = "model_kooperacji_gminy_wiejskie"
M = "model_kooperacji_gminy_miejskie"
WS = "model_wiejskie_wersja_skrocona"
MWS = "model_miejsko-wiejskie_wersja_skrocona"
SW = "sprawozdanie_pilotaz_gminy_wiejskie"
P17 = "pobierz-17"
PR21 = "prezentacja_gminy_miejsko-wiejskie_16-06-2021"
PR19 = "prezentacja_wyniki_badan_rgr_2019"
R = "raport_z_badan_wspolpraca_instytucji"
D = "diagnoza_sieci_wsparcia_rodzin"
H = "harmonogram_wdrazania_gminy_wiejskie"
Z = "zalozenia_prawne_wspolpracy_instytucji"
Q = [
    ("współpraca asystentów rodziny z policją", [(K, 31, 2), (K, 30, 1), (D, 3, 1)]),
    ("asystent rodziny i dzielnicowy wspólne wizyty", [(K, 31, 2), (MW, 7, 1)]),
    (
        "obowiązki koordynatora kooperacji",
        [(W, 6, 2), (M, 5, 2), (MW, 6, 2), (K, 8, 1), (WS, 2, 1)],
    ),
    (
        "pół etatu dla koordynatora",
        [(K, 9, 2), (SW, 4, 2), (MW, 6, 1), (W, 6, 1), (PR21, 3, 1), (K, 7, 1)],
    ),
    ("rekomendacje dla małych gmin wiejskich", [(K, 14, 2), (K, 15, 2), (K, 16, 2), (K, 17, 2)]),
    (
        "zespół interdyscyplinarny przemoc domowa",
        [(K, 19, 2), (Z, 2, 2), (M, 7, 1), (MW, 6, 1), (P17, 4, 1), (K, 30, 1)],
    ),
    (
        "pilotaż modelu wyniki",
        [(SW, 2, 2), (P17, 3, 2), (PR21, 4, 2), (K, 40, 1), (SW, 4, 1), (P17, 4, 1)],
    ),
    (
        "punkty kooperacyjne w sołectwach",
        [(K, 18, 2), (MW, 6, 2), (MWS, 2, 1), (P17, 3, 1), (PR21, 3, 1)],
    ),
    ("osoby bezdomne w mieście", [(K, 24, 2), (M, 8, 2), (M, 3, 1), (M, 9, 1)]),
    ("samotność osób starszych w mieście", [(K, 25, 2), (M, 3, 1), (M, 8, 1)]),
    ("absencja uczniów współpraca ze szkołą", [(K, 26, 2), (K, 27, 1), (MW, 7, 1), (MWS, 3, 1)]),
    ("pedagog szkolny we wspólnym planie", [(K, 27, 2), (MW, 8, 1), (K, 26, 1)]),
    (
        "rola pielęgniarki środowiskowej",
        [(K, 28, 2), (W, 7, 1), (MW, 8, 1), (P17, 4, 1), (K, 14, 1), (M, 8, 1), (MW, 7, 1)],
    ),
    ("leczenie uzależnień zdrowie psychiczne", [(K, 29, 2), (MW, 7, 1)]),
    ("kuratorzy sądowi porozumienia z sądem", [(K, 32, 2), (SW, 3, 2), (MW, 7, 1)]),
    ("aktywizacja bezrobotnych urząd pracy", [(K, 33, 2), (MW, 7, 1), (MWS, 3, 1)]),
    ("spółdzielnia socjalna ekonomia społeczna", [(K, 34, 2), (MW, 4, 1)]),
    ("organizacje pozarządowe jako partner", [(K, 35, 2), (M, 6, 1), (D, 3, 1)]),
    ("szkolenia międzyinstytucjonalne i superwizja", [(K, 36, 2), (R, 5, 1)]),
    ("elektroniczna mapa zasobów", [(K, 37, 2), (M, 5, 1)]),
    ("wzór porozumienia o współpracy", [(K, 41, 2), (K, 11, 1), (MW, 7, 1)]),
    (
        "ochrona danych osobowych przy współpracy",
        [(K, 13, 2), (M, 7, 2), (W, 8, 1), (Z, 2, 1), (SW, 4, 1)],
    ),
    ("strategia rozwiązywania problemów społecznych", [(K, 12, 2), (MW, 9, 1), (K, 42, 1)]),
    ("zastępca koordynatora przy rotacji kadr", [(K, 10, 2), (MW, 9, 1), (SW, 4, 1)]),
    (
        "sołtys i koło gospodyń wiejskich",
        [(K, 15, 2), (W, 5, 2), (SW, 4, 1), (D, 4, 1), (WS, 2, 1)],
    ),
    ("dowóz mieszkańców do poradni", [(K, 16, 2), (SW, 4, 1), (W, 3, 1)]),
    ("współpraca z PCPR", [(K, 17, 2), (W, 3, 1), (W, 5, 1)]),
    ("centra usług społecznych", [(K, 21, 2), (MW, 4, 1)]),
    ("rejony kooperacji w mieście", [(K, 22, 2), (M, 4, 2)]),
    ("czas odpowiedzi na zgłoszenia", [(K, 23, 2), (M, 7, 2)]),
    ("równy dostęp do usług dla mieszkańców wsi", [(K, 20, 2), (MW, 5, 1), (MW, 3, 1)]),
    ("aktywne wyszukiwanie osób potrzebujących", [(K, 14, 2), (W, 7, 1), (WS, 2, 1)]),
    ("dzielnicowy Policji jako stały partner", [(K, 30, 2), (K, 31, 1)]),
    ("metodologia badań ankieta wywiady", [(R, 2, 2), (PR19, 2, 2), (D, 2, 1)]),
    ("bariery we współpracy instytucji", [(R, 4, 2), (PR19, 4, 2)]),
    ("analiza sieci powiązań", [(D, 2, 2), (D, 3, 2), (PR19, 2, 1)]),
    (
        "wsparcie rodzin dysfunkcyjnych w małych gminach",
        [(D, 2, 2), (D, 4, 2), (PR19, 6, 2), (D, 3, 1)],
    ),
    ("harmonogram wdrażania modelu", [(H, 1, 2), (MW, 10, 1)]),
    ("szkolenie dla koordynatorów w lutym 2020", [(H, 1, 2)]),
    ("obowiązki gmin w okresie pilotażu", [(H, 2, 2)]),
    ("ustawa o pomocy społecznej przepisy", [(Z, 1, 2), (K, 39, 1)]),
    ("przepisy o wspieraniu rodziny i pieczy zastępczej", [(Z, 1, 2), (K, 39, 1), (W, 6, 1)]),
    ("studium przypadku samotnej matki z dziećmi", [(MW, 8, 2)]),
    ("źródła finansowania koordynatora", [(MW, 9, 2), (K, 12, 1), (H, 2, 1), (K, 38, 1)]),
    ("specyfika małych gmin wiejskich", [(W, 3, 2)]),
    ("kręgi partnerów kooperacji", [(W, 5, 2), (WS, 2, 1)]),
    ("wejście rodziny do systemu pomocy", [(W, 7, 2), (PR19, 6, 1)]),
    ("wskaźniki monitoringu kooperacji", [(W, 9, 2), (M, 9, 2), (K, 42, 2)]),
    ("karta zgłoszenia i narzędzia", [(W, 8, 2), (K, 37, 1), (PR21, 5, 1)]),
    ("wpływ pandemii na spotkania", [(SW, 2, 2), (K, 15, 1), (P17, 4, 1), (H, 2, 1)]),
    ("ankieta satysfakcji partnerów ocena", [(SW, 3, 2), (W, 8, 1), (K, 42, 1)]),
    ("Powiatowa Grupa Decydentów Starogard", [(P17, 2, 2), (K, 7, 1)]),
    ("Regionalna Grupa Refleksyjna w Gdańsku", [(PR19, 1, 2), (P17, 2, 2), (K, 7, 1)]),
    ("spotkanie edukacyjno-szkoleniowe dla samorządów", [(PR21, 1, 2)]),
    ("gminy pilotażowe według województw", [(K, 40, 2)]),
    ("wykaz skrótów OPS PCPR", [(K, 5, 2)]),
    ("streetworking wśród młodzieży", [(M, 8, 2)]),
    ("rozwiązywanie sporów kompetencyjnych", [(M, 5, 2)]),
    ("problemy społeczne w miastach", [(M, 3, 2)]),
    ("zasada pomocniczości i jednego planu", [(MW, 5, 2), (MWS, 2, 1)]),
    ("jak wdrożyć model w gminie", [(MW, 10, 2), (WS, 3, 2), (PR21, 6, 2), (M, 9, 1), (MWS, 3, 1)]),
    ("kontrakt socjalny w ośrodku", [(K, 33, 2), (MW, 7, 1), (Z, 1, 1), (MWS, 3, 1)]),
    (
        "Niebieska Karta i zespół interdyscyplinarny",
        [(M, 7, 2), (K, 19, 2), (K, 30, 1), (Z, 2, 1), (MWS, 2, 1)],
    ),
    (
        "zapobieganie eksmisjom i zadłużeniu czynszowemu",
        [(MW, 7, 2), (M, 3, 2), (M, 9, 1), (MWS, 3, 1), (K, 25, 1)],
    ),
    ("ilu ośrodków współpracuje z policją", [(PR19, 3, 2), (R, 3, 2)]),
    ("różnice między gminą wiejską a miejską", [(R, 3, 2), (D, 3, 2)]),
    ("sieć współpracy w dużych miastach", [(D, 3, 2), (M, 2, 1), (M, 4, 1)]),
    ("sąsiedzi i proboszcz jako źródło informacji", [(D, 4, 2)]),
    ("konsultacje społeczne projektu księgi", [(K, 7, 2)]),
    ("trwałość kooperacji po zakończeniu projektu", [(K, 38, 2), (MW, 9, 2), (K, 10, 1)]),
    ("podjęcie zatrudnienia po aktywizacji", [(K, 33, 2), (MW, 8, 1)]),
    ("powrót dziecka z pieczy zastępczej", [(K, 17, 2), (K, 31, 1)]),
    ("bezpieczeństwo dziecka w ciągu 24 godzin", [(K, 23, 2), (M, 7, 2)]),
    (
        "ośrodek pomocy społecznej jako lider",
        [(MW, 6, 2), (W, 4, 1), (MWS, 2, 1), (WS, 2, 1), (PR21, 3, 1), (K, 21, 1)],
    ),
    ("wnioski z badań dla modeli", [(R, 5, 2), (PR19, 6, 1), (D, 4, 1)]),
    ("liczba rodzin objętych pilotażem", [(SW, 2, 2), (P17, 3, 2), (PR21, 4, 1), (K, 40, 1)]),
    ("dyżury doradcy zawodowego", [(K, 33, 2), (K, 18, 1), (MW, 8, 1)]),
    ("ustawa o przeciwdziałaniu przemocy", [(Z, 2, 2), (K, 39, 1)]),
    # Natural questions, typed as staff ask them, and the cases of issue 10.
    (
        "jak współpracować z policją w sprawie przemocy",
        [(K, 31, 2), (K, 30, 2), (K, 19, 1), (Z, 2, 1)],
    ),
    ("co robić, gdy w rodzinie jest przemoc?", [(K, 19, 2), (Z, 2, 2), (K, 30, 1)]),
    ("kto może przetwarzać dane osób dotkniętych przemocą", [(Z, 2, 2), (K, 13, 1)]),
    ("rekomendacja 24", [(K, 31, 2)]),
    ("rek. 24 współpraca z dzielnicowymi", [(K, 31, 2), (K, 30, 1)]),
    ("model kooperacji dla gmin miejskich", [(M, 1, 2), (M, 2, 2), (M, 9, 1)]),
    ("jak wymieniać dane osobowe między instytucjami?", [(K, 13, 2), (Z, 2, 1), (K, 37, 1)]),
    ("danych osobowych", [(K, 13, 2), (Z, 2, 1), (K, 37, 1), (R, 4, 1)]),
    ("ile rodzin objął pilotaż w gminach wiejskich?", [(SW, 2, 2), (P17, 3, 1)]),
    ("kto powinien koordynować kooperację w gminie?", [(W, 6, 2), (M, 5, 2), (MW, 6, 2), (K, 8, 1)]),
    ("co zrobić, gdy uczeń nie chodzi do szkoły", [(K, 26, 2), (K, 27, 1)]),
    # Issue 19: abbreviations and numbers, typed as staff type them (without Polish letters).
    ("rekomendacja dwudziesta czwarta", [(K, 31, 2)]),
    ("co mowi rekomendacja dwunasta", [(K, 19, 2)]),
    ("trzecia rekomendacja", [(K, 10, 2)]),
    ("wspolpraca z MOPS", [(D, 3, 2), (K, 25, 1), (M, 8, 1), (K, 24, 1), (M, 4, 1)]),
    ("PCPR", [(K, 17, 2), (W, 3, 2), (K, 16, 1), (MW, 6, 1), (R, 2, 1)]),
    ("powiatowe centrum pomocy rodzinie", [(K, 17, 2), (W, 3, 2), (K, 16, 1), (MW, 6, 1), (R, 2, 1)]),
    ("kolo gospodyn wiejskich", [(K, 15, 2), (W, 5, 2), (W, 3, 1), (SW, 3, 1), (SW, 4, 1), (WS, 2, 1)]),
]
ids = {json.loads(l)["_id"]: json.loads(l)["text"] for l in open("bench/data/demo-pl/corpus.jsonl")}
out = pathlib.Path("bench/data/demo-pl")
bad = 0
with (
    open(out / "queries.jsonl", "w", encoding="utf-8") as fq,
    open(out / "qrels/test.tsv", "w", encoding="utf-8") as fr,
):
    fr.write("query-id\tcorpus-id\tscore\n")
    for i, (text, rels) in enumerate(Q, 1):
        if not any(c in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ" for c in text):
            print("NO DIACRITIC", text)
            bad += 1
        fq.write(json.dumps({"_id": f"q{i}", "text": text}, ensure_ascii=False) + "\n")
        seen = set()
        for stem, p, s in rels:
            cid = f"{stem}#p{p}"
            assert cid in ids, cid
            assert cid not in seen, (text, cid)
            seen.add(cid)
            fr.write(f"q{i}\tcorpus-id\t{s}\n".replace("corpus-id", cid))
print(len(Q), "queries", sum(len(r) for _, r in Q), "qrels", "bad", bad)
