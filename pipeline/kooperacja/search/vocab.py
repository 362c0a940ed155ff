"""The index's own vocabulary and document list, in `index.sqlite` beside the engine's files.

Query time needs, for a handful of words, what only a scan of the whole lexicon could tell: the
spellings with Polish letters of a word typed without them, the lemma-field terms that contain a
lemma (`dane` → `dane`, `dana|dane|dany|dac`), the forms to highlight, and close words for
"Czy chodziło o" (the `near` table: symmetric-delete keys of the forms' prefixes, nearby.py).
Each is one indexed lookup here. `docs` also holds each document's filter
values, so facet counts of a result need no engine round trip.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .lemmas import keys_of
from .nearby import MAX_EDITS, PREFIX, delete_keys, prefix_of
from .words import fold, is_stop, tokenize

FILENAME = "index.sqlite"

_DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    doc_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, pages INTEGER NOT NULL,
    type TEXT NOT NULL DEFAULT '', partners TEXT NOT NULL DEFAULT '',
    year INTEGER, status TEXT NOT NULL DEFAULT '', format TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS vocab (
    form TEXT PRIMARY KEY, folded TEXT NOT NULL, lemma TEXT NOT NULL, stem TEXT NOT NULL,
    freq INTEGER NOT NULL);  -- documents holding the form
CREATE INDEX IF NOT EXISTS vocab_folded ON vocab (folded);
CREATE INDEX IF NOT EXISTS vocab_lemma ON vocab (lemma);
CREATE INDEX IF NOT EXISTS vocab_stem ON vocab (stem);
CREATE INDEX IF NOT EXISTS vocab_near ON vocab (substr(folded, 1, {PREFIX}), length(folded));
CREATE TABLE IF NOT EXISTS near (  -- a deletion key → a keyed prefix of some folded form
    key TEXT NOT NULL, prefix TEXT NOT NULL, PRIMARY KEY (key, prefix)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS abbreviations (  -- source: the doc_id whose list gave the pair, or
    short TEXT NOT NULL, long TEXT NOT NULL,  -- '' for the config's; short in lower case
    source TEXT NOT NULL, folded TEXT NOT NULL,  -- the short form folded
    lead TEXT NOT NULL,  -- the first LEAD letters of the long form's first word, folded
    PRIMARY KEY (short, long, source)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS abbreviations_source ON abbreviations (source);
CREATE INDEX IF NOT EXISTS abbreviations_folded ON abbreviations (folded);
CREATE INDEX IF NOT EXISTS abbreviations_lead ON abbreviations (lead);
CREATE TABLE IF NOT EXISTS combos (
    lemma TEXT NOT NULL, combo TEXT NOT NULL, PRIMARY KEY (lemma, combo)) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Entry:
    form: str
    lemma: str
    stem: str
    freq: int


MEMO_ENTRIES = 4096  # answers one search connection keeps; all forgotten when it is full


class RememberingConnection(sqlite3.Connection):
    """A read connection to one state of the vocabulary that keeps the answers searches ask
    for again and again (a word's spellings, lemma terms and forms). The state never changes
    under it: an update or a rebuild makes a new state, with new connections (openindex.py)."""

    memo: dict[tuple[Any, ...], Any]


def connect(generation: Path, *, write: bool = False, shared: bool = False) -> sqlite3.Connection:
    """A connection to the vocabulary. `shared`: a search connection, used by several threads
    one at a time and remembering its answers (RememberingConnection)."""
    path = generation / FILENAME
    if write:
        conn = sqlite3.connect(path, timeout=30)
        conn.executescript(_DDL)
    elif shared:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            timeout=30,
            check_same_thread=False,
            factory=RememberingConnection,
        )
        conn.memo = {}
    else:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    return conn


F = TypeVar("F", bound=Callable[..., Any])


def _remembered(fn: F) -> F:
    """`fn(conn, *args)` asked once per RememberingConnection; each caller gets its own copy of
    a list or set (callers may change theirs)."""

    @functools.wraps(fn)
    def ask(conn: sqlite3.Connection, *args: Any) -> Any:
        memo = getattr(conn, "memo", None)
        if memo is None:
            return fn(conn, *args)
        args = tuple(
            a if isinstance(a, str | int) else tuple(sorted(a) if isinstance(a, set) else a)
            for a in args
        )
        key = (fn.__name__, *args)
        if key not in memo:
            if len(memo) >= MEMO_ENTRIES:
                memo.clear()
            memo[key] = fn(conn, *args)
        found = memo[key]
        return type(found)(found) if isinstance(found, list | set) else found

    return ask  # type: ignore[return-value]


def set_meta(conn: sqlite3.Connection, **values: object) -> None:
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [(k, str(v)) for k, v in values.items()],
    )


def get_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))


def known_lemmas(conn: sqlite3.Connection, forms: Iterable[str]) -> dict[str, str]:
    forms = list(forms)
    found: dict[str, str] = {}
    for i in range(0, len(forms), 500):
        chunk = forms[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT form, lemma FROM vocab WHERE form IN ({marks})", chunk))
    return found


def frequencies(conn: sqlite3.Connection, forms: Iterable[str]) -> dict[str, int]:
    """The documents holding each of `forms` (those in the vocabulary)."""
    forms = list(forms)
    found: dict[str, int] = {}
    for i in range(0, len(forms), 500):
        chunk = forms[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT form, freq FROM vocab WHERE form IN ({marks})", chunk))
    return found


def apply_counts(
    conn: sqlite3.Connection,
    delta: Counter[str],
    lemma_of: Mapping[str, str],
    stem: Callable[[str], str],
) -> None:
    """Add (or, negative, remove) occurrence counts; forms that reach 0 leave the vocabulary."""
    combos: set[str] = set()
    prefixes: set[str] = set()

    def rows() -> Iterator[tuple[str, str, str, str, int]]:
        # Streamed into SQLite, not listed: a rebuild writes these while the engine commits
        # (and merges), and a list of every form's row would add to that peak.
        for form, n in delta.items():
            if not n:
                continue
            folded = fold(form)
            combo = lemma_of.get(form) or folded
            combos.add(combo)
            if n > 0:
                prefixes.add(prefix_of(folded))
            yield form, folded, combo, stem(form), n

    conn.executemany(
        "INSERT INTO vocab (form, folded, lemma, stem, freq) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(form) DO UPDATE SET freq = freq + excluded.freq",
        rows(),
    )
    conn.execute("DELETE FROM vocab WHERE freq <= 0")
    conn.executemany(
        "INSERT OR IGNORE INTO combos (lemma, combo) VALUES (?, ?)",
        ((key, combo) for combo in combos for key in keys_of(combo)),
    )
    _add_near(conn, prefixes)


def _add_near(conn: sqlite3.Connection, prefixes: set[str]) -> None:
    """Key the prefixes not keyed yet. A prefix whose forms all left keeps its keys: they lead
    to no form, and the next rebuild drops them."""
    todo = sorted(prefixes)
    for i in range(0, len(todo), 500):
        chunk = todo[i : i + 500]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT prefix FROM near WHERE key = prefix AND prefix IN ({marks})"
        prefixes.difference_update(r[0] for r in conn.execute(sql, chunk))
    conn.executemany(
        "INSERT OR IGNORE INTO near (key, prefix) VALUES (?, ?)",
        ((key, p) for p in sorted(prefixes) for key in delete_keys(p, MAX_EDITS)),
    )


@_remembered
def combos_with(conn: sqlite3.Connection, keys: Iterable[str]) -> set[str]:
    """The lemma-field terms of the index holding any of the lemma `keys`."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return set()
    marks = ",".join("?" * len(keys))
    rows = conn.execute(f"SELECT combo FROM combos WHERE lemma IN ({marks})", keys)
    return {r[0] for r in rows}


@_remembered
def most_frequent_combo(conn: sqlite3.Connection, combos: Iterable[str]) -> str | None:
    """Of the given lemma-field terms, the one written most often in the archive."""
    combos = list(combos)
    if not combos:
        return None
    marks = ",".join("?" * len(combos))
    row = conn.execute(
        f"SELECT lemma FROM vocab WHERE lemma IN ({marks}) GROUP BY lemma "
        "ORDER BY SUM(freq) DESC, lemma LIMIT 1",
        combos,
    ).fetchone()
    return row[0] if row else combos[0]


@_remembered
def lookup(conn: sqlite3.Connection, form: str) -> Entry | None:
    sql = "SELECT form, lemma, stem, freq FROM vocab WHERE form = ?"
    row = conn.execute(sql, (form,)).fetchone()
    return Entry(*row) if row else None


@_remembered
def spellings(conn: sqlite3.Connection, folded: str) -> list[Entry]:
    """Forms that fold to `folded` (`wspolpraca` → `współpraca`), most frequent first."""
    rows = conn.execute(
        "SELECT form, lemma, stem, freq FROM vocab WHERE folded = ? ORDER BY freq DESC", (folded,)
    )
    return [Entry(*r) for r in rows]


@_remembered
def forms_with_keys(
    conn: sqlite3.Connection, lemmas: Iterable[str], stems: Iterable[str], limit: int = 2000
) -> set[str]:
    """Every form whose lemma-field term or stem is one of the given ones (to highlight
    inflected forms)."""
    lemmas, stems = list(lemmas), list(stems)
    forms: set[str] = set()
    for column, keys in (("lemma", lemmas), ("stem", stems)):
        if keys:
            marks = ",".join("?" * len(keys))
            sql = f"SELECT form FROM vocab WHERE {column} IN ({marks}) LIMIT ?"
            forms.update(r[0] for r in conn.execute(sql, [*keys, limit]))
    return forms


@_remembered
def forms_with_prefix(conn: sqlite3.Connection, folded_prefix: str, limit: int) -> list[str]:
    """Forms whose folded spelling starts with `folded_prefix`, frequent first."""
    rows = conn.execute(
        "SELECT form FROM vocab WHERE folded >= ? AND folded < ? ORDER BY freq DESC LIMIT ?",
        (folded_prefix, folded_prefix + "\U0010ffff", limit),
    )
    return [r[0] for r in rows]


def near_prefixes(conn: sqlite3.Connection, keys: Iterable[str]) -> list[str]:
    """The keyed prefixes sharing one of the deletion `keys` (nearby.py)."""
    keys = sorted(keys)
    marks = ",".join("?" * len(keys))
    sql = f"SELECT DISTINCT prefix FROM near WHERE key IN ({marks}) ORDER BY prefix"
    return [r[0] for r in conn.execute(sql, keys)]


def forms_near(
    conn: sqlite3.Connection, prefixes: list[str], lengths: tuple[int, int], limit: int
) -> Iterable[tuple[str, str, int]]:
    """(form, folded, freq) of the forms with one of the keyed `prefixes` and a folded length
    within `lengths`, most frequent first, at most `limit` (plain rows: thousands are read)."""
    if not prefixes:
        return ()
    # The prefixes as a list of values (not a subquery): only then does SQLite use vocab_near.
    marks = ",".join("?" * len(prefixes))
    rows = conn.execute(
        f"SELECT form, folded, freq FROM vocab WHERE substr(folded, 1, {PREFIX}) IN ({marks}) "
        "AND length(folded) BETWEEN ? AND ? ORDER BY freq DESC, form LIMIT ?",
        (*prefixes, *lengths, limit),
    )
    return rows


@dataclass(frozen=True)
class DocFacets:
    type: str
    partners: tuple[str, ...]
    year: int | None
    status: str
    format: str = ""  # filetypes.FORMATS


def set_doc(
    conn: sqlite3.Connection, doc_id: str, fingerprint: str, pages: int, facets: DocFacets
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO docs "
        "(doc_id, fingerprint, pages, type, partners, year, status, format) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            fingerprint,
            pages,
            facets.type,
            ",".join(facets.partners),
            facets.year,
            facets.status,
            facets.format,
        ),
    )


