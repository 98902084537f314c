"""French formatting of numbers, dates and changes (Babel, CLDR rules)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

# What a table shows for a missing value (never "None" or "nan").
MISSING = "—"

LOCALE = "fr_FR"


def number(value: float | int | None, decimals: int = 0) -> str:
    """`1 234,5` (French grouping and decimal comma); a dash for no value."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    return format_percent(value, format=pattern, locale=LOCALE)


def change(current: float, previous: float | None) -> str | None:
    """Relative change as `+12,5 %`; None when there is nothing to compare with."""
    if previous is None or previous == 0:
        return None
    ratio = (current - previous) / previous
    sign = "+" if ratio > 0 else ""
    return sign + percent(ratio)


def date(value: dt.date | None) -> str:
    """`21 nov. 2026`."""
    if value is None:
        return "–"
    return format_date(value, "d MMM y", locale="fr")


def month(value: dt.date) -> str:
    """`mars 2024`."""
    return format_date(value, "MMMM y", locale="fr")


def period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "toute la période"
    return f"du {date(start)} au {date(end)}"
