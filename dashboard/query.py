"""Filters turned into small aggregated frames, computed by DuckDB on Arrow.

The pages hand in the shared Arrow tables (read once per store version) and a
`Filters` (declared in `dashboard.filters`, which narrows the actions); they get
back frames of a few hundred rows at most. An action tagged with several
superiority factors counts once under each factor when the breakdown is by
factor, and once everywhere else.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.filters import ALL_STATES, Filters, where_clause
from dashboard.reference import countries, country_name
from dashboard.schema import PLANNED

FACTOR = "superiority_factor"

# Dimensions a breakdown may use; the values are SQL expressions on `actions`.
DIMENSIONS: dict[str, str] = {
    "country_iso3": "country_iso3",
    "region": "region",
    "year": "year",
    "month": "date_trunc('month', start_date)::DATE",
    "mode": "mode",
    "strategic_function": "strategic_function",
    FACTOR: FACTOR,
    "pillar": "pillar",
    "framework": "framework",
    "force": "force",
    "opex": "opex",
    "programme": "programme",
    "unit": "unit",
    "status": "status",
    "assessment": "assessment",
}

MEASURE_SQL: dict[str, str] = {
    "actions": "count(*)",
    "person_days": "coalesce(sum(person_days), 0)::BIGINT",
    "partner_trainees": "coalesce(sum(partner_trainees), 0)::BIGINT",
    "countries": "count(DISTINCT country_iso3)",
    "modes": "count(DISTINCT mode)",
}


_database: duckdb.DuckDBPyConnection | None = None
_database_lock = threading.Lock()


def _cursor(**tables: pa.Table) -> duckdb.DuckDBPyConnection:
    # One in-memory DuckDB database for the process and one cursor (a connection
    # of its own) per query, so threads never share a connection. Streamlit runs
    # every rerun in a new thread: a database per thread cost 25-70 ms a rerun
    # (bench/RESULTS.md).
    global _database
    with _database_lock:
        if _database is None:
            _database = duckdb.connect(config={"threads": 2})
        cursor = _database.cursor()
    for name, table in tables.items():
        cursor.register(name, table)
    return cursor


def sql(query: str, params: Sequence[object] = (), **tables: pa.Table) -> pd.DataFrame:
    """Run `query` with the given Arrow tables registered under their names.

    Small results are kept for the next session asking the same thing (see
    `_Results`); every caller gets its own copy.
    """
    key = _RESULTS.key(query, params, tables)
    if key is not None and (frame := _RESULTS.get(key)) is not None:
        return frame.copy()
    cursor = _cursor(**tables)
    try:
        frame = cursor.execute(query, list(params)).df()
    finally:
        cursor.close()
    if key is not None and len(frame) <= _Results.MAX_ROWS:
        _RESULTS.put(key, frame, tables.values())
        return frame.copy()
    return frame


class _Results:
    """Recent query results shared by every session of the process.

    Commanders mostly open the same views (the default one first of all), and
    a rerun with a cached result skips the scan of the whole table: 20
    sessions on 1M actions queued for seconds without it (bench/RESULTS.md).
    The key holds the identity of the Arrow tables, which never change (one
    per store version); the entries of a table go when the table does.
    """

    MAX_ENTRIES = 512
    MAX_ROWS = 5_000

    def __init__(self) -> None:
        self._frames: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._watched: set[int] = set()
        # Re-entrant: a table may be collected (and forgotten) while the lock is held.
        self._lock = threading.RLock()

    def key(self, query: str, params: Sequence[object], tables: dict[str, pa.Table]) -> tuple | None:
        if not all(isinstance(t, pa.Table) for t in tables.values()):
            return None
        return (query, repr(list(params)), tuple(sorted((name, id(t)) for name, t in tables.items())))

    def get(self, key: tuple) -> pd.DataFrame | None:
        with self._lock:
            frame = self._frames.get(key)
            if frame is not None:
                self._frames.move_to_end(key)
            return frame

    def put(self, key: tuple, frame: pd.DataFrame, tables: Iterable[pa.Table]) -> None:
        with self._lock:
            for table in tables:
                if id(table) not in self._watched:
                    self._watched.add(id(table))
                    weakref.finalize(table, self._forget, id(table))
            self._frames[key] = frame
            while len(self._frames) > self.MAX_ENTRIES:
                self._frames.popitem(last=False)

    def _forget(self, table_id: int) -> None:
        with self._lock:
            self._watched.discard(table_id)
            for key in [k for k in self._frames if any(i == table_id for _, i in k[2])]:
                del self._frames[key]

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()


_RESULTS = _Results()


def prepare_actions(raw: pa.Table) -> pa.Table:
    """Add the derived columns (region, year, duration_days, person_days) once per version."""
    known = countries()
    iso3 = pa.array(list(known))
    regions = pa.array([c.region for c in known.values()], pa.string())
    region = regions.take(pc.index_in(raw.column("country_iso3"), value_set=iso3))
    year = pc.cast(pc.year(raw.column("start_date")), pa.int32())
    days = pc.days_between(raw.column("start_date"), raw.column("end_date"))
    duration = pc.add(pc.cast(days, pa.int64()), 1)
    person_days = pc.multiply(raw.column("french_personnel"), duration)
    prepared = (
        raw.append_column("region", region)
        .append_column("year", year)
        .append_column("duration_days", duration)
        .append_column("person_days", person_days)
    )
    # Category columns dictionary-encoded: DuckDB filters and groups them 1.5-4x
    # faster (bench/RESULTS.md) in a third less memory, and still returns strings.
    for name in _ENCODED:
        prepared = prepared.set_column(
            prepared.schema.get_field_index(name), name, pc.dictionary_encode(prepared.column(name))
        )
    return prepared


_ENCODED = (
    "country_iso3",
    "region",
    "mode",
    "strategic_function",
    "pillar",
    "framework",
    "force",
    "unit",
    "programme",
    "status",
    "assessment",
)


@dataclass(frozen=True)
class KeyFigures:
    actions: int
    countries: int
    person_days: int
    partner_trainees: int
    # Planned actions (started or not) of the same selection whatever its statuses: counted apart.
    planned: int = 0


def key_figures(actions: pa.Table, filters: Filters, *, planned: bool = True) -> KeyFigures:
    """The key figures of the selection and, with `planned`, its planned actions (started or not) whatever its
    statuses."""
    where, params = where_clause(filters)
    measured = [f.name for f in fields(KeyFigures) if f.name != "planned"]
    columns = [f"{MEASURE_SQL[name]} AS {name}" for name in measured]
    if planned:
        # A planned action, started or not, is stored as planned: a plain test of the status, which DuckDB
        # runs on the dictionary codes (a FILTER clause on each measure, or a list of statuses, took 3-4x longer).
        others, others_params = where_clause(filters.change(statuses=ALL_STATES), after=len(params))
        params += [*others_params, PLANNED]
        columns.append(f"(SELECT count(*) FROM actions WHERE {others} AND status = ${len(params)}) AS planned")
    row = sql(f"SELECT {', '.join(columns)} FROM actions WHERE {where}", params, actions=actions).iloc[0]
    return KeyFigures(**{name: int(row[name]) for name in measured}, planned=int(row["planned"]) if planned else 0)


def compared_key_figures(actions: pa.Table, filters: Filters) -> tuple[KeyFigures, KeyFigures | None]:
    """The key figures of the selection and of the period of the same length just before it (None when the
    selection has no bounded period; its planned actions are not counted)."""
    previous = filters.previous()
    return key_figures(actions, filters), key_figures(actions, previous, planned=False) if previous else None


def aggregate(actions: pa.Table, filters: Filters, by: Sequence[str], measure: str = "actions") -> pd.DataFrame:
    """One row per combination of `by` present in the selection, with `measure` as `value`.

    With `superiority_factor` among `by`, each action counts once under each
    of its factors.
    """
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown or measure not in MEASURE_SQL:
        raise ValueError(f"dimension ou mesure inconnue : {unknown or measure}")
    where, params = where_clause(filters)
    source = "actions"
    if FACTOR in by:
        source = f"(SELECT *, unnest(superiority_factors) AS {FACTOR} FROM actions WHERE {where})"
        where = "TRUE"
    columns = ", ".join(by)
    select = "".join(f"{DIMENSIONS[d]} AS {d}, " for d in by)
    group = f"GROUP BY {columns} ORDER BY {columns}" if by else ""
    return sql(
        f"SELECT {select}{MEASURE_SQL[measure]} AS value FROM {source} WHERE {where} {group}",
        params,
        actions=actions,
    )


def action_rows(
    actions: pa.Table, filters: Filters, limit: int | None = None, *, with_description: bool = False
) -> pd.DataFrame:
    """The selected actions themselves, most recent first: without their free-text description for a
    table, with it for an export."""
    where, params = where_clause(filters)
    cap = f"LIMIT {int(limit)}" if limit else ""
    columns = "*" if with_description else "* EXCLUDE (description)"
    return sql(
        f"SELECT {columns} FROM actions WHERE {where} ORDER BY start_date DESC, action_id {cap}",
        params,
        actions=actions,
    )


def date_bounds(actions: pa.Table) -> tuple[dt.date, dt.date] | None:
    """First start and last start date in the store; None when it is empty."""
    if actions.num_rows == 0:
        return None
    # Through `sql` (not pyarrow compute) so that every rerun of every session
    # reads the answer from the shared results instead of scanning the table.
    bounds = sql("SELECT min(start_date) AS first, max(start_date) AS last FROM actions", actions=actions)
    return bounds["first"].iloc[0].date(), bounds["last"].iloc[0].date()


def profile_country(actions: pa.Table, filters: Filters) -> tuple[str | None, list[str]]:
    """The country a country profile presents: the one chosen; else none, and the countries to choose from (the
    chosen ones, or every country with an action in the rest of the selection), by French name."""
    if len(filters.countries) == 1:
        return filters.countries[0], []
    if filters.countries:
        return None, list(filters.countries)
    present = aggregate(actions, filters.change(countries=()), ["country_iso3"])["country_iso3"]
    return None, sorted(present, key=country_name)


def present(actions: pa.Table, column: str) -> list[str]:
    """The values of `column` found in at least one action (shared results, as `date_bounds`)."""
    return sql(f'SELECT DISTINCT "{column}" AS value FROM actions WHERE "{column}" IS NOT NULL', actions=actions)[
        "value"
    ].tolist()


def country_codes(actions: pa.Table) -> list[str]:
    """The ISO3 codes of the countries that have at least one action."""
    return present(actions, "country_iso3")


def meeting_rows(meetings: pa.Table, filters: Filters) -> pd.DataFrame:
    """Meetings overlapping the period, held in or attended by a selected country."""
    conditions: list[str] = []
    params: list[object] = []
    if filters.start is not None:
        params.append(filters.start)
        conditions.append(f"end_date >= ${len(params)}")
    if filters.end is not None:
        params.append(filters.end)
        conditions.append(f"start_date <= ${len(params)}")
    if filters.countries:
        params.append(list(filters.countries))
        p = len(params)
        conditions.append(f"(country_iso3 IN (SELECT unnest(${p})) OR list_has_any(partner_countries, ${p}))")
    where = " AND ".join(conditions) or "TRUE"
    return sql(f"SELECT * FROM meetings WHERE {where} ORDER BY start_date", params, meetings=meetings)


def meetings_by_country(meetings: pa.Table, filters: Filters) -> pd.DataFrame:
    """Meetings per host country: country_iso3, meetings, cities (the three most frequent, joined).

    Unlike `meeting_rows`, the region filter applies too, to the host country.
    """
    rows = meeting_rows(meetings, filters)[["country_iso3", "city"]]
    if filters.regions:
        hosts = [c.iso3 for c in countries().values() if c.region in filters.regions]
        rows = rows[rows["country_iso3"].isin(hosts)]
    return sql(
        "WITH per_city AS (SELECT country_iso3, city, count(*) AS n FROM rows GROUP BY ALL)"
        " SELECT country_iso3, sum(n)::BIGINT AS meetings,"
        " coalesce(array_to_string((list(city ORDER BY n DESC, city) FILTER (WHERE city IS NOT NULL))[1:3], ', '), '')"
        " AS cities"
        " FROM per_city GROUP BY country_iso3 ORDER BY country_iso3",
        rows=rows,
    )


def programmes(actions: pa.Table, filters: Filters) -> pd.DataFrame:
    """Named programmes of the selection (programme, actions, first_year, last_year), largest first."""
    where, params = where_clause(filters)
    return sql(
        "SELECT programme, count(*) AS actions, min(year) AS first_year, max(year) AS last_year FROM actions"
        f" WHERE {where} AND programme IS NOT NULL AND programme <> ''"
        " GROUP BY programme ORDER BY actions DESC, programme",
        params,
        actions=actions,
    )


def selected(actions: pa.Table, filters: Filters, exclude: Sequence[str] = ()) -> pa.Table:
    """The selected actions as Arrow, without the `exclude` columns: a page that aggregates a selection
    many times filters once (a factor filter reads every list) and aggregates the result."""
    where, params = where_clause(filters)
    columns = ", ".join(f'"{c}"' for c in actions.column_names if c not in exclude)
    return arrow_sql(f"SELECT {columns} FROM actions WHERE {where}", params, actions=actions)


def arrow_sql(query: str, params: Sequence[object] = (), **tables: pa.Table) -> pa.Table:
    """Run `query` and keep its result in Arrow, for further queries: never shared between sessions."""
    cursor = _cursor(**tables)
    try:
        return cursor.sql(query, params=list(params)).to_arrow_table()
    finally:
        cursor.close()
