"""The query language (parsing only: pure, no engine, no index).

QUERY_HELP is what `kooperacja search --help` prints.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass, field

from ..errors import QuerySyntaxError
from ..filetypes import FORMAT_ALIASES
from ..i18n import N_
from ..models import (
    DOCUMENT_TYPES,
    STATUS_QUERY_NAMES,
    STATUSES,
    TYPE_QUERY_NAMES,
    resolve_status,
    resolve_type,
)
from ..text import fold
from .limits import check_length, check_words
from .words import normalise, tokenize

QUERY_HELP = """\
Query language:
  asystent rodziny        pages with the words, in any inflected form (rodzina, rodzinie,
                          rodzinami); pages with every word, close together, come first, then
                          pages with some of them (--all: only pages with every word).
                          Polish letters may be left out: wspolpraca z policja. A question
                          works too: jak współpracować z policją w sprawie przemocy
  "zespół interdyscyplinarny"   a phrase: the words next to each other, in this order
  policja OR dzielnicowy  either word (OR in capitals)
  -przemoc                pages with this word are left out
  asyst*                  words starting with "asyst" (at least 2 letters)
  rek. 24                 abbreviations: rek. = rekomendacja, art., ust., pkt, nr, poz., zał.
  rekomendacja dwunasta   numbers in words, Roman (rozdział IV), after nr or § (§ 5): they
                          meet the digits documents write (Rekomendacja 12, Rozdział 4)
  PCPR                    abbreviations meet what they stand for, both ways (powiatowe
                          centrum pomocy rodzinie); the documents' own lists count too
  type:model  partner:rops-gdansk  status:gone  year:2021  year:2019..2021  format:word
                          filters (also: year:2019.. and year:..2021); -type:news excludes;
                          in Polish too: rodzaj:rekomendacje rok:2021 stan:usuniety
                          format: pdf, word (doc), powerpoint (ppt), excel (xls), skan (ocr),
                          film, strona (www)
