"""bench/relevance.py: metrics and a run over a tiny BEIR folder through the production path."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[1] / "bench" / "relevance.py"


@pytest.fixture(scope="module")
def relevance():
    spec = importlib.util.spec_from_file_location("bench_relevance", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_metrics(relevance) -> None:
    relevant = {"a": 2, "b": 1}
    assert relevance.ndcg(["a", "b", "x"], relevant) == pytest.approx(1.0)
    assert relevance.ndcg(["x", "y"], relevant) == 0.0
    assert 0 < relevance.ndcg(["b", "a"], relevant) < 1
    assert relevance.recall(["b", "x"], relevant) == 0.5
    assert relevance.mrr(["x", "b"], relevant) == 0.5


def test_run_on_tiny_dataset(relevance, tmp_path: Path) -> None:
    corpus = [
        ("d1", "Asystent rodziny współpracuje z dzielnicowym Policji przy wizytach."),
        ("d2", "Ośrodek pomocy społecznej zatrudnia koordynatora kooperacji."),
        ("d3", "Szkoła zgłasza absencję uczniów pedagogowi szkolnemu."),
        ("d4", "Gminy miejsko-wiejskie tworzą punkty kooperacyjne w sołectwach."),
    ]
    queries = [
        ("q1", "współpraca asystenta z policją", "d1"),
        ("q2", "koordynator w ośrodku", "d2"),
        ("q3", "absencja ucznia", "d3"),
        ("q4", "punkt kooperacyjny w gminie wiejskiej", "d4"),
    ]
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text(
        "".join(json.dumps({"_id": i, "title": "", "text": t}) + "\n" for i, t in corpus)
    )
    (tmp_path / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": q, "text": t}) + "\n" for q, t, _ in queries)
    )
    (tmp_path / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t1\n" for q, _, d in queries)
    )
    out = tmp_path / "result.json"
    assert relevance.main([str(tmp_path), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["queries"] == 4 and report["documents"] == 4
    prod, base = report["production"], report["fts5_all"]
    # FTS5 neither lemmatises nor stems: inflected questions find little with every word required.
    assert prod["as_written"]["mrr@10"] > base["as_written"]["mrr@10"]
    assert prod["as_written"]["mrr@10"] >= report["production_all"]["as_written"]["mrr@10"]
    assert prod["no_diacritics"]["ndcg@10"] == prod["as_written"]["ndcg@10"] > 0.5
    assert set(prod["as_written"]) == {"ndcg@10", "recall@10", "mrr@10"}


def test_strict_rule_groups_pages_into_documents(relevance, tmp_path: Path) -> None:
    corpus = [
        ("ksiega#p1", "Księga rekomendacyjna", "Wstęp. Współpraca instytucji w gminie."),
        (
            "ksiega#p2",
            "Księga rekomendacyjna",
            "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji\n"
            "Asystent rodziny i dzielnicowy odwiedzają rodzinę razem.",
        ),
        ("model#p1", "Model kooperacji", "Współpraca instytucji. Współpraca ze szkołą."),
        ("model#p2", "Model kooperacji", "Szkoła zgłasza absencję uczniów, a Policja pomaga."),
    ]
    queries = [("q1", "wspolpraca z policja", "ksiega#p2"), ("q2", "absencja uczniow", "model#p2")]
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text(
        "".join(
            json.dumps({"_id": i, "title": t, "text": x}, ensure_ascii=False) + "\n"
            for i, t, x in corpus
        )
    )
    (tmp_path / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": q, "text": t}) + "\n" for q, t, _ in queries)
    )
    (tmp_path / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n"
        + "".join(f"{q}\t{d}\t2\n" for q, _, d in queries)
        + "q1\tmodel#p2\t1\n"  # a lower grade: not a right page for the strict rule
    )
    data = relevance.load_dataset(tmp_path)
    docs, ids = relevance.grouped_documents(data)
    assert sorted((d.doc_id, len(d.pages)) for d in docs) == [("ksiega", 2), ("model", 2)]
    book = next(d for d in docs if d.doc_id == "ksiega")
    assert book.pages[1].section.startswith("Rekomendacja 24. Współpraca asystentów")
    assert ids[("model", 2)] == "model#p2"
    out = tmp_path / "result.json"
    assert relevance.main([str(tmp_path), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["strict@1"]["production"] == {"as_written": 1.0, "no_diacritics": 1.0}
    assert report["strict_misses"] == {"as_written": [], "no_diacritics": []}
    # FTS5 neither stems nor lemmatises ("policja" never meets "Policji", "absencja" never
    # "absencję"): it misses at least one.
    assert report["strict@1"]["fts5_any"]["as_written"] < 1.0
