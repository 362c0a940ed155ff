"""The whoosh schema: one entry per PDF page (one per HTML document), and the field boosts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whoosh.fields import Schema

# Bump whenever the schema, the analysis or the vocabulary tables change.
SCHEMA_VERSION = 2

# Field boosts: an exact form beats a lemma match, which beats a mere stem match.
EXACT_BOOST = 1.5
LEMMA_BOOST = 1.0
STEM_BOOST = 0.5


def make_schema() -> Schema:
    from whoosh import fields

    from .analysis import PreAnalyzedTokenizer

    text = PreAnalyzedTokenizer()
    return fields.Schema(
        pid=fields.ID(stored=True, unique=True),  # "<doc_id>#<page>"
        doc_id=fields.ID(stored=True, sortable=True),
        first=fields.ID(),  # "1" on a document's first entry (see counting.py)
        title=fields.STORED(),
        type=fields.ID(stored=True),
        partners=fields.KEYWORD(stored=True, commas=True),
        # Signed: whoosh-reloaded 2.7.5 range queries on unsigned numeric fields match too much.
        year=fields.NUMERIC(int, bits=32, stored=True),
        status=fields.ID(stored=True),
        url=fields.STORED(),
        media_type=fields.STORED(),
        sha256=fields.STORED(),
        fingerprint=fields.STORED(),
        page=fields.NUMERIC(int, bits=32, stored=True),
        label=fields.STORED(),
        section=fields.STORED(),
        text=fields.STORED(),
        exact=fields.TEXT(analyzer=text, phrase=True),
        lemma=fields.TEXT(analyzer=text, phrase=True),
        stem=fields.TEXT(analyzer=text, phrase=False),
    )
