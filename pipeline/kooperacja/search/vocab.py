"""The index's own vocabulary and document list, in `index.sqlite` beside the whoosh files.

Query time needs, for a handful of words, what only simplemma (6 s to load) or a scan of the
whole lexicon could tell: the lemma of a form, the spellings with Polish letters of a word typed
without them, and close words for "Czy chodziło o". The table answers each in one indexed lookup.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .words import fold

FILENAME = "index.sqlite"

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    doc_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, pages INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vocab (
    form TEXT PRIMARY KEY, folded TEXT NOT NULL, lemma TEXT NOT NULL, stem TEXT NOT NULL,
    freq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS vocab_folded ON vocab (folded);
CREATE INDEX IF NOT EXISTS vocab_lemma ON vocab (lemma);
CREATE INDEX IF NOT EXISTS vocab_stem ON vocab (stem);
"""


@dataclass(frozen=True)
class Entry:
    form: str
    lemma: str
    stem: str
    freq: int


def connect(generation: Path, *, write: bool = False) -> sqlite3.Connection:
    path = generation / FILENAME
    if write:
        conn = sqlite3.connect(path, timeout=30)
        conn.executescript(_DDL)
    else:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    return conn


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


def apply_counts(
    conn: sqlite3.Connection,
    delta: Counter[str],
    lemma_of: Mapping[str, str],
    stem: Callable[[str], str],
) -> None:
    """Add (or, negative, remove) occurrence counts; forms that reach 0 leave the vocabulary."""
    rows = [
        (form, fold(form), lemma_of.get(form) or fold(form), stem(form), n)
        for form, n in delta.items()
        if n
    ]
    conn.executemany(
        "INSERT INTO vocab (form, folded, lemma, stem, freq) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(form) DO UPDATE SET freq = freq + excluded.freq",
        rows,
    )
    conn.execute("DELETE FROM vocab WHERE freq <= 0")


def lookup(conn: sqlite3.Connection, form: str) -> Entry | None:
    sql = "SELECT form, lemma, stem, freq FROM vocab WHERE form = ?"
    row = conn.execute(sql, (form,)).fetchone()
    return Entry(*row) if row else None


def spellings(conn: sqlite3.Connection, folded: str) -> list[Entry]:
    """Forms that fold to `folded` (`wspolpraca` → `współpraca`), most frequent first."""
    rows = conn.execute(
        "SELECT form, lemma, stem, freq FROM vocab WHERE folded = ? ORDER BY freq DESC", (folded,)
    )
    return [Entry(*r) for r in rows]


def lemmas_with_stem(conn: sqlite3.Connection, stem: str, limit: int = 8) -> list[str]:
    rows = conn.execute(
        "SELECT lemma FROM vocab WHERE stem = ? GROUP BY lemma ORDER BY SUM(freq) DESC LIMIT ?",
        (stem, limit),
    )
    return [r[0] for r in rows]


def lemmas_with_prefix(
    conn: sqlite3.Connection, prefix: str, min_len: int, max_len: int, limit: int = 50
) -> list[tuple[str, int]]:
    """(lemma key, total frequency) of the lemmas starting with `prefix` whose length is in
    [min_len, max_len], frequent first."""
    rows = conn.execute(
        "SELECT lemma, SUM(freq) FROM vocab WHERE lemma >= ? AND lemma < ? "
        "AND length(lemma) BETWEEN ? AND ? GROUP BY lemma ORDER BY 2 DESC LIMIT ?",
        (prefix, prefix + "\U0010ffff", min_len, max_len, limit),
    )
    return [(r[0], int(r[1])) for r in rows]


def forms_with_keys(
    conn: sqlite3.Connection, lemmas: Iterable[str], stems: Iterable[str], limit: int = 2000
) -> set[str]:
    """Every form whose lemma or stem is one of the given keys (to highlight inflected forms)."""
    lemmas, stems = list(lemmas), list(stems)
    forms: set[str] = set()
    for column, keys in (("lemma", lemmas), ("stem", stems)):
        if keys:
            marks = ",".join("?" * len(keys))
            sql = f"SELECT form FROM vocab WHERE {column} IN ({marks}) LIMIT ?"
            forms.update(r[0] for r in conn.execute(sql, [*keys, limit]))
    return forms


def forms_with_prefix(conn: sqlite3.Connection, folded_prefix: str, limit: int) -> list[str]:
    """Forms whose folded spelling starts with `folded_prefix`, frequent first."""
    rows = conn.execute(
        "SELECT form FROM vocab WHERE folded >= ? AND folded < ? ORDER BY freq DESC LIMIT ?",
        (folded_prefix, folded_prefix + "\U0010ffff", limit),
    )
    return [r[0] for r in rows]


def near_candidates(conn: sqlite3.Connection, folded: str, limit: int = 5000) -> list[Entry]:
    """Vocabulary forms that may be within a couple of edits of `folded` (same first letter,
    similar length): the candidates for a spelling suggestion."""
    n = len(folded)
    rows = conn.execute(
        "SELECT form, lemma, stem, freq FROM vocab WHERE folded >= ? AND folded < ? "
        "AND length(folded) BETWEEN ? AND ? ORDER BY freq DESC LIMIT ?",
        (folded[:1], folded[:1] + "\U0010ffff", n - 2, n + 2, limit),
    )
    return [Entry(*r) for r in rows]


def set_doc(conn: sqlite3.Connection, doc_id: str, fingerprint: str, pages: int) -> None:
    conn.execute(
        "INSERT INTO docs (doc_id, fingerprint, pages) VALUES (?, ?, ?) ON CONFLICT(doc_id) "
        "DO UPDATE SET fingerprint = excluded.fingerprint, pages = excluded.pages",
        (doc_id, fingerprint, pages),
    )


def drop_doc(conn: sqlite3.Connection, doc_id: str) -> None:
    conn.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))


def fingerprints(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT doc_id, fingerprint FROM docs"))


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    docs, pages = conn.execute("SELECT COUNT(*), COALESCE(SUM(pages), 0) FROM docs").fetchone()
    return int(docs), int(pages)
