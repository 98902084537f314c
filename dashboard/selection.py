"""The shared selection in French words: every active filter named, with its values.

Read by the line under each page title and its chips, the Excel exports and the
briefing; each filter reads as its declaration (`dashboard.filters`) says.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import i18n
from dashboard.filters import FILTERS, PERIOD, Filters
from dashboard.i18n import N_, _

EVERYTHING = N_("toutes les actions")


@dataclass(frozen=True)
class Criterion:
    """One active filter: its Filters field, its name and its values in words (`alone`: without its name)."""

    name: str
    label: str
    values: tuple[str, ...]
    alone: bool = False

    def text(self, limit: int | None = None) -> str:
        """`Régions : Afrique, Europe`; past `limit` values, `… et 3 autres`. A choice such as OPEX reads alone."""
        if self.alone:
            return self.values[0]
        return _("{label} : {values}").format(label=self.label, values=_joined(self.values, limit))


def _joined(values: tuple[str, ...], limit: int | None) -> str:
    if limit is None or len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + _(" et {n} autres").format(n=len(values) - limit)


def period(filters: Filters) -> str:
    """`du 1 janv. 2024 au 31 déc. 2024`, or `toute la période`."""
    return i18n.period(filters.start, filters.end)


def criteria(filters: Filters) -> list[Criterion]:
    """The active filters other than the period, in the sidebar's order."""
    found = []
    for declared in FILTERS:
        words = declared.described(getattr(filters, declared.name))
        if words:
            found.append(Criterion(declared.name, _(declared.label), words, declared.alone))
    return found


def describe(filters: Filters, *, limit: int | None = 4) -> str:
    """The selection in one line: the period, then every active filter with its values.

    `du 1 janv. 2024 au 31 déc. 2024 · Régions : Afrique · Modes d'action : Formation, Conseil · hors OPEX`.
    A filter with more than `limit` values names the first ones and counts the rest (None: all of them).
    """
    return " · ".join([period(filters), *(c.text(limit) for c in criteria(filters))])


def rows(filters: Filters) -> list[tuple[str, str]]:
    """The selection as (name, values) rows for a table: the period, then each active filter in full."""
    found = [(_(PERIOD.label), period(filters))]
    found += [(c.label, _joined(c.values, None)) for c in criteria(filters)]
    if len(found) == 1:
        found.append((_("Filtres"), _(EVERYTHING)))
    return found
