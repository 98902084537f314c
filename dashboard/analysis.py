"""Breakdowns by strategic function and superiority factor, and chart clicks turned into filters.

An action tagged with several superiority factors counts once under each of
them: a factor column or a factor share may add up to more than the actions,
whereas every total (per function, per region, overall) counts each action once.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from dashboard import selection
from dashboard.i18n import N_, _
from dashboard.links import Views
from dashboard.query import Filters, aggregate, selected
from dashboard.reference import fold, label
from dashboard.schema import MEASURES, MODES, REGIONS, STRATEGIC_FUNCTIONS, SUPERIORITY_FACTORS

FUNCTION = "strategic_function"
FACTOR = "superiority_factor"

# Measures offered on the analysis page.
ANALYSIS_MEASURES: tuple[str, ...] = ("actions", "person_days", "partner_trainees")
REGION_ORDER = {region: index for index, region in enumerate(REGIONS)}

# The views under the matrix, in tabs; the link names the open one by its code (`?vue=facteurs-par-region`).
VIEWS = Views(
    {
        "par-annee": N_("Par année"),
        "evolution": N_("Évolution sur un an"),
        "facteurs-par-region": N_("Facteurs par région"),
        "pays-et-modes": N_("Pays et modes"),
        "piliers-et-cadres": N_("Piliers et cadres"),
        "evaluation": N_("Évaluation"),
    }
)

# Sunburst sectors are named by their path, region|country|mode, and a click returns that id
# ("|" rather than "/", which plotly's JSON writes as six bytes).
PATH_SEPARATOR = "|"
_SUNBURST_LEVELS: tuple[str, ...] = ("regions", "countries", "modes")


# Text columns no breakdown of the analysis reads: not copied when narrowing.
_FREE_TEXT: tuple[str, ...] = (
    "title",
    "description",
    "unit",
    "programme",
    "objective",
    "assessment_note",
    "cancellation_reason",
)
# Narrowed tables kept for the next rerun or session asking the same selection: a stable table lets
# the shared query results (dashboard.query) serve them again.
_NARROWED: OrderedDict[tuple[int, Filters], pa.Table] = OrderedDict()
_NARROWED_KEPT = 4
_WATCHED: set[int] = set()
_LOCK = threading.Lock()


def narrow(actions: pa.Table, filters: Filters) -> tuple[pa.Table, Filters]:
    """The actions and filters to aggregate many times.

    With a factor filter, which reads every action's list of factors at each
    query (5.6 s for a page at a million actions, 0.9 s narrowed): the actions
    that pass every filter but the period (every date kept, for comparisons
    with earlier periods), and a period-only filter. Otherwise the table as it
    is: its category columns are dictionary-encoded, faster to filter than a copy.
    """
    if not filters.factors:
        return actions, filters
    rest = filters.change(start=None, end=None)
    # The statuses stay in both: applied again to the narrowed actions, they keep the same ones.
    period = Filters(start=filters.start, end=filters.end, statuses=filters.statuses)
    key = (id(actions), rest)
    with _LOCK:
        if (table := _NARROWED.get(key)) is not None:
            _NARROWED.move_to_end(key)
            return table, period
    table = selected(actions, rest, exclude=_FREE_TEXT)
    with _LOCK:
        if id(actions) not in _WATCHED:
            _WATCHED.add(id(actions))
            weakref.finalize(actions, _forget, id(actions))
        _NARROWED[key] = table
        while len(_NARROWED) > _NARROWED_KEPT:
            _NARROWED.popitem(last=False)
    return table, period


def _forget(actions_id: int) -> None:
    with _LOCK:
        _WATCHED.discard(actions_id)
        for key in [k for k in _NARROWED if k[0] == actions_id]:
            del _NARROWED[key]


def matrix(actions: pa.Table, filters: Filters, measure: str = "actions") -> pd.DataFrame:
    """Every function × factor cell, empty ones included, in taxonomy order.

    Columns: strategic_function, superiority_factor, value, function_total
    (each action once), factor_total, share (value / function_total).
    """
    cells = aggregate(actions, filters, [FUNCTION, FACTOR], measure)
    grid = pd.MultiIndex.from_product([STRATEGIC_FUNCTIONS.codes, SUPERIORITY_FACTORS.codes], names=[FUNCTION, FACTOR])
    frame = cells.set_index([FUNCTION, FACTOR])["value"].reindex(grid, fill_value=0).reset_index()
    frame["value"] = frame["value"].astype("int64")
    per_function = aggregate(actions, filters, [FUNCTION], measure).set_index(FUNCTION)["value"]
    # Every action serves exactly one function, so a factor column adds up to the factor's total.
    per_factor = frame.groupby(FACTOR)["value"].sum()
    frame["function_total"] = frame[FUNCTION].map(per_function).fillna(0).astype("int64")
    frame["factor_total"] = frame[FACTOR].map(per_factor).fillna(0).astype("int64")
    frame["share"] = (frame["value"] / frame["function_total"].where(frame["function_total"] > 0)).fillna(0.0)
    return frame


def total(actions: pa.Table, filters: Filters, measure: str = "actions") -> int:
    """The measure over the selection, each action counted once."""
    return int(aggregate(actions, filters, [], measure)["value"].iloc[0])


def per_year(actions: pa.Table, filters: Filters, measure: str = "actions") -> pd.DataFrame:
    """Columns year, strategic_function, value."""
    return aggregate(actions, filters, ["year", FUNCTION], measure)


def factor_profile(actions: pa.Table, filters: Filters, measure: str = "actions") -> pd.DataFrame:
    """Share of each factor among the factors served in each region (shares of a region add up to 1).

    Columns: region, superiority_factor, value, share.
    """
    frame = aggregate(actions, filters, ["region", FACTOR], measure)
    frame = frame[frame["region"].notna()].copy()
    region_sum = frame.groupby("region")["value"].transform("sum")
    frame["share"] = (frame["value"] / region_sum.where(region_sum > 0)).fillna(0.0)
    factor_order = {f: i for i, f in enumerate(SUPERIORITY_FACTORS.codes)}
    frame = frame.sort_values(
        ["region", FACTOR], key=lambda s: s.map(REGION_ORDER if s.name == "region" else factor_order)
    ).reset_index(drop=True)
    return frame


def sunburst(actions: pa.Table, filters: Filters, measure: str = "actions") -> pd.DataFrame:
    """Columns region, country_iso3, mode, value; rows with no value are left out."""
    frame = aggregate(actions, filters, ["region", "country_iso3", "mode"], measure)
    return frame[(frame["value"] > 0) & frame["region"].notna()].reset_index(drop=True)


def breakdown(actions: pa.Table, filters: Filters, dimension: str, measure: str = "actions") -> pd.DataFrame:
    """Columns `dimension`, value (a missing value is kept as None)."""
    return aggregate(actions, filters, [dimension], measure)


def workbook(
    actions: pa.Table, filters: Filters, measure: str = "actions", *, about: Sequence[str] = ()
) -> dict[str, pd.DataFrame]:
    """The page's breakdowns as sheets of an Excel export, in the language of the run (sheets, headings, labels),
    after a sheet naming the measure, every filter of the selection and the lines of `about` (the data version,
    the export's date). A factor column counts each action once per factor it serves; the totals count it once."""
    chosen = selection.rows(filters)
    actions, filters = narrow(actions, filters)
    name = _(MEASURES[measure])
    cells = matrix(actions, filters, measure)
    grid = cells.pivot(index=FUNCTION, columns=FACTOR, values="value").reindex(
        index=STRATEGIC_FUNCTIONS.codes, columns=SUPERIORITY_FACTORS.codes
    )
    functions = pd.DataFrame({_("Fonction stratégique"): [label(FUNCTION, c) for c in grid.index]})
    factors = grid.set_axis([label(FACTOR, c) for c in grid.columns], axis=1).reset_index(drop=True)
    function_totals = cells.groupby(FUNCTION)["function_total"].first().reindex(STRATEGIC_FUNCTIONS.codes)
    by_function = pd.concat([functions, factors], axis=1).assign(
        **{_("{measure} (chaque action une fois)").format(measure=name): function_totals.to_numpy()}
    )
    years = per_year(actions, filters, measure).pivot(index="year", columns=FUNCTION, values="value")
    years = years.reindex(columns=[c for c in STRATEGIC_FUNCTIONS.codes if c in years.columns]).fillna(0)
    years = years.astype("int64").set_axis([label(FUNCTION, c) for c in years.columns], axis=1)
    profile = factor_profile(actions, filters, measure)
    places = sunburst(actions, filters, measure)
    region, country, mode = _("Région"), _("Pays"), _("Mode d'action")
    places = pd.DataFrame(
        {
            region: [label("region", r) for r in places["region"]],
            country: [label("country_iso3", c) for c in places["country_iso3"]],
            mode: [label(MODES.name, c) for c in places["mode"]],
            name: places["value"],
        }
    )
    # The regions in the Army's order, whatever their names in the language of the run.
    region_order = {label("region", r): index for r, index in REGION_ORDER.items()}
    places = places.sort_values(
        [region, country, mode], key=lambda c: c.map(region_order if c.name == region else fold)
    ).reset_index(drop=True)
    return {
        _("Sélection"): pd.DataFrame(
            {
                _("Élément"): [
                    _("Mesure"),
                    *(label for label, _words in chosen),
                    _("Total : {measure}").format(measure=name.lower()),
                    *([_("Données")] if about else []),
                ],
                _("Valeur"): [
                    name,
                    *(words for _label, words in chosen),
                    total(actions, filters, measure),
                    *([" ".join(about[:1])] if about else []),
                ],
            }
        ),
        _("Fonction × facteur"): by_function,
        _("Par année"): years.rename_axis(_("Année")).reset_index(),
        _("Facteurs par région"): pd.DataFrame(
            {
                region: [label("region", r) for r in profile["region"]],
                _("Facteur de supériorité"): [label(FACTOR, c) for c in profile[FACTOR]],
                name: profile["value"],
                _("Part dans la région (%)"): (profile["share"] * 100).round(1),
            }
        ),
        _("Pays et modes"): places,
        **{
            _(title): pd.DataFrame(
                {
                    _(column): [label(dimension, c) for c in frame[dimension]],
                    name: frame["value"],
                }
            )
            for title, column, dimension, frame in (
                (N_("Piliers"), N_("Pilier"), "pillar", breakdown(actions, filters, "pillar", measure)),
                (N_("Cadres"), N_("Cadre"), "framework", breakdown(actions, filters, "framework", measure)),
            )
        },
    }


@dataclass(frozen=True)
class YearComparison:
    """The last year of the selection against the same dates one year before."""

    year: int
    current: Filters
    previous: Filters
    functions: pd.DataFrame  # strategic_function, previous, current, change
    factors: pd.DataFrame  # superiority_factor, previous, current, change


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def comparison_periods(filters: Filters, year: int) -> tuple[Filters, Filters]:
    """The part of `year` inside the selection, and the same dates a year earlier."""
    start = max(filters.start or dt.date(year, 1, 1), dt.date(year, 1, 1))
    end = min(filters.end or dt.date(year, 12, 31), dt.date(year, 12, 31))
    current = filters.change(start=start, end=end)
    return current, filters.change(start=_year_before(start), end=_year_before(end))


def _compare(
    actions: pa.Table, current: Filters, previous: Filters, dimension: str, codes: Sequence[str], measure: str
) -> pd.DataFrame:
    now = aggregate(actions, current, [dimension], measure).set_index(dimension)["value"]
    before = aggregate(actions, previous, [dimension], measure).set_index(dimension)["value"]
    frame = pd.DataFrame({dimension: list(codes)})
    frame["previous"] = frame[dimension].map(before).fillna(0).astype("int64")
    frame["current"] = frame[dimension].map(now).fillna(0).astype("int64")
    frame["change"] = (frame["current"] - frame["previous"]) / frame["previous"].where(frame["previous"] > 0)
    return frame


def year_over_year(actions: pa.Table, filters: Filters, measure: str = "actions") -> YearComparison | None:
    """Per function and per factor, the last year with actions in the selection against the year before."""
    years = aggregate(actions, filters, ["year"], "actions")
    if years.empty:
        return None
    year = int(years["year"].max())
    current, previous = comparison_periods(filters, year)
    return YearComparison(
        year,
        current,
        previous,
        _compare(actions, current, previous, FUNCTION, STRATEGIC_FUNCTIONS.codes, measure),
        _compare(actions, current, previous, FACTOR, SUPERIORITY_FACTORS.codes, measure),
    )


def clicked_filters(points: Iterable[Mapping[str, object]], names: Sequence[str]) -> dict[str, list[str]]:
    """Filter values from the points of a chart selection whose customdata starts with the codes of `names`.

    A point without a code for a filter (a missing pillar, say) sets nothing for it.
    """
    chosen: dict[str, list[str]] = {}
    for point in points:
        data = point.get("customdata")
        if data is None:
            continue
        codes = data if isinstance(data, list | tuple) else [data]
        for name, code in zip(names, codes, strict=False):
            if isinstance(code, str) and code:
                values = chosen.setdefault(name, [])
                if code not in values:
                    values.append(code)
    return chosen


def sunburst_id(*path: str) -> str:
    return PATH_SEPARATOR.join(path)


def clicked_sector(points: Iterable[Mapping[str, object]]) -> dict[str, list[str]]:
    """Filter values from a click on a sunburst sector: its id is region|country|mode.

    A country sets the country, a mode sets the mode within its country; the
    region is set only by a click on the region itself.
    """
    for point in points:
        path = str(point.get("id") or "").split(PATH_SEPARATOR)
        if not path or not path[0] or len(path) > len(_SUNBURST_LEVELS):
            continue
        if len(path) == 1:
            return {"regions": path}
        chosen = {"countries": [path[1]]}
        if len(path) == 3 and path[2] in MODES.codes:
            chosen["modes"] = [path[2]]
        return chosen
    return {}
