"""Document type names as staff type them: the stable codes and their Polish names."""

from __future__ import annotations

from .models import DOCUMENT_TYPES
from .text import fold

# Polish names (singular, plural, short), compared lowercased and without Polish letters.
_ALIASES: dict[str, tuple[str, ...]] = {
    "model": ("model", "modele", "modelu", "model kooperacji"),
    "model-summary": ("skrot", "skroty", "wersja skrocona", "streszczenie", "model-skrot"),
    "pilot-report": ("sprawozdanie", "sprawozdania", "raport z pilotazu", "pilotaz"),
    "recommendations": ("rekomendacje", "rekomendacja", "ksiega", "ksiega rekomendacyjna"),
    "presentation": ("prezentacja", "prezentacje", "slajdy"),
    "research": ("badania", "badanie", "diagnoza", "diagnozy", "raport", "raporty"),
    "news": ("aktualnosci", "aktualnosc", "wiadomosci", "wiadomosc", "strona", "strony"),
    "video": ("film", "filmy", "wideo", "nagranie"),
    "other": ("inne", "inny", "pozostale"),
}
_BY_NAME = {alias: code for code, aliases in _ALIASES.items() for alias in aliases} | {
    code: code for code in DOCUMENT_TYPES
}


def resolve_type(name: str) -> str | None:
    """The type code for a code or a Polish name (`rekomendacje` → `recommendations`)."""
    code = _BY_NAME.get(fold(" ".join(name.lower().replace("_", " ").split())))
    return code if code in DOCUMENT_TYPES else None


def type_names_help() -> str:
    return ", ".join(f"{code} ({_ALIASES[code][0]})" for code in DOCUMENT_TYPES if code in _ALIASES)