Document types: """ + textwrap.fill(", ".join(DOCUMENT_TYPES), 80, subsequent_indent="  ")

MIN_PREFIX = 2
FILTER_FIELDS = ("type", "partner", "year", "status", "format")
# Polish field names beside the English ones.
FIELD_ALIASES = {"rodzaj": "type", "typ": "type", "rok": "year", "lata": "year", "stan": "status",
                 "partner": "partner", "format": "format", "plik": "format"}  # fmt: skip
_FIELD_NAME = re.compile(r"^[^\W\d_]{2,}$")
_LONE_OR = N_("'OR' needs a word on each side, e.g. policja OR dzielnicowy")
_PARTNER = re.compile(r"^[a-z0-9-]+$")
# "2019..2021", and as Poles write a range in one word: "2019-2021", "2019–2021" (dashes).
_YEAR = re.compile(r"^(\d{4})?(?:(\.\.|[-\u2010-\u2015\u2212])(\d{4})?)?$")


@dataclass(frozen=True)
class Word:
    text: str  # lowercased form as typed (NFC); a compound keeps its hyphen
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Word | Phrase, ...]


Clause = Word | Phrase | AnyOf


@dataclass(frozen=True)
class FieldFilter:
    field: str  # type | partner | status | year
    values: tuple[str, ...] = ()  # type/partner/status (several = any of them)
    year_from: int | None = None
    year_to: int | None = None


@dataclass(frozen=True)
class ParsedQuery:
    must: tuple[Clause, ...] = ()
    exclude: tuple[Word | Phrase, ...] = ()
    filters: tuple[FieldFilter, ...] = ()
    exclude_filters: tuple[FieldFilter, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Item:
    negated: bool
    value: Word | Phrase | FieldFilter | None  # None: the text had no word in it ("–", "...")
    is_or: bool = False


def _clean(query: str) -> str:
    # Control, format and unassigned characters become spaces (terminals paste odd things).
    text = normalise(query).replace("§", " paragraf ")  # the sign is no word: `§ 5`, `§5`
    return "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)


def _parse_filter(name: str, value: str, raw: str) -> FieldFilter:
    if not value:
        raise QuerySyntaxError(N_("'{raw}': give a value after '{name}:'"), raw=raw, name=name)
    if name == "year":
        m = _YEAR.match(value)
        if not m or not (m.group(1) or m.group(3)) or (m.group(2) is None and m.group(3)):
            raise QuerySyntaxError(
                N_("'{raw}': expected a year like year:2021 or a range like year:2019..2021"),
                raw=raw,
            )
        start = int(m.group(1)) if m.group(1) else None
        end = int(m.group(3)) if m.group(3) else (start if m.group(2) is None else None)
        if start is not None and end is not None and start > end:
            raise QuerySyntaxError(
                N_("'{raw}': the range runs backwards, write year:{end}..{start}"),
                raw=raw,
                end=end,
                start=start,
            )
        return FieldFilter("year", year_from=start, year_to=end)
    value = value.lower()
    if name == "format":
        code = FORMAT_ALIASES.get(fold(value))
        if code is None:
            raise QuerySyntaxError(
                N_("'{raw}': unknown format; use one of {formats}"),
                raw=raw,
                formats="pdf, word, powerpoint, excel, skan, film, strona",
            )
        return FieldFilter(name, values=(code,))
    if name == "type":
        code = resolve_type(value)
        if code is None:
            raise QuerySyntaxError(
                N_(
                    "'{raw}': unknown type; use one of {types} "
                    "(or its Polish name, e.g. rekomendacje)"
                ),
                raw=raw,
                types=", ".join(DOCUMENT_TYPES),
                names=", ".join(TYPE_QUERY_NAMES[code] for code in DOCUMENT_TYPES),
            )
        return FieldFilter(name, values=(code,))
    if name == "status":
        code = resolve_status(value)
        if code is None:
            raise QuerySyntaxError(
                N_("'{raw}': unknown status; use one of {statuses}"),
                raw=raw,
                statuses=", ".join(STATUSES),
                names=", ".join(STATUS_QUERY_NAMES[code] for code in STATUSES),
            )
        return FieldFilter(name, values=(code,))
    if name == "partner" and not _PARTNER.match(value):
        raise QuerySyntaxError(N_("'{raw}': a partner id has only a-z, 0-9 and '-'"), raw=raw)
    return FieldFilter(name, values=(value,))


def _parse_chunk(chunk: str) -> Word | Phrase | FieldFilter | None:
    name, colon, value = chunk.partition(":")
    field_name = FIELD_ALIASES.get(fold(name.lower()), name.lower())
    if colon and field_name in FILTER_FIELDS:
        return _parse_filter(field_name, value, chunk)
    if colon and value and _FIELD_NAME.match(name) and not value.startswith("/"):
        raise QuerySyntaxError(
            N_("'{raw}': unknown field '{name}:'; use {fields}"),
            raw=chunk,
            name=name,
            fields="type:, year:, status:, partner:, format:",
            names="rodzaj:, rok:, stan:, partner:, format:",
        )
    prefix = chunk.endswith("*")
    words = [t.form for t in tokenize(chunk.rstrip("*"))]
    if prefix:
        if len(words) != 1 or "*" in chunk.rstrip("*"):
            raise QuerySyntaxError(
                N_("'{chunk}': a '*' goes at the end of one word, e.g. asyst*"), chunk=chunk
            )
        if len(words[0]) < MIN_PREFIX:
            raise QuerySyntaxError(
                N_("'{chunk}': give at least {letters} letters before '*'"),
                chunk=chunk,
                letters=MIN_PREFIX,
            )
        return Word(words[0], prefix=True)
    if not words:
        return None
    # "art.5" or "3,5" are several tokens: they must stand together.
    return Word(words[0]) if len(words) == 1 else Phrase(tuple(words))


def _lex(text: str) -> list[_Item]:
    items: list[_Item] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-":
            negated = True
            i += 1
            if i >= n or text[i].isspace():
                raise QuerySyntaxError(
                    N_("'-' must be followed by a word to leave out, e.g. -przemoc")
                )
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(N_('unbalanced quote: a phrase needs a closing "'))
            words = tuple(t.form for t in tokenize(text[i + 1 : end]))
            value: Word | Phrase | None = (
                None if not words else Word(words[0]) if len(words) == 1 else Phrase(words)
            )
            items.append(_Item(negated, value))
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        chunk = text[i:end]
        i = end
        if chunk == "OR" and not negated:
            items.append(_Item(False, None, is_or=True))
            continue
        items.append(_Item(negated, _parse_chunk(chunk)))
    return items


def _merge_filters(filters: list[FieldFilter]) -> FieldFilter:
    """`type:model OR type:news` → one filter accepting either."""
    values = tuple(dict.fromkeys(v for f in filters for v in f.values))
    if filters[0].field != "year":
        return FieldFilter(filters[0].field, values=values)
    starts = [f.year_from for f in filters]
    ends = [f.year_to for f in filters]
    return FieldFilter(
        "year",
        year_from=None if None in starts else min(s for s in starts if s is not None),
        year_to=None if None in ends else max(e for e in ends if e is not None),
    )


def parse_query(query: str) -> ParsedQuery:
    """Parse the query language; raises QuerySyntaxError with a one-line reason."""
    check_length(query)
    items = _lex(_clean(query))
    if not items:
        raise QuerySyntaxError(N_("empty query: type a few words, e.g. asystent rodziny"))
    # Group "a OR b OR c" runs.
    groups: list[list[_Item]] = []
    pending_or = False
    for item in items:
        if item.is_or:
            if not groups or pending_or:
                raise QuerySyntaxError(_LONE_OR)
            pending_or = True
            continue
        if pending_or:
            if item.negated or groups[-1][-1].negated:
                raise QuerySyntaxError(N_("'OR' cannot join an excluded word (-word)"))
            groups[-1].append(item)
            pending_or = False
        else:
            groups.append([item])
    if pending_or:
        raise QuerySyntaxError(_LONE_OR)

    must: list[Clause] = []
    exclude: list[Word | Phrase] = []
    filters: list[FieldFilter] = []
    exclude_filters: list[FieldFilter] = []
    for group in groups:
        values = [it.value for it in group if it.value is not None]
        if not values:
            continue
        if any(isinstance(v, FieldFilter) for v in values):
            if not all(isinstance(v, FieldFilter) and v.field == values[0].field for v in values):
                raise QuerySyntaxError(
                    N_("'OR' can join words, or filters of one field, not both")
                )
            merged = _merge_filters(values)  # type: ignore[arg-type]
            (exclude_filters if group[0].negated else filters).append(merged)
            continue
        texts: list[Word | Phrase] = values  # type: ignore[assignment]
        if group[0].negated:
            exclude.append(texts[0])
        else:
            must.append(texts[0] if len(texts) == 1 else AnyOf(tuple(texts)))
    check_words(sum(_word_count(c) for c in (*must, *exclude)))
    if not must and not filters:
        if exclude or exclude_filters:
            raise QuerySyntaxError(
                N_("give at least one word or filter besides the excluded ones")
            )
        raise QuerySyntaxError(
            N_("the query has no words to search for, e.g. asystent rodziny")
        )
    return ParsedQuery(tuple(must), tuple(exclude), tuple(filters), tuple(exclude_filters))


def _word_count(clause: Clause) -> int:
    if isinstance(clause, AnyOf):
        return sum(_word_count(option) for option in clause.options)
    return len(clause.words) if isinstance(clause, Phrase) else 1
