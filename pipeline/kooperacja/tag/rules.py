"""Tagging rules: shipped defaults plus what a deployment adds in the `tagging:` config section.

YAML shape (every key optional; user entries EXTEND the defaults, they never replace them):

```yaml
tagging:
  types:                       # keys: model, model-summary, pilot-report, recommendations,
    research:                  #       presentation, research, news, other
      keywords: ["ewaluacja", "raport końcowy"]   # plain text, matched case- and
                                                  # diacritics-insensitively as substrings
      patterns: ['\\bbadani[ae] ankietowe\\b']    # Python regular expressions (case-insensitive)
  generic_link_texts: ["zobacz plik"]   # link texts that never serve as a title
  junk_titles: ['^Prezentacja\\d+$']    # regexes: PDF /Title values that are not real titles
  heading_skip: ['^Gmina Przykładowa$'] # regexes: first-page lines skipped when reading a heading
```

Types are tried in `TYPE_PRIORITY` order, on the title and link texts first, then on the first
pages; the first rule that matches wins, so "Sprawozdanie z pilotażu modelu" is a pilot-report
and not a model.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kooperacja.errors import ConfigError
from kooperacja.models import DOCUMENT_TYPES
from kooperacja.text import fold_key

# "other" sits before "model" so a schedule or diagram *of* a model is not tagged as the model.
TYPE_PRIORITY: tuple[str, ...] = (
    "model-summary",
    "pilot-report",
    "recommendations",
    "presentation",
    "research",
    "other",
    "model",
    "news",
)

DEFAULT_KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "model-summary": ("wersja skrócona", "wersji skróconej", "wersja skrocona", "synteza",
                      "streszczenie", "skrót modelu", "skrócona wersja"),
    "pilot-report": ("sprawozdanie z pilotażu", "raport z pilotażu", "sprawozdanie z pilotażowego",
                     "raport z pilotażowego", "raport z testowania", "sprawozdanie z testowania",
                     "raport z wdrożenia pilotażowego"),
    "recommendations": ("księga rekomendacyjna", "księgi rekomendacyjnej", "rekomendacje",
                        "rekomendacji"),
    "presentation": ("prezentacja", "prezentacji", "slajd"),
    "research": ("raport z badań", "raport z badania", "diagnoza", "diagnozy", "wyniki badań",
                 "wyniki badania", "raport z konsultacji", "ocena zasobów", "ewaluacja",
                 "analiza sieci", "badanie jakościowe", "badanie ilościowe"),
    "other": ("harmonogram", "schemat", "regulamin", "ogłoszenie", "ogloszenie", "zaproszenie",
              "formularz", "biuletyn", "założenia prawne", "ulotka", "plakat", "umowa",
              "zapytanie ofertowe", "załącznik nr", "lista obecności", "program spotkania"),
    "model": ("model kooperacji", "modelu kooperacji", "model współpracy", "modelu współpracy"),
    "news": (),
}  # fmt: skip
DEFAULT_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "pilot-report": (r"\b(sprawozdani|raport)\w*\b.{0,60}\bpilota[zż]",),
    "research": (r"\bbada(ń|n|nia|nie)\s+(ankietow|jakościow|ilościow|społeczn)",),
    "model": (r"\bmodel\w*\b.{0,80}\b(kooperacji|współpracy|wspolpracy|kooperacj)",),
}
DEFAULT_GENERIC_LINK_TEXTS: tuple[str, ...] = (
    "pobierz", "pobierz plik", "pobierz dokument", "do pobrania", "dokumenty do pobrania",
    "pliki do pobrania", "tutaj", "tu", "kliknij", "kliknij tutaj", "więcej", "czytaj więcej",
    "zobacz", "zobacz więcej", "link", "plik", "załącznik", "dokument", "otwórz", "pdf",
    "download", "here", "click here", "more", "read more",
)  # fmt: skip
DEFAULT_JUNK_TITLES: tuple[str, ...] = (
    r"^microsoft (word|powerpoint|excel)\s*-",
    r"^(untitled|bez tytułu|bez nazwy|no title|title|tytuł)\b",
    r"^(dokument|document|prezentacja|presentation|slajd|slide|nowy dokument)\s*\d*$",
    r"^prezentacja programu powerpoint$",
    r"^akt prawny$",
    r"^pozycja \d+\b",  # Dziennik Ustaw working titles: "Pozycja 18 DPPRI.553.106.2019 (word)"
    r"\b[A-Z]{2,}\.\d+\.\d+\.\d{4}\b",  # an office case number (znak sprawy)
    r"\((word|docx?|pdf)\)",
    r"^[\w\-]+\.(docx?|odt|pptx?|xlsx?|pdf|indd|qxd)\b",
)
DEFAULT_HEADING_SKIP: tuple[str, ...] = (
    r"^(dziennik ustaw|monitor polski)$",
    r"^rzeczypospolitej\s+polskiej$",
    r"^[A-ZĄĆĘŁŃÓŚŹŻ][\w\- ]{1,30},\s*(dnia\s*)?\d",  # "Warszawa, dnia 2 stycznia 2020 r."
    r"^poz\.\s*\d+",
    r"^dz\.\s?u\.",
    r"^(strona|str\.|s\.)\s*\d+",
    r"^\d+\s*(/\s*\d+)?$",
    r"^©",
    r"^\d{4}-\d{2}-\d{2}$",
    r"fundusze europejskie",
    r"wiedza edukacja rozwój",
    r"^rzeczpospolita polska$",
    r"^unia europejska",
    r"europejski fundusz społeczny",
    r"współfinansowan",
    r"program(u)? operacyjn",
    r"^(projekt\s+)?[„\"]?kooperacja\s*[–-]\s*efektywna i skuteczna[”\"]?$",
    r"^(dokument )?podpisany|podpisano elektronicznie|^signed by|^data:",
    r"^sygn\. akt",
)
DEFAULT_HEADING_STOP: tuple[str, ...] = (
    r"^(art\.|§|na podstawie|spis treści)",
    r"^(księga|część|tytuł|dział|rozdział)\s+([ivxlc]+|\d+|pierwsza|druga|trzecia|ogólna)\b",
)


@dataclass(frozen=True)
class TypeRule:
    type: str
    keywords: tuple[str, ...]  # folded (lowercase, no diacritics) for matching
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class TagRules:
    types: tuple[TypeRule, ...]  # in TYPE_PRIORITY order
    generic_link_texts: tuple[str, ...]
    junk_titles: tuple[re.Pattern[str], ...]
    heading_skip: tuple[re.Pattern[str], ...]
    heading_stop: tuple[re.Pattern[str], ...]
    first_pages: int = 2  # how many pages are read for type, date and heading clues

    def fingerprint(self) -> str:
        """Changes whenever the rules change: store it with TAG_VERSION to know when to re-tag."""
        text = repr(
            (
                [(r.type, r.keywords, [p.pattern for p in r.patterns]) for r in self.types],
                self.generic_link_texts,
                [p.pattern for p in self.junk_titles + self.heading_skip + self.heading_stop],
                self.first_pages,
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _build(
    keywords: Mapping[str, tuple[str, ...]],
    patterns: Mapping[str, tuple[str, ...]],
    generic: tuple[str, ...],
    junk: tuple[str, ...],
    skip: tuple[str, ...],
) -> TagRules:
    types = tuple(
        TypeRule(
            t,
            tuple(dict.fromkeys(fold_key(k) for k in keywords.get(t, ()))),
            _compile(tuple(dict.fromkeys(patterns.get(t, ())))),
        )
        for t in TYPE_PRIORITY
    )
    return TagRules(
        types=types,
        generic_link_texts=tuple(dict.fromkeys(generic)),
        junk_titles=_compile(junk),
        heading_skip=_compile(skip),
        heading_stop=_compile(DEFAULT_HEADING_STOP),
    )


def default_rules() -> TagRules:
    return _build(
        DEFAULT_KEYWORDS,
        DEFAULT_PATTERNS,
        DEFAULT_GENERIC_LINK_TEXTS,
        DEFAULT_JUNK_TITLES,
        DEFAULT_HEADING_SKIP,
    )


_TOP_KEYS = ("types", "generic_link_texts", "junk_titles", "heading_skip")
_TYPE_KEYS = ("keywords", "patterns")


def _unknown(key: object, allowed: tuple[str, ...], where: str) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = (
        f" (did you mean '{close[0]}'?)" if close else f" (expected one of: {', '.join(allowed)})"
    )
    return f"{where}: unknown key '{key}'{hint}"


def _strings(value: object, where: str, problems: list[str], regex: bool) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{where}: expected a list of strings, got {type(value).__name__}")
        return ()
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            problems.append(f"{where}[{i}]: expected a string, got {item!r}")
        elif not item.strip():
            problems.append(f"{where}[{i}]: expected a non-empty string")
        elif regex:
            try:
                re.compile(item)
            except re.error as exc:
                problems.append(f"{where}[{i}]: invalid regular expression {item!r}: {exc}")
            else:
                out.append(item)
        else:
            out.append(item)
    return tuple(out)


def rules_from_config(mapping: Mapping | None, path: str = "tagging") -> TagRules:
    """The default rules extended by a `tagging:` config section; ConfigError lists all problems."""
    if mapping is None:
        return default_rules()
    if not isinstance(mapping, Mapping):
        raise ConfigError([f"{path}: expected a mapping, got {type(mapping).__name__}"])
    problems: list[str] = []
    keywords = {t: tuple(k) for t, k in DEFAULT_KEYWORDS.items()}
    patterns = {t: tuple(p) for t, p in DEFAULT_PATTERNS.items()}
    for key in mapping:
        if key not in _TOP_KEYS:
            problems.append(_unknown(key, _TOP_KEYS, path))
    types = mapping.get("types") or {}
    if not isinstance(types, Mapping):
        problems.append(f"{path}.types: expected a mapping of type -> rules")
        types = {}
    for type_name, rule in types.items():
        where = f"{path}.types.{type_name}"
        if type_name not in DOCUMENT_TYPES:
            problems.append(_unknown(type_name, DOCUMENT_TYPES, f"{path}.types"))
            continue
        if rule is None:
            continue
        if not isinstance(rule, Mapping):
            problems.append(f"{where}: expected a mapping with keywords/patterns")
            continue
        for key in rule:
            if key not in _TYPE_KEYS:
                problems.append(_unknown(key, _TYPE_KEYS, where))
        kw = _strings(rule.get("keywords"), f"{where}.keywords", problems, regex=False)
        pt = _strings(rule.get("patterns"), f"{where}.patterns", problems, regex=True)
        keywords[type_name] = keywords.get(type_name, ()) + kw
        patterns[type_name] = patterns.get(type_name, ()) + pt
    generic = _strings(
        mapping.get("generic_link_texts"), f"{path}.generic_link_texts", problems, regex=False
    )
    junk = _strings(mapping.get("junk_titles"), f"{path}.junk_titles", problems, regex=True)
    skip = _strings(mapping.get("heading_skip"), f"{path}.heading_skip", problems, regex=True)
    if problems:
        raise ConfigError(problems)
    return _build(
        keywords,
        patterns,
        DEFAULT_GENERIC_LINK_TEXTS + generic,
        DEFAULT_JUNK_TITLES + junk,
        DEFAULT_HEADING_SKIP + skip,
    )
