"""The index's schema version, in one place: what this version writes, what an index says it
is, and the message when they differ. An index of another version is derived data, rebuilt by
the next `index` (search/run.py), and refused by searches until then."""

from __future__ import annotations

import sqlite3

from ..errors import IndexOutdated
from . import vocab

# Bump whenever the engine's schema, the analysis or the vocabulary tables change: an existing
# index of another version is rebuilt by the next `update`.
SCHEMA_VERSION = 8  # v4: the format field; v5: the spelling table (symmetric-delete keys);
# v6: each document's format in the document table (its facet) and in what a hit shows;
# v7: the abbreviations table (the config's pairs and those documents list), `§` indexed;
# v8: what a hit shows stored as the document's fields, the page's, then the text as is


def stored_version(conn: sqlite3.Connection) -> int | None:
    """The version an index's vocabulary says it was written with (None: unreadable)."""
    found = vocab.get_meta(conn).get("schema_version", "")
    return int(found) if found.isdigit() else None


def outdated_message(found: int | None) -> str:
    return (
        f"index is schema v{found}, this version expects v{SCHEMA_VERSION}: "
        "run 'kooperacja index --rebuild'"
    )


def check_version(conn: sqlite3.Connection) -> None:
    """IndexOutdated unless the index is of this version."""
    version = stored_version(conn)
    if version != SCHEMA_VERSION:
        raise IndexOutdated(outdated_message(version))