def doc_facets(conn: sqlite3.Connection) -> dict[str, DocFacets]:
    rows = conn.execute("SELECT doc_id, type, partners, year, status, format FROM docs")
    return {
        r[0]: DocFacets(r[1], tuple(p for p in r[2].split(",") if p), r[3], r[4], r[5])
        for r in rows
    }


def drop_doc(conn: sqlite3.Connection, doc_id: str) -> None:
    conn.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM abbreviations WHERE source = ?", (doc_id,))


def set_abbreviations(
    conn: sqlite3.Connection, source: str, pairs: Iterable[tuple[str, str]]
) -> bool:
    """Make `pairs` the (short, long) pairs of `source` (a doc_id, or '' for the config's);
    whether anything changed."""
    wanted = {(short.lower(), " ".join(long.split())) for short, long in pairs}
    sql = "SELECT short, long FROM abbreviations WHERE source = ?"
    if set(conn.execute(sql, (source,))) == wanted:
        return False
    conn.execute("DELETE FROM abbreviations WHERE source = ?", (source,))
    conn.executemany(
        "INSERT OR IGNORE INTO abbreviations (short, long, source, folded, lead) "
        "VALUES (?, ?, ?, ?, ?)",
        [(short, long, source, fold(short), _lead(long)) for short, long in sorted(wanted)],
    )
    return True


