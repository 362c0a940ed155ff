"""Titles: cleaning link texts, spotting junk PDF titles, reading a heading off a first page.

All functions are pure. Patterns that decide what counts as generic or junk come from
`kooperacja.tag.rules.TagRules` so a deployment can extend them in config.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from kooperacja.models import Reason
from kooperacja.text import fold_key

_FORMATS = r"pdf|docx?|odt|ods|odp|rtf|xlsx?|pptx?|ppsx?|zip|rar|7z|txt|jpe?g|png"
_SIZE = r"\d[\d\s\u00a0.,]*\s*(?:[kmg]i?b|bajt[óo]w|b)\b"
# "[pdf, 6 887KB]", "(pdf 1,2 MB)", "[pdf]", "(245 kB)", "[PDF, 3,12MB]"
_RE_ANNOTATION = re.compile(
    rf"\s*[\[(]\s*(?:(?:{_FORMATS})\b\.?\s*[,;:\-–]?\s*(?:{_SIZE})?|{_SIZE})\s*[\])]",
    re.IGNORECASE,
)
# "pdfogloszenie-5.pdf564.03 KB": the site glues format, file name and size together.
_RE_GLUED = re.compile(
    rf"^(?:{_FORMATS})(?P<name>\S+?\.(?:{_FORMATS}))\s*(?:{_SIZE})?$", re.IGNORECASE
)
_RE_TRAILING_SIZE = re.compile(rf"[\s,;:\-–]*(?:\b(?:{_FORMATS})\b[\s,]*)?{_SIZE}\s*$", re.I)
_RE_TRAILING_FORMAT = re.compile(rf"[\s,;:\-–]+\(?\b(?:{_FORMATS})\b\)?\s*$", re.IGNORECASE)
_RE_NUMBERING = re.compile(r"^\s*(?:\d{1,3}[.)]|[•·▪►*–-]|[a-z]\))\s+")
_RE_FILENAME = re.compile(rf"^[\w\-.()\[\] ]+\.(?:{_FORMATS})$", re.IGNORECASE)
_RE_SIZE_ONLY = re.compile(r"(?P<num>\d[\d\s\u00a0]*(?:[.,]\d+)?)\s*(?P<unit>[kmg]i?b)\b", re.I)
_QUOTES = "\"'„”“«»‚’"


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def clean_link_text(text: str) -> str:
    """A link text without size/format notes, list numbering, surrounding quotes or colons."""
    text = normalize_space(text)
    glued = _RE_GLUED.match(text)
    if glued:
        return glued.group("name")
    text = _RE_ANNOTATION.sub("", text)
    text = _RE_TRAILING_SIZE.sub("", text)
    text = _RE_TRAILING_FORMAT.sub("", text)
    text = _RE_NUMBERING.sub("", text)
    text = normalize_space(text).rstrip(":;,–- ").strip()
    if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def size_from_text(text: str) -> int | None:
    """Bytes of a printed size ("6 887KB", "564.03 KB", "3,12MB"), or None; 1 KB = 1024 B."""
    m = _RE_SIZE_ONLY.search(text.replace("\u00a0", " "))
    if not m:
        return None
    number = float(re.sub(r"\s", "", m.group("num")).replace(",", "."))
    power = {"k": 1, "m": 2, "g": 3}[m.group("unit")[0].lower()]
    return round(number * 1024**power)


def looks_like_filename(text: str) -> bool:
    return bool(_RE_FILENAME.match(text.strip())) and " " not in text.strip()


def humanize_filename(name: str) -> str:
    """ "ogloszenie-5.pdf" -> "Ogloszenie 5": the last resort for a title."""
    stem = PurePosixPath(unquote(name)).stem
    words = normalize_space(re.sub(r"[_\-+.]+", " ", stem))
    return words[:1].upper() + words[1:]


def filename_from_url(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name)


def is_generic_link_text(text: str, generic: Iterable[str]) -> bool:
    """True for texts that name an action, not a document ("pobierz", "więcej", "pdf")."""
    key = normalize_space(re.sub(r"[^\w\s]", " ", fold_key(text)))
    if len(key) < 3 or key.isdigit() or re.fullmatch(_FORMATS, key):
        return True
    return key in {normalize_space(re.sub(r"[^\w\s]", " ", fold_key(g))) for g in generic}


def repair_metadata_string(raw: str) -> str:
    """Undo the usual byte-level damage of PDF Info strings; returns its best readable form.

    - "b'...'" reprs and "þÿ"/"ÿþ" (a UTF-16 BOM read as Latin-1) followed by bytes;
    - UTF-16 without BOM read byte by byte ("\\x00O\\x00b...");
    - single-byte text decoded as UTF-16 ("䵩捲潳潦璮..." for "Microsoft®").
    """
    text = raw or ""
    if len(text) > 3 and text[:2] in ("b'", 'b"') and text[-1] == text[1]:
        try:
            value = ast.literal_eval(text)
        except (SyntaxError, ValueError):
            value = None
        if isinstance(value, bytes):
            text = value.decode("latin-1")
    if text[:2] in ("þÿ", "ÿþ"):
        body = text[2:]
        if "\x00" in body:
            data = body.encode("latin-1", "replace")
            text = data.decode("utf-16-be" if text[0] == "þ" else "utf-16-le", "replace")
        else:
            text = body  # iText wrote single-byte text after a UTF-16 BOM
    elif text.count("\x00") >= max(2, len(text) // 3):
        data = text.encode("latin-1", "replace")
        big_endian = data[:1] == b"\x00"
        text = data.decode("utf-16-be" if big_endian else "utf-16-le", "replace")
    elif _cjk_share(text) > 0.5:
        try:
            candidate = text.encode("utf-16-be").decode("cp1252")
        except (UnicodeEncodeError, UnicodeDecodeError):
            candidate = ""
        if candidate and _printable_share(candidate) > 0.95:
            text = candidate
    return normalize_space(text.replace("\x00", ""))


def _cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u3400" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af") / len(
        letters
    )


def _printable_share(text: str) -> float:
    return sum(1 for c in text if c.isprintable()) / max(1, len(text))


def _is_mojibake(text: str) -> bool:
    """UTF-8 bytes shown as Latin-1/CP1250 ("KsiÄ™ga", "KsiÄ\x99ga") round-trip into UTF-8."""
    if text.isascii():
        return False
    for codec in ("cp1252", "latin-1", "cp1250"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text:
            return True
    return False


def junk_title_why(title: str, patterns: Iterable[re.Pattern[str]]) -> Reason | None:
    """Why a PDF /Title cannot serve as a title, or None when it can."""
    if not title or not title.strip():
        return Reason("junk.empty")
    if any(unicodedata.category(c) == "Cc" for c in title):
        return Reason("junk.control")
    if title[:2] in ("þÿ", "ÿþ") or title.startswith(("b'", 'b"')):
        return Reason("junk.undecoded")
    if "\ufffd" in title:
        return Reason("junk.undecodable")
    if _cjk_share(title) > 0.3:
        return Reason("junk.wrong_encoding")
    if _is_mojibake(title):
        return Reason("junk.mojibake")
    stripped = title.strip()
    if looks_like_filename(stripped):
        return Reason("junk.file_name")
    if sum(c.isalpha() for c in stripped) < 3:
        return Reason("junk.too_short")
    for pattern in patterns:
        if pattern.search(stripped):
            return Reason("junk.pattern", {"pattern": pattern.pattern})
    return None


def junk_title_reason(title: str, patterns: Iterable[re.Pattern[str]]) -> str | None:
    """`junk_title_why` in English words."""
    why = junk_title_why(title, patterns)
    return why.text() if why else None


_RE_FOOTNOTE = re.compile(r"(?<=\w)\s?\d\)(?=\s|$)")
_RE_SPACED = re.compile(r"\b(?:\w ){2,}\w+\b")


def _unspace(line: str) -> str:
    """ "U S T AWA" -> "USTAWA": letter-spaced headings come out of extractors like this."""

    def join(m: re.Match[str]) -> str:
        tokens = m.group(0).split(" ")
        short = sum(1 for t in tokens if len(t) == 1)
        return "".join(tokens) if short >= len(tokens) - 1 and m.group(0).isupper() else m.group(0)

    return _RE_SPACED.sub(join, line)


def heading_from_page(
    text: str,
    skip: Iterable[re.Pattern[str]],
    stop: Iterable[re.Pattern[str]],
    max_chars: int = 200,
) -> str:
    """The first substantial lines of a page: the title of most covers and title pages."""
    skip, stop = tuple(skip), tuple(stop)
    parts: list[str] = []
    for raw in text.splitlines():
        line = normalize_space(_RE_FOOTNOTE.sub("", _unspace(normalize_space(raw))))
        if not line:
            if parts and sum(len(p) for p in parts) >= 20:
                break
            continue
        if parts and any(p.search(line) for p in stop):
            break
        if sum(c.isalpha() for c in line) < 3 or any(p.search(line) for p in skip):
            if parts and sum(len(p) for p in parts) >= 20:
                break
            continue
        if parts and len(line) > 120 and line.endswith("."):
            break  # a body paragraph, not part of the heading
        parts.append(line)
        if sum(len(p) + 1 for p in parts) >= max_chars:
            break
    heading = " ".join(parts)
    if len(heading) > max_chars:
        heading = heading[:max_chars].rsplit(" ", 1)[0] + "…"
    return heading
