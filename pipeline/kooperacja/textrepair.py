"""Text repair before indexing (placeholder; the full version lands from the search branch)."""

from __future__ import annotations

import unicodedata


def repair_page_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\ufffe\r\n", "").replace("\ufffe\n", "")
    return text.replace("\r\n", "\n").replace("\u00ad", "")


def strip_repeated_margins(pages: list[str]) -> list[str]:
    return list(pages)