LEAD = 3  # letters a typed word shares with the first word of a long form it may begin


def _lead(long: str) -> str:
    words = [t.form for t in tokenize(long) if not is_stop(t.form)]
    return fold(words[0])[:LEAD] if words else ""


def abbreviations_for(
    conn: sqlite3.Connection, typed: Iterable[str]
) -> list[tuple[str, str]]:
    """The (short, long) pairs a query's words (lowercased) may mean: those whose short form
    is one of them, and those whose long form may begin with one (its first letters)."""
    folded = sorted({fold(w) for w in typed})
    if not folded:
        return []
    leads = sorted({w[:LEAD] for w in folded})
    marks, lead_marks = ",".join("?" * len(folded)), ",".join("?" * len(leads))
    rows = conn.execute(
        f"SELECT DISTINCT short, long FROM abbreviations WHERE folded IN ({marks}) "
        f"OR lead IN ({lead_marks}) ORDER BY 1, 2",
        (*folded, *leads),
    )
    return list(rows)


def is_abbreviation(conn: sqlite3.Connection, word: str) -> bool:
    """Whether the index knows `word` (any case, Polish letters or not) as an abbreviation."""
    sql = "SELECT 1 FROM abbreviations WHERE folded = ? LIMIT 1"
    return conn.execute(sql, (fold(word.lower()),)).fetchone() is not None


def fingerprints(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT doc_id, fingerprint FROM docs"))


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    docs, pages = conn.execute("SELECT COUNT(*), COALESCE(SUM(pages), 0) FROM docs").fetchone()
    return int(docs), int(pages)
