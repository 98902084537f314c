"""The shared filters, each declared once, as a field of `Filters` with its declaration.

A declaration gives the filter's widget key and URL parameter, how a link writes and reads its values, its
name in the catalogue, its options, how it narrows the actions and how its values read in words. The query
(`where_clause`), the sidebar and the link (`ui/filters`) and the selection in words (`selection`) all loop
over `FILTERS`: adding a filter is adding one field here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

from dashboard import i18n, links, reference
from dashboard.i18n import N_, Lang, _
from dashboard.schema import (
    ACTION_STATES,
    FORCES,
    FRAMEWORKS,
    MODES,
    PILLARS,
    PLANNED,
    REALISED,
    REGIONS,
    STRATEGIC_FUNCTIONS,
    SUPERIORITY_FACTORS,
    Taxonomy,
    today,
)

# Adds a value to a query's parameters and gives its number.
Param = Callable[[object], str]

DEFAULT_STATES: tuple[str, ...] = (REALISED,)
IN_PROGRESS = "en cours"
# Every shown status: a selection with all of them has no status condition at all.
ALL_STATES: tuple[str, ...] = ACTION_STATES.codes

# The sidebar's group of the filters on doctrine, framework and force.
DOCTRINE = N_("Doctrine, cadre et dispositif")


# Compared and hashed by identity: each is declared once.
@dataclass(frozen=True, eq=False)
class Filter:
    """A filter on a list of values: a list to choose from in the sidebar, none chosen meaning every value."""

    # The widget's key and the link's parameter: never change it, links in the field use it.
    param: str
    # The filter's name, in French (`N_`), translated where shown.
    label: str
    # What its values are, for their words (`reference.label`): a taxonomy's name, `region` or `country_iso3`.
    dimension: str
    # The SQL condition on `actions` for the filter's value in `Filters` (None: no condition).
    where: Callable[[Any, Param], str | None]
    # The options, when fixed; else those of `column` present in the actions, by French name.
    codes: tuple[str, ...] = ()
    column: str | None = None
    # One value as a link writes it.
    link: Callable[[str], str] = links.slug
    placeholder: str = N_("Tous")
    # The widget's help (`N_`); without it, the acronyms its options use.
    help: str | None = None
    # The sidebar's group of filters it belongs to (`N_`), drawn folded unless one of them is set.
    group: str | None = None
    # The field of `Filters`, given by `FILTERS`.
    name: str = ""

    empty: ClassVar[object] = ()
    # Reads alone in the selection line, without the filter's name.
    alone: ClassVar[bool] = False

    def options(self) -> tuple[str, ...]:
        return self.codes

    def words(self, code: str, lang: Lang) -> str:
        """One value in words in `lang`."""
        return reference.label(self.dimension, code, lang)

    def names(self, code: str) -> tuple[str, ...]:
        """The words of one value in every language, as links may write them."""
        return tuple(dict.fromkeys(self.words(code, lang) for lang in i18n.LANGUAGES))

    def value(self, state: object) -> Any:
        """The value in `Filters` of the widget's `state`."""
        return tuple(state) if isinstance(state, list | tuple) else ()

    def state(self, codes: Sequence[str]) -> object:
        """The widget's state for the values a link brings."""
        return list(codes)

    def chosen(self, state: object) -> list[str]:
        """The values of the widget's `state`, as a link lists them."""
        return list(state) if isinstance(state, list | tuple) else []

    def cleared(self) -> object:
        """The widget's state with nothing chosen."""
        return []

    def described(self, value: Any) -> tuple[str, ...]:
        """Its value in `Filters` in words, in the language of the run; empty when it does not narrow."""
        return tuple(self.words(code, i18n.language()) for code in value or ())

    def help_text(self) -> str | None:
        return _(self.help) if self.help else reference.acronyms(self.options())


@dataclass(frozen=True, eq=False)
class Choice(Filter):
    """A filter on one of a few options or none: a segmented control; each option means a value in `Filters`."""

    # Option (`N_`) -> its value in `Filters`.
    meanings: Mapping[str, object] = field(default_factory=dict)
    # Value in `Filters` -> how it reads in the selection line (`N_`).
    phrases: Mapping[object, str] = field(default_factory=dict)

    empty: ClassVar[object] = None
    alone: ClassVar[bool] = True

    def options(self) -> tuple[str, ...]:
        return tuple(self.meanings)

    def words(self, code: str, lang: Lang) -> str:
        return i18n.translate(code, lang)

    def value(self, state: object) -> Any:
        return self.meanings.get(state) if isinstance(state, str) else None

    def state(self, codes: Sequence[str]) -> object:
        return codes[0] if codes else None

    def chosen(self, state: object) -> list[str]:
        return [state] if isinstance(state, str) and state else []

    def cleared(self) -> object:
        return None

    def described(self, value: Any) -> tuple[str, ...]:
        return () if value is None else (_(self.phrases[value]),)


@dataclass(frozen=True)
class Period:
    """The period: a pair of days, bound to the link by Streamlit itself; it narrows on the actions' start."""

    param: str
    label: str


PERIOD = Period("periode", N_("Période"))


def _among(column: str) -> Callable[[Any, Param], str | None]:
    def where(values: Sequence[str], param: Param) -> str | None:
        return f"{column} IN (SELECT unnest(${param(list(values))}))" if values else None

    return where


def _any_of(column: str) -> Callable[[Any, Param], str | None]:
    def where(values: Sequence[str], param: Param) -> str | None:
        return f"list_has_any({column}, ${param(list(values))})" if values else None

    return where


def _equals(column: str) -> Callable[[Any, Param], str | None]:
    def where(value: object, param: Param) -> str | None:
        return None if value is None else f"{column} = ${param(value)}"

    return where


