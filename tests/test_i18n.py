"""Numbers, changes and dates in each language; the English catalogue complete and compiled."""

import datetime as dt
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from dashboard import i18n

ROOT = Path(__file__).resolve().parent.parent

NNBSP = "\u202f"  # the narrow no-break space French typography puts between thousands


def test_numbers_use_space_grouping_and_decimal_comma():
    assert i18n.number(1234.5, 1) == f"1{NNBSP}234,5"
    assert i18n.number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert i18n.number(0) == "0"
    assert i18n.number(None) == "–"


def _spaces(text: str) -> str:
    return text.replace(NNBSP, " ").replace("\u00a0", " ")


def test_change_is_signed_and_absent_without_a_base():
    assert _spaces(i18n.change(110, 100)) == "+10,0 %"
    assert _spaces(i18n.change(90, 100)) == "-10,0 %"
    assert i18n.change(5, 0) is None
    assert i18n.change(5, None) is None


def test_dates_in_french():
    assert i18n.date(dt.date(2026, 11, 21)) == "21 nov. 2026"
    assert i18n.period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == "du 1 janv. 2024 au 31 déc. 2024"
    assert i18n.period(None, None) == "toute la période"
    assert i18n.short_month(dt.date(2026, 12, 1)) == "déc. 2026"


def test_numbers_and_dates_follow_the_language():
    with i18n.using("en"):
        assert i18n.number(1234.5, 1) == "1,234.5"
        assert i18n.change(110, 100) == "+10.0%"
        assert i18n.date(dt.date(2026, 11, 21)) == "21 Nov 2026"
        assert i18n.month(dt.date(2024, 3, 1)) == "March 2024"
        assert i18n.short_month(dt.date(2026, 12, 1)) == "Dec 2026"
        assert i18n.period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == "from 1 Jan 2024 to 31 Dec 2024"
        assert i18n._("Filtres") == "Filters"
    assert i18n._("Filtres") == "Filtres", "French is the source"


def _catalogue():
    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale="en")


def test_every_message_of_the_code_is_in_the_catalogue_and_translated():
    """Extracted as scripts/translations.sh does: a message added to the code and not yet translated fails here."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT), method_map, options_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        )
    }
    catalogue = _catalogue()
    ids = {m.id for m in catalogue if m.id}
    assert found, "the extraction finds the messages"
    assert not found - ids, "run scripts/translations.sh: messages missing from the catalogue"
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]
    assert untranslated == []


def test_the_compiled_catalogue_is_the_source_compiled():
    """The .mo the dashboard loads says what the .po says (run scripts/translations.sh after editing it)."""
    compiled = i18n._translations("en")
    for message in _catalogue():
        if message.id and isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, message.id


def test_a_deferred_function_runs_in_the_language_of_the_run_that_made_it():
    from concurrent.futures import ThreadPoolExecutor

    with i18n.using("en"):
        later = i18n.bound(lambda: (i18n._("Filtres"), i18n.number(1234.5, 1)))
    # Called on the click, in another thread, where the language is the default.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(later).result() == ("Filters", "1,234.5")
        assert pool.submit(i18n.language).result() == "fr"
