"""What a query means besides the words typed: abbreviations both ways, numbers as people say
them: planning over the index vocabulary; the scoring of each word stays in ranking.py.

Each query word may also be met by alternatives, scored below the word as typed:
- an abbreviation (`MOPS`, `z mops`) by its long forms as a phrase of their lemmas (`miejskiego
  ośrodka pomocy społecznej`), and a long form typed (`powiatowe centrum pomocy rodzinie`,
  `osrodek pomocy spolecznej`) by its abbreviation; the pairs are the config's and those the
  documents list themselves (the index's `abbreviations` table);
- a number said in words (`dwudziesta czwarta`, `dwunastej`, `trzydzieści jeden`), or in Roman
  numerals next to a heading word (`rozdział IV`, `IV rozdział`), by its digits; next to a
  heading word (`rekomendacja`, `rozdział`, `§`) the heading as the documents write it
  (`Rekomendacja 24`, `Rozdział 4`, `Rozdział IV`, `§ 5`) counts most in a section heading.
`nr`, `numer` and `paragraf` before a number need not be on the page (`rekomendacja nr 24`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import vocab
from .lemmas import lemma_keys
from .numerals import NumberSpan, numbers_in, to_roman
from .query import Clause, Word
from .querytree import Bool, Node, Nothing, Term, any_of
from .querytree import Phrase as PhraseNode
from .words import fold, is_stop, tokenize

if TYPE_CHECKING:
    from .ranking import _Words

# Abbreviations of words staff type for the words the documents spell out.
WORD_ABBREVIATIONS = {
    "rek": "rekomendacja",
    "art": "artykuł",
    "ust": "ustęp",
    "pkt": "punkt",
    "rozdz": "rozdział",
    "nr": "numer",
    "poz": "pozycja",
    "zał": "załącznik",
}
ABBREVIATION_WEIGHT = 0.5  # the other form of an abbreviation, beside the form typed
NUMBER_WEIGHT = 1.0  # the digits of a number said in words: what was meant
HEADING_WEIGHT = 2.0  # ... after `rozdział`, `§`: surely the heading's number, not the word
HEADING_BOOST = 3.0  # "Rekomendacja 24" as the section heading of the page
HEADING_NEAR_BOOST = 3.0  # ... or written so in its text (as the nearness bonus of typed digits)
# Words numbering what follows (folded lemmas): a number next to them is a heading's number.
HEADING_WORDS = frozenset(
    (
        "rekomendacja", "rozdzial", "dzial", "czesc", "tytul", "ksiega", "zalacznik", "artykul",
        "paragraf", "punkt", "ustep", "etap", "modul", "sekcja", "tom", "zeszyt", "krok",
        "zadanie", "cel", "priorytet", "dzialanie", "obszar",
    )
)  # fmt: skip
NUMBER_MARKS = frozenset(
    ("nr", "numer", "numeru", "numerem", "numerze", "paragraf", "paragrafu", "paragrafie")
)
PARAGRAPH_MARKS = frozenset(("paragraf", "paragrafu", "paragrafie"))
SECTION_SIGN = "§"
SIGN_WEIGHT = 0.5  # a page with `§` at all, for `paragraf 5`
PREFILTER = 3  # letters of a long form's word that a typed word must share to be compared


@dataclass(frozen=True)
class _Typed:
    index: int  # in the query's `must`
    text: str


def _plain(items: Sequence[Clause]) -> list[_Typed | None]:
    """The query's words in order; None for what breaks a run (a phrase, OR, a prefix)."""
    return [
        _Typed(i, item.text) if isinstance(item, Word) and not item.prefix else None
        for i, item in enumerate(items)
    ]