def _statuses(chosen: Sequence[str], param: Param) -> str:
    # None chosen: the realised actions.
    chosen = chosen or DEFAULT_STATES
    if set(chosen) >= set(ALL_STATES):
        return "TRUE"
    stored = [s for s in chosen if s != IN_PROGRESS]
    if IN_PROGRESS not in chosen and PLANNED not in chosen:
        # Stored statuses only: no date in the test (the usual case, realised actions).
        return f"status IN (SELECT unnest(${param(stored)}))" if len(stored) != 1 else f"status = ${param(stored[0])}"
    return f"{state_sql()} IN (SELECT unnest(${param(list(chosen))}))"


def state_sql(day: dt.date | None = None) -> str:
    """SQL of an action's shown status on `day` (today by default): its stored status, or "en cours" for a
    planned action whose first day has come. The date is written into the query, so results kept by
    `query.sql` for one day are not served the next."""
    day = day or today()
    started = f"status = '{PLANNED}' AND start_date <= DATE '{day.isoformat()}'"
    return f"(CASE WHEN {started} THEN '{IN_PROGRESS}' ELSE status END)"


def _taxonomy(param: str, name: str, taxonomy: Taxonomy, where: Callable[[Any, Param], str | None]) -> Any:
    return _declare(Filter(param, name, taxonomy.name, where, codes=taxonomy.codes, group=DOCTRINE))


def _declare(declaration: Filter) -> Any:
    return field(default=declaration.empty, metadata={_DECLARATION: declaration})


_DECLARATION = "pmo_filter"


@dataclass(frozen=True)
class Filters:
    """The shared selection: the period, then every shared filter in the sidebar's order. Empty tuples and
    None mean "no restriction"."""

    start: dt.date | None = None
    end: dt.date | None = None
    regions: tuple[str, ...] = _declare(
        Filter("region", N_("Régions"), "region", _among("region"), codes=REGIONS, placeholder=N_("Toutes"))
    )
    countries: tuple[str, ...] = _declare(
        # A country is written in a link by its ISO code, which reads the same in every language.
        Filter("pays", N_("Pays partenaires"), "country_iso3", _among("country_iso3"), column="country_iso3", link=str)
    )
    # Statuses as shown (schema.ACTION_STATES, "en cours" included); none chosen means the realised actions.
    statuses: tuple[str, ...] = _declare(
        Filter(
            "statut",
            N_("Statut des actions"),
            ACTION_STATES.name,
            _statuses,
            codes=ACTION_STATES.codes,
            placeholder=N_("Réalisées"),
            help=N_(
                "Sans choix, les chiffres, la carte et les graphiques portent sur les actions réalisées ; "
                "« en cours » désigne une action prévue dont le premier jour est passé."
            ),
        )
    )
    modes: tuple[str, ...] = _taxonomy("mode", N_("Modes d'action"), MODES, _among("mode"))
    functions: tuple[str, ...] = _taxonomy(
        "fonction", N_("Fonctions stratégiques"), STRATEGIC_FUNCTIONS, _among("strategic_function")
    )
    factors: tuple[str, ...] = _taxonomy(
        "facteur", N_("Facteurs de supériorité opérationnelle"), SUPERIORITY_FACTORS, _any_of("superiority_factors")
    )
    pillars: tuple[str, ...] = _taxonomy("pilier", N_("Piliers"), PILLARS, _among("pillar"))
    frameworks: tuple[str, ...] = _taxonomy("cadre", N_("Cadres"), FRAMEWORKS, _among("framework"))
    forces: tuple[str, ...] = _taxonomy("dispositif", N_("Dispositifs"), FORCES, _among("force"))
    opex: bool | None = _declare(
        Choice(
            "opex",
            N_("OPEX"),
            "opex",
            _equals("opex"),
            group=DOCTRINE,
            meanings={N_("OPEX"): True, N_("Hors OPEX"): False},
            phrases={True: N_("en OPEX seulement"), False: N_("hors OPEX")},
        )
    )

    def previous(self) -> Filters | None:
        """The same selection over the period of equal length just before; None without a period.

        A period of whole months (a year, a quarter) compares with the same
        number of whole months before it, so 2024 compares with 2023.
        """
        if self.start is None or self.end is None:
            return None
        after_end = self.end + dt.timedelta(days=1)
        if self.start.day == 1 and after_end.day == 1:
            months = (after_end.year - self.start.year) * 12 + after_end.month - self.start.month
            start = _month_start(self.start, -months)
            return replace(self, start=start, end=self.start - dt.timedelta(days=1))
        length = self.end - self.start + dt.timedelta(days=1)
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - length + dt.timedelta(days=1), end=end)

    def change(self, **changes: Any) -> Filters:
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, ()) for f in fields(self))


def _month_start(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# Every shared filter but the period, in the sidebar's order.
FILTERS: tuple[Filter, ...] = tuple(
    replace(f.metadata[_DECLARATION], name=f.name) for f in fields(Filters) if _DECLARATION in f.metadata
)
BY_NAME: dict[str, Filter] = {f.name: f for f in FILTERS}


def where_clause(filters: Filters, *, after: int = 0) -> tuple[str, list[object]]:
    """SQL condition on `actions` and its parameters, numbered from `after` + 1 (for a query that holds
    other parameters before them)."""
    conditions: list[str] = []
    params: list[object] = []

    def param(value: object) -> str:
        params.append(value)
        return str(after + len(params))

    if filters.start is not None:
        conditions.append(f"start_date >= ${param(filters.start)}")
    if filters.end is not None:
        conditions.append(f"start_date <= ${param(filters.end)}")
    for declared in FILTERS:
        condition = declared.where(getattr(filters, declared.name), param)
        if condition is not None:
            conditions.append(condition)
    return (" AND ".join(conditions) or "TRUE"), params
