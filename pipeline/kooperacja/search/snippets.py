"""Snippets: the ~200-character window of a page with the most matched words, as a `Snippet`:
plain text and the spans of the matched words. Data, not markup, so the terminal, the web page
and the JSON each mark the words their own way and none parses HTML back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet

from ..models import Snippet
from ..text import HYPHENS, ascii_hyphens
from .words import _WORD, Token, fold

# A matcher tells whether a word (lowercased form, compound parts) is to be marked.
Matcher = Callable[[str, tuple[str, ...]], bool]

SNIPPET_CHARS = 200
LEAD_LETTERS = 4
MAX_LEADS = 8  # more beginnings than this, and one pass of the regex is faster than the finds
_token = tuple.__new__  # a Token made without NamedTuple's wrapper: a dozen on each page
_SPACES = re.compile(r"\s+")


def mark_words(text: str, matchers: Sequence[Matcher]) -> Snippet:
    """All of `text` (a paragraph: whitespace is collapsed) with each matched word marked, by
    the first matcher that marks any, as a page's snippet marks them."""
    text = _SPACES.sub(" ", text).strip()
    hits: list[Token] = []
    for is_match in matchers:
        hits = _hits(text, is_match)
        if hits:
            break
    return _joined(_pieces(text, 0, len(text), hits), collapse=False)


def make_snippet(text: str, matchers: Sequence[Matcher], width: int = SNIPPET_CHARS) -> Snippet:
    """Pick the window of `text` covering the most (distinct, then total) matched words and mark
    them; adjacent matches (only spaces between) share one span. Whitespace is collapsed."""
    # Line breaks become spaces at once (same length, so offsets hold); runs of spaces are
    # collapsed only in the window shown: collapsing whole pages was most of a snippet's cost.
    text = text.replace("\n", " ").replace("\r", " ").replace("\t", " ").replace("\f", " ").strip()
    hits: list[Token] = []
    for is_match in matchers:  # the first matcher that marks anything on this page wins
        hits = _hits(text, is_match)
        if hits:
            break
    if not hits:
        return Snippet(_SPACES.sub(" ", _cut(text, 0, width)))
    # Slide a window over the hits, counting the forms in it as it moves: the most distinct
    # forms, then the most hits, then the first such window. Once the window reaches the last
    # hit, later windows only lose hits: none can win.
    starts = [t.start for t in hits]
    ends = [t.end for t in hits]
    forms = [t.form for t in hits]
    best = (-1, -1)
    chosen = (0, 0)
    in_window: dict[str, int] = {}
    right = -1  # the last hit in the window
    last = len(hits) - 1
    for left in range(last + 1):
        reach = starts[left] + width
        while right < last and (right < left or ends[right + 1] <= reach):
            right += 1
            form = forms[right]
            in_window[form] = in_window.get(form, 0) + 1
        score = (len(in_window), right - left + 1)
        if score > best:
            best = score
            chosen = (left, right)
        if right == last:
            break
        form = forms[left]
        if in_window[form] == 1:
            del in_window[form]
        else:
            in_window[form] -= 1
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
    # Most windows hold no whitespace but single spaces: nothing to collapse in their pieces.
    # (Every whitespace character but the space is unprintable, so this check is exact.)
    window = text[start:end]
    collapse = "  " in window or not window.isprintable()
    pieces = _pieces(text, start, end, marked)
    if pieces and not pieces[0][1]:  # the window stripped (a marked word never starts or
        pieces[0] = (pieces[0][0].lstrip(), False)  # ends with a space)
    if pieces and not pieces[-1][1]:
        pieces[-1] = (pieces[-1][0].rstrip(), False)
    if start > 0:
        pieces.insert(0, ("… ", False))
    if end < len(text):
        pieces.append((" …", False))
    return _joined(pieces, collapse)


class WordMatcher:
    """Tells whether a word (lowercased form, compound parts) is to be marked: it is one of the
    `highlight` forms, has a part that is, or its folded form starts with one of `prefixes`."""

    MAX_PATTERN_FORMS = 400

    def __init__(self, highlight: AbstractSet[str], prefixes: AbstractSet[str] = frozenset()):
        self.highlight = highlight
        self.starts = tuple(prefixes)
        self._pattern: re.Pattern[str] | None | bool = False  # False: not compiled yet
        self._leads: tuple[str, ...] | None | bool = False

    def __call__(self, form: str, parts: tuple[str, ...]) -> bool:
        highlight = self.highlight
        if form in highlight or (parts and any(p in highlight for p in parts)):
            return True
        return bool(self.starts) and fold(form).startswith(self.starts)

    def candidates(self) -> re.Pattern[str] | None:
        """A regex finding where a marked word (or compound part) may start; None: scan every
        word (prefix queries, or too many forms for one pattern)."""
        if self._pattern is False:
            if self.starts or not self.highlight or len(self.highlight) > self.MAX_PATTERN_FORMS:
                self._pattern = None
            else:
                # Matched against the lowercased page (see _hits): no IGNORECASE, which is slow;
                # the forms as a trie, so the engine does not try each of them at every letter.
                alternatives = _trie_regex(sorted(self.highlight))
                # No look-behind in front: it would be tried at every letter and keeps the
                # engine from skipping to the letters a form can start with (see _hits).
                self._pattern = re.compile(rf"(?:{alternatives})(?![^\W_])")
        return self._pattern  # type: ignore[return-value]

    def leads(self) -> tuple[str, ...] | None:
        """The distinct beginnings of the marked forms (up to LEAD_LETTERS, before any hyphen):
        a marked word starts only where one is found, and `str.find` finds a few of them faster
        than the regex engine tries each letter. None: too many of them, or a form starting
        with a hyphen."""
        if self._leads is False:
            leads = {form[:LEAD_LETTERS].split("-")[0] for form in self.highlight}
            # `sąd` is found wherever `sądu` is: the longer is left out.
            leads = {a for a in leads if not any(a != b and a.startswith(b) for b in leads)}
            too_many = "" in leads or len(leads) > MAX_LEADS
            self._leads = None if too_many else tuple(sorted(leads))
        return self._leads  # type: ignore[return-value]