def _is_number(text: str) -> bool:
    """Digits as documents write them (`24`; not `²`, which `str.isdigit` also takes)."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def optional_items(items: Sequence[Clause]) -> set[int]:
    """`nr`, `numer`, `paragraf` right before a number: the documents write `Rekomendacja 24`
    and `§ 5`, so a page need not hold these words."""
    seq = _plain(items)
    texts = [t.text if t else "" for t in seq]
    starts = {s.start for s in numbers_in(texts)}
    return {
        t.index
        for k, t in enumerate(seq[:-1])
        if t and fold(t.text) in NUMBER_MARKS and (_is_number(texts[k + 1]) or k + 1 in starts)
    }


def alternatives(words: _Words, items: Sequence[Clause]) -> dict[int, list[Node]]:
    """For each word of `items` (by its index) what else may meet it."""
    extra: dict[int, list[Node]] = {}
    _abbreviations(words, items, extra)
    _numbers(words, items, extra)
    return extra


def _weighted(node: Node, weight: float) -> Node:
    return node if isinstance(node, Nothing) else Bool(should=(node,), boost=weight)


# --- abbreviations ------------------------------------------------------------------------------


def _abbreviations(words: _Words, items: Sequence[Clause], extra: dict[int, list[Node]]) -> None:
    content = [t for t in _plain(items) if t is None or not is_stop(t.text)]
    table = vocab.abbreviations_for(words.conn, [t.text for t in content if t])
    if not table:
        return
    longs_of: dict[str, list[str]] = {}
    for short, long in table:
        longs_of.setdefault(fold(short), []).append(long)
    for typed in content:  # an abbreviation typed: its long forms (a phrase scores as many
        if typed and fold(typed.text) in longs_of:  # words as it has: weighed by one word)
            phrases = [_long_phrase(words, long) for long in longs_of[fold(typed.text)]]
            extra.setdefault(typed.index, []).extend(phrases)
    typed_prefixes = {fold(t.text)[:PREFILTER] for t in content if t}
    typed_keys: dict[str, set[str]] = {}  # each typed word's lemma keys, looked up once
    for short, long in table:  # a long form typed: its abbreviation
        parts = _content_words(long)
        if not parts or any(fold(p)[:PREFILTER] not in typed_prefixes for p in parts):
            continue
        if not typed_keys:
            typed_keys = {t.text: _keys(words, t.text) for t in content if t}
        for run in _runs(typed_keys, content, parts):
            node = _weighted(words.word(short), ABBREVIATION_WEIGHT / len(run))
            for typed in run:
                extra.setdefault(typed.index, []).append(node)


def _content_words(text: str) -> list[str]:
    return [t.form for t in tokenize(text) if not is_stop(t.form)]


def _long_phrase(words: _Words, long: str) -> Node:
    parts = _content_words(long)
    if not parts:
        return Nothing()
    node = words.phrase(tuple(parts)) if len(parts) > 1 else words.word(parts[0])
    return _weighted(node, ABBREVIATION_WEIGHT / len(parts))


def _keys(words: _Words, text: str) -> set[str]:
    """The lemma keys a typed word may have: those of its spellings in the archive (typed
    without Polish letters too) and its own."""
    forms = words.spellings(text)
    keys = {key for combo in words.own_combos(forms) for key in combo.split("|")}
    return keys | {fold(text)}


def _runs(
    typed_keys: dict[str, set[str]], content: list[_Typed | None], parts: list[str]
) -> list[list[_Typed]]:
    """The runs of typed content words that say the long form `parts`, each word a form of
    the long form's word (`powiatowego centrum` ~ `powiatowe centrum`)."""
    wanted = [set(lemma_keys(p)) | {fold(p)} for p in parts]
    found = []
    for start in range(len(content) - len(parts) + 1):
        run = [t for t in content[start : start + len(parts)] if t is not None]
        if len(run) == len(parts) and all(
            typed_keys[t.text] & keys for t, keys in zip(run, wanted, strict=True)
        ):
            found.append(run)
    return found


# --- numbers ------------------------------------------------------------------------------------


def _heading_key(words: _Words, typed: _Typed) -> str | None:
    text = WORD_ABBREVIATIONS.get(fold(typed.text), typed.text)
    if fold(text) in PARAGRAPH_MARKS:
        return "paragraf"
    keys = _keys(words, text) & HEADING_WORDS
    return min(keys) if keys else None


