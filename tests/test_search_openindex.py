"""kooperacja.search.openindex: one open index, made by its caller, shared by threads and
reopened when an update commits or a rebuild swaps generations."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from kooperacja.search import open_index, rebuild_index, search, update_index
from kooperacja.search.openindex import OpenIndex
from tests.test_search_corpus import DOCS, KSIEGA, NEWS

WITHOUT_NEWS = tuple(d for d in DOCS if d.doc_id != NEWS.doc_id)


def test_one_state_is_shared_until_the_index_changes(tmp_path: Path) -> None:
    rebuild_index(tmp_path, WITHOUT_NEWS)
    index = open_index(tmp_path)
    assert isinstance(index, OpenIndex)
    assert search(index, "kuratorów").total == 0
    with index.session() as first, index.session() as second:
        assert first.state is second.state  # no reopening between searches
        assert first.conn is not second.conn  # a vocabulary connection per search
        before = first.state
    update_index(tmp_path, [NEWS], [])  # an update commits in place: same generation
    assert search(index, "kuratorów").total == 1
    with index.session() as after:
        assert after.state is not before and after.state.generation == before.generation
    rebuild_index(tmp_path, DOCS)  # a rebuild swaps generations
    with index.session() as rebuilt:
        assert rebuilt.state.generation != before.generation
    facets = search(index, "rodzina", with_facets=True).facets
    assert facets is not None and facets["type"]["recommendations"] == 1


def test_threads_searching_through_a_generation_swap(tmp_path: Path) -> None:
    rebuild_index(tmp_path, WITHOUT_NEWS)
    index = open_index(tmp_path)
    seen: list[set[int]] = [set(), set()]
    states: list[set[object]] = [set(), set()]  # the index states each thread searched
    errors: list[BaseException] = []
    started = [threading.Event(), threading.Event()]
    swapped = threading.Event()
    stop = threading.Event()

    def searcher(n: int) -> None:
        try:
            while not stop.is_set():
                result = search(index, "kuratorów rodzina", with_facets=True)
                assert KSIEGA.doc_id in {h.doc_id for h in result.hits}
                seen[n].add(result.total)
                with index.session() as session:
                    states[n].add(session.state.key)
                started[n].set()
                if swapped.is_set() and len(seen[n]) > 1:
                    return
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=searcher, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for event in started:
        assert event.wait(timeout=60)
    for _ in range(3):
        rebuild_index(tmp_path, DOCS)  # new generations, the old ones removed under the threads
    update_index(tmp_path, [NEWS], [])
    swapped.set()
    for thread in threads:
        thread.join(timeout=60)
    stop.set()
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    # Both threads saw the index before and after: one document more once NEWS was in.
    for totals in seen:
        assert max(totals) == min(totals) + 1
    assert all(len(s) > 1 for s in states)  # each thread went on through the reopening
    assert search(index, "kuratorów").total == 1


REBUILDS = """
import sys
from pathlib import Path
from kooperacja.search import rebuild_index
from tests.test_search_openindex import DOCS, WITHOUT_NEWS
for n in range(50):  # a generation with and without NEWS, in turn
    rebuild_index(Path(sys.argv[1]), DOCS if n % 2 else WITHOUT_NEWS)
