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

from kooperacja.i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    format_number,
    locale_language,
    translations,
)

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


def test_format_number_agrees_with_babel():
    from babel.numbers import format_decimal

    for lang in LANGUAGES:
        for value in (0, 7, 999, 1000, 9999, 10_000, 123_456, 20_000_000, -12_345):
            assert format_number(value, lang) == format_decimal(value, locale=lang), (lang, value)


def cli_in(lang_env: str, web_archive, *args: str):
    from click.testing import CliRunner

    from kooperacja.cli import cli

    result = CliRunner(env={"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None,
                            "LANG": lang_env}).invoke(
        cli, ["--config", str(web_archive.config_path), *args]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result


def test_search_and_show_follow_the_locale(web_archive):
    report = web_archive.ids["report"]
    polish = cli_in("pl_PL.UTF-8", web_archive, "search", "pilotażu").stdout
    english = cli_in("en_GB.UTF-8", web_archive, "search", "pilotażu").stdout
    assert "dla: pilotażu" in polish and "[USUNIĘTY ZE STRONY]" in polish
    assert "Sprawozdanie z pilotażu" in polish  # the type's label
    assert "for: pilotażu" in english and "[REMOVED FROM THE SITE]" in english
    assert "Pilot report" in english
    assert "s. " in polish and "page " in english
    shown_pl = cli_in("C.UTF-8", web_archive, "show", report).stdout  # no language: Polish
    shown_en = cli_in("en_US.UTF-8", web_archive, "show", report).stdout
    assert "Tytuł: " in shown_pl and "usunięty ze strony (gone)" in shown_pl
    assert "Title: " in shown_en and "removed from the site (gone)" in shown_en
    page = cli_in("en_US.UTF-8", web_archive, "show", report, "--page", "1")
    assert "page 1 of 2" in page.stderr
    page = cli_in("pl_PL.UTF-8", web_archive, "show", report, "--page", "1")
    assert "strona 1 z 2" in page.stderr
    nothing = cli_in("pl_PL.UTF-8", web_archive, "search", "xyzzyqq").stdout
    assert nothing.startswith("Brak wyników dla: xyzzyqq")


def test_export_labels_follow_the_locale(web_archive, tmp_path):
    import io

    from openpyxl import load_workbook

    for env, label, type_name, summary in (
        ("pl_PL.UTF-8", "Tytuł", "Rekomendacje", "Rodzaj: "),
        ("en_GB.UTF-8", "Title", "Recommendations", "Type: "),
    ):
        out = tmp_path / f"{env}.xlsx"
        cli_in(env, web_archive, "export", "--format", "xlsx", "--output", str(out))
        fields = {r[0]: r[1] for r in load_workbook(out)["Pola"].iter_rows(values_only=True)}
        assert fields["title"] == label
        atom = cli_in(env, web_archive, "export", "--format", "atom").stdout
        assert f'label="{type_name}"' in atom and f"<summary type=\"text\">{summary}" in atom
        html = cli_in(env, web_archive, "export", "--format", "html").stdout
        assert f">{label}</th>" in html and type_name in html
    web_xlsx = web_archive.get("/export/xlsx", params={"lang": "en"}).content
    sheet = load_workbook(io.BytesIO(web_xlsx))["Pola"]
    assert {r[0]: r[1] for r in sheet.iter_rows(values_only=True)}["title"] == "Title"


def test_no_shipped_catalogue_has_a_fuzzy_entry():
    """A fuzzy entry is left out of the compiled .mo: its message would show in English."""
    shipped = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    assert {p.parts[-3] for p in shipped} >= set(LANGUAGES)
    for path in shipped:
        with open(path, "rb") as fh:
            po = read_po(fh)
        fuzzy = [m.id for m in po if m.id and m.fuzzy]
        assert not fuzzy, f"{path}: fuzzy entries {fuzzy}: translate them and drop the flag"


def test_every_reason_message_has_a_polish_translation_with_its_parameters():
    import string

    from kooperacja.models import REASON_MESSAGES

    pl = translations("pl")
    for code, message in REASON_MESSAGES.items():
        polish = pl.gettext(message)
        assert polish != message or message in ("PDF", "override"), code
        wanted = {f for _, f, _, _ in string.Formatter().parse(message) if f}
        used = {f for _, f, _, _ in string.Formatter().parse(polish) if f}
        # The Polish text may write a date from its ISO form ("when") instead of the header.
        assert used <= wanted | {"when"}, (code, used - wanted)


def test_every_template_message_survives_jinjas_percent_formatting():
    """Jinja's newstyle gettext formats each message with `%` (autoescaped, as the page is): a
    bare '%' in a template's message or its translation is an error on every page showing it
    (a scan's "OCR confidence 87%" was, once)."""
    import re

    from markupsafe import Markup

    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    ids = {
        message[0] if isinstance(message, tuple) else message
        for file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
        if file.endswith(".html")
    }
    assert "OCR confidence {percent}" in ids
    polish = {m.id[0] if isinstance(m.id, tuple) else m.id: m.string for m in catalogue("pl")}
    for msgid in sorted(ids):
        texts = polish.get(msgid) or ""
        for text in (msgid, *(texts if isinstance(texts, tuple) else (texts,))):
            variables = {name: "1" for name in re.findall(r"%\((\w+)\)", text)}
            try:
                Markup(text) % variables
            except (ValueError, TypeError, KeyError) as exc:
                pytest.fail(f"{text!r}: {exc} (write a literal % as %% or pass it as a value)")


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_pages_gettext_gives_what_jinjas_own_gives(lang):
    """web.formatting.template_gettext (each translation made once) against Jinja's newstyle
    gettext, for every message of the templates, with and without values to fill in (escaped:
    a value may come from the query)."""
    import re

    from jinja2 import Environment

    from kooperacja.i18n import translations
    from kooperacja.web.formatting import template_gettext

    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)
    ours = template_gettext(translations(lang).gettext)
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    ids = {
        message
        for file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
        if file.endswith(".html") and isinstance(message, str)
    }
    assert len(ids) > 50
    jinjas = env.from_string("{{ _(message, **values) }}")
    for message in sorted(ids):
        values = {name: '<b>"1"</b>' for name in re.findall(r"%\((\w+)\)", message)}
        for _ in range(2):  # the second time from what the first made
            assert str(ours(message, **values)) == jinjas.render(message=message, values=values)
