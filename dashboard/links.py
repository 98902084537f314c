"""The values of a shared link: language-neutral spellings, and those the dashboard cannot use.

A link writes each filter value as a code or a stable slug (`?pays=SEN&mode=accompagnement-au-combat`),
the same whatever the interface's language; it still reads the labels older links wrote
(`?pays=Sénégal`), in French or in English. The values no filter accepts (`?pays=Atlantide`, a period
in 2030) are named so the page can say they were ignored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dashboard import i18n
from dashboard.i18n import N_, _

# Why a link's value is left out, in the page's words.
UNREADABLE_DAY = N_("date illisible (attendu AAAA-MM-JJ)")
OUTSIDE_PERIOD = N_("hors des dates possibles ({period})")
UNKNOWN_VALUE = N_("valeur inconnue")


def slug(text: str) -> str:
    """`Accompagnement au combat` -> `accompagnement-au-combat`: ASCII, lower case, words joined by dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def spellings(names: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Every spelling a link may use (by its slug) -> the code: `names` gives each code's names (its
    labels in every language). A code's own slug wins over another code's label."""
    found: dict[str, str] = {}
    for code, labels in names.items():
        for label in labels:
            found.setdefault(slug(label), code)
    found.update({slug(code): code for code in names})
    return found


def resolve(value: str, accepted: Mapping[str, str]) -> str | None:
    """The code a link's value stands for (`Sénégal`, `senegal`, `SEN` -> `SEN`); None when unknown."""
    return accepted.get(slug(value))


@dataclass(frozen=True)
class Ignored:
    """A value of the link left out: the filter's name, the value as written, and why."""

    label: str
    value: str
    reason: str

    def text(self) -> str:
        return _("{filter} « {value} » : {reason}").format(filter=self.label, value=self.value, reason=self.reason)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def ignored(
    params: Mapping[str, Sequence[str]],
    choices: Mapping[str, Mapping[str, str]],
    labels: Mapping[str, str],
    *,
    period: str,
    limits: tuple[dt.date, dt.date],
) -> list[Ignored]:
    """Every value of `params` (URL name -> values) that its filter does not accept, with its reason in the
    language of the run.

    `choices` gives the spellings each list filter accepts (`spellings`), `labels` the filters' names; the values of the
    `period` parameter must be days (AAAA-MM-JJ) between `limits`. Parameters of no filter are left alone.
    """
    found: list[Ignored] = []
    for name, values in params.items():
        label = labels.get(name, name)
        if name == period:
            for value in values:
                day = _day(value)
                if day is None:
                    found.append(Ignored(label, value, _(UNREADABLE_DAY)))
                elif not limits[0] <= day <= limits[1]:
                    found.append(Ignored(label, value, _(OUTSIDE_PERIOD).format(period=i18n.period(*limits))))
        elif name in choices:
            accepted = choices[name]
            found += [Ignored(label, v, _(UNKNOWN_VALUE)) for v in values if resolve(v, accepted) is None]
    return found


@dataclass(frozen=True)
class Views:
    """A page's views (its tabs) as a link names them: a stable code each (`?vue=facteurs-par-region`), the same
    in every language. A link still opens its view by the view's label, in French (older links wrote it:
    `?vue=Facteurs par région`) or in English."""

    labels: Mapping[str, str]  # code -> French label, in the order the page shows them

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, code: str) -> str:
        """The view's label in the language of the run."""
        return _(self.labels[code])

    def code(self, value: str | None) -> str | None:
        """The view a link's value names (code or label, any language); None when it names none."""
        if not value:
            return None
        names = {code: (french, i18n.translate(french, "en")) for code, french in self.labels.items()}
        return resolve(value, spellings(names))
