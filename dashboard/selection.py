"""The shared selection in French words: every active filter named, with its values.

One declaration of the filters' names, read by the sidebar widgets, the line
under each page title, the Excel exports and the briefing.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import i18n
from dashboard.i18n import N_, _
from dashboard.query import Filters
from dashboard.reference import country_name
from dashboard.schema import (
    ACTION_STATES,
    FORCES,
    FRAMEWORKS,
    MODES,
    PILLARS,
    STRATEGIC_FUNCTIONS,
    SUPERIORITY_FACTORS,
    Taxonomy,
)

# Filters field -> its name, as the sidebar labels it; in the order the sidebar shows them.
LABELS: dict[str, str] = {
    "period": N_("Période"),
    "regions": N_("Régions"),
    "countries": N_("Pays partenaires"),
    "statuses": N_("Statut des actions"),
    "modes": N_("Modes d'action"),
    "functions": N_("Fonctions stratégiques"),
    "factors": N_("Facteurs de supériorité opérationnelle"),
    "pillars": N_("Piliers"),
    "frameworks": N_("Cadres"),
    "forces": N_("Dispositifs"),
    "opex": N_("OPEX"),
}


def label(name: str) -> str:
    """The name of the filter `name` in the language of the run."""
    return _(LABELS[name])


# Filters on a taxonomy: their values are codes shown by the taxonomy's labels.
TAXONOMY_FILTERS: dict[str, Taxonomy] = {
    "modes": MODES,
    "functions": STRATEGIC_FUNCTIONS,
    "factors": SUPERIORITY_FACTORS,
    "pillars": PILLARS,
    "frameworks": FRAMEWORKS,
    "forces": FORCES,
}
# The OPEX choice as the sidebar offers it, and in words.
OPEX_OPTIONS: dict[str, bool] = {N_("OPEX"): True, N_("Hors OPEX"): False}
_OPEX_WORDS = {True: N_("en OPEX seulement"), False: N_("hors OPEX")}
EVERYTHING = N_("toutes les actions")


@dataclass(frozen=True)
class Criterion:
    """One active filter: its Filters field, its name and its values in words."""

    name: str
    label: str
    values: tuple[str, ...]

    def text(self, limit: int | None = None) -> str:
        """`Régions : Afrique, Europe`; past `limit` values, `… et 3 autres`. The OPEX choice reads alone."""
        if self.name == "opex":
            return self.values[0]
        return _("{label} : {values}").format(label=self.label, values=_joined(self.values, limit))


def _joined(values: tuple[str, ...], limit: int | None) -> str:
    if limit is None or len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + _(" et {n} autres").format(n=len(values) - limit)


def value_label(name: str, value: str) -> str:
    """One value of the filter `name` in words (a country's French name, a category's label)."""
    if name == "countries":
        return country_name(value, i18n.language())
    if name == "regions":
        return _(value)
    taxonomy = ACTION_STATES if name == "statuses" else TAXONOMY_FILTERS.get(name)
    if taxonomy is not None and value in taxonomy.codes:
        return taxonomy.label(value, i18n.language())
    return str(value)


def period(filters: Filters) -> str:
    """`du 1 janv. 2024 au 31 déc. 2024`, or `toute la période`."""
    return i18n.period(filters.start, filters.end)


def criteria(filters: Filters) -> list[Criterion]:
    """The active filters other than the period, in the sidebar's order."""
    found = []
    for name in LABELS:
        if name == "period":
            continue
        value = getattr(filters, name)
        if name == "opex":
            if value is not None:
                found.append(Criterion(name, label(name), (_(_OPEX_WORDS[bool(value)]),)))
        elif value:
            found.append(Criterion(name, label(name), tuple(value_label(name, v) for v in value)))
    return found


def describe(filters: Filters, *, limit: int | None = 4) -> str:
    """The selection in one line: the period, then every active filter with its values.

    `du 1 janv. 2024 au 31 déc. 2024 · Régions : Afrique · Modes d'action : Formation, Conseil · hors OPEX`.
    A filter with more than `limit` values names the first ones and counts the rest (None: all of them).
    """
    return " · ".join([period(filters), *(c.text(limit) for c in criteria(filters))])


def rows(filters: Filters) -> list[tuple[str, str]]:
    """The selection as (name, values) rows for a table: the period, then each active filter in full."""
    found = [(label("period"), period(filters))]
    found += [(c.label, _joined(c.values, None)) for c in criteria(filters)]
    if len(found) == 1:
        found.append((_("Filtres"), _(EVERYTHING)))
    return found
