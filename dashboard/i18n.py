"""The interface's language: gettext messages (French source, English catalogue) and Babel formatting.

The messages are written in French in the code, wrapped in `_()`; `dashboard/locale/en/LC_MESSAGES/messages.po`
holds their English translation, managed with Babel (`scripts/translations.sh`: extract, update, compile).
The language of a run is set once, at its start (`use`), by the entry script; numbers and dates then follow
it through Babel's CLDR rules (`1 234,5` and `21 nov. 2026` in French, `1,234.5` and `21 Nov 2026` in English).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

Lang = Literal["fr", "en"]
T = TypeVar("T")
LANGUAGES: tuple[Lang, ...] = ("fr", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# Babel locales for the formatting of each language.
_LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en"}

# What a table shows for a missing value (never "None" or "nan").
MISSING = "—"

_current: ContextVar[Lang] = ContextVar("pmo_language", default="fr")


def use(lang: str) -> Lang:
    """Make `lang` the language of what this run (this thread) shows; an unknown language is French."""
    chosen: Lang = "en" if lang == "en" else "fr"
    _current.set(chosen)
    return chosen


def language() -> Lang:
    return _current.get()


@cache
def _translations(lang: Lang) -> NullTranslations:
    if lang == "fr":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)


def _(message: str) -> str:
    """`message` (French) in the language of the run."""
    return _translations(language()).gettext(message)


def translate(message: str, lang: str) -> str:
    """`message` (French) in `lang`, whatever the language of the run (an unknown language is French)."""
    return _translations("en" if lang == "en" else "fr").gettext(message)


def N_(message: str) -> str:
    """Mark a French message for the catalogue where it is declared (a constant); `_()` translates it where shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(language()).ngettext(singular, plural, n)


def _locale() -> str:
    return _LOCALES[language()]


def number(value: float | int | None, decimals: int = 0) -> str:
    """`1 234,5` in French, `1,234.5` in English; a dash for no value."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale())


def percent(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + (" %" if language() == "fr" else "%")
    return format_percent(value, format=pattern, locale=_locale())


def change(current: float, previous: float | None) -> str | None:
    """Relative change as `+12,5 %` (`+12.5%`); None when there is nothing to compare with."""
    if previous is None or previous == 0:
        return None
    ratio = (current - previous) / previous
    sign = "+" if ratio > 0 else ""
    return sign + percent(ratio)


def date(value: dt.date | None) -> str:
    """`21 nov. 2026`, `21 Nov 2026`."""
    if value is None:
        return "–"
    return format_date(value, "d MMM y", locale=_locale())


def month(value: dt.date) -> str:
    """`mars 2024`, `March 2024`."""
    return format_date(value, "MMMM y", locale=_locale())


def short_month(value: dt.date) -> str:
    """`déc. 2026`, `Dec 2026`: twelve of them fit side by side on an axis."""
    return format_date(value, "MMM y", locale=_locale())


def period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return _("toute la période")
    return _("du {start} au {end}").format(start=date(start), end=date(end))


@contextmanager
def using(lang: str) -> Iterator[Lang]:
    """`lang` as the language of what is made inside the block (a file written for a run in another language)."""
    token = _current.set("en" if lang == "en" else "fr")
    try:
        yield language()
    finally:
        _current.reset(token)


def bound(function: Callable[[], T]) -> Callable[[], T]:
    """`function`, to be called later and elsewhere, in the language of this run: a deferred download runs
    in one of the server's worker threads, whose language is the default one."""
    lang = language()

    def in_language() -> T:
        with using(lang):
            return function()

    return in_language
