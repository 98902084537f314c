"""French formatting of numbers, changes and dates."""

import datetime as dt

from dashboard import i18n

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
