"""kooperacja.search: building, updating, swapping and opening the index."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from kooperacja.errors import IndexMissing, IndexOutdated
from kooperacja.models import PageText
from kooperacja.search import (
    SCHEMA_VERSION,
    generations,
    index_info,
    indexed_fingerprints,
    rebuild_index,
    search,
    search_pages,
    update_index,
)
from tests.test_search_corpus import DOCS, KSIEGA, MODEL, NEWS


def test_missing_index_raises_index_missing(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="kooperacja index"):
        search(tmp_path / "index", "rodzina")
    assert index_info(tmp_path / "index").exists is False
    assert indexed_fingerprints(tmp_path / "index") == {}


def test_rebuild_counts_and_info(tmp_path: Path) -> None:
    assert rebuild_index(tmp_path, DOCS) == len(DOCS)
    info = index_info(tmp_path)
    assert info.exists and info.schema_version == SCHEMA_VERSION
    assert info.documents == 4
    assert info.pages == sum(len(d.pages) for d in DOCS)
    assert info.built_at
    assert indexed_fingerprints(tmp_path) == {d.doc_id: d.fingerprint for d in DOCS}


def test_rebuild_swaps_generation_and_removes_old(tmp_path: Path) -> None:
    rebuild_index(tmp_path, [KSIEGA])
    first = generations.current_generation(tmp_path)
    assert search(tmp_path, "kuratorów").total == 0
    rebuild_index(tmp_path, DOCS)
    second = generations.current_generation(tmp_path)
    assert first != second and second is not None
    assert not first.exists()
    assert search(tmp_path, "kuratorów").total == 1


def test_failed_rebuild_keeps_old_index_searchable(tmp_path: Path) -> None:
    rebuild_index(tmp_path, [KSIEGA])

    def broken():
        yield MODEL
        raise RuntimeError("catalogue went away")

    with pytest.raises(RuntimeError):
        rebuild_index(tmp_path, broken())
    assert search(tmp_path, "asystent rodziny").total == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gen-")] == [
        generations.current_generation(tmp_path).name
    ]


def test_engine_commit_failing_commits_no_vocabulary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vocabulary is written while the engine commits, on a thread: when the engine's
    commit fails (a full disk), the vocabulary's transaction is not committed either."""
    from kooperacja.search import engine

    update_index(tmp_path, [KSIEGA], [])

    def full_disk(self: engine.Writer) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine.Writer, "commit", full_disk)
    with pytest.raises(OSError, match="No space left"):
        update_index(tmp_path, [MODEL], [KSIEGA.doc_id])
    with pytest.raises(OSError, match="No space left"):
        rebuild_index(tmp_path, [MODEL])
    monkeypatch.undo()
    assert indexed_fingerprints(tmp_path) == {KSIEGA.doc_id: KSIEGA.fingerprint}
    conn = sqlite3.connect(generations.current_generation(tmp_path) / "index.sqlite")
    forms = {row[0] for row in conn.execute("SELECT form FROM vocab")}
    conn.close()
    assert "asystent" in forms and "koordynator" not in forms  # KSIEGA's, MODEL's
    assert search(tmp_path, "absencja").total == 0
    assert search(tmp_path, "asystent").total == 1


def test_update_adds_replaces_and_removes(tmp_path: Path) -> None:
    assert update_index(tmp_path, [KSIEGA], []) == 1  # creates the index
    assert search(tmp_path, "absencja").total == 0
    assert update_index(tmp_path, [MODEL, NEWS], []) == 2
    assert search(tmp_path, "absencja").total == 1
    changed = dataclasses.replace(
        MODEL,
        fingerprint="fp-model-2",
        pages=(MODEL.pages[0], dataclasses.replace(MODEL.pages[1], text="Superwizja zespołu.")),
    )
    update_index(tmp_path, [changed], [NEWS.doc_id])
    assert search(tmp_path, "absencja").total == 0
    assert search(tmp_path, "superwizja").hits[0].doc_id == MODEL.doc_id
    assert search(tmp_path, "kuratorów").total == 0
    assert indexed_fingerprints(tmp_path) == {
        KSIEGA.doc_id: "fp-ksiega-1",
        MODEL.doc_id: "fp-model-2",
    }
    assert index_info(tmp_path).pages == len(KSIEGA.pages) + 2


def test_update_keeps_vocabulary_counts(tmp_path: Path) -> None:
    rebuild_index(tmp_path, [KSIEGA, NEWS])
    update_index(tmp_path, [], [NEWS.doc_id])
    conn = sqlite3.connect(generations.current_generation(tmp_path) / "index.sqlite")
    forms = {row[0] for row in conn.execute("SELECT form FROM vocab")}
    conn.close()
    assert "kuratorów" not in forms  # only in the removed document
    assert "ośrodków" in forms


def test_schema_version_mismatch_raises_outdated(tmp_path: Path) -> None:
    rebuild_index(tmp_path, [KSIEGA])
    conn = sqlite3.connect(generations.current_generation(tmp_path) / "index.sqlite")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION - 1,))
    conn.commit()
    conn.close()
    expected = f"schema v{SCHEMA_VERSION - 1}, this version expects v{SCHEMA_VERSION}"
    with pytest.raises(IndexOutdated, match=expected):
        search(tmp_path, "rodzina")
    with pytest.raises(IndexOutdated, match="index --rebuild"):
        update_index(tmp_path, [MODEL], [])
    rebuild_index(tmp_path, [KSIEGA])  # a rebuild is the way out
    assert search(tmp_path, "rodzina").total == 1


