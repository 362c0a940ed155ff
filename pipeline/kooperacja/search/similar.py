"""Documents like a given one ("Podobne dokumenty"): a search for its most telling words.

The words are those of its title, then the words of its text weighted by TF-IDF over the index
vocabulary's document frequencies (vocab.py): frequent in this document, rare in the archive.
A word found in this document alone finds nothing else, and one in most documents tells nothing:
both are left out. The search is the ordinary one (any of the words, best first), without the
document itself."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from . import vocab
from .words import is_stop, normalise, tokenize

if TYPE_CHECKING:
    from ..models import DocHit
    from .limits import Budget
    from .openindex import OpenIndex

TEXT_WORDS = 8  # the text's words beside the title's: enough to say what it is about
TITLE_WORDS = 15  # of a long title, its first (the query takes at most limits.MAX_WORDS)
# The text read for them: its first ten pages or so tell what it is about; reading all of a long
# text slows every view of its page for little more.
TEXT_CHARS = 30_000
MIN_LETTERS = 3
COMMON_SHARE = 0.5  # a word in more than this share of the documents tells nothing


def _content_words(text: str) -> list[str]:
    return [
        t.form
        for t in tokenize(normalise(text))
        if t.form.isalpha() and len(t.form) >= MIN_LETTERS and not is_stop(t.form)
    ]


def telling_words(
    title: str, counts: Counter[str], freq: dict[str, int], total: int, n: int = TEXT_WORDS
) -> list[str]:
    """The title's words, then the `n` words of `counts` (occurrences in the document) with the
    highest TF-IDF, `freq` being the documents holding each word among `total`."""
    title_words = list(dict.fromkeys(_content_words(title)))[:TITLE_WORDS]
    scored = []
    for form, count in counts.items():
        df = freq.get(form, 0)
        if form in title_words or df < 2 or df > COMMON_SHARE * total:
            continue
        scored.append(((1 + math.log(count)) * math.log(total / df), form))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return title_words + [form for _, form in scored[:n]]


def similar_documents(
    index: OpenIndex,
    doc_id: str,
    title: str,
    texts: Iterable[str],
    limit: int = 5,
    budget: Budget | None = None,
) -> Sequence[DocHit]:
    """Up to `limit` documents like `doc_id` (its `title` and page `texts`), best first."""
    from . import search

    counts: Counter[str] = Counter()
    read = 0
    for text in texts:
        counts.update(_content_words(text[: TEXT_CHARS - read]))
        read += len(text)
        if read >= TEXT_CHARS:
            break
    with index.session() as session:
        freq = vocab.frequencies(session.conn, counts)
        total, _ = vocab.counts(session.conn)
    words = telling_words(title, counts, freq, max(total, 1))
    if not words:
        return ()
    result = search(index, " ".join(words), limit=limit + 1, budget=budget, count_words=False)
    return tuple(hit for hit in result.hits if hit.doc_id != doc_id)[:limit]

