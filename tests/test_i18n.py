"""The gettext catalogues: every message of the code and templates is in Polish, the committed
.mo files say what their .po files say, and the command line follows the locale."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kooperacja.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, locale_language, translations

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extracted_ids() -> set[str]:
    """Message ids of the code and templates, found with the mapping `make translations` uses."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {
        message[0] if isinstance(message, tuple) else message
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
    }
    assert "Search the archive" in found and "%(num)s document found" in found
    return found


def catalogue(lang: str):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as fh:
        return read_po(fh, locale=lang)


def test_every_message_is_translated_to_polish():
    po = catalogue("pl")
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in po
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = extracted_ids() - translated
    assert not missing, f"run 'make translations' and translate: {sorted(missing)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_committed_mo_matches_its_po(lang):
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(lang))
    buffer.seek(0)
    from_po = gettext.GNUTranslations(buffer)._catalog  # type: ignore[attr-defined]
    mo_path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with open(mo_path, "rb") as fh:
        committed = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    assert committed == from_po, f"{mo_path} is stale: run 'make translations'"


def test_polish_plurals_and_the_locale():
    pl = translations("pl")
    forms = [pl.ngettext("%(num)s document", "%(num)s documents", n) for n in (1, 3, 5, 22, 112)]
    assert forms == ["%(num)s dokument", "%(num)s dokumenty", "%(num)s dokumentów",
                     "%(num)s dokumenty", "%(num)s dokumentów"]  # fmt: skip
    assert translations("en").gettext("Search") == "Search"
    assert locale_language({"LANG": "pl_PL.UTF-8"}) == "pl"
    assert locale_language({"LANG": "en_GB.UTF-8"}) == "en"
    assert locale_language({"LANG": "pl_PL.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}) == "en"
    assert locale_language({"LC_ALL": "pl_PL.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}) == "pl"
    assert locale_language({"LANGUAGE": "en:pl", "LANG": "pl_PL.UTF-8"}) == "en"
    assert locale_language({"LANG": "C.UTF-8"}) == "pl"  # no language of ours: Polish staff
    assert locale_language({}) == "pl"