def _heading_of(
    words: _Words, seq: list[_Typed | None], span: NumberSpan
) -> tuple[_Typed, str] | None:
    """The heading word numbered by the number at `span`: right before it (skipping `nr`),
    or right after it (`IV rozdział`, `dwunasta rekomendacja`)."""
    before = span.start - 1
    mark = seq[before] if before >= 0 else None
    if mark is not None and fold(mark.text) in ("nr", "numer"):
        before -= 1
    for at in (before, span.end):
        typed = seq[at] if 0 <= at < len(seq) else None
        if typed is not None and (key := _heading_key(words, typed)):
            return typed, key
    return None


def _spans(
    words: _Words, seq: list[_Typed | None]
) -> list[tuple[NumberSpan, tuple[_Typed, str] | None]]:
    """The numbers a query says (in words, Roman or digits), each with its heading word."""
    texts = [t.text if t else "" for t in seq]
    spans = list(numbers_in(texts))
    spans += [NumberSpan(k, k + 1, int(text)) for k, text in enumerate(texts) if _is_number(text)]
    found = []
    for span in spans:
        heading = _heading_of(words, seq, span)
        said = texts[span.start : span.end]
        if heading is None:
            if span.roman or span.value == 1 or all(map(is_stop, said)):
                continue  # `i`, `v`, `jednego planu`, `pierwszy kontakt` look for no number
        elif span.roman and len(said[0]) == 1 and heading[0].index > span.start:
            continue  # `i rekomendacja`: the conjunction, not chapter I
        found.append((span, heading))
    return found


def said_as_digits(words: _Words, items: Sequence[Clause]) -> dict[int, Word | None]:
    """The words of `items` that say a number, as the digits documents write (the first word
    of `dwudziesta czwarta` → `24`, the second → None): what the nearness bonus looks for."""
    seq = _plain(items)
    said: dict[int, Word | None] = {}
    for span, _heading in _spans(words, seq):
        indices = [t.index for t in seq[span.start : span.end] if t is not None]
        said.update(dict.fromkeys(indices[1:]))
        said[indices[0]] = Word(str(span.value))
    return said


def _numbers(words: _Words, items: Sequence[Clause], extra: dict[int, list[Node]]) -> None:
    seq = _plain(items)
    texts = [t.text if t else "" for t in seq]
    for span, heading in _spans(words, seq):
        digits = str(span.value)
        # The digits anywhere; a Roman numeral only as a heading's (`IV kwartał` is no chapter).
        nodes = [] if texts[span.start] == digits else [words.word(digits)]
        if heading:
            roman = to_roman(span.value) if heading[1] != "paragraf" else ""
            nodes += _heading_nodes(words, heading, [digits, *([roman] if roman else [])])
        weight = (HEADING_WEIGHT if heading else NUMBER_WEIGHT) / (span.end - span.start)
        node = _weighted(any_of(nodes), weight)
        for typed in seq[span.start : span.end]:
            if typed is not None:
                extra.setdefault(typed.index, []).append(node)


def _heading_nodes(words: _Words, heading: tuple[_Typed, str], numbers: list[str]) -> list[Node]:
    """The heading as documents write it, `Rekomendacja 24` (in the section heading above all)
    or `§ 5` (and, a little, a page holding `§` at all)."""
    typed, key = heading
    if key == "paragraf":
        sign = Term("exact", SECTION_SIGN)
        written = PhraseNode("exact", ((SECTION_SIGN,), tuple(numbers)), 0, HEADING_BOOST)
        return [written, Bool(should=(sign,), boost=SIGN_WEIGHT)]
    text = WORD_ABBREVIATIONS.get(fold(typed.text), typed.text)
    combos = words.combos_of(words.spellings(text))
    if not combos:
        return []
    positions = (tuple(combos), tuple(numbers))
    return [
        PhraseNode("section", positions, 0, HEADING_BOOST),
        PhraseNode("lemma", positions, 0, HEADING_NEAR_BOOST),
    ]