def test_a_hit_shows_its_page_and_document_as_indexed(tmp_path: Path) -> None:
    """What a hit shows is stored as the document's fields, the page's, then the text as is:
    line breaks, quotes, backslashes and braces in the text come back unchanged."""
    text = 'Rodzina „Kowalskich” i "asystent"\nC:\\akta\\{"rok": 2019}\n\tzażółć gęślą jaźń\u2028😀'
    pages = (PageText(7, text, "vii", "Rozdział 2.\nPolicja"), PageText(8, "Gęślą jaźń.", "viii"))
    doc = dataclasses.replace(MODEL, pages=pages)
    rebuild_index(tmp_path, [doc])
    head = {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "type": "model",
        "partners": ["rops-torun"],
        "year": 2019,
        "status": "online",
        "url": doc.url,
        "media_type": "application/pdf",
        "format": "pdf",
        "ocr_confidence": None,
    }
    found = {m.page: m.fields for m in search_pages(tmp_path, "jaźń")}
    assert found == {
        7: head | {"page": 7, "label": "vii", "section": "Rozdział 2.\nPolicja", "text": text},
        8: head | {"page": 8, "label": "viii", "section": "", "text": "Gęślą jaźń."},
    }
    assert list(found[7]) == [*head, "page", "label", "section", "text"]


def test_document_without_text_is_found_by_its_title_only(tmp_path: Path) -> None:
    # A scan not (yet) read: its words are unknown, but staff still find it by its title.
    scanned = dataclasses.replace(MODEL, doc_id="5ca77ed5ca77", pages=(), fingerprint="fp-s")
    rebuild_index(tmp_path, [KSIEGA, scanned])
    assert indexed_fingerprints(tmp_path)["5ca77ed5ca77"] == "fp-s"
    result = search(tmp_path, "model kooperacji type:model")
    assert [h.doc_id for h in result.hits] == ["5ca77ed5ca77"]
    assert result.hits[0].pages == ()  # no page of it holds the words
    assert search(tmp_path, "absencja type:model").total == 0  # its body text is not known


def test_totals_and_grouping_stay_right_after_updates(tmp_path: Path) -> None:
    # Updates leave deletions and several segments: document counting must still be exact.
    rebuild_index(tmp_path, DOCS)
    changed = dataclasses.replace(MODEL, fingerprint="fp-model-3")
    update_index(tmp_path, [changed], [NEWS.doc_id])
    update_index(tmp_path, [NEWS], [])
    for query in (
        "rodzina",
        "asyst*",
        "ośrodek OR kooperacja",
        "współpraca -przemoc",
        "type:model",
    ):
        result = search(tmp_path, query, limit=50)
        pages = search_pages(tmp_path, query, limit=1000)
        assert result.total == len({m.doc_id for m in pages}) == len(result.hits), query
        assert len({h.doc_id for h in result.hits}) == len(result.hits)
        for hit in result.hits:
            doc = next(d for d in DOCS if d.doc_id == hit.doc_id)
            assert {p.page for p in hit.pages} <= {p.number for p in doc.pages}


def test_search_during_rebuild_uses_the_old_generation(tmp_path: Path) -> None:
    rebuild_index(tmp_path, [KSIEGA])
    seen: list[int] = []

    def docs_while_searching():
        yield MODEL
        # The new generation is half written: searches still see the old one.
        seen.append(search(tmp_path, "dzieciach").total)
        seen.append(search(tmp_path, "absencja").total)
        yield NEWS

    rebuild_index(tmp_path, docs_while_searching())
    assert seen == [1, 0]
    assert search(tmp_path, "absencja").total == 1
    assert search(tmp_path, "dzieciach").total == 0  # KSIEGA is not in the new build


def test_incomplete_generation_raises_index_missing(tmp_path: Path) -> None:
    rebuild_index(tmp_path, [KSIEGA])
    shutil.rmtree(generations.current_generation(tmp_path) / "tantivy")
    with pytest.raises(IndexMissing, match="index --rebuild"):
        search(tmp_path, "rodzina")


def test_a_filters_values_match_and_score_as_tantivys_term_set_query(tmp_path: Path) -> None:
    """A filter (querytree.TermSet) is run as term queries, not as tantivy's term-set query,
    which builds an automaton at every run: the same pages, with the same scores."""
    import tantivy

    from kooperacja.search import engine
    from kooperacja.search.openindex import OpenIndex
    from kooperacja.search.querytree import Bool, Term, TermSet

    rebuild_index(tmp_path, DOCS)
    cases = [
        TermSet("type", ("recommendations",)),
        TermSet("type", ("model", "presentation")),
        TermSet("partners", ("rops-torun",)),
        TermSet("partners", ("rops-gdansk", "rops-torun", "umk")),
        TermSet("partners", ("nobody",)),
        TermSet("type", ()),
    ]
    scored = 0
    with OpenIndex(tmp_path).session() as session:
        searcher = session.reader._searcher
        for node in cases:
            theirs = tantivy.Query.term_set_query(engine.SCHEMA, node.field, list(node.values))
            for query, reference in (
                (engine._query(node), theirs),
                (  # beside a scored word, as a search's filter stands
                    engine._query(Bool(must=(Term("exact", "współpraca"), node))),
                    tantivy.Query.boolean_query(
                        [
                            (tantivy.Occur.Must, engine._query(Term("exact", "współpraca"))),
                            (tantivy.Occur.Must, theirs),
                        ]
                    ),
                ),
            ):
                ours = searcher.search(query, limit=100).hits
                expected = searcher.search(reference, limit=100).hits
                scored += len(expected)
                assert [(round(s, 5), a.doc) for s, a in ours] == [
                    (round(s, 5), a.doc) for s, a in expected
                ], node
        assert scored > 10  # not a comparison of nothing with nothing
        assert searcher.search(engine._query(cases[1]), limit=100).count == sum(
            len(d.pages) for d in DOCS if d.type in ("model", "presentation")
        )
