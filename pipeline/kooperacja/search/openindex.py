"""An open index, held by whoever searches: the web app keeps one for its whole life, a CLI
command makes one, `search(index_dir, …)` a short-lived one. It holds the searcher of the live
generation, idle connections to its vocabulary and, once facets are asked for, every document's
filter values; all are replaced when an update commits or a rebuild swaps generations. One
OpenIndex is shared by the web server's threads, so the swap happens under a lock; nothing about
an index is kept at module level.

A search pays only for what changed since the last one: the state is recognised by a few stats
(the generation, the engine's last commit, the vocabulary file), its schema version is read once
when it is first opened, and its SQLite connections are reused (opening one and reading its
schema was a tenth of a search)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import IndexMissing
from . import engine, generations, vocab
from .schema import check_version

# What tells one state of an index from the next: its generation, the engine's last commit and
# the vocabulary file's time and size (an update writes both in place).
StateKey = tuple[str, tuple[int, int], tuple[int, int]]
OPEN_ATTEMPTS = 3  # a generation swapped away while opening is retried on the new live one
IDLE_CONNECTIONS = 16  # kept per state for the next searches; more at once are closed after


class IndexState:
    """One generation of the index at one commit: its searcher, its idle vocabulary connections,
    and the documents' filter values (read once, when the first search with facets asks).
    Opening one checks the index's schema version (IndexOutdated)."""

    def __init__(self, generation: Path, key: StateKey):
        self.generation = generation
        self.key = key
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._retired = False
        self._doc_table: dict[int, vocab.DocFacets] | None = None
        conn = _connect(generation)
        try:
            check_version(conn)
            self.reader = engine.Reader(generation)
        except BaseException:
            conn.close()
            raise
        self._idle.append(conn)

    def take(self) -> sqlite3.Connection:
        """A vocabulary connection for one search, used by one thread at a time."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _connect(self.generation)

    def give_back(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if not self._retired and len(self._idle) < IDLE_CONNECTIONS:
                self._idle.append(conn)
                return
        conn.close()

    def retire(self) -> None:
        """A newer state replaced this one: its connections close once their searches end."""
        with self._lock:
            self._retired = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def doc_table(self, conn: sqlite3.Connection) -> Mapping[int, vocab.DocFacets]:
        """Each document's filter values by its `engine.doc_number`."""
        with self._lock:
            if self._doc_table is None:
                self._doc_table = {
                    engine.doc_number(doc_id): facets
                    for doc_id, facets in vocab.doc_facets(conn).items()
                }
            return self._doc_table


@dataclass(frozen=True)
class Session:
    """What one search reads: a state's searcher and its own connection to the vocabulary
    (SQLite connections are not shared between threads)."""

    state: IndexState
    conn: sqlite3.Connection

    @property
    def reader(self) -> engine.Reader:
        return self.state.reader

    def doc_table(self) -> Mapping[int, vocab.DocFacets]:
        return self.state.doc_table(self.conn)


class OpenIndex:
    """The index in `index_dir` as searches see it: the state of its live generation, reopened
    when it changed since the last search."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._state: IndexState | None = None
        self._live: tuple[tuple[int, int, int], Path] | None = None  # CURRENT's stat, its folder

    def live_generation(self) -> Path | None:
        """The live generation (generations.current_generation), CURRENT read again only when
        its stat changed: a rebuild replaces the file."""
        try:
            st = os.stat(self.index_dir / generations.CURRENT)
        except OSError:
            return generations.current_generation(self.index_dir)
        mark = (st.st_ino, st.st_mtime_ns, st.st_size)
        live = self._live
        if live is not None and live[0] == mark:
            return live[1]
        generation = generations.current_generation(self.index_dir)  # read after the stat
        self._live = (mark, generation) if generation is not None else None
        return generation

    def current(self, generation: Path) -> IndexState:
        """The state of `generation` as last committed: the one held, or a new one when an
        update or a rebuild changed the index since."""
        with self._lock:  # the key is read under the lock too: no thread installs an older one
            key = (
                str(generation),
                engine.last_commit(generation),
                _stamp(generation / vocab.FILENAME),
            )
            if self._state is None or self._state.key != key:
                new = IndexState(generation, key)
                if self._state is not None:
                    self._state.retire()
                self._state = new
            return self._state

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session on the live generation, its schema checked, read under a lease so that no
        rebuild removes it meanwhile. A generation swapped away while opening is left for the
        new live one; a few such swaps in a row mean the index is broken."""
        for attempt in range(OPEN_ATTEMPTS):
            generation = self.live_generation()
            if generation is None:
                raise IndexMissing(f"no search index in {self.index_dir}: run 'kooperacja index'")
            with ExitStack() as stack:
                try:
                    stack.enter_context(generations.leased(generation))
                    state = self.current(generation)
                    conn = state.take()
                    stack.callback(state.give_back, conn)
                except (generations.GenerationGone, sqlite3.Error, FileNotFoundError, ValueError):
                    self._live = None  # read CURRENT again
                    if attempt + 1 < OPEN_ATTEMPTS:
                        continue
                    raise IndexMissing(
                        f"the search index in {self.index_dir} is incomplete: "
                        "run 'kooperacja index --rebuild'"
                    ) from None
                yield Session(state, conn)
                return
        raise AssertionError("unreachable")  # every attempt continues, returns or raises


def _connect(generation: Path) -> sqlite3.Connection:
    # Handed from thread to thread (one at a time): the web server's searches run in a pool.
    return vocab.connect(generation, shared=True)


def _stamp(path: Path) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size
