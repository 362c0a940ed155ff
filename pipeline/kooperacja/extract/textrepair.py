"""Repair of extracted page text: what PDF text layers get wrong in Polish documents.

Pure functions over strings; the extractor calls `repair_page_text` on each page and
`strip_repeated_margins` on a document's pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable

from kooperacja.text import COMPOUND_PREFIXES, SOFT_HYPHEN

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
# pypdfium2 writes U+FFFE where the layout broke a word with a generated hyphen (exact info).
_PDFIUM_BREAK = re.compile(r"\ufffe[ \t]*(?:\r\n|\r|\n)?[ \t]*")
_LIGATURE_CHARS = "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
_ANY_LINE_HYPHEN = re.compile(r"-[ \t]*\n")
_SOFT_HYPHEN = re.compile(rf"{SOFT_HYPHEN}[ \t]*(?:\n[ \t]*)?")
# A word broken at a line end with a real hyphen: "współ-\npraca".
_LINE_HYPHEN = re.compile(r"([^\W\d_]+)-[ \t]*\n[ \t]*([^\W\d_]+)")
# Three or more capitals (plus an optional last chunk) spaced out: "R O Z P O R Z Ą D Z E N I E".
_SPACED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_a-ząćęłńóśźż] ){2,}[^\W\d_a-ząćęłńóśźż]+(?![^\W\d_])")
# Two spaced letters that every spaced heading has (" O Z" in "R O Z"): a cheap scan for the
# rare page that has one.
_SPACED_HINT = re.compile(r" [^\W\d_a-ząćęłńóśźż] [^\W\d_a-ząćęłńóśźż]")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Spaces _SPACE_RUN makes " " (a lone " " it leaves as it is: most pages have no other).
_OTHER_SPACES = ("  ", "\t", "\u00a0", "\u202f", "\u205f", "\u3000")
_OTHER_SPACES += tuple(map(chr, range(0x2000, 0x200B)))
_BLANK_LINES = re.compile(r"\n{3,}")


def _spaced_heading(match: re.Match[str]) -> str:
    return match.group().replace(" ", "")


def _dehyphenate(text: str, is_word: Callable[[str], bool] | None) -> str:
    # Words the page itself writes unbroken settle most cases without a dictionary.
    page_words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        joined = left + right
        keep = f"{left}-{right}"
        if joined.lower() in page_words:
            return joined
        if right[0].isupper() or (left.isupper() and len(left) > 1):
            return keep  # "Bielsko-\nBiała", "PO-\nWER": names and acronyms keep the hyphen
        if left.lower() in COMPOUND_PREFIXES:
            return keep
        if left.lower().endswith("o") and is_word is not None:
            # "państwo-\nwą" joins, "naukowo-\nbadawczy" does not: ask the dictionary.
            if is_word(joined.lower()):
                return joined
            return keep if is_word(left.lower()) and is_word(right.lower()) else joined
        return joined

    return _LINE_HYPHEN.sub(join, text)


def simplemma_is_word(word: str) -> bool:
    """Whether simplemma's Polish dictionary knows `word` (loads it, ~5 s, on first use)."""
    import simplemma

    return bool(simplemma.is_known(word, lang="pl"))


def repair_page_text(text: str, is_word: Callable[[str], bool] | None = simplemma_is_word) -> str:
    """Normalise one page of extracted text (see the module docstring for what is repaired).

    `is_word` decides the rare line-end hyphen after a word ending in -o that is neither a known
    compound prefix nor settled by the page itself; pass None to never load a dictionary.
    """
    if any(lig in text for lig in _LIGATURE_CHARS):
        text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFC", text)
    # pdfium ends its lines with "\r\n"; the rest are rare, and `in` is cheaper than `sub`.
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        text = text.replace("\r", "\n")
    if "\ufffe" in text:
        text = _PDFIUM_BREAK.sub("", text)
    if SOFT_HYPHEN in text:
        text = _SOFT_HYPHEN.sub("", text)
    text = text.replace("\ufeff", "").replace("\u200b", "")
    if _ANY_LINE_HYPHEN.search(text):  # cheap test first: the full pattern backtracks per word
        text = _dehyphenate(text, is_word)
    # Neither pattern crosses a line end, so one pass over the page does (17x fewer calls);
    # each runs only where its cheap test finds what it replaces.
    if _SPACED_HINT.search(text):
        text = _SPACED.sub(_spaced_heading, text)
    if any(space in text for space in _OTHER_SPACES):
        text = _SPACE_RUN.sub(" ", text)
    text = "\n".join([line.strip() for line in text.split("\n")])
    return (_BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()


_DIGITS = re.compile(r"\d+")
MARGIN_LINES = 3  # how many lines at the top and at the bottom of a page may be margins


def _margin_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.lower().split()))


def strip_repeated_margins(pages: list[str], min_share: float = 0.5) -> list[str]:
    """Drop header/footer lines repeated on many pages (digits, i.e. page numbers, ignored).

    A line among the first or last MARGIN_LINES non-empty lines of a page is a margin when the same
    line (modulo digits) is in that zone on at least `min_share` of the pages, and on 3 or more,
    and only the lines between it and the page edge are margins too.
    """
    if len(pages) < 3:
        return list(pages)
    split = [p.split("\n") for p in pages]
    edges = [_edges(lines) for lines in split]  # (first, last) non-empty lines: (index, key)
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    for first, last in edges:
        top.update({key for _, key in first})
        bottom.update({key for _, key in last})
    needed = max(3, int(len(pages) * min_share + 0.999))
    top_keys = {k for k, n in top.items() if n >= needed}
    bottom_keys = {k for k, n in bottom.items() if n >= needed}
    out: list[str] = []
    for page, lines, (first, last) in zip(pages, split, edges, strict=True):
        # Only an unbroken run from the edge is a margin, and a page never loses all its lines.
        drop: set[int] = set()
        for i, key in first:
            if key not in top_keys:
                break
            drop.add(i)
        for i, key in reversed(last):
            if key not in bottom_keys:
                break
            drop.add(i)
        if not drop or not any(ln.strip() for i, ln in enumerate(lines) if i not in drop):
            out.append(page.strip("\n"))  # the page as it is: "\n".join(split) gives it back
            continue
        kept = [ln for i, ln in enumerate(lines) if i not in drop]
        out.append("\n".join(kept).strip("\n"))
    return out


def _edges(lines: list[str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The first and the last MARGIN_LINES non-empty lines of a page, with their keys."""
    first = _filled(lines, range(len(lines)))
    last = _filled(lines, range(len(lines) - 1, -1, -1))[::-1]
    keys = {i: _margin_key(lines[i]) for i in (*first, *last)}
    return [(i, keys[i]) for i in first], [(i, keys[i]) for i in last]


def _filled(lines: list[str], order: range) -> list[int]:
    found = []
    for i in order:
        if lines[i].strip():
            found.append(i)
            if len(found) == MARGIN_LINES:
                break
    return found
