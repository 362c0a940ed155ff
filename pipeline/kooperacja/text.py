"""Polish text basics: letters, diacritic folding, hyphens, words, stop words.

The one home for what the program means by a Polish letter, a word, a hyphen and a folded form:
tagging, dates, titles, text repair, harvest and search all take them from here, so a word typed
without Polish letters meets the same word in a document whichever room looks at it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import NamedTuple

# --- letters and folding -----------------------------------------------------------------------

POLISH_LETTERS = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# NFKD does not decompose ł/Ł, so the folding table is explicit; it keeps case and length, so
# offsets into a folded text are offsets into the original.
_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def fold(text: str) -> str:
    """Strip Polish diacritics: ą→a … ż→z, upper case too; case and length are kept."""
    # Plain ASCII has nothing to strip, and `translate` costs a microsecond a word even then.
    return text if text.isascii() else text.translate(_FOLD)


def fold_key(text: str) -> str:
    """The form two texts are compared by: lower case, Polish diacritics folded."""
    return fold(text.lower())


def has_polish_letters(text: str) -> bool:
    return any(ch in POLISH_LETTERS for ch in text)


def count_polish_letters(text: str) -> int:
    return sum(ch in POLISH_LETTERS for ch in text)


def normalise(text: str) -> str:
    """NFC: a letter with its accent as one character, as typed and as most PDFs give it."""
    return unicodedata.normalize("NFC", text)


# --- hyphens -----------------------------------------------------------------------------------

# A hyphen joins a compound ("miejsko-wiejskie"); dashes (– —) separate and are not hyphens.
HYPHENS = "-\u2010\u2011"  # hyphen-minus, Unicode hyphen, non-breaking hyphen
SOFT_HYPHEN = "\u00ad"  # an invisible break point: never part of a word
_TO_ASCII_HYPHEN = str.maketrans({"\u2010": "-", "\u2011": "-"})


def ascii_hyphens(text: str) -> str:
    """Every hyphen written as "-"."""
    return text.translate(_TO_ASCII_HYPHEN)


# Adverbial first parts of Polish compound adjectives ("miejsko-wiejski", "społeczno-zawodowy"):
# a hyphen after them is part of the compound, even at a line end.
_COMPOUND_PREFIX_TEXT = """
    miejsko wiejsko społeczno spoleczno gospodarczo prawno ekonomiczno polityczno
    organizacyjno finansowo techniczno naukowo edukacyjno wychowawczo opiekuńczo
    opiekunczo zdrowotno medyczno psychologiczno pedagogiczno terapeutyczno rewalidacyjno
    kulturalno kulturowo zawodowo rodzinno środowiskowo srodowiskowo administracyjno
    instytucjonalno informacyjno szkoleniowo badawczo dydaktyczno sportowo rekreacyjno
    turystyczno historyczno geograficzno przyrodniczo humanistyczno matematyczno
    biało czerwono polsko niemiecko angielsko europejsko międzynarodowo
    krajowo regionalno lokalno powiatowo gminno wojewódzko centralno państwowo
    publiczno prywatno cywilno karno handlowo budowlano mieszkaniowo transportowo
    komunikacyjno energetyczno informatyczno teleinformatyczno kontrolno nadzorczo
    ratowniczo gaśniczo porządkowo sanitarno epidemiologiczno psychiczno fizyczno
    psychofizyczno emocjonalno moralno etyczno religijno narodowo etniczno językowo
"""
COMPOUND_PREFIXES = frozenset(_COMPOUND_PREFIX_TEXT.split())

# --- words -------------------------------------------------------------------------------------

# Letters and digits; a hyphen (not a dash) inside joins a compound.
WORD = re.compile(rf"[^\W_]+(?:[{HYPHENS}][^\W_]+)*")


class Token(NamedTuple):
    """One word of a text: lowercased form plus its compound parts, with character offsets.

    A NamedTuple, not a frozen dataclass: snippets tokenize ~10,000 words per search and a
    frozen dataclass costs 5 times as much to create."""

    form: str  # lowercased, NFC, hyphens normalised to "-"
    parts: tuple[str, ...]  # parts of a hyphenated compound ("miejsko", "wiejskich"); () if none
    start: int
    end: int


def tokenize(text: str) -> Iterator[Token]:
    """Words of `text` in order; offsets refer to `text` as given (it should already be NFC)."""
    for match in WORD.finditer(text):
        form = ascii_hyphens(match.group().lower())
        parts = tuple(p for p in form.split("-") if p) if "-" in form else ()
        yield Token(form, parts, match.start(), match.end())


def words(text: str) -> list[str]:
    """The lowercased word forms of `text`, in order."""
    return [t.form for t in tokenize(text)]


# --- stop words --------------------------------------------------------------------------------

# Frequent Polish function words: they carry no topic and only make posting lists long.
_STOP_TEXT = """
    a aby ach acz aczkolwiek aj albo ale ani aż bardziej bardzo bez bo bowiem by byli bym
    być był była było były będzie będą ci cię ciebie co czy czyli często dla do dokąd dość
    dużo gdy gdyż gdzie go i ich im inne iż ja jak jaka jaki jakie jako je jeden jedna jego
    jej jemu jest jestem jeszcze jeśli jeżeli już ją każdy kiedy kto która które którego
    której który których którym którzy ku lub ma mają mi mnie mogą może można mu my na nad
    nam nas naszego naszych nawet nich nie nią niego niej niemu nigdy nim niż no o obok od
    około on ona one oni ono oraz oto owszem pan po pod podczas pomimo ponad ponieważ przed
    przede przez przy sam się skąd sobie sposób swoje są ta tak taki takie także tam te tego
    tej ten teraz też to tobie tu tutaj twoje ty tych tylko tym u w we wie więc wszystko
    wszystkich wszystkie wtedy z za zaś ze że żeby
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())


def is_stop(form: str) -> bool:
    return form in STOP_WORDS


# The words that tell a text's language: each language's most frequent short words. The Polish
# ones are stop words too, but only those frequent enough to count in a page of text and not
# also common English or German words ("a", "on", "no", "ja", "we" are); plus "został".
_CUE_TEXT = {
    "pl": """i w z na się do nie że jest oraz dla to od przez po jak ze są lub co tym tego które
             który która przy także jego jej ich być został została będzie""",
    "en": "the and of to is for on that with as are by this be from or was were which",
    "de": "der die und den von zu das mit sich des auf für ist im dem nicht ein",
}
LANGUAGE_CUES: Mapping[str, frozenset[str]] = {
    lang: frozenset(text.split()) for lang, text in _CUE_TEXT.items()
}


def ascii_slug(text: str, max_len: int = 60) -> str:
    """ "Księga rekomendacyjna – całość" -> "ksiega-rekomendacyjna-calosc" (file-name safe)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold_key(text)).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug


def ascii_digits(text: str) -> bool:
    """Whether `text` is a number written with 0-9 only: `str.isdigit` also accepts "²" and "①",
    which `int` refuses."""
    return text.isascii() and text.isdigit()
