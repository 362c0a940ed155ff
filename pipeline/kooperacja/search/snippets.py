"""Snippets: the ~200-character window of a page with the most matched words, in <b>…</b>."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from .words import _WORD, Token

# A matcher tells whether a word (lowercased form, compound parts) is to be marked.
Matcher = Callable[[str, tuple[str, ...]], bool]
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})

SNIPPET_CHARS = 200
_SPACES = re.compile(r"\s+")


def make_snippet(text: str, matchers: Sequence[Matcher], width: int = SNIPPET_CHARS) -> str:
    """Pick the window of `text` covering the most (distinct, then total) matched words and mark
    them; adjacent matches share one <b>…</b>. Whitespace is collapsed, text HTML-escaped."""
    text = _SPACES.sub(" ", text).strip()
    hits: list[Token] = []
    for is_match in matchers:  # the first matcher that marks anything on this page wins
        hits = _hits(text, is_match)
        if hits:
            break
    if not hits:
        return html.escape(_cut(text, 0, width), quote=False)
    best = (-1, -1, 0)
    right = 0
    for left, first in enumerate(hits):
        right = max(right, left)
        while right + 1 < len(hits) and hits[right + 1].end - first.start <= width:
            right += 1
        window = hits[left : right + 1]
        score = (len({t.form for t in window}), len(window), -left)
        if score > best:
            best = score
            chosen = (left, right)
    left, right = chosen
    span_start, span_end = hits[left].start, hits[right].end
    # Centre the matches in the window, on word boundaries.
    slack = max(0, width - (span_end - span_start))
    start = max(0, span_start - slack // 2)
    end = min(len(text), max(span_end, start + width))
    start = max(0, min(start, end - width))
    if start > 0:
        space = text.find(" ", start, span_start)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", span_end, end)
        end = space if space >= 0 else end
    marked = [t for t in hits if t.start >= start and t.end <= end]
    return (
        ("… " if start > 0 else "")
        + _mark(text, start, end, marked)
        + (" …" if end < len(text) else "")
    )


def _hits(text: str, is_match: Matcher) -> list[Token]:
    """The matched words of `text`, cut as `tokenize` cuts them; a Token is made only for a hit
    (making one per word was most of the time of a search)."""
    hits: list[Token] = []
    hyphens = "\u2010" in text or "\u2011" in text
    for m in _WORD.finditer(text):
        form = m.group().lower()
        if hyphens:
            form = form.translate(_HYPHENS)
        parts = tuple(p for p in form.split("-") if p) if "-" in form else ()
        if is_match(form, parts):
            hits.append(Token(form, parts, m.start(), m.end()))
    return hits


def _mark(text: str, start: int, end: int, marked: list[Token]) -> str:
    out: list[str] = []
    pos = start
    i = 0
    while i < len(marked):
        # Merge a run of matches separated only by spaces into one <b>…</b>.
        j = i
        while j + 1 < len(marked) and not text[marked[j].end : marked[j + 1].start].strip():
            j += 1
        out.append(html.escape(text[pos : marked[i].start], quote=False))
        out.append("<b>" + html.escape(text[marked[i].start : marked[j].end], quote=False) + "</b>")
        pos = marked[j].end
        i = j + 1
    out.append(html.escape(text[pos:end], quote=False))
    return "".join(out)


def _cut(text: str, start: int, width: int) -> str:
    if len(text) <= width:
        return text
    end = text.rfind(" ", start, start + width)
    return text[start : end if end > start else start + width] + " …"