"""


def test_rebuilds_never_fail_a_search(tmp_path: Path) -> None:
    """≥ 50 rebuilds racing ≥ 20,000 searches: every search answers, from one generation or the
    next; old generations go once no search reads them."""
    from kooperacja.search.generations import remove_unused

    rebuild_index(tmp_path, DOCS)
    index = open_index(tmp_path)
    counts = [0, 0]
    errors: list[BaseException] = []
    rebuilt = threading.Event()

    def searcher(n: int, query: str) -> None:
        try:
            while not (rebuilt.is_set() and sum(counts) >= 20_000):
                result = search(index, query, limit=1, with_facets=counts[n] % 2 == 0)
                assert result.total >= 1, (query, result)
                counts[n] += 1
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)
            rebuilt.set()

    threads = [
        threading.Thread(target=searcher, args=(n, q))
        for n, q in enumerate(("kuratorów OR policja", "asystnt rodziny"))
    ]
    for thread in threads:
        thread.start()
    # The rebuilds in another process, as `kooperacja index --rebuild` runs beside the server.
    rebuilds = subprocess.run(
        [sys.executable, "-c", REBUILDS, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parent.parent,
    )
    rebuilt.set()
    assert rebuilds.returncode == 0, rebuilds.stderr
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:3]
    assert sum(counts) >= 20_000 and min(counts) > 0
    remove_unused(tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gen-")] == ["gen-000051"]


def test_a_generation_read_by_a_search_stays_until_the_next_writer(tmp_path: Path) -> None:
    from kooperacja.search.generations import current_generation, remove_unused

    rebuild_index(tmp_path, DOCS)
    index = open_index(tmp_path)
    with index.session() as session:
        first = session.state.generation
        rebuild_index(tmp_path, WITHOUT_NEWS)  # swapped in while `first` is read
        assert first.is_dir() and current_generation(tmp_path) != first
        assert session.state.reader.top is not None
    assert first.is_dir()  # the rebuild left it: it was being read
    assert remove_unused(tmp_path) == [first.name]
    assert not first.exists()
    assert search(index, "kuratorów").total == 0  # the live generation, without NEWS


def test_a_search_connection_remembers_a_bounded_number_of_answers(
    tmp_path: Path, monkeypatch
) -> None:
    """A session's connection keeps its vocabulary answers (the same as a fresh connection's,
    each caller with its own copy), at most MEMO_ENTRIES of them; an update's new words are
    seen at once (test above: a new state, new connections)."""
    from kooperacja.search import vocab
    from kooperacja.search.words import fold

    rebuild_index(tmp_path, DOCS)
    index = open_index(tmp_path)
    monkeypatch.setattr(vocab, "MEMO_ENTRIES", 5)
    words = ["policja", "rodzina", "asystent", "kuratorów", "gmina", "szkoła", "ośrodek"]
    with index.session() as session:
        conn = session.conn
        fresh = vocab.connect(session.state.generation)
        try:
            for word in words * 2:
                assert vocab.spellings(conn, fold(word)) == vocab.spellings(fresh, fold(word))
                assert vocab.lookup(conn, word) == vocab.lookup(fresh, word)
                assert 0 < len(conn.memo) <= 5
            entry = vocab.spellings(fresh, "rodziny")[0]  # a form the documents hold
            forms = vocab.forms_with_keys(conn, {entry.lemma}, ())
            assert forms == vocab.forms_with_keys(fresh, {entry.lemma}, ()) and entry.form in forms
            forms.add("nie-słowo")  # the caller's own copy
            assert "nie-słowo" not in vocab.forms_with_keys(conn, {entry.lemma}, ())
        finally:
            fresh.close()


def test_counts_go_to_a_counting_thread_only_for_the_readers_only_search(tmp_path: Path) -> None:
    """A lone search counts its documents on a counting thread, beside its ranking; searches
    side by side, or one whose caller has no core to spare (a busy server), count in their own
    threads."""
    from kooperacja.search.querytree import Term

    rebuild_index(tmp_path, DOCS)
    with open_index(tmp_path).session() as session:
        reader = session.reader
        node = Term("lemma", "rodzina")
        expected = reader.document_numbers(node)
        assert expected  # the corpus has documents about families
        ran_in: list[str] = []
        counting = reader.document_numbers

        def recorded(node):  # which thread did the counting
            ran_in.append(threading.current_thread().name)
            return counting(node)

        reader.document_numbers = recorded  # type: ignore[method-assign]
        with reader.searching():
            assert reader.document_numbers_soon(node).result() == expected
            with reader.searching():  # a second search at the same time
                assert reader.document_numbers_soon(node).result() == expected
        with reader.searching():  # alone, but its caller has no core to spare (a busy server)
            assert reader.document_numbers_soon(node, spare_core=False).result() == expected
        me = threading.current_thread().name
        assert ran_in[0].startswith("counting") and ran_in[1:] == [me, me]