def _trie_regex(words: list[str]) -> str:
    """A regex matching exactly `words`, their common prefixes factored out (`asystent`,
    `asystenta` → `asystent(?:a)?`); a hyphen also matches the Unicode hyphens."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def letter(ch: str) -> str:
        return f"[{HYPHENS}]" if ch == "-" else re.escape(ch)

    def emit(node: dict) -> str:
        # A run of single letters is written out in a loop, not one call per letter: a
        # 500-letter word is one literal, not 500 nested calls (and groups).
        run = []
        while "" not in node and len(node) == 1:
            ch, node = next(iter(node.items()))
            run.append(letter(ch))
        ends = "" in node
        branches = [letter(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return "".join(run)
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "".join(run) + (f"(?:{body})?" if ends else body)

    return emit(trie)


def _word_start(text: str, pos: int) -> int:
    """Where the word containing the compound part at `pos` starts."""
    while pos >= 2 and text[pos - 1] in HYPHENS and text[pos - 2].isalnum():
        pos -= 2
        while pos > 0 and text[pos - 1].isalnum():
            pos -= 1
    return pos


def _hits(text: str, is_match: Matcher) -> list[Token]:
    """The matched words of `text`, cut as `tokenize` cuts them; a Token is made only for a hit.
    With a WordMatcher, only the words where its regex finds a candidate are looked at (making
    and checking every word of 30 pages was most of the time of a search)."""
    pattern = is_match.candidates() if isinstance(is_match, WordMatcher) else None
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: offsets would shift
        pattern = None
    if pattern is None:
        return _checked(text, _WORD.finditer(text), is_match)
    hits: list[Token] = []
    compounds: dict[int, None] = {}  # where a word joined by a hyphen starts
    end = len(lowered)
    for m in _matches(pattern, lowered, is_match.leads()):
        start, stop = m.span()
        if start:
            before = lowered[start - 1]
            if before.isalnum() or (before != "_" and before.isidentifier()):
                continue  # inside a word (a letter, digit or mark, as _WORD has them)
        else:
            before = " "
        after = lowered[stop] if stop < end else " "
        form = m.group()
        if before in HYPHENS or after in HYPHENS or not form.isalnum():
            compounds[_word_start(text, start)] = None  # decided as tokenize cuts it, below
        else:  # a whole word, exactly one of the highlighted forms
            hits.append(_token(Token, (form, (), start, stop)))
    if compounds:
        found = (_WORD.match(text, i) for i in compounds)
        hits += _checked(text, (m for m in found if m is not None), is_match)
        hits.sort(key=lambda t: t.start)
    return hits


def _matches(
    pattern: re.Pattern[str], text: str, leads: tuple[str, ...] | None
) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` gives, trying the pattern only where one of `leads` (the
    beginnings of everything it matches) is found."""
    if leads is None:
        return list(pattern.finditer(text))
    places: set[int] = set()
    find = text.find
    for lead in leads:
        at = find(lead)
        while at >= 0:
            places.add(at)
            at = find(lead, at + 1)
    found = []
    done = 0  # finditer goes on from the end of its last match
    match = pattern.match
    for at in sorted(places):
        if at >= done:
            m = match(text, at)
            if m is not None:
                done = m.end()
                found.append(m)
    return found


def _checked(text: str, matches: Iterable[re.Match[str]], is_match: Matcher) -> list[Token]:
    hits: list[Token] = []
    hyphens = "\u2010" in text or "\u2011" in text
    for m in matches:
        form = m.group().lower()
        if hyphens:
            form = ascii_hyphens(form)
        parts = tuple(p for p in form.split("-") if p) if "-" in form else ()
        if is_match(form, parts):
            hits.append(Token(form, parts, m.start(), m.end()))
    return hits


def _pieces(text: str, start: int, end: int, marked: list[Token]) -> list[tuple[str, bool]]:
    """text[start:end] as (piece, marked) pieces; a run of matches separated only by spaces is
    one marked piece."""
    out: list[tuple[str, bool]] = []
    pos = start
    i = 0
    while i < len(marked):
        j = i
        while j + 1 < len(marked) and not text[marked[j].end : marked[j + 1].start].strip():
            j += 1
        out.append((text[pos : marked[i].start], False))
        out.append((text[marked[i].start : marked[j].end], True))
        pos = marked[j].end
        i = j + 1
    out.append((text[pos:end], False))
    return out


def _joined(pieces: list[tuple[str, bool]], collapse: bool = True) -> Snippet:
    """The pieces as one Snippet, runs of whitespace collapsed in each (no run crosses a piece:
    marked pieces start and end with a letter or digit), unless `collapse` is False: the
    caller knows there is nothing to collapse."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for piece, is_marked in pieces:
        if collapse:
            piece = _SPACES.sub(" ", piece)
        if not piece:
            continue
        if is_marked:
            spans.append((length, length + len(piece)))
        parts.append(piece)
        length += len(piece)
    return Snippet("".join(parts), tuple(spans))


def _cut(text: str, start: int, width: int) -> str:
    if len(text) <= width:
        return text
    end = text.rfind(" ", start, start + width)
    return text[start : end if end > start else start + width] + " …"
