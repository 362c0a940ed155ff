"""kooperacja.search.analysers and the analysis by pieces: the worker processes give the same
entries, counts and lemmas as the analysis in this process, and a page cut at its spaces gives
the same terms as its words found in the whole text."""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kooperacja.archive import records
from kooperacja.archive.store import write_pages
from kooperacja.models import IndexDoc, PageText
from kooperacja.search import analysers, analysis
from kooperacja.search.analysis import FormCache, normal_form
from kooperacja.search.docterms import document_terms
from kooperacja.search.lemmas import lemmatize_forms
from kooperacja.search.words import STOP_WORDS, make_stemmer, tokenize
from kooperacja.text import WORD
from tests.test_search_corpus import DOCS

# Documents enough for the worker processes (POOL_FROM_DOCS), each with its own words.
MANY = tuple(
    dataclasses.replace(
        DOCS[i % len(DOCS)],
        doc_id=f"{i:012x}",
        pages=(
            *DOCS[i % len(DOCS)].pages,
            PageText(99, f"Dokument nr {i}: ośrodek_{i} gmin{'y' * (i % 3)} Zażółć-gęślą {i}.{i}"),
        ),
    )
    for i in range(12)
)


def _cache() -> FormCache:
    return FormCache(lemmatize_forms, make_stemmer())


def test_workers_give_the_entries_counts_and_lemmas_of_this_process() -> None:
    assert len(MANY) >= analysers.POOL_FROM_DOCS
    counts: Counter[str] = Counter()
    lemma_of: dict[str, str] = {}
    got = list(analysers.analysed(MANY, _cache(), None, counts, lemma_of))

    cache = _cache()
    want_counts: Counter[str] = Counter()
    want_lemmas: dict[str, str] = {}
    want = []
    for doc in MANY:
        terms = document_terms(cache, doc)
        want_counts.update(terms.forms)
        want_lemmas.update(terms.lemma_of)
        want.append((doc, analysers.entries(doc, terms)))
    assert got == want
    assert counts == want_counts and counts["ośrodek"] >= 12
    assert lemma_of == want_lemmas and lemma_of["rodzinami"] == "rodzina"


@pytest.mark.parametrize("count", [len(MANY), analysers.POOL_FROM_DOCS - 1])
def test_pages_read_where_they_are_analysed_give_the_same_entries(
    tmp_path: Path, count: int
) -> None:
    """Documents made without their pages (as `kooperacja index` makes them) are read from
    the archive by the workers, or in this process for a small batch: the same entries as
    documents read beforehand, and each comes back with its own list of abbreviations."""
    docs = [
        dataclasses.replace(doc, sha256=f"{i:02x}" * 32, abbreviations=(("OPS", f"ośrodek {i}"),))
        for i, doc in enumerate(MANY[:count])
    ]
    for doc in docs:
        write_pages(
            tmp_path, doc.sha256, list(doc.pages), {"abbreviations": [list(doc.abbreviations[0])]}
        )
    bare = [dataclasses.replace(doc, pages=(), abbreviations=()) for doc in docs]
    read = functools.partial(records.with_pages, tmp_path)
    got = list(analysers.analysed(bare, _cache(), None, Counter(), {}, read))
    want = list(analysers.analysed(docs, _cache(), None, Counter(), {}))
    assert [entries for _, entries in got] == [entries for _, entries in want]
    assert [doc.abbreviations for doc, _ in got] == [doc.abbreviations for doc in docs]
    assert got[1][0].abbreviations == (("OPS", "ośrodek 1"),)


def test_worker_pipes_hold_a_document_and_larger_entries_still_arrive() -> None:
    """A worker's pipe out holds PIPE_BYTES, so one done with a document while the parent reads
    the other's result goes on to its next; entries larger than the pipe still arrive whole."""
    pool = analysers._Workers(2, None)
    try:
        sizes = [fcntl.fcntl(out.fileno(), fcntl.F_GETPIPE_SZ) for out in pool._outs]
    finally:
        pool._finished = True
        pool.close()
    assert sizes == [analysers.PIPE_BYTES] * 2

    words = " ".join(f"rodzinami{i} asystentów policją" for i in range(60_000))
    big = dataclasses.replace(MANY[2], pages=(PageText(1, words), *MANY[2].pages))
    docs = (*MANY[:2], big, *MANY[3:])
    got = list(analysers.analysed(docs, _cache(), None, Counter(), {}))
    assert len(got[2][1][0].stored) > 2 * analysers.PIPE_BYTES
    cache = _cache()
    assert got == [(doc, analysers.entries(doc, document_terms(cache, doc))) for doc in docs]


def test_a_document_failing_in_a_worker_stops_the_run_with_its_error() -> None:
    bad = dataclasses.replace(MANY[3], pages=(PageText(1, None),))  # type: ignore[arg-type]
    docs = (*MANY[:3], bad, *MANY[4:])
    with pytest.raises(AttributeError):
        list(analysers.analysed(docs, _cache(), None, Counter(), {}))


def _words_terms(text: str) -> str:
    """The exact field as the word pattern over the whole text gives it."""
    words = re.findall(rf"{WORD.pattern}|§", text)
    return " ".join(f for f in map(normal_form, words) if f not in STOP_WORDS)


_TEXT = st.text(
    alphabet=st.sampled_from(
        list("aąbcćeęlłnńoóśzźżAĄŁŻ019_-‐‑–§.,;:()/\"' \n\t\xa0\u2028\x1c\u00ad²①")
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_pieces_give_the_words_of_the_whole_text(text: str) -> None:
    analyzed = _cache().text(text)
    assert analyzed.exact == _words_terms(text)
    assert len(analyzed.lemma.split()) == len(analyzed.stem.split()) == len(analyzed.forms)


def test_index_words_are_those_of_tokenize() -> None:
    text = "Ośrodek_pomocy miejsko‐wiejskich, art.5 § 2 — 12-letni x_y ²"
    tokens = [t.form for t in tokenize(text)]
    assert [normal_form(w) for w in FormCache.words(text) if w != "§"] == tokens
    assert tokens == ["ośrodek", "pomocy", "miejsko-wiejskich", "art", "5", "2", "12-letni",
                      "x", "y", "²"]


def test_emptied_piece_tables_give_the_same_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [p.text for doc in MANY for p in doc.pages]
    want = [_cache().text(t) for t in texts]
    monkeypatch.setattr(analysis, "MAX_PIECES", 10)
    cache = _cache()
    assert [cache.text(t) for t in texts] == want
    assert len(cache._pieces[0]) <= 10 + max(len(set(t.split())) for t in texts)


def test_a_document_without_pages_is_found_by_its_title_in_a_worker() -> None:
    empty = IndexDoc(
        doc_id="e" * 12, sha256="e" * 64, title="Sprawozdanie z pilotażu", type="pilot-report",
        partners=("rops-lodz",), year=2020, status="online", url="https://example.org/s.pdf",
        media_type="application/pdf", pages=(PageText(1, ""),),
    )
    counts: Counter[str] = Counter()
    got = list(analysers.analysed((*MANY, empty), _cache(), None, counts, {}))
    (page,) = got[-1][1]
    assert page.terms["exact"] == "sprawozdanie pilotażu"
    assert b'"page": 0' in page.stored
